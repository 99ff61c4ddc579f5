// Internal: whole-database operations of the SQLite backend (clash/storage.h BackupStorage,
// RestoreStorage, CheckStorageIntegrity). Each opens its own connections, not the storage's pool.
#pragma once

#include <string>

#include "clash/storage.h"

namespace clash::internal {

Status SqliteBackup(const std::string& db_path, const std::string& out_path, const CopyProgressFn& progress);
Status SqliteRestore(const std::string& backup_path, const std::string& db_path, const CopyProgressFn& progress);
Status SqliteCheckIntegrity(const std::string& db_path);

}  // namespace clash::internal
