// Catch2 v2 XML → CaseResult records, with pugixml; tolerant of documents cut short by a crash.
// Not a reporter: it only reads what Catch2 wrote.
#include "tt/grade/catch_xml.hpp"

#include <fstream>
#include <sstream>

#include <pugixml.hpp>

namespace tt::grade {
namespace {

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Failure failure_from(const pugi::xml_node& n, const std::string& kind) {
  Failure f;
  f.kind = kind;
  f.file = n.attribute("filename").as_string();
  f.line = n.attribute("line").as_int();
  if (kind == "assertion") {
    f.original = trimmed(n.child("Original").text().as_string());
    f.expanded = trimmed(n.child("Expanded").text().as_string());
    // An exception thrown inside REQUIRE_NOTHROW etc. is a child element of the expression.
    // Thrown between assertions, Catch2 names no expression, only this placeholder: drop it.
    if (auto ex = n.child("Exception")) {
      if (f.original.rfind("{Unknown expression", 0) == 0) f.original.clear();
      if (f.expanded.rfind("{Unknown expression", 0) == 0) f.expanded.clear();
      f.expanded += (f.expanded.empty() ? "threw: " : " threw: ") + trimmed(ex.text().as_string());
    }
  } else {
    f.expanded = trimmed(n.text().as_string());
  }
  return f;
}

// Walks a TestCase or Section subtree in document order, collecting failures.
void collect(const pugi::xml_node& node, CaseResult& out) {
  for (auto child : node.children()) {
    const std::string tag = child.name();
    if (tag == "Expression") {
      if (!child.attribute("success").as_bool(true)) out.failures.push_back(failure_from(child, "assertion"));
    } else if (tag == "Exception") {
      out.failures.push_back(failure_from(child, "exception"));
    } else if (tag == "FatalErrorCondition") {
      out.failures.push_back(failure_from(child, "fatal"));
    } else if (tag == "Failure") {  // FAIL("...")
      out.failures.push_back(failure_from(child, "explicit"));
    } else if (tag == "Section") {
      collect(child, out);
    }
  }
}

void collect_cases(const pugi::xml_node& node, std::vector<CaseResult>& out) {
  for (auto child : node.children()) {
    const std::string tag = child.name();
    if (tag == "Group" || tag == "Catch") {
      collect_cases(child, out);
    } else if (tag == "TestCase") {
      CaseResult r;
      r.name = child.attribute("name").as_string();
      r.tags = child.attribute("tags").as_string();
      r.file = child.attribute("filename").as_string();
      r.line = child.attribute("line").as_int();
      collect(child, r);
      if (auto overall = child.child("OverallResult")) {
        r.completed = true;
        r.success = overall.attribute("success").as_bool(false);
        r.seconds = overall.attribute("durationInSeconds").as_double(0);
        r.captured_stdout = overall.child("StdOut").text().as_string();
      }
      out.push_back(std::move(r));
    }
  }
}

}  // namespace

CatchRun parse_catch_xml(const std::string& text) {
  CatchRun run;
  pugi::xml_document doc;
  // On a parse error pugixml keeps the nodes read so far: that is what a crash leaves us.
  const auto res = doc.load_buffer(text.data(), text.size(), pugi::parse_default);
  run.parsed = static_cast<bool>(res);
  if (!run.parsed) {
    run.parse_error = text.empty() ? std::string("empty file") : std::string(res.description());
  }
  collect_cases(doc, run.cases);
  return run;
}

CatchRun read_catch_xml(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    CatchRun run;
    run.parse_error = "no result file";
    return run;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_catch_xml(ss.str());
}

}  // namespace tt::grade
