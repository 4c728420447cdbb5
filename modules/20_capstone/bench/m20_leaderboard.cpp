// m20_leaderboard: validates a folder of submission files, ranks them, writes leaderboard.json and index.html.
// Not the grader: it trusts the harness's numbers in files that validate (tt-grade re-measures entries for grades).
// usage: m20_leaderboard DIR --out SITE_DIR [--min-test-images N]      |      m20_leaderboard --demo DIR
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "tt/arg_numbers.hpp"
#include "tt/capstone/harness.hpp"
#include "tt/capstone/leaderboard.hpp"
#include "tt/capstone/sha256.hpp"
#include "tt/capstone/validate.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Example submissions with plausible numbers (the browser test and the README screenshot use them).
void write_demo(const fs::path& dir) {
  struct Demo {
    const char* name;
    const char* what;
    double p50, acc;
    std::size_t bytes, gen_peak;
    double tps;
  };
  const Demo demos[] = {
      {"baseline-fp32", "The fp32 baseline with the reference backend, no cache.", 0.62, 0.8851, 946216, 1450000, 95},
      {"ref-int8-pruned", "Structured pruning 25%, int8 PTQ, optimized backend, KV cache.", 0.031, 0.8823, 171000,
       620000, 5200},
      {"alice-blas", "fp32 with the BLAS backend and a KV cache.", 0.085, 0.8851, 946216, 700000, 3100},
      {"bob-sparse90", "90% magnitude pruning with CSR kernels, fp32.", 0.12, 0.8790, 310000, 690000, 2900},
      {"carol-tiny", "Distilled 784-32-10 student, int8.", 0.012, 0.8514, 27000, 600000, 5400},
      {"dan-sliding", "int8 + a sliding-window KV cache of 64 tokens for generation.", 0.034, 0.8809, 171000, 240000,
       4700},
  };
  fs::create_directories(dir);
  for (const auto& d : demos) {
    tt::capstone::Measurement m;
    m.queries = 200;
    m.latency_p50_ms = d.p50;
    m.latency_p90_ms = d.p50 * 1.18;
    m.throughput_batch = 256;
    m.throughput_ips = 1e3 / d.p50 * 4;
    m.test_images = tt::capstone::kFullTestSet;
    m.accuracy = d.acc;
    m.baseline_accuracy = 0.8851;
    m.model_bytes = d.bytes;
    m.baseline_model_bytes = 946216;
    m.tracked_peak_bytes = 4 * d.gen_peak;
    m.max_rss_bytes = 120u << 20;
    m.generation_tokens = 256;
    m.generation_tokens_per_s = d.tps;
    m.generation_peak_bytes = d.gen_peak;
    const std::string h = tt::capstone::sha256_hex(d.name);
    json digest{{"algorithm", "sha256"}, {"files", {{"src/entry.cpp", h}}}, {"combined", h}};
    json env{{"cpu", "demo CPU"},
             {"compiler", "g++ 12"},
             {"flags", "-O3 -march=native"},
             {"host", "demo"},
             {"date", "2026-01-01T00:00:00Z"}};
    std::ofstream(dir / (std::string(d.name) + ".json"))
        << tt::capstone::make_submission_json(d.name, d.what, m, env, digest).dump(2) << "\n";
  }
  std::printf("wrote %zu demo submissions to %s\n", std::size(demos), dir.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 3 && std::string(argv[1]) == "--demo") {
      write_demo(argv[2]);
      return 0;
    }
    std::string in, out = "leaderboard";
    tt::capstone::ValidationOptions vo;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--out" && i + 1 < argc)
        out = argv[++i];
      else if (a == "--min-test-images" && i + 1 < argc)
        vo.required_test_images = tt::parse_count(a, argv[++i], 0, 1000000);
      else if (in.empty() && a[0] != '-')
        in = a;
      else {
        std::fprintf(stderr, "usage: m20_leaderboard DIR --out SITE_DIR | m20_leaderboard --demo DIR\n");
        return 2;
      }
    }
    if (in.empty() || !fs::is_directory(in)) {
      std::fprintf(stderr, "m20_leaderboard: expected a folder of submission .json files, found '%s'\n", in.c_str());
      return 2;
    }
    std::vector<fs::path> paths;
    for (const auto& f : fs::directory_iterator(in))
      if (f.path().extension() == ".json") paths.push_back(f.path());
    std::sort(paths.begin(), paths.end());
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& p : paths) {
      std::ifstream f(p);
      std::stringstream ss;
      ss << f.rdbuf();
      files.emplace_back(p.filename().string(), ss.str());
    }
    const auto v = tt::capstone::validate_submissions(files, vo);
    for (const auto& r : v.rejected) std::fprintf(stderr, "%s\n", r.reason.c_str());
    const auto board = tt::capstone::build_leaderboard(v.accepted);
    fs::create_directories(out);
    std::ofstream(fs::path(out) / "leaderboard.json") << tt::capstone::leaderboard_json(board).dump(2) << "\n";
    std::ofstream(fs::path(out) / "index.html") << tt::capstone::render_html(board);
    std::printf("%zu accepted, %zu rejected -> %s/leaderboard.json, %s/index.html\n", v.accepted.size(),
                v.rejected.size(), out.c_str(), out.c_str());
    return v.rejected.empty() ? 0 : 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m20_leaderboard: %s\n", e.what());
    return 1;
  }
}
