// The sandbox every command that touches student input runs in: bubblewrap with a fixed, minimal
// view (the system read-only, a private /tmp, no network, its own PID and user namespaces, a
// neutral host name, a fixed environment) plus the mounts a Jail lists; or, only when the
// instructor allowed it, no sandbox at all (rlimits and timeouts only; every report says so).
// Not the resource limits themselves (process.hpp applies those), and not what a build or a test
// needs to see (build_jail.hpp and runtime_jail() decide that).
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tt/grade/process.hpp"

namespace tt::grade {

// How the grader may run student code, as the instructor asked (--allow-unsandboxed, --no-sandbox).
enum class SandboxPolicy {
  require,  // bubblewrap or refuse to grade (the default)
  prefer,   // bubblewrap when it works, otherwise none, and the reports say so
  off,      // none, on purpose (the reports say so)
};
std::string to_string(SandboxPolicy p);
SandboxPolicy sandbox_policy_from_string(const std::string& s);  // throws std::invalid_argument

// One host path shown inside the sandbox.
struct Mount {
  enum class Access { read_only, writable, hidden };  // hidden: an empty file or directory over it
  std::filesystem::path host;                         // what is shown (unused for hidden)
  std::filesystem::path inside;                       // where; for hidden, the path to cover
  Access access = Access::read_only;
};

// What one sandboxed command sees besides the system: its mounts, working directory and the
// variables added to the fixed environment (PATH, HOME=/tmp, TMPDIR=/tmp, LANG=C.UTF-8).
struct Jail {
  std::vector<Mount> mounts;
  std::filesystem::path cwd = "/tmp";  // inside path (must exist inside)
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::filesystem::path> dirs;  // empty directories created inside (e.g. a cwd with no mount)

  Jail& ro(const std::filesystem::path& host, const std::filesystem::path& inside);
  Jail& ro(const std::filesystem::path& same) { return ro(same, same); }
  Jail& rw(const std::filesystem::path& host, const std::filesystem::path& inside);
  Jail& rw(const std::filesystem::path& same) { return rw(same, same); }
  Jail& hide(const std::filesystem::path& inside);
};

struct Sandbox {
  bool bubblewrap = false;
  SandboxPolicy policy = SandboxPolicy::require;
  std::string description;             // for the reports
  std::size_t tmp_bytes = 256u << 20;  // size of the private /tmp

  // Where `host` appears inside this sandbox under `jail` (the longest mount that holds it);
  // the host path itself when there is no sandbox. Throws std::logic_error for a path the jail
  // does not show (a grader bug, not student input).
  std::string inside(const Jail& jail, const std::filesystem::path& host) const;
  // Runs argv (inside paths) under `limits`. Without bubblewrap: in the host path of jail.cwd
  // with only the jail's environment.
  ProcessResult run(const Jail& jail, const std::vector<std::string>& argv, const Limits& limits) const;
  // Starts argv the same way and returns at once (a program the grader talks to); `extra` adds
  // open files (their numbers stay the same inside) and a CPU to pin it to.
  std::unique_ptr<Child> start(const Jail& jail, const std::vector<std::string>& argv, const Limits& limits,
                               const SpawnOptions& extra = {}) const;
  // argv wrapped so that it and every process it starts live in one PID namespace, killed as a
  // whole when the command or its caller dies (builds, batch children); argv itself unchanged
  // without bubblewrap. Not isolation: the host stays visible.
  std::vector<std::string> contained(const std::vector<std::string>& argv) const;
};

// Probes bubblewrap once (it can be installed yet unusable, e.g. without user namespaces);
// empty when usable, else one sentence saying why not.
const std::string& bubblewrap_problem();
inline bool bubblewrap_usable() { return bubblewrap_problem().empty(); }

struct SandboxUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The sandbox the policy asks for. Throws SandboxUnavailable (policy require, bubblewrap unusable)
// with one sentence saying why and what to do.
Sandbox make_sandbox(SandboxPolicy policy);

// The runtime jail of a test, performance or capstone run: `bin` (the program's folder, a copy
// the grader staged outside the course and work trees) read-only at /tt/bin, `out` writable at
// /tt/out (cwd), the data set at /tt/data when TT_DATA_DIR points outside /usr.
Jail runtime_jail(const std::filesystem::path& bin, const std::filesystem::path& out);

// Copies a built program into bin_dir (a folder of the grade's scratch space, outside the course
// and work trees, so no mount inside the sandbox names a host path of the instructor's) unless an
// identical copy is there; returns the copy's path.
std::filesystem::path stage_program(const std::filesystem::path& exe, const std::filesystem::path& bin_dir);

// The variables every sandboxed command starts from.
std::vector<std::pair<std::string, std::string>> fixed_environment();

}  // namespace tt::grade
