// API.md line by line, against the real server process.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

std::string issue_code(const std::string& body, int i = 0) {
  return json_str(body, "/issue/" + std::to_string(i) + "/details/coding/0/code");
}
}  // namespace

TEST_CASE("api: the CapabilityStatement needs no credentials and lists profiles and interactions") {
  ServerProcess s;
  auto c = s.client();
  auto r = c.Get("/adverse-event/fhir/metadata");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json_str(r->body, "/resourceType") == "CapabilityStatement");
  CHECK(json_str(r->body, "/fhirVersion") == "4.0.1");
  CHECK(json_size(r->body, "/rest/0/resource/0/supportedProfile") == 2);
  std::string interactions = json_at(r->body, "/rest/0/resource/0/interaction");
  for (const char* code : {"create", "update", "read", "delete", "history-type"})
    CHECK(interactions.find(std::string("\"") + code + "\"") != std::string::npos);
  CHECK(json_str(r->body, "/rest/0/interaction/0/code") == "batch");
}

TEST_CASE(
    "api: missing or wrong credentials are 401 with WWW-Authenticate and an OperationOutcome") {
  ServerProcess s;
  auto c = s.client();
  auto r = c.Get("/taxonomy");
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK(r->get_header_value("WWW-Authenticate") == "Bearer realm=\"lfpse\"");
  CHECK(json_str(r->body, "/issue/0/code") == "login");
  r = c.Get("/taxonomy", auth("not-a-key"));
  CHECK(r->status == 401);
  r = c.Get("/taxonomy", {{"Authorization", "Bearer nope"}});
  CHECK(r->status == 401);
  CHECK(r->get_header_value("WWW-Authenticate") == "Bearer error=\"invalid_token\"");
  // The admin key belongs to no organisation.
  r = c.Get("/taxonomy", auth(s.admin_key));
  CHECK(r->status == 401);
  // Admin endpoints refuse organisation keys.
  r = c.Delete("/admin/faults", auth(s.orgs[0].api_key));
  CHECK(r->status == 401);
}

TEST_CASE("api: the taxonomy list is newest first and a version is served with an ETag and 304") {
  ServerProcess s;
  auto c = s.client();
  auto r = c.Get("/taxonomy", auth(s.orgs[0].api_key));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json_str(r->body, "/versions/0/version") == "6");
  CHECK(json_at(r->body, "/versions/0/current") == "true");
  CHECK(json_at(r->body, "/versions/1/current") == "false");
  r = c.Get("/taxonomy/5", auth(s.orgs[0].api_key));
  CHECK(r->status == 200);
  CHECK(json_str(r->body, "/version") == "5");
  std::string etag = r->get_header_value("ETag");
  CHECK(!etag.empty());
  auto h = auth(s.orgs[0].api_key);
  h.emplace("If-None-Match", etag);
  r = c.Get("/taxonomy/5", h);
  CHECK(r->status == 304);
  CHECK(r->body.empty());
  r = c.Get("/taxonomy/99", auth(s.orgs[0].api_key));
  CHECK(r->status == 404);
}

TEST_CASE("api: a create answers 201 with id, version, reference, route, Location and ETag") {
  ServerProcess s;
  auto c = s.client();
  std::string body = example_fhir("v5-01-incident-medication", "RJ1", "LOC-1");
  std::string key = new_key();
  auto r = c.Post(kAE, auth_key(s.orgs[0].api_key, key), body, kFhir);
  REQUIRE(r);
  CHECK(r->status == 201);
  std::string id = json_str(r->body, "/id");
  CHECK(!id.empty());
  CHECK(r->body.rfind("{\"resourceType\":\"AdverseEvent\",\"id\":", 0) == 0);
  CHECK(json_str(r->body, "/meta/versionId") == "1");
  CHECK(!json_str(r->body, "/meta/lastUpdated").empty());
  CHECK(r->get_header_value("Location") == kAE + "/" + id + "/_history/1");
  CHECK(r->get_header_value("ETag") == "W/\"1\"");
  CHECK(r->body.find("\"url\":\"ReferenceNumber\",\"valueString\":\"LFPSE-RJ1-") !=
        std::string::npos);
  CHECK(r->body.find("{\"url\":\"RecordingRoute\",\"valueCode\":\"API\"}") != std::string::npos);

  // A replay: the stored result, nothing new.
  auto again = c.Post(kAE, auth_key(s.orgs[0].api_key, key), body, kFhir);
  CHECK(again->status == 200);
  CHECK(again->body == r->body);
  // The same key with another body.
  auto other = c.Post(kAE, auth_key(s.orgs[0].api_key, key), body + " ", kFhir);
  CHECK(other->status == 409);
  CHECK(issue_code(other->body) == "idempotency-key-reused");
  CHECK(json_str(other->body, "/issue/0/code") == "duplicate");
  // The same local id under a new key.
  auto dup = c.Post(kAE, auth_key(s.orgs[0].api_key, new_key()), body, kFhir);
  CHECK(dup->status == 409);
  CHECK(issue_code(dup->body) == "duplicate-local-id");
  CHECK(json_str(dup->body, "/issue/0/diagnostics") == "existing=" + id);
  // Without a key.
  auto nokey = c.Post(kAE, auth(s.orgs[0].api_key), body, kFhir);
  CHECK(nokey->status == 400);
  // The feed holds one creation.
  auto feed = c.Get(kAE + "/_history", auth(s.orgs[0].api_key));
  CHECK(json_size(feed->body, "/entry") == 1);
}

