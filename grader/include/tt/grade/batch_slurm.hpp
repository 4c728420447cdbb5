// `tt-grade batch --slurm`: the class regraded as one Slurm job array, each task a `tt-grade run
// --options-json` on an exclusive node of the declared partition (slurm.hpp, the same path as
// tt-arena's Slurm executor); reports come back through the shared filesystem, then the gradebook
// and the leaderboard are written as in a local batch.
// Not the local batch (batch.hpp): the scheduling is Slurm's.
#pragma once

#include "tt/grade/batch.hpp"
#include "tt/grade/slurm.hpp"

namespace CLI {
class App;
}

namespace tt::grade {

struct SlurmBatchSettings {
  bool enabled = false;
  SlurmJobSpec spec;
  double poll_seconds = 5;
};

// --slurm and its options on the batch subcommand.
void add_slurm_batch_options(CLI::App* batch, SlurmBatchSettings& s);

// Every submission the folder holds and OUT lacks a report for, as one array job; waits for it.
// Course, work root and OUT must be on a filesystem the nodes share. Returns 0 when all have reports.
int run_batch_slurm(const BatchOptions& b, const SlurmBatchSettings& s);

}  // namespace tt::grade
