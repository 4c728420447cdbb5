// The allocator tuning of tt/malloc_tuning.hpp: two mallopt calls, skipped with TT_MALLOC_DEFAULTS=1.
// Not called per allocation: tracking.cpp applies it once, while the program starts.
#include "tt/malloc_tuning.hpp"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tt {
namespace {

constexpr int kMmapThresholdBytes = 32 << 20;   // glibc's maximum: blocks up to 32 MiB come from the heap
constexpr int kTrimThresholdBytes = 512 << 20;  // give memory back only above 512 MiB free at the top

}  // namespace

bool apply_malloc_tuning() {
#if defined(__GLIBC__)
  if (std::getenv("TT_MALLOC_DEFAULTS") != nullptr) return false;
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
  return true;
#else
  return false;
#endif
}

}  // namespace tt