TEST_CASE("api: an invalid event is 422 with TAXONOMY.md codes and event pointers") {
  ServerProcess s;
  auto c = s.client();
  std::string event = example_event("v5-01-incident-medication", "RJ1", "LOC-422");
  auto p = event.find("\"T005\": \"2026-11-18\"");
  REQUIRE(p != std::string::npos);
  event.replace(p, 20, "\"T005\": \"2099-01-01\"");
  auto r = c.Post(kAE, auth_key(s.orgs[0].api_key, new_key()), to_fhir_text(event), kFhir);
  REQUIRE(r);
  CHECK(r->status == 422);
  CHECK(json_str(r->body, "/issue/0/code") == "invalid");
  CHECK(issue_code(r->body) == "constraint:not_future");
  CHECK(json_str(r->body, "/issue/0/details/coding/0/system") == "urn:lfpse:issue-code");
  CHECK(json_str(r->body, "/issue/0/extension/0/url") == "urn:lfpse:event-pointer");
  CHECK(json_str(r->body, "/issue/0/extension/0/valueString") == "/answers/T005");
  // Nothing stored.
  auto feed = c.Get(kAE + "/_history", auth(s.orgs[0].api_key));
  CHECK(json_size(feed->body, "/entry") == 0);
}

TEST_CASE("api: the submitting organisation must be the caller's") {
  ServerProcess s;
  auto c = s.client();
  std::string body = example_fhir("v5-01-incident-medication", "RYJ", "LOC-ORG");
  auto r = c.Post(kAE, auth_key(s.orgs[0].api_key, new_key()), body, kFhir);
  REQUIRE(r);
  CHECK(r->status == 422);
  bool found = false;
  for (std::size_t i = 0; i < json_size(r->body, "/issue"); ++i) {
    if (issue_code(r->body, static_cast<int>(i)) == "invalid-organisation") {
      found = true;
      CHECK(json_str(r->body, "/issue/" + std::to_string(i) + "/extension/0/valueString") ==
            "/organisation");
    }
  }
  CHECK(found);
}

