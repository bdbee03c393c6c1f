// Which questions a form shows now, and which are required (the CLI's `shown`).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "taxonomy/shown.hpp"
#include "taxonomy/validator_fixture.hpp"

using namespace lfpse;
using namespace lfpse::taxonomy;
using namespace lfpse::taxonomy::testing;

namespace {

const Taxonomy& tax() { return *test_set().find("9"); }

std::string shown_of(const std::string& event_json) {
  core::JsonDocument doc;
  core::JsonError error;
  REQUIRE(doc.parse(event_json, &error));
  return shown_json(tax(), compute_shown(tax(), doc.root()));
}

const char* const kAlways = R"("K001","M001","X001","X002","D001","Y001","E001","H001","I001",)"
                            R"("I002","N001","B001","O001","Z001")";

}  // namespace

TEST_CASE("shown: an empty event shows the unconditional questions and hides the group") {
  CHECK(shown_of("{}") == std::string(R"({"top":{"shown":[)") + kAlways +
                              R"(,"R001"],"required":["K001"]},)"
                              R"("groups":{"patient":{"shown":false,"instances":[]}}})");
}

TEST_CASE("shown: answers open conditional questions, required conditions and the group") {
  std::string out = shown_of(R"({"answers":{"K001":"2","S001":"x","B001":true}})");
  CHECK(out == std::string(R"({"top":{"shown":[)") + kAlways +
                   R"(,"S001","S002","R001"],"required":["K001","S001","R001"]},)"
                   R"("groups":{"patient":{"shown":false,"instances":[]}}})");
}

TEST_CASE("shown: each group instance gets its own shown and required questions") {
  ShownResult r;
  core::JsonDocument doc;
  core::JsonError error;
  REQUIRE(doc.parse(R"({"answers":{"K001":"1"},"groups":{"patient":[
                         {"answers":{"G001":"1"}},{"answers":{"G001":"5","G002":3}},7]}})",
                    &error));
  r = compute_shown(tax(), doc.root());
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].shown);
  REQUIRE(r.groups[0].instances.size() == 3);
  CHECK(r.groups[0].instances[0].shown == std::vector<int>{tax().question_index("G001"),
                                                           tax().question_index("G002"),
                                                           tax().question_index("G003")});
  CHECK(r.groups[0].instances[0].required ==
        std::vector<int>{tax().question_index("G001"), tax().question_index("G002")});
  CHECK(r.groups[0].instances[1].shown ==
        std::vector<int>{tax().question_index("G001"), tax().question_index("G003")});
  // An instance of the wrong shape keeps its place, with no answers.
  CHECK(r.groups[0].instances[2].required == std::vector<int>{tax().question_index("G001")});
  CHECK(shown_json(tax(), r).find(
            R"("patient":{"shown":true,"instances":[{"shown":["G001","G002","G003"],)"
            R"("required":["G001","G002"]},)") != std::string::npos);
}

TEST_CASE("shown: a hidden group's instances show nothing") {
  CHECK(shown_of(R"({"answers":{"K001":"2"},"groups":{"patient":[{"answers":{"G001":"1"}}]}})")
            .find(R"("patient":{"shown":false,"instances":[{"shown":[],"required":[]}]})") !=
        std::string::npos);
}

TEST_CASE("shown: answers and groups of the wrong shape count as absent") {
  std::string empty = shown_of("{}");
  CHECK(shown_of(R"({"answers":[],"groups":{"patient":{}}})") == empty);
  CHECK(shown_of(R"({"answers":{"K001":"1"},"groups":[]})")
            .find(R"("patient":{"shown":true,"instances":[]})") != std::string::npos);
  // Unknown keys and group questions given at the top level are ignored.
  CHECK(shown_of(R"({"answers":{"Q":1,"G001":"1"}})") == empty);
}

TEST_CASE("shown: the shipped taxonomy shows the patient group for an incident") {
  TaxonomySet set;
  TaxonomyPtr v5 = set.find("5");
  REQUIRE(static_cast<bool>(v5));
  core::JsonDocument doc;
  core::JsonError error;
  REQUIRE(doc.parse(
      R"({"answers":{"CL001":"1","T001":"n"},"groups":{"patient":[{"answers":{"OT001":"1"}}]}})",
      &error));
  ShownResult r = compute_shown(*v5, doc.root());
  auto has = [&](const std::vector<int>& v, const char* code) {
    int q = v5->question_index(code);
    return std::find(v.begin(), v.end(), q) != v.end();
  };
  CHECK(has(r.top.shown, "T003"));
  CHECK(has(r.top.required, "T003"));
  CHECK_FALSE(has(r.top.shown, "T002"));
  int g = v5->group_index("patient");
  REQUIRE(g >= 0);
  CHECK(r.groups[static_cast<std::size_t>(g)].shown);
  const InstanceShown& inst = r.groups[static_cast<std::size_t>(g)].instances.at(0);
  CHECK_FALSE(has(inst.shown, "OT002"));  // not asked when physical harm is fatal
  CHECK(has(inst.required, "ST001"));
}
