// FHIR mapping (TAXONOMY.md 5-6): golden bytes written from the spec by hand, the round trip
// over every shipped example, the national side's additions, and input that is not a resource.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "taxonomy/canonical.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace {

using lfpse::core::JsonDocument;
using lfpse::taxonomy::TaxonomySet;

// Four sections, no adverse-event-reference-metadata (so it goes last), a Device section listed
// before a Medication one, and a Patient section holding both a top-level answer and a group.
constexpr const char* kMini = R"({
 "taxonomy": "mini", "version": "1", "published": "2026-01-01",
 "fhir": {"profile": "https://t.example/P-1", "extension_base": "https://t.example/SD/"},
 "sections": [{"id": "core", "target": "AdverseEvent"},
              {"id": "patient-information", "target": "Patient"},
              {"id": "device-details", "target": "Device"},
              {"id": "medication-details", "target": "Medication"}],
 "groups": [{"id": "patient", "min": 0, "max": 10, "section": "patient-information",
             "sequence_property": "PatientSequence"}],
 "questions": [
  {"code": "CL001", "type": "choice", "required": true,
   "options": [{"code": "1"}, {"code": "3"}], "fhir": {"element": "event", "potential": ["3"]}},
  {"code": "T005", "type": "date", "fhir": {"element": "date"}},
  {"code": "A001", "type": "multichoice", "options": [{"code": "3"}, {"code": "4"}],
   "fhir": {"section": "core", "property": "InvolvedAgents"}},
  {"code": "F001", "type": "text", "fhir": {"section": "core", "property": "Description"}},
  {"code": "X001", "type": "decimal", "fhir": {"section": "core", "property": "Dose"}},
  {"code": "X002", "type": "boolean", "fhir": {"section": "core", "property": "Flag"}},
  {"code": "P001", "type": "text", "fhir": {"section": "patient-information", "property": "Ward"}},
  {"code": "OT001", "group": "patient", "type": "choice", "options": [{"code": "4"}, {"code": "5"}],
   "fhir": {"section": "patient-information", "property": "PhysicalHarm"}},
  {"code": "P004", "group": "patient", "type": "integer",
   "fhir": {"section": "patient-information", "property": "AgeAtTimeOfIncidentDays"}},
  {"code": "D001", "type": "text", "fhir": {"section": "device-details", "property": "DeviceName"}},
  {"code": "M001", "type": "text", "fhir": {"section": "medication-details", "property": "MedicineName"}}
 ],
 "rules": []
})";

struct Fixture {
  TaxonomySet set;
  Fixture() { set.load_json(kMini); }
  std::string fhir(const std::string& version, const std::string& event) {
    JsonDocument doc;
    lfpse::core::JsonError error;
    REQUIRE(doc.parse(event, &error));
    return lfpse::taxonomy::to_fhir(*set.find(version), doc.root());
  }
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void check_invalid(const TaxonomySet& set, const std::string& text, const std::string& part) {
  try {
    lfpse::taxonomy::from_fhir(set, text);
    FAIL("no error for: " << text);
  } catch (const lfpse::core::Error& e) {
    CHECK(e.code() == lfpse::core::ErrorCode::Invalid);
    CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos, e.what());
  }
}

const std::string kMiniHead =
    R"({"resourceType":"AdverseEvent","meta":{"profile":["https://t.example/P-1"]},)"
    R"("identifier":{"system":"urn:lfpse:local-id:RJ1","value":"L-1"},)";
const std::string kMiniMeta =
    R"({"url":"https://t.example/SD/adverse-event-reference-metadata-1","extension":[)"
    R"({"url":"SubmittingOrganisation","valueString":"RJ1"}]})";

}  // namespace

TEST_CASE("fhir: a minimal event has no subject but a display, and its organisation last") {
  Fixture f;
  const std::string got = f.fhir(
      "1",
      R"({"local_id":"L-1","taxonomy_version":"1","organisation":"RJ1","answers":{"CL001":"1"}})");
  CHECK(got == kMiniHead + R"("actuality":"actual","event":{"coding":[{"code":"1"}]},)" +
                   R"("subject":{"display":"No patient involved"},"extension":[)" + kMiniMeta +
                   "]}");
}

