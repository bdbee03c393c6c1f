// The opaque handle types of lfpse.h that more than one C ABI file uses.
#pragma once

#include <memory>

#include "taxonomy/taxonomy_set.hpp"

/// Shared ownership: a store (or a later client) keeps the set alive after the caller frees
/// its handle.
struct lfpse_taxonomy_set {
  explicit lfpse_taxonomy_set(bool builtin)
      : set(std::make_shared<lfpse::taxonomy::TaxonomySet>(builtin)) {}
  std::shared_ptr<const lfpse::taxonomy::TaxonomySet> shared() const { return set; }
  std::shared_ptr<lfpse::taxonomy::TaxonomySet> set;
};
