#include "storage/sqlite/sqlite_migrations.h"

namespace clash::internal {

const std::vector<Migration>& SqliteMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "levels", R"sql(
CREATE TABLE levels (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  slug TEXT NOT NULL UNIQUE,
  ord INTEGER NOT NULL CHECK (ord >= 1),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  initial_code TEXT NOT NULL,
  test_code TEXT NOT NULL,
  xp_reward INTEGER NOT NULL CHECK (xp_reward >= 0),
  time_limit_seconds INTEGER NOT NULL CHECK (time_limit_seconds > 0),
  target_time_seconds INTEGER NOT NULL CHECK (target_time_seconds > 0),
  hidden_tests TEXT NOT NULL,
  solution TEXT NOT NULL,
  hints TEXT NOT NULL
);
CREATE INDEX levels_by_order ON levels (ord, slug);
)sql"},
  };
  return kMigrations;
}

}  // namespace clash::internal