TEST_CASE("fhir: every element in its place, groups after the top-level extension") {
  Fixture f;
  const std::string got =
      f.fhir("1", R"({"local_id":"L-1","taxonomy_version":"1","organisation":"RJ1",
    "answers":{"M001":"Insulin","D001":"Pump","P001":"W1","X002":false,"X001":1.50,
               "F001":"Tab\there \"q\" \\ \u001f é","A001":["4","3"],"T005":"2026-11-20","CL001":"3"},
    "groups":{"patient":[{"answers":{"P004":30132,"OT001":"4"}},{"answers":{"OT001":"5"}}]}})");
  const std::string sd = "https://t.example/SD/";
  const std::string expected =
      kMiniHead + R"("actuality":"potential","event":{"coding":[{"code":"3"}]},)" +
      R"("subject":{"reference":"#patient1"},"date":"2026-11-20",)" +
      R"("suspectEntity":[{"instance":{"reference":"#device1"}},{"instance":{"reference":"#medication1"}}],)" +
      R"("extension":[{"url":")" + sd + R"(core-1","extension":[)" +
      R"({"url":"InvolvedAgents","valueCode":"4"},{"url":"InvolvedAgents","valueCode":"3"},)" +
      R"({"url":"Description","valueString":"Tab\there \"q\" \\ \u001F é"},)" +
      R"({"url":"Dose","valueDecimal":1.50},{"url":"Flag","valueBoolean":false}]},)" + kMiniMeta +
      R"(],"contained":[{"resourceType":"Patient","id":"patient1","extension":[)" + R"({"url":")" +
      sd + R"(patient-information-1","extension":[{"url":"Ward","valueString":"W1"}]},)" +
      R"({"url":")" + sd +
      R"(patient-information-1","extension":[{"url":"PatientSequence","valueInteger":1},)" +
      R"({"url":"PhysicalHarm","valueCode":"4"},{"url":"AgeAtTimeOfIncidentDays","valueInteger":30132}]},)" +
      R"({"url":")" + sd +
      R"(patient-information-1","extension":[{"url":"PatientSequence","valueInteger":2},)" +
      R"({"url":"PhysicalHarm","valueCode":"5"}]}]},)" +
      R"({"resourceType":"Device","id":"device1","extension":[{"url":")" + sd +
      R"(device-details-1","extension":[{"url":"DeviceName","valueString":"Pump"}]}]},)" +
      R"({"resourceType":"Medication","id":"medication1","extension":[{"url":")" + sd +
      R"(medication-details-1","extension":[{"url":"MedicineName","valueString":"Insulin"}]}]}]})";
  CHECK(got == expected);
}

TEST_CASE("fhir: a multichoice answer is one sub-extension per code, empty answers left out") {
  Fixture f;
  const std::string got =
      f.fhir("1", R"({"local_id":"L-1","taxonomy_version":"1","organisation":"RJ1",
    "answers":{"CL001":"1","A001":["3","4"],"F001":"","P001":"","D001":""},"groups":{"patient":[]}})");
  CHECK(
      got ==
      kMiniHead + R"("actuality":"actual","event":{"coding":[{"code":"1"}]},)" +
          R"("subject":{"display":"No patient involved"},"extension":[)" +
          R"({"url":"https://t.example/SD/core-1","extension":[)" +
          R"({"url":"InvolvedAgents","valueCode":"3"},{"url":"InvolvedAgents","valueCode":"4"}]},)" +
          kMiniMeta + "]}");
}

TEST_CASE("fhir: version 5 keeps SubmittingOrganisation first in its listed section") {
  Fixture f;
  const std::string got =
      f.fhir("5", R"({"local_id":"LRMS-1","taxonomy_version":"5","organisation":"RJ1",
    "answers":{"CL001":"1","T001":"y","T002":"2026-11-20","CL024":false,"GV101":true,"L001":"y","R001":"3"}})");
  const std::string sd = "https://psims.example/taxonomy/fhir/StructureDefinition/";
  CHECK(
      got ==
      R"({"resourceType":"AdverseEvent","meta":{"profile":[")" + sd +
          R"(patient-safety-adverse-event-5"]},"identifier":{"system":"urn:lfpse:local-id:RJ1","value":"LRMS-1"},)" +
          R"("actuality":"actual","event":{"coding":[{"code":"1"}]},"subject":{"display":"No patient involved"},)" +
          R"("location":{"reference":"#location1"},"recorder":{"reference":"#practitioner1"},"extension":[)" +
          R"({"url":")" + sd +
          R"(adverse-event-estimated-date-5","extension":[{"url":"IncidentOccurredToday","valueCode":"y"},)" +
          R"({"url":"TodaysDate","valueDate":"2026-11-20"}]},)" + R"({"url":")" + sd +
          R"(adverse-event-reference-metadata-5","extension":[{"url":"SubmittingOrganisation","valueString":"RJ1"},)" +
          R"({"url":"DataSharingOptOut","valueBoolean":false}]},)" + R"({"url":")" + sd +
          R"(adverse-event-governance-5","extension":[{"url":"DutyOfCandour","valueBoolean":true}]}],)" +
          R"("contained":[{"resourceType":"Location","id":"location1","extension":[{"url":")" + sd +
          R"(location-details-5","extension":[{"url":"LocationKnown","valueCode":"y"}]}]},)" +
          R"({"resourceType":"Practitioner","id":"practitioner1","extension":[{"url":")" + sd +
          R"(practitioner-details-5","extension":[{"url":"ReporterType","valueCode":"3"}]}]}]})");
}