TEST_CASE("api: checks answer in API.md's order") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  std::string big(2u << 20, ' ');
  // 401 before 413.
  auto r = c.Post(kAE, {{"Idempotency-Key", new_key()}}, big, kFhir);
  REQUIRE(r);
  CHECK(r->status == 401);
  // 413 before 415.
  r = c.Post(kAE, auth_key(key, new_key()), big, "text/plain");
  CHECK(r->status == 413);
  CHECK(json_str(r->body, "/issue/0/code") == "too-long");
  // 415 before 400.
  r = c.Post(kAE, auth(key), "not json", "text/plain");
  CHECK(r->status == 415);
  CHECK(json_str(r->body, "/issue/0/code") == "not-supported");
  // Parameters are fine.
  r = c.Post(kAE, auth_key(key, new_key()), "{}", "application/json; charset=utf-8");
  CHECK(r->status == 400);
  // 400: not JSON, the wrong type, a repeated member.
  r = c.Post(kAE, auth_key(key, new_key()), "{", kFhir);
  CHECK(r->status == 400);
  r = c.Post(kAE, auth_key(key, new_key()), "{\"resourceType\":\"Patient\"}", kFhir);
  CHECK(r->status == 400);
  r = c.Post(kAE, auth_key(key, new_key()), "{\"resourceType\":\"AdverseEvent\",\"a\":1,\"a\":2}",
             kFhir);
  CHECK(r->status == 400);
  // 409 before 422: an invalid event whose local id is already live.
  std::string good = example_fhir("v5-01-incident-medication", "RJ1", "ORDER-1");
  CHECK(c.Post(kAE, auth_key(key, new_key()), good, kFhir)->status == 201);
  std::string event = example_event("v5-01-incident-medication", "RJ1", "ORDER-1");
  event.replace(event.find("\"T005\": \"2026-11-18\""), 20, "\"T005\": \"2099-01-01\"");
  r = c.Post(kAE, auth_key(key, new_key()), to_fhir_text(event), kFhir);
  CHECK(r->status == 409);
  // 404 before 428 / 412 on update.
  r = c.Put(kAE + "/no-such-id", auth(key), good, kFhir);
  CHECK(r->status == 404);
  CHECK(json_str(r->body, "/issue/0/code") == "not-found");
}

TEST_CASE("api: read, update with If-Match, withdraw, and 410 after") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  std::string body = example_fhir("v5-02-incident-device-two-patients", "RJ1", "RUW-1");
  auto created = c.Post(kAE, auth_key(key, new_key()), body, kFhir);
  REQUIRE(created->status == 201);
  std::string id = json_str(created->body, "/id");
  std::string ref = json_at(created->body, "/meta");
  auto r = c.Get(kAE + "/" + id, auth(key));
  CHECK(r->status == 200);
  CHECK(r->get_header_value("ETag") == "W/\"1\"");
  CHECK(r->body == created->body);

  // Update: 428 without If-Match, 412 stale, 200 with the server's sub-extensions kept.
  std::string update = created->body;  // sends back the server-owned values unchanged
  CHECK(c.Put(kAE + "/" + id, auth(key), update, kFhir)->status == 428);
  auto h = auth(key);
  h.emplace("If-Match", "W/\"7\"");
  auto stale = c.Put(kAE + "/" + id, h, update, kFhir);
  CHECK(stale->status == 412);
  CHECK(json_str(stale->body, "/issue/0/code") == "conflict");
  h = auth(key);
  h.emplace("If-Match", "W/\"1\"");
  auto u = c.Put(kAE + "/" + id, h, body, kFhir);  // without the server's sub-extensions
  CHECK(u->status == 200);
  CHECK(u->get_header_value("ETag") == "W/\"2\"");
  CHECK(json_str(u->body, "/meta/versionId") == "2");
  CHECK(u->body.find("\"url\":\"ReferenceNumber\"") != std::string::npos);
  // A mismatching id in the body.
  h = auth(key);
  h.emplace("If-Match", "W/\"2\"");
  std::string wrong = u->body;
  wrong.replace(wrong.find(id), id.size(), "another-id");
  CHECK(c.Put(kAE + "/" + id, h, wrong, kFhir)->status == 400);

  // Withdraw: stale If-Match 412, then 204 with the new version; everything after is 410.
  h = auth(key);
  h.emplace("If-Match", "W/\"1\"");
  CHECK(c.Delete(kAE + "/" + id, h)->status == 412);
  auto d = c.Delete(kAE + "/" + id, auth(key));
  CHECK(d->status == 204);
  CHECK(d->get_header_value("ETag") == "W/\"3\"");
  CHECK(c.Get(kAE + "/" + id, auth(key))->status == 410);
  h = auth(key);
  h.emplace("If-Match", "W/\"3\"");
  auto gone = c.Put(kAE + "/" + id, h, body, kFhir);
  CHECK(gone->status == 410);
  CHECK(json_str(gone->body, "/issue/0/code") == "deleted");
  CHECK(c.Delete(kAE + "/" + id, auth(key))->status == 410);
  // A withdrawn local id may be recorded again.
  CHECK(c.Post(kAE, auth_key(key, new_key()), body, kFhir)->status == 201);
}

