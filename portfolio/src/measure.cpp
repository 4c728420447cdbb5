// Running the student's benchmarks through ./scripts/bench and storing them as measurements.
// Not a timer: the bench programs measure; this records what they measured and from which sources.
#include "tt/portfolio/measure.hpp"

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "file_text.hpp"
#include "tt/portfolio/error.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tt::portfolio {

namespace {

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Module 19's bench leaves its roofline chart and Chrome trace in the bench's working folder.
std::vector<std::string> copy_artifacts(const fs::path& tree, const std::string& id, const fs::path& to,
                                        fs::file_time_type since) {
  std::vector<std::string> out;
  const char* env = std::getenv("TT_BUILD_DIR");
  const fs::path from = (env ? fs::path(env) : tree / "build" / "release") / "bench-out" / id;
  std::error_code ec;
  for (const char* name : {"_roofline.svg", "_trace.json"}) {
    const fs::path f = from / ("m" + id + name);
    if (!fs::exists(f, ec) || fs::last_write_time(f, ec) < since) continue;
    fs::copy_file(f, to / f.filename(), fs::copy_options::overwrite_existing, ec);
    if (!ec) out.push_back(f.filename().string());
  }
  return out;
}

}  // namespace

int measure(const MeasureOptions& o) {
  const fs::path tree = fs::absolute(o.paths.tree);
  const fs::path sources = o.paths.sources.empty() ? tree / "modules" : fs::absolute(o.paths.sources);
  const auto course = read_course(o.paths.course.empty() ? tree / "modules" : o.paths.course);
  std::vector<std::string> ids = o.modules;
  if (ids.empty())
    for (const auto& m : course)
      if (m.has_bench) ids.push_back(m.id);
  for (const auto& id : ids)
    if (!find_module(course, id))
      throw portfolio_error(ErrorKind::bad_usage, "module " + id + " is not in this course (modules/*/module.json)");
  const fs::path dir = tree / "portfolio" / "measurements";
  fs::create_directories(dir);
  const fs::path script = o.bench_script.empty() ? tree / "scripts" / "bench" : o.bench_script;
  int failed = 0;
  const auto t_all = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    const auto files = measured_files(course, id, sources);
    Measurement m;
    m.module = id;
    m.date = now_iso8601();
    m.digest = source_digest(files);
    for (const auto& [key, path] : files) m.files.push_back(key);
    const fs::path json_file = dir / ("m" + id + ".bench.json");
    m.command = (o.bench_script.empty() ? std::string("./scripts/bench") : o.bench_script.string()) + " " + id +
                " --impl " + o.impl + (o.quick ? " --quick" : "") + " --json " +
                ("portfolio/measurements/" + json_file.filename().string());
    std::cerr << "[" << i + 1 << "/" << ids.size() << "] module " << id << ": " << m.command << "\n";
    const auto t0 = std::chrono::steady_clock::now();
    const auto since = fs::file_time_type::clock::now();
    std::error_code ec;
    fs::remove(json_file, ec);
    const std::string cmd = quoted(script.string()) + " " + id + " --impl " + quoted(o.impl) +
                            (o.quick ? " --quick" : "") + " --json " + quoted(json_file.string()) + " 1>&2";
    const int rc = std::system(cmd.c_str());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto text = detail::read_text(json_file);
    if (rc != 0 || !text) {
      m.error = "`" + m.command + "` failed (exit " + std::to_string(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1) +
                "; its output is above)" + (text ? "" : " and wrote no JSON");
    } else {
      try {
        m.bench = json::parse(*text);
      } catch (const json::exception& x) {
        m.error = std::string("the bench wrote JSON that cannot be parsed: ") + x.what();
      }
    }
    if (m.error.empty() && source_digest(files) != m.digest)
      m.error = "the sources changed while the bench ran; run it again without editing";
    m.artifacts = copy_artifacts(tree, id, dir, since);
    write_measurement(dir / ("m" + id + ".json"), m);
    fs::remove(json_file, ec);
    failed += !m.error.empty();
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count();
    std::cerr << "[" << i + 1 << "/" << ids.size() << "] module " << id << ": "
              << (m.error.empty() ? std::to_string(metrics_of(m).size()) + " metrics" : "FAILED: " + m.error) << " ("
              << static_cast<int>(seconds) << " s; " << static_cast<int>(total)
              << " s elapsed) → portfolio/measurements/m" << id << ".json\n";
  }
  return failed;
}

}  // namespace tt::portfolio
