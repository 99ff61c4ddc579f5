// Internal: the SQLite schema, as versioned migrations. Append only; never edit a shipped one.
#pragma once

#include <vector>

#include "storage/sql/migrator.h"

namespace clash::internal {
const std::vector<Migration>& SqliteMigrations();
}  // namespace clash::internal
