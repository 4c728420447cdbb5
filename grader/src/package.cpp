// The Gradescope autograder zip of one assignment (one module), written with libarchive: the
// scripts, the part of the course tree that module needs, and the reference as compiled
// libraries. Not run on Gradescope itself: setup.sh and run_autograder are, inside its image.
#include "tt/grade/package.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>

#include "tt/grade/file_io.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;

void add_entry(archive* a, const std::string& path, const std::string& data, int mode) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(e.get(), path.c_str());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), mode);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a));
  archive_write_data(a, data.data(), data.size());
}

// The course files an assignment's autograder needs, relative to the course root: the build, the
// core, the grader and the portfolio library it links (without their tests, the portfolio's
// screenshots and example), the setup script and the assignment's modules. Never solutions/ (the
// reference goes in compiled), the arena, docs, build folders (build*/, not a file such as
// grader/src/build.cpp) or dot-folders.
bool packaged(const fs::path& rel, const std::set<std::string>& module_names, bool is_dir) {
  const std::string top = rel.begin()->string();
  if (top.empty() || (top[0] == '.' && top != ".clang-format") || top.rfind("build", 0) == 0) return false;
  static const std::set<std::string> files{"CMakeLists.txt", "CMakePresets.json", ".clang-format"};
  static const std::set<std::string> dirs{"cmake", "common", "grader", "modules", "portfolio", "scripts"};
  static const std::set<std::string> left_out{"grader/tests", "portfolio/tests", "portfolio/docs", "portfolio/example"};
  if (rel == fs::path(top)) return files.count(top) > 0 || dirs.count(top) > 0;
  if (!dirs.count(top)) return false;
  auto second = std::next(rel.begin());
  if (left_out.count(top + "/" + second->string())) return false;
  if (top == "modules") return module_names.count(second->string()) > 0;
  if (top == "scripts") return second->string() == "setup";
  const fs::path dirs_of = is_dir ? rel : rel.parent_path();
  const bool hidden_file = !is_dir && rel.filename().string()[0] == '.';
  return !hidden_file && std::none_of(dirs_of.begin(), dirs_of.end(), [](const fs::path& p) {
    const std::string s = p.string();
    return s.empty() || s[0] == '.' || s.rfind("build", 0) == 0;
  });
}

std::size_t add_course_files(archive* a, const fs::path& root, const std::set<std::string>& module_names) {
  std::size_t files = 0;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path rel = it->path().lexically_relative(root);
    if (!packaged(rel, module_names, it->is_directory())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || it->is_symlink()) continue;
    const bool exec = (it->status().permissions() & fs::perms::owner_exec) != fs::perms::none;
    add_entry(a, "course/" + rel.generic_string(), read_file(it->path()), exec ? 0755 : 0644);
    ++files;
  }
  return files;
}

void check_package(const GradescopePackage& p) {
  if (!fs::exists(p.course_root / "grader") || !fs::exists(p.course_root / "modules"))
    throw std::runtime_error(p.course_root.string() + " is not a course tree (no grader/ or modules/)");
  if (!fs::is_directory(p.course_root / "solutions"))
    throw std::runtime_error(p.course_root.string() +
                             " has no solutions/: a package needs the reference to compile it (package from the "
                             "instructor's tree, not a student release)");
  const auto& levels = kPackageIsaLevels;
  if (std::find(std::begin(levels), std::end(levels), p.isa) == std::end(levels))
    throw std::runtime_error(
        "--isa " + p.isa +
        ": a package targets a portable level, one of x86-64-v2, x86-64-v3 (default), x86-64-v4, armv8-a "
        "(Gradescope builds the image on one machine and runs it on others, so not native)");
}

[[noreturn]] void no_such_module(const std::string& id, const std::vector<Manifest>& all) {
  std::string known;
  for (const auto& m : all) known.append(known.empty() ? "" : ", ").append(m.id);
  throw std::runtime_error("--module " + id + ": the course has no such module (it has " + known + ")");
}

}  // namespace

