// Any bytes as an event document: validation, shown questions and FHIR mapping never crash,
// and a valid event always maps to FHIR and back to the same canonical document's FHIR.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/time.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/shown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lfpse;
  static const taxonomy::TaxonomySet set;
  static const core::Clock clock = core::Clock::fixed(1795694400000);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  taxonomy::ParsedEvent parsed = taxonomy::parse_event_text(text);
  if (!parsed.document_ok) return 0;
  const core::JsonValue& root = parsed.doc.root();
  taxonomy::Validation v = taxonomy::validate(set, root, clock);
  const core::JsonValue* version = root.find("taxonomy_version");
  auto tax = version && version->is_string() ? set.find(version->text()) : nullptr;
  if (!tax) return 0;
  taxonomy::compute_shown(*tax, root);
  if (!v.valid) return 0;
  std::string fhir = taxonomy::to_fhir(*tax, root);
  taxonomy::FromFhirResult back = taxonomy::from_fhir(set, fhir);
  taxonomy::ParsedEvent again = taxonomy::parse_event_text(back.event_json);
  if (!again.document_ok || taxonomy::to_fhir(*tax, again.doc.root()) != fhir) std::abort();
  return 0;
}
