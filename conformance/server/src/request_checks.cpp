#include "request_checks.hpp"

#include "event_codec.hpp"
#include "outcome.hpp"

namespace lfpse::server {

bool is_uuid(std::string_view k) {
  if (k.size() != 36) return false;
  for (std::size_t i = 0; i < k.size(); ++i) {
    char c = k[i];
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (i == 8 || i == 13 || i == 18 || i == 23 ? c != '-' : !hex) return false;
  }
  return true;
}

std::optional<HttpResponse> refuse_resource(const taxonomy::TaxonomySet& set,
                                            const core::JsonValue& resource) {
  if (has_two_metadata_extensions(set, resource))
    return error_response(400, "duplicate-extension", kDuplicateMetadata);
  return std::nullopt;
}

}  // namespace lfpse::server
