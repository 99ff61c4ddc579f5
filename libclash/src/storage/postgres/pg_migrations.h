// Internal: the PostgreSQL schema, as versioned migrations. Append only; never edit a shipped one.
// Keep table and column names and constraints identical to sqlite_migrations.cpp (the domain SQL
// in storage/sql/ runs on both); only the types differ (BIGSERIAL/BIGINT/TEXT).
#pragma once

#include <vector>

#include "storage/sql/migrator.h"

namespace clash::internal {
const std::vector<Migration>& PostgresMigrations();
}  // namespace clash::internal
