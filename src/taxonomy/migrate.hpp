// Moving an event to a later taxonomy version (TAXONOMY.md 4 and 6).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "taxonomy/issue.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::taxonomy {

struct MigrationResult {
  bool migrated = false;      ///< false: unreadable event; `issues` says why
  std::string event_json;     ///< the canonical migrated event (when migrated)
  std::vector<Issue> issues;  ///< `migrated:dropped` warnings + validation, sorted together
};

/// Steps through every version between the event's and `target_version`. Throws
/// core::Error(NotFound) for an unloaded target, core::Error(Invalid) for a downgrade.
MigrationResult migrate(const TaxonomySet& set, std::string_view event_text,
                        std::string_view target_version, const core::Clock& clock);

}  // namespace lfpse::taxonomy
