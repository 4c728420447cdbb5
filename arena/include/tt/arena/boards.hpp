// The boards, computed from stored results only: five categories (fastest classifier, most
// memory-efficient generator, best accuracy/size trade-off with its Pareto scatter, fastest
// trainer, most creative), each student's best entry per category, the baseline and reference as
// marked rows, ties where 95 % intervals overlap, and public (visible split) vs final (hidden
// split, shown to students once staff closed the phase).
// Not HTTP caching (server.cpp keeps one copy per board version) and not the page (web/).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "tt/arena/db.hpp"

namespace tt::arena {

enum class BoardKind { public_board, final_board };

// The board as JSON (schema tt-arena-board/1). `hardware_class` empty: every CPU counts.
nlohmann::json compute_board(Db& db, BoardKind kind);

// The accuracy/size trade-off score of module 20: (accuracy / baseline)^10 · baseline bytes / bytes.
double tradeoff_score(double accuracy, double baseline_accuracy, double model_bytes, double baseline_bytes);

// The top `n` submissions' result ids of every timed category of the final board (for verification).
std::vector<std::int64_t> top_result_ids(Db& db, int n);

}  // namespace tt::arena
