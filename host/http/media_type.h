// http/media_type.h — Content-Type parsed as a media type (RFC 9110 section 8.3.1), not searched
// as a substring: "application/json; charset=utf-8" is JSON, "text/plain; x=application/json" and
// "application/jsonx" are not.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clash::host {

struct MediaType {
  std::string type;     // lower-cased: "application"
  std::string subtype;  // lower-cased: "json"
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower-cased, values unquoted
};

// type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] ); nullopt if malformed.
std::optional<MediaType> ParseMediaType(std::string_view text);

// True if `content_type` is application/json, with any parameters.
bool IsJsonMediaType(std::string_view content_type);

}  // namespace clash::host