TEST_CASE("fhir: every valid example maps to FHIR and back to its canonical document") {
  TaxonomySet set;
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(LFPSE_SOURCE_DIR "/examples/events")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("v", 0) != 0 || name.find(".expected.") != std::string::npos) continue;
    CAPTURE(name);
    JsonDocument doc;
    lfpse::core::JsonError error;
    REQUIRE(doc.parse(read_file(entry.path()), &error));
    auto tax = set.find(doc.root().find("taxonomy_version")->text());
    REQUIRE(tax != nullptr);
    const std::string canonical = lfpse::taxonomy::canonical_event_json(*tax, doc.root());
    const std::string resource = lfpse::taxonomy::to_fhir(*tax, doc.root());
    const auto back = lfpse::taxonomy::from_fhir(set, resource);
    CHECK(back.event_json == canonical);
    CHECK(back.taxonomy == tax);
    // The canonical document is a fixed point, and maps to the same bytes.
    JsonDocument again;
    REQUIRE(again.parse(back.event_json, &error));
    CHECK(lfpse::taxonomy::canonical_event_json(*tax, again.root()) == canonical);
    CHECK(lfpse::taxonomy::to_fhir(*tax, again.root()) == resource);
    ++count;
  }
  CHECK(count == 14);
}

TEST_CASE("fhir: the national side's additions are read into NationalMeta, not answers") {
  Fixture f;
  const std::string resource =
      R"({"resourceType":"AdverseEvent","id":"ae-42","meta":{"versionId":"3","lastUpdated":"2026-11-26T12:00:00.000Z",)"
      R"("profile":["https://t.example/P-1"]},"identifier":{"system":"urn:lfpse:national:RJ1","value":"N77"},)"
      R"("actuality":"actual","event":{"coding":[{"code":"1"}]},"subject":{"display":"No patient involved"},)"
      R"("extension":[{"url":"https://other.example/ext","valueString":"ignored"},)"
      R"({"url":"https://t.example/SD/adverse-event-reference-metadata-1","extension":[)"
      R"({"url":"SubmittingOrganisation","valueString":"RJ1"},{"url":"ReferenceNumber","valueString":"LFPSE-0001"},)"
      R"({"url":"RecordingRoute","valueCode":"OIR"},{"url":"ReviewStatus","valueCode":"closed"},)"
      R"({"url":"ReviewComment","valueString":"Thanks \"team\""}]}]})";
  const auto r = lfpse::taxonomy::from_fhir(f.set, resource);
  CHECK(
      r.event_json ==
      R"({"local_id":"national:N77","taxonomy_version":"1","organisation":"RJ1","answers":{"CL001":"1"}})");
  CHECK(
      lfpse::taxonomy::national_meta_json(r.meta) ==
      R"({"id":"ae-42","version":"3","last_updated":"2026-11-26T12:00:00.000Z","reference":"LFPSE-0001",)"
      R"("recording_route":"OIR","review_status":"closed","review_comment":"Thanks \"team\""})");
  CHECK(lfpse::taxonomy::national_meta_json({}) ==
        R"({"id":null,"version":null,"last_updated":null,"reference":null,"recording_route":null,)"
        R"("review_status":null,"review_comment":null})");
  // A national event goes back out under its national identifier.
  CHECK(f.fhir("1", r.event_json)
            .find(R"("identifier":{"system":"urn:lfpse:national:RJ1","value":"N77"})") !=
        std::string::npos);
}

TEST_CASE("fhir: group instances come back in the order of their sequence numbers") {
  Fixture f;
  const std::string sd = "https://t.example/SD/patient-information-1";
  auto resource = [&](const std::string& property) {
    return kMiniHead +
           R"("event":{"coding":[{"code":"1"}]},"extension":[{"url":"https://t.example/SD/core-1",)" +
           R"("extension":[{"url":"Dose","valueDecimal":0.250}]}],"contained":[{"resourceType":"Patient","id":"patient1","extension":[)" +
           R"({"url":")" + sd +
           R"(","extension":[{"url":"PatientSequence","valueInteger":2},{"url":")" + property +
           R"(","valueCode":"5"}]},{"url":")" + sd +
           R"(","extension":[{"url":"PhysicalHarm","valueCode":"4"},{"url":"PatientSequence","valueInteger":1}]}]}]})";
  };
  const auto r = lfpse::taxonomy::from_fhir(f.set, resource("PhysicalHarm"));
  CHECK(r.event_json ==
        R"({"local_id":"L-1","taxonomy_version":"1","answers":{"CL001":"1","X001":0.250},)"
        R"("groups":{"patient":[{"answers":{"OT001":"4"}},{"answers":{"OT001":"5"}}]}})");
  // An unknown property under the taxonomy's base is refused, not dropped.
  check_invalid(f.set, resource("PhysicalHarmX"), "PhysicalHarmX");
  // A top-level property inside a group instance is refused too.
  check_invalid(f.set, resource("Ward"), "Ward");
}

