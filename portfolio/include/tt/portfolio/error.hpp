// The one exception type of tt-portfolio: what was expected, what was found, what to do.
// Not a warning channel: problems a page can show (a stale number, embedded HTML) are values, not throws.
#pragma once

#include <stdexcept>
#include <string>

namespace tt::portfolio {

enum class ErrorKind {
  bad_measurement,  // a measurement file that is not tt-portfolio-measurement/1 JSON
  bad_course,       // a module.json that cannot be read
  io,               // a file that cannot be read or written
  bad_usage,        // a command line that asks for something impossible
};

std::string to_string(ErrorKind k);

class portfolio_error : public std::runtime_error {
 public:
  portfolio_error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace tt::portfolio
