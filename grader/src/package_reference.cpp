// The reference of a Gradescope package, compiled: the solution libraries of an assignment's
// modules, built at the package's ISA level and stripped of debug information. Not the zip
// (package.cpp) and not their use (cmake/tt_reference_lib.cmake imports them on Gradescope).
#include <algorithm>
#include <iostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "tt/grade/build.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/package.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr double kReferenceBuildSeconds = 3 * 3600;

void run_step(const std::vector<std::string>& argv, const std::string& what) {
  Limits l;
  l.wall_seconds = kReferenceBuildSeconds;
  l.output_keep = 1u << 20;
  l.output_kill = 0;
  const auto r = run_process(argv, l);
  if (!r.started || r.exit_code != 0 || r.timed_out)
    throw std::runtime_error(what + " failed" + (r.started ? "" : " to start (" + r.error + ")") + ":\n" +
                             first_lines(r.output, 40));
}

}  // namespace

std::vector<fs::path> build_reference_libraries(const GradescopePackage& p, const std::vector<std::string>& modules) {
  const fs::path dir = p.work_root / ("package-" + p.isa);
  std::cerr << "tt-grade: building the reference of modules";
  for (const auto& id : modules) std::cerr << " " << id;
  std::cerr << " at " << p.isa << " in " << dir.string() << " (slow the first time)\n";
  run_step({"cmake", "-S", p.course_root.string(), "-B", dir.string(), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
            "-DTT_ISA=" + p.isa, "-DTT_BUILD_GRADER=OFF", "-DTT_BUILD_ARENA=OFF", "-DTT_REGISTER_STUDENT_TESTS=OFF",
            "-DBUILD_TESTING=OFF"},
           "configuring the reference build");
  std::vector<std::string> ninja{"ninja", "-C", dir.string(), "-j", std::to_string(p.jobs)};
  std::vector<fs::path> built;
  for (const auto& m : discover_modules(p.course_root)) {
    if (std::find(modules.begin(), modules.end(), m.id) == modules.end()) continue;
    const auto t = module_targets(dir, m.name, Kind::solution);
    if (!t) throw std::runtime_error("the reference build has no solution library for module " + m.id);
    ninja.push_back(t->library.target);
    built.push_back(t->library.file);
  }
  run_step(ninja, "building the reference libraries");
  // Copies without debug information (no source paths or line tables), under the names CMake expects.
  const fs::path out = dir / kReferenceLibDir;
  fs::remove_all(out);
  fs::create_directories(out);
  std::vector<fs::path> files;
  for (const auto& lib : built) {
    const fs::path dst = out / lib.filename();
    run_step({"strip", "--strip-debug", "-o", dst.string(), lib.string()}, "strip " + lib.filename().string());
    files.push_back(dst);
  }
  auto about = nlohmann::json::parse(read_file(dir / "tt-targets" / "build.json"));
  about["schema"] = "tt-reference-lib/1";
  about["modules"] = modules;
  write_file_atomically(out / "reference.json", about.dump(2) + "\n");
  files.push_back(out / "reference.json");
  return files;
}

}  // namespace tt::grade
