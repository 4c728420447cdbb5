// Escaping text for the grader's static HTML pages (scores.html, similarity.html).
// Not a template engine: each page builds its markup itself and passes every piece of foreign
// text (names, student code) through html_escape.
#pragma once

#include <string>
#include <string_view>

namespace tt::grade {

// `s` with &, <, >, " and ' replaced by entities: safe in element text and quoted attributes.
std::string html_escape(std::string_view s);

}  // namespace tt::grade
