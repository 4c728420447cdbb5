// glibc allocator tuning for tensor workloads: a process-wide setting, applied once at start-up by
// the tracking allocator's unit (tracking.cpp). Not part of memory accounting: it changes no count.
#pragma once

namespace tt {

// Keeps freed tensor memory in the process instead of returning it to the OS on every free:
// raises glibc's mmap threshold to its maximum (32 MiB) and the trim threshold to 512 MiB.
// Tensors are allocated and freed at a high rate (every layer's output is a fresh tensor); with
// glibc's defaults, blocks above the mmap threshold are mmap'd and munmap'd on every free, and
// free memory at the top of the heap is returned to the OS and faulted back in on the next call.
// Measured with module 19's profiler on the reference GPT generation (course VM, busy machine):
// 10-12 % of the run went to that churn, outside any op.
// Returns true when the tuning was applied; false with TT_MALLOC_DEFAULTS=1 in the environment
// (glibc's defaults, to see the difference) or on a C library other than glibc. Idempotent.
bool apply_malloc_tuning();

}  // namespace tt
