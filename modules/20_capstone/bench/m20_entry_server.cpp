// m20_entry_server: an entry (or the baseline) in its own process, answering the grader's harness
// (protocol.hpp) on fds 5/6. Built with the student's code for the entry; the harness that asks,
// times and scores is a separate process built from the course's reference.
// Not a measurement: nothing this process prints or computes about itself is used.
//
// usage: m20_entry_server --baseline DIR [--model entry|baseline] [--name NAME]
#include <malloc.h>

#include <cstdio>
#include <memory>
#include <string>

#include "tt/capstone/baseline.hpp"
#include "tt/capstone/protocol.hpp"

int main(int argc, char** argv) {
  std::string dir, model = "entry", name = "entry";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--baseline") {
      dir = v;
    } else if (a == "--model") {
      model = v;
    } else if (a == "--name") {
      name = v;
    } else {
      std::fprintf(stderr, "usage: m20_entry_server --baseline DIR [--model entry|baseline] [--name NAME]\n");
      return 1;
    }
  }
  if (dir.empty() || (model != "entry" && model != "baseline")) {
    std::fprintf(stderr, "m20_entry_server: --baseline DIR is required; --model is entry or baseline\n");
    return 1;
  }
  try {
    using namespace tt::capstone;
    const Baseline b = load_baseline(dir);
    std::unique_ptr<Submission> sub;
    if (model == "baseline") {
      sub = make_baseline_submission(b);
    } else {
      const tt::Dataset train = tt::load_fashion_mnist(tt::Split::train);
      EntryOptions eo;
      eo.train = &train;
      eo.name = name;
      sub = make_entry(b, eo);
    }
    // The training set and everything the build freed go back to the system, so the resident
    // memory the harness sees while generating is the entry's own.
    malloc_trim(0);
    return serve(*sub);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m20_entry_server: %s\n", e.what());
    return 1;
  }
}
