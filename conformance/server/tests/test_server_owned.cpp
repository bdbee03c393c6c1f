// The server-owned fields cannot be forged (API.md: Recording, and the last rules of
// Throttling and faults): the reference-metadata extension is the one with the exact url,
// a resource with two of them is 400, and whatever a client puts in the service's
// sub-extensions is replaced by the server's values, on a create and on an update.
#include <doctest/doctest.h>

#include <map>

#include "harness.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";
// Taxonomy 5's extension_base + "adverse-event-reference-metadata-5".
const std::string kMetadataUrl =
    "https://psims.example/taxonomy/fhir/StructureDefinition/adverse-event-reference-metadata-5";
const std::string kDecoy =
    "{\"url\":\"https://evil.example/adverse-event-reference-metadata\",\"extension\":"
    "[{\"url\":\"ReferenceNumber\",\"valueString\":\"DECOY\"}]},";
const std::string kForged =
    "{\"url\":\"ReferenceNumber\",\"valueString\":\"LFPSE-RJ1-2026-999999\"},"
    "{\"url\":\"RecordingRoute\",\"valueCode\":\"OIR\"},"
    "{\"url\":\"ReviewStatus\",\"valueCode\":\"closed\"},"
    "{\"url\":\"ReviewComment\",\"valueString\":\"forged\"},";

// The attack as sent: a decoy whose url contains the extension's name first, then the real
// extension carrying the client's own values for every server-owned sub-extension.
std::string forged_body(const std::string& local_id) {
  std::string body = example_fhir("v5-01-incident-medication", "RJ1", local_id);
  std::string real = "{\"url\":\"" + kMetadataUrl + "\",\"extension\":[";
  std::size_t at = body.find(real);
  REQUIRE(at != std::string::npos);
  body.insert(at + real.size(), kForged);
  body.insert(at, kDecoy);
  return body;
}

// url -> values of the sub-extensions of the extension whose url is exactly kMetadataUrl.
std::multimap<std::string, std::string> metadata_of(const std::string& resource) {
  std::multimap<std::string, std::string> out;
  int found = 0;
  for (std::size_t i = 0; i < json_size(resource, "/extension"); ++i) {
    std::string p = "/extension/" + std::to_string(i);
    if (json_str(resource, p + "/url") != kMetadataUrl) continue;
    ++found;
    for (std::size_t j = 0; j < json_size(resource, p + "/extension"); ++j) {
      std::string q = p + "/extension/" + std::to_string(j);
      std::string v = json_str(resource, q + "/valueString");
      if (v.empty()) v = json_str(resource, q + "/valueCode");
      out.emplace(json_str(resource, q + "/url"), v);
    }
  }
  CHECK(found == 1);
  return out;
}

void check_server_values(const std::string& resource, const std::string& reference) {
  auto md = metadata_of(resource);
  CHECK(md.count("ReferenceNumber") == 1);
  CHECK(md.count("RecordingRoute") == 1);
  if (md.count("ReferenceNumber")) CHECK(md.find("ReferenceNumber")->second == reference);
  if (md.count("RecordingRoute")) CHECK(md.find("RecordingRoute")->second == "API");
  CHECK(md.count("ReviewStatus") == 0);
  CHECK(md.count("ReviewComment") == 0);
}
}  // namespace

TEST_CASE(
    "owned: a create with a decoy extension first and forged sub-extensions gets the "
    "server's values") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  auto r = c.Post(kAE, auth_key(key, new_key()), forged_body("OWN-1"), kFhir);
  REQUIRE(r);
  REQUIRE(r->status == 201);
  auto md = metadata_of(r->body);
  REQUIRE(md.count("ReferenceNumber") == 1);
  std::string reference = md.find("ReferenceNumber")->second;
  CHECK(reference.rfind("LFPSE-RJ1-", 0) == 0);
  CHECK(reference.substr(reference.size() - 7) == "-000001");  // the organisation's first
  check_server_values(r->body, reference);
  // The stored resource, as read and as the feed serves it, is the same.
  std::string id = json_str(r->body, "/id");
  check_server_values(c.Get(kAE + "/" + id, auth(key))->body, reference);
  check_server_values(json_at(c.Get(kAE + "/_history", auth(key))->body, "/entry/0/resource"),
                      reference);
}

