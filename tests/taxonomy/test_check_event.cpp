#include <doctest/doctest.h>

#include "taxonomy/event.hpp"

using namespace lfpse;

TEST_CASE("check_event: a readable event comes back parsed, judged and with its taxonomy") {
  taxonomy::TaxonomySet set;
  const core::Clock clock = core::Clock::fixed(1795694400000);
  taxonomy::CheckedEvent ok = taxonomy::check_event(
      set, R"({"local_id":"L-1","taxonomy_version":"6","organisation":"RJ1","answers":{}})", clock);
  CHECK(ok.parsed.document_ok);
  REQUIRE(bool(ok.taxonomy));
  CHECK(ok.taxonomy->version == "6");
  CHECK_FALSE(ok.validation.valid);  // CL001 and others are required

  taxonomy::CheckedEvent unknown = taxonomy::check_event(
      set, R"({"local_id":"L-1","taxonomy_version":"4","organisation":"RJ1","answers":{}})", clock);
  CHECK(!unknown.taxonomy);
  REQUIRE(unknown.validation.issues.size() == 1);
  CHECK(unknown.validation.issues[0].code == "unknown-version");

  taxonomy::CheckedEvent junk = taxonomy::check_event(set, "[1,", clock);
  CHECK_FALSE(junk.parsed.document_ok);
  CHECK(!junk.taxonomy);
  REQUIRE(junk.validation.issues.size() == 1);
  CHECK(junk.validation.issues[0].code == "malformed");
  CHECK(!taxonomy::event_taxonomy(set, junk.parsed));
}
