#include "storage/postgres/pg_storage.h"

namespace clash::internal {

Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string&) {
  return Status::Unavailable("PostgreSQL backend not implemented yet");
}

}  // namespace clash::internal
