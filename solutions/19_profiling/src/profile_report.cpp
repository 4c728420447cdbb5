// Reference profiler outputs: the breakdown with "other", the text report, Chrome trace and JSON summary.
// Not the recording: scopes are recorded in profiler.cpp; this file only reads what it kept.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "tt/errors.hpp"
#include "tt/profile/profiler.hpp"
#include "tt/profile/text.hpp"

namespace tt::profile {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}  // namespace

// ---- 19.4: breakdown and report -----------------------------------------------------------

std::vector<BreakdownRow> PerformanceProfiler::breakdown(const std::vector<std::string>& look_through) const {
  const auto all = scopes();
  double total = 0;
  for (const auto& s : all)
    if (s.depth == 0 && s.region) total += s.total_seconds;
  if (total <= 0) return {};
  // A top-level op is a hook scope, not looked through, whose ancestors are all regions or
  // looked-through scopes: walk the depth-first list keeping, per depth, whether the path so far
  // is made of those only.
  auto transparent = [&](const ScopeStats& s) {
    return s.region || std::find(look_through.begin(), look_through.end(), s.name) != look_through.end();
  };
  std::vector<bool> open_path;  // open_path[d]: the scope at depth d and its ancestors are transparent
  std::vector<BreakdownRow> rows;
  for (const auto& s : all) {
    open_path.resize(static_cast<std::size_t>(s.depth) + 1);
    const bool ancestors_open = s.depth > 0 && open_path[s.depth - 1];
    // Outermost scopes count only when they are regions (a worker thread's outermost hooks ran
    // in parallel with some region and are not part of its wall time).
    open_path[s.depth] = s.depth == 0 ? s.region : (ancestors_open && transparent(s));
    if (!ancestors_open || transparent(s)) continue;
    auto it = std::find_if(rows.begin(), rows.end(), [&](const BreakdownRow& r) { return r.name == s.name; });
    if (it == rows.end()) {
      rows.push_back(BreakdownRow{s.name, 0, 0, 0, 0, 0});
      it = rows.end() - 1;
    }
    it->calls += s.calls;
    it->seconds += s.total_seconds;
    it->flops += s.flops;
    it->bytes_allocated += s.bytes_allocated;
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const BreakdownRow& a, const BreakdownRow& b) { return a.seconds > b.seconds; });
  double in_ops = 0;
  for (const auto& r : rows) in_ops += r.seconds;
  BreakdownRow other{"other", 0, std::max(0.0, total - in_ops), 0, 0, 0};
  for (const auto& s : all)
    if (s.depth == 0 && s.region) other.calls += s.calls;
  rows.push_back(other);
  // Shares of the sum of rows, so they add up to 1 even if clock rounding put ops above total.
  double sum = 0;
  for (const auto& r : rows) sum += r.seconds;
  for (auto& r : rows) r.share = sum > 0 ? r.seconds / sum : 0;
  return rows;
}

double PerformanceProfiler::coverage(const std::vector<std::string>& look_through) const {
  const auto rows = breakdown(look_through);
  if (rows.empty()) return 0;
  return 1.0 - rows.back().share;
}

std::string PerformanceProfiler::report() const {
  std::ostringstream o;
  const auto rows = breakdown();
  const auto all = scopes();
  const double total = total_seconds();
  o << "Profile: " << fixed(total * 1e3, 3) << " ms profiled, " << fixed(coverage() * 100, 1)
    << "% of it in named ops\n\n";
  o << pad("op", 20) << pad("calls", 8, false) << pad("ms", 11, false) << pad("share", 9, false)
    << pad("GFLOP/s", 10, false) << pad("alloc MB", 10, false) << "\n";
  for (const auto& r : rows) {
    o << pad(r.name, 20) << pad(std::to_string(r.calls), 8, false) << pad(fixed(r.seconds * 1e3, 3), 11, false)
      << pad(fixed(r.share * 100, 1) + "%", 9, false)
      << pad(r.flops > 0 && r.seconds > 0 ? fixed(r.flops / r.seconds * 1e-9, 2) : "-", 10, false)
      << pad(fixed(static_cast<double>(r.bytes_allocated) / kMiB, 2), 10, false) << "\n";
  }
  o << pad("total", 20) << pad("", 8) << pad(fixed(total * 1e3, 3), 11, false) << pad("100.0%", 9, false) << "\n\n";
  o << pad("scope tree", 36) << pad("calls", 8, false) << pad("total ms", 11, false) << pad("self ms", 11, false)
    << pad("self %", 8, false) << pad("alloc MB", 10, false) << pad("peak MB", 9, false) << pad("GFLOP/s", 9, false)
    << "\n";
  for (const auto& s : all) {
    o << pad(std::string(static_cast<std::size_t>(2 * s.depth), ' ') + s.name, 36)
      << pad(std::to_string(s.calls), 8, false) << pad(fixed(s.total_seconds * 1e3, 3), 11, false)
      << pad(fixed(s.self_seconds * 1e3, 3), 11, false)
      << pad(total > 0 ? fixed(s.self_seconds / total * 100, 1) : "-", 8, false)
      << pad(fixed(static_cast<double>(s.bytes_allocated) / kMiB, 2), 10, false)
      << pad(fixed(static_cast<double>(s.peak_bytes) / kMiB, 2), 9, false)
      << pad(s.flops > 0 && s.total_seconds > 0 ? fixed(s.flops / s.total_seconds * 1e-9, 2) : "-", 9, false) << "\n";
  }
  return o.str();
}

