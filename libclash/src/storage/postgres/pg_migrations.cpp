#include "storage/postgres/pg_migrations.h"

namespace clash::internal {

const std::vector<Migration>& PostgresMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "levels", R"sql(
CREATE TABLE levels (
  id BIGSERIAL PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  ord BIGINT NOT NULL CHECK (ord >= 1),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  initial_code TEXT NOT NULL,
  test_code TEXT NOT NULL,
  xp_reward BIGINT NOT NULL CHECK (xp_reward >= 0),
  time_limit_seconds BIGINT NOT NULL CHECK (time_limit_seconds > 0),
  target_time_seconds BIGINT NOT NULL CHECK (target_time_seconds > 0),
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
