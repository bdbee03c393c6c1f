// The opaque handle types of lfpse.h: thin shells around the internal objects.
#pragma once

#include "taxonomy/taxonomy_set.hpp"

struct lfpse_taxonomy_set {
  explicit lfpse_taxonomy_set(bool builtin) : set(builtin) {}
  lfpse::taxonomy::TaxonomySet set;
};
