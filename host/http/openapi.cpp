#include "http/openapi.h"

#include <algorithm>
#include <cctype>

namespace clash::host {

using nlohmann::json;

namespace {

class ShapeParser {
 public:
  explicit ShapeParser(const std::string& text) : s_(text) {}

  Result<json> Parse() {
    CLASH_ASSIGN_OR_RETURN(json schema, Shape());
    Skip();
    if (i_ != s_.size()) return Error("unexpected text");
    return schema;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::InvalidArgument("shape '" + s_ + "': " + what + " at " + std::to_string(i_));
  }
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])) != 0) ++i_;
  }
  bool Eat(char c) {
    Skip();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  std::string Word() {
    Skip();
    std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) != 0 || s_[i_] == '_' || s_[i_] == '-')) ++i_;
    return s_.substr(start, i_ - start);
  }

  Result<json> Shape() {
    CLASH_ASSIGN_OR_RETURN(json schema, Single());
    if (Eat('|')) {
      if (Word() != "null") return Error("only '|null' may follow a shape");
      if (schema.contains("type")) {
        schema["type"] = json::array({schema["type"], "null"});
      } else {
        schema = json{{"anyOf", json::array({schema, json{{"type", "null"}}})}};
      }
    }
    return schema;
  }

  Result<json> Single() {
    if (Eat('{')) return Object();
    if (Eat('[')) {
      CLASH_ASSIGN_OR_RETURN(json items, Shape());
      if (!Eat(']')) return Error("expected ']'");
      return json{{"type", "array"}, {"items", items}};
    }
    if (Eat('@')) {
      const std::string name = Word();
      if (name.empty()) return Error("expected a component name after '@'");
      return json{{"$ref", "#/components/schemas/" + name}};
    }
    const std::string word = Word();
    if (word == "string" || word == "integer" || word == "number" || word == "boolean") return json{{"type", word}};
    if (word == "object") return json{{"type", "object"}};
    if (word == "any") return json::object();
    return Error(word.empty() ? "expected a shape" : "unknown type '" + word + "'");
  }

  Result<json> Object() {
    json properties = json::object();
    json required = json::array();
    if (!Eat('}')) {
      do {
        const std::string key = Word();
        if (key.empty()) return Error("expected a key");
        const bool optional = Eat('?');
        if (!Eat(':')) return Error("expected ':'");
        CLASH_ASSIGN_OR_RETURN(json value, Shape());
        properties[key] = std::move(value);
        if (!optional) required.push_back(key);
      } while (Eat(','));
      if (!Eat('}')) return Error("expected '}'");
    }
    json schema = {{"type", "object"}, {"properties", properties}};
    if (!required.empty()) schema["required"] = required;
    return schema;
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad input: {\"error\": \"...\"}";
    case 401: return "No or invalid credentials";
    case 403: return "Not allowed";
    case 404: return "Not found";
    case 429: return "Throttled (Retry-After)";
    default: return "";
  }
}

json ErrorResponse(int status) {
  json schema = {{"type", "object"}, {"properties", {{"error", {{"type", "string"}}}}}, {"required", {"error"}}};
  json content = json::object();
  content["application/json"] = {{"schema", schema}};
  return {{"description", Reason(status)}, {"content", content}};
}

Result<json> Operation(const Router::RouteInfo& route) {
  json op = json::object();
  op["operationId"] = route.method + " " + route.pattern;
  if (route.doc == nullptr) {
    op["summary"] = "UNDOCUMENTED: add an entry to host/routes/docs/";
    op["x-undocumented"] = true;
    op["responses"] = {{"default", {{"description", "undocumented"}}}};
    return op;
  }
  const RouteDoc& d = *route.doc;
  op["summary"] = d.summary;
  op["tags"] = {d.tag};
  op["x-access"] = d.access;
  const std::string access = d.access;
  if (access == "user" || access == "staff") op["security"] = {{{"bearer", json::array()}}, {{"cookie", json::array()}}};
  if (access == "internal") op["security"] = {{{"internal", json::array()}}};
  json params = json::array();
  for (std::size_t open = route.pattern.find('{'); open != std::string::npos; open = route.pattern.find('{', open + 1)) {
    std::size_t close = route.pattern.find('}', open);
    params.push_back({{"name", route.pattern.substr(open + 1, close - open - 1)}, {"in", "path"}, {"required", true},
                      {"schema", {{"type", "string"}}}});
  }
  if (*d.query != '\0') {
    CLASH_ASSIGN_OR_RETURN(json query, ShapeToSchema(d.query));
    std::vector<std::string> required = query.value("required", std::vector<std::string>{});
    for (auto& [name, schema] : query["properties"].items()) {
      const bool req = std::find(required.begin(), required.end(), name) != required.end();
      params.push_back({{"name", name}, {"in", "query"}, {"required", req}, {"schema", schema}});
    }
  }
  if (!params.empty()) op["parameters"] = params;
  if (*d.request != '\0') {
    CLASH_ASSIGN_OR_RETURN(json body, ShapeToSchema(d.request));
    op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", body}}}}}};
  }
  json ok = {{"description", Reason(d.status)}};
  const std::string response = d.response;
  if (response.rfind("text/", 0) == 0 || response.rfind("image/", 0) == 0) {
    ok["content"] = {{response, json::object()}};
  } else if (!response.empty()) {
    CLASH_ASSIGN_OR_RETURN(json body, ShapeToSchema(response));
    ok["content"] = {{"application/json", {{"schema", body}}}};
  }
  json responses = {{std::to_string(d.status), ok}};
  if (*d.request != '\0' || *d.query != '\0') responses["400"] = ErrorResponse(400);
  if (access == "user" || access == "staff" || access == "internal") responses["401"] = ErrorResponse(401);
  if (access == "staff") responses["403"] = ErrorResponse(403);
  if (route.pattern.find('{') != std::string::npos) responses["404"] = ErrorResponse(404);
  op["responses"] = responses;
  return op;
}

}  // namespace

Result<json> ShapeToSchema(const std::string& shape) { return ShapeParser(shape).Parse(); }

Result<json> OpenApiDocument(const Router& router, const std::vector<std::string>& stale_docs,
                             const std::vector<std::pair<const char*, const char*>>& components,
                             const std::string& version) {
  json schemas = json::object();
  for (const auto& [name, shape] : components) {
    CLASH_ASSIGN_OR_RETURN(schemas[name], ShapeToSchema(shape));
  }
  json paths = json::object();
  for (const Router::RouteInfo& route : router.Routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CLASH_ASSIGN_OR_RETURN(json op, Operation(route));
    paths[route.pattern][method] = std::move(op);
  }
  json doc = {
      {"openapi", "3.1.0"},
      {"info", {{"title", "Clash API"}, {"version", version},
                {"description", "Generated from clash-host's route table (host/routes/docs/). docs/api.md has the prose."}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas},
        {"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
          {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "access_token"}}},
          {"internal", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-Internal-Signature"}}}}}}}};
  if (!stale_docs.empty()) doc["x-stale-docs"] = stale_docs;
  // Every @Name used must be a component.
  const std::string text = doc.dump();
  for (std::size_t at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    std::size_t start = at + 21;
    std::size_t end = text.find('"', start);
    if (!schemas.contains(text.substr(start, end - start))) {
      return Status::InvalidArgument("shape component @" + text.substr(start, end - start) + " is not defined");
    }
  }
  return doc;
}

}  // namespace clash::host
