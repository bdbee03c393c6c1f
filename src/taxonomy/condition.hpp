// Conditions (TAXONOMY.md 2 and 6) evaluated against the answers in scope.
//
// A scope is one slot per taxonomy question: the top-level answers, plus the answers of the
// group instance being looked at (a group's slots are refilled for each instance). Question
// codes are unique, so a condition's question index picks the right slot with no name lookup;
// the loader guarantees a condition never names a question of another group.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"
#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

/// Equality for option codes: short strings, so a plain loop beats a call to memcmp.
inline bool same_code(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

/// "Has an answer" (TAXONOMY.md 6): a non-empty string or array, a number or a boolean.
inline bool has_answer(const core::JsonValue* v) {
  if (v == nullptr) return false;
  switch (v->kind()) {
    case core::JsonKind::String:
      return !v->text().empty();
    case core::JsonKind::Array:
      return v->size() != 0;
    case core::JsonKind::Number:
    case core::JsonKind::Bool:
      return true;
    default:
      return false;
  }
}

class AnswerScope {
 public:
  explicit AnswerScope(const Taxonomy& tax);

  const Taxonomy& taxonomy() const { return *tax_; }

  /// Empties every slot of `group` (-1: the top-level questions).
  void clear(int group);
  /// Records the answer given to question `q` (shown flags are computed later).
  void set_answer(int q, const core::JsonValue* v) { raw_[q] = v; }
  /// Fills the slots of `group` from an `answers` object, ignoring keys that are not
  /// questions of that group (the validator reports those itself). A non-object is no answers.
  void fill(int group, const core::JsonValue* answers);

  /// Computes the shown flags of the questions of `group` in `shown_order`, so that each
  /// condition sees the questions it names already decided. A group question is shown only
  /// where `group_shown` holds. Call for the top level before evaluating any group's `shown`.
  void compute_shown(int group, bool group_shown);

  /// The answer as given, shown or not.
  const core::JsonValue* raw(int q) const { return raw_[q]; }
  bool shown(int q) const { return shown_[q] != 0; }
  /// What conditions see: the answer when the question is shown, else nothing.
  const core::JsonValue* visible(int q) const { return shown_[q] ? raw_[q] : nullptr; }
  /// True when the shown question `q` is required now (`required: true` or its condition).
  bool required(int q) const;

 private:
  const Taxonomy* tax_;
  std::vector<const core::JsonValue*> raw_;
  std::vector<uint8_t> shown_;
};

/// Evaluates a condition in `scope` (hidden questions count as unanswered).
bool evaluate(const Condition& c, const AnswerScope& scope);

/// The instant a date, yearmonth or datetime answer stands for (a date at its start of day,
/// UTC; a yearmonth at its first day), or false when `v` is not one of those by its
/// question's type.
bool answer_instant(const Question& q, const core::JsonValue* v, core::UnixMillis* out);

}  // namespace lfpse::taxonomy
