// A small taxonomy with one question of every type and every constraint kind, and helpers to
// validate event texts against it with a fixed clock.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::taxonomy::testing {

inline constexpr std::string_view kTestTaxonomy = R"({
  "taxonomy": "lfpse", "version": "9", "published": "2026-01-01",
  "fhir": {"profile": "https://psims.example/p-9", "extension_base": "https://psims.example/"},
  "sections": [{"id": "s", "target": "AdverseEvent"}, {"id": "p", "target": "Patient"}],
  "groups": [{"id": "patient", "text": "Patient", "min": 1, "max": 2,
              "shown": {"q": "K001", "in": ["1"]}, "section": "p", "sequence_property": "Seq"}],
  "questions": [
    {"code": "K001", "text": "Kind", "type": "choice", "required": true,
     "options": [{"code": "1", "text": "One"}, {"code": "2", "text": "Two"},
                 {"code": "9", "text": "Old", "retired": true}],
     "fhir": {"section": "s", "property": "Kind"}},
    {"code": "M001", "text": "Multi", "type": "multichoice",
     "options": [{"code": "1", "text": "a"}, {"code": "2", "text": "b"}, {"code": "3", "text": "c"},
                 {"code": "X", "text": "none"}],
     "constraints": [{"min_items": 2}, {"max_items": 3}, {"exclusive": ["X"]}],
     "fhir": {"section": "s", "property": "Multi"}},
    {"code": "X001", "text": "Story", "type": "text", "pii_scan": true,
     "constraints": [{"max_length": 200}, {"min_length": 2}],
     "fhir": {"section": "s", "property": "Story"}},
    {"code": "X002", "text": "Ref", "type": "text", "constraints": [{"pattern": "[A-Z]{2}-[0-9]+"}],
     "fhir": {"section": "s", "property": "Ref"}},
    {"code": "D001", "text": "Date", "type": "date", "constraints": [{"not_future": true}],
     "fhir": {"section": "s", "property": "Date"}},
    {"code": "Y001", "text": "Month", "type": "yearmonth", "constraints": [{"not_future": true}],
     "fhir": {"section": "s", "property": "Month"}},
    {"code": "E001", "text": "When", "type": "datetime", "constraints": [{"not_future": true}],
     "fhir": {"section": "s", "property": "When"}},
    {"code": "H001", "text": "Time", "type": "time", "fhir": {"section": "s", "property": "Time"}},
    {"code": "I001", "text": "Count", "type": "integer", "constraints": [{"min": -5}, {"max": 100}],
     "fhir": {"section": "s", "property": "Count"}},
    {"code": "I002", "text": "Age", "type": "integer",
     "constraints": [{"steps": [{"min": 1, "max": 30, "step": 1}, {"min": 31, "max": 371, "step": 31}]}],
     "fhir": {"section": "s", "property": "Age"}},
    {"code": "N001", "text": "Dose", "type": "decimal", "constraints": [{"min": 0.5}, {"max": 10}],
     "fhir": {"section": "s", "property": "Dose"}},
    {"code": "B001", "text": "Flag", "type": "boolean", "fhir": {"section": "s", "property": "Flag"}},
    {"code": "O001", "text": "Org", "type": "ods", "fhir": {"section": "s", "property": "Org"}},
    {"code": "Z001", "text": "NHS", "type": "nhs_number", "fhir": {"section": "s", "property": "Nhs"}},
    {"code": "S001", "text": "Two only", "type": "text", "shown": {"q": "K001", "in": ["2"]},
     "required": true, "fhir": {"section": "s", "property": "TwoOnly"}},
    {"code": "S002", "text": "After two", "type": "boolean", "shown": {"q": "S001", "answered": true},
     "fhir": {"section": "s", "property": "AfterTwo"}},
    {"code": "R001", "text": "If flagged", "type": "text", "required": {"q": "B001", "eq": true},
     "fhir": {"section": "s", "property": "IfFlagged"}},
    {"code": "G001", "group": "patient", "text": "Harm", "type": "choice", "required": true,
     "options": [{"code": "1", "text": "1"}, {"code": "2", "text": "2"}, {"code": "3", "text": "3"},
                 {"code": "5", "text": "5"}],
     "fhir": {"section": "p", "property": "Harm"}},
    {"code": "G002", "group": "patient", "text": "Detail", "type": "integer", "required": true,
     "shown": {"q": "G001", "in": ["1", "2"]}, "fhir": {"section": "p", "property": "Detail"}},
    {"code": "G003", "group": "patient", "text": "Note", "type": "text", "pii_scan": true,
     "shown": {"q": "B001", "answered": false}, "fhir": {"section": "p", "property": "Note"}}
  ],
  "rules": [
    {"id": "R-TOP", "severity": "error", "when": {"q": "B001", "eq": true},
     "assert": {"q": "I001", "answered": true}, "message": "Give the count when flagged."},
    {"id": "R-DATES", "severity": "error", "assert": {"q": "D001", "not_before": "Y001"},
     "message": "The date falls before its month."},
    {"id": "R-G", "group": "patient", "severity": "warning", "when": {"q": "G001", "in": ["5"]},
     "assert": {"q": "B001", "eq": true}, "message": "Flag a harm of 5."},
    {"id": "R-GI", "group": "patient", "severity": "error",
     "assert": {"not": {"q": "G002", "gte": 50}}, "message": "Detail under 50."},
    {"id": "R-NONE", "severity": "warning", "when": {"q": "K001", "in": ["2"]},
     "assert": {"any": []}, "message": "Kind two is always worth a look."}
  ]
})";

/// Version "9" above, loaded once.
inline const TaxonomySet& test_set() {
  static const std::unique_ptr<TaxonomySet> set = [] {
    auto s = std::make_unique<TaxonomySet>(false);
    s->load_json(kTestTaxonomy);
    return s;
  }();
  return *set;
}

inline core::Clock clock_at(std::string_view rfc3339) {
  return core::Clock::fixed(*core::parse_datetime(rfc3339));
}

/// The clock of the examples: 2026-11-26T12:00:00Z.
inline core::Clock example_clock() { return clock_at("2026-11-26T12:00:00Z"); }

/// Issues as "code path question" lines ("-" for a null question), in order.
inline std::string summary(const Validation& v) {
  std::string out;
  for (const Issue& i : v.issues) {
    if (!out.empty()) out += "\n";
    out += i.code + " " + i.path + " " + (i.question.empty() ? "-" : i.question);
  }
  return out;
}

/// An event of version 9 with `answers` at the top level and `groups` as given (JSON texts).
inline std::string event9(std::string_view answers,
                          std::string_view groups = R"({"patient":[{"answers":{"G001":"3"}}]})") {
  return std::string(
             R"({"local_id":"L-1","taxonomy_version":"9","organisation":"RJ1","answers":)") +
         std::string(answers) + R"(,"groups":)" + std::string(groups) + "}";
}

inline Validation check9(std::string_view answers,
                         std::string_view groups = R"({"patient":[{"answers":{"G001":"3"}}]})",
                         const core::Clock& clock = example_clock()) {
  return validate_text(test_set(), event9(answers, groups), clock);
}

}  // namespace lfpse::taxonomy::testing
