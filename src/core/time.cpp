#include "core/time.hpp"

#include <chrono>
#include <cstdio>

namespace lfpse::core {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// The last Sunday of `month` in `year`, as days since the epoch.
int64_t last_sunday(int year, int month) {
  int64_t last = days_from_civil(year, month, days_in_month(year, month));
  int64_t weekday = (last + 4) % 7;  // 1970-01-01 was a Thursday (4); 0 = Sunday
  if (weekday < 0) weekday += 7;
  return last - weekday;
}

}  // namespace

UnixMillis Clock::now() const {
  if (fixed_) return *fixed_;
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

bool is_valid_date(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

std::optional<CivilDate> parse_date(std::string_view s) {
  CivilDate d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, &d.year) ||
      !digits(s, 5, 2, &d.month) || !digits(s, 8, 2, &d.day) ||
      !is_valid_date(d.year, d.month, d.day)) {
    return std::nullopt;
  }
  return d;
}

std::optional<CivilDate> parse_yearmonth(std::string_view s) {
  CivilDate d;
  d.day = 1;
  if (s.size() != 7 || s[4] != '-' || !digits(s, 0, 4, &d.year) || !digits(s, 5, 2, &d.month) ||
      d.month < 1 || d.month > 12) {
    return std::nullopt;
  }
  return d;
}

bool is_valid_time_hhmm(std::string_view s) {
  int h = 0, m = 0;
  return s.size() == 5 && s[2] == ':' && digits(s, 0, 2, &h) && digits(s, 3, 2, &m) && h <= 23 &&
         m <= 59;
}

std::optional<UnixMillis> parse_datetime(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|+HH:MM|-HH:MM)
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  int h = 0, mi = 0, sec = 0;
  if (!date || !digits(s, 11, 2, &h) || !digits(s, 14, 2, &mi) || !digits(s, 17, 2, &sec) ||
      h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start < 3) millis = millis * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (std::size_t n = pos - start; n < 3; ++n) millis *= 10;
  }
  if (pos >= s.size()) return std::nullopt;
  int offset_minutes = 0;
  if (s[pos] == 'Z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (pos + 6 != s.size() || s[pos + 3] != ':' || !digits(s, pos + 1, 2, &oh) ||
        !digits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = days_from_civil(date->year, date->month, date->day);
  int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return seconds * 1000 + millis;
}

CivilDate uk_civil_date(UnixMillis t) {
  int64_t days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
  CivilDate utc = civil_from_days(days);
  // British Summer Time: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
  // Sunday of October.
  UnixMillis bst_start = (last_sunday(utc.year, 3) * 86400 + 3600) * 1000;
  UnixMillis bst_end = (last_sunday(utc.year, 10) * 86400 + 3600) * 1000;
  if (t >= bst_start && t < bst_end) {
    UnixMillis local = t + 3600 * 1000;
    return civil_from_days(local >= 0 ? local / 86400000 : -((-local + 86399999) / 86400000));
  }
  return utc;
}

std::string format_rfc3339_ms(UnixMillis t) {
  int64_t days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
  int64_t ms_of_day = t - days * 86400000;
  CivilDate d = civil_from_days(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year, d.month, d.day,
                static_cast<int>(ms_of_day / 3600000), static_cast<int>(ms_of_day / 60000 % 60),
                static_cast<int>(ms_of_day / 1000 % 60), static_cast<int>(ms_of_day % 1000));
  return buf;
}

}  // namespace lfpse::core
