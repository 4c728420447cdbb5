// Your leaderboard page (20.5): one self-contained HTML file with sortable tables and an SVG scatter.
// Not a web app: inline CSS and JS only, no CDN, no external URL; it must work from file://.
#include "tt/capstone/leaderboard.hpp"

#include "tt/errors.hpp"

namespace tt::capstone {

std::string render_html(const Leaderboard& board) {
  // Build the page in a std::ostringstream: a <style> block; per category a <section> with a
  // <table class="lb" id="cat-<id>"> (a <th data-col="p50"> among the headers; each <td> carries its
  // sort key in data-v); an <svg id="pareto-plot"> with one <circle> per entry (log-scale latency on x,
  // accuracy on y) and a <polyline class="front"> through board.pareto; a <pre id="selftest">; and a
  // <script> that sorts a table when a header is clicked and runs the self-test when
  // location.hash == "#selftest" (see the header for what it must write). Escape every text (&<>"').
  // TODO(20.5): the page.
  (void)board;
  TT_UNIMPLEMENTED("20.5 render_html");
}

}  // namespace tt::capstone
