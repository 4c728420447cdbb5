// What each line of a C or C++ file holds once its comments are gone: the code in a canonical
// spacing, and roughly how many lexical tokens it has. The similarity report uses it to tell the
// stub's given lines from a student's own code and to weigh a shared run by its own tokens.
// Not a C++ parser: it knows comments, string and character literals (raw strings too), digit
// separators and preprocessor lines, and nothing about the language's grammar.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tt::grade {

struct CodeLine {
  // The line without comments, with whitespace only where it separates two words ("if(x){");
  // empty for a blank line, a comment-only line or a preprocessor line.
  std::string code;
  int tokens = 0;  // identifiers, numbers, literals and operators, as a C++ lexer would count them
  // Holds a word or a number, not only braces and punctuation ("}", "});").
  bool substantive() const;
};

// One entry per line of text (split at '\n'; a final line without '\n' counts, an empty text has
// no lines). Comments spanning lines and raw strings are followed across lines.
std::vector<CodeLine> code_lines(std::string_view text);

}  // namespace tt::grade
