// Header-only archive checks with libarchive and the content-addressed upload store.
// Not extraction: nothing of an upload is unpacked or run by the server.
#include "tt/arena/uploads.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tt/arena/tokens.hpp"

namespace tt::arena {
namespace fs = std::filesystem;

namespace {

bool unsafe_path(const std::string& p) {
  if (p.empty() || p[0] == '/' || p[0] == '\\' || (p.size() > 1 && p[1] == ':')) return true;
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find_first_of("/\\", start);
    if (end == std::string::npos) end = p.size();
    if (p.compare(start, end - start, "..") == 0 && end - start == 2) return true;
    start = end + 1;
  }
  return false;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         (s.size() == suffix.size() || s[s.size() - suffix.size() - 1] == '/');
}

}  // namespace

std::vector<std::string> course_student_files(const fs::path& course_root) {
  std::vector<std::string> out;
  if (!fs::is_directory(course_root / "modules")) return out;
  for (const auto& d : fs::directory_iterator(course_root / "modules")) {
    const fs::path manifest = d.path() / "module.json";
    if (!fs::exists(manifest)) continue;
    std::ifstream in(manifest);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) continue;
    for (const auto& f : j.value("student_files", nlohmann::json::array()))
      if (f.is_string()) out.push_back(d.path().filename().string() + "/" + f.get<std::string>());
  }
  return out;
}

ArchiveCheck check_archive(const std::string& bytes, const std::vector<std::string>& student_files,
                           const ArchiveLimits& limits) {
  ArchiveCheck r;
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_filter_gzip(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    r.error = "the upload is not a .zip or .tar.gz archive; pack your modules/ folder with `zip -r` or `tar czf`";
    return r;
  }
  std::size_t entries = 0, total = 0;
  archive_entry* e = nullptr;
  while (true) {
    const int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      r.error = "the archive is damaged (" +
                std::string(archive_error_string(a.get()) ? archive_error_string(a.get()) : "read error") +
                "); pack it again";
      return r;
    }
    const char* name = archive_entry_pathname(e);
    const std::string path = name ? name : "";
    if (unsafe_path(path)) {
      r.error = "the archive holds an unsafe path '" + path.substr(0, 200) +
                "' (absolute or with '..'); pack the folder from inside it";
      return r;
    }
    const auto type = archive_entry_filetype(e);
    if (type != AE_IFREG && type != AE_IFDIR) {
      r.error = "the archive holds a link or special file '" + path.substr(0, 200) + "'; only files and folders";
      return r;
    }
    if (++entries > limits.max_entries) {
      r.error = "the archive has more than " + std::to_string(limits.max_entries) + " entries";
      return r;
    }
    const auto size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
    total += static_cast<std::size_t>(std::max<la_int64_t>(0, size));
    if (total > limits.max_unpacked_bytes) {
      r.error = "the archive unpacks to more than " + std::to_string(limits.max_unpacked_bytes >> 20) +
                " MiB; send only your source files";
      return r;
    }
    if (type == AE_IFREG)
      for (const auto& f : student_files)
        if (ends_with(path, f)) ++r.student_files;
    archive_read_data_skip(a.get());
  }
  if (entries == 0) {
    r.error = "the archive is empty; pack your modules/ folder";
    return r;
  }
  if (r.student_files == 0) {
    r.error =
        "the archive holds none of the student files (e.g. modules/20_capstone/src/entry.cpp); pack your "
        "modules/ folder";
    return r;
  }
  const bool zip = archive_format(a.get()) == ARCHIVE_FORMAT_ZIP ||
                   (archive_format(a.get()) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
  bool gz = false;
  for (int i = 0; i < archive_filter_count(a.get()); ++i)
    gz = gz || archive_filter_code(a.get(), i) == ARCHIVE_FILTER_GZIP;
  if (!zip && !gz) {
    r.error = "a tar archive must be gzip-compressed (.tar.gz)";
    return r;
  }
  r.ext = zip ? ".zip" : ".tar.gz";
  r.ok = true;
  return r;
}

fs::path upload_path(const fs::path& dir, const std::string& sha, const std::string& ext) {
  return dir / sha.substr(0, 2) / (sha + ext);
}

std::string store_upload(const fs::path& dir, const std::string& bytes, const std::string& ext) {
  std::string sha = sha256_hex(bytes);
  const fs::path final_path = upload_path(dir, sha, ext);
  if (fs::exists(final_path)) return sha;
  fs::create_directories(final_path.parent_path());
  const fs::path tmp = final_path.string() + "." + random_hex(6) + ".partial";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      fs::remove(tmp);
      throw std::runtime_error("cannot write " + tmp.string() + " (disk full?)");
    }
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  fs::rename(tmp, final_path);
  return sha;
}

void sweep_partial_uploads(const fs::path& dir) {
  if (!fs::exists(dir)) return;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().string().ends_with(".partial")) fs::remove(e.path());
}

}  // namespace tt::arena
