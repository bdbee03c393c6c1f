// Validation of event documents (TAXONOMY.md 3 and 6) against the fixture taxonomy.
#include <doctest/doctest.h>

#include <string>

#include "taxonomy/event.hpp"
#include "taxonomy/validator_fixture.hpp"

using namespace lfpse::taxonomy;
using namespace lfpse::taxonomy::testing;

TEST_CASE("validator: a complete event has no issue and is valid") {
  Validation v = check9(R"({"K001":"1"})");
  CHECK(v.valid);
  CHECK(summary(v) == "");
}

TEST_CASE("validator: text that is not one JSON object is one malformed issue at the root") {
  const char* inputs[] = {"",
                          "{",
                          "[]",
                          "\"x\"",
                          "{} {}",
                          R"({"a":1,"a":2})",
                          "NaN",
                          R"({"a":Infinity})",
                          "{\"a\":\"\xff\"}"};
  for (const char* text : inputs) {
    CAPTURE(text);
    Validation v = validate_text(test_set(), text, example_clock());
    CHECK_FALSE(v.valid);
    CHECK(summary(v) == "malformed  -");
  }
  std::string deep = std::string(65, '[') + std::string(65, ']');
  CHECK(summary(validate_text(test_set(), "{\"a\":" + deep + "}", example_clock())) ==
        "malformed  -");
}

TEST_CASE("validator: validate on a value that is not an object is one malformed issue") {
  lfpse::core::JsonDocument doc;
  lfpse::core::JsonError error;
  REQUIRE(doc.parse("[1,2]", &error));
  CHECK(summary(validate(test_set(), doc.root(), example_clock())) == "malformed  -");
}

TEST_CASE("validator: members of the wrong type are malformed at the member and nothing else") {
  std::string text = R"({"local_id":5,"taxonomy_version":"9","organisation":["RJ1"],"answers":[]})";
  CHECK(summary(validate_text(test_set(), text, example_clock())) ==
        "malformed /answers -\nmalformed /local_id -\nmalformed /organisation -");
}

TEST_CASE("validator: a malformed groups member skips every group check") {
  std::string text = R"({"local_id":"L-1","taxonomy_version":"9","organisation":"RJ1",
                        "answers":{"K001":"1"},"groups":[]})";
  CHECK(summary(validate_text(test_set(), text, example_clock())) == "malformed /groups -");
}

TEST_CASE("validator: an unknown top-level member is malformed and validation goes on") {
  std::string text = R"({"local_id":"L-1","taxonomy_version":"9","organisation":"RJ1",
                        "answers":{"K001":"1"},"a/b":1,"groups":{"patient":[{"answers":{"G001":"3"}}]}})";
  CHECK(summary(validate_text(test_set(), text, example_clock())) == "malformed /a~1b -");
}

TEST_CASE("validator: a missing or bad local id or organisation is reported at its path") {
  CHECK(summary(validate_text(test_set(),
                              R"({"taxonomy_version":"9","answers":{"K001":"2","S001":"x"}})",
                              example_clock())) ==
        "rule:R-NONE  -\ninvalid-local-id /local_id -\ninvalid-organisation /organisation -");
  std::string long_id(65, 'a');
  for (std::string id : {std::string("has space"), long_id, std::string("")}) {
    CAPTURE(id);
    std::string text =
        R"({"local_id":")" + id +
        R"(","taxonomy_version":"9","organisation":"rj1","answers":{"K001":"2","S001":"x"}})";
    CHECK(summary(validate_text(test_set(), text, example_clock())) ==
          "rule:R-NONE  -\ninvalid-local-id /local_id -\ninvalid-organisation /organisation -");
  }
  std::string ok =
      R"({"local_id":")" + std::string(64, 'Z') +
      R"(","taxonomy_version":"9","organisation":"RJ1AB","answers":{"K001":"2","S001":"x"}})";
  CHECK(summary(validate_text(test_set(), ok, example_clock())) == "rule:R-NONE  -");
}

