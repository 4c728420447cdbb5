// code_lines: a small scanner over C/C++ text that drops comments and counts tokens line by line.
// Not a preprocessor: macros are not expanded, and a line continuation is not joined.
#include "tt/grade/code_lines.hpp"

#include <algorithm>
#include <cctype>

namespace tt::grade {

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }

// Two-character operators that C++ lexes as one token.
bool is_operator_pair(char a, char b) {
  static const char* const pairs[] = {"::", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
                                      "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", ".*", "##"};
  return std::any_of(std::begin(pairs), std::end(pairs), [&](const char* p) { return p[0] == a && p[1] == b; });
}

// The scanner's state carried from one line to the next.
struct Carry {
  bool in_block_comment = false;
  bool in_raw_string = false;
  std::string raw_end;  // ")delim\"" that ends the raw string
};

// Appends a piece of code to `out`, keeping a space only between two word characters.
void append(std::string& out, std::string_view piece, bool& pending_space) {
  if (piece.empty()) return;
  if (pending_space && !out.empty() && is_word(out.back()) && is_word(piece.front())) out += ' ';
  pending_space = false;
  out += piece;
}

CodeLine scan_line(std::string_view line, Carry& carry) {
  CodeLine r;
  bool pending_space = false;
  std::size_t i = 0;
  const std::size_t n = line.size();
  if (!carry.in_block_comment && !carry.in_raw_string) {
    const auto first = line.find_first_not_of(" \t\r\f\v");
    if (first != std::string_view::npos && line[first] == '#') return r;  // preprocessor: sim skips it too
  }
  while (i < n) {
    if (carry.in_block_comment) {
      const auto end = line.find("*/", i);
      if (end == std::string_view::npos) return r;
      carry.in_block_comment = false;
      pending_space = true;
      i = end + 2;
      continue;
    }
    if (carry.in_raw_string) {
      const auto end = line.find(carry.raw_end, i);
      const std::size_t stop = end == std::string_view::npos ? n : end + carry.raw_end.size();
      append(r.code, line.substr(i, stop - i), pending_space);
      if (end == std::string_view::npos) return r;
      carry.in_raw_string = false;
      i = stop;
      continue;
    }
    const char c = line[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      ++i;
    } else if (c == '/' && i + 1 < n && line[i + 1] == '/') {
      break;
    } else if (c == '/' && i + 1 < n && line[i + 1] == '*') {
      carry.in_block_comment = true;
      i += 2;
    } else if (c == 'R' && i + 1 < n && line[i + 1] == '"' && (i == 0 || !is_word(line[i - 1]))) {
      const auto open = line.find('(', i + 2);
      const std::string delim(line.substr(i + 2, open == std::string_view::npos ? 0 : open - i - 2));
      carry.in_raw_string = true;
      carry.raw_end = ")" + delim + "\"";
      ++r.tokens;
      const std::size_t body = open == std::string_view::npos ? n : open + 1;
      append(r.code, line.substr(i, body - i), pending_space);
      i = body;
    } else if (c == '"' || (c == '\'' && (i == 0 || !is_word(line[i - 1])))) {
      // A string or character literal (a ' after a word character is a digit separator: 1'000).
      std::size_t j = i + 1;
      while (j < n && line[j] != c) j += line[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, n);
      append(r.code, line.substr(i, j - i), pending_space);
      ++r.tokens;
      i = j;
    } else if (is_word(c)) {
      std::size_t j = i;
      // A number keeps its '.', digit separators and exponent sign (1.5e-3f is one token).
      const bool number = std::isdigit(static_cast<unsigned char>(c)) != 0;
      while (j < n &&
             (is_word(line[j]) ||
              (number && (line[j] == '.' || line[j] == '\'' ||
                          ((line[j] == '-' || line[j] == '+') && (line[j - 1] == 'e' || line[j - 1] == 'E'))))))
        ++j;
      append(r.code, line.substr(i, j - i), pending_space);
      ++r.tokens;
      i = j;
    } else {
      const std::size_t len = i + 1 < n && is_operator_pair(c, line[i + 1]) ? 2 : 1;
      append(r.code, line.substr(i, len), pending_space);
      ++r.tokens;
      i += len;
    }
  }
  return r;
}

}  // namespace

bool CodeLine::substantive() const { return std::any_of(code.begin(), code.end(), is_word); }

std::vector<CodeLine> code_lines(std::string_view text) {
  std::vector<CodeLine> out;
  Carry carry;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const std::size_t stop = end == std::string_view::npos ? text.size() : end;
    out.push_back(scan_line(text.substr(start, stop - start), carry));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace tt::grade
