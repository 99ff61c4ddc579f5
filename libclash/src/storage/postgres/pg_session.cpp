#include "storage/postgres/pg_session.h"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <cmath>
#include <cstring>

namespace clash::internal {
namespace {

// Type OIDs from the server's catalog/pg_type.h (stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

std::string FormatParam(const SqlValue& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    char buf[64];  // shortest text that round-trips; locale-independent, unlike printf
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, ec == std::errc() ? end : buf);
  }
  return std::get<std::string>(v);
}

SqlValue ConvertValue(Oid type, const char* text, int len) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t n = 0;
      std::from_chars(text, text + len, n);
      return n;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double d = 0;  // from_chars reads "NaN" and "Infinity" too, and ignores the locale
      std::from_chars(text, text + len, d);
      return d;
    }
    case kBoolOid: return std::int64_t{text[0] == 't' ? 1 : 0};
    default: return std::string(text, static_cast<std::size_t>(len));
  }
}

SqlResult ConvertResult(const PGresult* res) {
  SqlResult out;
  const int rows = PQntuples(res);
  const int cols = PQnfields(res);
  std::vector<Oid> types(static_cast<std::size_t>(cols));
  for (int c = 0; c < cols; ++c) types[static_cast<std::size_t>(c)] = PQftype(res, c);
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    SqlRow row;
    row.cols.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(res, r, c)) {
        row.cols.emplace_back(std::monostate{});
      } else {
        row.cols.push_back(ConvertValue(types[static_cast<std::size_t>(c)], PQgetvalue(res, r, c), PQgetlength(res, r, c)));
      }
    }
    out.rows.push_back(std::move(row));
  }
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(res));
  if (tuples != nullptr && *tuples != '\0') std::from_chars(tuples, tuples + std::strlen(tuples), out.affected);
  return out;
}

bool IsOkResult(const PGresult* res) {
  ExecStatusType st = PQresultStatus(res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

// "BEGIN ..." as produced by PgStorage::BeginSql: one statement, nothing after it.
bool IsSingleBegin(std::string_view sql) {
  return sql.starts_with("BEGIN") && sql.find(';') == std::string_view::npos;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

}  // namespace

Result<std::unique_ptr<PgSession>> PgSession::Connect(const std::string& conninfo, const std::string& redact) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Status::Unavailable("cannot connect to PostgreSQL: out of memory");
  auto session = std::unique_ptr<PgSession>(new PgSession(conn, redact));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::Unavailable("cannot connect to PostgreSQL: " + session->Redact(msg));
  }
  // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return session;
}

PgSession::~PgSession() { PQfinish(conn_); }

std::string PgSession::Redact(std::string text) const {
  if (redact_.empty()) return text;
  for (std::size_t pos = text.find(redact_); pos != std::string::npos; pos = text.find(redact_, pos)) {
    text.replace(pos, redact_.size(), "***");
  }
  return text;
}

Status PgSession::ConnectionLost(std::string_view what) {
  healthy_ = false;
  std::string msg = PQerrorMessage(conn_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return Status::Unavailable("lost the connection to PostgreSQL (" + std::string(what) + "): " + Redact(msg));
}

Status PgSession::ErrorStatus(const pg_result* res, std::string_view what) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state != nullptr ? state : "";
  const bool lost = PQstatus(conn_) == CONNECTION_BAD || (code.starts_with("08") && code != "08P01") ||
                    code == "57P01" || code == "57P02" || code == "57P03";
  if (res == nullptr || lost) return ConnectionLost(what);

  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  std::string msg = primary != nullptr ? primary : PQresultErrorMessage(res);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  std::string detail = std::string(what) + ": " + Redact(msg);
  if (code == "23505") return Status::AlreadyExists(detail);
  if (code == "23503") return Status::FailedPrecondition(detail);
  if (code == "23514" || code == "23502" || code.starts_with("22")) return Status::InvalidArgument(detail);
  if (code == "40001" || code == "40P01" || code == "55P03") {
    conflict_ = true;
    return Status::Aborted("transaction conflicted with a concurrent one: " + Redact(msg));
  }
  return Status::Internal(detail + (code.empty() ? "" : " (SQLSTATE " + code + ")"));
}

