// CommonMark rendering through libcmark in safe mode, with warnings for what safe mode removes.
// Not a general HTML sanitizer: cmark never emits student markup in safe mode; images from other
// hosts are cut here because a page must not fetch anything off the machine.
#include "tt/portfolio/markdown.hpp"

#include <cmark.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace tt::portfolio {

namespace {

bool is_remote(std::string_view url) {
  const auto starts = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    return true;
  };
  return starts("http:") || starts("https:") || starts("//") || starts("ftp:") || starts("data:");
}

std::string text_of(cmark_node* node) {
  std::string s;
  for (cmark_node* c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
    const char* lit = cmark_node_get_literal(c);
    s += lit ? lit : text_of(c);
  }
  return s;
}

}  // namespace

std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
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
  return out;
}

RenderedMarkdown render_markdown(const std::string& markdown) {
  RenderedMarkdown r;
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8),
      &cmark_node_free);
  if (!doc) {
    r.warnings.push_back("the Markdown could not be parsed; the text is shown as it is");
    r.html = "<pre>" + escape_html(markdown) + "</pre>";
    return r;
  }
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(doc.get()), &cmark_iter_free);
  for (cmark_event_type ev; (ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it.get());
    const int line = cmark_node_get_start_line(n);
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
        r.warnings.push_back("embedded HTML removed (line " + std::to_string(line) +
                             "): write Markdown only; scripts and markup never reach the page");
        break;
      case CMARK_NODE_IMAGE:
        if (is_remote(cmark_node_get_url(n) ? cmark_node_get_url(n) : "")) {
          r.warnings.push_back("image from another host removed (line " + std::to_string(line) +
                               "): put the file under portfolio/ and link it by a relative path");
          cmark_node_set_url(n, "");
        }
        break;
      case CMARK_NODE_LINK:
        if (std::string_view(cmark_node_get_url(n) ? cmark_node_get_url(n) : "").starts_with("javascript:"))
          r.warnings.push_back("javascript: link removed (line " + std::to_string(line) + ")");
        break;
      case CMARK_NODE_HEADING:
        if (r.title.empty()) r.title = text_of(n);
        break;
      default:
        break;
    }
  }
  char* html = cmark_render_html(doc.get(), CMARK_OPT_DEFAULT);  // safe: raw HTML and unsafe URLs omitted
  r.html = html;
  free(html);
  return r;
}

}  // namespace tt::portfolio
