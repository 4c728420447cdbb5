// Small file helpers the grader needs everywhere: read, compare, atomic write, copy-if-changed.
// Not a filesystem abstraction: std::filesystem does the rest.
#pragma once

#include <filesystem>
#include <string>

namespace tt::grade {

std::string read_file(const std::filesystem::path& p);
bool same_contents(const std::filesystem::path& a, const std::filesystem::path& b);
// Writes to a temporary file beside `p`, then renames it over `p`: readers never see half a file.
void write_file_atomically(const std::filesystem::path& p, const std::string& contents);
// Copies src over dst only when the contents differ (so the build tool sees a change exactly
// when there is one); returns true when it copied. The copy gets the current time as mtime.
bool copy_if_changed(const std::filesystem::path& src, const std::filesystem::path& dst);

}  // namespace tt::grade
