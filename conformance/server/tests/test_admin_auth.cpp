// The server's extras (admin events, reviews, faults) and the token endpoint.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "harness.hpp"
#include "util.hpp"

using namespace lfpse::server::test;
using lfpse::server::now_ms;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";
const char* kForm = "application/x-www-form-urlencoded";

std::string form_for(const std::string& jwt) {
  return "grant_type=client_credentials&client_assertion_type=" +
         lfpse::server::url_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
         "&client_assertion=" + lfpse::server::url_encode(jwt);
}

std::string claims(const std::string& client, const std::string& aud, int64_t exp_s,
                   const std::string& jti) {
  return "{\"iss\":\"" + client + "\",\"sub\":\"" + client + "\",\"aud\":\"" + aud +
         "\",\"exp\":" + std::to_string(exp_s) + ",\"jti\":\"" + jti + "\"}";
}

const std::string kRs512 = "{\"alg\":\"RS512\",\"typ\":\"JWT\"}";
}  // namespace

TEST_CASE("admin: an event recorded as through the online form appears in the feed as OIR") {
  ServerProcess s;
  auto c = s.client();
  std::string doc = example_event("v5-05-risk", "RYJ", "FORM-1");
  auto r = c.Post("/admin/events", {{"Ocp-Apim-Subscription-Key", s.admin_key}}, doc,
                  "application/json");
  REQUIRE(r);
  CHECK(r->status == 201);
  std::string id = json_str(r->body, "/id");
  CHECK(r->body.find("{\"url\":\"RecordingRoute\",\"valueCode\":\"OIR\"}") != std::string::npos);
  CHECK(json_str(r->body, "/identifier/system") == "urn:lfpse:national:RYJ");
  CHECK(json_str(r->body, "/identifier/value") == id);
  auto feed = c.Get(kAE + "/_history", auth(s.orgs[1].api_key));
  CHECK(json_str(feed->body, "/entry/0/resource/id") == id);
  // Not in another organisation's feed.
  auto other = c.Get(kAE + "/_history", auth(s.orgs[0].api_key));
  CHECK(json_size(other->body, "/entry") == 0);
  // An unknown organisation.
  auto bad = c.Post("/admin/events", {{"Ocp-Apim-Subscription-Key", s.admin_key}},
                    example_event("v5-05-risk", "ZZZ99", "FORM-2"), "application/json");
  CHECK(bad->status == 422);
}

TEST_CASE("admin: a review bumps the version and reaches the feed as a PUT") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  auto created =
      c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", "RJ1", "REV-1"), kFhir);
  std::string id = json_str(created->body, "/id");
  auto r = c.Post("/admin/review/" + id, {{"Ocp-Apim-Subscription-Key", s.admin_key}},
                  "{\"ReviewStatus\":\"under-review\",\"ReviewComment\":\"Looking at it\"}",
                  "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json_str(r->body, "/meta/versionId") == "2");
  CHECK(r->body.find("{\"url\":\"ReviewStatus\",\"valueCode\":\"under-review\"}") !=
        std::string::npos);
  auto feed = c.Get(kAE + "/_history", auth(key));
  CHECK(json_str(feed->body, "/entry/1/request/method") == "PUT");
  CHECK(json_str(feed->body, "/entry/1/response/status") == "200");
  // The client's update keeps the server's review fields.
  auto h = auth(key);
  h.emplace("If-Match", "W/\"2\"");
  auto u = c.Put(kAE + "/" + id, h, example_fhir("v5-05-risk", "RJ1", "REV-1"), kFhir);
  CHECK(u->status == 200);
  CHECK(u->body.find("{\"url\":\"ReviewStatus\",\"valueCode\":\"under-review\"}") !=
        std::string::npos);
  CHECK(c.Post("/admin/review/nope", {{"Ocp-Apim-Subscription-Key", s.admin_key}},
               "{\"ReviewStatus\":\"closed\"}", "application/json")
            ->status == 404);
  CHECK(c.Post("/admin/review/" + id, {{"Ocp-Apim-Subscription-Key", s.admin_key}},
               "{\"ReviewStatus\":\"bogus\"}", "application/json")
            ->status == 400);
}