std::vector<std::string> package_modules(const fs::path& course_root, const std::string& module) {
  const auto all = discover_modules(course_root);
  std::set<std::string> seen;
  std::vector<std::string> todo{module};
  while (!todo.empty()) {
    const std::string id = todo.back();
    todo.pop_back();
    const auto m = std::find_if(all.begin(), all.end(), [&](const Manifest& x) { return x.id == id; });
    if (m == all.end()) no_such_module(id, all);
    if (!seen.insert(id).second) continue;
    if (!has_solution(course_root, *m))
      throw std::runtime_error("module " + id + " has no reference in solutions/: the package cannot grade it");
    todo.insert(todo.end(), m->depends_on.begin(), m->depends_on.end());
  }
  std::vector<std::string> out(seen.begin(), seen.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return std::stoi(a) < std::stoi(b); });
  return out;
}

std::size_t write_gradescope_package(const GradescopePackage& p, const std::vector<std::string>& modules,
                                     const std::vector<fs::path>& libraries) {
  std::set<std::string> names;
  for (const auto& m : discover_modules(p.course_root))
    if (std::find(modules.begin(), modules.end(), m.id) != modules.end()) names.insert(m.name);
  const auto manual = manual_grading(p);

  ArchivePtr a(archive_write_new(), archive_write_free);
  archive_write_set_format_zip(a.get());
  const fs::path tmp = p.out_zip.string() + ".tmp";
  if (archive_write_open_filename(a.get(), tmp.c_str()) != ARCHIVE_OK)
    throw std::runtime_error("cannot write " + tmp.string());
  add_entry(a.get(), "setup.sh", gradescope_setup_sh(p), 0755);
  add_entry(a.get(), "run_autograder", gradescope_run_autograder(p), 0755);
  nlohmann::json made = grading_context();
  made.erase("isa");  // the maker's own build level, not the package's (p.isa) that everything here is built at
  const nlohmann::json about{
      {"schema", "tt-gradescope-package/1"},      {"module", p.module}, {"modules", modules}, {"isa", p.isa},
      {"allow_unsandboxed", p.allow_unsandboxed}, {"made", made}};
  add_entry(a.get(), "package.json", about.dump(2) + "\n", 0644);
  if (manual) {
    add_entry(a.get(), "manual-grading.md", manual->markdown, 0644);
    add_entry(a.get(), "manual-grading.json", manual->json, 0644);
  }
  const std::size_t files = add_course_files(a.get(), p.course_root, names);
  for (const auto& lib : libraries)
    add_entry(a.get(), std::string("course/") + kReferenceLibDir + "/" + lib.filename().string(), read_file(lib), 0644);
  if (archive_write_close(a.get()) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a.get()));
  fs::rename(tmp, p.out_zip);
  // The instructor reads the questions without unpacking the zip.
  if (manual) write_file_atomically(manual_grading_beside(p.out_zip), manual->markdown);
  return files;
}

int package_gradescope(const GradescopePackage& p) {
  check_package(p);
  const auto ids = package_modules(p.course_root, p.module);
  const auto libraries = build_reference_libraries(p, ids);
  const std::size_t files = write_gradescope_package(p, ids, libraries);
  std::cout << "wrote " << p.out_zip.string() << " (module " << p.module << ", modules " << ids.size() << ", " << files
            << " course files, " << libraries.size() - 1 << " reference libraries at " << p.isa
            << (p.allow_unsandboxed ? ", grades WITHOUT a sandbox where bubblewrap cannot run" : "") << ")\n";
  if (fs::exists(manual_grading_beside(p.out_zip)))
    std::cout << "wrote " << manual_grading_beside(p.out_zip).string()
              << " (the portfolio rubric as the assignment's manual-grading questions: create them in Gradescope)\n";
  else
    std::cout << "no manual-grading questions: the course has no portfolio/rubric.json\n";
  return 0;
}

}  // namespace tt::grade
