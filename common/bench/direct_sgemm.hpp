// The benchmark's baseline: one plain cblas_sgemm call, compiled in its own translation unit.
// Not a backend: no views, no checks; row-major contiguous a (m, k), b (k, n), c (m, n).
#pragma once

namespace tt::bench {

// c = a · b with cblas_sgemm (row-major, no transposes, alpha 1, beta 0).
void direct_sgemm(int m, int n, int k, const float* a, const float* b, float* c);

}  // namespace tt::bench
