// The JSON Schema of a taxonomy version, checked by a real draft 2020-12 validator: Debian's
// python3-jsonschema (Draft202012Validator), run on the schema and the shipped examples.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/schema.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kChecker = R"(import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
for path in sys.argv[2:]:
    errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
    print(path.rsplit("/", 1)[-1], "valid" if not errors else "invalid",
          "|".join("/".join(str(p) for p in e.absolute_path) for e in errors[:5]))
)";

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the checker: file name -> "valid" / "invalid ...". Empty when the schema is refused.
std::map<std::string, std::string> check(const std::string& version,
                                         const std::vector<fs::path>& events) {
  lfpse::taxonomy::TaxonomySet set;
  const fs::path dir =
      fs::temp_directory_path() / ("lfpse-schema-" + std::to_string(::getpid()) + "-" + version);
  fs::create_directories(dir);
  write(dir / "schema.json", lfpse::taxonomy::json_schema(*set.find(version)));
  write(dir / "check.py", kChecker);
  std::string cmd =
      "/usr/bin/python3 " + (dir / "check.py").string() + " " + (dir / "schema.json").string();
  for (const fs::path& e : events) cmd += " " + e.string();
  cmd += " > " + (dir / "out.txt").string() + " 2>&1";
  const int rc = std::system(cmd.c_str());
  const std::string out = read(dir / "out.txt");
  CHECK_MESSAGE(rc == 0, out);
  std::map<std::string, std::string> result;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const auto space = line.find(' ');
    if (space != std::string::npos) result[line.substr(0, space)] = line.substr(space + 1);
  }
  fs::remove_all(dir);
  return result;
}

