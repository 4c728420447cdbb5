// Markdown to HTML with libcmark (CommonMark), safely: raw HTML and javascript: links are dropped
// by cmark's safe mode, images from other hosts are removed, and each of these becomes a warning.
// Not a sanitizer for arbitrary HTML: nothing the student wrote reaches the page as markup.
#pragma once

#include <string>
#include <vector>

namespace tt::portfolio {

struct RenderedMarkdown {
  std::string html;
  std::vector<std::string> warnings;  // "embedded HTML removed (line 12)", …
  std::string title;                  // the text of the first heading, or ""
};

RenderedMarkdown render_markdown(const std::string& markdown);

// `s` with &, <, >, " and ' replaced by entities: safe in element text and quoted attributes.
std::string escape_html(const std::string& s);

}  // namespace tt::portfolio
