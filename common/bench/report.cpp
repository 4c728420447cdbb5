// Implementation of the tt-bench/1 report: argument parsing, judging targets, printing, JSON.
// Not a benchmark: see each module's bench/ for what is measured.
#include "tt/bench/report.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <xsimd/xsimd.hpp>

#include "tt/blas.hpp"
#include "tt/errors.hpp"

namespace tt::bench {

Args Args::parse(int argc, char** argv) {
  Args a;
  if (argc > 0) a.program = argv[0];
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw value_error(s + " needs a value");
      return argv[++i];
    };
    if (s == "--quick") {
      a.quick = true;
    } else if (s == "--json") {
      a.json_path = value();
    } else if (s == "--impl") {
      a.impl = value();
    } else {
      throw value_error("unknown benchmark argument '" + s + "'; expected --quick, --json FILE or --impl NAME");
    }
  }
  return a;
}

int main_of(int argc, char** argv, const char* program, const std::function<int(const Args&)>& body) {
  Args args;
  try {
    args = Args::parse(argc, argv);
  } catch (const std::exception& e) {
    const std::string exe = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : program;
    std::cerr << program << ": error: " << e.what() << "\nusage: " << exe << " [--quick] [--json FILE] [--impl NAME]\n";
    return 2;
  }
  try {
    return body(args);
  } catch (const std::exception& e) {
    std::cerr << program << ": error: " << e.what() << "\n";
    return 1;
  }
}

bool Metric::met() const {
  if (target.empty()) return true;
  std::istringstream in(target);
  std::string op;
  double bound = 0;
  in >> op >> bound;
  if (op == ">=") return value >= bound;
  if (op == "<=") return value <= bound;
  if (op == ">") return value > bound;
  if (op == "<") return value < bound;
  if (op == "=" || op == "==") return value == bound;
  throw value_error("metric " + name + ": unreadable target '" + target + "'");
}

std::string fmt(double v, int digits) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

Report::Report(std::string module, Args args) : module_(std::move(module)), args_(std::move(args)) {
  std::cout << "tt-bench " << module_ << (args_.quick ? " (quick: numbers are not judged)" : "") << "\n";
}

void Report::add(Metric m) {
  std::string verdict = !m.has_target() ? "report" : (args_.quick ? "(quick)" : (m.met() ? "met" : "NOT MET"));
  std::cout << "  " << std::left << std::setw(34) << m.name << std::right << std::setw(12) << fmt(m.value) << " "
            << std::left << std::setw(9) << m.unit << std::setw(10) << m.target << verdict << "\n"
            << std::flush;
  metrics_.push_back(std::move(m));
}

void Report::table(const std::string& title, const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], r[c].size());
  auto line = [&](const std::vector<std::string>& r) {
    std::cout << "  |";
    for (std::size_t c = 0; c < width.size(); ++c)
      std::cout << " " << std::setw(static_cast<int>(width[c])) << (c < r.size() ? r[c] : "") << " |";
    std::cout << "\n";
  };
  std::cout << "\n  " << title << "\n";
  line(header);
  std::cout << "  |";
  for (auto w : width) std::cout << std::string(w + 2, '-') << "|";
  std::cout << "\n";
  for (const auto& r : rows) line(r);
  std::cout << "\n" << std::flush;
  tables_.push_back({{"title", title}, {"header", header}, {"rows", rows}});
}

int Report::finish() {
  int unmet = 0;
  for (const auto& m : metrics_) unmet += (m.has_target() && !m.met()) ? 1 : 0;
  std::cout << "tt-bench " << module_ << ": " << metrics_.size() << " metrics, " << unmet << " target(s) not met"
            << (args_.quick ? " (quick run: not judged)" : "") << "\n";
  if (args_.json_path.empty()) return 0;
  nlohmann::json j;
  j["schema"] = "tt-bench/1";
  j["module"] = module_;
  j["quick"] = args_.quick;
  j["impl"] = args_.impl;
  j["context"] = context();
  j["metrics"] = nlohmann::json::array();
  for (const auto& m : metrics_) {
    nlohmann::json e = {{"name", m.name}, {"value", m.value}, {"unit", m.unit}, {"detail", m.detail}};
    e["target"] = m.has_target() ? nlohmann::json(m.target) : nlohmann::json(nullptr);
    e["met"] = m.has_target() ? nlohmann::json(m.met()) : nlohmann::json(nullptr);
    j["metrics"].push_back(e);
  }
  j["tables"] = tables_;
  const std::string tmp = args_.json_path + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) throw data_error("cannot write the benchmark report to " + args_.json_path);
    out << j.dump(2) << "\n";
  }
  if (std::rename(tmp.c_str(), args_.json_path.c_str()) != 0)
    throw data_error("cannot move the benchmark report into place at " + args_.json_path);
  std::cout << "wrote " << args_.json_path << "\n";
  return 0;
}

namespace {
std::string first_line_of(const char* cmd) {
  std::string out;
  if (FILE* p = popen(cmd, "r")) {
    char buf[512];
    if (fgets(buf, sizeof buf, p) != nullptr) out = buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}
}  // namespace

nlohmann::json context() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const std::time_t t = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  std::string cpu;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  const std::string git = first_line_of("git -C " TT_SOURCE_DIR " rev-parse --short HEAD 2>/dev/null");
  return {{"date", date},
          {"host", host},
          {"cpu", cpu},
          {"cores", sysconf(_SC_NPROCESSORS_ONLN)},
          {"compiler", std::string("g++ ") + __VERSION__},
          {"flags", TT_BUILD_FLAGS},
          {"simd", xsimd::default_arch::name()},
          {"git", git},
          {"openblas_core", blas::core_name()}};
}

void progress(const std::string& label, std::size_t done, std::size_t total) {
  constexpr int kBarWidth = 24;
  const int filled = total ? static_cast<int>(kBarWidth * done / total) : kBarWidth;
  std::cerr << "\r  " << label << " [" << std::string(filled, '#') << std::string(kBarWidth - filled, '-') << "] "
            << done << "/" << total << (done >= total ? "\n" : "") << std::flush;
}

}  // namespace tt::bench
