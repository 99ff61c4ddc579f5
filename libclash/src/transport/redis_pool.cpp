#include "transport/redis_pool.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/Redis/Error.h>
#include <Poco/Redis/Exception.h>
#include <Poco/SHA1Engine.h>
#include <Poco/URI.h>

#include <charconv>

#include "transport/tls_context.h"

namespace clash::internal {
namespace {

Poco::Timespan ToTimespan(std::chrono::milliseconds d) {
  return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

// A reply that is a Redis error, as text; empty if the reply is not an error.
std::string ErrorText(const Poco::Redis::RedisType::Ptr& reply) {
  if (reply.isNull() || !reply->isError()) return {};
  const auto* err = dynamic_cast<const Poco::Redis::Type<Poco::Redis::Error>*>(reply.get());
  return err != nullptr ? err->value().getMessage() : std::string("error");
}

// Thrown inside the pool for an error reply, which must not be retried or treated as a broken link.
struct RedisErrorReply {
  std::string message;
};

}  // namespace

Result<RedisEndpoint> ParseRedisUrl(const std::string& url) {
  RedisEndpoint ep;
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    return Status::InvalidArgument("malformed Redis URL");
  }
  if (uri.getScheme() != "redis") return Status::InvalidArgument("Redis URL must start with redis://");
  if (uri.getHost().empty()) return Status::InvalidArgument("Redis URL has no host");
  ep.host = uri.getHost();
  ep.port = uri.getPort() == 0 ? 6379 : uri.getPort();
  const std::string info = uri.getUserInfo();
  if (!info.empty()) {
    const auto colon = info.find(':');
    if (colon == std::string::npos) {
      ep.password = info;
    } else {
      ep.user = info.substr(0, colon);
      ep.password = info.substr(colon + 1);
    }
  }
  std::string path = uri.getPath();
  if (!path.empty() && path != "/") {
    path.erase(0, 1);
    const auto [ptr, ec] = std::from_chars(path.data(), path.data() + path.size(), ep.db);
    if (ec != std::errc() || ptr != path.data() + path.size() || ep.db < 0) {
      return Status::InvalidArgument("Redis URL database must be a number");
    }
  }
  return ep;
}

LuaScript::LuaScript(std::string b) : body(std::move(b)) {
  Poco::SHA1Engine sha;
  sha.update(body);
  sha1 = Poco::DigestEngine::digestToHex(sha.digest());
}

RedisPool::RedisPool(RedisEndpoint endpoint, int max_idle, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), max_idle_(max_idle < 0 ? 0 : static_cast<std::size_t>(max_idle)), timeout_(timeout) {}

RedisPool::ClientPtr RedisPool::Acquire(bool fresh, bool& reused) {
  if (!fresh) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      ClientPtr c = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return c;
    }
  }
  reused = false;
  auto client = std::make_unique<Poco::Redis::Client>();
  client->connect(endpoint_.host, endpoint_.port, ToTimespan(timeout_));
  client->setReceiveTimeout(ToTimespan(timeout_));
  if (!endpoint_.password.empty()) {
    Poco::Redis::Array auth;
    auth << "AUTH";
    if (!endpoint_.user.empty()) auth << endpoint_.user;
    auth << endpoint_.password;
    // The reply text is Redis's, never the password; still, report only that AUTH failed.
    if (!ErrorText(client->sendCommand(auth)).empty()) throw RedisErrorReply{"AUTH was refused"};
  }
  if (endpoint_.db != 0) {
    Poco::Redis::Array select;
    select << "SELECT" << std::to_string(endpoint_.db);
    const std::string err = ErrorText(client->sendCommand(select));
    if (!err.empty()) throw RedisErrorReply{"SELECT failed: " + err};
  }
  return client;
}

void RedisPool::Release(ClientPtr client) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(client));
}

Poco::Redis::RedisType::Ptr RedisPool::EvalOn(Poco::Redis::Client& client, const LuaScript& script,
                                              const std::vector<std::string>& keys,
                                              const std::vector<std::string>& args) {
  auto build = [&](const char* verb, const std::string& first) {
    Poco::Redis::Array cmd;
    cmd << verb << first << std::to_string(keys.size());
    for (const auto& k : keys) cmd << k;
    for (const auto& a : args) cmd << a;
    return cmd;
  };
  Poco::Redis::RedisType::Ptr reply = client.sendCommand(build("EVALSHA", script.sha1));
  std::string err = ErrorText(reply);
  if (err.rfind("NOSCRIPT", 0) == 0) {
    reply = client.sendCommand(build("EVAL", script.body));
    err = ErrorText(reply);
  }
  if (!err.empty()) throw RedisErrorReply{err};
  return reply;
}

Result<Poco::Redis::RedisType::Ptr> RedisPool::Eval(const LuaScript& script, const std::vector<std::string>& keys,
                                                    const std::vector<std::string>& args) {
  const std::string where = "redis " + endpoint_.host + ":" + std::to_string(endpoint_.port);
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    ClientPtr client;
    try {
      client = Acquire(/*fresh=*/attempt > 0, reused);
      Poco::Redis::RedisType::Ptr reply = EvalOn(*client, script, keys, args);
      Release(std::move(client));
      return reply;
    } catch (const RedisErrorReply& e) {
      if (client) Release(std::move(client));  // the connection itself is fine
      return Status::Internal(where + ": " + e.message);
    } catch (...) {
      // Connection-level failure: drop the connection. A pooled one may simply be stale (server
      // restarted, idle timeout): retry once on a fresh connection.
      const std::string what = DescribeException();
      client.reset();
      {
        std::lock_guard<std::mutex> lock(mu_);
        idle_.clear();  // after a server restart every pooled connection is stale
      }
      if (reused && attempt == 0) continue;
      return Status::Unavailable(where + ": " + what);
    }
  }
}

}  // namespace clash::internal
