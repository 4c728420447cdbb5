// Reference for 20.5: the static leaderboard page, one file with inline CSS, JS and SVG (works offline).
// Not a web app: no server, no CDN, no external URL; the data is baked into the tables.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "tt/capstone/leaderboard.hpp"
#include "tt/capstone/scoring.hpp"

namespace tt::capstone {
namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string num(double v, int digits = 3) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits + 2, v);
  return buf;
}

std::string bytes_text(double b) {
  char buf[64];
  if (b >= 1 << 20)
    std::snprintf(buf, sizeof buf, "%.2f MiB", b / (1 << 20));
  else if (b >= 1024)
    std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024);
  else
    std::snprintf(buf, sizeof buf, "%.0f B", b);
  return buf;
}

// One cell: data-v holds the sort key, the text is for humans.
std::string td(const std::string& key, const std::string& text) {
  return "<td data-v=\"" + esc(key) + "\">" + esc(text) + "</td>";
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
h1{margin:0 0 4px}p.sub{color:#5a6372;margin:0 0 20px}
section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 16px;margin:0 0 18px}
table.lb{border-collapse:collapse;width:100%;font-size:14px}
table.lb th,table.lb td{padding:5px 8px;border-bottom:1px solid #eceff3;text-align:right}
table.lb th:nth-child(2),table.lb td:nth-child(2),table.lb td:last-child,table.lb th:last-child{text-align:left}
table.lb th{cursor:pointer;user-select:none;background:#f3f5f8}
table.lb th.asc::after{content:" \25B2"}table.lb th.desc::after{content:" \25BC"}
tr.unranked td{color:#8a93a3}
svg text{font-size:12px;fill:#39414f}circle.on{fill:#2b6cb0}circle.off{fill:#c0c6d0}
polyline.front{fill:none;stroke:#dd6b20;stroke-width:2}
#selftest{color:#5a6372;font-size:12px}
)";

constexpr const char* kScript = R"(
function cellValue(row, col) {
  var v = row.cells[col].getAttribute('data-v');
  var n = parseFloat(v);
  return (v !== '' && isFinite(n) && String(n) === String(Number(v))) ? n : v;
}
function sortTable(th) {
  var table = th.closest('table'), col = th.cellIndex, body = table.tBodies[0];
  var asc = !th.classList.contains('asc');
  Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.classList.remove('asc', 'desc'); h.removeAttribute('aria-sort'); });
  th.classList.add(asc ? 'asc' : 'desc');
  th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = cellValue(a, col), y = cellValue(b, col);
    if (typeof x === 'number' && typeof y !== 'number') return -1;
    if (typeof y === 'number' && typeof x !== 'number') return 1;
    var c = (x < y) ? -1 : (x > y ? 1 : 0);
    return asc ? c : -c;
  });
  rows.forEach(function (r) { body.appendChild(r); });
}
document.querySelectorAll('table.lb th').forEach(function (th) {
  th.addEventListener('click', function () { sortTable(th); });
});
function selftest() {
  var out = document.getElementById('selftest');
  try {
    var table = document.querySelector('table.lb');
    var th = table.querySelector('th[data-col="p50"]');
    var col = th.cellIndex;
    function values() { return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return cellValue(r, col); }); }
    th.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    var a = values();
    th.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    var d = values();
    for (var i = 1; i < a.length; i++) {
      if (a[i - 1] > a[i]) throw 'ascending order broken at row ' + i;
      if (d[i - 1] < d[i]) throw 'descending order broken at row ' + i;
    }
    var tables = document.querySelectorAll('table.lb').length;
    out.textContent = 'pass: ' + tables + ' tables, sorted ' + a.length + ' rows by p50 latency (' + a.join(' < ') + ')';
    out.setAttribute('data-result', 'pass');
  } catch (e) {
    out.textContent = 'fail: ' + e;
    out.setAttribute('data-result', 'fail');
  }
}
if (location.hash === '#selftest') selftest();
)";

