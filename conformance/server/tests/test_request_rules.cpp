// API.md's rules on what a create carries: the Idempotency-Key is a UUID (single requests and
// batch entries alike), and the identifier system is the caller's own.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

std::string code_of(const std::string& outcome) {
  return json_str(outcome, "/issue/0/details/coding/0/code");
}

std::string post_entry(const std::string& full_url, const std::string& resource) {
  return "{\"fullUrl\":\"" + full_url + "\",\"resource\":" + resource +
         ",\"request\":{\"method\":\"POST\",\"url\":\"AdverseEvent\"}}";
}
}  // namespace

TEST_CASE("rules: an Idempotency-Key that is not a UUID is 400 on a single create") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  int n = 0;
  const std::vector<std::string> keys{"not-a-uuid",          "0123456789abcdef0123456789abcdef",
                                      "{" + new_key() + "}", new_key().substr(0, 35) + "g",
                                      new_key() + "0",       std::string(800, 'a')};
  for (const std::string& bad : keys) {
    std::string body = example_fhir("v5-05-risk", "RJ1", "KEY-" + std::to_string(n++));
    auto r = c.Post(kAE, auth_key(key, bad), body, kFhir);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, bad);
    CHECK(code_of(r->body) == "idempotency-key-required");
  }
  CHECK(json_size(c.Get(kAE + "/_history", auth(key))->body, "/entry") == 0);
  // A UUID in upper case is a UUID.
  std::string upper = new_key();
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto ok = c.Post(kAE, auth_key(key, upper), example_fhir("v5-05-risk", "RJ1", "KEY-OK"), kFhir);
  CHECK(ok->status == 201);
}

TEST_CASE("rules: a batch POST entry whose fullUrl key is not a UUID is 400 in its own slot") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  std::string entries;
  const std::vector<std::string> bad{"urn:uuid:not-a-uuid", "urn:uuid:has spaces in it",
                                     "urn:uuid:\xc3\xa9\xc3\xa9",
                                     "urn:uuid:" + std::string(800, '7')};
  for (std::size_t i = 0; i < bad.size(); ++i)
    entries +=
        post_entry(bad[i], example_fhir("v5-05-risk", "RJ1", "BK-" + std::to_string(i))) + ",";
  entries += post_entry("urn:uuid:" + new_key(), example_fhir("v5-05-risk", "RJ1", "BK-OK"));
  std::string bundle =
      "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + entries + "]}";
  auto r = c.Post("/adverse-event/fhir", auth(key), bundle, kFhir);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  for (std::size_t i = 0; i < bad.size(); ++i) {
    std::string p = "/entry/" + std::to_string(i) + "/response";
    CHECK_MESSAGE(json_str(r->body, p + "/status") == "400 Bad Request", bad[i]);
    CHECK(code_of(json_at(r->body, p + "/outcome")) == "idempotency-key-required");
  }
  CHECK(json_str(r->body, "/entry/4/response/status") == "201 Created");
  CHECK(json_size(c.Get(kAE + "/_history", auth(key))->body, "/entry") == 1);
}

TEST_CASE("rules: an identifier system naming another organisation is 422") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;  // RJ1
  std::string body = example_fhir("v5-05-risk", "RJ1", "THEIRS-1");
  const std::string mine = "urn:lfpse:local-id:RJ1";
  REQUIRE(body.find(mine) != std::string::npos);
  std::string theirs = body;
  theirs.replace(theirs.find(mine), mine.size(), "urn:lfpse:local-id:RYJ");
  auto r = c.Post(kAE, auth_key(key, new_key()), theirs, kFhir);
  REQUIRE(r);
  CHECK(r->status == 422);
  bool found = false;
  for (std::size_t i = 0; i < json_size(r->body, "/issue"); ++i) {
    std::string p = "/issue/" + std::to_string(i);
    if (json_str(r->body, p + "/details/coding/0/code") == "invalid-local-id") {
      found = true;
      CHECK(json_str(r->body, p + "/extension/0/valueString") == "/local_id");
    }
  }
  CHECK(found);
  // On an update too; and the caller's own system is still fine.
  auto created = c.Post(kAE, auth_key(key, new_key()), body, kFhir);
  REQUIRE(created->status == 201);
  auto h = auth(key);
  h.emplace("If-Match", "W/\"1\"");
  std::string id = json_str(created->body, "/id");
  CHECK(c.Put(kAE + "/" + id, h, theirs, kFhir)->status == 422);
  // The other organisation's own namespace holds nothing of RJ1's.
  CHECK(json_size(c.Get(kAE + "/_history", auth(s.orgs[1].api_key))->body, "/entry") == 0);
}
