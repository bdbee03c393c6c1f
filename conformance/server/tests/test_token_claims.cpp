// The token endpoint's audience is the configured public URL, never the Host header, and the
// assertion's exp and nbf are checked without overflow (API.md: Authentication).
#include <doctest/doctest.h>

#include <cstdint>

#include "harness.hpp"
#include "util.hpp"

using namespace lfpse::server::test;
using lfpse::server::now_ms;

namespace {
const char* kForm = "application/x-www-form-urlencoded";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";
const std::string kRs512 = "{\"alg\":\"RS512\",\"typ\":\"JWT\"}";

std::string form_for(const std::string& jwt) {
  return "grant_type=client_credentials&client_assertion_type=" +
         lfpse::server::url_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
         "&client_assertion=" + lfpse::server::url_encode(jwt);
}

std::string assertion(const DemoOrg& o, const std::string& aud, const std::string& time_claims) {
  std::string claims = "{\"iss\":\"" + o.client_id + "\",\"sub\":\"" + o.client_id +
                       "\",\"aud\":\"" + aud + "\"," + time_claims + ",\"jti\":\"" + new_key() +
                       "\"}";
  return make_jwt(o.private_key_pem, kRs512, claims);
}

std::string exp_in(int64_t seconds) {
  return "\"exp\":" + std::to_string(now_ms() / 1000 + seconds);
}

// The exp whose exp * 1000 wraps around (two's complement) to a millisecond instant a minute
// from now: near INT64_MAX, the value that slipped through an unchecked multiplication.
int64_t wrapping_exp() {
  uint64_t target = static_cast<uint64_t>(now_ms() + 60000) & ~uint64_t{7};
  // 1000 x = target (mod 2^64)  <=>  125 x = target / 8 (mod 2^61); 125 is odd, so invertible.
  uint64_t inv = 1;
  for (int i = 0; i < 6; ++i) inv *= 2 - 125 * inv;  // Newton: inverse of 125 mod 2^64
  uint64_t x = ((target / 8) * inv) & ((uint64_t{1} << 61) - 1);
  x += uint64_t{3} << 61;  // the same residue, near INT64_MAX
  REQUIRE(x * 1000 == target);
  REQUIRE(x <= static_cast<uint64_t>(INT64_MAX));
  return static_cast<int64_t>(x);
}
}  // namespace

TEST_CASE("token: an assertion made for the Host header's token URL is refused") {
  ServerProcess s;
  auto c = s.client();
  const DemoOrg& o = s.orgs[0];
  for (const std::string host : {"evil.example", "evil.example:443", "127.0.0.1:1"}) {
    std::string jwt = assertion(o, "http://" + host + "/oauth2/token", exp_in(120));
    auto r = c.Post("/oauth2/token", {{"Host", host}}, form_for(jwt), kForm);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, host);
    CHECK(json_str(r->body, "/error") == "invalid_client");
  }
  // The configured URL (here the listen URL) is accepted whatever the Host header says.
  auto ok = c.Post("/oauth2/token", {{"Host", "evil.example"}},
                   form_for(assertion(o, s.token_url, exp_in(120))), kForm);
  CHECK(ok->status == 200);
}

TEST_CASE("token: links are written under the public URL, not the Host header") {
  ServerProcess s;
  auto c = s.client();
  auto page = c.Get(kAE + "/_history",
                    {{"Ocp-Apim-Subscription-Key", s.orgs[0].api_key}, {"Host", "evil.example"}});
  REQUIRE(page);
  REQUIRE(page->status == 200);
  std::string next = json_str(page->body, "/link/0/url");
  CHECK(next.rfind(s.url + kAE + "/_history?_cursor=", 0) == 0);
  CHECK(next.find("evil") == std::string::npos);
}

TEST_CASE("token: --public-url is the audience and the base of the feed's links") {
  const std::string pub = "https://lfpse.example/national";
  ServerProcess s("", {"--no-rate-limit", "--public-url", pub + "/"});
  CHECK(s.token_url == pub + "/oauth2/token");
  auto c = s.client();
  const DemoOrg& o = s.orgs[0];
  auto ok =
      c.Post("/oauth2/token", form_for(assertion(o, pub + "/oauth2/token", exp_in(120))), kForm);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  // The listen URL is no longer an audience.
  auto listen =
      c.Post("/oauth2/token", form_for(assertion(o, s.url + "/oauth2/token", exp_in(120))), kForm);
  CHECK(listen->status == 400);
  auto page = c.Get(kAE + "/_history", auth(o.api_key));
  std::string next = json_str(page->body, "/link/0/url");
  CHECK(next.rfind(pub + kAE + "/_history?_cursor=", 0) == 0);
  // A public URL that is not one is refused at start.
  CHECK_THROWS(ServerProcess("", {"--public-url", "lfpse.example"}));
  CHECK_THROWS(ServerProcess("", {"--public-url", "https://lfpse.example/?a=b"}));
}

TEST_CASE("token: an exp near INT64_MAX that wraps around into the window is refused") {
  ServerProcess s;
  auto c = s.client();
  const DemoOrg& o = s.orgs[0];
  for (int64_t exp :
       {wrapping_exp(), INT64_MAX, INT64_MAX / 1000 + 1, INT64_MIN, now_ms() / 1000 + 3600}) {
    auto r = c.Post("/oauth2/token",
                    form_for(assertion(o, s.token_url, "\"exp\":" + std::to_string(exp))), kForm);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, exp);
    CHECK(json_str(r->body, "/error") == "invalid_client");
  }
  CHECK(c.Post("/oauth2/token", form_for(assertion(o, s.token_url, exp_in(240))), kForm)->status ==
        200);
}

TEST_CASE("token: an assertion whose nbf is in the future is refused, a past nbf is fine") {
  ServerProcess s;
  auto c = s.client();
  const DemoOrg& o = s.orgs[0];
  const int64_t now = now_ms() / 1000;
  for (int64_t nbf : {now + 120, now + 3600, INT64_MAX}) {
    auto r =
        c.Post("/oauth2/token",
               form_for(assertion(o, s.token_url, exp_in(240) + ",\"nbf\":" + std::to_string(nbf))),
               kForm);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, nbf);
    CHECK(json_str(r->body, "/error") == "invalid_client");
  }
  auto bad = c.Post("/oauth2/token",
                    form_for(assertion(o, s.token_url, exp_in(240) + ",\"nbf\":\"soon\"")), kForm);
  CHECK(bad->status == 400);
  auto ok = c.Post(
      "/oauth2/token",
      form_for(assertion(o, s.token_url, exp_in(240) + ",\"nbf\":" + std::to_string(now - 10))),
      kForm);
  CHECK(ok->status == 200);
}