TEST_CASE("validator: a missing or unloaded version is unknown-version and nothing else") {
  CHECK(summary(validate_text(test_set(),
                              R"({"local_id":"L-1","organisation":"RJ1","answers":{"Q":1}})",
                              example_clock())) == "unknown-version /taxonomy_version -");
  Validation v = validate_text(
      test_set(),
      R"({"local_id":"L-1","taxonomy_version":"5","organisation":"RJ1","answers":{"Q":1}})",
      example_clock());
  CHECK(summary(v) == "unknown-version /taxonomy_version -");
  CHECK(v.issues[0].message.find("\"5\"") != std::string::npos);
}

TEST_CASE("validator: with an unknown version the shape of group instances is still checked") {
  CHECK(
      summary(validate_text(
          test_set(),
          R"({"local_id":"L-1","taxonomy_version":"x","organisation":"RJ1","groups":{"g":[1,{"b":2}],"h":3}})",
          example_clock())) ==
      "malformed /groups/g/0 -\nmalformed /groups/g/1/b -\nmalformed /groups/h -\n"
      "unknown-version /taxonomy_version -");
}

TEST_CASE("validator: answers that no question of that scope defines are unknown-question") {
  CHECK(summary(check9(R"({"K001":"1","Q999":"x","G001":"3"})",
                       R"({"patient":[{"answers":{"G001":"3","K001":"1","G~x":1}}]})")) ==
        "unknown-question /answers/G001 G001\nunknown-question /answers/Q999 Q999\n"
        "unknown-question /groups/patient/0/answers/G~0x G~x\n"
        "unknown-question /groups/patient/0/answers/K001 K001");
}

TEST_CASE("validator: a group the taxonomy does not define is unknown-group") {
  CHECK(summary(
            check9(R"({"K001":"1"})",
                   R"({"patient":[{"answers":{"G001":"3"}}],"devices":[{"answers":{"A":1}}]})")) ==
        "unknown-group /groups/devices -");
}

TEST_CASE("validator: a hidden question's answer is not-applicable and still type-checked") {
  CHECK(summary(check9(R"({"K001":"1","S001":5})")) ==
        "invalid-type /answers/S001 S001\nnot-applicable /answers/S001 S001");
}

TEST_CASE("validator: a question shown by a hidden question's answer is hidden too") {
  CHECK(summary(check9(R"({"K001":"1","S001":"x","S002":true})")) ==
        "not-applicable /answers/S001 S001\nnot-applicable /answers/S002 S002");
}

TEST_CASE("validator: a required shown question with no answer is required at its path") {
  CHECK(summary(check9(R"({"K001":"2"})", "{}")) == "rule:R-NONE  -\nrequired /answers/S001 S001");
  CHECK(summary(check9(R"({"K001":"2","S001":"x"})", "{}")) == "rule:R-NONE  -");
  // required: {condition}
  CHECK(summary(check9(R"({"K001":"1","B001":true,"I001":1})",
                       R"({"patient":[{"answers":{"G001":"3"}}]})")) ==
        "required /answers/R001 R001");
  CHECK(summary(check9(R"({"K001":"1","B001":false})")) == "");
}

TEST_CASE("validator: an empty string or list is no answer and null is also invalid-type") {
  CHECK(summary(check9(R"({"K001":""})", "{}")) == "required /answers/K001 K001");
  CHECK(summary(check9(R"({"K001":"1","M001":[],"S001":""})")) == "");
  CHECK(summary(check9(R"({"K001":null})", "{}")) ==
        "invalid-type /answers/K001 K001\nrequired /answers/K001 K001");
  CHECK(summary(check9(R"({"K001":"1","X001":{},"S001":null})")) ==
        "invalid-type /answers/S001 S001\ninvalid-type /answers/X001 X001");
}

TEST_CASE("validator: a choice answer must be one active option code as a string") {
  // A list given to a choice still counts in conditions: here it shows the patient group.
  CHECK(summary(check9(R"({"K001":["1"]})", "{}")) ==
        "invalid-cardinality /answers/K001 K001\ninvalid-cardinality /groups/patient -");
  CHECK(summary(check9(R"({"K001":1})", "{}")) == "invalid-type /answers/K001 K001");
  CHECK(summary(check9(R"({"K001":"7"})", "{}")) == "invalid-code /answers/K001 K001");
  CHECK(summary(check9(R"({"K001":"9"})", "{}")) == "invalid-code /answers/K001 K001");
}

