// clash/wire.h — the client contract's lenient field values, shared by every decoder of requests.
//
// The reference's forms accept numbers the way Django REST Framework does: an integer field takes
// 10, 10.0 and "10", but not 10.5, "1e3" or "ten". The library's request decoders and the host's
// route helpers decode through these functions, so every route reads a field the same way.
//
// Thread-safety: pure functions.
//
// Example:
//   std::optional<std::int64_t> amount = clash::LenientInteger("\"499\"");   // 499
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "clash/export.h"

namespace clash {

// `json_value` is one JSON value's text. Returns the integer it stands for: a JSON integer within
// int64, an integral JSON number of magnitude <= 9e15, or a string of an optional sign and 1-18
// decimal digits; nullopt for anything else.
CLASH_EXPORT std::optional<std::int64_t> LenientInteger(std::string_view json_value);

}  // namespace clash
