// Forbidden symbols: which library functions a task's object files call (nm on the submission's
// static library, following calls into the student's other files), and whether any is forbidden.
// Not a linker: symbols reached only through the course's own libraries are not followed.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tt/grade/manifest.hpp"
#include "tt/grade/sandbox.hpp"

namespace tt::grade {

// One member of a static library: the symbols it defines and the ones it needs.
struct ObjectSymbols {
  std::set<std::string> defined, undefined;  // demangled
};

// Parses `nm -A -C <lib.a>` output: member name ("simd.cpp.o") → its symbols.
std::map<std::string, ObjectSymbols> parse_nm(const std::string& nm_output);

// The forbidden symbols the members built from `forbidden.files` reach (their own undefined
// symbols, and those of the library's other members they call, transitively); each entry
// "src/simd.cpp → cblas_sgemm". Empty when none.
std::vector<std::string> forbidden_uses(const std::map<std::string, ObjectSymbols>& members,
                                        const Forbidden& forbidden);

// Runs nm on the library in the sandbox; throws std::runtime_error when nm cannot read it.
std::map<std::string, ObjectSymbols> library_symbols(const std::filesystem::path& library, const Sandbox& sandbox,
                                                     const std::filesystem::path& work_dir);

}  // namespace tt::grade
