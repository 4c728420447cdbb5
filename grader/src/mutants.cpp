// Reading mutant catalogs and planting mutants into copies of the reference.
// Not a patch tool: one exact text replacement per mutant, checked to match exactly once.
#include "tt/grade/mutants.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "tt/grade/file_io.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<Mutant> load_mutants(const Manifest& m) {
  const fs::path file = m.dir / "mutants.json";
  std::vector<Mutant> out;
  if (!fs::exists(file)) return out;
  try {
    const json j = json::parse(read_file(file));
    if (j.value("schema", "") != "tt-mutants/1") throw MutantError("\"schema\" must be \"tt-mutants/1\"");
    for (const auto& e : j.at("mutants")) {
      Mutant mu{e.at("id").get<std::string>(),
                e.at("file").get<std::string>(),
                e.at("find").get<std::string>(),
                e.at("replace").get<std::string>(),
                e.value("teaches", ""),
                e.value("caught_by", "tests"),
                e.value("task", "")};
      if (mu.caught_by != "tests" && mu.caught_by != "perf")
        throw MutantError("mutant " + mu.id + ": \"caught_by\" must be \"tests\" or \"perf\"");
      if (std::find(m.student_files.begin(), m.student_files.end(), mu.file) == m.student_files.end())
        throw MutantError("mutant " + mu.id + ": " + mu.file + " is not a student file of the module");
      if (!mu.task.empty() && m.find_task(mu.task) == nullptr)
        throw MutantError("mutant " + mu.id + ": \"task\" " + mu.task + " is not a task of module.json");
      for (const auto& other : out)
        if (other.id == mu.id) throw MutantError("mutant id " + mu.id + " occurs twice (ids name one bug each)");
      out.push_back(mu);
    }
  } catch (const json::exception& e) {
    throw MutantError(file.string() + ": not a valid tt-mutants/1 catalog: " + e.what());
  } catch (const MutantError& e) {
    throw MutantError(file.string() + ": " + e.what());
  }
  return out;
}

void plant(const fs::path& course_root, const Manifest& m, const std::vector<Mutant>& mutants, const fs::path& dest) {
  for (const auto& f : m.student_files) {
    std::string text = read_file(course_root / "solutions" / m.name / f);
    for (const auto& mu : mutants) {
      if (mu.file != f) continue;
      const auto first = text.find(mu.find);
      if (first == std::string::npos)
        throw MutantError("mutant " + mu.id + ": its text is not in " + m.name + "/" + f +
                          " (the reference changed: update modules/" + m.name + "/mutants.json)");
      if (text.find(mu.find, first + 1) != std::string::npos)
        throw MutantError("mutant " + mu.id + ": its text occurs more than once in " + m.name + "/" + f +
                          " (make \"find\" longer so it names one place)");
      text.replace(first, mu.find.size(), mu.replace);
    }
    write_file_atomically(dest / m.name / f, text);
  }
}

}  // namespace tt::grade