TEST_CASE("validator: multichoice items are checked one by one and list constraints still apply") {
  CHECK(summary(check9(R"({"K001":"1","M001":["1","7",2,"1"]})")) ==
        "constraint:max_items /answers/M001 M001\ninvalid-code /answers/M001/1 M001\n"
        "invalid-type /answers/M001/2 M001\ninvalid-cardinality /answers/M001/3 M001");
  CHECK(summary(check9(R"({"K001":"1","M001":["X","1"]})")) ==
        "constraint:exclusive /answers/M001 M001");
  CHECK(summary(check9(R"({"K001":"1","M001":["X"]})")) ==
        "constraint:min_items /answers/M001 M001");
  CHECK(summary(check9(R"({"K001":"1","M001":["1","3"]})")) == "");
  CHECK(summary(check9(R"({"K001":"1","M001":"1"})")) == "invalid-type /answers/M001 M001");
}

TEST_CASE("validator: each type takes its own JSON type and format") {
  struct Case {
    const char* answer;
    bool ok;
  };
  const Case cases[] = {
      {R"("D001":"2026-02-28")", true},
      {R"("D001":"2026-02-30")", false},
      {R"("D001":"2026-2-28")", false},
      {R"("D001":20260228)", false},
      {R"("Y001":"2026-11")", true},
      {R"("Y001":"2026-13")", false},
      {R"("H001":"23:59")", true},
      {R"("H001":"24:00")", false},
      {R"("H001":"9:30")", false},
      {R"("E001":"2026-11-26T11:00:00.123456+01:00")", true},
      {R"("E001":"2026-11-26T11:00:00z")", false},
      {R"("E001":"2026-11-26T11:00Z")", false},
      {R"("E001":"2026-11-26T11:00:00")", false},
      {R"("I001":-5)", true},
      {R"("I001":5.0)", false},
      {R"("I001":5e0)", false},
      {R"("I001":"5")", false},
      {R"("N001":1.50)", true},
      {R"("N001":1e0)", true},
      {R"("N001":"1.5")", false},
      {R"("B001":false)", true},
      {R"("B001":"true")", false},
      {R"("O001":"RJ1")", true},
      {R"("O001":"RJ101")", true},
      {R"("O001":"rj1")", false},
      {R"("O001":"RJ10000")", false},
      {R"("O001":"R-1")", false},
      {R"("Z001":"9434765919")", true},
      {R"("Z001":"9434765918")", false},
      {R"("Z001":"943 476 5919")", false},
      {R"("Z001":9434765919)", false},
      {R"("X002":7)", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.answer);
    std::string answers = std::string(R"({"K001":"1",)") + c.answer + "}";
    std::string code = std::string(c.answer).substr(1, 4);
    CHECK(summary(check9(answers)) == (c.ok ? "" : "invalid-type /answers/" + code + " " + code));
  }
}

TEST_CASE("validator: integers outside FHIR's range are invalid-type") {
  CHECK(summary(check9(R"({"K001":"1","I002":2147483648})")) == "invalid-type /answers/I002 I002");
  CHECK(summary(check9(R"({"K001":"1","I002":-2147483649})")) == "invalid-type /answers/I002 I002");
  // In range: the steps constraint is what fails.
  CHECK(summary(check9(R"({"K001":"1","I002":-2147483648})")) ==
        "constraint:steps /answers/I002 I002");
}

