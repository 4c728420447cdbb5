// The source rules of the stub check (stub_source.hpp): stubs per task, stub functions against
// the reference's, README part headings against module.json. Not run on submissions.
#include "tt/grade/stub_source.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "tt/grade/file_io.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

// The text with every comment replaced by spaces (newlines kept, so offsets and lines still match).
std::string blank_comments(const std::string& t) {
  std::string out = t;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '"' || t[i] == '\'') {
      const char q = t[i];
      for (++i; i < t.size() && t[i] != q && t[i] != '\n'; ++i)
        if (t[i] == '\\') ++i;
    } else if (t.compare(i, 2, "//") == 0) {
      for (; i < t.size() && t[i] != '\n'; ++i) out[i] = ' ';
    } else if (t.compare(i, 2, "/*") == 0) {
      const std::size_t close = t.find("*/", i + 2);
      const std::size_t end = close == std::string::npos ? t.size() : close + 2;
      for (; i < end; ++i)
        if (out[i] != '\n') out[i] = ' ';
      --i;
    }
  }
  return out;
}

std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

bool says_given(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text.find("given") != std::string::npos || text.find("scaffolding") != std::string::npos;
}

// The offset just past the brace that closes the one at `open` (strings skipped).
std::size_t matching_brace(const std::string& code, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"' || c == '\'') {
      for (++i; i < code.size() && code[i] != c && code[i] != '\n'; ++i)
        if (code[i] == '\\') ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return code.size();
}

// Whether the function starting at `start` is marked as given in the original text: by the
// comment lines right above its first line, or by the nearest `// ----` section banner above it.
bool marked_given(const std::string& text, std::size_t start) {
  std::vector<std::string> above;  // the lines before the function's, last first
  std::size_t end = text.rfind('\n', start);
  while (end != std::string::npos && end > 0) {
    const std::size_t b = text.rfind('\n', end - 1);
    const std::size_t from = b == std::string::npos ? 0 : b + 1;
    above.push_back(text.substr(from, end - from));
    if (b == std::string::npos) break;
    end = b;
  }
  std::string doc;
  for (const auto& line : above) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line.compare(first, 2, "//") != 0) break;
    doc += line;
  }
  if (says_given(doc)) return true;
  for (const auto& line : above)
    if (line.rfind("// ----", 0) == 0) return says_given(line);
  return false;
}

}  // namespace

std::vector<SourceFunction> top_level_functions(const std::string& text) {
  const std::string code = blank_comments(text);
  static const std::regex opens_scope(R"((\bnamespace\b[^;{}()]*|extern\s*"C"\s*)$)");
  static const std::regex type_head(R"(^\s*(template\s*<[^>]*>\s*)?(struct|class|enum|union)\b)");
  std::vector<SourceFunction> out;
  std::size_t seg = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"' || c == '\'') {
      for (++i; i < code.size() && code[i] != c && code[i] != '\n'; ++i)
        if (code[i] == '\\') ++i;
      continue;
    }
    if (c == ';' || c == '}') {
      seg = i + 1;
      continue;
    }
    if (c == '#') {  // a preprocessor line is no part of a declaration
      i = code.find('\n', i);
      if (i == std::string::npos) break;
      seg = i + 1;
      continue;
    }
    if (c != '{') continue;
    const std::string head = code.substr(seg, i - seg);
    if (std::regex_search(head, opens_scope)) {  // look inside namespaces
      seg = i + 1;
      continue;
    }
    const std::size_t end = matching_brace(code, i);
    const std::string paren_head = head.substr(0, head.find('('));
    if (head.find(')') != std::string::npos && !std::regex_search(head, type_head) &&
        paren_head.find('=') == std::string::npos) {
      const std::size_t start = seg + head.find_first_not_of(" \t\r\n");
      SourceFunction f;
      f.signature = squeeze(head);
      f.body = squeeze(code.substr(i, end - i));
      f.line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(start), '\n')) + 1;
      f.given = marked_given(text, start);
      out.push_back(std::move(f));
    }
    seg = end;
    i = end - 1;
  }
  return out;
}

