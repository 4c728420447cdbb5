// Names of the error kinds, for messages and reports.
// Not where errors are raised: each concern throws its own, with the full sentence.
#include "tt/portfolio/error.hpp"

namespace tt::portfolio {

std::string to_string(ErrorKind k) {
  switch (k) {
    case ErrorKind::bad_measurement:
      return "bad measurement";
    case ErrorKind::bad_course:
      return "bad course";
    case ErrorKind::io:
      return "i/o";
    case ErrorKind::bad_usage:
      return "bad usage";
  }
  return "error";
}

}  // namespace tt::portfolio
