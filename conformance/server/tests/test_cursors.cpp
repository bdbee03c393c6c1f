// Feed cursors belong to one organisation and tell nothing of the others: another
// organisation's cursor, and any cursor altered by hand, answer 410 cursor-expired.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "util.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

std::string next_cursor(httplib::Client& c, const std::string& key, const std::string& path) {
  auto page = c.Get(path, auth(key));
  REQUIRE(page);
  REQUIRE(page->status == 200);
  std::string next = json_str(page->body, "/link/0/url");
  std::size_t at = next.find("_cursor=");
  REQUIRE(at != std::string::npos);
  return next.substr(at + 8, next.find('&', at) - at - 8);
}

void create(httplib::Client& c, const std::string& key, const std::string& ods,
            const std::string& local_id) {
  auto r = c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", ods, local_id), kFhir);
  REQUIRE(r);
  REQUIRE(r->status == 201);
}

// The cursor with its position rewritten, as an attacker would: whatever the format shows of
// a number is changed (inside base64url when that is how the cursor is written).
std::string forge(const std::string& cursor, const std::string& position) {
  auto decoded = lfpse::server::base64url_decode(cursor);
  if (decoded && decoded->rfind("c1:", 0) == 0)
    return lfpse::server::base64url_encode(decoded->substr(0, decoded->rfind(':') + 1) + position);
  std::size_t a = cursor.find('.'), b = cursor.find('.', a + 1);
  REQUIRE(b != std::string::npos);
  return cursor.substr(0, a + 1) + position + cursor.substr(b);
}

void expect_expired(httplib::Client& c, const std::string& key, const std::string& cursor) {
  auto r = c.Get(kAE + "/_history?_cursor=" + lfpse::server::url_encode(cursor), auth(key));
  REQUIRE(r);
  CHECK_MESSAGE(r->status == 410, cursor);
  CHECK(json_str(r->body, "/issue/0/details/coding/0/code") == "cursor-expired");
  CHECK(json_size(r->body, "/entry") == 0);
}
}  // namespace

TEST_CASE("cursors: another organisation's activity changes nothing in a cursor") {
  ServerProcess s;
  auto c = s.client();
  const std::string rj1 = s.orgs[0].api_key, ryj = s.orgs[1].api_key;
  std::string before = next_cursor(c, rj1, kAE + "/_history");
  for (int i = 0; i < 5; ++i) create(c, ryj, "RYJ", "OTHER-" + std::to_string(i));
  CHECK(next_cursor(c, rj1, kAE + "/_history") == before);
  // Its own change moves it, and reading on from there gives nothing more.
  create(c, rj1, "RJ1", "MINE-1");
  std::string mine = next_cursor(c, rj1, kAE + "/_history");
  CHECK(mine != before);
  CHECK(next_cursor(c, rj1, kAE + "/_history?_cursor=" + mine) == mine);
}

TEST_CASE("cursors: another organisation's cursor is 410 cursor-expired, never a page") {
  ServerProcess s;
  auto c = s.client();
  const std::string rj1 = s.orgs[0].api_key, ryj = s.orgs[1].api_key;
  for (int i = 0; i < 3; ++i) create(c, rj1, "RJ1", "A-" + std::to_string(i));
  std::string theirs = next_cursor(c, ryj, kAE + "/_history");
  for (int i = 0; i < 3; ++i) create(c, ryj, "RYJ", "B-" + std::to_string(i));
  std::string theirs_later = next_cursor(c, ryj, kAE + "/_history");
  expect_expired(c, rj1, theirs);
  expect_expired(c, rj1, theirs_later);
  // The owner still reads with them.
  auto own = c.Get(kAE + "/_history?_cursor=" + theirs, auth(ryj));
  CHECK(own->status == 200);
  CHECK(json_size(own->body, "/entry") == 3);
}

TEST_CASE("cursors: a forged cursor (rewound, huge, negative, altered) is 410 cursor-expired") {
  ServerProcess s;
  auto c = s.client();
  const std::string rj1 = s.orgs[0].api_key;
  for (int i = 0; i < 4; ++i) create(c, rj1, "RJ1", "F-" + std::to_string(i));
  std::string cursor = next_cursor(c, rj1, kAE + "/_history?_count=2");
  for (const char* position : {"0", "1", "3", "999999999999999999", "9223372036854775807",
                               "99999999999999999999999", "-1", "-9223372036854775808", "", "x"})
    expect_expired(c, rj1, forge(cursor, position));
  // Every other last character, the spare bits of base64url's last one included.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (char ch : alphabet) {
    if (ch == cursor.back()) continue;
    std::string altered = cursor;
    altered.back() = ch;
    expect_expired(c, rj1, altered);
  }
  expect_expired(c, rj1, cursor + "A");
  expect_expired(c, rj1, std::string(5000, 'A'));
  // The real one still works.
  auto r = c.Get(kAE + "/_history?_cursor=" + cursor, auth(rj1));
  CHECK(r->status == 200);
  CHECK(json_size(r->body, "/entry") == 2);
}
