#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "taxonomy/taxonomy_set.hpp"

using namespace lfpse;
using taxonomy::load_taxonomy;

namespace {

// A minimal valid document; `questions` and `rules` are spliced in.
std::string doc(const std::string& questions, const std::string& rules = "[]",
                const std::string& groups = "[]") {
  return R"({"taxonomy":"t","version":"9","fhir":{"profile":"https://t.example/p",
    "extension_base":"https://t.example/"},"sections":[{"id":"s","target":"AdverseEvent"}],
    "groups":)" +
         groups + R"(,"questions":)" + questions + R"(,"rules":)" + rules + "}";
}

const char* kChoice =
    R"({"code":"A001","text":"a","type":"choice","options":[{"code":"1","text":"one"},
        {"code":"2","text":"two"}],"fhir":{"section":"s","property":"A"}})";

std::string refusal(const std::string& text) {
  try {
    load_taxonomy(text);
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::Invalid);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("loader: the built-in versions 5 and 6 load, with their questions and groups") {
  taxonomy::TaxonomySet set;
  auto v5 = set.find("5");
  auto v6 = set.find("6");
  REQUIRE(bool(v5));
  REQUIRE(bool(v6));
  CHECK(v5->questions.size() == 148);
  CHECK(v6->questions.size() == 153);
  CHECK(v5->groups.size() == 1);
  CHECK(v6->groups.size() == 2);
  CHECK(v5->sections.size() == 25);
  CHECK(v5->shown_order.size() == v5->questions.size());
  CHECK(set.all().front()->version == "5");
  CHECK((set.find_by_profile(v6->fhir_profile) == v6));
  CHECK(!set.find("7"));
}

TEST_CASE("loader: every shown condition's questions come before the question in shown order") {
  taxonomy::TaxonomySet set;
  auto tax = set.find("5");
  std::vector<int> position(tax->questions.size());
  for (std::size_t i = 0; i < tax->shown_order.size(); ++i) position[tax->shown_order[i]] = int(i);
  int cl001 = tax->question_index("CL001");
  int t002 = tax->question_index("T002");
  int t001 = tax->question_index("T001");
  CHECK(position[t001] < position[t002]);
  CHECK(cl001 >= 0);
}

TEST_CASE("loader: a later document with the same version replaces the earlier one") {
  taxonomy::TaxonomySet set(false);
  set.load_json(doc(std::string("[") + kChoice + "]"));
  CHECK(set.find("9")->questions.size() == 1);
  set.load_json(doc(std::string("[") + kChoice +
                    R"(,{"code":"B001","type":"text","fhir":{"section":"s","property":"B"}}])"));
  CHECK(set.find("9")->questions.size() == 2);
}

TEST_CASE("loader: a condition naming an unknown question is refused, naming the member") {
  std::string q = R"([{"code":"B001","type":"text","shown":{"q":"ZZ999","answered":true},
                       "fhir":{"section":"s","property":"B"}}])";
  std::string message = refusal(doc(q));
  CHECK(message.find("/questions/0/shown/q") != std::string::npos);
  CHECK(message.find("ZZ999") != std::string::npos);
}

TEST_CASE("loader: an in-condition naming a code the question does not have is refused") {
  std::string q = std::string("[") + kChoice +
                  R"(,{"code":"B001","type":"text","shown":{"q":"A001","in":["9"]},
                       "fhir":{"section":"s","property":"B"}}])";
  CHECK(refusal(doc(q)).find("/questions/1/shown/in/0") != std::string::npos);
}

TEST_CASE("loader: shown conditions that form a cycle are refused") {
  std::string q = R"([{"code":"A001","type":"text","shown":{"q":"B001","answered":true},
                       "fhir":{"section":"s","property":"A"}},
                      {"code":"B001","type":"text","shown":{"q":"A001","answered":true},
                       "fhir":{"section":"s","property":"B"}}])";
  CHECK(refusal(doc(q)).find("cycle") != std::string::npos);
  std::string self = R"([{"code":"A001","type":"text","shown":{"q":"A001","answered":true},
                          "fhir":{"section":"s","property":"A"}}])";
  CHECK(refusal(doc(self)).find("cycle") != std::string::npos);
}

TEST_CASE("loader: an unknown constraint, a repeated code and a foreign group are refused") {
  std::string unknown = R"([{"code":"A001","type":"text","constraints":[{"shorter_than":3}],
                             "fhir":{"section":"s","property":"A"}}])";
  CHECK(refusal(doc(unknown)).find("unknown constraint \"shorter_than\"") != std::string::npos);
  std::string repeated = std::string("[") + kChoice + "," + kChoice + "]";
  CHECK(refusal(doc(repeated)).find("repeated") != std::string::npos);
  std::string groups = R"([{"id":"g","min":0,"max":2,"section":"s","sequence_property":"N"},
                           {"id":"h","min":0,"max":2,"section":"s","sequence_property":"M"}])";
  std::string foreign =
      R"([{"code":"A001","type":"text","group":"g","fhir":{"section":"s","property":"A"}},
      {"code":"B001","type":"text","group":"h","shown":{"q":"A001","answered":true},
       "fhir":{"section":"s","property":"B"}}])";
  CHECK(refusal(doc(foreign, "[]", groups)).find("group \"g\"") != std::string::npos);
  std::string rule = R"([{"id":"R","severity":"error","assert":{"q":"A001","answered":true},
                          "message":"m"}])";
  CHECK(refusal(doc(foreign.substr(0, foreign.find(",\n")) + "]", rule, groups))
            .find("/rules/0/assert/q") != std::string::npos);
}

TEST_CASE("loader: text that is not a taxonomy document gives a clear error, never a crash") {
  CHECK(refusal("").find("not a JSON document") != std::string::npos);
  CHECK(refusal("[]").find("expected an object") != std::string::npos);
  CHECK(refusal("{\"taxonomy\":\"t\"}").find("/version") != std::string::npos);
  CHECK(refusal(doc("[{\"code\":\"A001\",\"type\":\"colour\",\"fhir\":{\"section\":\"s\","
                    "\"property\":\"A\"}}]"))
            .find("unknown question type") != std::string::npos);
  CHECK(refusal(doc("[{\"code\":\"A001\",\"type\":\"choice\",\"fhir\":{\"section\":\"s\","
                    "\"property\":\"A\"}}]"))
            .find("needs options") != std::string::npos);
}

TEST_CASE("loader: versions compare numerically when both are numbers") {
  CHECK(taxonomy::version_less("5", "6"));
  CHECK(taxonomy::version_less("9", "10"));
  CHECK_FALSE(taxonomy::version_less("10", "9"));
  CHECK(taxonomy::version_less("901", "902"));
}
