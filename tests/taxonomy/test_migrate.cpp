// Migration between taxonomy versions (TAXONOMY.md 4 and 6, Migration).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/time.hpp"
#include "taxonomy/migrate.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace {

using lfpse::taxonomy::Issue;
using lfpse::taxonomy::MigrationResult;
using lfpse::taxonomy::Severity;
using lfpse::taxonomy::TaxonomySet;

const lfpse::core::Clock kClock = lfpse::core::Clock::fixed(1795694400000);  // 2026-11-26T12Z

std::string example(const std::string& name) {
  std::ifstream in(LFPSE_SOURCE_DIR "/examples/events/" + name + ".json", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Issue* find_issue(const MigrationResult& r, const std::string& code,
                        const std::string& path) {
  std::string all;
  for (const Issue& i : r.issues) {
    if (i.code == code && i.path == path) return &i;
    all += i.code + "@" + i.path + " ";
  }
  MESSAGE("issues: " << all);
  return nullptr;
}

int count_code(const MigrationResult& r, const std::string& code) {
  int n = 0;
  for (const Issue& i : r.issues) n += i.code == code;
  return n;
}

// Three versions of a small taxonomy. 1 -> 2: A001 retires 2 and loses 4, X001 goes, X002
// moves into the patient group, the device group goes, OT001 retires 5. 2 -> 3: A001 retires 3.
std::string mini(int version) {
  const std::string v = std::to_string(version);
  std::string a001 =
      version == 1   ? R"([{"code":"1"},{"code":"2"},{"code":"3"},{"code":"4"}])"
      : version == 2 ? R"([{"code":"1"},{"code":"2","retired":true},{"code":"3"}])"
                     : R"([{"code":"1"},{"code":"2","retired":true},{"code":"3","retired":true}])";
  std::string ot001 = version == 1 ? R"([{"code":"4"},{"code":"5"}])"
                                   : R"([{"code":"4"},{"code":"5","retired":true}])";
  std::string s =
      R"({"taxonomy":"mini","version":")" + v + R"(","fhir":{"profile":"https://t.example/P-)" + v +
      R"(","extension_base":"https://t.example/SD/"},)" +
      R"("sections":[{"id":"core","target":"AdverseEvent"},{"id":"patient-information","target":"Patient"},)" +
      R"({"id":"device-details","target":"Device"}],"groups":[)" +
      R"({"id":"patient","min":0,"max":5,"section":"patient-information","sequence_property":"PatientSequence"})";
  if (version == 1) {
    s +=
        R"(,{"id":"device","min":0,"max":5,"section":"device-details","sequence_property":"DeviceSequence"})";
  }
  s += R"(],"questions":[{"code":"CL001","type":"choice","options":[{"code":"1"}],"required":true,)"
       R"("fhir":{"element":"event"}},{"code":"A001","type":"multichoice","options":)" +
       a001 + R"(,"fhir":{"section":"core","property":"InvolvedAgents"}},)";
  if (version == 1) {
    s +=
        R"({"code":"X001","type":"text","fhir":{"section":"core","property":"Old"}},)"
        R"({"code":"X002","type":"text","fhir":{"section":"core","property":"Moves"}},)"
        R"({"code":"D001","group":"device","type":"text","fhir":{"section":"device-details","property":"Name"}},)";
  } else {
    s +=
        R"({"code":"X002","group":"patient","type":"text","fhir":{"section":"patient-information","property":"Moves"}},)";
  }
  s += R"({"code":"OT001","group":"patient","type":"choice","options":)" + ot001 +
       R"(,"fhir":{"section":"patient-information","property":"PhysicalHarm"}}],"rules":[]})";
  return s;
}

struct MiniSet {
  TaxonomySet set{false};
  MiniSet() {
    for (int v : {1, 2, 3}) set.load_json(mini(v));
  }
};

}  // namespace

