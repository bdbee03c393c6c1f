// Event document <-> FHIR R4 AdverseEvent (TAXONOMY.md 5 and 6), byte-stable both ways.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "taxonomy/model.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::taxonomy {

/// The largest resource text from_fhir reads (a resource is larger than its event document).
constexpr std::size_t kMaxResourceBytes = std::size_t{16} << 20;

/// Writes the AdverseEvent for an event that validates without errors against `tax`
/// (callers validate first; answers the taxonomy does not define are skipped).
std::string to_fhir(const Taxonomy& tax, const core::JsonValue& event);

/// What the national service adds to a resource: not answers, but the event's sync state.
struct NationalMeta {
  std::optional<std::string> id;
  std::optional<std::string> version_id;
  std::optional<std::string> last_updated;
  std::optional<std::string> reference_number;
  std::optional<std::string> recording_route;
  std::optional<std::string> review_status;
  std::optional<std::string> review_comment;
};

struct FromFhirResult {
  std::string event_json;  ///< the canonical event document (TAXONOMY.md 6, FHIR)
  NationalMeta meta;
  TaxonomyPtr taxonomy;  ///< the version named by meta.profile
};

/// Maps a resource back. Throws core::Error(Invalid) when the text is not an AdverseEvent
/// or its profile names no loaded taxonomy. A national identifier
/// (`urn:lfpse:national:<org>`) gives the local id `national:<value>`.
FromFhirResult from_fhir(const TaxonomySet& set, std::string_view resource_text);
/// The same for a resource the caller has already parsed (a server that also reads its
/// identifier need not parse the body twice).
FromFhirResult from_fhir(const TaxonomySet& set, const core::JsonValue& resource);

/// `{"id","version","last_updated","reference","recording_route","review_status",
/// "review_comment"}`, null where absent.
std::string national_meta_json(const NationalMeta& m);

}  // namespace lfpse::taxonomy
