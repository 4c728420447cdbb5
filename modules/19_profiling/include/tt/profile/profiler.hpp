// PerformanceProfiler: RAII scopes that record time, memory and FLOPs per op, as a tree and a timeline.
// Not a sampling profiler: it sees only the scopes that are opened (yours and the core layers' hooks).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/profile/chunked_log.hpp"
#include "tt/profile_hooks.hpp"
#include "tt/tracking.hpp"

namespace tt::profile {

// One scope of the tree, all its calls merged. A scope is identified by its path: the names from
// the outermost scope down, joined by '/': "generate/forward/attention/Linear".
struct ScopeStats {
  std::string name;
  std::string path;
  int depth = 0;        // 0 for an outermost scope
  bool region = false;  // opened by profile() (true) or by a core layer's TT_PROFILE_SCOPE (false)
  std::size_t calls = 0;
  double total_seconds = 0;              // inclusive: the children's time included
  double self_seconds = 0;               // total minus the children's total (children on the same thread)
  std::size_t bytes_allocated = 0;       // tracked bytes allocated while open, children included
  std::size_t self_bytes_allocated = 0;  // bytes_allocated minus the children's
  std::size_t peak_bytes = 0;            // max over calls of tracked live bytes above the level at entry
  double flops = 0;                      // sum of the FLOPs the op reported when it opened (0: none)
};

// One call of one scope, for the timeline (Chrome trace).
struct TraceEvent {
  std::string name;
  int tid = 0;  // 1 for the first thread that recorded, 2 for the next, …
  int depth = 0;
  bool region = false;
  double start_us = 0;  // microseconds since the profiler was made (or last reset())
  double dur_us = 0;
  double flops = 0;
  std::size_t bytes_allocated = 0;
};

// Hook scopes that only group other ops (the core GPT's "gpt_forward" and "block", the training
// loop's "train_step"): the breakdown looks through them to the ops inside.
inline const std::vector<std::string> kDefaultLookThrough{"gpt_forward", "block", "train_step"};

// One line of the breakdown: a top-level op (an outermost hook scope inside your regions and the
// looked-through scopes), all its calls merged by name; or "other", the time in no such op.
struct BreakdownRow {
  std::string name;
  std::size_t calls = 0;
  double seconds = 0;  // inclusive time
  double share = 0;    // seconds / total_seconds(); the rows' shares add up to 1
  double flops = 0;
  std::size_t bytes_allocated = 0;
};

// Records named scopes. `auto r = profiler.profile("my_transformer");` opens a region and, while
// any region is open, installs the profiler as the core's ProfileSink, so every layer's
// TT_PROFILE_SCOPE inside becomes a child scope. Scopes from several threads are kept apart (one
// stack per thread). Read the results (scopes(), report(), …) when no scope is open.
class PerformanceProfiler final : public ProfileSink {
 public:
  // Deepest nesting per thread; deeper scopes throw tt::index_error.
  static constexpr int kMaxDepth = 32;

  PerformanceProfiler();
  ~PerformanceProfiler() override;
  PerformanceProfiler(const PerformanceProfiler&) = delete;
  PerformanceProfiler& operator=(const PerformanceProfiler&) = delete;

  // An open region; closing it (its destructor) records the call.
  class Region {
   public:
    Region(Region&& other) noexcept : profiler_(other.profiler_), name_(std::move(other.name_)) {
      other.profiler_ = nullptr;
    }
    Region& operator=(Region&&) = delete;
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;
    ~Region();

   private:
    friend class PerformanceProfiler;
    Region(PerformanceProfiler* p, std::string name) : profiler_(p), name_(std::move(name)) {}
    PerformanceProfiler* profiler_;
    std::string name_;
  };

  // Opens a region named `name` (not empty, no '/': else tt::value_error) on this thread.
  [[nodiscard]] Region profile(std::string name);

  // ProfileSink: the core layers' hooks. `flops` is the op's work (0 if unknown).
  void begin(const char* name, double flops) override;
  void end(const char* name) override;

