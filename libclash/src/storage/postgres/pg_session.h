// Internal: SqlSession on one libpq connection (PGconn), with a per-connection cache of prepared
// statements keyed by SQL text.
//
// Round trips: every Exec is one round trip. A statement seen for the first time on this connection
// is prepared in the same round trip as its first execution (libpq pipeline mode), and a BEGIN passed
// to ExecScript is held back and sent with the transaction's first statement, so a transaction of n
// statements costs n + 1 round trips (its COMMIT being the +1). A BEGIN followed directly by COMMIT or
// ROLLBACK sends nothing at all.
//
// Values travel in text format. Parameters: int64 and double are formatted, strings sent as is,
// monostate as NULL; the server infers parameter types from the statement. Result columns are
// converted by type OID: int2/int4/int8/oid -> int64, float4/float8/numeric -> double,
// bool -> int64 0/1, NULL -> monostate, everything else -> string.
//
// Errors (SQLSTATE):  23505 -> AlreadyExists   23503 -> FailedPrecondition
//   23514, 23502, 22xxx -> InvalidArgument     40001, 40P01, 55P03 -> Aborted and conflict()
//   connection loss (PQstatus bad, 08xxx, 57P01..57P03) -> Unavailable and healthy() false
//   anything else -> Internal. Messages carry the server's primary message, never the password.
//
// Not thread-safe: a session is used by one thread at a time (the pool hands it out).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "storage/sql/sql_session.h"

struct pg_conn;
struct pg_result;

namespace clash::internal {

class PgSession final : public SqlSession {
 public:
  // Connects with a libpq conninfo string or URI. Unavailable if the server cannot be reached or
  // refuses the connection; `redact` (e.g. the password) is removed from the message.
  static Result<std::unique_ptr<PgSession>> Connect(const std::string& conninfo, const std::string& redact);
  ~PgSession() override;
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  Result<SqlResult> Exec(std::string_view sql, const std::vector<SqlValue>& params = {}) override;
  // A script that is exactly "BEGIN..." (no ';') is deferred until the next statement; COMMIT or
  // ROLLBACK of a transaction that sent nothing succeeds without a round trip. A COMMIT that the
  // server turns into a rollback (an earlier statement failed) returns Aborted.
  Status ExecScript(std::string_view sql) override;
  bool healthy() const override { return healthy_; }
  bool conflict() const override { return conflict_; }
  void ClearConflict() override { conflict_ = false; }
  void SimulateConflict() override { conflict_ = true; }

  // For the pool before handing the session out: reads anything the server sent while the
  // connection sat idle (e.g. a shutdown notice), without a round trip. False if the connection is
  // gone or not idle; the pool then discards it instead of failing the caller's first statement.
  bool CheckIdle();
  // For the pool when a lease ends: true if the session is healthy and outside any transaction, so
  // it can be handed out again. No I/O.
  bool Reusable();

 private:
  explicit PgSession(pg_conn* conn, std::string redact) : conn_(conn), redact_(std::move(redact)) {}
  // Maps a failed result (or the connection's error when `res` is null) to a Status.
  Status ErrorStatus(const pg_result* res, std::string_view what);
  Status ConnectionLost(std::string_view what);
  std::string Redact(std::string text) const;

  pg_conn* conn_;
  const std::string redact_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::string pending_begin_;  // a BEGIN not sent yet
  bool healthy_ = true;
  bool conflict_ = false;
};

}  // namespace clash::internal
