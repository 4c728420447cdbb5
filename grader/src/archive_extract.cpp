// Safe archive extraction with libarchive: we write every file ourselves, never archive_write_disk.
// Not a general unpacker: links, devices and special files are skipped and reported.
#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <memory>

#include "tt/grade/intake.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

// "a/./b//c" → "a/b/c"; empty when the path is absolute or climbs with "..".
std::string safe_relative(const std::string& raw, std::string& why) {
  if (raw.empty()) {
    why = "empty path";
    return {};
  }
  if (raw.front() == '/' || raw.front() == '\\' || (raw.size() > 1 && raw[1] == ':')) {
    why = "absolute path";
    return {};
  }
  std::string out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    auto end = raw.find_first_of("/\\", start);
    if (end == std::string::npos) end = raw.size();
    const std::string part = raw.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      why = "'..' in the path";
      return {};
    }
    if (!out.empty()) out += '/';
    out += part;
  }
  if (out.empty()) why = "empty path";
  return out;
}

}  // namespace

bool is_archive(const fs::path& p) {
  const std::string s = p.filename().string();
  auto ends = [&](const char* suf) {
    const std::string x = suf;
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
  };
  return ends(".zip") || ends(".tar.gz") || ends(".tgz") || ends(".tar") || ends(".tar.xz") || ends(".tar.bz2");
}

void extract_archive_safely(const fs::path& archive_path, const fs::path& dest, const IntakeLimits& limits,
                            IntakeResult& result) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  if (archive_read_open_filename(a.get(), archive_path.c_str(), std::size_t{64} * 1024) != ARCHIVE_OK) {
    result.problems.push_back("cannot open the archive: " + std::string(archive_error_string(a.get())
                                                                            ? archive_error_string(a.get())
                                                                            : "unknown format"));
    return;
  }
  std::size_t total = 0, entries = 0, files = 0;
  archive_entry* entry = nullptr;
  while (true) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      result.problems.push_back("the archive is damaged: " + std::string(archive_error_string(a.get())
                                                                             ? archive_error_string(a.get())
                                                                             : "read error"));
      break;
    }
    if (++entries > limits.max_files) {
      result.problems.push_back("the archive has more than " + std::to_string(limits.max_files) +
                                " entries; the rest is ignored");
      break;
    }
    const char* raw_name = archive_entry_pathname(entry);
    const std::string raw = raw_name ? raw_name : "";
    std::string why;
    const std::string rel = safe_relative(raw, why);
    const auto type = archive_entry_filetype(entry);
    if (rel.empty()) {
      result.problems.push_back("refused entry \"" + raw + "\": " + why);
      continue;
    }
    if (type == AE_IFDIR) continue;
    if (type == AE_IFLNK || archive_entry_hardlink(entry)) {
      result.ignored.push_back({rel, "link: not followed"});
      continue;
    }
    if (type != AE_IFREG) {
      result.ignored.push_back({rel, "not a regular file"});
      continue;
    }
    if (archive_entry_size_is_set(entry) &&
        static_cast<std::size_t>(archive_entry_size(entry)) > limits.max_file_bytes) {
      result.ignored.push_back({rel, "larger than " + std::to_string(limits.max_file_bytes) + " bytes"});
      continue;
    }
    const fs::path out_path = dest / rel;
    std::error_code ec;
    fs::create_directories(out_path.parent_path(), ec);
    // A file and a directory of the same name, or a path through an earlier file.
    if (ec || fs::is_directory(out_path) || fs::is_symlink(out_path)) {
      result.problems.push_back("refused entry \"" + raw + "\": clashes with another entry");
      continue;
    }
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    std::size_t size = 0;
    bool too_big = false;
    char buf[65536];
    la_ssize_t n;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
      size += static_cast<std::size_t>(n);
      total += static_cast<std::size_t>(n);
      if (size > limits.max_file_bytes || total > limits.max_total_bytes) {
        too_big = true;
        break;
      }
      out.write(buf, n);
    }
    out.close();
    if (too_big) {
      fs::remove(out_path, ec);
      if (total > limits.max_total_bytes) {
        result.problems.push_back("the archive unpacks to more than " + std::to_string(limits.max_total_bytes) +
                                  " bytes; extraction stopped at \"" + rel + "\"");
        break;
      }
      result.ignored.push_back({rel, "larger than " + std::to_string(limits.max_file_bytes) + " bytes"});
      continue;
    }
    if (n < 0) result.problems.push_back("could not read \"" + rel + "\" from the archive");
    ++files;
  }
  result.files_seen = files;
  if (files == 0) result.problems.push_back("the archive holds no files");
}

}  // namespace tt::grade
