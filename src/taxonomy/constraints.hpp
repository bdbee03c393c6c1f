// The constraint kinds of TAXONOMY.md 1, checked on an answer of the right type.
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"
#include "taxonomy/issue.hpp"
#include "taxonomy/model.hpp"
#include "taxonomy/values.hpp"

namespace lfpse::taxonomy {

/// Appends a `constraint:<name>` issue at `path` for each constraint of `q` that `v` fails. A
/// constraint that does not apply to the value's kind (a length on a number) is ignored.
void check_constraints(const Question& q, const core::JsonValue& v, const std::string& path,
                       ClockReadings& clock, std::vector<Issue>& out);

/// Whole-string ECMAScript match against `pattern`, compiled once per pattern and shared
/// between threads. A pattern std::regex cannot compile matches nothing.
bool pattern_matches(const std::string& pattern, std::string_view text);

}  // namespace lfpse::taxonomy
