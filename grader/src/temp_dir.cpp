// mkdtemp-backed temporary directories.
// Not secure against other root processes: it only keeps grader runs apart.
#include "tt/grade/temp_dir.hpp"

#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace tt::grade {
namespace fs = std::filesystem;

TempDir::TempDir(const std::string& prefix, const fs::path& parent) {
  const fs::path base = parent.empty() ? fs::temp_directory_path() : parent;
  fs::create_directories(base);
  std::string tmpl = (base / (prefix + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("cannot create a temporary directory in " + base.string());
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (keep_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace tt::grade