TEST_CASE("validator: string lengths count code points and patterns match the whole string") {
  std::string e200;
  for (int i = 0; i < 200; ++i) e200 += "\xc3\xa9";
  CHECK(summary(check9(R"({"K001":"1","X001":")" + e200 + "\"}")) == "");
  CHECK(summary(check9(R"({"K001":"1","X001":")" + e200 + "e\"}")) ==
        "constraint:max_length /answers/X001 X001");
  CHECK(summary(check9(R"({"K001":"1","X001":"a"})")) ==
        "constraint:min_length /answers/X001 X001");
  CHECK(summary(check9(R"({"K001":"1","X002":"AB-12"})")) == "");
  CHECK(summary(check9(R"({"K001":"1","X002":"AB-12x"})")) ==
        "constraint:pattern /answers/X002 X002");
  CHECK(summary(check9(R"({"K001":"1","X002":"xAB-12"})")) ==
        "constraint:pattern /answers/X002 X002");
}

TEST_CASE("validator: a text answer with a control character is invalid-type and nothing more") {
  // FHIR R4 strings hold no character below U+0020 but tab, line feed and carriage return.
  const std::string bad = "invalid-type /answers/X001 X001";
  CHECK(summary(check9(R"({"K001":"1","X001":"ab\u0001cd"})")) == bad);
  CHECK(summary(check9(R"({"K001":"1","X001":"\u0000"})")) == bad);  // not min_length too
  CHECK(summary(check9(R"({"K001":"1","X001":"mail a@b.org\u001f"})")) == bad);  // no scan
  CHECK(summary(check9(R"({"K001":"1","X002":"AB-1\u0008"})")) ==
        "invalid-type /answers/X002 X002");
  CHECK(summary(check9(R"({"K001":"1","X001":"a\tb\nc\r\nd\u007f"})")) == "");
  const Validation v = check9(R"({"K001":"1","X001":"ab\u001bcd"})");
  REQUIRE(v.issues.size() == 1);
  CHECK(v.issues[0].message.find("FHIR R4 strings") != std::string::npos);
}

TEST_CASE("validator: min, max and steps bound numbers") {
  CHECK(summary(check9(R"({"K001":"1","I001":-6,"N001":0.4})")) ==
        "constraint:min /answers/I001 I001\nconstraint:min /answers/N001 N001");
  CHECK(summary(check9(R"({"K001":"1","I001":101,"N001":10.5})")) ==
        "constraint:max /answers/I001 I001\nconstraint:max /answers/N001 N001");
  CHECK(summary(check9(R"({"K001":"1","I001":100,"N001":10})")) == "");
  for (int ok : {1, 30, 31, 62, 341}) {
    CAPTURE(ok);
    CHECK(summary(check9(R"({"K001":"1","I002":)" + std::to_string(ok) + "}")) == "");
  }
  for (int bad : {0, 32, 40, 371, 372, -31}) {
    CAPTURE(bad);
    CHECK(summary(check9(R"({"K001":"1","I002":)" + std::to_string(bad) + "}")) ==
          "constraint:steps /answers/I002 I002");
  }
}

TEST_CASE("validator: not_future compares dates with today's UK civil date") {
  // 23:30 UTC on 14 July is 00:30 on 15 July in London.
  lfpse::core::Clock summer = clock_at("2026-07-14T23:30:00Z");
  CHECK(summary(check9(R"({"K001":"1","D001":"2026-07-15"})",
                       R"({"patient":[{"answers":{"G001":"3"}}]})", summer)) == "");
  CHECK(summary(check9(R"({"K001":"1","D001":"2026-07-16"})",
                       R"({"patient":[{"answers":{"G001":"3"}}]})", summer)) ==
        "constraint:not_future /answers/D001 D001");
  // In winter London is on UTC.
  lfpse::core::Clock winter = clock_at("2026-11-26T23:30:00Z");
  CHECK(summary(check9(R"({"K001":"1","D001":"2026-11-27"})",
                       R"({"patient":[{"answers":{"G001":"3"}}]})", winter)) ==
        "constraint:not_future /answers/D001 D001");
  CHECK(summary(check9(R"({"K001":"1","D001":"2026-11-26"})",
                       R"({"patient":[{"answers":{"G001":"3"}}]})", winter)) == "");
  // A month is in the future after this month, in UK civil time.
  lfpse::core::Clock midsummer_night = clock_at("2026-06-30T23:30:00Z");
  CHECK(summary(check9(R"({"K001":"1","Y001":"2026-07"})",
                       R"({"patient":[{"answers":{"G001":"3"}}]})", midsummer_night)) == "");
  CHECK(summary(check9(R"({"K001":"1","Y001":"2026-12"})")) ==
        "constraint:not_future /answers/Y001 Y001");
}

