// A small pool of Poco::Redis connections with reconnect, and Lua script execution (EVALSHA with
// an EVAL fallback). Shared by the Redis rate limiter and replay cache.
#pragma once

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Type.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "clash/status.h"

namespace clash::internal {

struct RedisEndpoint {
  std::string host;
  int port = 6379;
  std::string user;      // Redis 6 ACL user, empty for the default user
  std::string password;  // empty: no AUTH
  int db = 0;
};

// redis://[[user]:password@]host[:port][/db]. InvalidArgument otherwise (rediss:// is not supported).
Result<RedisEndpoint> ParseRedisUrl(const std::string& url);

struct LuaScript {
  explicit LuaScript(std::string body);
  std::string body;
  std::string sha1;  // lowercase hex
};

class RedisPool {
 public:
  RedisPool(RedisEndpoint endpoint, int max_idle, std::chrono::milliseconds timeout);
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Runs `script` with KEYS = keys and ARGV = args and returns its reply. A broken pooled
  // connection is dropped and the call retried once on a fresh one. Errors: Unavailable (cannot
  // connect, connection lost, timeout), Internal (Redis answered with an error).
  Result<Poco::Redis::RedisType::Ptr> Eval(const LuaScript& script, const std::vector<std::string>& keys,
                                           const std::vector<std::string>& args);

 private:
  using ClientPtr = std::unique_ptr<Poco::Redis::Client>;
  // A pooled connection (reused = true) unless `fresh`, else a new one; throws on connect/AUTH/SELECT
  // failure.
  ClientPtr Acquire(bool fresh, bool& reused);
  void Release(ClientPtr client);
  Poco::Redis::RedisType::Ptr EvalOn(Poco::Redis::Client& client, const LuaScript& script,
                                     const std::vector<std::string>& keys, const std::vector<std::string>& args);

  RedisEndpoint endpoint_;
  std::size_t max_idle_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::vector<ClientPtr> idle_;
};

}  // namespace clash::internal
