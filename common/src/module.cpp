// Module::zero_grad and require_cached: the little shared behaviour of every layer.
// Not the layers themselves: each lives in its own file (linear.cpp, conv2d.cpp, …).
#include "tt/module.hpp"

#include <algorithm>

#include "layer_checks.hpp"

namespace tt {

void Module::zero_grad() {
  for (Param* p : params()) std::fill(p->grad.data(), p->grad.data() + p->grad.size(), 0.0F);
}

void require_cached(const Tensor& cached, const std::string& kind) {
  detail::require_forward(!detail::is_empty(cached), kind);
}

}  // namespace tt
