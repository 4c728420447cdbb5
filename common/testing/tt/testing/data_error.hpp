// The message of the tt::data_error a call throws, for tests of bad input (file loaders).
// Not an assertion: the caller checks what the message says (what was found, what to do).
#pragma once

#include <functional>
#include <string>

#include "tt/errors.hpp"

namespace tt::testing {

// fn()'s data_error message, or "no data_error thrown" (other exceptions propagate).
inline std::string data_error_message(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const tt::data_error& e) {
    return e.what();
  }
  return "no data_error thrown";
}

}  // namespace tt::testing
