// The one place where the server calls the SDK's taxonomy code: FHIR -> event document,
// validation, event document -> FHIR (TAXONOMY.md 3, 5, 6), and the stamping of a resource
// with what the national side owns (id, meta, ReferenceNumber, RecordingRoute, reviews).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"
#include "outcome.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::server {

/// A resource received for create or update, checked against its taxonomy.
struct CheckedResource {
  bool valid = false;
  std::vector<OutcomeIssue> errors;  ///< the 422 issues (TAXONOMY.md errors, sorted)
  std::string local_id;              ///< from identifier `urn:lfpse:local-id:<org>`; may be ""
  std::string metadata_url;          ///< the reference-metadata extension's url; "" if unknown
};

/// Maps `resource` (a parsed AdverseEvent object) back to an event document and validates
/// it; the submitting organisation must be `caller_ods`.
CheckedResource check_resource(const taxonomy::TaxonomySet& set, const core::JsonValue& resource,
                               const std::string& caller_ods, const core::Clock& clock);

/// An admin-recorded event document (POST /admin/events), mapped to FHIR when valid.
struct CheckedDocument {
  bool valid = false;
  std::vector<OutcomeIssue> errors;
  std::string organisation;
  std::string fhir;  ///< the AdverseEvent (when valid)
  std::string metadata_url;
};
CheckedDocument check_document(const taxonomy::TaxonomySet& set, std::string_view event_text,
                               const core::Clock& clock);

/// What the server sets on a resource it stores.
struct Stamp {
  std::string id;
  int64_t version = 1;
  std::string last_updated;
  std::string reference;
  std::string route;  ///< API or OIR
  std::optional<std::string> review_status, review_comment;
  std::optional<std::string> national_org;  ///< OIR: identifier becomes urn:lfpse:national:<org>
  std::string metadata_url;                 ///< used when the resource has no such extension
};

/// Writes `resource` with `id` after resourceType, meta.versionId / lastUpdated, and the
/// server-owned sub-extensions of adverse-event-reference-metadata replaced by the stamp's.
std::string stamp_resource(const core::JsonValue& resource, const Stamp& s);

/// A stamped resource whose lastUpdated and ReferenceNumber are left to fill: a create writes
/// it in the request's thread, and the single writer, which decides those two values, only
/// splices them in.
struct StampTemplate {
  std::string text;                                   ///< stamped with both values empty
  std::size_t last_updated_at = 0, reference_at = 0;  ///< offsets inside their empty quotes
  /// The text stamp_resource would give with these two values.
  std::string fill(const std::string& last_updated, const std::string& reference) const;
};
/// nullopt when the resource gets no ReferenceNumber (no metadata extension is known).
std::optional<StampTemplate> stamp_template(const core::JsonValue& resource, Stamp s);

/// The reference-metadata extension's url for the taxonomy `resource`'s meta.profile names
/// ("" when it names none served).
std::string metadata_url_of(const taxonomy::TaxonomySet& set, const core::JsonValue& resource);
/// True when `resource` holds the reference-metadata extension (any served version's exact
/// url) more than once: which one the server owns would be ambiguous (API.md: 400).
bool has_two_metadata_extensions(const taxonomy::TaxonomySet& set, const core::JsonValue& resource);

/// The `urn:lfpse:local-id:<org>` identifier's value, or "" when there is none.
std::string local_id_of(const core::JsonValue& resource);

}  // namespace lfpse::server
