// The synthetic class: functions found as blank-line-separated paragraphs whose braces balance,
// their inner lines shuffled per submission, their order permuted, identifiers renamed.
// Not a refactoring tool: the result need not compile (the similarity tool never builds it).
#include "tt/grade/synthetic_class.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>

#include "tt/grade/code_lines.hpp"
#include "tt/grade/file_io.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr double kParenthesesRate = 0.25;  // of the identifiers of an independent version's lines
constexpr double kDropConstRate = 0.5;

// Words a renaming leaves alone (keywords and the standard namespace); everything else that looks
// like an identifier may be renamed.
const std::set<std::string>& fixed_words() {
  static const std::set<std::string> words{"alignas",    "alignof",
                                           "auto",       "bool",
                                           "break",      "case",
                                           "catch",      "char",
                                           "class",      "const",
                                           "constexpr",  "continue",
                                           "decltype",   "default",
                                           "delete",     "do",
                                           "double",     "else",
                                           "enum",       "explicit",
                                           "false",      "float",
                                           "for",        "if",
                                           "inline",     "int",
                                           "long",       "namespace",
                                           "new",        "noexcept",
                                           "nullptr",    "operator",
                                           "private",    "public",
                                           "return",     "short",
                                           "signed",     "sizeof",
                                           "static",     "static_cast",
                                           "struct",     "switch",
                                           "template",   "this",
                                           "throw",      "true",
                                           "try",        "typename",
                                           "unsigned",   "using",
                                           "virtual",    "void",
                                           "while",      "std",
                                           "size_t",     "include",
                                           "const_cast", "reinterpret_cast"};
  return words;
}

// A paragraph of the reference file: lines up to a blank line outside any function body. A
// movable one is a function or a class (braces other than a namespace's, balanced); the others
// (includes, namespace lines) stay where they are.
struct Paragraph {
  std::vector<std::string> lines;
  bool movable = false;
};

bool opens_namespace(const std::string& code) { return code.rfind("namespace", 0) == 0; }

std::vector<Paragraph> paragraphs(const std::string& text) {
  std::vector<Paragraph> out;
  const auto code = code_lines(text);
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::vector<bool> braces;  // open braces: true for a namespace's
  int depth = 0;             // open braces that are not a namespace's
  Paragraph cur;
  bool has_block = false;
  auto close = [&] {
    if (!cur.lines.empty()) {
      cur.movable = has_block && depth == 0;
      out.push_back(std::move(cur));
    }
    cur = {};
    has_block = false;
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t\r") == std::string::npos && depth == 0) {
      close();
      continue;
    }
    cur.lines.push_back(lines[i]);
    const std::string& c = i < code.size() ? code[i].code : std::string();
    for (char ch : c) {
      if (ch == '{') {
        braces.push_back(opens_namespace(c));
        depth += braces.back() ? 0 : 1;
        has_block |= !braces.back();
      } else if (ch == '}' && !braces.empty()) {
        depth -= braces.back() ? 0 : 1;
        braces.pop_back();
      }
    }
  }
  close();
  return out;
}

// One submission's version of one file: its paragraphs (inner lines shuffled) and their order.
struct Version {
  std::vector<Paragraph> paragraphs;
  std::vector<std::size_t> order;  // a permutation of the movable slots' paragraphs
};

// Writes some expressions another way, as an independent author would: a word in redundant
// parentheses now and then, `const` dropped. Two such versions of a long line rarely keep a run
// of the tool's minimum length in common; a copy keeps all of it.
std::string own_style(const std::string& line, std::mt19937& rng) {
  if (line.find_first_not_of(" \t") != std::string::npos && line[line.find_first_not_of(" \t")] == '#') return line;
  std::bernoulli_distribution paren(kParenthesesRate), drop_const(kDropConstRate);
  std::string out;
  for (std::size_t i = 0; i < line.size();) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (!std::isalpha(c) && c != '_') {
      out += line[i++];
      continue;
    }
    std::size_t j = i;
    while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_')) ++j;
    const std::string word = line.substr(i, j - i);
    if (word == "const" && j < line.size() && line[j] == ' ' && drop_const(rng)) {
      i = j + 1;
      continue;
    }
    out += !fixed_words().count(word) && paren(rng) ? "(" + word + ")" : word;
    i = j;
  }
  return out;
}

Version independent_version(const std::vector<Paragraph>& ref, std::mt19937& rng) {
  Version v{ref, {}};
  std::vector<std::size_t> movable;
  for (std::size_t i = 0; i < v.paragraphs.size(); ++i) {
    auto& p = v.paragraphs[i];
    for (auto& l : p.lines) l = own_style(l, rng);
    if (!p.movable) continue;
    movable.push_back(i);
    // Keep the first line (the signature) and the last (the closing brace); shuffle the rest.
    if (p.lines.size() > 3) std::shuffle(p.lines.begin() + 1, p.lines.end() - 1, rng);
  }
  v.order.resize(v.paragraphs.size());
  std::iota(v.order.begin(), v.order.end(), 0);
  std::vector<std::size_t> shuffled = movable;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  for (std::size_t k = 0; k < movable.size(); ++k) v.order[movable[k]] = shuffled[k];
  return v;
}