TEST_CASE("migrate: v5-02 loses patient 2's gender 4, retired in version 6") {
  TaxonomySet set;
  const MigrationResult r =
      lfpse::taxonomy::migrate(set, example("v5-02-incident-device-two-patients"), "6", kClock);
  REQUIRE(r.migrated);
  const Issue* dropped = find_issue(r, "migrated:dropped", "/groups/patient/1/answers/P009");
  REQUIRE(dropped != nullptr);
  CHECK(dropped->severity == Severity::Warning);
  CHECK(dropped->question == "P009");
  CHECK(count_code(r, "migrated:dropped") == 1);
  CHECK(r.event_json.find(R"("taxonomy_version":"6")") != std::string::npos);
  CHECK(r.event_json.find(R"({"answers":{"OT001":"5","OT002":"4","P007":"10"}})") !=
        std::string::npos);
  // Patient 1's gender 2 is still an active option.
  CHECK(r.event_json.find(R"("P009":"2")") != std::string::npos);
  CHECK(
      r.event_json.rfind(
          R"({"local_id":"LRMS-2026-004251","taxonomy_version":"6","organisation":"RYJ","answers":{)",
          0) == 0);
  for (const Issue& i : r.issues)
    CHECK_MESSAGE(i.severity == Severity::Warning, i.code << " " << i.path);
}

TEST_CASE("migrate: a v5 medication incident gains the required medicine group in version 6") {
  TaxonomySet set;
  const MigrationResult r =
      lfpse::taxonomy::migrate(set, example("v5-01-incident-medication"), "6", kClock);
  REQUIRE(r.migrated);
  const Issue* medicine = find_issue(r, "invalid-cardinality", "/groups/medicine");
  REQUIRE(medicine != nullptr);
  CHECK(medicine->severity == Severity::Error);
  CHECK(count_code(r, "migrated:dropped") == 0);
  // Issues come back sorted by path, then code.
  for (std::size_t i = 1; i < r.issues.size(); ++i) {
    CHECK((r.issues[i - 1].path < r.issues[i].path ||
           (r.issues[i - 1].path == r.issues[i].path && r.issues[i - 1].code <= r.issues[i].code)));
  }
}

TEST_CASE("migrate: to the same version the event is only made canonical and validated") {
  TaxonomySet set;
  const MigrationResult r = lfpse::taxonomy::migrate(set, example("v6-02-good-care"), "6", kClock);
  REQUIRE(r.migrated);
  CHECK(r.issues.empty());
}

TEST_CASE("migrate: a downgrade is refused and an unloaded target is not found") {
  TaxonomySet set;
  try {
    lfpse::taxonomy::migrate(set, example("v6-01-incident-medication-dmd"), "5", kClock);
    FAIL("downgrade accepted");
  } catch (const lfpse::core::Error& e) {
    CHECK(e.code() == lfpse::core::ErrorCode::Invalid);
  }
  try {
    lfpse::taxonomy::migrate(set, example("v5-01-incident-medication"), "7", kClock);
    FAIL("unloaded target accepted");
  } catch (const lfpse::core::Error& e) {
    CHECK(e.code() == lfpse::core::ErrorCode::NotFound);
  }
}

TEST_CASE("migrate: an event that cannot be read is not migrated and its issues come back") {
  TaxonomySet set;
  MigrationResult r = lfpse::taxonomy::migrate(set, "{\"local_id\":", "6", kClock);
  CHECK_FALSE(r.migrated);
  CHECK(r.event_json.empty());
  REQUIRE(r.issues.size() == 1);
  CHECK(r.issues[0].code == "malformed");
  CHECK(r.issues[0].path == "");

  r = lfpse::taxonomy::migrate(
      set, R"({"local_id":"L1","taxonomy_version":"5","organisation":"RJ1","answers":[]})", "6",
      kClock);
  CHECK_FALSE(r.migrated);
  CHECK(find_issue(r, "malformed", "/answers") != nullptr);

  r = lfpse::taxonomy::migrate(
      set, R"({"local_id":"L1","taxonomy_version":"4","organisation":"RJ1","answers":{}})", "6",
      kClock);
  CHECK_FALSE(r.migrated);
  CHECK(find_issue(r, "unknown-version", "/taxonomy_version") != nullptr);
}