TEST_CASE(
    "owned: an update with a decoy and forged sub-extensions keeps the server's values, "
    "reviews included") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  auto r = c.Post(kAE, auth_key(key, new_key()),
                  example_fhir("v5-01-incident-medication", "RJ1", "OWN-2"), kFhir);
  REQUIRE(r->status == 201);
  std::string id = json_str(r->body, "/id");
  std::string reference = metadata_of(r->body).find("ReferenceNumber")->second;

  auto h = auth(key);
  h.emplace("If-Match", "W/\"1\"");
  auto u = c.Put(kAE + "/" + id, h, forged_body("OWN-2"), kFhir);
  REQUIRE(u);
  REQUIRE(u->status == 200);
  check_server_values(u->body, reference);

  // A national review, then the client sends its forged review back: the review stands.
  auto review = c.Post("/admin/review/" + id, auth(s.admin_key),
                       "{\"ReviewStatus\":\"under-review\",\"ReviewComment\":\"national\"}",
                       "application/json");
  REQUIRE(review->status == 200);
  auto reviewed = metadata_of(review->body);
  CHECK(reviewed.find("ReviewStatus")->second == "under-review");
  h = auth(key);
  h.emplace("If-Match", "W/\"3\"");
  u = c.Put(kAE + "/" + id, h, forged_body("OWN-2"), kFhir);
  REQUIRE(u->status == 200);
  auto md = metadata_of(u->body);
  CHECK(md.count("ReviewStatus") == 1);
  CHECK(md.find("ReviewStatus")->second == "under-review");
  CHECK(md.find("ReviewComment")->second == "national");
  CHECK(md.find("ReferenceNumber")->second == reference);
  CHECK(md.find("RecordingRoute")->second == "API");
}

TEST_CASE("owned: a resource with two reference-metadata extensions is 400, alone or in a batch") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  std::string body = example_fhir("v5-01-incident-medication", "RJ1", "OWN-3");
  std::string real = "{\"url\":\"" + kMetadataUrl + "\",\"extension\":[";
  std::size_t at = body.find(real);
  REQUIRE(at != std::string::npos);
  std::string twice = body;
  twice.insert(at, real + kForged.substr(0, kForged.size() - 1) + "]},");

  auto r = c.Post(kAE, auth_key(key, new_key()), twice, kFhir);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(json_str(r->body, "/issue/0/details/coding/0/code") == "duplicate-extension");

  auto created = c.Post(kAE, auth_key(key, new_key()), body, kFhir);
  REQUIRE(created->status == 201);
  std::string id = json_str(created->body, "/id");
  auto h = auth(key);
  h.emplace("If-Match", "W/\"1\"");
  CHECK(c.Put(kAE + "/" + id, h, twice, kFhir)->status == 400);

  std::string bundle =
      "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"fullUrl\":"
      "\"urn:uuid:" +
      new_key() + "\",\"resource\":" + twice +
      ",\"request\":{\"method\":\"POST\",\"url\":\"AdverseEvent\"}},"
      "{\"resource\":" +
      twice + ",\"request\":{\"method\":\"PUT\",\"url\":\"AdverseEvent/" + id +
      "\",\"ifMatch\":\"W/\\\"1\\\"\"}}]}";
  auto b = c.Post("/adverse-event/fhir", auth(key), bundle, kFhir);
  REQUIRE(b->status == 200);
  CHECK(json_str(b->body, "/entry/0/response/status") == "400 Bad Request");
  CHECK(json_str(b->body, "/entry/1/response/status") == "400 Bad Request");
  CHECK(json_str(b->body, "/entry/0/response/outcome/issue/0/details/coding/0/code") ==
        "duplicate-extension");
  // Nothing but the one good create was stored.
  CHECK(json_size(c.Get(kAE + "/_history", auth(key))->body, "/entry") == 1);
}
