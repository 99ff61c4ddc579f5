#include "storage/sql/sql_session.h"

#include <charconv>
#include <cstdio>

namespace clash::internal {

std::int64_t SqlRow::Int(std::size_t i) const {
  const SqlValue& v = cols.at(i);
  if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

std::string SqlRow::Text(std::size_t i) const {
  const SqlValue& v = cols.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return "";
}

}  // namespace clash::internal
