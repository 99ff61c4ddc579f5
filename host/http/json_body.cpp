#include "http/json_body.h"

#include "clash/wire.h"
#include "http/json_response.h"
#include "http/media_type.h"

namespace clash::host {

using nlohmann::json;

namespace {

bool Present(const json& body, const char* key) { return body.contains(key) && !body[key].is_null(); }

bool TypeError(HttpResponse& resp, const char* key, const char* message) {
  WriteFieldError(resp, key, message);
  return false;
}

}  // namespace

void WriteFieldError(HttpResponse& resp, const std::string& key, const std::string& message) {
  WriteJson(resp, 400, json{{"error", key + ": " + message}, {key, json::array({message})}});
}

bool ReadJsonObject(const HttpRequest& req, HttpResponse& resp, json* out) {
  if (req.body.empty()) {
    *out = json::object();
    return true;
  }
  if (!IsJsonMediaType(req.Header("content-type").value_or(""))) {
    WriteError(resp, 415, "Content-Type must be application/json.");
    return false;
  }
  *out = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded() || !out->is_object()) {
    WriteError(resp, 400, "Request body must be a JSON object.");
    return false;
  }
  return true;
}

bool StringField(const json& body, const char* key, HttpResponse& resp, std::string* out) {
  if (!Present(body, key)) {
    out->clear();
    return true;
  }
  if (!body[key].is_string()) return TypeError(resp, key, "Not a valid string.");
  *out = body[key].get<std::string>();
  return true;
}

bool OptionalString(const json& body, const char* key, HttpResponse& resp, std::optional<std::string>* out) {
  if (!Present(body, key)) return true;
  if (!body[key].is_string()) return TypeError(resp, key, "Not a valid string.");
  *out = body[key].get<std::string>();
  return true;
}

bool OptionalInt(const json& body, const char* key, HttpResponse& resp, std::optional<std::int64_t>* out) {
  if (!Present(body, key)) return true;
  std::optional<std::int64_t> v = LenientInt(body[key]);
  if (!v) return TypeError(resp, key, "A valid integer is required.");
  *out = v;
  return true;
}

bool OptionalBool(const json& body, const char* key, HttpResponse& resp, std::optional<bool>* out) {
  if (!Present(body, key)) return true;
  if (!body[key].is_boolean()) return TypeError(resp, key, "Must be a valid boolean.");
  *out = body[key].get<bool>();
  return true;
}

std::optional<std::int64_t> LenientInt(const json& value) { return LenientInteger(value.dump()); }

std::optional<std::int64_t> PathId(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(text);
}

}  // namespace clash::host
