// Conditions (TAXONOMY.md 2 and 6) evaluated in a scope of answers.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "taxonomy/condition.hpp"
#include "taxonomy/validator_fixture.hpp"

using namespace lfpse;
using namespace lfpse::taxonomy;
using namespace lfpse::taxonomy::testing;

namespace {

const Taxonomy& tax() { return *test_set().find("9"); }

int q(const char* code) { return tax().question_index(code); }

Condition leaf(Condition::Kind kind, const char* code) {
  Condition c;
  c.kind = kind;
  c.question = q(code);
  return c;
}

Condition in(const char* code, std::initializer_list<const char*> codes) {
  Condition c = leaf(Condition::Kind::In, code);
  for (const char* s : codes) c.codes.emplace_back(s);
  return c;
}

Condition answered(const char* code, bool yes) {
  Condition c = leaf(Condition::Kind::Answered, code);
  c.answered = yes;
  return c;
}

Condition eq_number(const char* code, double n) {
  Condition c = leaf(Condition::Kind::Eq, code);
  c.number = n;
  return c;
}

Condition eq_bool(const char* code, bool b) {
  Condition c = leaf(Condition::Kind::Eq, code);
  c.eq_is_bool = true;
  c.eq_bool = b;
  return c;
}

Condition compare(Condition::Kind kind, const char* code, double n) {
  Condition c = leaf(kind, code);
  c.number = n;
  return c;
}

Condition logic(Condition::Kind kind, std::initializer_list<Condition> children) {
  Condition c;
  c.kind = kind;
  c.children = children;
  return c;
}

Condition order(Condition::Kind kind, const char* a, const char* b) {
  Condition c = leaf(kind, a);
  c.other_question = q(b);
  return c;
}

// A scope over the top-level answers of `answers_json` (and, when given, one patient instance).
struct Scope {
  core::JsonDocument doc;
  AnswerScope scope{tax()};

  explicit Scope(const std::string& answers_json, const char* instance_json = nullptr) {
    std::string text = std::string("{\"top\":") + answers_json +
                       ",\"inst\":" + (instance_json != nullptr ? instance_json : "null") + "}";
    core::JsonError error;
    REQUIRE(doc.parse(text, &error));
    scope.fill(-1, doc.root().find("top"));
    scope.compute_shown(-1, true);
    if (instance_json != nullptr) {
      int g = tax().group_index("patient");
      scope.fill(g, doc.root().find("inst"));
      scope.compute_shown(g, true);
    }
  }
  bool operator()(const Condition& c) const { return evaluate(c, scope); }
};

}  // namespace

TEST_CASE("conditions: in holds for a code in the list, or any listed item of a list") {
  Scope s(R"({"K001":"1","M001":["3","2"],"X001":"2"})");
  CHECK(s(in("K001", {"1", "2"})));
  CHECK_FALSE(s(in("K001", {"2"})));
  CHECK(s(in("M001", {"2"})));
  CHECK_FALSE(s(in("M001", {"1", "X"})));
  CHECK_FALSE(s(in("S002", {"1"})));  // unanswered
  // A list given to a choice counts like a multichoice; non-string items never match.
  Scope list(R"({"K001":[1,"2"]})");
  CHECK(list(in("K001", {"2"})));
  CHECK_FALSE(list(in("K001", {"1"})));
}

TEST_CASE("conditions: answered means a non-empty string or list, a number or a boolean") {
  struct Case {
    const char* value;
    bool answered;
  };
  const Case cases[] = {{R"("x")", true}, {R"("")", false}, {"[]", false},   {R"([""])", true},
                        {"0", true},      {"false", true},  {"null", false}, {"{}", false}};
  for (const Case& c : cases) {
    CAPTURE(c.value);
    Scope s(std::string(R"({"X001":)") + c.value + "}");
    CHECK(s(answered("X001", true)) == c.answered);
    CHECK(s(answered("X001", false)) == !c.answered);
  }
  CHECK(Scope("{}")(answered("X001", false)));
}

TEST_CASE("conditions: eq uses JSON equality, so true is not 1 and 1 equals 1.0") {
  Scope s(R"({"B001":true,"I001":1,"N001":1.0,"X001":"1"})");
  CHECK(s(eq_bool("B001", true)));
  CHECK_FALSE(s(eq_bool("B001", false)));
  CHECK_FALSE(s(eq_number("B001", 1)));
  CHECK_FALSE(s(eq_bool("I001", true)));
  CHECK(s(eq_number("I001", 1)));
  CHECK(s(eq_number("N001", 1)));
  CHECK_FALSE(s(eq_number("X001", 1)));  // a string is never equal to a number
  CHECK_FALSE(s(eq_number("I002", 0)));  // unanswered
}

TEST_CASE("conditions: gte and lte compare numeric answers only") {
  Scope s(R"({"I001":5,"N001":2.5,"X001":"9"})");
  CHECK(s(compare(Condition::Kind::Gte, "I001", 5)));
  CHECK_FALSE(s(compare(Condition::Kind::Gte, "I001", 5.5)));
  CHECK(s(compare(Condition::Kind::Lte, "N001", 2.5)));
  CHECK_FALSE(s(compare(Condition::Kind::Lte, "N001", 2)));
  CHECK_FALSE(s(compare(Condition::Kind::Gte, "X001", 1)));
  CHECK_FALSE(s(compare(Condition::Kind::Lte, "I002", 1)));
}

