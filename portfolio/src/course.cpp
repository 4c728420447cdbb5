// Reading module.json files and hashing the student files a measurement depends on.
// Not the grader's manifest reader: only id, name, student_files, depends_on and bench.
#include "tt/portfolio/course.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "tt/portfolio/error.hpp"

namespace fs = std::filesystem;

namespace tt::portfolio {

std::vector<CourseModule> read_course(const fs::path& modules_dir) {
  std::vector<CourseModule> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(modules_dir, ec)) {
    const fs::path file = e.path() / "module.json";
    if (!fs::is_regular_file(file)) continue;
    const auto text = detail::read_text(file);
    try {
      const auto j = nlohmann::json::parse(text.value_or(""));
      CourseModule m;
      m.id = j.at("id").get<std::string>();
      m.name = j.at("name").get<std::string>();
      m.student_files = j.value("student_files", std::vector<std::string>{});
      m.depends_on = j.value("depends_on", std::vector<std::string>{});
      m.has_bench = j.contains("bench") && !j["bench"].empty();
      out.push_back(std::move(m));
    } catch (const nlohmann::json::exception& x) {
      throw portfolio_error(ErrorKind::bad_course, file.string() + " is not a readable tt-module JSON file (" +
                                                       x.what() + "); restore it from the course release");
    }
  }
  std::sort(out.begin(), out.end(), [](const CourseModule& a, const CourseModule& b) { return a.id < b.id; });
  return out;
}

const CourseModule* find_module(const std::vector<CourseModule>& course, const std::string& id) {
  for (const auto& m : course)
    if (m.id == id) return &m;
  return nullptr;
}

std::map<std::string, fs::path> measured_files(const std::vector<CourseModule>& course, const std::string& id,
                                               const fs::path& sources_dir) {
  std::map<std::string, fs::path> files;
  std::set<std::string> seen;
  std::vector<std::string> todo{id};
  while (!todo.empty()) {
    const std::string next = todo.back();
    todo.pop_back();
    if (!seen.insert(next).second) continue;
    const CourseModule* m = find_module(course, next);
    if (!m) continue;
    for (const auto& f : m->student_files) files[m->name + "/" + f] = sources_dir / m->name / f;
    todo.insert(todo.end(), m->depends_on.begin(), m->depends_on.end());
  }
  return files;
}

std::string source_digest(const std::map<std::string, fs::path>& files) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  const auto feed = [&](const std::string& s) {
    const std::string len = std::to_string(s.size()) + ":";  // length-prefixed: no two inputs collide
    EVP_DigestUpdate(ctx.get(), len.data(), len.size());
    EVP_DigestUpdate(ctx.get(), s.data(), s.size());
  };
  for (const auto& [key, path] : files) {
    feed(key);
    feed(detail::read_text(path).value_or("<missing>"));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex = "sha256:";
  for (unsigned int i = 0; i < n; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 15];
  }
  return hex;
}

}  // namespace tt::portfolio
