// The class showcase in the arena (the course plan's option C beside its option A): the students
// whose latest graded submission opted in (portfolio/consent: public), with the capstone numbers
// the arena measured and a link to the portfolio site tt-grade rendered in that job's run folder.
// Not the site's rendering (tt-grade and tt-portfolio) and not a board: it ranks nobody.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <regex>

#include "app.hpp"
#include "tt/arena/result.hpp"
#include "tt/grade/portfolio_section.hpp"

namespace tt::arena {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Shown {
  std::int64_t result_id = 0, submission_id = 0;
  std::string name;
  json metrics;
  fs::path run_dir;
};

// Each student's latest graded result decides: a later grade whose portfolio is private (or absent)
// takes an earlier opt-in back. Disqualified submissions are never shown. Only those latest rows
// are read (one of them when `result_id` is given: a site file's request).
std::vector<Shown> showcased(App& a, std::optional<std::int64_t> result_id = std::nullopt) {
  std::vector<Shown> out;
  {
    auto lock = a.db.lock();
    auto st = a.db.prepare(
        "SELECT r.id, r.submission_id, p.name, r.metrics, r.run_dir FROM results r "
        "JOIN submissions s ON s.id = r.submission_id JOIN people p ON p.id = s.person_id "
        "WHERE r.id IN (SELECT MAX(r2.id) FROM results r2 JOIN submissions s2 ON s2.id = r2.submission_id "
        "JOIN people p2 ON p2.id = s2.person_id WHERE p2.role = 'student' AND s2.disqualified IS NULL "
        "AND r2.kind = 'grade' GROUP BY s2.person_id) AND (? OR r.id = ?)");
    st.args(result_id ? 0 : 1, result_id.value_or(0));
    while (st.step()) {
      Shown s{st.col_int(0), st.col_int(1), st.col_text(2), json::parse(st.col_text(3), nullptr, false),
              st.col_text(4)};
      const json p = s.metrics.is_object() ? s.metrics.value("portfolio", json()) : json();
      if (!p.is_object() || !p.value("public", false)) continue;
      if (const std::string pseudonym = p.value("pseudonym", ""); !pseudonym.empty()) s.name = pseudonym;
      out.push_back(std::move(s));
    }
  }
  std::sort(out.begin(), out.end(), [](const Shown& x, const Shown& y) { return x.name < y.name; });
  return out;
}

json entry_json(const Shown& s) {
  const json& m = s.metrics;
  const json r = m.value("results", json::object());
  const json p = m.value("portfolio", json::object());
  const auto speedup = speedup_of(m);
  const auto number = [&](const char* k) { return r.contains(k) && r[k].is_number() ? r[k] : json(nullptr); };
  return {{"name", s.name},
          {"submission_id", s.submission_id},
          {"measured", m.value("measure_status", "") == "measured"},
          {"speedup", speedup ? json(speedup->value) : json(nullptr)},
          {"speedup_against", speedup ? json(speedup->against) : json(nullptr)},
          {"latency_p50_ms", number("latency_p50_ms")},
          {"accuracy", number("accuracy")},
          {"model_bytes", number("model_bytes")},
          {"verified_citations", p.value("verified_citations", json(nullptr))},
          {"site",
           p.value("site", false) ? json("/showcase/" + std::to_string(s.result_id) + "/index.html") : json(nullptr)}};
}

}  // namespace

void add_showcase_routes(httplib::Server& s, App& app) {
  s.Get("/api/showcase", handle(app, [](App& a, const httplib::Request&, httplib::Response& res) {
          json entries = json::array();
          for (const auto& e : showcased(a)) entries.push_back(entry_json(e));
          res.set_header("Cache-Control", "no-cache");
          send_json(res, {{"entries", entries}});
        }));
  // A file of a showcased site: plain names only (the site is one flat folder), and only while the
  // student's latest grade keeps the opt-in.
  s.Get(R"(/showcase/(\d+)/([^/]+))", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          static const std::regex plain("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
          const std::string name = req.matches[2].str();
          const HttpError missing{404, "not_found", "no such page in the showcase (it may have been withdrawn)"};
          if (!std::regex_match(name, plain)) throw missing;
          const auto shown = showcased(a, path_id(req));
          if (shown.empty() || !shown[0].metrics.at("portfolio").value("site", false)) throw missing;
          const fs::path file = shown[0].run_dir / tt::grade::kPortfolioSiteDir / name;
          if (fs::is_symlink(fs::symlink_status(file)) || !fs::is_regular_file(file)) throw missing;
          res.set_header("Cache-Control", "no-cache");
          res.set_content(read_text(file, 2 << 20), mime_of(file));
        }));
}

}  // namespace tt::arena
