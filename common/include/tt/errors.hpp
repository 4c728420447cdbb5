// The typed exceptions of the tensor core and the TT_UNIMPLEMENTED stub macro.
// Not a logging facility: every error here is thrown, with a message a user can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace tt {

// Base of every error the toolkit throws on purpose.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Tensor shapes that do not fit together; the message names both shapes.
class shape_error : public error {
 public:
  using error::error;
};

// An argument outside its valid range (a negative size, an amount outside [0, 1], NaN input).
class value_error : public error {
 public:
  using error::error;
};

// A data set or weight file that is missing, truncated or not what it claims to be.
class data_error : public error {
 public:
  using error::error;
};

// A capacity or index limit (a full cache, a layer index past the end).
class index_error : public error {
 public:
  using error::error;
};

// Thrown by every student stub until the student implements it. `task` is "NN.k what", e.g.
// "16.2 KVCache::update"; the README heading of the part that teaches it names "task NN.k".
class not_implemented : public error {
 public:
  // Every message starts with it; the test reporter and the grader recognise a stub by it.
  static constexpr const char* kMarker = "not implemented yet";
  explicit not_implemented(const std::string& task)
      : error(std::string(kMarker) + ": " + task + " (your task " + task.substr(0, task.find(' ')) +
              ": see the module README)") {}
};

}  // namespace tt

// The only way a stub says "not done": throws in every build type (unlike assert).
#define TT_UNIMPLEMENTED(task) throw ::tt::not_implemented(task)
