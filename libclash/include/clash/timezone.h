// clash/timezone.h — civil dates in one configured time zone (daily check-in, streaks).
//
// Every date rule of the platform (one check-in per day, streaks of consecutive days) is decided in a
// single configured zone, never in the server's local zone. A TimeZone is loaded once from the
// system's IANA database (TZif files under /usr/share/zoneinfo) or given as a fixed offset.
//
// Thread-safety: a loaded TimeZone is immutable and safe to share.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::TimeZone tz, clash::TimeZone::Load("Asia/Kolkata"));
//   clash::CivilDate today = tz.LocalDate(clock.Now());   // today.ToString() == "2026-11-27"
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// A proleptic Gregorian date.
struct CLASH_EXPORT CivilDate {
  int year = 1970;
  int month = 1;   // 1-12
  int day = 1;     // 1-31

  // Days since 1970-01-01 (negative before).
  std::int64_t DaysSinceEpoch() const;
  static CivilDate FromDaysSinceEpoch(std::int64_t days);
  // "YYYY-MM-DD".
  std::string ToString() const;
  // Parses "YYYY-MM-DD"; InvalidArgument otherwise (also for impossible dates such as 2026-02-30).
  static Result<CivilDate> Parse(std::string_view text);
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

class CLASH_EXPORT TimeZone {
 public:
  // UTC.
  TimeZone();
  // "UTC", a fixed offset "+05:30" / "-08:00", or an IANA name such as "Asia/Kolkata" read from
  // `zoneinfo_dir`. InvalidArgument for a malformed name or offset; NotFound if the zone file does
  // not exist; FailedPrecondition if it is not a valid TZif file. After the last transition in the
  // file the last offset stays in force.
  static Result<TimeZone> Load(std::string_view name, std::string_view zoneinfo_dir = "/usr/share/zoneinfo");

  const std::string& name() const { return name_; }
  // Seconds east of UTC in force at `t`.
  std::int64_t OffsetSeconds(Timestamp t) const;
  // The civil date in this zone at `t`.
  CivilDate LocalDate(Timestamp t) const;

 private:
  struct Transition {
    std::int64_t at_unix_seconds;
    std::int64_t offset_seconds;
  };
  std::string name_ = "UTC";
  std::int64_t initial_offset_ = 0;
  std::vector<Transition> transitions_;  // ascending
};

}  // namespace clash
