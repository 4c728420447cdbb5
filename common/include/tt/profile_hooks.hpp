// Profiling hooks: named scopes the core's layers open, recorded only when a profiler listens.
// Not a profiler: module 19 builds one and installs it as the ProfileSink.
#pragma once

#include <atomic>

namespace tt {

// What a profiler implements to receive scope events. Calls come from any thread; a scope's
// begin and end come from the same thread, properly nested per thread.
class ProfileSink {
 public:
  virtual ~ProfileSink() = default;
  // `name` is a string literal (static storage); `flops` is the op's work if known, else 0.
  virtual void begin(const char* name, double flops) = 0;
  virtual void end(const char* name) = 0;
};

namespace detail {
inline std::atomic<ProfileSink*> g_profile_sink{nullptr};
}

// Installs `sink` (nullptr to stop) and returns the previous one.
inline ProfileSink* set_profile_sink(ProfileSink* sink) {
  return detail::g_profile_sink.exchange(sink, std::memory_order_acq_rel);
}
inline ProfileSink* profile_sink() { return detail::g_profile_sink.load(std::memory_order_acquire); }

// RAII scope: one atomic load and a branch when no sink is installed.
class ProfileScope {
 public:
  explicit ProfileScope(const char* name, double flops = 0) : name_(name), sink_(profile_sink()) {
    if (sink_ != nullptr) sink_->begin(name_, flops);
  }
  ~ProfileScope() {
    if (sink_ != nullptr) sink_->end(name_);
  }
  ProfileScope(const ProfileScope&) = delete;
  ProfileScope& operator=(const ProfileScope&) = delete;

 private:
  const char* name_;
  ProfileSink* sink_;
};

}  // namespace tt

#define TT_PROFILE_CONCAT_(a, b) a##b
#define TT_PROFILE_CONCAT(a, b) TT_PROFILE_CONCAT_(a, b)
// TT_PROFILE_SCOPE("Linear") or TT_PROFILE_SCOPE("matmul", 2.0 * m * n * k)
#define TT_PROFILE_SCOPE(...) ::tt::ProfileScope TT_PROFILE_CONCAT(tt_profile_scope_, __LINE__)(__VA_ARGS__)
