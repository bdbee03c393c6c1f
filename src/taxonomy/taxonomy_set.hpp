// A set of loaded taxonomies, keyed by version. Thread-safe: lookups share a lock, loads
// replace the whole map (copy on write), and a TaxonomyPtr handed out stays valid after
// its version is replaced.
#pragma once

#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

class TaxonomySet {
 public:
  /// With `with_builtin`, versions 5 and 6 compiled into the library are loaded.
  explicit TaxonomySet(bool with_builtin = true);

  /// Loads one document; a document with a loaded version replaces it (TAXONOMY.md 6).
  /// Throws core::Error(Invalid) for a malformed taxonomy.
  TaxonomyPtr load_json(std::string_view json_text);
  /// Throws core::Error(NotFound / Io) when the file cannot be read, else as load_json.
  TaxonomyPtr load_file(const std::string& path);

  /// nullptr when the version is not loaded.
  TaxonomyPtr find(std::string_view version) const;
  /// The taxonomy whose fhir.profile is `profile`, or nullptr.
  TaxonomyPtr find_by_profile(std::string_view profile) const;
  /// Loaded versions, oldest first (numeric order where versions are numbers).
  std::vector<TaxonomyPtr> all() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, TaxonomyPtr, std::less<>> by_version_;
};

/// Orders versions: numerically when both are decimal numbers, else bytewise.
bool version_less(std::string_view a, std::string_view b);

/// The taxonomy documents built into the library (TAXONOMY.md files for versions 5 and 6).
struct BuiltinTaxonomy {
  const char* version;
  std::string_view json;
};
const std::vector<BuiltinTaxonomy>& builtin_taxonomies();

}  // namespace lfpse::taxonomy
