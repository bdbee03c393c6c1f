// The taxonomies compiled into the library (see CMakeLists.txt: data/*.json are embedded).
#include <cstddef>

#include "taxonomy/taxonomy_set.hpp"

extern const unsigned char lfpse_builtin_taxonomy_5[];
extern const std::size_t lfpse_builtin_taxonomy_5_size;
extern const unsigned char lfpse_builtin_taxonomy_6[];
extern const std::size_t lfpse_builtin_taxonomy_6_size;

namespace lfpse::taxonomy {

const std::vector<BuiltinTaxonomy>& builtin_taxonomies() {
  static const std::vector<BuiltinTaxonomy> kBuiltin = {
      {"5",
       {reinterpret_cast<const char*>(lfpse_builtin_taxonomy_5), lfpse_builtin_taxonomy_5_size}},
      {"6",
       {reinterpret_cast<const char*>(lfpse_builtin_taxonomy_6), lfpse_builtin_taxonomy_6_size}},
  };
  return kBuiltin;
}

}  // namespace lfpse::taxonomy