TEST_CASE("validator: not_future compares date-times as instants") {
  CHECK(summary(check9(R"({"K001":"1","E001":"2026-11-26T13:00:00+01:00"})")) == "");
  CHECK(summary(check9(R"({"K001":"1","E001":"2026-11-26T12:00:01Z"})")) ==
        "constraint:not_future /answers/E001 E001");
  CHECK(summary(check9(R"({"K001":"1","E001":"2026-11-26T12:30:00+00:30"})")) == "");
}

TEST_CASE("validator: a shown group needs between min and max instances") {
  CHECK(summary(check9(R"({"K001":"1"})", "{}")) == "invalid-cardinality /groups/patient -");
  std::string three =
      R"({"patient":[{"answers":{"G001":"3"}},{"answers":{"G001":"3"}},{"answers":{"G001":"3"}}]})";
  CHECK(summary(check9(R"({"K001":"1"})", three)) == "invalid-cardinality /groups/patient -");
  CHECK(summary(check9(R"({"K001":"1"})", R"({"patient":[]})")) ==
        "invalid-cardinality /groups/patient -");
}

TEST_CASE("validator: instances of a hidden group are not-applicable, each answer too") {
  CHECK(summary(check9(R"({"K001":"2","S001":"x"})",
                       R"({"patient":[{"answers":{"G001":"7","G003":"a"}}]})")) ==
        "rule:R-NONE  -\nnot-applicable /groups/patient -\n"
        "invalid-code /groups/patient/0/answers/G001 G001\n"
        "not-applicable /groups/patient/0/answers/G001 G001\n"
        "not-applicable /groups/patient/0/answers/G003 G003");
  // Whether or not an instance is itself malformed.
  CHECK(summary(check9(R"({"K001":"2","S001":"x"})", R"({"patient":[7]})")) ==
        "rule:R-NONE  -\nnot-applicable /groups/patient -\nmalformed /groups/patient/0 -");
  CHECK(summary(check9(R"({"K001":"2","S001":"x"})", R"({"patient":[{"answers":[]}]})")) ==
        "rule:R-NONE  -\nnot-applicable /groups/patient -\nmalformed /groups/patient/0/answers -");
  // A hidden group with no instances is fine.
  CHECK(summary(check9(R"({"K001":"2","S001":"x"})", R"({"patient":[]})")) == "rule:R-NONE  -");
}

TEST_CASE("validator: group questions see their instance's answers and top-level answers") {
  std::string groups =
      R"({"patient":[{"answers":{"G001":"1"}},{"answers":{"G001":"3","G002":4}}]})";
  CHECK(summary(check9(R"({"K001":"1"})", groups)) ==
        "required /groups/patient/0/answers/G002 G002\n"
        "not-applicable /groups/patient/1/answers/G002 G002");
  // G003 is shown only while B001 is unanswered at the top level.
  CHECK(summary(check9(R"({"K001":"1","B001":false})",
                       R"({"patient":[{"answers":{"G001":"3","G003":"n"}}]})")) ==
        "not-applicable /groups/patient/0/answers/G003 G003");
}

TEST_CASE("validator: a malformed instance is reported and its content is not checked") {
  CHECK(summary(check9(R"({"K001":"1"})", R"({"patient":[7]})")) ==
        "malformed /groups/patient/0 -");
  CHECK(summary(check9(R"({"K001":"1"})", R"({"patient":[{"answers":[]}]})")) ==
        "malformed /groups/patient/0/answers -");
  CHECK(summary(check9(R"({"K001":"1"})", R"({"patient":[{"answers":{"G001":"3"},"seq":1}]})")) ==
        "malformed /groups/patient/0/seq -");
  CHECK(summary(check9(R"({"K001":"1"})", R"({"patient":[{}]})")) ==
        "required /groups/patient/0/answers/G001 G001");
  CHECK(summary(check9(R"({"K001":"1"})", R"({"patient":{}})")) == "malformed /groups/patient -");
}

