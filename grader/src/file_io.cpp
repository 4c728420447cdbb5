// Reading, comparing and atomically writing files.
// Not for archives (archive_extract.cpp) or for large data.
#include "tt/grade/file_io.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace tt::grade {
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool same_contents(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::file_size(a, ec) != fs::file_size(b, ec) || ec) return false;
  try {
    return read_file(a) == read_file(b);
  } catch (const std::exception&) {
    return false;
  }
}

void write_file_atomically(const fs::path& p, const std::string& contents) {
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  const fs::path tmp = p.string() + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << contents;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, p);
}

bool copy_if_changed(const fs::path& src, const fs::path& dst) {
  std::error_code ec;
  if (fs::exists(dst, ec) && same_contents(src, dst)) return false;
  fs::create_directories(dst.parent_path());
  write_file_atomically(dst, read_file(src));
  return true;
}

}  // namespace tt::grade