TEST_CASE(
    "admin: fault rules answer a status, delay, and drop connections before or after the commit") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  const httplib::Headers admin{{"Ocp-Apim-Subscription-Key", s.admin_key}};
  auto set = [&](const std::string& rules) {
    return c.Post("/admin/faults", admin, "{\"rules\":[" + rules + "]}", "application/json")
        ->status;
  };
  CHECK(set("{\"method\":\"GET\",\"path_prefix\":\"/taxonomy\",\"action\":\"status\",\"times\":2,"
            "\"status\":503,\"retry_after\":7}") == 204);
  auto r = c.Get("/taxonomy", auth(key));
  CHECK(r->status == 503);
  CHECK(r->get_header_value("Retry-After") == "7");
  CHECK(c.Get("/taxonomy", auth(key))->status == 503);
  CHECK(c.Get("/taxonomy", auth(key))->status == 200);

  CHECK(set("{\"method\":\"GET\",\"path_prefix\":\"/"
            "taxonomy\",\"action\":\"delay_ms\",\"delay_ms\":300}") == 204);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(c.Get("/taxonomy", auth(key))->status == 200);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(300));

  // reset_before: nothing is stored.
  std::string body = example_fhir("v5-05-risk", "RJ1", "FAULT-1");
  std::string k1 = new_key();
  CHECK(set("{\"method\":\"POST\",\"path_prefix\":\"" + kAE + "\",\"action\":\"reset_before\"}") ==
        204);
  auto dropped = c.Post(kAE, auth_key(key, k1), body, kFhir);
  CHECK(!dropped);
  CHECK(json_size(c.Get(kAE + "/_history", auth(key))->body, "/entry") == 0);
  // reset_after: stored, the answer lost; the retry with the same key is the replay.
  CHECK(set("{\"method\":\"POST\",\"path_prefix\":\"" + kAE + "\",\"action\":\"reset_after\"}") ==
        204);
  auto lost = c.Post(kAE, auth_key(key, k1), body, kFhir);
  CHECK(!lost);
  CHECK(json_size(c.Get(kAE + "/_history", auth(key))->body, "/entry") == 1);
  auto retry = c.Post(kAE, auth_key(key, k1), body, kFhir);
  CHECK(retry->status == 200);

  CHECK(set("{\"action\":\"status\",\"status\":500,\"times\":5}") == 204);
  CHECK(c.Delete("/admin/faults", admin)->status == 204);
  CHECK(c.Get("/taxonomy", auth(key))->status == 200);
  CHECK(set("{\"action\":\"explode\"}") == 400);
}

TEST_CASE("auth: a signed RS512 assertion gets a bearer token that works and expires") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--token-ttl", "2"});
  auto c = s.client();
  const DemoOrg& o = s.orgs[0];
  int64_t exp = now_ms() / 1000 + 120;
  std::string jwt =
      make_jwt(o.private_key_pem, kRs512, claims(o.client_id, s.token_url, exp, new_key()));
  auto r = c.Post("/oauth2/token", form_for(jwt), kForm);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json_str(r->body, "/token_type") == "Bearer");
  CHECK(json_at(r->body, "/expires_in") == "2");
  std::string token = json_str(r->body, "/access_token");
  httplib::Headers bearer{{"Authorization", "Bearer " + token}};
  CHECK(c.Get("/taxonomy", bearer)->status == 200);
  // The token's organisation is the client's.
  auto created = c.Post(kAE, {{"Authorization", "Bearer " + token}, {"Idempotency-Key", new_key()}},
                        example_fhir("v5-05-risk", "RJ1", "JWT-1"), kFhir);
  CHECK(created->status == 201);
  // Replayed jti.
  auto replay = c.Post("/oauth2/token", form_for(jwt), kForm);
  CHECK(replay->status == 400);
  CHECK(json_str(replay->body, "/error") == "invalid_client");
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  auto expired = c.Get("/taxonomy", bearer);
  CHECK(expired->status == 401);
  CHECK(expired->get_header_value("WWW-Authenticate") == "Bearer error=\"invalid_token\"");
}

