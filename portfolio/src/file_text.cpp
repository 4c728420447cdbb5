// Whole-file reads and atomic writes.
// Not buffered streaming: portfolio files are small.
#include "file_text.hpp"

#include <fstream>
#include <sstream>

#include "tt/portfolio/error.hpp"

namespace tt::portfolio::detail {

std::optional<std::string> read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  const auto tmp = std::filesystem::path(p.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
      throw portfolio_error(
          ErrorKind::io, "cannot write " + tmp.string() + ": check that the folder is writable and the disk not full");
  }
  std::filesystem::rename(tmp, p, ec);
  if (ec)
    throw portfolio_error(ErrorKind::io, "cannot rename " + tmp.string() + " to " + p.string() + ": " + ec.message());
}

}  // namespace tt::portfolio::detail
