// bubblewrap command lines for one test process, and the probe that decides whether to use it.
// Not a security boundary against the kernel: it is the standard unprivileged namespace sandbox.
#include "tt/grade/sandbox.hpp"

#include <cstdlib>

#include "tt/grade/process.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

const char* kPassEnv[] = {"TT_DATA_DIR", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "LANG"};

}  // namespace

bool bubblewrap_usable() {
  static const bool usable = [] {
    Limits l;
    l.wall_seconds = 10;
    const auto r = run_process({"bwrap", "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"}, l);
    return r.started && r.exit_code == 0;
  }();
  return usable;
}

std::vector<std::string> Sandbox::wrap(const std::vector<std::string>& argv, const fs::path& writable) const {
  if (!bubblewrap) return argv;
  std::vector<std::string> cmd{"bwrap",      "--unshare-all", "--die-with-parent", "--new-session",
                               "--cap-drop", "ALL",           "--clearenv"};
  cmd.insert(cmd.end(), {"--ro-bind", "/usr", "/usr"});
  for (const char* link : {"lib", "lib64", "bin", "sbin"}) {
    const fs::path p = fs::path("/") / link;
    if (fs::is_symlink(p))
      cmd.insert(cmd.end(), {"--symlink", fs::read_symlink(p).string(), p.string()});
    else if (fs::is_directory(p))
      cmd.insert(cmd.end(), {"--ro-bind", p.string(), p.string()});
  }
  for (const char* f : {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/alternatives", "/etc/ld.so.conf.d"})
    if (fs::exists(f)) cmd.insert(cmd.end(), {"--ro-bind", f, f});
  // OpenBLAS and the timer read the CPU topology.
  if (fs::exists("/sys/devices/system/cpu"))
    cmd.insert(cmd.end(), {"--ro-bind", "/sys/devices/system/cpu", "/sys/devices/system/cpu"});
  cmd.insert(cmd.end(), {"--proc", "/proc", "--dev", "/dev", "--size", std::to_string(tmp_bytes), "--tmpfs", "/tmp"});
  for (const auto& p : readonly)
    if (fs::exists(p)) cmd.insert(cmd.end(), {"--ro-bind", p.string(), p.string()});
  // The executable itself (its directory stays hidden: it holds the reference objects).
  const fs::path exe = fs::absolute(argv.front());
  cmd.insert(cmd.end(), {"--ro-bind", exe.string(), exe.string()});
  cmd.insert(cmd.end(), {"--bind", writable.string(), writable.string()});
  cmd.insert(cmd.end(), {"--chdir", "/tmp", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--setenv",
                         "PATH", "/usr/bin:/bin"});
  for (const char* name : kPassEnv)
    if (const char* v = std::getenv(name)) cmd.insert(cmd.end(), {"--setenv", name, v});
  cmd.emplace_back("--");
  cmd.push_back(exe.string());
  cmd.insert(cmd.end(), argv.begin() + 1, argv.end());
  return cmd;
}

std::vector<std::string> Sandbox::plain_env() const { return {"TMPDIR=/tmp"}; }

ProcessResult Sandbox::run(const std::vector<std::string>& argv, const std::filesystem::path& writable,
                           const Limits& limits) const {
  return run_process(wrap(argv, writable), limits, bubblewrap ? "" : writable.string(),
                     bubblewrap ? std::vector<std::string>{} : plain_env());
}

Sandbox make_sandbox(const fs::path& course_root, bool allow_bubblewrap) {
  Sandbox s;
  s.readonly = {course_root / "modules", course_root / "common"};
  if (const char* data = std::getenv("TT_DATA_DIR")) s.readonly.emplace_back(data);
  s.bubblewrap = allow_bubblewrap && bubblewrap_usable();
  s.description = s.bubblewrap
                      ? "bubblewrap: no network, private /tmp, read-only system and course tree, nothing else visible"
                      : (allow_bubblewrap ? "none (bubblewrap is not usable here): rlimits and timeout only"
                                          : "none (disabled with --no-sandbox): rlimits and timeout only");
  return s;
}

}  // namespace tt::grade