std::vector<std::string> stub_task_ids(const std::string& text) {
  static const std::regex stub(R"(TT_UNIMPLEMENTED\(\s*"(\d+\.\d+)[ "])");
  const std::string code = blank_comments(text);
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), stub); it != std::sregex_iterator(); ++it)
    ids.push_back((*it)[1]);
  return ids;
}

std::vector<std::string> todo_task_ids(const std::string& text) {
  static const std::regex todo(R"(TODO\((\d+\.\d+)\))");
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), todo); it != std::sregex_iterator(); ++it)
    ids.push_back((*it)[1]);
  return ids;
}

namespace {

// README headings "## Part N — … (task 16.2)" / "(tasks 18.1, 18.2)": task id → N.
std::map<std::string, int> readme_parts(const std::string& readme) {
  static const std::regex heading(R"(^##\s+Part\s+(\d+)\b.*\((tasks?\s[^)]*)\))");
  static const std::regex task_id(R"(\b(\d+\.\d+)\b)");
  std::map<std::string, int> parts;
  std::size_t from = 0;
  while (from < readme.size()) {
    const std::size_t nl = std::min(readme.find('\n', from), readme.size());
    const std::string line = readme.substr(from, nl - from);
    from = nl + 1;
    std::smatch h;
    if (!std::regex_search(line, h, heading)) continue;
    const std::string list = h[2];
    for (auto t = std::sregex_iterator(list.begin(), list.end(), task_id); t != std::sregex_iterator(); ++t)
      parts[(*t)[1]] = std::stoi(h[1]);
  }
  return parts;
}

}  // namespace

std::vector<std::string> stub_source_problems(const Manifest& m, const fs::path& solution_dir) {
  std::vector<std::string> P;
  std::set<std::string> stubbed;
  for (const auto& rel : m.student_files) {
    const fs::path stub_path = m.dir / rel;
    if (!fs::exists(stub_path)) continue;  // the binary check reports a missing file
    const std::string stub = read_file(stub_path);
    const auto ids = stub_task_ids(stub);
    for (const auto& id : ids) {
      stubbed.insert(id);
      if (!m.find_task(id))
        P.push_back(rel + ": TT_UNIMPLEMENTED(\"" + id +
                    " …\") names no task of module.json; name the task "
                    "the student does here");
    }
    // A task whose code sits inside another task's stub (19.2's bytes and FLOPs in 19.1's open and
    // close) is the student's too when that stub marks it: TODO(19.2).
    if (!ids.empty())
      for (const auto& id : todo_task_ids(stub)) stubbed.insert(id);
    const fs::path ref_path = solution_dir / rel;
    if (solution_dir.empty() || !fs::exists(ref_path)) continue;
    std::map<std::string, std::string> reference;
    for (const auto& f : top_level_functions(read_file(ref_path))) reference[f.signature] = f.body;
    for (const auto& f : top_level_functions(stub)) {
      const auto it = reference.find(f.signature);
      if (f.given || f.body.size() <= 2 || it == reference.end() || it->second != f.body) continue;
      P.push_back(rel + ":" + std::to_string(f.line) +
                  ": this stub function is the reference's (same body, comments removed); if it is part of a "
                  "task, replace the body by a hint, a TODO and TT_UNIMPLEMENTED; if it is scaffolding, say so "
                  "in a \"// Given: …\" comment above it");
    }
  }
  for (const auto& t : m.tasks)
    if (!stubbed.count(t.id))
      P.push_back("task " + t.id + ": no stub throws TT_UNIMPLEMENTED(\"" + t.id + " …\") or marks TODO(" + t.id +
                  ") in the student files, so the task has no code of the student's own to write");
  const fs::path readme = m.dir / "README.md";
  if (fs::exists(readme)) {
    const auto parts = readme_parts(read_file(readme));
    for (const auto& t : m.tasks) {
      const auto it = parts.find(t.id);
      if (it == parts.end())
        P.push_back("task " + t.id + ": no README heading \"## Part " + std::to_string(t.part) + " — … (task " + t.id +
                    ")\" names it (module.json says part " + std::to_string(t.part) + ")");
      else if (it->second != t.part)
        P.push_back("task " + t.id + ": the README lists it under Part " + std::to_string(it->second) +
                    ", module.json says part " + std::to_string(t.part) + "; make them agree");
    }
  }
  return P;
}

}  // namespace tt::grade
