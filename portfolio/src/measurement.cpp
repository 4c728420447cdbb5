// Measurement files: JSON in and out, metric look-up.
// Not the runner: measure.cpp produces them.
#include "tt/portfolio/measurement.hpp"

#include <algorithm>
#include <regex>

#include "file_text.hpp"
#include "tt/portfolio/error.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tt::portfolio {

json to_json(const Measurement& m) {
  return {{"schema", kMeasurementSchema},
          {"module", m.module},
          {"date", m.date},
          {"command", m.command},
          {"sources", {{"digest", m.digest}, {"files", m.files}}},
          {"bench", m.bench},
          {"error", m.error.empty() ? json(nullptr) : json(m.error)},
          {"artifacts", m.artifacts}};
}

Measurement measurement_from_json(const json& j, const std::string& origin) {
  const auto bad = [&](const std::string& what) {
    return portfolio_error(ErrorKind::bad_measurement,
                           origin + ": " + what +
                               "; expected a tt-portfolio-measurement/1 file as `./scripts/portfolio measure` writes "
                               "it: run it again for this module");
  };
  if (!j.is_object()) throw bad("the file is not a JSON object");
  if (j.value("schema", "") != kMeasurementSchema)
    throw bad("schema is '" + (j.contains("schema") ? j["schema"].dump() : std::string("absent")) + "'");
  try {
    Measurement m;
    m.module = j.at("module").get<std::string>();
    m.date = j.value("date", "");
    m.command = j.value("command", "");
    m.digest = j.at("sources").at("digest").get<std::string>();
    m.files = j.at("sources").value("files", std::vector<std::string>{});
    m.bench = j.value("bench", json(nullptr));
    if (j.contains("error") && j["error"].is_string()) m.error = j["error"].get<std::string>();
    m.artifacts = j.value("artifacts", std::vector<std::string>{});
    if (!m.bench.is_null() && !(m.bench.is_object() && m.bench.value("metrics", json()).is_array()))
      throw bad("its bench report has no metrics list");
    return m;
  } catch (const json::exception& x) {
    throw bad(std::string("a field is missing or has the wrong type (") + x.what() + ")");
  }
}

MeasurementSet load_measurements(const fs::path& dir) {
  MeasurementSet set;
  std::error_code ec;
  static const std::regex kName(R"(m(\d\d)\.json)");
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::smatch mt;
    const std::string name = e.path().filename().string();
    if (!std::regex_match(name, mt, kName)) continue;
    const std::string origin = "portfolio/measurements/" + name;
    try {
      const auto text = detail::read_text(e.path());
      if (!text) throw portfolio_error(ErrorKind::io, origin + " cannot be read");
      const json j = json::parse(*text);  // json::parse_error on corrupt text
      Measurement m = measurement_from_json(j, origin);
      if (m.module != mt[1].str())
        throw portfolio_error(ErrorKind::bad_measurement, origin + " holds module " + m.module +
                                                              "'s measurement; rename it to m" + m.module + ".json");
      set.by_module[m.module] = std::move(m);
    } catch (const json::exception& x) {
      set.problems.push_back(origin + " is not valid JSON (" + x.what() +
                             "); run `./scripts/portfolio measure --module " + mt[1].str() + "` again");
    } catch (const portfolio_error& x) {
      set.problems.push_back(x.what());
    }
  }
  return set;
}

void write_measurement(const fs::path& file, const Measurement& m) {
  detail::write_text(file, to_json(m).dump(2) + "\n");
}

namespace {

// A string field, or "" when it is absent, null or not a string (benches write null for "none").
std::string string_field(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::vector<Metric> metrics_of(const Measurement& m) {
  std::vector<Metric> out;
  if (!m.bench.is_object()) return out;
  for (const auto& mj : m.bench.value("metrics", json::array())) {
    if (!mj.is_object() || !mj.contains("name") || !mj["name"].is_string() || !mj.contains("value") ||
        !mj["value"].is_number())
      continue;  // a metric the bench could not compute (null value) cites as missing
    Metric x;
    x.name = mj["name"].get<std::string>();
    x.value = mj["value"].get<double>();
    x.unit = string_field(mj, "unit");
    x.target = string_field(mj, "target");
    if (mj.contains("met") && mj["met"].is_boolean()) x.met = mj["met"].get<bool>();
    x.detail = mj.contains("detail") && mj["detail"].is_object() ? mj["detail"] : json::object();
    out.push_back(std::move(x));
  }
  return out;
}

std::optional<Metric> find_metric(const Measurement& m, const std::string& name) {
  for (auto& x : metrics_of(m))
    if (x.name == name) return x;
  return std::nullopt;
}

}  // namespace tt::portfolio
