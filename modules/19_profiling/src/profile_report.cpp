// Profiler outputs (student file): the breakdown with "other", the text report, Chrome trace and summary.
// Not the recording: scopes are recorded in profiler.cpp; this file only reads what it kept.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "tt/errors.hpp"
#include "tt/profile/profiler.hpp"

namespace tt::profile {

// ---- 19.4: breakdown and report -----------------------------------------------------------

std::vector<BreakdownRow> PerformanceProfiler::breakdown(const std::vector<std::string>& look_through) const {
  // The total is the sum of the outermost regions' total time (empty result if it is 0). A
  // top-level op is a hook scope (not a region, not in look_through) whose ancestors are all
  // regions or looked-through scopes, the outermost one a region (walk scopes() depth-first,
  // remembering per depth whether the path so far qualifies). Merge those by name (calls,
  // inclusive seconds, FLOPs, bytes), sort by seconds, then append "other" = total minus the
  // ops' seconds (never negative). Divide by the sum of the rows, so shares add to 1.
  // TODO(19.4): the rows and "other".
  TT_UNIMPLEMENTED("19.4 PerformanceProfiler::breakdown");
}

double PerformanceProfiler::coverage(const std::vector<std::string>& look_through) const {
  // 1 - the share of "other" (0 when nothing was recorded).
  // TODO(19.4): from breakdown().
  TT_UNIMPLEMENTED("19.4 PerformanceProfiler::coverage");
}

std::string PerformanceProfiler::report() const {
  // Two tables as text: the breakdown (op, calls, ms, share %, GFLOP/s, MB allocated, and a total
  // line) and the scope tree, indented by depth (calls, total ms, self ms, self %, MB, peak MB,
  // GFLOP/s). Name every scope and op; print shares with a '%'.
  // TODO(19.4): format the report.
  TT_UNIMPLEMENTED("19.4 PerformanceProfiler::report");
}

// ---- 19.5: timeline, Chrome trace, JSON summary -------------------------------------------

std::vector<TraceEvent> PerformanceProfiler::events() const {
  // One TraceEvent per recorded Call of every thread (lock mutex_): name and region flag from its
  // node, depth from the node's ancestors, start and duration in µs. Calls were recorded as they
  // closed (children first): sort by start time, then tid, then depth (parent first).
  // TODO(19.5): collect and sort.
  TT_UNIMPLEMENTED("19.5 PerformanceProfiler::events");
}

nlohmann::json PerformanceProfiler::chrome_trace() const {
  // {"traceEvents": [...], "displayTimeUnit": "ms"}. Optional metadata events ("ph": "M",
  // "process_name" / "thread_name") name the threads; then one complete event per call:
  // {"name", "cat": "region" or "op", "ph": "X", "ts": start µs, "dur": µs, "pid": 1, "tid",
  //  "args": {"flops", "bytes_allocated", "depth"}}, in events() order.
  // TODO(19.5): build the JSON.
  TT_UNIMPLEMENTED("19.5 PerformanceProfiler::chrome_trace");
}

nlohmann::json PerformanceProfiler::summary() const {
  // {"schema": "tt-profile/1", "total_seconds", "coverage", "breakdown": [{name, calls, seconds,
  //  share, flops, bytes_allocated}], "scopes": [{name, path, depth, region, calls, total_seconds,
  //  self_seconds, bytes_allocated, self_bytes_allocated, peak_bytes, flops}]}
  // TODO(19.5): build the JSON.
  TT_UNIMPLEMENTED("19.5 PerformanceProfiler::summary");
}

void PerformanceProfiler::write_chrome_trace(const std::string& path) const {
  // Write chrome_trace().dump() to the file; tt::data_error naming the path if it cannot be opened
  // or written.
  // TODO(19.5): write the file.
  TT_UNIMPLEMENTED("19.5 PerformanceProfiler::write_chrome_trace");
}

}  // namespace tt::profile
