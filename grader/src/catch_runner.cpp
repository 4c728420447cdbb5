// Catch2 v2 command lines: name filters, --list-test-names-only, -r xml -o FILE.
// Not where results are judged: stub_check.cpp and run.cpp do that.
#include "tt/grade/catch_runner.hpp"

#include <cctype>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace tt::grade {

std::string catch_name_filter(const std::string& name) {
  std::string out;
  out.reserve(name.size() * 2);
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80) out += '\\';
    out += c;
  }
  return out;
}

std::vector<std::string> list_test_names(const std::string& binary) {
  Limits limits;
  limits.wall_seconds = 60;
  const auto r = run_process({binary, "--list-test-names-only"}, limits);
  if (!r.started || r.exit_code < 0 || r.signal != 0 || r.timed_out)
    throw std::runtime_error("cannot list the tests of " + binary + ": " +
                             (r.error.empty() ? first_lines(r.output, 20) : r.error));
  std::vector<std::string> names;
  std::istringstream in(r.output);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    // Catch2 quotes names that start with '#' (they would read as a file-name filter).
    if (line.size() >= 2 && line.front() == '"' && line.back() == '"' && line[1] == '#')
      line = line.substr(1, line.size() - 2);
    names.push_back(line);
  }
  return names;
}

CatchInvocation run_catch(const std::string& binary, const std::vector<std::string>& filters,
                          const std::string& xml_path, const Limits& limits) {
  std::filesystem::remove(xml_path);
  std::vector<std::string> argv{binary};
  for (const auto& f : filters) argv.push_back(f);
  for (const char* a : {"-r", "xml", "-o"}) argv.emplace_back(a);
  argv.push_back(xml_path);
  argv.emplace_back("-d");
  argv.emplace_back("yes");
  CatchInvocation inv;
  inv.process = run_process(argv, limits);
  inv.xml = read_catch_xml(xml_path);
  return inv;
}

}  // namespace tt::grade
