// The in-memory taxonomy (TAXONOMY.md section 1), immutable once loaded.
//
// Every cross reference is resolved at load time to an index, so that validation and the
// shown-questions computation never look a code up by name in their inner loops.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/json.hpp"

namespace lfpse::taxonomy {

enum class QuestionType : uint8_t {
  Choice,
  Multichoice,
  Text,
  Date,
  YearMonth,
  DateTime,
  Time,
  Integer,
  Decimal,
  Boolean,
  Ods,
  NhsNumber,
};

/// The type's name as the taxonomy spells it ("choice", "yearmonth", ...).
std::string_view question_type_name(QuestionType t);

enum class Severity : uint8_t { Error, Warning };

/// A condition (TAXONOMY.md section 2), plus the two assert-only date comparisons.
struct Condition {
  enum class Kind : uint8_t { In, Answered, Eq, Gte, Lte, All, Any, Not, NotBefore, NotAfter };
  Kind kind = Kind::All;
  int question = -1;               ///< index into Taxonomy::questions (all forms with "q")
  int other_question = -1;         ///< NotBefore / NotAfter: the question compared with
  std::vector<std::string> codes;  ///< In
  bool answered = true;            ///< Answered: true or false
  bool eq_is_bool = false;         ///< Eq: compare with a boolean (else a number)
  bool eq_bool = false;
  double number = 0;                ///< Eq (numeric), Gte, Lte
  std::vector<Condition> children;  ///< All, Any, Not (exactly one)
};

struct Constraint {
  enum class Kind : uint8_t {
    MaxLength,
    MinLength,
    Pattern,
    Min,
    Max,
    NotFuture,
    MinItems,
    MaxItems,
    Exclusive,
    Steps,
  };
  struct Step {
    int64_t min = 0, max = 0, step = 1;
  };
  Kind kind = Kind::MaxLength;
  std::string name;                ///< as in the taxonomy: the issue code is "constraint:" + name
  double number = 0;               ///< MaxLength, MinLength, Min, Max, MinItems, MaxItems
  std::string pattern;             ///< Pattern: the ECMAScript source, matched whole
  std::vector<std::string> codes;  ///< Exclusive
  std::vector<Step> steps;         ///< Steps
};

struct Option {
  std::string code;
  std::string text;
  bool retired = false;
};

/// Where an answer goes in the FHIR resource (TAXONOMY.md section 5).
struct FhirMapping {
  enum class Kind : uint8_t { Extension, EventElement, DateElement };
  Kind kind = Kind::Extension;
  int section = -1;  ///< Extension: index into Taxonomy::sections
  std::string property;
  std::vector<std::string> potential;  ///< EventElement: codes that make the event potential
  /// Extension: `{"url":<property>,"value<X>":`, which the FHIR writer puts before each of the
  /// question's answer values; made once at load (fhir_sub_open).
  std::string sub_open;
};

struct Question {
  std::string code;
  std::string text;
  std::string help;
  QuestionType type = QuestionType::Text;
  std::vector<Option> options;
  int group = -1;                          ///< index into Taxonomy::groups, -1 at the top level
  std::optional<Condition> shown;          ///< absent: always shown (where its group is)
  bool required = false;                   ///< `required: true`
  std::optional<Condition> required_when;  ///< `required: {condition}`
  std::vector<Constraint> constraints;
  FhirMapping fhir;
  bool pii_scan = false;

  /// Index of the option with this code, or -1.
  int option_index(std::string_view code) const;
  /// True when `code` is an option that is not retired.
  bool has_active_option(std::string_view code) const;
};

struct Group {
  std::string id;
  std::string text;
  int64_t min = 0, max = 0;
  std::optional<Condition> shown;  ///< evaluated at the top level
  int section = -1;                ///< index into Taxonomy::sections
  std::string sequence_property;
  std::vector<int> questions;  ///< the group's questions, in taxonomy order
};

struct Section {
  std::string id;
  std::string target;  ///< "AdverseEvent", "Patient", "Practitioner", "Location", ...
};

struct Rule {
  std::string id;
  int group = -1;  ///< -1: evaluated once at the top level
  Severity severity = Severity::Error;
  std::optional<Condition> when;
  Condition assert_;
  std::string message;
  int path_question = -1;  ///< the first question the assert names, -1 when none
};

struct Taxonomy {
  std::string name;  ///< "lfpse"
  std::string version;
  std::string published;
  std::string fhir_profile;
  std::string extension_base;
  std::vector<Section> sections;
  std::vector<Group> groups;
  std::vector<Question> questions;  ///< in taxonomy order
  std::vector<Rule> rules;
  std::vector<int> top_questions;  ///< questions with no group, in taxonomy order

  /// `shown` evaluation order: every question after the questions its `shown` condition
  /// names (the loader refuses cycles). Group questions are ordered within their group.
  std::vector<int> shown_order;

  /// The document as loaded, compact, for serving (`GET /taxonomy/{version}`).
  std::string source_json;

  int question_index(std::string_view code) const;  ///< -1 when unknown
  int group_index(std::string_view id) const;       ///< -1 when unknown
  int section_index(std::string_view id) const;     ///< -1 when unknown

  std::unordered_map<std::string_view, int> question_by_code;  ///< views into questions
  std::unordered_map<std::string_view, int> group_by_id;
};

using TaxonomyPtr = std::shared_ptr<const Taxonomy>;

/// Parses and checks a taxonomy document (TAXONOMY.md sections 1, 2 and 6). Throws
/// core::Error(Invalid) naming the offending member as a JSON Pointer, e.g.
/// `taxonomy: /questions/12/shown/q: unknown question "XX001"`.
TaxonomyPtr load_taxonomy(std::string_view json_text);

}  // namespace lfpse::taxonomy