std::string scatter(const Leaderboard& b) {
  const double W = 640, H = 360, L = 60, R = 20, T = 20, B = 45;
  std::ostringstream s;
  s << "<svg id=\"pareto-plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
    << "\" viewBox=\"0 0 " << W << " " << H << "\" role=\"img\" aria-label=\"accuracy vs p50 latency\">";
  if (b.entries.empty()) return s.str() + "<text x=\"20\" y=\"40\">no entries</text></svg>";
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const auto& e : b.entries) {
    const double lx = std::log10(e.latency_p50_ms);
    x0 = std::min(x0, lx);
    x1 = std::max(x1, lx);
    y0 = std::min(y0, e.accuracy);
    y1 = std::max(y1, e.accuracy);
  }
  const double padx = std::max(0.1, (x1 - x0) * 0.08), pady = std::max(0.005, (y1 - y0) * 0.1);
  x0 -= padx;
  x1 += padx;
  y0 -= pady;
  y1 += pady;
  auto px = [&](double ms) { return L + (std::log10(ms) - x0) / (x1 - x0) * (W - L - R); };
  auto py = [&](double acc) { return T + (y1 - acc) / (y1 - y0) * (H - T - B); };
  s << "<rect x=\"" << L << "\" y=\"" << T << "\" width=\"" << W - L - R << "\" height=\"" << H - T - B
    << "\" fill=\"#fff\" stroke=\"#c9ced6\"/>";
  for (int i = 0; i <= 4; ++i) {  // ticks: 5 per axis
    const double lx = x0 + (x1 - x0) * i / 4, ay = y0 + (y1 - y0) * i / 4;
    const double ms = std::pow(10.0, lx);
    s << "<text x=\"" << px(ms) << "\" y=\"" << H - B + 16 << "\" text-anchor=\"middle\">" << num(ms, 1) << "</text>";
    s << "<text x=\"" << L - 6 << "\" y=\"" << py(ay) + 4 << "\" text-anchor=\"end\">" << num(ay, 2) << "</text>";
  }
  s << "<text x=\"" << L + (W - L - R) / 2 << "\" y=\"" << H - 6
    << "\" text-anchor=\"middle\">p50 latency, ms (log scale) — lower is better</text>";
  s << "<text transform=\"translate(14," << T + (H - T - B) / 2
    << ") rotate(-90)\" text-anchor=\"middle\">accuracy</text>";
  std::map<std::string, const Entry*> by_name;
  for (const auto& e : b.entries) by_name[e.name] = &e;
  s << "<polyline class=\"front\" points=\"";
  for (const auto& n : b.pareto) s << px(by_name[n]->latency_p50_ms) << "," << py(by_name[n]->accuracy) << " ";
  s << "\"/>";
  for (const auto& e : b.entries) {
    const bool on = passes_gate(e.accuracy, e.baseline_accuracy);
    s << "<circle class=\"" << (on ? "on" : "off") << "\" cx=\"" << px(e.latency_p50_ms) << "\" cy=\"" << py(e.accuracy)
      << "\" r=\"5\"><title>" << esc(e.name) << ": " << num(e.latency_p50_ms) << " ms, accuracy " << num(e.accuracy)
      << "</title></circle>";
    s << "<text x=\"" << px(e.latency_p50_ms) + 7 << "\" y=\"" << py(e.accuracy) - 6 << "\">" << esc(e.name)
      << "</text>";
  }
  return s.str() + "</svg>";
}

}  // namespace

std::string render_html(const Leaderboard& board) {
  std::map<std::string, const Entry*> by_name;
  for (const auto& e : board.entries) by_name[e.name] = &e;
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Capstone leaderboard</title>"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>" << kStyle
    << "</style></head><body>\n"
    << "<h1>Capstone leaderboard</h1><p class=\"sub\">" << board.entries.size()
    << " entries. Entries below the accuracy gate (99% of the fp32 baseline) are listed, not ranked. Click a column "
       "header to sort.</p>\n";
  for (const auto& c : board.categories) {
    h << "<section><h2>" << esc(c.title) << "</h2><table class=\"lb\" id=\"cat-" << esc(c.id) << "\"><thead><tr>"
      << "<th data-col=\"rank\">Rank</th><th data-col=\"name\">Entry</th>";
    if (c.id != kMostCreative)
      h << "<th data-col=\"value\">" << esc(c.metric) << (c.unit.empty() ? "" : " (" + esc(c.unit) + ")") << "</th>";
    h << "<th data-col=\"p50\">p50 latency (ms)</th><th data-col=\"accuracy\">Accuracy</th>"
      << "<th data-col=\"bytes\">Model size</th><th data-col=\"tps\">Tokens/s</th><th "
         "data-col=\"note\">Note</th></tr></thead><tbody>\n";
    for (const auto& s : c.standings) {
      const Entry& e = *by_name.at(s.name);
      h << "<tr" << (s.rank ? "" : " class=\"unranked\"") << ">"
        << td(s.rank ? std::to_string(*s.rank) : "", s.rank ? std::to_string(*s.rank) : "–") << td(e.name, e.name);
      if (c.id != kMostCreative) {
        const std::string shown = c.unit == "bytes" ? bytes_text(s.value) : num(s.value);
        h << td(num(s.value, 6), shown);
      }
      h << td(num(e.latency_p50_ms, 6), num(e.latency_p50_ms)) << td(num(e.accuracy, 6), num(e.accuracy, 4))
        << td(std::to_string(e.model_bytes), bytes_text(double(e.model_bytes)))
        << td(num(e.generation_tokens_per_s, 6), num(e.generation_tokens_per_s)) << td(s.note, s.note) << "</tr>\n";
    }
    h << "</tbody></table></section>\n";
  }
  h << "<section><h2>Accuracy vs latency</h2>" << scatter(board)
    << "<p class=\"sub\">Orange line: the Pareto front (no other entry is both faster and more accurate). Grey: "
       "below the accuracy gate.</p></section>\n<pre id=\"selftest\"></pre>\n<script>"
    << kScript << "</script>\n</body></html>\n";
  return h.str();
}

}  // namespace tt::capstone
