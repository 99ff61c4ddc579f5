// Internal: the PostgreSQL backend on libpq.
#pragma once

#include <memory>
#include <string>

#include "clash/storage.h"

namespace clash::internal {

Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string& url);

}  // namespace clash::internal