// Renames about half of the identifiers (whole words only), consistently within one submission.
class Renamer {
 public:
  Renamer(std::mt19937& rng, int index) : rng_(rng), suffix_(std::to_string(index)) { suffix_.insert(0, 1, '_'); }
  std::string operator()(const std::string& line) {
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
      const unsigned char c = static_cast<unsigned char>(line[i]);
      if (!std::isalpha(c) && c != '_') {
        out += line[i++];
        continue;
      }
      std::size_t j = i;
      while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_')) ++j;
      out += rename(line.substr(i, j - i));
      i = j;
    }
    return out;
  }

 private:
  const std::string& rename(const std::string& word) {
    auto it = names_.find(word);
    if (it == names_.end()) {
      const bool keep = fixed_words().count(word) || std::bernoulli_distribution(0.5)(rng_);
      it = names_.emplace(word, keep ? word : word + suffix_).first;
    }
    return it->second;
  }
  std::mt19937& rng_;
  std::string suffix_;
  std::map<std::string, std::string> names_;
};

std::string render(const Version& v, Renamer& rename) {
  std::string text;
  for (std::size_t slot = 0; slot < v.order.size(); ++slot) {
    if (slot) text += "\n";
    for (const auto& l : v.paragraphs[v.order[slot]].lines) text += rename(l) + "\n";
  }
  return text;
}

// The larger movable paragraphs of a file that together hold at least half of its lines.
std::vector<std::size_t> larger_half(const std::vector<Paragraph>& ps) {
  std::vector<std::size_t> idx;
  std::size_t total = 0;
  for (std::size_t i = 0; i < ps.size(); ++i)
    if (ps[i].movable) {
      idx.push_back(i);
      total += ps[i].lines.size();
    }
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return ps[a].lines.size() > ps[b].lines.size(); });
  std::vector<std::size_t> pick;
  std::size_t taken = 0;
  for (std::size_t i : idx) {
    if (2 * taken >= total) break;
    pick.push_back(i);
    taken += ps[i].lines.size();
  }
  return pick;
}

}  // namespace

SyntheticClass make_synthetic_class(const Manifest& module, const fs::path& reference_dir, const fs::path& dir,
                                    int count, int plants, unsigned seed) {
  if (count < 2 * plants || count < 2)
    throw std::runtime_error("a synthetic class of " + std::to_string(count) + " submissions cannot hold " +
                             std::to_string(plants) + " planted copies between disjoint pairs");
  std::mt19937 rng(seed);
  SyntheticClass cls;
  for (int i = 0; i < count; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "s%03d", i + 1);
    cls.names.push_back(name);
  }
  // versions[file][submission]
  std::vector<std::vector<Version>> versions;
  for (const auto& f : module.student_files) {
    const fs::path ref = reference_dir / f;
    if (!fs::is_regular_file(ref))
      throw std::runtime_error("no reference file " + ref.string() + " to make a synthetic class from");
    const auto ps = paragraphs(read_file(ref));
    std::vector<Version> per_sub;
    per_sub.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) per_sub.push_back(independent_version(ps, rng));
    versions.push_back(std::move(per_sub));
  }
  // Planted copies between disjoint pairs: submission 2k+1's file is made from submission 2k+2's,
  // the pairs spread over the class.
  std::vector<int> people(static_cast<std::size_t>(count));
  std::iota(people.begin(), people.end(), 0);
  std::shuffle(people.begin(), people.end(), rng);
  for (int k = 0; k < plants; ++k) {
    const int from = people[2 * static_cast<std::size_t>(k)], to = people[2 * static_cast<std::size_t>(k) + 1];
    const std::size_t fi = static_cast<std::size_t>(k) % module.student_files.size();
    const bool whole = k % 2 == 0;
    Version& target = versions[fi][to];
    const Version& source = versions[fi][from];
    if (whole)
      target.paragraphs = source.paragraphs;
    else
      for (std::size_t p : larger_half(source.paragraphs)) target.paragraphs[p] = source.paragraphs[p];
    cls.planted.push_back({cls.names[from], cls.names[to], module.student_files[fi], whole});
  }
  for (int i = 0; i < count; ++i) {
    Renamer rename(rng, i + 1);
    for (std::size_t fi = 0; fi < module.student_files.size(); ++fi) {
      const fs::path out = dir / cls.names[i] / "modules" / module.name / module.student_files[fi];
      fs::create_directories(out.parent_path());
      write_file_atomically(out, render(versions[fi][i], rename));
    }
  }
  return cls;
}

}  // namespace tt::grade
