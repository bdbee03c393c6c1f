// Reading an event document (TAXONOMY.md 3.1 and 6) into a view that the validator, the
// shown-questions computation, the FHIR writer and the migration share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"
#include "taxonomy/issue.hpp"
#include "taxonomy/model.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::taxonomy {

/// Largest event document accepted (the API's body limit); larger texts are `malformed`.
constexpr std::size_t kMaxEventBytes = 1u << 20;

/// An event text parsed with the limits of TAXONOMY.md 6. When the text is not one JSON
/// object, `document_ok` is false and `issues` holds the single `malformed` issue at "".
struct ParsedEvent {
  core::JsonDocument doc;
  bool document_ok = false;
  std::vector<Issue> issues;
};
ParsedEvent parse_event_text(std::string_view text);

/// Validates an event document: every issue, sorted (TAXONOMY.md 3 and 6).
Validation validate(const TaxonomySet& set, const core::JsonValue& event, const core::Clock& clock);
/// Parses, then validates; text that is not a JSON object gives the one `malformed` issue.
Validation validate_text(const TaxonomySet& set, std::string_view text, const core::Clock& clock);

/// The loaded taxonomy a parsed event names, or null (unreadable event, unloaded version).
TaxonomyPtr event_taxonomy(const TaxonomySet& set, const ParsedEvent& parsed);

/// An event text parsed and validated, with the taxonomy it names: what a caller needs before
/// mapping a valid event (to FHIR, into the store).
struct CheckedEvent {
  ParsedEvent parsed;
  Validation validation;
  TaxonomyPtr taxonomy;  ///< null when the event cannot be read
};
CheckedEvent check_event(const TaxonomySet& set, std::string_view text, const core::Clock& clock);

}  // namespace lfpse::taxonomy