TEST_CASE("fhir: input that is not an AdverseEvent of a loaded taxonomy is an Invalid error") {
  Fixture f;
  const std::string head =
      R"({"resourceType":"AdverseEvent","meta":{"profile":["https://t.example/P-1"]},)";
  const std::string ident = R"("identifier":{"system":"urn:lfpse:local-id:RJ1","value":"L-1"})";
  check_invalid(f.set, "", "not JSON");
  check_invalid(f.set, "{\"resourceType\":", "not JSON");
  check_invalid(f.set, "[1,2]", "not a JSON object");
  check_invalid(f.set, R"({"resourceType":"Patient"})", "resourceType");
  check_invalid(f.set, R"({"resourceType":7})", "resourceType");
  check_invalid(f.set, R"({"resourceType":"AdverseEvent"})", "meta");
  check_invalid(f.set, R"({"resourceType":"AdverseEvent","meta":{"profile":["https://nope"]}})",
                "profile");
  check_invalid(f.set, R"({"resourceType":"AdverseEvent","meta":{"profile":"x"}})", "profile");
  check_invalid(f.set, R"({"resourceType":"AdverseEvent","meta":[]})", "meta");
  check_invalid(f.set, head + "\"id\":1," + ident + "}", "id");
  check_invalid(f.set, head + R"("identifier":[]})", "identifier");
  check_invalid(f.set, head + R"("identifier":{"system":"urn:x","value":"L"}})",
                "identifier.system");
  check_invalid(f.set, head + R"("identifier":{"system":"urn:lfpse:local-id:RJ1"}})", "identifier");
  check_invalid(f.set, head + ident + R"(,"extension":{}})", "extension");
  check_invalid(f.set, head + ident + R"(,"extension":[1]})", "extension");
  check_invalid(f.set, head + ident + R"(,"extension":[{"url":"https://t.example/SD/core-1"}]})",
                "extension");
  check_invalid(
      f.set,
      head + ident + R"(,"extension":[{"url":"https://t.example/SD/core-2","extension":[]}]})",
      "version");
  check_invalid(
      f.set,
      head + ident + R"(,"extension":[{"url":"https://t.example/SD/nope-1","extension":[]}]})",
      "no section");
  check_invalid(
      f.set,
      head + ident +
          R"(,"extension":[{"url":"https://t.example/SD/core-1","extension":[{"url":"Dose","valueString":"1"}]}]})",
      "valueDecimal");
  check_invalid(
      f.set,
      head + ident +
          R"(,"extension":[{"url":"https://t.example/SD/core-1","extension":[{"url":"Dose","valueDecimal":"1"}]}]})",
      "wrong JSON type");
  check_invalid(
      f.set,
      head + ident +
          R"(,"extension":[{"url":"https://t.example/SD/core-1","extension":[{"url":"Flag"}]}]})",
      "no value");
  check_invalid(
      f.set,
      head + ident +
          R"(,"extension":[{"url":"https://t.example/SD/core-1","extension":[{"url":"Flag","valueBoolean":true},{"url":"Flag","valueBoolean":false}]}]})",
      "repeated");
  check_invalid(
      f.set,
      head + ident +
          R"(,"extension":[{"url":"https://t.example/SD/patient-information-1","extension":[]}]})",
      "Patient");
  check_invalid(
      f.set,
      head + ident + R"(,"contained":[{"resourceType":"Patient","extension":[)" +
          R"({"url":"https://t.example/SD/patient-information-1","extension":[{"url":"PatientSequence","valueInteger":1}]},)" +
          R"({"url":"https://t.example/SD/patient-information-1","extension":[{"url":"PatientSequence","valueInteger":1}]}]}]})",
      "repeats sequence");
  check_invalid(
      f.set,
      head + ident + R"(,"contained":[{"resourceType":"Patient","extension":[)" +
          R"({"url":"https://t.example/SD/patient-information-1","extension":[{"url":"PatientSequence","valueInteger":0}]}]}]})",
      "at least 1");
  check_invalid(f.set, head + ident + R"(,"event":{"coding":[]}})", "event");
  check_invalid(f.set, head + ident + R"(,"contained":[5]})", "contained");
}
