// The similarity report's two files: similarity.json (schema "tt-similarity/1", documented in
// docs/instructor-guide.md) and similarity.html (pairs ranked, the matching regions side by side;
// one self-contained page that works offline).
// Not the comparison (similarity.hpp): these only format a SimilarityReport.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/grade/similarity.hpp"

namespace tt::grade {

inline constexpr const char* kSimilaritySchema = "tt-similarity/1";

nlohmann::json similarity_json(const SimilarityReport& r);
std::string similarity_html(const SimilarityReport& r);

// Writes similarity.json and similarity.html into out (created if needed), each atomically;
// returns their paths.
std::vector<std::filesystem::path> write_similarity_reports(const SimilarityReport& r,
                                                            const std::filesystem::path& out);

}  // namespace tt::grade
