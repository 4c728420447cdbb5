// cmake configure and ninja builds for grading slots; error trimming for reports; the targets file.
// Not a general build tool: the course's CMake (tt_add_module) defines every target.
#include "tt/grade/build.hpp"

#include <sstream>

#include <nlohmann/json.hpp>

#include "tt/grade/file_io.hpp"
#include "tt/grade/process.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

std::string cache_value(const std::string& cache, const std::string& key) {
  const auto pos = cache.find("\n" + key + ":");
  if (pos == std::string::npos) return {};
  const auto eq = cache.find('=', pos);
  const auto nl = cache.find('\n', eq);
  return cache.substr(eq + 1, nl - eq - 1);
}

Limits build_limits(double timeout) {
  Limits l;
  l.wall_seconds = timeout;
  l.output_keep = 4u << 20;
  l.output_kill = 0;
  return l;
}

}  // namespace

BuildResult configure_slot(const BuildConfig& cfg) {
  BuildResult r;
  const fs::path cache = cfg.build_dir / "CMakeCache.txt";
  std::error_code ec;
  if (fs::exists(cfg.build_dir / "build.ninja", ec) && fs::exists(cache, ec)) {
    std::string c = read_file(cache);
    c.insert(c.begin(), '\n');
    const bool same_course = fs::path(cache_value(c, "CMAKE_HOME_DIRECTORY")) == fs::path(cfg.course_root);
    if (same_course && fs::path(cache_value(c, "TT_SUBMISSION_ROOT")) == cfg.submission_root &&
        cache_value(c, "TT_SUBMISSION_LAUNCHER") == cfg.launcher &&
        cache_value(c, "TT_SUBMISSION_FALLBACK") == cfg.fallback && cache_value(c, "TT_ISA") == cfg.isa) {
      r.ok = true;  // ninja re-runs cmake by itself when the course's CMake files change
      return r;
    }
    // Another course starts afresh; a changed setting only re-runs cmake (about a second), and
    // only the targets whose commands change are rebuilt.
    if (!same_course) fs::remove(cache, ec);
  }
  fs::create_directories(cfg.build_dir);
  const std::vector<std::string> argv{"cmake",
                                      "-S",
                                      cfg.course_root.string(),
                                      "-B",
                                      cfg.build_dir.string(),
                                      "-G",
                                      "Ninja",
                                      "-DCMAKE_BUILD_TYPE=Release",
                                      "-DTT_SUBMISSION_ROOT=" + cfg.submission_root.string(),
                                      std::string("-DTT_SUBMISSION_INTEGRATED=") + (cfg.integrated ? "ON" : "OFF"),
                                      "-DTT_SUBMISSION_LAUNCHER=" + cfg.launcher,
                                      "-DTT_SUBMISSION_FALLBACK=" + cfg.fallback,
                                      "-DTT_ISA=" + cfg.isa,
                                      "-DTT_BUILD_GRADER=OFF",
                                      "-DTT_REGISTER_STUDENT_TESTS=OFF"};
  const auto p = run_process(cfg.sandbox.contained(argv), build_limits(cfg.timeout_seconds));
  r.seconds = p.seconds;
  r.ok = p.started && p.exit_code == 0 && !p.timed_out;
  if (!r.ok) r.errors = first_lines(p.error + p.output, 60);
  return r;
}

BuildResult build_targets(const BuildConfig& cfg, const std::vector<std::string>& targets, bool keep_going) {
  BuildResult r;
  std::vector<std::string> argv{"ninja", "-C", cfg.build_dir.string(), "-j", std::to_string(cfg.jobs)};
  if (keep_going) argv.insert(argv.end(), {"-k", "0"});
  argv.insert(argv.end(), targets.begin(), targets.end());
  const auto p = run_process(cfg.sandbox.contained(argv), build_limits(cfg.timeout_seconds));
  r.seconds = p.seconds;
  r.timed_out = p.timed_out;
  r.ok = p.started && p.exit_code == 0 && !p.timed_out;
  if (!r.ok) {
    r.errors = p.timed_out ? "error: build stopped: it took longer than " +
                                 std::to_string(static_cast<int>(cfg.timeout_seconds)) + " s\n"
                           : "";
    r.errors += trim_build_log(p.error + p.output, cfg);
  }
  return r;
}

std::string trim_build_log(const std::string& log, const BuildConfig& cfg, std::size_t max_lines) {
  std::string text = log;
  replace_all(text, cfg.submission_root.string() + "/", "modules/");
  replace_all(text, cfg.course_root.string() + "/", "");
  replace_all(text, cfg.build_dir.string() + "/", "");
  // Keep the compiler's messages (from the first "error" on), drop ninja's command lines.
  std::istringstream in(text);
  std::string line, out;
  std::size_t kept = 0;
  bool started = false;
  while (std::getline(in, line)) {
    if (!started && line.find("error") == std::string::npos && line.find("In function") == std::string::npos &&
        line.find("In file included") == std::string::npos)
      continue;
    const bool command_line = line.rfind("/usr/bin/", 0) == 0 || line.rfind("cd ", 0) == 0 ||
                              line.find(" -c ") != std::string::npos || line.find("build-step") != std::string::npos;
    if (command_line || line.rfind("FAILED:", 0) == 0 || line.rfind("ninja:", 0) == 0 || line.rfind('[', 0) == 0)
      continue;
    if (line.size() > 300) line = line.substr(0, 300) + " […]";
    started = true;
    out += line + "\n";
    if (++kept >= max_lines) {
      out += "[… more errors trimmed]\n";
      break;
    }
  }
  return out.empty() ? first_lines(text, max_lines) : out;
}

std::string to_string(Kind k) {
  switch (k) {
    case Kind::student:
      return "student";
    case Kind::solution:
      return "solution";
    case Kind::submission:
      return "submission";
  }
  return "student";
}

const TargetFile& ModuleTargets::program(const std::string& name) const {
  const auto it = programs.find(name);
  if (it == programs.end())
    throw std::runtime_error("the course builds no program '" + name + "' (module.json \"programs\")");
  return it->second;
}

std::optional<ModuleTargets> module_targets(const fs::path& build_dir, const std::string& module_name, Kind kind) {
  const fs::path file = build_dir / "tt-targets" / (module_name + ".json");
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  const auto j = nlohmann::json::parse(read_file(file), nullptr, false);
  if (j.is_discarded() || !j.contains("kinds") || !j["kinds"].contains(to_string(kind))) return std::nullopt;
  const auto& k = j["kinds"][to_string(kind)];
  auto target = [](const nlohmann::json& t) {
    return TargetFile{t.at("target").get<std::string>(), fs::path(t.at("file").get<std::string>())};
  };
  ModuleTargets m{target(k.at("library")), target(k.at("tests")), {}};
  if (k.contains("programs"))
    for (const auto& [name, t] : k.at("programs").items()) m.programs[name] = target(t);
  return m;
}

}  // namespace tt::grade
