// Instants, the validation clock and the calendar arithmetic that TAXONOMY.md 3.3 needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lfpse::core {

/// Milliseconds since 1970-01-01T00:00:00Z.
using UnixMillis = int64_t;

/// The clock that `not_future` compares with: fixed for tests and replays, else the system's.
class Clock {
 public:
  static Clock system() { return Clock(); }
  static Clock fixed(UnixMillis at) { return Clock(at); }
  UnixMillis now() const;

 private:
  Clock() = default;
  explicit Clock(UnixMillis at) : fixed_(at) {}
  std::optional<UnixMillis> fixed_;
};

struct CivilDate {
  int year = 0, month = 0, day = 0;
};

/// Days since 1970-01-01 for a proleptic Gregorian date (negative before).
int64_t days_from_civil(int year, int month, int day);
CivilDate civil_from_days(int64_t days);
bool is_valid_date(int year, int month, int day);

/// "YYYY-MM-DD" / "YYYY-MM" / "HH:MM" strictly (a real calendar day; 00:00-23:59).
std::optional<CivilDate> parse_date(std::string_view s);
std::optional<CivilDate> parse_yearmonth(std::string_view s);  // day = 1
bool is_valid_time_hhmm(std::string_view s);

/// RFC 3339 as FHIR writes it: upper-case T and Z, seconds required (60 allowed), any
/// fraction, offset required. Returns the instant in ms (fraction truncated to ms; a leap
/// second counts as the next second's start).
std::optional<UnixMillis> parse_datetime(std::string_view s);

/// The civil date in Europe/London at `t` (UTC+1 from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October).
CivilDate uk_civil_date(UnixMillis t);

/// Formats `t` as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string format_rfc3339_ms(UnixMillis t);

}  // namespace lfpse::core
