// The `portfolio` section of a grade report.
// Not a score: the rubric items are for a person to grade.
#include "tt/portfolio/summary.hpp"

#include "tt/portfolio/error.hpp"
#include "tt/portfolio/rubric.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tt::portfolio {

json portfolio_section(const Portfolio& p, const fs::path& rubric_file) {
  json j{{"schema", kPortfolioSectionSchema}, {"consent", p.consent}, {"pseudonym", p.pseudonym}};
  json writeups = json::array(), problems = p.measurements.problems;
  json totals{{"verified", 0}, {"stale", 0}, {"missing", 0}, {"unknown", 0}, {"malformed", 0}};
  for (const auto& w : p.writeups) {
    json cites = json::array();
    for (const auto& c : w.citations) {
      cites.push_back({{"name", c.name},
                       {"status", to_string(c.status)},
                       {"value", c.shown},
                       {"line", c.line},
                       {"message", c.message}});
      totals[to_string(c.status)] = totals[to_string(c.status)].get<int>() + 1;
    }
    json contradictions = json::array();
    for (const auto& c : w.contradictions)
      contradictions.push_back({{"metric", c.metric}, {"typed", c.typed}, {"measured", c.measured}, {"line", c.line}});
    writeups.push_back({{"file", "portfolio/" + w.slot.file},
                        {"exists", w.exists},
                        {"words", w.words},
                        {"citations", cites},
                        {"contradictions", contradictions},
                        {"warnings", w.warnings}});
  }
  j["writeups"] = writeups;
  j["citations"] = totals;
  json measured = json::object();
  for (const auto& [id, m] : p.measurements.by_module) {
    const auto cur = p.current.find(id);
    measured["m" + id] = {{"date", m.date},
                          {"status", !m.error.empty()                                    ? "failed"
                                     : cur != p.current.end() && cur->second == m.digest ? "verified"
                                                                                         : "stale"}};
  }
  j["measurements"] = measured;
  // The capstone's headline numbers, for the showcase (verified ones only).
  json capstone = json::object();
  if (const auto it = p.measurements.by_module.find("20"); it != p.measurements.by_module.end()) {
    const auto cur = p.current.find("20");
    if (cur != p.current.end() && cur->second == it->second.digest)
      for (const auto& x : metrics_of(it->second)) capstone[x.name] = x.value;
  }
  j["capstone"] = capstone;
  try {
    j["rubric"] = rubric_json(read_rubric(rubric_file));
  } catch (const portfolio_error& x) {
    j["rubric"] = json::array();
    problems.push_back(x.what());
  }
  j["problems"] = problems;
  return j;
}

fs::path find_portfolio_dir(const fs::path& root) {
  std::error_code ec;
  if (fs::is_directory(root / "portfolio", ec)) return root / "portfolio";
  for (const auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory(ec) && fs::is_directory(e.path() / "portfolio", ec)) return e.path() / "portfolio";
  return {};
}

}  // namespace tt::portfolio
