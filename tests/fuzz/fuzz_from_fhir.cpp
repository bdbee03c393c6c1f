// Any bytes as a FHIR resource: from_fhir either maps it or throws core::Error, never
// crashes.
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "taxonomy/fhir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lfpse;
  static const taxonomy::TaxonomySet set;
  try {
    taxonomy::from_fhir(set, std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const core::Error&) {
  }
  return 0;
}
