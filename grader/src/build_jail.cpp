// build-step: one compile or link of a submission, jailed and limited, launched by ninja.
// Not a compiler wrapper that changes flags: the command runs exactly as CMake wrote it.
#include "tt/grade/build_jail.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <iostream>
#include <stdexcept>

#include <sys/prctl.h>

#include <nlohmann/json.hpp>

#include "tt/grade/file_io.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> paths_to_strings(const std::vector<fs::path>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const auto& p : v) out.push_back(p.string());
  return out;
}

std::vector<fs::path> strings_to_paths(const json& j) {
  std::vector<fs::path> out;
  for (const auto& s : j) out.emplace_back(s.get<std::string>());
  return out;
}

bool within(const fs::path& p, const fs::path& root) {
  const auto rel = p.lexically_normal().lexically_relative(root.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

// The value after `flag` in argv (empty when absent).
std::string arg_after(const std::vector<std::string>& argv, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == flag) return argv[i + 1];
  return {};
}

// What a step works on, for messages: the source of a compile, the output of a link.
std::string subject(const BuildPolicy& p, BuildStep step, const std::vector<std::string>& argv) {
  std::string s = step == BuildStep::compile ? arg_after(argv, "-c") : arg_after(argv, "-o");
  if (s.empty() && argv.size() > 2) s = argv[2];  // ar qc LIBRARY …
  fs::path path(s);
  if (within(path, p.student_root)) return path.lexically_relative(p.student_root).string();
  for (const auto& d : p.public_dirs)
    if (within(path, d)) return (d.filename() / path.lexically_relative(d)).string();
  return path.filename().string();
}

std::string gib(std::size_t bytes) {
  const double g = static_cast<double>(bytes) / double(std::size_t{1} << 30);
  if (g >= 1) return std::to_string(std::lround(g)) + " GiB";
  return std::to_string(bytes >> 20) + " MiB";
}

}  // namespace

void write_build_policy(const fs::path& file, const BuildPolicy& p) {
  const json j{{"schema", "tt-build-policy/1"},
               {"bubblewrap", p.bubblewrap},
               {"public_dirs", paths_to_strings(p.public_dirs)},
               {"hidden", paths_to_strings(p.hidden)},
               {"secret", paths_to_strings(p.secret)},
               {"student_root", p.student_root.string()},
               {"build_dir", p.build_dir.string()},
               {"output_dir", p.output_dir.string()},
               {"tmp_bytes", p.tmp_bytes},
               {"limits",
                {{"cpu_seconds", p.limits.cpu_seconds},
                 {"memory_bytes", p.limits.memory_bytes},
                 {"file_bytes", p.limits.file_bytes},
                 {"output_bytes", p.limits.output_bytes},
                 {"wall_seconds", p.limits.wall_seconds}}}};
  write_file_atomically(file, j.dump(2) + "\n");
}

BuildPolicy read_build_policy(const fs::path& file) {
  try {
    const json j = json::parse(read_file(file));
    BuildPolicy p;
    p.bubblewrap = j.at("bubblewrap").get<bool>();
    p.public_dirs = strings_to_paths(j.at("public_dirs"));
    p.hidden = strings_to_paths(j.at("hidden"));
    p.secret = strings_to_paths(j.at("secret"));
    p.student_root = j.at("student_root").get<std::string>();
    p.build_dir = j.at("build_dir").get<std::string>();
    p.output_dir = j.at("output_dir").get<std::string>();
    p.tmp_bytes = j.at("tmp_bytes").get<std::size_t>();
    const json& l = j.at("limits");
    p.limits.cpu_seconds = l.at("cpu_seconds").get<long>();
    p.limits.memory_bytes = l.at("memory_bytes").get<std::size_t>();
    p.limits.file_bytes = l.at("file_bytes").get<std::size_t>();
    p.limits.output_bytes = l.at("output_bytes").get<std::size_t>();
    p.limits.wall_seconds = l.at("wall_seconds").get<double>();
    return p;
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot read the build policy " + file.string() + ": " + e.what());
  }
}

