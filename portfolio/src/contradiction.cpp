// Finding hand-typed numbers that disagree with the measurement of the metric they follow.
// Not a parser of prose: a metric name, then the first number in the same sentence.
#include "tt/portfolio/contradiction.hpp"

#include <cctype>
#include <cmath>
#include <regex>
#include <set>

#include "tt/portfolio/citation.hpp"

namespace tt::portfolio {

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether a typed number (with `decimals` digits after the point, maybe a percentage) agrees
// with the measured value.
bool agrees(double typed, int decimals, bool percent, double measured) {
  const auto close = [&](double t) {
    const double rounding = 0.5 * std::pow(10.0, -decimals) + 1e-12;
    return std::fabs(t - measured) <= std::max(rounding, kContradictionTolerance * std::fabs(measured));
  };
  return close(typed) || (percent && close(typed / 100.0));
}

// The sentence after a name: up to the window, a sentence end, a blank line or a citation.
std::string sentence_after(const std::string& text, std::size_t from) {
  std::string s = text.substr(from, kContradictionWindow);
  for (const char* stop : {". ", ".\n", "\n\n", "{{"}) {
    const auto p = s.find(stop);
    if (p != std::string::npos) s.resize(p);
  }
  return s;
}

}  // namespace

std::vector<Contradiction> find_contradictions(const std::string& text, const MeasurementSet& measurements) {
  static const std::regex kNumber(R"((^|[^\w.])([-+]?\d+(?:\.(\d+))?)\s*(%?))");
  static const std::regex kDigits(R"(\d+)");
  std::vector<Contradiction> out;
  for (const auto& [id, m] : measurements.by_module) {
    for (const auto& metric : metrics_of(m)) {
      std::set<std::string> own_numbers;  // "256" in kv_speedup_256 is not a typed value
      for (std::sregex_iterator it(metric.name.begin(), metric.name.end(), kDigits), end; it != end; ++it)
        own_numbers.insert(it->str());
      for (std::size_t p = text.find(metric.name); p != std::string::npos; p = text.find(metric.name, p + 1)) {
        const std::size_t e = p + metric.name.size();
        if ((p > 0 && is_word(text[p - 1])) || (e < text.size() && is_word(text[e]))) continue;
        // A qualified name must be this module's: "m17.x" says nothing about m16's x.
        if (p >= 4 && text[p - 1] == '.' && text[p - 4] == 'm' && text.compare(p - 3, 2, id) != 0) continue;
        if (p >= 6 && text.compare(p - 6, 6, "{{m" + id + ".") == 0) continue;  // {{m16.name}}: a citation
        const std::string after = sentence_after(text, e);
        for (std::sregex_iterator it(after.begin(), after.end(), kNumber), end; it != end; ++it) {
          const std::string typed = (*it)[2].str();
          if (own_numbers.count(typed)) continue;
          const int decimals = static_cast<int>((*it)[3].length());
          const bool percent = (*it)[4].length() > 0;
          if (!agrees(std::stod(typed), decimals, percent, metric.value)) {
            int line = 1;
            for (std::size_t i = 0; i < p; ++i) line += text[i] == '\n';
            const std::string qualified = "m" + id + "." + metric.name;
            out.push_back({qualified, typed + ((*it)[4].length() ? "%" : ""), metric.value, line,
                           "the text says " + metric.name + " is " + typed + ((*it)[4].length() ? "%" : "") +
                               " but the measurement says " + format_value(metric.value, metric.unit) +
                               "; cite it as {{" + qualified + "}} instead of typing it"});
          }
          break;  // only the first number after the name
        }
      }
    }
  }
  return out;
}

}  // namespace tt::portfolio