TEST_CASE("conditions: all of nothing holds, any of nothing does not, not negates") {
  Scope s(R"({"K001":"1"})");
  CHECK(s(logic(Condition::Kind::All, {})));
  CHECK_FALSE(s(logic(Condition::Kind::Any, {})));
  CHECK(s(logic(Condition::Kind::All, {in("K001", {"1"}), answered("X001", false)})));
  CHECK_FALSE(s(logic(Condition::Kind::All, {in("K001", {"1"}), answered("X001", true)})));
  CHECK(s(logic(Condition::Kind::Any, {in("K001", {"2"}), answered("X001", false)})));
  CHECK(s(logic(Condition::Kind::Not, {in("K001", {"2"})})));
  CHECK_FALSE(s(logic(Condition::Kind::Not, {in("K001", {"1"})})));
}

TEST_CASE("conditions: a question that is not shown counts as unanswered, whatever it holds") {
  // S001 is shown only when K001 is "2".
  Scope hidden(R"({"K001":"1","S001":"text"})");
  CHECK_FALSE(hidden.scope.shown(q("S001")));
  CHECK(hidden(answered("S001", false)));
  CHECK_FALSE(hidden.scope.shown(q("S002")));  // shown by S001, which is hidden
  Scope shown(R"({"K001":"2","S001":"text"})");
  CHECK(shown(answered("S001", true)));
  CHECK(shown.scope.shown(q("S002")));
}

TEST_CASE("conditions: not_before and not_after compare dates, months and date-times") {
  using K = Condition::Kind;
  Scope s(R"({"D001":"2026-11-01","Y001":"2026-11","E001":"2026-11-01T00:30:00+01:00"})");
  CHECK(s(order(K::NotBefore, "D001", "Y001")));  // a month stands for its first day
  CHECK(s(order(K::NotAfter, "D001", "Y001")));
  // 00:30 at +01:00 is 23:30 UTC the day before: before the date's start of day, UTC.
  CHECK_FALSE(s(order(K::NotBefore, "E001", "D001")));
  CHECK(s(order(K::NotAfter, "E001", "D001")));
  Scope later(R"({"D001":"2026-10-31","Y001":"2026-11"})");
  CHECK_FALSE(later(order(K::NotBefore, "D001", "Y001")));
  CHECK(later(order(K::NotAfter, "D001", "Y001")));
}

TEST_CASE("conditions: not_before holds when either side is unanswered, hidden or not a date") {
  using K = Condition::Kind;
  CHECK(Scope(R"({"D001":"2026-10-31"})")(order(K::NotBefore, "D001", "Y001")));
  CHECK(Scope(R"({"D001":"2026-10-31","Y001":"2026-13"})")(order(K::NotBefore, "D001", "Y001")));
  CHECK(Scope(R"({"D001":"2026-10-31","Y001":202611})")(order(K::NotBefore, "D001", "Y001")));
  // A text question is never a date, whatever it holds.
  CHECK(Scope(R"({"D001":"2026-10-31","X001":"2026-11-05"})")(order(K::NotBefore, "D001", "X001")));
  // S001 is hidden here; hidden answers are not compared.
  CHECK(Scope(R"({"K001":"1","D001":"2026-10-31"})")(order(K::NotAfter, "D001", "D001")));
}

TEST_CASE("conditions: inside a group instance, names resolve to the instance, then the top") {
  Scope s(R"({"K001":"1","B001":true})", R"({"G001":"2"})");
  CHECK(s(in("G001", {"2"})));
  CHECK(s(eq_bool("B001", true)));
  CHECK(s.scope.shown(q("G002")));        // shown by the instance's G001
  CHECK_FALSE(s.scope.shown(q("G003")));  // hidden by the top-level B001
  CHECK(s.scope.required(q("G002")));
  CHECK_FALSE(s.scope.required(q("G003")));
}

TEST_CASE("conditions: refilling a group's slots forgets the previous instance") {
  Scope s(R"({"K001":"1"})", R"({"G001":"2","G002":5})");
  int g = tax().group_index("patient");
  core::JsonDocument next;
  core::JsonError error;
  REQUIRE(next.parse(R"({"G001":"3"})", &error));
  s.scope.fill(g, &next.root());
  s.scope.compute_shown(g, true);
  CHECK(s.scope.raw(q("G002")) == nullptr);
  CHECK_FALSE(s.scope.shown(q("G002")));
  CHECK(s(in("K001", {"1"})));
  // Questions of a hidden group are hidden in every instance.
  s.scope.compute_shown(g, false);
  CHECK_FALSE(s.scope.shown(q("G001")));
  CHECK(s(answered("G001", false)));
}

TEST_CASE("conditions: required holds only while shown, and may be a condition") {
  Scope flagged(R"({"K001":"1","B001":true})");
  CHECK(flagged.scope.required(q("K001")));
  CHECK(flagged.scope.required(q("R001")));
  CHECK_FALSE(flagged.scope.required(q("X001")));
  CHECK_FALSE(flagged.scope.required(q("S001")));  // required: true, but hidden
  Scope two(R"({"K001":"2"})");
  CHECK(two.scope.required(q("S001")));
  CHECK_FALSE(two.scope.required(q("R001")));
}
