// Reference PerformanceProfiler recording: per-thread scope stacks, the scope tree, the sink install.
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

PerformanceProfiler::ThreadLog& PerformanceProfiler::this_thread_log() {
  // Fast path: this thread already looked up its log in this profiler.
  thread_local std::uint64_t cached_id = 0;
  thread_local ThreadLog* cached_log = nullptr;
  if (cached_id == id_ && cached_log != nullptr) return *cached_log;
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto me = std::this_thread::get_id();
  ThreadLog* log = nullptr;
  for (auto& l : logs_)
    if (l->thread == me) log = l.get();
  if (log == nullptr) {
    logs_.push_back(std::make_unique<ThreadLog>());
    log = logs_.back().get();
    log->thread = me;
    log->tid = static_cast<int>(logs_.size());
    log->nodes.emplace_back();  // the root
  }
  cached_id = id_;
  cached_log = log;
  return *log;
}

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

// ---- 19.1 / 19.2 / 19.3: recording -----------------------------------------------------------

PerformanceProfiler::Region PerformanceProfiler::profile(std::string name) {
  if (name.empty() || name.find('/') != std::string::npos)
    throw value_error("PerformanceProfiler::profile: a region name must be non-empty without '/', got '" + name + "'");
  // The first open region installs the profiler as the core's sink; the last one to close
  // restores the previous sink.
  if (open_regions_.fetch_add(1) == 0) previous_sink_ = set_profile_sink(this);
  try {
    open(name, 0, true);
  } catch (...) {
    if (open_regions_.fetch_sub(1) == 1) set_profile_sink(previous_sink_);
    throw;
  }
  return Region(this, std::move(name));
}

void PerformanceProfiler::finish_region(std::string_view name) {
  close(name);
  if (open_regions_.fetch_sub(1) == 1) set_profile_sink(previous_sink_);
}

void PerformanceProfiler::open(std::string_view name, double flops, bool region) {
  ThreadLog& log = this_thread_log();
  if (log.depth >= kMaxDepth)
    throw index_error("PerformanceProfiler: scope '" + std::string(name) + "' nests deeper than " +
                      std::to_string(kMaxDepth) + " levels; close scopes before opening more");
  const int parent = log.depth == 0 ? 0 : log.stack[log.depth - 1].node;
  // Find the child of `parent` with this name, or add it.
  int node = -1;
  for (int c : log.nodes[parent].children)
    if (log.nodes[c].name == name) {
      node = c;
      break;
    }
  if (node < 0) {
    node = static_cast<int>(log.nodes.size());
    Node n;
    n.name = std::string(name);
    n.region = region;
    n.parent = parent;
    log.nodes.push_back(std::move(n));
    log.nodes[parent].children.push_back(node);
  }
  Frame& f = log.stack[log.depth];
  f.node = node;
  f.child_ns = 0;
  f.child_bytes = 0;
  f.flops = flops;
  f.memory.reset();
  try {
    f.memory.emplace();
  } catch (const index_error&) {
    // tracking has no free scope left: time is still recorded, memory for this call is not.
  }
  ++log.depth;
  // Read the clock last, so the bookkeeping above is not charged to the scope.
  f.start_ns = now_ns();
}

void PerformanceProfiler::close(std::string_view name) {
  const std::int64_t end = now_ns();
  ThreadLog& log = this_thread_log();
  if (log.depth == 0)
    throw value_error("PerformanceProfiler: scope '" + std::string(name) + "' closed but none is open");
  Frame& f = log.stack[log.depth - 1];
  Node& n = log.nodes[f.node];
  if (n.name != name)
    throw value_error("PerformanceProfiler: scope '" + std::string(name) + "' closed while '" + n.name +
                      "' is the innermost open scope; close scopes in reverse order");
  const std::int64_t dur = end - f.start_ns;
  std::size_t bytes = 0;
  std::size_t peak = 0;
  if (f.memory) {
    bytes = f.memory->allocated_bytes();
    peak = f.memory->peak_bytes();
    f.memory.reset();
  }
  n.calls += 1;
  n.total_ns += dur;
  n.child_ns += f.child_ns;
  n.bytes += bytes;
  n.child_bytes += std::min(f.child_bytes, bytes);
  n.peak = std::max(n.peak, peak);
  n.flops += f.flops;
  log.calls.push_back(Call{f.node, f.start_ns, end, f.flops, bytes});
  --log.depth;
  if (log.depth > 0) {
    Frame& parent = log.stack[log.depth - 1];
    parent.child_ns += dur;
    parent.child_bytes += bytes;
  }
}

