// Civil dates (Howard Hinnant's days-from-civil algorithms) and time zones read from TZif files
// (RFC 8536): only the transition times and the UT offsets of their types are kept.
#include "clash/timezone.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

namespace clash {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::uintmax_t kMaxZoneFileBytes = 1 << 20;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsLeapYear(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(std::int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// "+HH:MM" / "-HH:MM" → seconds east of UTC; nullopt if malformed.
std::optional<std::int64_t> ParseFixedOffset(std::string_view s) {
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return std::nullopt;
  for (std::size_t i : {1u, 2u, 4u, 5u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  int hours = (s[1] - '0') * 10 + (s[2] - '0');
  int minutes = (s[4] - '0') * 10 + (s[5] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  std::int64_t seconds = hours * 3600 + minutes * 60;
  return s[0] == '-' ? -seconds : seconds;
}

bool IsValidZoneName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
           c == '-' || c == '/';
  });
}

// A bounds-checked big-endian reader over the file's bytes.
class Reader {
 public:
  explicit Reader(const std::string& data) : data_(data) {}
  bool Has(std::size_t n) const { return pos_ <= data_.size() && data_.size() - pos_ >= n; }
  bool Skip(std::size_t n) {
    if (!Has(n)) return false;
    pos_ += n;
    return true;
  }
  bool ReadBytes(std::size_t n, std::string_view* out) {
    if (!Has(n)) return false;
    *out = std::string_view(data_).substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool ReadU8(std::uint8_t* out) {
    if (!Has(1)) return false;
    *out = static_cast<std::uint8_t>(data_[pos_++]);
    return true;
  }
  bool ReadBE(std::size_t width, std::int64_t* out) {
    if (!Has(width)) return false;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<std::uint8_t>(data_[pos_++]);
    if (width == 4) {
      *out = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    } else {
      *out = static_cast<std::int64_t>(v);
    }
    return true;
  }

 private:
  const std::string& data_;
  std::size_t pos_ = 0;
};

struct TzifHeader {
  char version = 0;
  std::int64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

bool ReadHeader(Reader& r, TzifHeader* h) {
  std::string_view magic;
  if (!r.ReadBytes(4, &magic) || magic != "TZif") return false;
  std::string_view version;
  if (!r.ReadBytes(1, &version) || !r.Skip(15)) return false;
  h->version = version[0];
  if (h->version != 0 && (h->version < '2' || h->version > '9')) return false;
  std::int64_t* counts[] = {&h->isutcnt, &h->isstdcnt, &h->leapcnt, &h->timecnt, &h->typecnt, &h->charcnt};
  for (std::int64_t* c : counts) {
    if (!r.ReadBE(4, c) || *c < 0 || *c > 100'000) return false;
  }
  return h->typecnt >= 1;
}

// Bytes of the data block that follows a header, with `time_size`-byte times.
std::size_t DataBlockSize(const TzifHeader& h, std::size_t time_size) {
  return static_cast<std::size_t>(h.timecnt * time_size + h.timecnt + h.typecnt * 6 + h.charcnt +
                                  h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);
}

}  // namespace

std::int64_t CivilDate::DaysSinceEpoch() const {
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilDate::FromDaysSinceEpoch(std::int64_t days) {
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

std::string CivilDate::ToString() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

Result<CivilDate> CivilDate::Parse(std::string_view text) {
  auto bad = [&] { return Status::InvalidArgument("invalid date (expected YYYY-MM-DD): " + std::string(text)); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int fields[3] = {0, 0, 0};
  const std::pair<std::size_t, std::size_t> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int f = 0; f < 3; ++f) {
    for (std::size_t i = spans[f].first; i < spans[f].first + spans[f].second; ++i) {
      if (text[i] < '0' || text[i] > '9') return bad();
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  CivilDate date{fields[0], fields[1], fields[2]};
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > DaysInMonth(date.year, date.month)) {
    return bad();
  }
  return date;
}

TimeZone::TimeZone() = default;

Result<TimeZone> TimeZone::Load(std::string_view name, std::string_view zoneinfo_dir) {
  TimeZone tz;
  if (name == "UTC" || name == "Z") return tz;
  if (!name.empty() && (name[0] == '+' || name[0] == '-')) {
    std::optional<std::int64_t> offset = ParseFixedOffset(name);
    if (!offset) return Status::InvalidArgument("invalid UTC offset (expected +HH:MM or -HH:MM): " + std::string(name));
    tz.name_ = std::string(name);
    tz.initial_offset_ = *offset;
    return tz;
  }
  if (!IsValidZoneName(name)) return Status::InvalidArgument("invalid time zone name: " + std::string(name));

  namespace fs = std::filesystem;
  const fs::path path = fs::path(std::string(zoneinfo_dir)) / std::string(name);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::NotFound("unknown time zone: " + std::string(name));
  if (fs::file_size(path, ec) > kMaxZoneFileBytes || ec) {
    return Status::FailedPrecondition("time zone file is not a valid TZif file: " + std::string(name));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("unknown time zone: " + std::string(name));
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Status invalid = Status::FailedPrecondition("time zone file is not a valid TZif file: " + std::string(name));

  Reader r(data);
  TzifHeader header;
  if (!ReadHeader(r, &header)) return invalid;
  std::size_t time_size = 4;
  if (header.version != 0) {
    // Version 2+: skip the 32-bit block and use the 64-bit one that follows.
    if (!r.Skip(DataBlockSize(header, 4)) || !ReadHeader(r, &header)) return invalid;
    time_size = 8;
  }
  if (!r.Has(DataBlockSize(header, time_size))) return invalid;

  std::vector<std::int64_t> times(static_cast<std::size_t>(header.timecnt));
  for (std::int64_t& t : times) {
    if (!r.ReadBE(time_size, &t)) return invalid;
  }
  std::vector<std::uint8_t> indices(times.size());
  for (std::uint8_t& idx : indices) {
    if (!r.ReadU8(&idx) || idx >= header.typecnt) return invalid;
  }
  std::vector<std::int64_t> offsets(static_cast<std::size_t>(header.typecnt));
  std::vector<bool> is_dst(offsets.size());
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    std::uint8_t dst = 0, abbr = 0;
    if (!r.ReadBE(4, &offsets[i]) || !r.ReadU8(&dst) || !r.ReadU8(&abbr)) return invalid;
    if (dst > 1 || offsets[i] < -25 * 3600 || offsets[i] > 26 * 3600) return invalid;
    is_dst[i] = dst == 1;
  }

  tz.name_ = std::string(name);
  tz.initial_offset_ = offsets[0];
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    if (!is_dst[i]) {
      tz.initial_offset_ = offsets[i];
      break;
    }
  }
  tz.transitions_.reserve(times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (!tz.transitions_.empty() && times[i] <= tz.transitions_.back().at_unix_seconds) return invalid;
    tz.transitions_.push_back({times[i], offsets[indices[i]]});
  }
  return tz;
}

std::int64_t TimeZone::OffsetSeconds(Timestamp t) const {
  const std::int64_t seconds = FloorDiv(t.unix_micros(), 1'000'000);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), seconds,
                             [](std::int64_t s, const Transition& tr) { return s < tr.at_unix_seconds; });
  if (it == transitions_.begin()) return initial_offset_;
  return std::prev(it)->offset_seconds;
}

CivilDate TimeZone::LocalDate(Timestamp t) const {
  const std::int64_t local_seconds = FloorDiv(t.unix_micros(), 1'000'000) + OffsetSeconds(t);
  return CivilDate::FromDaysSinceEpoch(FloorDiv(local_seconds, kSecondsPerDay));
}

}  // namespace clash