TEST_CASE("api: the change feed is oldest first with POST, PUT and DELETE entries and cursors") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto r = c.Post(kAE, auth_key(key, new_key()),
                    example_fhir("v5-05-risk", "RJ1", "FEED-" + std::to_string(i)), kFhir);
    REQUIRE(r->status == 201);
    ids.push_back(json_str(r->body, "/id"));
  }
  CHECK(c.Delete(kAE + "/" + ids[0], auth(key))->status == 204);

  auto page = c.Get(kAE + "/_history?_count=4", auth(key));
  REQUIRE(page->status == 200);
  CHECK(json_str(page->body, "/type") == "history");
  CHECK(json_size(page->body, "/entry") == 4);
  CHECK(json_str(page->body, "/entry/0/resource/id") == ids[0]);
  CHECK(json_str(page->body, "/entry/0/request/method") == "POST");
  CHECK(json_str(page->body, "/entry/0/response/status") == "201");
  CHECK(json_str(page->body, "/entry/0/response/etag") == "W/\"1\"");
  CHECK(json_str(page->body, "/entry/0/response/lastModified").size() == 24);
  std::string next = json_str(page->body, "/link/0/url");
  CHECK(json_str(page->body, "/link/0/relation") == "next");
  REQUIRE(next.find(s.url) == 0);
  auto page2 = c.Get(next.substr(s.url.size()), auth(key));
  CHECK(json_size(page2->body, "/entry") == 2);
  CHECK(json_str(page2->body, "/entry/1/request/method") == "DELETE");
  CHECK(json_str(page2->body, "/entry/1/request/url") == "AdverseEvent/" + ids[0]);
  CHECK(json_str(page2->body, "/entry/1/response/status") == "204");
  CHECK(json_str(page2->body, "/entry/1/response/etag") == "W/\"2\"");
  CHECK(json_at(page2->body, "/entry/1/resource").empty());
  // Caught up: an empty page that still has a next link; later changes come through it.
  std::string next2 = json_str(page2->body, "/link/0/url");
  auto page3 = c.Get(next2.substr(s.url.size()), auth(key));
  CHECK(json_size(page3->body, "/entry") == 0);
  std::string next3 = json_str(page3->body, "/link/0/url");
  CHECK(!next3.empty());
  CHECK(c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", "RJ1", "FEED-9"), kFhir)
            ->status == 201);
  auto page4 = c.Get(next3.substr(s.url.size()), auth(key));
  CHECK(json_size(page4->body, "/entry") == 1);

  // _since is inclusive of the change's instant.
  std::string at = json_str(page->body, "/entry/2/response/lastModified");
  auto since = c.Get(kAE + "/_history?_since=" + at, auth(key));
  CHECK(json_str(since->body, "/entry/0/response/lastModified") >= at);
  CHECK(json_size(since->body, "/entry") >= 5u - 2u);
  CHECK(c.Get(kAE + "/_history?_since=yesterday", auth(key))->status == 400);
  // A cursor this server did not issue.
  auto bad = c.Get(kAE + "/_history?_cursor=garbage", auth(key));
  CHECK(bad->status == 410);
  CHECK(issue_code(bad->body) == "cursor-expired");
}

TEST_CASE("api: a restart keeps keys, data and cursors; --new-epoch expires cursors") {
  std::string dir = make_temp_dir();
  std::string db = dir + "/keep.db";
  std::string key, next, id;
  {
    ServerProcess s(db);
    key = s.orgs[0].api_key;
    auto c = s.client();
    auto r =
        c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", "RJ1", "KEEP-1"), kFhir);
    REQUIRE(r->status == 201);
    id = json_str(r->body, "/id");
    auto page = c.Get(kAE + "/_history", auth(key));
    std::string url = json_str(page->body, "/link/0/url");
    next = url.substr(url.find("/adverse-event"));
    CHECK(s.stop() == 0);
  }
  {
    ServerProcess s(db);
    CHECK(s.orgs[0].api_key == key);
    auto c = s.client();
    CHECK(c.Get(kAE + "/" + id, auth(key))->status == 200);
    CHECK(c.Get(next, auth(key))->status == 200);
    CHECK(s.stop() == 0);
  }
  {
    ServerProcess s(db, {"--no-rate-limit", "--new-epoch"});
    auto c = s.client();
    auto r = c.Get(next, auth(key));
    CHECK(r->status == 410);
    CHECK(issue_code(r->body) == "cursor-expired");
    CHECK(c.Get(kAE + "/" + id, auth(key))->status == 200);
  }
}

