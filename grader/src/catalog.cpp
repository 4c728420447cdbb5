// Builds the test catalog with a handful of Catch2 listing calls (no test runs).
// Not for untrusted executables: it runs the course's own (pristine) test binary unsandboxed.
#include "tt/grade/catalog.hpp"

#include <map>
#include <sstream>
#include <stdexcept>

#include "tt/grade/catch_runner.hpp"
#include "tt/grade/process.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

std::string run_listing(const fs::path& binary, const std::vector<std::string>& args) {
  Limits limits;
  limits.wall_seconds = 60;
  std::vector<std::string> argv{binary.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv, limits);
  if (!r.started || r.signal || r.timed_out || r.exit_code < 0)
    throw std::runtime_error("cannot list the tests of " + binary.string() + ": " +
                             first_lines(r.error + r.output, 10));
  return r.output;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string unquote(std::string name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"' && name[1] == '#')
    return name.substr(1, name.size() - 2);
  return name;
}

}  // namespace

std::vector<std::string> parse_list_tags(const std::string& text) {
  std::vector<std::string> tags;
  for (const auto& line : lines_of(text)) {
    const auto open = line.find('[');
    const auto close = line.rfind(']');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    // "   3  [15.1]": a count, then the tag.
    if (line.find_first_not_of(" 0123456789") != open) continue;
    tags.push_back(line.substr(open + 1, close - open - 1));
  }
  return tags;
}

std::vector<CatalogEntry> catalog_tests(const fs::path& binary) {
  std::vector<CatalogEntry> entries;
  std::map<std::string, std::size_t> index;
  for (const auto& line : lines_of(run_listing(binary, {"--list-test-names-only", "-v", "high"}))) {
    CatalogEntry e;
    const auto at = line.rfind("\t@");
    e.name = unquote(at == std::string::npos ? line : line.substr(0, at));
    if (at != std::string::npos) {
      e.file = line.substr(at + 2);
      if (const auto colon = e.file.rfind(':'); colon != std::string::npos) e.file = e.file.substr(0, colon);
    }
    index[e.name] = entries.size();
    entries.push_back(std::move(e));
  }
  for (const auto& tag : parse_list_tags(run_listing(binary, {"--list-tags"}))) {
    for (const auto& line : lines_of(run_listing(binary, {"--list-test-names-only", "[" + tag + "]"}))) {
      const auto it = index.find(unquote(line));
      if (it != index.end()) entries[it->second].tags += "[" + tag + "]";
    }
  }
  for (auto& e : entries) {
    const auto t = parse_tags(e.tags);
    e.task = t.task_ids.empty() ? "" : t.task_ids.front();
    e.points = t.points.value_or(0);
    e.hidden = t.hidden || e.file.find("/hidden/") != std::string::npos || e.file.rfind("hidden/", 0) == 0;
  }
  return entries;
}

}  // namespace tt::grade
