// host/http/http_types.h — the request and response the host's routes see.
//
// Routes work on these plain structs, not on Poco types, so they are simple to test and the
// translation from Poco happens in one place (server.cpp).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clash::host {

struct HttpRequest {
  std::string method;                                  // "GET"
  std::string path;                                    // "/api/challenges/python-001/" (decoded)
  std::string target;                                  // the raw request target: path and query as sent
  std::map<std::string, std::string> query;            // decoded query parameters (last one wins)
  std::vector<std::pair<std::string, std::string>> headers;  // as received, names lower-cased
  std::string body;                                    // at most the configured body limit
  std::map<std::string, std::string> path_params;      // filled by the router: {"slug": "python-001"}
  std::string request_id;
  std::string remote_address;                          // "127.0.0.1:50312"

  // The first header named `name` (lower case), if any.
  std::optional<std::string> Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the server sends these bytes instead of `body`, without copying them: a rendering a
  // cache keeps (the loop answers of router.h).
  std::shared_ptr<const std::string> shared_body;
  // When set, the server streams this file instead of `body` (static files).
  std::optional<std::string> file_path;

  void SetHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

}  // namespace clash::host
