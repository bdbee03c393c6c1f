// Pieces of the JSON Schema writer (schema.cpp): conditions and question value types as
// draft 2020-12 fragments. Each function returns one compact JSON value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "taxonomy/model.hpp"

namespace lfpse::taxonomy::schema_detail {

/// Where every question a condition names lives: the top level, one group, or both (mixed).
struct Level {
  bool top = false;
  bool group = false;  ///< a question of the group being described
  bool other = false;  ///< another group, or an assert-only form: not expressible
};
Level condition_level(const Taxonomy& tax, const Condition& c, int group);

/// Whether `c` holds for an object with no answers (a missing `answers` member).
bool holds_on_empty(const Condition& c);

/// The condition as a schema over the answers object it is evaluated in.
std::string condition_schema(const Taxonomy& tax, const Condition& c);

/// `answered(C)` and its negation, over an answers object.
std::string answered_schema(std::string_view code);
std::string not_answered_schema(std::string_view code);

/// The schema of the object holding `answers` (the event or an instance) for which `cond`
/// (a schema over the answers) holds, treating a missing `answers` as empty.
std::string wrap_answers(const std::string& cond, bool holds_when_empty);

/// The value schema of a question. With `nonempty`, "" and [] are refused (the question is
/// always shown and required); otherwise they are accepted as "no answer".
/// Constraints that JSON Schema cannot say are appended to `unsaid`.
std::string value_schema(const Question& q, bool nonempty, std::vector<std::string>& unsaid);

/// A double as JSON (integers without a fraction).
std::string number_text(double x);

/// A JSON array of strings.
std::string string_array(const std::vector<std::string>& items);

}  // namespace lfpse::taxonomy::schema_detail
