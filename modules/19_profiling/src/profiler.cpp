// PerformanceProfiler recording (student file): per-thread scope stacks, the scope tree, the sink install.
// Not the reports: breakdown, text report and trace export are in profile_report.cpp.
#include "tt/profile/profiler.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

#include "tt/errors.hpp"
#include "tt/profile/fast_clock.hpp"

namespace tt::profile {

namespace {
std::atomic<std::uint64_t> g_next_profiler_id{1};
}  // namespace

// ---- scaffolding (given) -------------------------------------------------------------------

PerformanceProfiler::PerformanceProfiler() : id_(g_next_profiler_id.fetch_add(1)), epoch_ns_(fast_clock_ns()) {}

PerformanceProfiler::~PerformanceProfiler() {
  // A profiler destroyed while still installed must not stay the core's sink.
  if (profile_sink() == this) set_profile_sink(previous_sink_);
}

PerformanceProfiler::Region::~Region() {
  if (profiler_ == nullptr) return;
  try {
    profiler_->finish_region(name_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "PerformanceProfiler: closing region '%s' failed: %s\n", name_.c_str(), e.what());
  }
}

void PerformanceProfiler::begin(const char* name, double flops) { open(name, flops, false); }

void PerformanceProfiler::end(const char* name) {
  // Called from a ProfileScope destructor: an exception here would terminate the program.
  try {
    close(name);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "PerformanceProfiler: closing scope '%s' failed: %s\n", name, e.what());
  }
}

std::int64_t PerformanceProfiler::now_ns() const { return fast_clock_ns() - epoch_ns_; }

void PerformanceProfiler::reset() {
  if (open_regions_.load() != 0) throw value_error("PerformanceProfiler::reset: close every region first");
  const std::lock_guard<std::mutex> lock(mutex_);
  for (auto& l : logs_) {
    l->nodes.clear();
    l->nodes.emplace_back();
    l->calls.clear();
    l->depth = 0;
  }
  epoch_ns_ = fast_clock_ns();
}

ScopeStats PerformanceProfiler::scope(std::string_view path) const {
  const auto all = scopes();
  for (const auto& s : all)
    if (s.path == path) return s;
  std::string known;
  for (const auto& s : all) known += (known.empty() ? "" : ", ") + s.path;
  throw index_error("PerformanceProfiler::scope: no scope at path '" + std::string(path) +
                    "'; recorded: " + (known.empty() ? "(nothing)" : known));
}

// ---- 19.1 / 19.2 / 19.3: recording -----------------------------------------------------------

PerformanceProfiler::ThreadLog& PerformanceProfiler::this_thread_log() {
  // Called by open() and close() for every scope, from any thread. The contract:
  //   - each thread records into a log of its own (logs_ holds them; make one on a thread's first
  //     scope, with tid = its rank among the threads that recorded: 1, 2, …, and the root node);
  //   - logs_ is shared: add to it or search it only under mutex_; a log itself belongs to its
  //     thread, so using the log needs no lock;
  //   - the common case (this thread already has a log here) must not take the lock: scopes are
  //     opened millions of times. A thread_local cache does it, but it outlives profilers: key it
  //     by id_ (unique per profiler, never reused), not by `this`, which a new profiler can reuse.
  // Given: the first thread to record gets logs_[0] (enough for 19.1 and 19.2, one thread).
  const std::lock_guard<std::mutex> lock(mutex_);
  if (logs_.empty()) {
    logs_.push_back(std::make_unique<ThreadLog>());
    logs_.back()->thread = std::this_thread::get_id();
    logs_.back()->tid = 1;
    logs_.back()->nodes.emplace_back();  // the root
  }
  if (logs_.front()->thread == std::this_thread::get_id()) return *logs_.front();
  // TODO(19.3): a log per thread, found without the lock on the common path.
  TT_UNIMPLEMENTED("19.3 PerformanceProfiler::this_thread_log (a second thread)");
}

PerformanceProfiler::Region PerformanceProfiler::profile(std::string name) {
  // Check the name (non-empty, no '/': tt::value_error). The first region to open (count them in
  // open_regions_, atomically: threads may open regions too) installs this profiler as the core's
  // sink with set_profile_sink, keeping the previous sink in previous_sink_. Then open() the
  // region and return Region(this, name). If open() throws, undo the count (and the install).
  // TODO(19.1): validate, install on the first open region, open the region, return the Region.
  TT_UNIMPLEMENTED("19.1 PerformanceProfiler::profile");
}

void PerformanceProfiler::finish_region(std::string_view name) {
  // The mirror of profile(): close() the region; the last open region restores previous_sink_.
  // TODO(19.1): close, then uninstall after the last region.
  TT_UNIMPLEMENTED("19.1 PerformanceProfiler::finish_region");
}

void PerformanceProfiler::open(std::string_view name, double flops, bool region) {
  // On this thread's log (this_thread_log(): no lock needed, only this thread writes it):
  // - refuse more than kMaxDepth open scopes (tt::index_error);
  // - the parent is the node of the innermost open frame (or the root, node 0); find its child
  //   called `name`, or append a new Node (name, region, parent) and link it as a child;
  // - fill the next Frame: node, flops, zero child time/bytes, and a fresh tracking::Scope in
  //   `memory` (19.2; if tracking throws index_error because it has no scope left, leave it
  //   empty: time is still recorded);
  // - read the clock last (now_ns()), so your bookkeeping is not charged to the scope.
  // TODO(19.1): push the frame. TODO(19.2): start the memory scope and keep the FLOPs.
  TT_UNIMPLEMENTED("19.1 PerformanceProfiler::open");
}

void PerformanceProfiler::close(std::string_view name) {
  // Read the clock first. The innermost frame must be `name` (else tt::value_error: scopes close
  // in reverse order). Add to its node: one call, the duration, the children's time (so self =
  // total - children), bytes allocated and peak from the frame's tracking::Scope (19.2), the
  // FLOPs. Record a Call for the timeline. Pop the frame and add the duration and bytes to the
  // parent frame's child counters.
  // TODO(19.1): time and self time. TODO(19.2): bytes, peak, FLOPs.
  TT_UNIMPLEMENTED("19.1 PerformanceProfiler::close");
}

// ---- 19.1: results -------------------------------------------------------------------------

std::vector<ScopeStats> PerformanceProfiler::scopes() const {
  // Walk each thread's tree depth-first (lock mutex_ to read logs_), building each node's path
  // "parent/child" and converting ns to seconds; merge nodes of different threads that have the
  // same path (sum calls, times, bytes and FLOPs, max of peaks). Return them depth-first: a
  // parent before its children, siblings in the order they were first seen.
  // TODO(19.1): build the ScopeStats list.
  TT_UNIMPLEMENTED("19.1 PerformanceProfiler::scopes");
}

std::vector<ScopeStats> PerformanceProfiler::ops_by_name() const {
  // Hook scopes (region == false) merged by name over all paths; sort by self time, largest first.
  // TODO(19.1): merge by name and sort.
  TT_UNIMPLEMENTED("19.1 PerformanceProfiler::ops_by_name");
}

double PerformanceProfiler::total_seconds() const {
  // The sum of the total time of the outermost regions (depth 0, region).
  // TODO(19.1): sum them.
  TT_UNIMPLEMENTED("19.1 PerformanceProfiler::total_seconds");
}

}  // namespace tt::profile
