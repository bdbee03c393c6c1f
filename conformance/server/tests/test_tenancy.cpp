// Tenancy: another organisation's events are 404 on every endpoint, never 403.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";
}  // namespace

TEST_CASE("tenancy: every endpoint answers 404 for another organisation's event") {
  ServerProcess s;
  auto c = s.client();
  const std::string mine = s.orgs[0].api_key, theirs = s.orgs[1].api_key;
  const std::string body = example_fhir("v5-05-risk", "RJ1", "TEN-1");
  const std::string ikey = new_key();
  auto created = c.Post(kAE, auth_key(mine, ikey), body, kFhir);
  REQUIRE(created->status == 201);
  std::string id = json_str(created->body, "/id");

  CHECK(c.Get(kAE + "/" + id, auth(theirs))->status == 404);
  CHECK(c.Get(kAE + "/" + id + "/_history/1", auth(theirs))->status == 404);
  auto h = auth(theirs);
  h.emplace("If-Match", "W/\"1\"");
  CHECK(c.Put(kAE + "/" + id, h, example_fhir("v5-05-risk", "RYJ", "TEN-1"), kFhir)->status == 404);
  CHECK(c.Delete(kAE + "/" + id, auth(theirs))->status == 404);
  CHECK(json_size(c.Get(kAE + "/_history", auth(theirs))->body, "/entry") == 0);
  std::string bundle =
      "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":"
      "\"DELETE\",\"url\":\"AdverseEvent/" +
      id + "\"}}]}";
  auto b = c.Post("/adverse-event/fhir", auth(theirs), bundle, kFhir);
  CHECK(json_str(b->body, "/entry/0/response/status") == "404 Not Found");
  // The same idempotency key and local id are another organisation's own namespace.
  auto theirs_created =
      c.Post(kAE, auth_key(theirs, ikey), example_fhir("v5-05-risk", "RYJ", "TEN-1"), kFhir);
  CHECK(theirs_created->status == 201);
  CHECK(json_str(theirs_created->body, "/id") != id);
  // A third organisation's token cannot reach it either; the owner still can.
  CHECK(c.Get(kAE + "/" + id, auth(s.orgs[2].api_key))->status == 404);
  CHECK(c.Get(kAE + "/" + id, auth(mine))->status == 200);
  CHECK(c.Post("/admin/review/" + id, auth(theirs), "{}", "application/json")->status == 401);
}
