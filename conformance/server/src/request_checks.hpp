// Checks of a request that a single create or update and a batch entry share (API.md: 400).
#pragma once

#include <optional>
#include <string_view>

#include "core/json.hpp"
#include "http_types.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::server {

/// A UUID in its 8-4-4-4-12 hexadecimal form (either case): what an Idempotency-Key must be.
bool is_uuid(std::string_view text);

inline constexpr const char* kDuplicateMetadata =
    "The resource holds the adverse-event-reference-metadata extension more than once.";

/// The 400 for a resource the server cannot stamp unambiguously (two reference-metadata
/// extensions), or nullopt.
std::optional<HttpResponse> refuse_resource(const taxonomy::TaxonomySet& set,
                                            const core::JsonValue& resource);

}  // namespace lfpse::server
