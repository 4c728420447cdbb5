// The course's rubric for the writing (portfolio/rubric.json, schema "tt-portfolio-rubric/1"): the
// items a person grades by hand. Not a score: nothing in tt-portfolio or tt-grade awards them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::portfolio {

struct RubricItem {
  std::string id;     // "P1"
  std::string title;  // what the grader looks for
  double points = 0;  // > 0
};

// Reads and checks the rubric; portfolio_error(io) when the file cannot be read, (bad_course) when
// it is not {"items": [{"id": string, "title": string, "points": number > 0}, …]} with unique ids.
std::vector<RubricItem> read_rubric(const std::filesystem::path& file);

// [{"id", "title", "points"}, …]: the rubric as the report's portfolio section lists it.
nlohmann::json rubric_json(const std::vector<RubricItem>& items);

}  // namespace tt::portfolio
