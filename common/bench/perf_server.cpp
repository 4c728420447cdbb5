// tt-perf/1, the child side: a line reader on fd 5, answers on fd 6, one workload.
// Not the grader's side (grader/src/perf.cpp), and never a clock the grade trusts.
#include "tt/bench/perf_server.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>

namespace tt::perf {

namespace {

void answer(const std::string& line) {
  const std::string out = line + "\n";
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = write(kAnswerFd, out.data() + done, out.size() - done);
    if (n <= 0) std::exit(3);  // the grader went away
    done += static_cast<std::size_t>(n);
  }
}

// One command line from fd 5; false at end of input.
bool command(std::string& line) {
  line.clear();
  char c = 0;
  while (true) {
    const ssize_t n = read(kCommandFd, &c, 1);
    if (n <= 0) return !line.empty();
    if (c == '\n') return true;
    line.push_back(c);
  }
}

// splitmix64: the weights must be the same in every program, whatever the platform.
double weight(unsigned long long seed, std::size_t i) {
  unsigned long long z = seed + 0x9E3779B97F4A7C15ULL * (i + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return 0.5 + static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);
}

int usage(const std::map<std::string, Factory>& cases, const std::string& why) {
  std::fprintf(stderr, "perf program: %s\nusage: PROGRAM --case NAME [--key value …]\ncases:", why.c_str());
  for (const auto& [name, f] : cases) std::fprintf(stderr, " %s", name.c_str());
  std::fprintf(stderr, "\n");
  return 1;
}

// By hand: a few repetitions timed here, for the student's curiosity only.
int by_hand(const Workload& w, const std::string& name) {
  constexpr int kRuns = 5;
  std::vector<double> t;
  w.run(1);  // warm-up
  for (int i = 0; i < kRuns; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    w.run(static_cast<unsigned long long>(i) + 2);
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  std::printf(
      "%s%s%s: median %.6f s over %d runs (min %.6f s). The grader times this program from outside, "
      "interleaved with the reference.\n",
      name.c_str(), w.path.empty() ? "" : " · ", w.path.c_str(), t[kRuns / 2], kRuns, t[0]);
  return 0;
}

// The "ready" line's JSON (two plain strings; nothing that needs escaping is allowed in them).
std::string ready_json(const std::string& name, const std::string& path) {
  for (const std::string& s : {name, path})
    if (s.find_first_of("\"\\\n") != std::string::npos)
      throw std::invalid_argument("case and path must be plain words");
  return "{\"case\": \"" + name + "\", \"path\": \"" + path + "\", \"protocol\": \"" + kProtocol + "\"}";
}

}  // namespace

Args::Args(int argc, char** argv) {
  for (int i = 1; i < argc; i += 2) {
    const std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || i + 1 >= argc)
      throw std::invalid_argument("expected --key value pairs, found '" + key + "'");
    values_[key.substr(2)] = argv[i + 1];
  }
  if (values_.count("case") == 0) throw std::invalid_argument("missing --case NAME");
  name_ = values_.at("case");
}

long Args::integer(const std::string& key, long fallback) const {
  const auto it = values_.find(key);
  return it == values_.end() ? fallback : std::stol(it->second);
}

double Args::number(const std::string& key, double fallback) const {
  const auto it = values_.find(key);
  return it == values_.end() ? fallback : std::stod(it->second);
}

std::pair<double, double> checksum(const std::vector<double>& x, unsigned long long seed) {
  double s = 0, a = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double w = weight(seed, i);
    s += w * x[i];
    a += w * std::fabs(x[i]);
  }
  return {s, a};
}

int serve(int argc, char** argv, const std::map<std::string, Factory>& cases) {
  const bool served = fcntl(kCommandFd, F_GETFD) != -1 && fcntl(kAnswerFd, F_GETFD) != -1;
  Workload w;
  std::string name;
  long reps = 1;
  try {
    const Args args(argc, argv);
    name = args.name();
    reps = args.integer("reps", 1);
    if (reps < 1 || reps > 10000) throw std::invalid_argument("--reps must be in 1..10000");
    const auto it = cases.find(name);
    if (it == cases.end()) return usage(cases, "unknown case '" + name + "'");
    w = it->second(args);
  } catch (const std::invalid_argument& e) {
    return usage(cases, e.what());
  } catch (const std::exception& e) {
    if (served) answer(std::string("error setup failed: ") + e.what());
    std::fprintf(stderr, "perf program: setup failed: %s\n", e.what());
    return 2;
  }
  // --reps R: one "run" does R repetitions (a short workload measured over a few milliseconds).
  if (reps > 1) {
    auto once = w.run;
    w.run = [once, reps](unsigned long long seed) {
      for (long r = 0; r < reps; ++r) once(seed + static_cast<unsigned long long>(r));
    };
  }
  if (!served) return by_hand(w, name);
  answer("ready " + ready_json(name, w.path));
  std::vector<double> last;
  for (std::string line; command(line);) {
    try {
      if (line.rfind("run ", 0) == 0) {
        w.run(std::stoull(line.substr(4)));
        answer("done");
      } else if (line.rfind("check ", 0) == 0) {
        last = w.output();
        const auto [s, a] = checksum(last, std::stoull(line.substr(6)));
        char buf[96];
        std::snprintf(buf, sizeof buf, "checksum %.17g %.17g", s, a);
        answer(buf);
      } else if (line == "quit") {
        return 0;
      } else {
        answer("error unknown command '" + line + "'");
        return 2;
      }
    } catch (const std::exception& e) {
      answer(std::string("error ") + e.what());
      return 2;
    }
  }
  return 0;
}

}  // namespace tt::perf
