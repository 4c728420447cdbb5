// Reading portfolio/rubric.json, once for the report's section and the Gradescope package.
// Not grading: the items are questions for a person.
#include "tt/portfolio/rubric.hpp"

#include <set>

#include "file_text.hpp"
#include "tt/portfolio/error.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tt::portfolio {

std::vector<RubricItem> read_rubric(const fs::path& file) {
  const auto text = detail::read_text(file);
  if (!text)
    throw portfolio_error(ErrorKind::io, "no rubric at " + file.string() + " (the course's portfolio/rubric.json)");
  const auto bad = [&](const std::string& what) {
    return portfolio_error(ErrorKind::bad_course, file.string() + " is not a valid rubric: " + what +
                                                      "; expected {\"items\": [{\"id\": \"P1\", \"title\": \"…\", "
                                                      "\"points\": 10}, …]}");
  };
  json j;
  try {
    j = json::parse(*text);
  } catch (const json::exception& x) {
    throw bad(std::string("not JSON (") + x.what() + ")");
  }
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) throw bad("no \"items\" list");
  std::vector<RubricItem> items;
  std::set<std::string> ids;
  for (const auto& x : j["items"]) {
    const std::string where = "item " + std::to_string(items.size() + 1);
    if (!x.is_object() || !x.contains("id") || !x["id"].is_string() || !x.contains("title") || !x["title"].is_string())
      throw bad(where + " has no string \"id\" and \"title\"");
    if (!x.contains("points") || !x["points"].is_number() || x["points"].get<double>() <= 0)
      throw bad(where + " (" + x["id"].get<std::string>() + ") has no positive \"points\"");
    if (!ids.insert(x["id"].get<std::string>()).second) throw bad("the id " + x["id"].get<std::string>() + " repeats");
    items.push_back({x["id"], x["title"], x["points"].get<double>()});
  }
  return items;
}

json rubric_json(const std::vector<RubricItem>& items) {
  json out = json::array();
  for (const auto& i : items) {
    const json points = i.points == static_cast<double>(static_cast<long>(i.points)) ? json(static_cast<long>(i.points))
                                                                                     : json(i.points);
    out.push_back({{"id", i.id}, {"title", i.title}, {"points", points}});
  }
  return out;
}

}  // namespace tt::portfolio
