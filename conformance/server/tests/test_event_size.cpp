// Extensions under foreign urls count in the event's size limit (taxonomy::kMaxEventBytes),
// whatever the transport lets through: checked on the codec, since the server's 1 MiB body
// limit keeps such a resource from reaching it over HTTP today.
#include <doctest/doctest.h>

#include "core/json.hpp"
#include "event_codec.hpp"
#include "harness.hpp"
#include "taxonomy/event.hpp"

using namespace lfpse::server::test;

namespace {
// An example event with `pad` bytes of vendor extension under a foreign url.
lfpse::server::CheckedResource check_padded(std::size_t pad) {
  static lfpse::taxonomy::TaxonomySet set(true);
  std::string body = example_fhir("v5-05-risk", "RJ1", "SIZE-1");
  std::string ext = "\"extension\":[";
  std::size_t at = body.find(ext);
  REQUIRE(at != std::string::npos);
  body.insert(at + ext.size(), "{\"url\":\"https://vendor.example/notes\",\"valueString\":\"" +
                                   std::string(pad, 'n') + "\"},");
  lfpse::core::JsonDocument doc;
  lfpse::core::JsonError err;
  lfpse::core::JsonLimits limits;
  limits.max_bytes = 8u << 20;
  REQUIRE(doc.parse(body, &err, limits));
  return lfpse::server::check_resource(set, doc.root(), "RJ1", lfpse::core::Clock::system());
}
}  // namespace

TEST_CASE("codec: foreign extensions count in the event's size limit") {
  auto small = check_padded(200000);
  CHECK(small.valid);
  auto large = check_padded(lfpse::taxonomy::kMaxEventBytes);
  CHECK_FALSE(large.valid);
  REQUIRE(large.errors.size() == 1);
  CHECK(large.errors[0].detail_code == "malformed");
  CHECK(large.errors[0].pointer.empty());
}