// ---- 19.5: timeline, Chrome trace, JSON summary -------------------------------------------

std::vector<TraceEvent> PerformanceProfiler::events() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<TraceEvent> out;
  for (const auto& log : logs_) {
    // Depth of every node: the root is -1, its children 0, …
    std::vector<int> depth(log->nodes.size(), -1);
    for (std::size_t i = 1; i < log->nodes.size(); ++i) depth[i] = depth[log->nodes[i].parent] + 1;
    for (const Call& c : log->calls) {
      const Node& n = log->nodes[c.node];
      TraceEvent e;
      e.name = n.name;
      e.tid = log->tid;
      e.depth = depth[c.node];
      e.region = n.region;
      e.start_us = static_cast<double>(c.start_ns) * 1e-3;
      e.dur_us = static_cast<double>(c.end_ns - c.start_ns) * 1e-3;
      e.flops = c.flops;
      e.bytes_allocated = c.bytes;
      out.push_back(std::move(e));
    }
  }
  // Calls are recorded when they close (children first); the timeline wants start order, and a
  // parent before a child that starts at the same tick.
  std::stable_sort(out.begin(), out.end(), [](const TraceEvent& a, const TraceEvent& b) {
    if (a.start_us != b.start_us) return a.start_us < b.start_us;
    if (a.tid != b.tid) return a.tid < b.tid;
    return a.depth < b.depth;
  });
  return out;
}

nlohmann::json PerformanceProfiler::chrome_trace() const {
  using nlohmann::json;
  json events = json::array();
  events.push_back(
      {{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"tid", 0}, {"args", {{"name", "tt profiler"}}}});
  int max_tid = 0;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    max_tid = static_cast<int>(logs_.size());
  }
  for (int t = 1; t <= max_tid; ++t)
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"tid", t},
                      {"args", {{"name", t == 1 ? std::string("main") : "thread " + std::to_string(t)}}}});
  for (const auto& e : this->events()) {
    events.push_back({{"name", e.name},
                      {"cat", e.region ? "region" : "op"},
                      {"ph", "X"},
                      {"ts", e.start_us},
                      {"dur", e.dur_us},
                      {"pid", 1},
                      {"tid", e.tid},
                      {"args", {{"flops", e.flops}, {"bytes_allocated", e.bytes_allocated}, {"depth", e.depth}}}});
  }
  return json{{"traceEvents", events}, {"displayTimeUnit", "ms"}};
}

nlohmann::json PerformanceProfiler::summary() const {
  using nlohmann::json;
  json breakdown_rows = json::array();
  for (const auto& r : breakdown())
    breakdown_rows.push_back({{"name", r.name},
                              {"calls", r.calls},
                              {"seconds", r.seconds},
                              {"share", r.share},
                              {"flops", r.flops},
                              {"bytes_allocated", r.bytes_allocated}});
  json scope_rows = json::array();
  for (const auto& s : scopes())
    scope_rows.push_back({{"name", s.name},
                          {"path", s.path},
                          {"depth", s.depth},
                          {"region", s.region},
                          {"calls", s.calls},
                          {"total_seconds", s.total_seconds},
                          {"self_seconds", s.self_seconds},
                          {"bytes_allocated", s.bytes_allocated},
                          {"self_bytes_allocated", s.self_bytes_allocated},
                          {"peak_bytes", s.peak_bytes},
                          {"flops", s.flops}});
  return json{{"schema", "tt-profile/1"},
              {"total_seconds", total_seconds()},
              {"coverage", coverage()},
              {"breakdown", breakdown_rows},
              {"scopes", scope_rows}};
}

void PerformanceProfiler::write_chrome_trace(const std::string& path) const {
  std::ofstream out(path);
  if (!out) throw data_error("write_chrome_trace: cannot open '" + path + "' for writing; check the directory exists");
  out << chrome_trace().dump() << "\n";
  if (!out) throw data_error("write_chrome_trace: writing '" + path + "' failed (disk full?)");
}

}  // namespace tt::profile