TEST_CASE("validator: a rule's issue is at the first question its assert names") {
  Validation v = check9(R"({"K001":"1","B001":true,"R001":"r"})");
  CHECK(summary(v) == "rule:R-TOP /answers/I001 I001");
  CHECK(v.issues[0].message == "Give the count when flagged.");
  CHECK(v.issues[0].severity == Severity::Error);
  CHECK_FALSE(v.valid);
  // not_before: a date before the month it should fall in.
  CHECK(summary(check9(R"({"K001":"1","D001":"2026-10-31","Y001":"2026-11"})")) ==
        "rule:R-DATES /answers/D001 D001");
  CHECK(summary(check9(R"({"K001":"1","D001":"2026-11-01","Y001":"2026-11"})")) == "");
  CHECK(summary(check9(R"({"K001":"1","D001":"2026-10-31"})")) == "");
  // An assert naming no question is reported at the root with a null question.
  Validation none = check9(R"({"K001":"2","S001":"x"})", "{}");
  CHECK(summary(none) == "rule:R-NONE  -");
  CHECK(none.issues[0].severity == Severity::Warning);
  CHECK(none.valid);
}

TEST_CASE("validator: a group rule is reported once per failing instance, even at one path") {
  std::string groups =
      R"({"patient":[{"answers":{"G001":"5"}},{"answers":{"G001":"1","G002":60}},{"answers":{"G001":"5"}}]})";
  Validation v = check9(R"({"K001":"1"})", groups);
  CHECK(summary(v) ==
        "rule:R-G /answers/B001 B001\nrule:R-G /answers/B001 B001\n"
        "invalid-cardinality /groups/patient -\n"
        "rule:R-GI /groups/patient/1/answers/G002 G002");
}

TEST_CASE("validator: issues are sorted by path, then code, in byte order") {
  Validation v = check9(R"({"Z001":"1","K001":"1","B001":1,"A":1})",
                        R"({"patient":[{"answers":{"G001":"3"}}],"x":[]})");
  CHECK(summary(v) ==
        "unknown-question /answers/A A\ninvalid-type /answers/B001 B001\n"
        "invalid-type /answers/Z001 Z001\nunknown-group /groups/x -");
}

TEST_CASE("validator: free text is scanned for identifiable data, as warnings") {
  Validation v = check9(R"({"K001":"1","X001":"NHS 943 476 5919, call 020 7946 0018"})",
                        R"({"patient":[{"answers":{"G001":"3","G003":"mail a.b@nhs.net"}}]})");
  CHECK(v.valid);
  CHECK(summary(v) ==
        "pii:nhs-number /answers/X001 X001\npii:phone /answers/X001 X001\n"
        "pii:email /groups/patient/0/answers/G003 G003");
  for (const Issue& i : v.issues) CHECK(i.severity == Severity::Warning);
  // Only questions marked pii_scan are scanned.
  CHECK(summary(check9(R"({"K001":"1","X002":"943 476 5919"})")) ==
        "constraint:pattern /answers/X002 X002");
}

TEST_CASE("validator: issue messages are sentences") {
  Validation v = check9(R"({"K001":"7","M001":["1","1"],"Q":1})", "{}");
  REQUIRE(v.issues.size() >= 3);
  for (const Issue& i : v.issues) {
    CAPTURE(i.code);
    REQUIRE_FALSE(i.message.empty());
    CHECK(i.message.back() == '.');
  }
}

TEST_CASE("validator: results do not depend on earlier validations with the same taxonomy") {
  std::string a = event9(R"({"K001":"1","B001":true,"I001":1,"R001":"x"})");
  std::string b = event9(R"({"K001":"1"})");
  Validation first = validate_text(test_set(), b, example_clock());
  validate_text(test_set(), a, example_clock());
  Validation again = validate_text(test_set(), b, example_clock());
  CHECK(summary(first) == summary(again));
}
