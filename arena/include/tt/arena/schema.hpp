// The database schema and its migrations (PRAGMA user_version counts the applied steps).
// Not the queries: people.hpp, queue.hpp and boards.hpp own theirs.
#pragma once

#include "tt/arena/db.hpp"

namespace tt::arena {

// Applies every migration the database has not seen yet, each in its own transaction.
void migrate(Db& db);

// The board version: bumped in the same transaction as every change a board shows, so a viewer's
// ETag changes exactly when its board does.
void bump_board_version(Db& db);
std::int64_t board_version(Db& db);

}  // namespace tt::arena