std::vector<fs::path> examples(const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(LFPSE_SOURCE_DIR "/examples/events")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.find(".expected.") == std::string::npos) {
      out.push_back(entry.path());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("schema: the schema of each version is one compact JSON document of draft 2020-12") {
  lfpse::taxonomy::TaxonomySet set;
  for (const char* version : {"5", "6"}) {
    const std::string schema = lfpse::taxonomy::json_schema(*set.find(version));
    lfpse::core::JsonDocument doc;
    lfpse::core::JsonError error;
    REQUIRE_MESSAGE(doc.parse(schema, &error), error.message);
    const auto& root = doc.root();
    CHECK(root.find("$schema")->text() == "https://json-schema.org/draft/2020-12/schema");
    CHECK(root.find("properties")->find("taxonomy_version")->find("const")->text() == version);
    CHECK(root.find("$comment")->text().find("not_future") != std::string::npos);
    CHECK(root.find("$comment")->text().find("R-DUTY-OF-CANDOUR") != std::string::npos);
    const auto* answers = root.find("properties")->find("answers");
    CHECK(answers->find("additionalProperties")->as_bool() == false);
    // Always-required top-level questions with no condition are `required`.
    std::string required;
    lfpse::core::json_append_value(required, *answers->find("required"));
    CHECK(required == R"(["CL001","T001","CL024"])");
  }
}

TEST_CASE("schema: every valid example validates against its version's schema") {
  for (const char* version : {"5", "6"}) {
    const auto events = examples(std::string("v") + version + "-");
    REQUIRE(events.size() >= 2);
    const auto result = check(version, events);
    CHECK(result.size() == events.size());
    for (const auto& entry : result) {  // no structured binding: CAPTURE captures by lambda
      const std::string& name = entry.first;
      const std::string& verdict = entry.second;
      CAPTURE(name);
      CHECK(verdict.rfind("valid", 0) == 0);
    }
  }
}

TEST_CASE("schema: invalid examples are rejected, except what only the validator can say") {
  std::map<std::string, std::vector<fs::path>> by_version;
  for (const fs::path& p : examples("invalid-")) {
    lfpse::core::JsonDocument doc;
    lfpse::core::JsonError error;
    REQUIRE(doc.parse(read(p), &error));
    by_version[std::string(doc.root().find("taxonomy_version")->text())].push_back(p);
  }
  std::size_t seen = 0;
  for (const auto& [version, files] : by_version) {
    for (const auto& entry : check(version, files)) {
      const std::string& name = entry.first;
      const std::string& verdict = entry.second;
      CAPTURE(name);
      CAPTURE(verdict);
      ++seen;
      if (name.find("not-future") != std::string::npos) {
        CHECK(verdict.rfind("valid", 0) == 0);  // the schema has no clock: see $comment
      } else {
        CHECK(verdict.rfind("invalid", 0) == 0);
      }
    }
  }
  CHECK(seen == 6);
}

TEST_CASE("schema: its verdict agrees with the validator's on conditions, codes and shapes") {
  lfpse::taxonomy::TaxonomySet set;
  const auto clock = lfpse::core::Clock::fixed(1795694400000);  // 2026-11-26T12:00:00Z
  const fs::path dir =
      fs::temp_directory_path() / ("lfpse-schema-cases-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string head = R"({"local_id":"L-1","taxonomy_version":"5","organisation":"RJ1",)";
  const std::string incident =
      R"("answers":{"CL001":"1","T001":"y","T002":"2026-11-20","A001":["10"],"A015":["1"],)"
      R"("F001":"x","AC001":"y","PR101":"3","CL101":"3","CL024":false,"SC001":["6"],"L001":"n",)"
      R"("L003":["1"],"R001":"3")";
  auto event = [&](const std::string& extra_answers, const std::string& patient) {
    return head + incident + extra_answers + R"(},"groups":{"patient":[{"answers":{)" + patient +
           "}}]}}";
  };
  const std::string good_care =
      head + R"("answers":{"CL001":"4","T001":"y","T002":"2026-11-20","CL024":false,)"
             R"("F001":"x","GC101":"y","GC102":"z","L001":"n","R001":"3")";
  const std::string harm = R"("OT001":"5","OT002":"4")";
  // name -> (event, whether the schema accepts it)
  const std::map<std::string, std::pair<std::string, bool>> cases = {
      {"incident.json", {event("", harm + R"(,"P007":"10")"), true}},
      {"good-care.json", {good_care + "}}", true}},
      {"good-care-no-f001.json",
       {head + R"("answers":{"CL001":"4","T001":"y","T002":"2026-11-20","CL024":false}})", false}},
      {"good-care-with-patient.json",
       {good_care + R"(},"groups":{"patient":[{"answers":{"OT001":"5"}}]}})", false}},
      {"good-care-empty-group.json", {good_care + R"(},"groups":{"patient":[]}})", true}},
      {"incident-no-patient.json", {head + incident + "}}", false}},
      {"hidden-t003.json", {event(R"(,"T003":"2026-11")", harm + R"(,"P007":"10")"), false}},
      {"empty-t003.json", {event(R"(,"T003":"")", harm + R"(,"P007":"10")"), true}},
      {"fatal.json", {event("", R"("OT001":"1","ST001":"5","P007":"10")"), true}},
      {"fatal-with-ot002.json",
       {event("", R"("OT001":"1","OT002":"4","ST001":"5","P007":"10")"), false}},
      {"fatal-no-st001.json", {event("", R"("OT001":"1","P007":"10")"), false}},
      {"age-in-days.json", {event("", harm + R"(,"P004":18600)"), true}},
      {"age-bad-step.json", {event("", harm + R"(,"P004":32)"), false}},
      {"age-both.json", {event("", harm + R"(,"P004":18600,"P007":"10")"), false}},
      {"location-known.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find(R"("L001":"n")"), 10, R"("L001":"y")"),
        false}},
      {"duplicate-item.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find(R"("SC001":["6"])"), 13, R"("SC001":["2","2"])"),
        false}},
      {"exclusive.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find(R"("SC001":["6"])"), 13, R"("SC001":["6","2"])"),
        false}},
      // A text answer is a FHIR R4 string: no control character but tab, LF and CR.
      {"text-control-character.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find(R"("F001":"x")"), 10, R"("F001":"x\u0001y")"),
        false}},
      {"text-nul.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find(R"("F001":"x")"), 10, R"("F001":"\u0000")"),
        false}},
      {"text-tab-and-newlines.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find(R"("F001":"x")"), 10, R"("F001":"x\ty\r\nz\u007f")"),
        true}},
      {"unknown-question.json", {event(R"(,"ZZ001":"x")", harm + R"(,"P007":"10")"), false}},
      {"group-question-on-top.json", {event(R"(,"OT003":"x")", harm + R"(,"P007":"10")"), false}},
      {"bad-date.json", {event(R"(,"T005":"2026-13-01")", harm + R"(,"P007":"10")"), false}},
      {"bad-time.json", {event(R"(,"T007":"24:00")", harm + R"(,"P007":"10")"), false}},
      {"bad-code.json", {event("", R"("OT001":"9","OT002":"4","P007":"10")"), false}},
      {"extra-member.json",
       {head + R"("x":1,)" + incident +
            R"(},"groups":{"patient":[{"answers":{"OT001":"5","OT002":"4","P007":"10"}}]}})",
        false}},
      {"no-answers.json",
       {R"({"local_id":"L-1","taxonomy_version":"5","organisation":"RJ1"})", false}},
      {"wrong-version.json",
       {R"({"local_id":"L-1","taxonomy_version":"6","organisation":"RJ1","answers":{}})", false}},
      // What only the validator can say ($comment): the clock, calendar days, integer spelling.
      {"future.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find("2026-11-20"), 10, "2027-01-01"),
        true}},
      {"not-a-day.json",
       {event("", harm + R"(,"P007":"10")")
            .replace(event("", "").find("2026-11-20"), 10, "2026-02-30"),
        true}},
      {"integer-with-fraction.json", {event("", harm + R"(,"P004":18600.0)"), true}},
  };
  const std::set<std::string> validator_only = {"future.json", "not-a-day.json",
                                                "integer-with-fraction.json", "wrong-version.json"};
  std::vector<fs::path> files;
  for (const auto& [name, c] : cases) {
    write(dir / name, c.first);
    files.push_back(dir / name);
  }
  const auto result = check("5", files);
  fs::remove_all(dir);
  REQUIRE(result.size() == cases.size());
  for (const auto& entry : result) {  // no structured binding: CAPTURE captures by lambda
    const std::string& name = entry.first;
    const std::string& verdict = entry.second;
    CAPTURE(name);
    CAPTURE(verdict);
    const auto& c = cases.at(name);
    const bool schema_valid = verdict.rfind("valid", 0) == 0;
    CHECK(schema_valid == c.second);
    const bool validator_valid = lfpse::taxonomy::validate_text(set, c.first, clock).valid;
    if (validator_only.count(name) == 0) {
      CHECK(schema_valid == validator_valid);
    } else {
      CHECK_FALSE(validator_valid);
    }
  }
}
