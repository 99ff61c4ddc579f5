// common/name_table.h — the one shape of an enum <-> wire-name table.
//
// Every enum that crosses a wire or a storage column (XP sources, shop categories, verdicts, roles,
// level states, ...) keeps its names in one constexpr NameTable next to its Name/Parse functions:
//
//   constexpr internal::NameTable<Role, 3> kRoles{{{
//       {Role::kUser, "user"}, {Role::kStaff, "staff"}, {Role::kSuperuser, "superuser"}}}};
//   std::string_view RoleName(Role r) { return kRoles.Name(r, "user"); }
//   Result<Role> ParseRole(std::string_view n) { return kRoles.Parse(n, "unknown role: "); }
//
// Thread-safety: immutable.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "clash/status.h"

namespace clash::internal {

template <typename Enum, std::size_t N>
struct NameTable {
  std::array<std::pair<Enum, std::string_view>, N> entries;

  // The name of `value`, or `fallback` for a value missing from the table.
  constexpr std::string_view Name(Enum value, std::string_view fallback) const {
    for (const auto& [e, name] : entries) {
      if (e == value) return name;
    }
    return fallback;
  }

  // The value named exactly `name`; InvalidArgument(error_prefix + name) otherwise.
  Result<Enum> Parse(std::string_view name, std::string_view error_prefix) const {
    for (const auto& [e, n] : entries) {
      if (n == name) return e;
    }
    return Status::InvalidArgument(std::string(error_prefix) + std::string(name));
  }
};

}  // namespace clash::internal