// ---- 19.1: results -------------------------------------------------------------------------

std::vector<ScopeStats> PerformanceProfiler::scopes() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ScopeStats> out;
  std::map<std::string, std::size_t> index;  // path → position in out
  // Depth-first over each thread's tree, merging nodes with the same path.
  for (const auto& log : logs_) {
    std::function<void(int, const std::string&, int)> visit = [&](int id, const std::string& prefix, int depth) {
      const Node& n = log->nodes[id];
      const std::string path = prefix.empty() ? n.name : prefix + "/" + n.name;
      auto [it, fresh] = index.try_emplace(path, out.size());
      if (fresh) {
        ScopeStats s;
        s.name = n.name;
        s.path = path;
        s.depth = depth;
        s.region = n.region;
        out.push_back(s);
      }
      ScopeStats& s = out[it->second];
      s.calls += n.calls;
      s.total_seconds += static_cast<double>(n.total_ns) * 1e-9;
      s.self_seconds += static_cast<double>(n.total_ns - n.child_ns) * 1e-9;
      s.bytes_allocated += n.bytes;
      s.self_bytes_allocated += n.bytes - n.child_bytes;
      s.peak_bytes = std::max(s.peak_bytes, n.peak);
      s.flops += n.flops;
      for (int c : n.children) visit(c, path, depth + 1);
    };
    for (int c : log->nodes[0].children) visit(c, "", 0);
  }
  // Merged paths from later threads were appended at the end: restore depth-first order.
  std::vector<ScopeStats> ordered;
  ordered.reserve(out.size());
  std::function<void(const std::string&, int)> emit = [&](const std::string& parent, int depth) {
    for (const auto& s : out) {
      if (s.depth != depth) continue;
      const auto slash = s.path.rfind('/');
      const std::string p = slash == std::string::npos ? "" : s.path.substr(0, slash);
      if (p != parent) continue;
      ordered.push_back(s);
      emit(s.path, depth + 1);
    }
  };
  emit("", 0);
  return ordered;
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

std::vector<ScopeStats> PerformanceProfiler::ops_by_name() const {
  std::vector<ScopeStats> ops;
  for (const auto& s : scopes()) {
    if (s.region) continue;
    auto it = std::find_if(ops.begin(), ops.end(), [&](const ScopeStats& o) { return o.name == s.name; });
    if (it == ops.end()) {
      ScopeStats o = s;
      o.path = s.name;
      o.depth = 0;
      ops.push_back(o);
      continue;
    }
    it->calls += s.calls;
    it->total_seconds += s.total_seconds;
    it->self_seconds += s.self_seconds;
    it->bytes_allocated += s.bytes_allocated;
    it->self_bytes_allocated += s.self_bytes_allocated;
    it->peak_bytes = std::max(it->peak_bytes, s.peak_bytes);
    it->flops += s.flops;
  }
  std::stable_sort(ops.begin(), ops.end(),
                   [](const ScopeStats& a, const ScopeStats& b) { return a.self_seconds > b.self_seconds; });
  return ops;
}

double PerformanceProfiler::total_seconds() const {
  double total = 0;
  for (const auto& s : scopes())
    if (s.depth == 0 && s.region) total += s.total_seconds;
  return total;
}

}  // namespace tt::profile
