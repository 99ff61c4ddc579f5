// A scratch PostgreSQL database per test: created on the test server, dropped afterwards.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "storage/storage_fixture.h"

namespace clash {

// Creates `clash_t_<random>` on the server at `server_url` (a URL whose database the test user
// can connect to, e.g. postgresql://postgres@127.0.0.1:5432/postgres). url() names the new database;
// the destructor drops it (WITH (FORCE): leftover connections are closed). Null, with the reason on
// stderr, if the database cannot be created.
std::unique_ptr<ScratchBackend> NewPostgresScratch(const std::string& server_url);

// `url` with its database replaced by `db` (query parameters kept).
std::string WithDatabase(const std::string& url, const std::string& db);

// Runs `sql` on a fresh libpq connection to `url`; the first column of the first row (or "" if
// there is none), or nullopt with the error on stderr.
std::optional<std::string> PgQuery(const std::string& url, const std::string& sql);

}  // namespace clash