TEST_CASE("auth: bad assertions are invalid_client, bad requests invalid_request") {
  ServerProcess s;
  auto c = s.client();
  const DemoOrg& o = s.orgs[0];
  int64_t now = now_ms() / 1000;
  auto expect = [&](const std::string& form, const char* error, const char* what) {
    INFO(what);
    auto r = c.Post("/oauth2/token", form, kForm);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json_str(r->body, "/error") == error);
    CHECK(!json_str(r->body, "/error_description").empty());
  };
  std::string good_claims = claims(o.client_id, s.token_url, now + 60, new_key());
  std::string hs = lfpse::server::base64url_encode("{\"alg\":\"HS512\"}") + "." +
                   lfpse::server::base64url_encode(good_claims) + ".c2ln";
  expect(form_for(hs), "invalid_client", "wrong alg");
  std::string none = lfpse::server::base64url_encode("{\"alg\":\"none\"}") + "." +
                     lfpse::server::base64url_encode(good_claims) + ".";
  expect(form_for(none), "invalid_client", "alg none");
  // Signed by another organisation's key.
  expect(form_for(make_jwt(s.orgs[1].private_key_pem, kRs512, good_claims)), "invalid_client",
         "bad signature");
  expect(form_for(make_jwt(o.private_key_pem, kRs512,
                           claims(o.client_id, s.token_url, now - 120, new_key()))),
         "invalid_client", "expired");
  expect(form_for(make_jwt(o.private_key_pem, kRs512,
                           claims(o.client_id, s.token_url, now + 3600, new_key()))),
         "invalid_client", "exp too far ahead");
  expect(form_for(make_jwt(o.private_key_pem, kRs512,
                           claims(o.client_id, "https://elsewhere/token", now + 60, new_key()))),
         "invalid_client", "wrong audience");
  expect(form_for(make_jwt(o.private_key_pem, kRs512,
                           claims("nobody", s.token_url, now + 60, new_key()))),
         "invalid_client", "unknown client");
  expect(form_for("not.a.jwt"), "invalid_client", "garbage");
  expect("grant_type=password", "unsupported_grant_type", "grant type");
  expect("grant_type=client_credentials", "invalid_request", "missing assertion");
  auto r = c.Post("/oauth2/token", "{}", "application/json");
  CHECK(r->status == 415);
}

TEST_CASE("auth: a restart neither lets a used jti be replayed nor voids an issued token") {
  std::string dir = make_temp_dir();
  std::string db = dir + "/tokens.db";
  std::string jwt, token, old_host;
  {
    ServerProcess s(db);
    const DemoOrg& o = s.orgs[0];
    int64_t exp = now_ms() / 1000 + 120;
    jwt = make_jwt(o.private_key_pem, kRs512, claims(o.client_id, s.token_url, exp, new_key()));
    auto r = s.client().Post("/oauth2/token", form_for(jwt), kForm);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    token = json_str(r->body, "/access_token");
    old_host = s.host + ":" + std::to_string(s.port);
    CHECK(s.stop() == 0);
  }
  // The restarted server has another port; its public URL names the old one, so the
  // assertion's aud still matches and only its jti can refuse it.
  ServerProcess s(db, {"--no-rate-limit", "--public-url", "http://" + old_host});
  auto c = s.client();
  httplib::Headers bearer{{"Authorization", "Bearer " + token}};
  CHECK(c.Get("/taxonomy", bearer)->status == 200);
  auto replay = c.Post("/oauth2/token", form_for(jwt), kForm);
  REQUIRE(replay);
  CHECK(replay->status == 400);
  CHECK(json_str(replay->body, "/error") == "invalid_client");
  CHECK(json_str(replay->body, "/error_description").find("jti") != std::string::npos);
}
