// Applying the change feed, and its cursor.
#include <doctest/doctest.h>

#include "helpers.hpp"

using namespace lfpse::store;
using namespace store_test;

namespace {

// A resource as the service would send it back: the queued body with id, version and review.
std::string national(std::string body, const std::string& id, const std::string& version,
                     const std::string& review = "") {
  replace_all(body, "{\"resourceType\":\"AdverseEvent\",",
              "{\"resourceType\":\"AdverseEvent\",\"id\":\"" + id + "\",");
  replace_all(body, "\"meta\":{\"profile\"", "\"meta\":{\"versionId\":\"" + version + "\",\"profile\"");
  std::string extra = ",{\"url\":\"ReferenceNumber\",\"valueString\":\"REF-" + id + "\"}";
  if (!review.empty())
    extra += ",{\"url\":\"ReviewStatus\",\"valueCode\":\"under-review\"},"
             "{\"url\":\"ReviewComment\",\"valueString\":\"" + review + "\"}";
  replace_all(body, "{\"url\":\"SubmittingOrganisation\",\"valueString\":\"RJ1\"}",
              "{\"url\":\"SubmittingOrganisation\",\"valueString\":\"RJ1\"}" + extra);
  return body;
}

}  // namespace

TEST_CASE("feed: a review, a national event and a withdrawal are applied; old versions ignored") {
  TempDir dir;
  ManualTime t;
  auto s = Store::open(dir.file("f.db"), with_taxonomies(t.options()));
  s->record(event("F1"));
  auto ops = s->claim_due(1, 1000);
  REQUIRE(ops.size() == 1);
  Ack a;
  a.national_id = "N1";
  a.version = "1";
  a.reference = "REF-N1";
  a.resource = national(ops[0].body, "N1", "1");
  s->complete(ops[0].op_id, ops[0].lease_token, a);

  PulledChange review{"N1", "2", false, national(ops[0].body, "N1", "2", "Thank you")};
  CHECK(s->apply_pulled(review) == ApplyResult::Updated);
  CHECK(s->apply_pulled(review) == ApplyResult::Ignored);
  auto shown = *s->show_json("F1");
  CHECK(contains(shown, "\"review_status\":\"under-review\""));
  CHECK(contains(shown, "\"review_comment\":\"Thank you\""));
  CHECK(contains(shown, "\"version\":\"2\""));
  CHECK(contains(shown, "\"state\":\"acknowledged\""));

  // An event recorded through the online form: kept under national:<id>.
  std::string form = ops[0].body;
  replace_all(form, "{\"system\":\"urn:lfpse:local-id:RJ1\",\"value\":\"F1\"}",
              "{\"system\":\"urn:lfpse:national:RJ1\",\"value\":\"N9\"}");
  PulledChange fresh{"N9", "1", false, national(form, "N9", "1")};
  CHECK(s->apply_feed_page({fresh}, "cursor-2") == std::vector<ApplyResult>{ApplyResult::Inserted});
  CHECK(s->cursor() == std::optional<std::string>("cursor-2"));
  CHECK(contains(*s->show_json("national:N9"), "\"reference\":\"REF-N9\""));
  CHECK(s->claim_due(5, 1000).empty());  // nothing to send for what came from the service

  CHECK(s->apply_pulled(PulledChange{"N1", "3", true, ""}) == ApplyResult::Withdrawn);
  CHECK(contains(*s->show_json("F1"), "\"state\":\"withdrawn\""));
  CHECK(s->apply_pulled(PulledChange{"N404", "2", true, ""}) == ApplyResult::Ignored);
  s->set_cursor("cursor-3");
  CHECK(s->cursor() == std::optional<std::string>("cursor-3"));
}

TEST_CASE("feed: a national change does not overwrite local changes still queued") {
  TempDir dir;
  ManualTime t;
  auto s = Store::open(dir.file("f.db"), with_taxonomies(t.options()));
  s->record(event("G1"));
  auto ops = s->claim_due(1, 1000);
  Ack a{"N2", "1", std::string("REF-N2"), ""};
  s->complete(ops[0].op_id, ops[0].lease_token, a);
  s->update(event("G1", 7));
  CHECK(s->apply_pulled(PulledChange{"N2", "2", false, national(ops[0].body, "N2", "2", "ok")}) ==
        ApplyResult::Updated);
  auto shown = *s->show_json("G1");
  CHECK(contains(shown, "Revision 7."));
  CHECK(contains(shown, "\"state\":\"queued\""));
  CHECK(contains(shown, "\"review_comment\":\"ok\""));
}
