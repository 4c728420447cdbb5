// bubblewrap command lines (handed over on fd 3, so /proc/1/cmdline inside shows no host path),
// the probe that decides whether bubblewrap works here, and the runtime jail.
// Not a security boundary against the kernel: it is the standard unprivileged namespace sandbox.
#include "tt/grade/sandbox.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include <sys/mman.h>
#include <unistd.h>

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr const char* kHostName = "tt-sandbox";
constexpr const char* kSandboxUid = "65534";  // "nobody": no host user name or id inside

// True when `p` is `root` or lies below it.
bool within(const fs::path& p, const fs::path& root) {
  const auto rel = p.lexically_normal().lexically_relative(root.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

// The system every sandboxed command sees, read-only.
std::vector<std::string> system_options(std::size_t tmp_bytes) {
  std::vector<std::string> o{"--unshare-all", "--die-with-parent", "--new-session", "--hostname", kHostName,
                             "--uid",         kSandboxUid,         "--gid",         kSandboxUid,  "--clearenv"};
  o.insert(o.end(), {"--ro-bind", "/usr", "/usr"});
  for (const char* link : {"lib", "lib64", "lib32", "libx32", "bin", "sbin"}) {
    const fs::path p = fs::path("/") / link;
    std::error_code ec;
    if (fs::is_symlink(p, ec))
      o.insert(o.end(), {"--symlink", fs::read_symlink(p).string(), p.string()});
    else if (fs::is_directory(p, ec))
      o.insert(o.end(), {"--ro-bind", p.string(), p.string()});
  }
  // The dynamic loader's cache and Debian's alternatives (c++, libblas.so.3, … are links there).
  for (const char* f : {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives"})
    if (fs::exists(f)) o.insert(o.end(), {"--ro-bind", f, f});
  // OpenBLAS and the timers read the CPU topology.
  if (fs::exists("/sys/devices/system/cpu"))
    o.insert(o.end(), {"--ro-bind", "/sys/devices/system/cpu", "/sys/devices/system/cpu"});
  o.insert(o.end(), {"--proc", "/proc", "--dev", "/dev", "--size", std::to_string(tmp_bytes), "--tmpfs", "/tmp"});
  return o;
}

// The bubblewrap options for a jail, NUL-separated (for --args).
std::string bwrap_args(const Jail& jail, std::size_t tmp_bytes) {
  std::vector<std::string> o = system_options(tmp_bytes);
  for (const auto& d : jail.dirs) o.insert(o.end(), {"--dir", d.string()});
  // Parents before children, so a writable folder inside a read-only tree is bound after it.
  std::vector<Mount> mounts = jail.mounts;
  std::stable_sort(mounts.begin(), mounts.end(), [](const Mount& a, const Mount& b) {
    return std::distance(a.inside.begin(), a.inside.end()) < std::distance(b.inside.begin(), b.inside.end());
  });
  std::vector<fs::path> covered;  // hidden folders: nothing inside them needs covering again
  for (const auto& m : mounts) {
    if (m.access == Mount::Access::hidden) {
      if (std::any_of(covered.begin(), covered.end(), [&](const fs::path& c) { return within(m.inside, c); })) continue;
      covered.push_back(m.inside);
    }
    switch (m.access) {
      case Mount::Access::read_only:
        o.insert(o.end(), {"--ro-bind", m.host.string(), m.inside.string()});
        break;
      case Mount::Access::writable:
        o.insert(o.end(), {"--bind", m.host.string(), m.inside.string()});
        break;
      case Mount::Access::hidden:
        if (fs::is_directory(m.host.empty() ? m.inside : m.host))
          o.insert(o.end(), {"--tmpfs", m.inside.string(), "--remount-ro", m.inside.string()});
        else
          o.insert(o.end(), {"--ro-bind", "/dev/null", m.inside.string()});
        break;
    }
  }
  for (const auto& [k, v] : fixed_environment()) o.insert(o.end(), {"--setenv", k, v});
  for (const auto& [k, v] : jail.env) o.insert(o.end(), {"--setenv", k, v});
  o.insert(o.end(), {"--chdir", jail.cwd.string()});
  std::string out;
  for (const auto& a : o) {
    out += a;
    out.push_back('\0');
  }
  return out;
}

// An anonymous in-memory file holding `data`, positioned at its start.
int memfd_with(const std::string& data) {
  const int fd = memfd_create("tt-bwrap-args", MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error("memfd_create failed");
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      close(fd);
      throw std::runtime_error("cannot write the sandbox's arguments");
    }
    done += static_cast<std::size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

}  // namespace

std::string to_string(SandboxPolicy p) {
  switch (p) {
    case SandboxPolicy::require:
      return "require";
    case SandboxPolicy::prefer:
      return "prefer";
    case SandboxPolicy::off:
      return "off";
  }
  return "require";
}

SandboxPolicy sandbox_policy_from_string(const std::string& s) {
  for (auto p : {SandboxPolicy::require, SandboxPolicy::prefer, SandboxPolicy::off})
    if (to_string(p) == s) return p;
  throw std::invalid_argument("unknown sandbox policy '" + s + "' (require, prefer or off)");
}

Jail& Jail::ro(const fs::path& host, const fs::path& in) {
  mounts.push_back({host, in, Mount::Access::read_only});
  return *this;
}
Jail& Jail::rw(const fs::path& host, const fs::path& in) {
  mounts.push_back({host, in, Mount::Access::writable});
  return *this;
}
Jail& Jail::hide(const fs::path& in) {
  mounts.push_back({in, in, Mount::Access::hidden});
  return *this;
}

std::vector<std::pair<std::string, std::string>> fixed_environment() {
  return {{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"TMPDIR", "/tmp"}, {"LANG", "C.UTF-8"}};
}

std::string Sandbox::inside(const Jail& jail, const fs::path& host) const {
  if (!bubblewrap) return host.string();
  const Mount* best = nullptr;
  for (const auto& m : jail.mounts)
    if (m.access != Mount::Access::hidden && (host == m.host || within(host, m.host)))
      if (!best || std::distance(m.host.begin(), m.host.end()) > std::distance(best->host.begin(), best->host.end()))
        best = &m;
  if (!best) throw std::logic_error("the sandbox does not show " + host.string());
  const auto rel = host.lexically_normal().lexically_relative(best->host.lexically_normal());
  return (rel.empty() || rel == "." ? best->inside : best->inside / rel).string();
}

std::unique_ptr<Child> Sandbox::start(const Jail& jail, const std::vector<std::string>& argv, const Limits& limits,
                                      const SpawnOptions& extra) const {
  SpawnOptions s = extra;
  if (!bubblewrap) {
    // The host folder behind jail.cwd (a mount's, or the same path), else the temporary folder.
    for (const auto& m : jail.mounts)
      if (m.inside == jail.cwd && m.access != Mount::Access::hidden) s.cwd = m.host.string();
    std::error_code ec;
    if (s.cwd.empty()) s.cwd = fs::is_directory(jail.cwd, ec) ? jail.cwd.string() : fs::temp_directory_path().string();
    for (const auto& [k, v] : jail.env) s.env.push_back(k + "=" + v);
    return std::make_unique<Child>(argv, limits, s);
  }
  const int args = memfd_with(bwrap_args(jail, tmp_bytes));
  s.fds.emplace_back(args, 3);
  std::vector<std::string> cmd{"bwrap", "--args", "3", "--"};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  auto child = std::make_unique<Child>(cmd, limits, s);
  close(args);  // the child has its own copy
  return child;
}

ProcessResult Sandbox::run(const Jail& jail, const std::vector<std::string>& argv, const Limits& limits) const {
  return start(jail, argv, limits)->wait(limits.wall_seconds);
}

namespace {

// util-linux's unshare with a PID namespace of its own and a fresh /proc (bubblewrap inside needs
// one: it finds its children there); as root directly, otherwise inside a user namespace. Empty
// when neither works here.
const std::vector<std::string>& containment_prefix() {
  static const std::vector<std::string> prefix = [] {
    const std::vector<std::vector<std::string>> forms{
        {"unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--"},
        {"unshare", "--user", "--map-current-user", "--pid", "--fork", "--mount-proc", "--kill-child", "--"}};
    for (const auto& f : forms) {
      std::vector<std::string> probe = f;
      probe.push_back("true");
      Limits l;
      l.wall_seconds = 10;
      const auto r = run_process(probe, l);
      if (r.started && r.exit_code == 0) return f;
    }
    return std::vector<std::string>{};
  }();
  return prefix;
}

}  // namespace

std::vector<std::string> Sandbox::contained(const std::vector<std::string>& argv) const {
  if (!bubblewrap || containment_prefix().empty()) return argv;
  std::vector<std::string> cmd = containment_prefix();
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  return cmd;
}

const std::string& bubblewrap_problem() {
  static const std::string problem = [] {
    Limits l;
    l.wall_seconds = 10;
    Sandbox probe;
    probe.bubblewrap = true;
    const auto r = probe.run(Jail{}, {"/usr/bin/true"}, l);
    if (!r.started) return "bubblewrap could not be started (" + r.error + ")";
    if (r.exit_code == 127 && r.output.find("cannot execute") != std::string::npos)
      return std::string("bubblewrap (bwrap) is not installed");
    if (r.exit_code != 0)
      return "bubblewrap cannot create its namespaces here: " + first_lines(r.output, 3) +
             "(unprivileged user namespaces may be disabled)";
    return std::string();
  }();
  return problem;
}

Sandbox make_sandbox(SandboxPolicy policy) {
  Sandbox s;
  s.policy = policy;
  s.bubblewrap = policy != SandboxPolicy::off && bubblewrap_usable();
  if (s.bubblewrap) {
    s.description =
        "bubblewrap: builds, tests, performance and capstone runs see the system read-only, a private /tmp, "
        "no network and only the files they need";
  } else if (policy == SandboxPolicy::off) {
    s.description = "NONE (turned off with --no-sandbox): student code ran with rlimits and timeouts only";
  } else if (policy == SandboxPolicy::prefer) {
    s.description = "NONE (" + bubblewrap_problem() +
                    "; allowed with --allow-unsandboxed): student code ran with rlimits and timeouts only";
  } else {
    throw SandboxUnavailable(bubblewrap_problem() +
                             ". tt-grade refuses to build and run student code without its sandbox: install "
                             "bubblewrap (./scripts/setup) and allow unprivileged user namespaces, or pass "
                             "--allow-unsandboxed to grade anyway (every report will say so).");
  }
  return s;
}

fs::path stage_program(const fs::path& exe, const fs::path& bin_dir) {
  fs::create_directories(bin_dir);
  fs::path dst = bin_dir / exe.filename();
  std::error_code ec;
  if (fs::exists(dst, ec) && fs::file_size(dst, ec) == fs::file_size(exe, ec) &&
      fs::last_write_time(dst, ec) >= fs::last_write_time(exe, ec))
    return dst;
  fs::copy_file(exe, dst, fs::copy_options::overwrite_existing);
  return dst;
}

Jail runtime_jail(const fs::path& bin, const fs::path& out) {
  Jail j;
  j.ro(bin, "/tt/bin").rw(out, "/tt/out");
  j.cwd = "/tt/out";
  if (const char* data = std::getenv("TT_DATA_DIR"); data && *data) {
    if (within(data, "/usr"))
      j.env.push_back({"TT_DATA_DIR", data});
    else if (fs::is_directory(data)) {
      j.ro(data, "/tt/data");
      j.env.push_back({"TT_DATA_DIR", "/tt/data"});
    }
  }
  return j;
}

}  // namespace tt::grade
