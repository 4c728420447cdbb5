// html_escape: the five characters that can end an element's text or a quoted attribute.
// Not a sanitizer of markup: callers never pass markup through it expecting it to survive.
#include "tt/grade/html.hpp"

namespace tt::grade {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace tt::grade