  // --- results (Part 1); call when no scope is open ---
  // Every scope of every thread, depth-first: a parent before its children, siblings in order of
  // their first call. Threads' trees are merged by path.
  std::vector<ScopeStats> scopes() const;
  // The scope at `path`; tt::index_error naming the recorded paths if there is none.
  ScopeStats scope(std::string_view path) const;
  // Ops merged by name over all paths (regions left out), sorted by self time, largest first.
  std::vector<ScopeStats> ops_by_name() const;
  // Wall time of the profiled work: the sum of the outermost regions' total time.
  double total_seconds() const;

  // The plan's "Attention: 45% … Other: 10%": the top-level ops by inclusive time, largest first,
  // then "other" (time in regions and looked-through scopes but in no op). A top-level op is a
  // hook scope not in `look_through` whose ancestors are all regions or in `look_through`.
  // Shares add up to 1; empty when nothing was recorded.
  std::vector<BreakdownRow> breakdown(const std::vector<std::string>& look_through = kDefaultLookThrough) const;
  // Share of total_seconds() attributed to named ops: 1 - share of "other" (0 if nothing recorded).
  double coverage(const std::vector<std::string>& look_through = kDefaultLookThrough) const;
  // The breakdown table and the scope tree (calls, total, self, %, MB, GFLOP/s) as text.
  std::string report() const;

  // Every call, sorted by start time (a parent before the children that start with it).
  std::vector<TraceEvent> events() const;
  // Chrome trace (Perfetto, chrome://tracing): {"traceEvents": [{"name", "cat", "ph": "X",
  // "ts", "dur" (µs), "pid", "tid", "args"}, …], "displayTimeUnit": "ms"}.
  nlohmann::json chrome_trace() const;
  // {"schema": "tt-profile/1", "total_seconds", "coverage", "breakdown": […], "scopes": […]}.
  nlohmann::json summary() const;
  // Writes chrome_trace() to `path`; tt::data_error if the file cannot be written.
  void write_chrome_trace(const std::string& path) const;

  // Forgets everything recorded (tt::value_error if a scope is open).
  void reset();

 private:
  // A scope of one thread's tree. Node 0 is the invisible root of the outermost scopes.
  struct Node {
    std::string name;
    bool region = false;
    int parent = -1;
    std::vector<int> children;
    std::size_t calls = 0;
    std::int64_t total_ns = 0;
    std::int64_t child_ns = 0;
    std::size_t bytes = 0;
    std::size_t child_bytes = 0;
    std::size_t peak = 0;
    double flops = 0;
  };
  // One call, as recorded: the node, start and end (ns since epoch_ns_), its FLOPs and bytes.
  struct Call {
    int node = 0;
    std::int64_t start_ns = 0;
    std::int64_t end_ns = 0;
    double flops = 0;
    std::size_t bytes = 0;
  };
  // An open scope on a thread's stack.
  struct Frame {
    int node = 0;
    std::int64_t start_ns = 0;
    std::int64_t child_ns = 0;    // total time of the children closed so far
    std::size_t child_bytes = 0;  // bytes allocated by those children
    double flops = 0;
    std::optional<tracking::Scope> memory;  // empty if tracking ran out of scopes
  };
  // Everything one thread recorded. Only that thread writes it while recording.
  struct ThreadLog {
    std::thread::id thread;
    int tid = 0;
    std::vector<Node> nodes;  // nodes[0] is the root
    ChunkedLog<Call> calls;   // not a std::vector: growing must not copy the calls so far
    std::array<Frame, kMaxDepth> stack;
    int depth = 0;  // frames in use
  };

  // Nanoseconds since epoch_ns_ (fast_clock_ns: the TSC where invariant, else steady_clock).
  std::int64_t now_ns() const;
  // This thread's log (made on first use; cached in a thread_local).
  ThreadLog& this_thread_log();
  // Push a scope on this thread's stack / pop it and record the call.
  void open(std::string_view name, double flops, bool region);
  void close(std::string_view name);
  // Called by ~Region: close the region, uninstall the sink after the last open region.
  void finish_region(std::string_view name);

  std::uint64_t id_;          // unique per profiler: keys the thread_local cache
  std::int64_t epoch_ns_;     // steady-clock time of construction or reset()
  mutable std::mutex mutex_;  // guards logs_ (the list; each log belongs to its thread)
  std::vector<std::unique_ptr<ThreadLog>> logs_;
  std::atomic<int> open_regions_{0};
  ProfileSink* previous_sink_ = nullptr;
};

}  // namespace tt::profile