bool PgSession::CheckIdle() {
  if (!healthy_) return false;
  // An idle connection has nothing to read unless the server spoke: typically a FATAL notice
  // ("terminating connection") followed by EOF. PQconsumeInput stops after the data, so read until
  // the socket is quiet or libpq has seen the EOF. One poll() when the connection is fine.
  for (int i = 0; i < 8; ++i) {
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (fd.fd < 0 || poll(&fd, 1, 0) <= 0) break;
    if (PQconsumeInput(conn_) == 0) break;
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    healthy_ = false;
    return false;
  }
  while (PGnotify* n = PQnotifies(conn_)) PQfreemem(n);
  pending_begin_.clear();
  return PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool PgSession::Reusable() {
  pending_begin_.clear();
  return healthy_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Result<SqlResult> PgSession::Exec(std::string_view sql, const std::vector<SqlValue>& params) {
  if (!healthy_) return Status::Unavailable("the connection to PostgreSQL was lost");
  std::string key(sql);
  auto it = prepared_.find(key);
  const bool need_prepare = it == prepared_.end();
  const std::string name = need_prepare ? "clash_" + std::to_string(prepared_.size() + 1) : it->second;

  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (std::holds_alternative<std::monostate>(params[i])) continue;
    texts[i] = FormatParam(params[i]);
    values[i] = texts[i].c_str();
  }
  const int n = static_cast<int>(params.size());

  if (!need_prepare && pending_begin_.empty()) {
    ResultPtr res(PQexecPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, 0));
    if (res == nullptr || !IsOkResult(res.get())) return ErrorStatus(res.get(), "exec");
    return ConvertResult(res.get());
  }

  // One round trip: [BEGIN] [Parse] Bind/Execute, Sync. On any error the session is either fine
  // (the server reported it; later steps come back PIPELINE_ABORTED) or broken (discarded).
  const bool send_begin = !pending_begin_.empty();
  const std::string begin = std::move(pending_begin_);
  pending_begin_.clear();
  if (PQenterPipelineMode(conn_) != 1) return ConnectionLost("pipeline");
  bool sent = (!send_begin || PQsendQueryParams(conn_, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1) &&
              (!need_prepare || PQsendPrepare(conn_, name.c_str(), key.c_str(), 0, nullptr) == 1) &&
              PQsendQueryPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, 0) == 1 &&
              PQpipelineSync(conn_) == 1;
  if (!sent) return ConnectionLost("send");

  enum class Step { kBegin, kPrepare, kExec };
  std::vector<Step> steps;
  if (send_begin) steps.push_back(Step::kBegin);
  if (need_prepare) steps.push_back(Step::kPrepare);
  steps.push_back(Step::kExec);

  Status error;
  SqlResult result;
  for (Step step : steps) {
    // Each step yields its result(s) followed by a null.
    while (PGresult* raw = PQgetResult(conn_)) {
      ResultPtr res(raw);
      ExecStatusType st = PQresultStatus(raw);
      if (st == PGRES_PIPELINE_ABORTED) continue;
      if (!IsOkResult(raw)) {
        Status s = ErrorStatus(raw, step == Step::kPrepare ? "prepare" : "exec");
        if (error.ok()) error = s;
        continue;
      }
      if (step == Step::kPrepare) prepared_.emplace(key, name);
      if (step == Step::kExec) result = ConvertResult(raw);
    }
    if (PQstatus(conn_) == CONNECTION_BAD) return ConnectionLost("exec");
  }
  ResultPtr sync(PQgetResult(conn_));
  if (sync == nullptr || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(conn_) != 1) {
    return ConnectionLost("pipeline sync");
  }
  if (!error.ok()) return error;
  return result;
}

Status PgSession::ExecScript(std::string_view sql) {
  if (!healthy_) return Status::Unavailable("the connection to PostgreSQL was lost");
  if (IsSingleBegin(sql)) {
    pending_begin_ = std::string(sql);
    return Status::Ok();
  }
  std::string text(sql);
  if (!pending_begin_.empty()) {
    if (sql == "COMMIT" || sql == "ROLLBACK") {  // the transaction never reached the server
      pending_begin_.clear();
      return Status::Ok();
    }
    text = pending_begin_ + "; " + text;
    pending_begin_.clear();
  }
  ResultPtr res(PQexec(conn_, text.c_str()));
  if (res == nullptr || !IsOkResult(res.get())) return ErrorStatus(res.get(), "exec");
  if (sql == "COMMIT" && std::strcmp(PQcmdStatus(res.get()), "ROLLBACK") == 0) {
    return Status::Aborted("the transaction was rolled back because a statement in it failed");
  }
  return Status::Ok();
}

}  // namespace clash::internal
