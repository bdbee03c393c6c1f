// The taxonomy half of validation: answers, groups and rules of an event whose document shape
// event.cpp has already read (TAXONOMY.md 3 and 6).
#pragma once

#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"
#include "taxonomy/issue.hpp"
#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

struct EventParts {
  const core::JsonValue* answers = nullptr;  ///< the `answers` object; null if absent/malformed
  bool answers_malformed = false;            ///< present but not an object (reported)
  const core::JsonValue* groups = nullptr;   ///< the `groups` object; null if absent/malformed
  bool groups_malformed = false;             ///< present but not an object (reported)
};

/// Appends the issues of the event's content. With no taxonomy (unknown version) only the
/// shape of the group instances is checked.
void validate_content(const Taxonomy* tax, const EventParts& parts, const core::Clock& clock,
                      std::vector<Issue>& out);

}  // namespace lfpse::taxonomy
