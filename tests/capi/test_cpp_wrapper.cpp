// The header-only C++ wrapper: RAII, exceptions and results over the shared library.
#include <doctest/doctest.h>

#include <fstream>
#include <lfpse/lfpse.hpp>
#include <sstream>

namespace {
std::string example(const char* name) {
  std::ifstream in(std::string(LFPSE_SOURCE_DIR "/examples/events/") + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
const lfpse::clock kNow = lfpse::clock::at("2026-11-26T12:00:00Z");
}  // namespace

TEST_CASE("a taxonomy set validates, maps to FHIR and back, and migrates") {
  lfpse::taxonomy_set set;
  std::string event = example("v5-01-incident-medication.json");
  CHECK(set.validate(event, kNow) == "{\"valid\":true,\"issues\":[]}");
  lfpse::event_result fhir = set.to_fhir(event, kNow);
  REQUIRE(fhir.ok);
  auto [back, national] = set.from_fhir(fhir.json);
  CHECK(back.find("\"local_id\":") == 1);
  CHECK(national.find("\"reference\":null") != std::string::npos);
  lfpse::event_result migrated = set.migrate(event, "6", kNow);
  CHECK(migrated.ok);
  CHECK(migrated.json.find("\"taxonomy_version\":\"6\"") != std::string::npos);
  CHECK(set.shown(event).ok);
}

TEST_CASE("an invalid event comes back as a verdict, not an exception") {
  lfpse::taxonomy_set set;
  lfpse::event_result r = set.to_fhir(example("invalid-03-invalid-code.json"), kNow);
  CHECK_FALSE(r.ok);
  CHECK(r.json.find("invalid-code") != std::string::npos);
}

TEST_CASE("failures throw lfpse::error with the status and the library's message") {
  lfpse::taxonomy_set set(false);
  CHECK(set.versions() == "{\"versions\":[]}");
  try {
    set.load_json("{\"taxonomy\":1}");
    FAIL("no exception");
  } catch (const lfpse::error& e) {
    CHECK(e.status() == LFPSE_EINVALID);
    CHECK(std::string(e.what()).find("/taxonomy") != std::string::npos);
  }
  CHECK_THROWS_AS(set.schema("5"), lfpse::error);
  CHECK_THROWS_AS(lfpse::clock::at("noon"), lfpse::error);
  lfpse::taxonomy_set moved = std::move(set);
  CHECK(moved.handle() != nullptr);
}
