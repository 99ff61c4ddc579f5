// host/http/json_body.h — reading JSON request bodies and their fields, writing the 400/415 on error.
//
// Each reader returns false after writing the error response, so a route stops with
//   if (!ReadJsonObject(req, resp, &body) || !StringField(body, "email", resp, &email)) return;
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/http_types.h"

namespace clash::host {

// Parses a JSON object body; writes 415 (not application/json) or 400 (not a JSON object) and
// returns false otherwise. An empty body is {}.
bool ReadJsonObject(const HttpRequest& req, HttpResponse& resp, nlohmann::json* out);

// A 400 naming one field, in the shape of the reference's serializer errors plus the usual "error":
//   {"error": "amount: A valid integer is required.", "amount": ["A valid integer is required."]}
void WriteFieldError(HttpResponse& resp, const std::string& key, const std::string& message);

// The string field `key`, or "" if absent or null; false (with a 400) if present but not a string.
bool StringField(const nlohmann::json& body, const char* key, HttpResponse& resp, std::string* out);

// Optional typed fields: left unset when absent or null; false (with WriteFieldError) when present
// with another type. Integers are read with LenientInt.
bool OptionalString(const nlohmann::json& body, const char* key, HttpResponse& resp, std::optional<std::string>* out);
bool OptionalInt(const nlohmann::json& body, const char* key, HttpResponse& resp, std::optional<std::int64_t>* out);
bool OptionalBool(const nlohmann::json& body, const char* key, HttpResponse& resp, std::optional<bool>* out);

// An integer as a form field or JSON value may carry it: a JSON integer, an integral float, or a
// string of decimal digits (with an optional sign). nullopt for anything else (or out of range).
std::optional<std::int64_t> LenientInt(const nlohmann::json& value);

// A decimal path parameter ("42") as an id; nullopt for anything else (the route answers 404).
std::optional<std::int64_t> PathId(const std::string& text);

}  // namespace clash::host
