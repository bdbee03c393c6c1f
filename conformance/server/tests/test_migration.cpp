// A database written before per-organisation feed positions opens, numbers each
// organisation's changes in order, and answers the old cursors 410 cursor-expired.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "harness.hpp"
#include "util.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

void sql(const std::string& db, const char* text) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(h, text, nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(h);
  REQUIRE_MESSAGE(rc == SQLITE_OK, msg);
}

std::vector<std::string> feed_ids(httplib::Client& c, const std::string& key) {
  auto page = c.Get(kAE + "/_history", auth(key));
  REQUIRE(page->status == 200);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < json_size(page->body, "/entry"); ++i)
    ids.push_back(json_str(page->body, "/entry/" + std::to_string(i) + "/resource/id"));
  return ids;
}
}  // namespace

TEST_CASE("migration: an older database's feed is renumbered per organisation, in order") {
  std::string dir = make_temp_dir();
  std::string db = dir + "/old.db";
  std::vector<std::string> rj1_ids, ryj_ids;
  {
    ServerProcess s(db);
    auto c = s.client();
    for (int i = 0; i < 6; ++i) {
      bool mine = i % 3 != 1;
      const DemoOrg& o = s.orgs[mine ? 0 : 1];
      auto r = c.Post(kAE, auth_key(o.api_key, new_key()),
                      example_fhir("v5-05-risk", o.ods, "MIG-" + std::to_string(i)), kFhir);
      REQUIRE(r->status == 201);
      (mine ? rj1_ids : ryj_ids).push_back(json_str(r->body, "/id"));
    }
    CHECK(s.stop() == 0);
  }
  // The shape the older server wrote: no positions, its (org, seq) index.
  sql(db,
      "DROP INDEX changes_org_pos; ALTER TABLE changes DROP COLUMN org_seq; "
      "CREATE INDEX changes_org_seq ON changes(org, seq);");
  ServerProcess s(db);
  auto c = s.client();
  CHECK(feed_ids(c, s.orgs[0].api_key) == rj1_ids);
  CHECK(feed_ids(c, s.orgs[1].api_key) == ryj_ids);
  // A cursor as the older server wrote them ("c1:<epoch>:<global sequence>").
  std::string old_cursor = lfpse::server::base64url_encode("c1:0123456789abcdef:2");
  auto r = c.Get(kAE + "/_history?_cursor=" + old_cursor, auth(s.orgs[0].api_key));
  CHECK(r->status == 410);
  // New changes continue each organisation's numbering.
  std::string next =
      json_str(c.Get(kAE + "/_history", auth(s.orgs[1].api_key))->body, "/link/0/url");
  auto created = c.Post(kAE, auth_key(s.orgs[1].api_key, new_key()),
                        example_fhir("v5-05-risk", "RYJ", "MIG-NEW"), kFhir);
  REQUIRE(created->status == 201);
  auto page = c.Get(next.substr(s.url.size()), auth(s.orgs[1].api_key));
  REQUIRE(page->status == 200);
  CHECK(json_size(page->body, "/entry") == 1);
  CHECK(json_str(page->body, "/entry/0/resource/id") == json_str(created->body, "/id"));
}
