// nm's view of a submission's library, and the forbidden-symbol rule over it.
// Not a disassembler: a call made through a pointer obtained at run time is caught only by its
// ingredients (dlsym, dlopen) being forbidden too.
#include "tt/grade/symbols.hpp"

#include <sstream>
#include <stdexcept>

#include "tt/grade/process.hpp"
#include "tt/grade/run.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

std::map<std::string, ObjectSymbols> parse_nm(const std::string& text) {
  std::map<std::string, ObjectSymbols> members;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    // "lib.a:simd.cpp.o:0000000000000000 T tt::accel::matmul_simd(…)" or "lib.a:simd.cpp.o:                 U
    // cblas_sgemm"
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string member = line.substr(first + 1, second - first - 1);
    std::istringstream rest(line.substr(second + 1));
    std::string a, b;
    rest >> a;
    std::string type = a;
    if (a.size() > 1) rest >> type;  // an address came first
    std::string name;
    std::getline(rest, name);
    const auto start = name.find_first_not_of(' ');
    if (start == std::string::npos || type.size() != 1) continue;
    name = name.substr(start);
    auto& m = members[member];
    if (type == "U" || type == "w" || type == "v")
      m.undefined.insert(name);
    else
      m.defined.insert(name);
  }
  return members;
}

std::vector<std::string> forbidden_uses(const std::map<std::string, ObjectSymbols>& members,
                                        const Forbidden& forbidden) {
  std::vector<std::string> uses;
  for (const auto& file : forbidden.files) {
    const std::string member = fs::path(file).filename().string() + ".o";
    if (!members.count(member)) continue;
    // The members this file reaches through symbols the library itself defines.
    std::set<std::string> reached{member};
    std::vector<std::string> todo{member};
    while (!todo.empty()) {
      const std::string cur = todo.back();
      todo.pop_back();
      for (const auto& sym : members.at(cur).undefined)
        for (const auto& [other, syms] : members)
          if (!reached.count(other) && syms.defined.count(sym)) {
            reached.insert(other);
            todo.push_back(other);
          }
    }
    std::set<std::string> found;
    for (const auto& m : reached)
      for (const auto& sym : members.at(m).undefined)
        for (const auto& bad : forbidden.symbols)
          if (sym.find(bad) != std::string::npos) found.insert(sym);
    for (const auto& sym : found) uses.push_back(file + " → " + sym);
  }
  return uses;
}

std::map<std::string, ObjectSymbols> library_symbols(const fs::path& library, const Sandbox& sandbox,
                                                     const fs::path& work_dir) {
  fs::create_directories(work_dir);
  Jail jail;
  jail.ro(library.parent_path(), "/tt/lib").rw(work_dir, "/tt/out");
  jail.cwd = "/tt/out";
  Limits l = test_limits(60);
  l.output_keep = 32u << 20;
  l.output_kill = 64u << 20;
  const auto r = sandbox.run(jail, {"nm", "-A", "-C", sandbox.inside(jail, library)}, l);
  if (r.exit_code != 0 || r.output_limit)
    throw std::runtime_error("nm could not read " + library.filename().string() + ": " + first_lines(r.output, 5));
  return parse_nm(r.output);
}

}  // namespace tt::grade
