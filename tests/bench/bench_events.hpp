// Realistic generated events for the benchmarks: the shipped v5 examples as templates, with
// free text of realistic length, one to three patients, and one mistake in every other event.
#pragma once

#include <string>
#include <vector>

#include "core/time.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::bench {

/// `count` event texts, deterministic for a given count; even indexes are meant valid, odd
/// ones carry one error.
std::vector<std::string> generate_events(const taxonomy::TaxonomySet& set, std::size_t count,
                                         const core::Clock& clock);

}  // namespace lfpse::bench