TEST_CASE("api: a batch answers each entry in its own slot, in order") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  auto created =
      c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", "RJ1", "B-0"), kFhir);
  std::string id = json_str(created->body, "/id");
  std::string k1 = new_key();
  std::string bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[";
  bundle += "{\"fullUrl\":\"urn:uuid:" + k1 +
            "\",\"resource\":" + example_fhir("v5-05-risk", "RJ1", "B-1") +
            ",\"request\":{\"method\":\"POST\",\"url\":\"AdverseEvent\"}},";
  bundle += "{\"resource\":" + example_fhir("v5-05-risk", "RJ1", "B-2") +
            ",\"request\":{\"method\":\"POST\",\"url\":\"AdverseEvent\"}},";
  bundle += "{\"resource\":" + created->body +
            ",\"request\":{\"method\":\"PUT\",\"url\":\"AdverseEvent/" + id +
            "\",\"ifMatch\":\"W/\\\"1\\\"\"}},";
  bundle += "{\"request\":{\"method\":\"DELETE\",\"url\":\"AdverseEvent/" + id + "\"}},";
  bundle += "{\"request\":{\"method\":\"DELETE\",\"url\":\"AdverseEvent/nope\"}}]}";
  auto r = c.Post("/adverse-event/fhir", auth(key), bundle, kFhir);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json_str(r->body, "/type") == "batch-response");
  CHECK(json_str(r->body, "/entry/0/response/status") == "201 Created");
  CHECK(json_str(r->body, "/entry/0/response/etag") == "W/\"1\"");
  CHECK(json_str(r->body, "/entry/0/response/location").find("/_history/1") != std::string::npos);
  CHECK(json_str(r->body, "/entry/0/resource/resourceType") == "AdverseEvent");
  CHECK(json_str(r->body, "/entry/1/response/status") == "400 Bad Request");
  CHECK(json_str(r->body, "/entry/1/response/outcome/resourceType") == "OperationOutcome");
  CHECK(json_str(r->body, "/entry/2/response/status") == "200 OK");
  CHECK(json_str(r->body, "/entry/3/response/status") == "204 No Content");
  CHECK(json_str(r->body, "/entry/3/response/etag") == "W/\"3\"");
  CHECK(json_at(r->body, "/entry/3/resource").empty());
  CHECK(json_str(r->body, "/entry/4/response/status") == "404 Not Found");
  // The batch's POST entry replays like a single create.
  std::string one =
      "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"fullUrl\":\"urn:uuid:" + k1 +
      "\",\"resource\":" + example_fhir("v5-05-risk", "RJ1", "B-1") +
      ",\"request\":{\"method\":\"POST\",\"url\":\"AdverseEvent\"}}]}";
  auto again = c.Post("/adverse-event/fhir", auth(key), one, kFhir);
  CHECK(json_str(again->body, "/entry/0/response/status") == "200 OK");
  // Over 100 entries.
  std::string many = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[";
  for (int i = 0; i < 101; ++i)
    many += std::string(i ? "," : "") +
            "{\"request\":{\"method\":\"DELETE\",\"url\":\"AdverseEvent/x\"}}";
  many += "]}";
  auto too_many = c.Post("/adverse-event/fhir", auth(key), many, kFhir);
  CHECK(too_many->status == 413);
  CHECK(issue_code(too_many->body) == "too-many-entries");
}

TEST_CASE("api: over the organisation's rate the answer is 429 with Retry-After") {
  ServerProcess s(std::string(), {});  // the demo configuration: 50/s, bursts of 100
  auto c = s.client();
  int throttled = 0;
  std::string retry;
  for (int i = 0; i < 160 && !throttled; ++i) {
    auto r = c.Get("/taxonomy", auth(s.orgs[0].api_key));
    if (r && r->status == 429) {
      ++throttled;
      retry = r->get_header_value("Retry-After");
      CHECK(json_str(r->body, "/issue/0/code") == "throttled");
    }
  }
  CHECK(throttled == 1);
  CHECK(!retry.empty());
  // Another organisation has its own bucket.
  CHECK(c.Get("/taxonomy", auth(s.orgs[1].api_key))->status == 200);
}
