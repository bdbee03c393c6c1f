// The canonical event document (TAXONOMY.md 6, FHIR): members in the order of section 3.1,
// `answers` always present, `groups` only when a group has instances, empty answers ("", [])
// and empty group arrays gone. Answers follow the taxonomy's question order and groups its
// group order (as the shipped examples are written), so that an event written that way maps
// to FHIR and back unchanged; keys the taxonomy does not define follow, in document order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

/// Rewrites an event document canonically against `tax` (its own members are kept as they
/// are, whatever the taxonomy says about them; only order and empty answers change). A member
/// the document shape does not have is left out.
std::string canonical_event_json(const Taxonomy& tax, const core::JsonValue& event);

/// Answers gathered by question index (what the FHIR reader collects).
struct AnswerSlot {
  const core::JsonValue* value = nullptr;     ///< a single answer
  std::vector<const core::JsonValue*> items;  ///< a multichoice's codes, in order
};
using AnswerSlots = std::vector<AnswerSlot>;

struct InstanceSlots {
  int64_t sequence = 0;
  AnswerSlots slots;
};

struct AnswerSet {
  explicit AnswerSet(const Taxonomy& tax) : top(tax.questions.size()), groups(tax.groups.size()) {}
  const core::JsonValue* organisation = nullptr;
  AnswerSlots top;
  std::vector<std::vector<InstanceSlots>> groups;  ///< per taxonomy group, in output order
};

/// The canonical document of `answers`, with taxonomy_version = tax.version.
std::string write_canonical(const Taxonomy& tax, std::string_view local_id,
                            const AnswerSet& answers);

}  // namespace lfpse::taxonomy
