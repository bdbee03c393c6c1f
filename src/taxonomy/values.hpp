// Checks of one answer against its question (TAXONOMY.md 1 and 6): JSON type and format,
// option codes, list cardinality and every constraint kind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"
#include "taxonomy/issue.hpp"
#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

/// The clock's readings, taken at most once per validation and only when a `not_future`
/// constraint needs them.
class ClockReadings {
 public:
  explicit ClockReadings(const core::Clock& clock) : clock_(&clock) {}
  core::UnixMillis now();
  core::CivilDate uk_today();

 private:
  const core::Clock* clock_;
  bool have_now_ = false, have_today_ = false;
  core::UnixMillis now_ = 0;
  core::CivilDate today_;
};

/// Appends one issue (the path is copied: issues are rare, answers are many).
void add_issue(std::vector<Issue>& out, Severity severity, std::string code, std::string_view path,
               std::string_view question, std::string message);

/// Checks `v`, the answer to `q` found at `path`, appending every issue (type, code,
/// cardinality, constraints, free-text scan). `path` is used as a scratch buffer for item paths
/// and is restored before returning.
void check_value(const Question& q, const core::JsonValue& v, std::string& path,
                 ClockReadings& clock, std::vector<Issue>& out);

/// Formats (TAXONOMY.md 3.1 and 6).
bool is_valid_ods(std::string_view s);            ///< [A-Z0-9]{3,6}
bool is_valid_nhs_number(std::string_view s);     ///< 10 ASCII digits passing the check digit
bool is_valid_local_id(std::string_view s);       ///< 1-64 of [A-Za-z0-9._:-]
bool is_valid_integer(const core::JsonValue& v);  ///< literal integer within FHIR's range
/// A FHIR R4 string: no character below U+0020 but tab, line feed and carriage return.
bool is_fhir_string(std::string_view s);
/// Length in Unicode code points of valid UTF-8.
std::size_t utf8_length(std::string_view s);

}  // namespace lfpse::taxonomy
