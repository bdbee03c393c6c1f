// Any bytes as a taxonomy document: loading either succeeds or throws core::Error naming the
// problem, never crashes; a loaded taxonomy can validate an event and export its schema.
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/schema.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lfpse;
  try {
    taxonomy::TaxonomySet set(false);
    auto tax = set.load_json(std::string_view(reinterpret_cast<const char*>(data), size));
    std::string event = "{\"local_id\":\"x\",\"taxonomy_version\":";
    core::json_append_string(event, tax->version);
    event += ",\"organisation\":\"RJ1\",\"answers\":{}}";
    taxonomy::validate_text(set, event, core::Clock::fixed(0));
    taxonomy::json_schema(*tax);
  } catch (const core::Error&) {
  }
  return 0;
}
