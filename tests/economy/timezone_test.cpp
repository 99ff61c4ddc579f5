// Civil dates and time zones: the day arithmetic, fixed offsets, and real TZif files from the
// system's tzdata, plus hand-built TZif files for the v1 path and for malformed input.
#include "clash/timezone.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "economy/economy_fixture.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;

Timestamp At(std::int64_t unix_seconds) { return Timestamp::FromUnixSeconds(unix_seconds); }

TEST(CivilDateTest, KnownDays) {
  EXPECT_EQ((CivilDate{1970, 1, 1}).DaysSinceEpoch(), 0);
  EXPECT_EQ((CivilDate{1969, 12, 31}).DaysSinceEpoch(), -1);
  EXPECT_EQ((CivilDate{2000, 3, 1}).DaysSinceEpoch(), 11017);
  EXPECT_EQ((CivilDate{1900, 1, 1}).DaysSinceEpoch(), -25567);
  EXPECT_EQ((CivilDate{2026, 11, 27}).DaysSinceEpoch(), 20784);
  EXPECT_EQ(CivilDate::FromDaysSinceEpoch(20784), (CivilDate{2026, 11, 27}));
  EXPECT_EQ(CivilDate::FromDaysSinceEpoch(-25567), (CivilDate{1900, 1, 1}));
  // Leap days: 2000 and 2024 have one, 1900 and 2100 do not.
  EXPECT_EQ(CivilDate::FromDaysSinceEpoch((CivilDate{2000, 2, 28}).DaysSinceEpoch() + 1), (CivilDate{2000, 2, 29}));
  EXPECT_EQ(CivilDate::FromDaysSinceEpoch((CivilDate{2024, 2, 28}).DaysSinceEpoch() + 1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(CivilDate::FromDaysSinceEpoch((CivilDate{1900, 2, 28}).DaysSinceEpoch() + 1), (CivilDate{1900, 3, 1}));
  EXPECT_EQ(CivilDate::FromDaysSinceEpoch((CivilDate{2100, 2, 28}).DaysSinceEpoch() + 1), (CivilDate{2100, 3, 1}));
}

TEST(CivilDateTest, RoundTripsOverAWideRangeDayByDay) {
  // From 1600-01-01 to 2400-12-31 every day must follow the previous one by the calendar rules.
  CivilDate prev = CivilDate::FromDaysSinceEpoch((CivilDate{1600, 1, 1}).DaysSinceEpoch() - 1);
  ASSERT_EQ(prev, (CivilDate{1599, 12, 31}));
  const std::int64_t last = (CivilDate{2400, 12, 31}).DaysSinceEpoch();
  for (std::int64_t d = (CivilDate{1600, 1, 1}).DaysSinceEpoch(); d <= last; ++d) {
    CivilDate c = CivilDate::FromDaysSinceEpoch(d);
    ASSERT_EQ(c.DaysSinceEpoch(), d) << c.ToString();
    bool next_day = c.year == prev.year && c.month == prev.month && c.day == prev.day + 1;
    bool next_month = c.year == prev.year && c.month == prev.month + 1 && c.day == 1;
    bool next_year = c.year == prev.year + 1 && c.month == 1 && c.day == 1 && prev.month == 12 && prev.day == 31;
    ASSERT_TRUE(next_day || next_month || next_year) << prev.ToString() << " -> " << c.ToString();
    ASSERT_THAT(CivilDate::Parse(c.ToString()), IsOkAndHolds(c));
    prev = c;
  }
  // Far from the epoch, both ways.
  for (std::int64_t d : {-3'000'000LL, -719'468LL, 2'000'000LL, 2'932'896LL}) {
    EXPECT_EQ(CivilDate::FromDaysSinceEpoch(d).DaysSinceEpoch(), d);
  }
}

TEST(CivilDateTest, ToStringAndParse) {
  EXPECT_EQ((CivilDate{2026, 3, 7}).ToString(), "2026-03-07");
  EXPECT_EQ((CivilDate{987, 1, 2}).ToString(), "0987-01-02");
  EXPECT_THAT(CivilDate::Parse("2026-11-27"), IsOkAndHolds(CivilDate{2026, 11, 27}));
  EXPECT_THAT(CivilDate::Parse("2024-02-29"), IsOkAndHolds(CivilDate{2024, 2, 29}));
  for (const char* bad : {"2026-02-30", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
                          "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01T", " 2026-01-01", "2026-0a-01", ""}) {
    EXPECT_THAT(CivilDate::Parse(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(TimeZoneTest, DefaultAndUtc) {
  TimeZone def;
  EXPECT_EQ(def.name(), "UTC");
  EXPECT_EQ(def.OffsetSeconds(At(1781553600)), 0);
  for (const char* name : {"UTC", "Z"}) {
    Result<TimeZone> tz = TimeZone::Load(name);
    ASSERT_THAT(tz, IsOk());
    EXPECT_EQ(tz->name(), "UTC");
    EXPECT_EQ(tz->LocalDate(At(1781553600)), (CivilDate{2026, 6, 15}));  // 20:00 UTC
    EXPECT_EQ(tz->LocalDate(At(1781553600 - 20 * 3600 - 1)), (CivilDate{2026, 6, 14}));
  }
}

TEST(TimeZoneTest, FixedOffsets) {
  Result<TimeZone> plus = TimeZone::Load("+05:30");
  ASSERT_THAT(plus, IsOk());
  EXPECT_EQ(plus->name(), "+05:30");
  EXPECT_EQ(plus->OffsetSeconds(At(0)), 19800);
  EXPECT_EQ(plus->LocalDate(At(1781553600)), (CivilDate{2026, 6, 16}));  // 01:30 local
  Result<TimeZone> minus = TimeZone::Load("-08:00");
  ASSERT_THAT(minus, IsOk());
  EXPECT_EQ(minus->OffsetSeconds(At(1781553600)), -28800);
  EXPECT_EQ(minus->LocalDate(At(1781553600)), (CivilDate{2026, 6, 15}));  // 12:00 local
  EXPECT_EQ(minus->LocalDate(At(1781553600 - 13 * 3600)), (CivilDate{2026, 6, 14}));
  // Before the epoch the day still floors correctly.
  EXPECT_EQ(minus->LocalDate(At(0)), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(minus->LocalDate(Timestamp::FromUnixMicros(-1)), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(TimeZone().LocalDate(Timestamp::FromUnixMicros(-1)), (CivilDate{1969, 12, 31}));
  for (const char* bad : {"+5:30", "+05:60", "+24:00", "+0530", "-08", "+05:3a", "+"}) {
    EXPECT_THAT(TimeZone::Load(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(TimeZoneTest, KolkataIsFiveThirtyAhead) {
  Result<TimeZone> tz = TimeZone::Load("Asia/Kolkata");
  ASSERT_THAT(tz, IsOk());
  EXPECT_EQ(tz->name(), "Asia/Kolkata");
  EXPECT_EQ(tz->OffsetSeconds(At(1781553600)), 19800);
  // 20:00 UTC is 01:30 the next local day.
  EXPECT_EQ(tz->LocalDate(At(1781553600)), (CivilDate{2026, 6, 16}));
  // Local midnight of 2026-11-28 is 18:30 UTC on the 27th.
  EXPECT_EQ(tz->LocalDate(At(1795804199)), (CivilDate{2026, 11, 27}));
  EXPECT_EQ(tz->LocalDate(At(1795804200)), (CivilDate{2026, 11, 28}));
}

TEST(TimeZoneTest, BerlinFollowsDaylightSavingTime) {
  Result<TimeZone> tz = TimeZone::Load("Europe/Berlin");
  ASSERT_THAT(tz, IsOk());
  // Summer time starts 2026-03-29 at 01:00 UTC and ends 2026-10-25 at 01:00 UTC.
  EXPECT_EQ(tz->OffsetSeconds(At(1774746000 - 1)), 3600);
  EXPECT_EQ(tz->OffsetSeconds(At(1774746000)), 7200);
  EXPECT_EQ(tz->OffsetSeconds(At(1781553600)), 7200);  // June
  EXPECT_EQ(tz->OffsetSeconds(At(1792890000 - 1)), 7200);
  EXPECT_EQ(tz->OffsetSeconds(At(1792890000)), 3600);
  // 2026-06-15 22:30 UTC is 00:30 on the 16th in summer; in winter 22:30 UTC is 23:30 the same day.
  EXPECT_EQ(tz->LocalDate(At(1781553600 + 9000)), (CivilDate{2026, 6, 16}));
  const std::int64_t dec_15_2230 = (CivilDate{2026, 12, 15}).DaysSinceEpoch() * 86400 + 22 * 3600 + 1800;
  EXPECT_EQ(tz->LocalDate(At(dec_15_2230)), (CivilDate{2026, 12, 15}));
  // Past the last transition in the file the last offset stays in force (winter time).
  const std::int64_t year_2100 = (CivilDate{2100, 7, 1}).DaysSinceEpoch() * 86400;
  EXPECT_EQ(tz->OffsetSeconds(At(year_2100)), 3600);
}

TEST(TimeZoneTest, NewYork) {
  Result<TimeZone> tz = TimeZone::Load("America/New_York");
  ASSERT_THAT(tz, IsOk());
  // DST 2026: from 2026-03-08 07:00 UTC to 2026-11-01 06:00 UTC.
  EXPECT_EQ(tz->OffsetSeconds(At(1772953200 - 1)), -5 * 3600);
  EXPECT_EQ(tz->OffsetSeconds(At(1772953200)), -4 * 3600);
  EXPECT_EQ(tz->OffsetSeconds(At(1793512800 - 1)), -4 * 3600);
  EXPECT_EQ(tz->OffsetSeconds(At(1793512800)), -5 * 3600);
  // 2026-06-16 03:00 UTC is 23:00 on the 15th in New York.
  EXPECT_EQ(tz->LocalDate(At(1781553600 + 7 * 3600)), (CivilDate{2026, 6, 15}));
  EXPECT_EQ(tz->LocalDate(At(1781553600 + 8 * 3600 - 1)), (CivilDate{2026, 6, 15}));
  EXPECT_EQ(tz->LocalDate(At(1781553600 + 8 * 3600)), (CivilDate{2026, 6, 16}));
}

TEST(TimeZoneTest, RejectsBadNames) {
  for (const char* bad : {"../etc/passwd", "Europe/../../etc/passwd", "/etc/localtime", "Europe/Berlin\n",
                          "Europe Berlin", "Asia/Kolkata;rm", "", "Europe/Ber*", "Asia\\Kolkata"}) {
    EXPECT_THAT(TimeZone::Load(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
  EXPECT_THAT(TimeZone::Load("Mars/Olympus_Mons"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(TimeZone::Load("Europe"), StatusIs(StatusCode::kNotFound));  // a directory
}

// A TZif file built by hand: `version` 0 (v1 only) or '2' (a dummy v1 block, then the 64-bit one).
std::string BuildTzif(char version, const std::vector<std::int64_t>& times, const std::vector<std::uint8_t>& idx,
                      const std::vector<std::pair<std::int32_t, bool>>& types) {
  auto be = [](std::string& out, std::int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i)
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff));
  };
  auto block = [&](int time_size, bool empty) {
    std::string out = "TZif";
    out.push_back(version);
    out.append(15, '\0');
    std::int64_t timecnt = empty ? 0 : static_cast<std::int64_t>(times.size());
    std::int64_t typecnt = empty ? 1 : static_cast<std::int64_t>(types.size());
    for (std::int64_t c : {std::int64_t{0}, std::int64_t{0}, std::int64_t{0}, timecnt, typecnt, std::int64_t{4}}) {
      be(out, c, 4);
    }
    for (std::int64_t i = 0; i < timecnt; ++i) be(out, times[i], time_size);
    for (std::int64_t i = 0; i < timecnt; ++i) out.push_back(static_cast<char>(idx[i]));
    for (std::int64_t i = 0; i < typecnt; ++i) {
      be(out, empty ? 0 : types[i].first, 4);
      out.push_back(empty ? 0 : types[i].second ? 1 : 0);
      out.push_back(0);
    }
    out.append("ABC", 4);
    return out;
  };
  if (version == 0) return block(4, false);
  // The v1 block of a v2 file deliberately says "UTC only": the reader must use the 64-bit block.
  return block(4, true) + block(8, false) + "\nXYZ-1\n";
}

class TzifFileTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& bytes) {
    std::filesystem::create_directories((dir_.path() / name).parent_path());
    std::ofstream out(dir_.path() / name, std::ios::binary);
    out << bytes;
  }
  Result<TimeZone> Load(const std::string& name) { return TimeZone::Load(name, dir_.path().string()); }
  testing::TempDir dir_;
};

TEST_F(TzifFileTest, ReadsVersion1AndVersion2Files) {
  // Type 0 is DST (+2h), type 1 standard (+1h): before the first transition the standard offset holds.
  Write("Test/V1", BuildTzif(0, {1000, 2000}, {0, 1}, {{7200, true}, {3600, false}}));
  Result<TimeZone> v1 = Load("Test/V1");
  ASSERT_THAT(v1, IsOk());
  EXPECT_EQ(v1->OffsetSeconds(At(999)), 3600);
  EXPECT_EQ(v1->OffsetSeconds(At(1000)), 7200);
  EXPECT_EQ(v1->OffsetSeconds(At(1999)), 7200);
  EXPECT_EQ(v1->OffsetSeconds(At(2000)), 3600);

  // 64-bit times beyond 2038 only fit the v2 block.
  const std::int64_t far = 5'000'000'000;
  Write("Test/V2", BuildTzif('2', {-5'000'000'000, far}, {1, 0}, {{-18000, false}, {-14400, true}}));
  Result<TimeZone> v2 = Load("Test/V2");
  ASSERT_THAT(v2, IsOk());
  EXPECT_EQ(v2->OffsetSeconds(At(-6'000'000'000)), -18000);
  EXPECT_EQ(v2->OffsetSeconds(At(0)), -14400);
  EXPECT_EQ(v2->OffsetSeconds(At(far)), -18000);
}

TEST_F(TzifFileTest, RejectsMalformedFiles) {
  const std::string good = BuildTzif('2', {1000, 2000}, {0, 1}, {{7200, true}, {3600, false}});
  Write("Bad/Text", "not a zone file at all, just some text that is long enough for a header....");
  Write("Bad/Empty", "");
  Write("Bad/Truncated", good.substr(0, good.size() - 20));
  Write("Bad/HeaderOnly", good.substr(0, 44));
  // A transition pointing at type 5 of 2.
  Write("Bad/Index", BuildTzif(0, {1000}, {5}, {{7200, true}, {3600, false}}));
  // Transitions out of order.
  Write("Bad/Order", BuildTzif(0, {2000, 1000}, {0, 1}, {{7200, true}, {3600, false}}));
  for (const char* name : {"Bad/Text", "Bad/Empty", "Bad/Truncated", "Bad/HeaderOnly", "Bad/Index", "Bad/Order"}) {
    EXPECT_THAT(Load(name), StatusIs(StatusCode::kFailedPrecondition)) << name;
  }
  Write("Ok/Good", good);
  EXPECT_THAT(Load("Ok/Good"), IsOk());
}

}  // namespace
}  // namespace clash