Jail build_step_jail(const BuildPolicy& p, BuildStep step, const std::vector<std::string>& argv, const fs::path& cwd) {
  Jail j;
  j.cwd = cwd;
  j.dirs.push_back(cwd);
  auto absolute = [&](const std::string& s) { return (cwd / s).lexically_normal(); };
  if (step == BuildStep::compile) {
    for (const auto& d : p.public_dirs)
      if (fs::exists(d)) j.ro(d);
    for (const auto& h : p.hidden)
      if (fs::exists(h)) j.hide(h);
    j.ro(p.student_root);
    // Include folders the course's CMake gave the command (e.g. a header library beside the
    // course), unless they are secret or the build's own.
    for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
      std::string dir;
      if (argv[i] == "-I" || argv[i] == "-isystem") dir = argv[i + 1];
      if (argv[i].rfind("-I", 0) == 0 && argv[i].size() > 2) dir = argv[i].substr(2);
      if (dir.empty()) continue;
      const fs::path d = absolute(dir);
      const bool secret = std::any_of(p.secret.begin(), p.secret.end(),
                                      [&](const fs::path& s) { return d == s || within(d, s) || within(s, d); });
      if (!secret && !within(d, p.build_dir) && !within(d, "/usr") && fs::is_directory(d)) j.ro(d);
    }
    // The compiler writes its object and dependency file, nothing else.
    std::vector<fs::path> writable;
    for (const char* flag : {"-o", "-MF"}) {
      const std::string out = arg_after(argv, flag);
      if (out.empty()) continue;
      const fs::path dir = absolute(out).parent_path();
      if (!within(dir, p.build_dir))
        throw std::runtime_error("build-step: a compile writes outside the build folder: " + out);
      j.rw(dir);
      writable.push_back(dir);
    }
    // The library's precompiled header (-include FILE, FILE.gch: built by the grader's build from
    // public headers), unless this command is the one that makes it.
    for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
      if (argv[i] != "-include") continue;
      const fs::path header = absolute(argv[i + 1]);
      if (!within(header, p.build_dir)) continue;  // a public header is already visible
      if (std::any_of(writable.begin(), writable.end(), [&](const fs::path& w) { return within(header, w); })) continue;
      for (const fs::path& f : {header, fs::path(header.string() + ".gch")})
        if (fs::exists(f)) j.ro(f);
    }
  } else {
    j.ro(p.build_dir);
    fs::create_directories(p.output_dir);
    j.rw(p.output_dir);
    // Objects the course links from elsewhere (prebuilt, given by absolute path).
    for (const auto& a : argv) {
      const fs::path f(a);
      const auto ext = f.extension();
      if (f.is_absolute() && (ext == ".o" || ext == ".a") && !within(f, p.build_dir) && !within(f, "/usr") &&
          fs::is_regular_file(f))
        j.ro(f);
    }
  }
  return j;
}

std::string build_limit_message(const ProcessResult& r, const BuildPolicy& p, BuildStep step,
                                const std::vector<std::string>& argv) {
  const std::string what = (step == BuildStep::compile ? "compile " : "link ") + std::string(kBuildStepStopped);
  const std::string where = " (" + subject(p, step, argv) + ")";
  const int sig = r.signal ? r.signal : (r.exit_code > 128 && r.exit_code < 128 + 65 ? r.exit_code - 128 : 0);
  if (r.timed_out)
    return what + "took longer than " + std::to_string(static_cast<int>(p.limits.wall_seconds)) + " s" + where;
  if (r.output_limit) return what + "wrote more than " + gib(p.limits.output_bytes) + " of messages" + where;
  if (sig == SIGXCPU || r.output.find("CPU time limit exceeded") != std::string::npos)
    return what + "exceeded the " + std::to_string(p.limits.cpu_seconds) + " s CPU time limit" + where;
  if (sig == SIGXFSZ || r.output.find("File size limit exceeded") != std::string::npos)
    return what + "wrote a file larger than " + gib(p.limits.file_bytes) + where;
  if (r.exit_code != 0 && mentions_out_of_memory(r.output))
    return what + "exceeded the " + gib(p.limits.memory_bytes) + " memory limit" + where;
  return {};
}

int build_step_main(const fs::path& policy_file, const std::string& step_name, const std::vector<std::string>& argv) {
  // Ends with ninja: a build stopped by the grader leaves no compiler running.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (argv.empty()) {
    std::cerr << "tt-grade build-step: no command given\n";
    return 2;
  }
  const BuildStep step = step_name == "link" ? BuildStep::link : BuildStep::compile;
  const BuildPolicy p = read_build_policy(policy_file);
  Sandbox box;
  box.bubblewrap = p.bubblewrap;
  box.tmp_bytes = p.tmp_bytes;
  Limits l;
  l.wall_seconds = p.limits.wall_seconds;
  l.cpu_seconds = p.limits.cpu_seconds;
  l.address_space = p.limits.memory_bytes;
  l.file_size = p.limits.file_bytes;
  l.output_keep = std::size_t{256} * 1024;
  l.output_kill = p.limits.output_bytes;
  const auto r = box.run(build_step_jail(p, step, argv, fs::current_path()), argv, l);
  std::cout << r.output;
  const std::string stopped = build_limit_message(r, p, step, argv);
  if (!stopped.empty()) {
    std::cout << "error: " << stopped << std::endl;
    return 1;
  }
  if (!r.started) {
    std::cout << "error: build-step could not start " << argv.front() << ": " << r.error << std::endl;
    return 1;
  }
  if (r.signal) return 128 + r.signal;
  return r.exit_code;
}

}  // namespace tt::grade
