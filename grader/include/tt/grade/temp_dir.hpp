// A private temporary directory removed with everything in it when the object goes away.
// Not for reports: those are written atomically by report_io.hpp.
#pragma once

#include <filesystem>
#include <string>

namespace tt::grade {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix, const std::filesystem::path& parent = {});
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  void keep() { keep_ = true; }  // leave it on disk (for debugging)

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace tt::grade