TEST_CASE("migrate: a multichoice loses each retired item, reported at its old path") {
  MiniSet m;
  const MigrationResult r = lfpse::taxonomy::migrate(
      m.set,
      R"({"local_id":"L1","taxonomy_version":"1","organisation":"RJ1","answers":{"A001":["1","2","3","4"],"CL001":"1"}})",
      "3", kClock);
  REQUIRE(r.migrated);
  CHECK(
      r.event_json ==
      R"({"local_id":"L1","taxonomy_version":"3","organisation":"RJ1","answers":{"CL001":"1","A001":["1"]}})");
  // Step 2 -> 3 drops the item that stood at index 2 in the original, index 1 in version 2.
  CHECK(count_code(r, "migrated:dropped") == 3);
  CHECK(find_issue(r, "migrated:dropped", "/answers/A001/1") != nullptr);
  CHECK(find_issue(r, "migrated:dropped", "/answers/A001/2") != nullptr);
  CHECK(find_issue(r, "migrated:dropped", "/answers/A001/3") != nullptr);
  CHECK(r.issues.size() == 3);
}

TEST_CASE("migrate: a multichoice with no item left is dropped, with a warning per item") {
  MiniSet m;
  const MigrationResult r = lfpse::taxonomy::migrate(
      m.set,
      R"({"local_id":"L1","taxonomy_version":"1","organisation":"RJ1","answers":{"CL001":"1","A001":["2","4"]}})",
      "2", kClock);
  REQUIRE(r.migrated);
  CHECK(r.event_json ==
        R"({"local_id":"L1","taxonomy_version":"2","organisation":"RJ1","answers":{"CL001":"1"}})");
  CHECK(find_issue(r, "migrated:dropped", "/answers/A001/0") != nullptr);
  CHECK(find_issue(r, "migrated:dropped", "/answers/A001/1") != nullptr);
  CHECK(r.issues.size() == 2);
}

TEST_CASE(
    "migrate: removed and moved questions and removed groups are dropped, invalid answers kept") {
  MiniSet m;
  const MigrationResult r = lfpse::taxonomy::migrate(
      m.set,
      R"({"local_id":"L1","taxonomy_version":"1","organisation":"RJ1",)"
      R"("answers":{"CL001":"1","X001":"old","X002":"moves","Z999":"unknown","A001":["9"]},)"
      R"("groups":{"device":[{"answers":{"D001":"pump"}},{"answers":{"D001":"meter"}}],)"
      R"("patient":[{"answers":{"OT001":"5"}},{"answers":{"OT001":"4"}}]}})",
      "2", kClock);
  REQUIRE(r.migrated);
  CHECK(
      r.event_json ==
      R"({"local_id":"L1","taxonomy_version":"2","organisation":"RJ1","answers":{"CL001":"1","A001":["9"],"Z999":"unknown"},)"
      R"("groups":{"patient":[{"answers":{}},{"answers":{"OT001":"4"}}]}})");
  for (const char* path : {"/answers/X001", "/answers/X002", "/groups/device/0/answers/D001",
                           "/groups/device/1/answers/D001", "/groups/patient/0/answers/OT001"}) {
    CAPTURE(path);
    const Issue* i = find_issue(r, "migrated:dropped", path);
    REQUIRE(i != nullptr);
    CHECK(i->severity == Severity::Warning);
  }
  CHECK(count_code(r, "migrated:dropped") == 5);
  // Answers that were already invalid are kept for the validation to report.
  CHECK(find_issue(r, "unknown-question", "/answers/Z999") != nullptr);
  CHECK(find_issue(r, "invalid-code", "/answers/A001/0") != nullptr);
}

TEST_CASE("migrate: a code the old version lists, even as retired, goes; one it never had stays") {
  MiniSet m;
  // In version 2, A001 lists 2 as retired and no longer has 4; version 3 retires 3 as well.
  const MigrationResult r = lfpse::taxonomy::migrate(
      m.set,
      R"({"local_id":"L1","taxonomy_version":"2","organisation":"RJ1","answers":{"CL001":"1","A001":["2","4","1","3"]}})",
      "3", kClock);
  REQUIRE(r.migrated);
  CHECK(
      r.event_json ==
      R"({"local_id":"L1","taxonomy_version":"3","organisation":"RJ1","answers":{"CL001":"1","A001":["4","1"]}})");
  CHECK(find_issue(r, "migrated:dropped", "/answers/A001/0") != nullptr);
  CHECK(find_issue(r, "migrated:dropped", "/answers/A001/3") != nullptr);
  CHECK(count_code(r, "migrated:dropped") == 2);
  // 4 was already invalid in version 2: kept, and version 3's validation reports it.
  CHECK(find_issue(r, "invalid-code", "/answers/A001/0") != nullptr);
  CHECK(r.issues.size() == 3);
}
