// Internal: the SQLite backend. One writer connection (SQLite has one writer at a time) behind a
// mutex and a small pool of reader connections (WAL lets them read while the writer writes).
// `:memory:` uses a single connection for both.
#pragma once

#include <memory>
#include <string>

#include "clash/storage.h"

namespace clash::internal {

Result<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& path);

}  // namespace clash::internal
