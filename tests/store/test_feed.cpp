// Applying the change feed, and its cursor.
#include <doctest/doctest.h>

#include <map>

#include "core/error.hpp"
#include "helpers.hpp"

using namespace lfpse::store;
using namespace store_test;

namespace {

// A resource as the service would send it back: the queued body with id, version and review.
std::string national(std::string body, const std::string& id, const std::string& version,
                     const std::string& review = "") {
  replace_all(body, "{\"resourceType\":\"AdverseEvent\",",
              "{\"resourceType\":\"AdverseEvent\",\"id\":\"" + id + "\",");
  replace_all(body, "\"meta\":{\"profile\"",
              "\"meta\":{\"versionId\":\"" + version + "\",\"profile\"");
  std::string extra = ",{\"url\":\"ReferenceNumber\",\"valueString\":\"REF-" + id + "\"}";
  if (!review.empty())
    extra +=
        ",{\"url\":\"ReviewStatus\",\"valueCode\":\"under-review\"},"
        "{\"url\":\"ReviewComment\",\"valueString\":\"" +
        review + "\"}";
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

TEST_CASE("feed: a reset re-applies the feed and queues again every acknowledged event it lacks") {
  TempDir dir;
  ManualTime t;
  std::string path = dir.file("r.db");
  auto s = Store::open(path, with_taxonomies(t.options()));
  std::map<std::string, std::string> bodies;  // local_id -> the create's body, as sent
  std::map<std::string, std::string> keys;    // local_id -> the create's idempotency key
  for (const char* id : {"RA", "RB", "RC", "RD", "RE"}) REQUIRE(s->record(event(id)).stored);
  for (auto& op : s->claim_due(10, 60000)) {
    bodies[op.local_id] = op.body;
    keys[op.local_id] = op.idempotency_key;
    std::string nid = "N" + op.local_id;
    REQUIRE(s->complete(op.op_id, op.lease_token,
                        Ack{nid, "1", "REF-" + nid, national(op.body, nid, "1")}));
  }
  REQUIRE(s->update(event("RC", 2)).stored);  // a local change still queued
  REQUIRE(s->withdraw("RD").stored);          // withdrawn here: not to be created again
  REQUIRE(s->update(event("RE", 3), /*draft=*/true).stored);  // reopened as a draft
  REQUIRE(s->record(event("RF")).stored);                     // never sent
  s->set_cursor("old-epoch");

  s->begin_feed_reset();
  CHECK(s->feed_reset_active());
  CHECK_FALSE(s->cursor());
  // The national side, restored from a backup, still has RA and RB (RB reviewed since).
  CHECK(s->apply_feed_page({PulledChange{"NRA", "1", false, national(bodies["RA"], "NRA", "1")}},
                           "page-1") == std::vector<ApplyResult>{ApplyResult::Ignored});
  s.reset();  // a crash mid-reset: the reset and the ids seen so far are in the file
  s = Store::open(path, with_taxonomies(t.options()));
  CHECK(s->feed_reset_active());
  CHECK(s->cursor() == std::optional<std::string>("page-1"));
  CHECK(s->apply_feed_page(
            {PulledChange{"NRB", "2", false, national(bodies["RB"], "NRB", "2", "Seen")}},
            "page-2") == std::vector<ApplyResult>{ApplyResult::Updated});

  FeedResetResult r = s->finish_feed_reset();
  CHECK(r.requeued == std::vector<std::string>{"RC", "RE"});
  CHECK(r.unmapped.empty());
  CHECK_FALSE(s->feed_reset_active());
  CHECK(s->cursor() == std::optional<std::string>("page-2"));
  CHECK_THROWS_AS(s->finish_feed_reset(), lfpse::core::Error);

  // What the re-read contained is untouched.
  CHECK(contains(*s->show_json("RA"), "\"national_id\":\"NRA\""));
  CHECK(contains(*s->show_json("RB"), "\"review_comment\":\"Seen\""));
  CHECK(contains(*s->show_json("RB"), "\"state\":\"acknowledged\""));
  // RC: a fresh create of its latest snapshot replaces the update meant for the lost copy.
  std::string rc = *s->show_json("RC");
  CHECK(contains(rc, "\"state\":\"queued\""));
  CHECK(contains(rc, "\"national_id\":null"));
  CHECK(contains(rc, "\"reference\":null"));
  CHECK(contains(rc, "\"state\":\"dropped\""));
  // RE: still a draft, no longer tied to the lost copy: finishing it queues a create.
  CHECK(contains(*s->show_json("RE"), "\"state\":\"draft\""));
  CHECK(contains(*s->show_json("RE"), "\"national_id\":null"));
  CHECK(contains(*s->show_json("RD"), "\"state\":\"queued\""));  // its DELETE goes on as before

  std::map<std::string, ClaimedOp> due;
  for (auto& op : s->claim_due(10, 60000)) due[op.local_id] = op;
  REQUIRE(due.count("RC"));
  CHECK(due["RC"].kind == "create");
  CHECK_FALSE(due["RC"].national_id);
  CHECK(due["RC"].idempotency_key != keys["RC"]);
  CHECK(contains(due["RC"].body, "Revision 2."));
  CHECK(due["RC"].body.rfind("{\"resourceType\":\"AdverseEvent\",", 0) == 0);
  CHECK(due.count("RF"));
  CHECK(due.count("RD"));
  CHECK(due["RD"].kind == "withdraw");
  CHECK_FALSE(due.count("RA"));
  CHECK_FALSE(due.count("RB"));
  CHECK_FALSE(due.count("RE"));
  WriteResult finished = s->update(event("RE", 4));
  CHECK(finished.op_kind == "create");
  CHECK(s->integrity_check() == "ok");
}

TEST_CASE("feed: events acknowledged during a reset, or met under a new id, are not queued again") {
  TempDir dir;
  ManualTime t;
  auto s = Store::open(dir.file("r2.db"), with_taxonomies(t.options()));
  s->record(event("S1"));
  s->record(event("S2"));
  auto ops = s->claim_due(10, 60000);
  REQUIRE(ops.size() == 2);
  s->complete(ops[0].op_id, ops[0].lease_token, Ack{"NS1", "1", std::nullopt, ""});
  s->begin_feed_reset();
  // S2's answer arrives after the reset began: the restored service made it, so it has it.
  s->complete(ops[1].op_id, ops[1].lease_token, Ack{"NS2", "1", std::nullopt, ""});
  // The re-read has S1 under another national id (matched by its local id).
  CHECK(s->apply_pulled(PulledChange{
            "NS1-new", "2", false, national(ops[0].body, "NS1-new", "2")}) == ApplyResult::Updated);
  FeedResetResult r = s->finish_feed_reset();
  CHECK(r.requeued.empty());
  CHECK(s->claim_due(10, 60000).empty());
  CHECK(contains(*s->show_json("S1"), "\"national_id\":\"NS1-new\""));
  CHECK(contains(*s->show_json("S2"), "\"national_id\":\"NS2\""));
}
