#include "taxonomy/values.hpp"

#include <cstdint>
#include <utility>

#include "taxonomy/condition.hpp"
#include "taxonomy/constraints.hpp"
#include "taxonomy/pii.hpp"

namespace lfpse::taxonomy {

core::UnixMillis ClockReadings::now() {
  if (!have_now_) {
    now_ = clock_->now();
    have_now_ = true;
  }
  return now_;
}

core::CivilDate ClockReadings::uk_today() {
  if (!have_today_) {
    today_ = core::uk_civil_date(now());
    have_today_ = true;
  }
  return today_;
}

void add_issue(std::vector<Issue>& out, Severity severity, std::string code, std::string_view path,
               std::string_view question, std::string message) {
  Issue issue;
  issue.severity = severity;
  issue.code = std::move(code);
  issue.path.assign(path.data(), path.size());
  issue.question.assign(question.data(), question.size());
  issue.message = std::move(message);
  out.push_back(std::move(issue));
}

bool is_valid_ods(std::string_view s) {
  if (s.size() < 3 || s.size() > 6) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool is_valid_nhs_number(std::string_view s) {
  if (s.size() != 10) return false;
  int digits[10];
  for (int i = 0; i < 10; ++i) {
    char c = s[static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    digits[i] = c - '0';
  }
  return nhs_check_digit_ok(digits);
}

bool is_valid_local_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_valid_integer(const core::JsonValue& v) {
  int64_t n = 0;
  return v.is_number() && v.is_integer_literal() && v.to_int64(&n) && n >= INT32_MIN &&
         n <= INT32_MAX;
}

// In UTF-8 every byte below 0x20 is that code point: lead and continuation bytes are >= 0x80.
bool is_fhir_string(std::string_view s) {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') return false;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++n;
  }
  return n;
}

namespace {

// Question::has_active_option without a call per comparison: codes are short.
bool is_active_option(const Question& q, std::string_view code) {
  for (const Option& o : q.options) {
    if (same_code(o.code, code)) return !o.retired;
  }
  return false;
}

std::string about(const Question& q) { return "The answer to " + q.code + " "; }

void invalid_type(const Question& q, std::string_view path, std::string_view what,
                  std::vector<Issue>& out) {
  add_issue(out, Severity::Error, "invalid-type", path, q.code,
            about(q) + "must be " + std::string(what) + ".");
}

// What a question of each type takes, for invalid-type messages.
std::string_view expected(QuestionType t) {
  switch (t) {
    case QuestionType::Choice:
      return "one option code, as a string";
    case QuestionType::Multichoice:
      return "a list of option codes";
    case QuestionType::Text:
      return "a string";
    case QuestionType::Date:
      return "a date written YYYY-MM-DD";
    case QuestionType::YearMonth:
      return "a month written YYYY-MM";
    case QuestionType::DateTime:
      return "a date and time in RFC 3339 form with seconds and an offset";
    case QuestionType::Time:
      return "a time written HH:MM (00:00 to 23:59)";
    case QuestionType::Integer:
      return "a whole number from -2147483648 to 2147483647, written without fraction or "
             "exponent";
    case QuestionType::Decimal:
      return "a number";
    case QuestionType::Boolean:
      return "true or false";
    case QuestionType::Ods:
      return "an ODS code of 3 to 6 upper-case letters and digits";
    case QuestionType::NhsNumber:
      return "an NHS number of 10 digits with a valid check digit";
  }
  return "of its question's type";
}

// Item paths are built only for an issue: most lists are fine.
void check_multichoice(const Question& q, const core::JsonValue& v, std::string& path,
                       std::vector<Issue>& out) {
  const std::size_t base = path.size();
  auto item_path = [&](std::size_t i) -> const std::string& {
    path.resize(base);
    path.push_back('/');
    path += std::to_string(i);
    return path;
  };
  for (std::size_t i = 0; i < v.size(); ++i) {
    const core::JsonValue& item = v[i];
    if (!item.is_string()) {
      invalid_type(q, item_path(i), "a list of option codes, each a string", out);
      continue;
    }
    if (!is_active_option(q, item.text())) {
      add_issue(out, Severity::Error, "invalid-code", item_path(i), q.code,
                about(q) + "includes \"" + std::string(item.text()) +
                    "\", which is not one of its options.");
    }
    for (std::size_t k = 0; k < i; ++k) {
      if (v[k].is_string() && same_code(v[k].text(), item.text())) {
        add_issue(out, Severity::Error, "invalid-cardinality", item_path(i), q.code,
                  about(q) + "selects \"" + std::string(item.text()) + "\" more than once.");
        break;
      }
    }
  }
  path.resize(base);
}

// True when `v` has the JSON type and format of `q`'s type (issues already reported if not).
bool check_type(const Question& q, const core::JsonValue& v, std::string& path,
                std::vector<Issue>& out) {
  bool ok = false;
  switch (q.type) {
    case QuestionType::Choice:
      if (v.is_array()) {
        add_issue(out, Severity::Error, "invalid-cardinality", path, q.code,
                  about(q) + "takes one option, not a list.");
        return false;
      }
      if (!v.is_string()) break;
      if (!is_active_option(q, v.text())) {
        add_issue(
            out, Severity::Error, "invalid-code", path, q.code,
            about(q) + "is \"" + std::string(v.text()) + "\", which is not one of its options.");
        return false;
      }
      return true;
    case QuestionType::Multichoice:
      if (!v.is_array()) break;
      check_multichoice(q, v, path, out);
      return true;  // list constraints are checked even when an item is invalid
    case QuestionType::Text:
      if (!v.is_string()) break;
      if (!is_fhir_string(v.text())) {
        invalid_type(q, path,
                     "a string with no control character but tab, line feed and carriage return "
                     "(FHIR R4 strings cannot hold one)",
                     out);
        return false;  // neither constraint-checked nor scanned (TAXONOMY.md 6)
      }
      return true;
    case QuestionType::Date:
      ok = v.is_string() && core::parse_date(v.text()).has_value();
      break;
    case QuestionType::YearMonth:
      ok = v.is_string() && core::parse_yearmonth(v.text()).has_value();
      break;
    case QuestionType::DateTime:
      ok = v.is_string() && core::parse_datetime(v.text()).has_value();
      break;
    case QuestionType::Time:
      ok = v.is_string() && core::is_valid_time_hhmm(v.text());
      break;
    case QuestionType::Integer:
      ok = is_valid_integer(v);
      break;
    case QuestionType::Decimal:
      ok = v.is_number();
      break;
    case QuestionType::Boolean:
      ok = v.is_bool();
      break;
    case QuestionType::Ods:
      ok = v.is_string() && is_valid_ods(v.text());
      break;
    case QuestionType::NhsNumber:
      ok = v.is_string() && is_valid_nhs_number(v.text());
      break;
  }
  if (!ok) invalid_type(q, path, expected(q.type), out);
  return ok;
}

void scan_text(const Question& q, std::string_view text, std::string_view path,
               std::vector<Issue>& out) {
  unsigned found = pii_scan(text);
  for (unsigned bit = 1; bit <= kPiiDateOfBirth; bit <<= 1) {
    if ((found & bit) == 0) continue;
    PiiKind kind = static_cast<PiiKind>(bit);
    add_issue(out, Severity::Warning, std::string(pii_code(kind)), path, q.code,
              std::string(pii_message(kind)));
  }
}

}  // namespace

void check_value(const Question& q, const core::JsonValue& v, std::string& path,
                 ClockReadings& clock, std::vector<Issue>& out) {
  if (v.is_null() || v.is_object()) {
    add_issue(out, Severity::Error, "invalid-type", path, q.code,
              about(q) + "is " + (v.is_null() ? "null" : "an object") + ", which is no answer; " +
                  "it must be " + std::string(expected(q.type)) + ".");
    return;
  }
  // "" and [] are no answer: nothing to check.
  if ((v.is_string() && v.text().empty()) || (v.is_array() && v.size() == 0)) return;
  if (!check_type(q, v, path, out)) return;
  if (!q.constraints.empty()) check_constraints(q, v, path, clock, out);
  if (q.pii_scan && v.is_string()) scan_text(q, v.text(), path, out);
}

}  // namespace lfpse::taxonomy
