// LenientInteger: DRF's integer-field reading of a JSON value.
#include "clash/wire.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

namespace clash {
namespace {

std::optional<std::int64_t> ParseDecimal(std::string_view text) {
  // At most one sign.
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text[0] == '-') return std::nullopt;
  }
  std::string_view digits = (!text.empty() && text[0] == '-') ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 18 || digits[0] == '+' || digits[0] == '-') return std::nullopt;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::int64_t> LenientInteger(std::string_view json_value) {
  using nlohmann::json;
  json value = json::parse(json_value, nullptr, /*allow_exceptions=*/false);
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return value.get<std::int64_t>();
  }
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9.0e15) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  if (value.is_string()) return ParseDecimal(value.get_ref<const std::string&>());
  return std::nullopt;
}

}  // namespace clash
