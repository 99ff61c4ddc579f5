#include "storage/pg_scratch.h"

#include <libpq-fe.h>

#include <cstdio>
#include <random>

namespace clash {
namespace {

class PostgresScratch final : public ScratchBackend {
 public:
  PostgresScratch(std::string server_url, std::string db)
      : server_url_(std::move(server_url)), db_(std::move(db)), url_(WithDatabase(server_url_, db_)) {}
  ~PostgresScratch() override { (void)PgQuery(server_url_, "DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)"); }
  std::string url() const override { return url_; }

 private:
  const std::string server_url_;
  const std::string db_;
  const std::string url_;
};

}  // namespace

std::string WithDatabase(const std::string& url, const std::string& db) {
  std::size_t q = url.find('?');
  std::string base = url.substr(0, q);
  std::string query = q == std::string::npos ? "" : url.substr(q);
  std::size_t authority = base.find("://");
  authority = authority == std::string::npos ? 0 : authority + 3;
  std::size_t slash = base.find('/', authority);
  return base.substr(0, slash) + "/" + db + query;
}

std::optional<std::string> PgQuery(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::optional<std::string> out;
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "PgQuery: cannot connect: %s", PQerrorMessage(conn));
  } else {
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    PGresult* res = PQexec(conn, sql.c_str());
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
      out = (PQntuples(res) > 0 && PQnfields(res) > 0) ? PQgetvalue(res, 0, 0) : "";
    } else {
      std::fprintf(stderr, "PgQuery: %s failed: %s", sql.c_str(), PQresultErrorMessage(res));
    }
    PQclear(res);
  }
  PQfinish(conn);
  return out;
}

std::unique_ptr<ScratchBackend> NewPostgresScratch(const std::string& server_url) {
  std::random_device rd;
  std::uniform_int_distribution<unsigned long long> dist;
  char name[40];
  std::snprintf(name, sizeof name, "clash_t_%016llx", dist(rd));
  if (!PgQuery(server_url, std::string("CREATE DATABASE ") + name)) return nullptr;
  return std::make_unique<PostgresScratch>(server_url, name);
}

}  // namespace clash
