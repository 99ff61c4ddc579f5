// security/key_files.h — reading and writing key files (POSIX).
//
// Internal. Used by TokenKeys::Add*KeyFile, LoadOrCreate and RotateInDir.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "clash/rng.h"
#include "clash/status.h"

namespace clash::internal {

// Reads a key file of at most 64 KiB. NotFound if it does not exist, FailedPrecondition if it is not
// a regular file (symlinks are followed), or, with `private_mode`, if it is a symlink or group or
// others have any permission on it; InvalidArgument if it is too large; Internal on an I/O error.
Result<std::string> ReadKeyFile(const std::filesystem::path& path, bool private_mode = false);

// Writes `data` to `path` with mode 0600 through a temporary file in the same directory (named with
// `rng`), fsyncs file and directory. With `replace` the file is atomically replaced; without it,
// AlreadyExists is returned if `path` exists (another process won a race) and nothing is changed.
Status WriteKeyFile(const std::filesystem::path& path, std::string_view data, Rng& rng, bool replace);

}  // namespace clash::internal
