// The header-only C++ wrapper: RAII, exceptions and results over the shared library.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
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

TEST_CASE("a store records, refuses, queries and hands operations to a sender") {
  std::string path = "/tmp/lfpse-wrapper-test-" + std::to_string(::getpid()) + ".db";
  std::remove(path.c_str());
  lfpse::taxonomy_set set;
  lfpse::store_options opts;
  opts.taxonomies(set).now(kNow).busy_timeout_ms(1000);
  {
    lfpse::store s(path, &opts);
    lfpse::event_result recorded = s.record(example("v5-01-incident-medication.json"));
    CHECK(recorded.ok);
    lfpse::event_result refused = s.record(example("invalid-02-not-applicable.json"));
    CHECK_FALSE(refused.ok);
    CHECK(refused.json.find("not-applicable") != std::string::npos);
    CHECK(s.status().find("\"queued\":1") != std::string::npos);
    CHECK(s.show("LRMS-2026-004217").has_value());
    CHECK_FALSE(s.show("nobody").has_value());
    std::string claimed = s.claim(5, 30000);
    CHECK(claimed.find("\"kind\":\"create\"") != std::string::npos);
    int lines = 0;
    s.export_lines([&](std::string_view) { return ++lines < 100; });
    CHECK(lines == 1);
    CHECK_FALSE(s.cursor().has_value());
    s.set_cursor("c1");
    CHECK(s.cursor().value() == "c1");
    CHECK_THROWS_AS(s.withdraw("nobody"), lfpse::error);
    CHECK_THROWS_AS(s.feed_reset_finish(), lfpse::error);  // none under way
    s.feed_reset_begin();
    CHECK(s.feed_reset_active());
    CHECK(s.feed_reset_finish() == "{\"requeued\":[],\"unmapped\":[]}");
    lfpse::store moved = std::move(s);
    CHECK(moved.integrity_check().find("\"ok\":true") != std::string::npos);
  }
  std::remove(path.c_str());
}

TEST_CASE("a store given preparing threads records a large batch whole") {
  std::string path = "/tmp/lfpse-wrapper-threads-" + std::to_string(::getpid()) + ".db";
  std::remove(path.c_str());
  lfpse::taxonomy_set set;
  lfpse::store_options opts;
  opts.taxonomies(set).now(kNow).prepare_threads(3);
  CHECK_THROWS_AS(opts.prepare_threads(-1), lfpse::error);
  {
    lfpse::store s(path, &opts);
    const std::string base = example("v5-01-incident-medication.json");
    std::vector<std::string> batch;
    for (int i = 0; i < 150; ++i) {
      std::string e = base;
      e.replace(e.find("LRMS-2026-004217"), 16, "T-" + std::to_string(i));
      batch.push_back(e);
    }
    std::string out = s.record_batch(batch);
    CHECK(out.find("\"stored\":false") == std::string::npos);
    CHECK(s.status().find("\"queued\":150") != std::string::npos);
  }
  std::remove(path.c_str());
}

TEST_CASE("a store opened read-only answers queries and throws LFPSE_EIO for writes") {
  std::string path = "/tmp/lfpse-wrapper-ro-" + std::to_string(::getpid()) + ".db";
  std::remove(path.c_str());
  lfpse::store_options opts;
  opts.now(kNow);
  { lfpse::store(path, &opts).record(example("v5-01-incident-medication.json")); }
  opts.read_only();
  lfpse::store s(path, &opts);
  CHECK(s.status().find("\"queued\":1") != std::string::npos);
  CHECK(s.show("LRMS-2026-004217").has_value());
  try {
    s.withdraw("LRMS-2026-004217");
    FAIL("a read-only store withdrew an event");
  } catch (const lfpse::error& e) {
    CHECK(e.status() == LFPSE_EIO);
    CHECK(std::string(e.what()).find("the store is open read-only") != std::string::npos);
  }
  CHECK(s.status().find("\"queued\":1,") != std::string::npos);
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
}
