#include "taxonomy/constraints.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <regex>
#include <unordered_map>

namespace lfpse::taxonomy {

bool pattern_matches(const std::string& pattern, std::string_view text) {
  // Taxonomies are immutable and shared, so compiled patterns live in one process-wide cache;
  // a compiled std::regex is only read once built, which is safe from any thread.
  static std::mutex mutex;
  static std::unordered_map<std::string, std::unique_ptr<const std::regex>> cache;
  const std::regex* re = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(pattern);
    if (it == cache.end()) {
      std::unique_ptr<const std::regex> compiled;
      try {
        compiled = std::make_unique<const std::regex>(pattern, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        compiled = nullptr;
      }
      it = cache.emplace(pattern, std::move(compiled)).first;
    }
    re = it->second.get();
  }
  return re != nullptr && std::regex_match(text.begin(), text.end(), *re);
}

namespace {

std::string number_text(double x) {
  char buf[32];
  if (std::fabs(x) < 9e15 && x == std::floor(x)) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(x));
  } else {
    std::snprintf(buf, sizeof buf, "%.17g", x);
  }
  return buf;
}

bool steps_hold(const Constraint& c, const core::JsonValue& v) {
  int64_t n = 0;
  if (!v.to_int64(&n)) return false;
  for (const Constraint::Step& s : c.steps) {
    if (n >= s.min && n <= s.max && s.step != 0 && n % s.step == 0) return true;
  }
  return false;
}

bool exclusive_holds(const Constraint& c, const core::JsonValue& v) {
  for (const std::string& code : c.codes) {
    bool has = false, other = false;
    for (const core::JsonValue& item : v) {
      if (item.is_string() && item.text() == code) {
        has = true;
      } else {
        other = true;
      }
    }
    if (has && other) return false;
  }
  return true;
}

// A date, yearmonth or datetime after the clock (TAXONOMY.md 3.3).
bool is_future(const Question& q, const core::JsonValue& v, ClockReadings& clock) {
  if (!v.is_string()) return false;
  switch (q.type) {
    case QuestionType::Date: {
      std::optional<core::CivilDate> d = core::parse_date(v.text());
      if (!d) return false;
      core::CivilDate t = clock.uk_today();
      return core::days_from_civil(d->year, d->month, d->day) >
             core::days_from_civil(t.year, t.month, t.day);
    }
    case QuestionType::YearMonth: {
      std::optional<core::CivilDate> d = core::parse_yearmonth(v.text());
      if (!d) return false;
      core::CivilDate t = clock.uk_today();
      return d->year * 12 + d->month > t.year * 12 + t.month;
    }
    case QuestionType::DateTime: {
      std::optional<core::UnixMillis> at = core::parse_datetime(v.text());
      return at && *at > clock.now();
    }
    default:
      return false;
  }
}

bool fails(const Question& q, const Constraint& c, const core::JsonValue& v, ClockReadings& clock) {
  switch (c.kind) {
    // A string has at most as many code points as bytes: count them only when that matters.
    case Constraint::Kind::MaxLength:
      return v.is_string() && static_cast<double>(v.text().size()) > c.number &&
             static_cast<double>(utf8_length(v.text())) > c.number;
    case Constraint::Kind::MinLength:
      return v.is_string() && (static_cast<double>(v.text().size()) < c.number ||
                               static_cast<double>(utf8_length(v.text())) < c.number);
    case Constraint::Kind::Pattern:
      return v.is_string() && !pattern_matches(c.pattern, v.text());
    case Constraint::Kind::Min:
      return v.is_number() && v.to_double() < c.number;
    case Constraint::Kind::Max:
      return v.is_number() && v.to_double() > c.number;
    case Constraint::Kind::NotFuture:
      return is_future(q, v, clock);
    case Constraint::Kind::MinItems:
      return v.is_array() && static_cast<double>(v.size()) < c.number;
    case Constraint::Kind::MaxItems:
      return v.is_array() && static_cast<double>(v.size()) > c.number;
    case Constraint::Kind::Exclusive:
      return v.is_array() && !exclusive_holds(c, v);
    case Constraint::Kind::Steps:
      return v.is_number() && !steps_hold(c, v);
  }
  return false;
}

// Built only for a failure, so that the common path allocates nothing.
std::string message(const Question& q, const Constraint& c) {
  const std::string who = "The answer to " + q.code + " ";
  switch (c.kind) {
    case Constraint::Kind::MaxLength:
      return who + "is longer than " + number_text(c.number) + " characters.";
    case Constraint::Kind::MinLength:
      return who + "is shorter than " + number_text(c.number) + " characters.";
    case Constraint::Kind::Pattern:
      return who + "does not have the expected form.";
    case Constraint::Kind::Min:
      return who + "is less than " + number_text(c.number) + ".";
    case Constraint::Kind::Max:
      return who + "is more than " + number_text(c.number) + ".";
    case Constraint::Kind::NotFuture:
      return who + "is in the future.";
    case Constraint::Kind::MinItems:
      return who + "selects fewer than " + number_text(c.number) + " options.";
    case Constraint::Kind::MaxItems:
      return who + "selects more than " + number_text(c.number) + " options.";
    case Constraint::Kind::Exclusive:
      return who + "combines an option that must be chosen on its own with other options.";
    case Constraint::Kind::Steps:
      return who + "is not a value its encoding allows (in one band, a multiple of its step).";
  }
  return who + "fails a constraint.";
}

}  // namespace

void check_constraints(const Question& q, const core::JsonValue& v, const std::string& path,
                       ClockReadings& clock, std::vector<Issue>& out) {
  for (const Constraint& c : q.constraints) {
    if (fails(q, c, v, clock)) {
      add_issue(out, Severity::Error, "constraint:" + c.name, path, q.code, message(q, c));
    }
  }
}

}  // namespace lfpse::taxonomy
