// Reading and writing whole files for tt-portfolio's own sources (internal header).
// Not for student files' digests: course.cpp hashes those byte for byte.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tt::portfolio::detail {

// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> read_text(const std::filesystem::path& p);
// Writes through a temporary file and a rename; portfolio_error(io) when it cannot.
void write_text(const std::filesystem::path& p, const std::string& text);

}  // namespace tt::portfolio::detail
