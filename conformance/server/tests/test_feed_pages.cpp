// A feed page is bounded in bytes (--feed-page-bytes): it ends early, and its next link
// resumes exactly after its last entry.
#include <doctest/doctest.h>

#include <set>

#include "harness.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

// An event padded with an extension under a foreign url (kept and served as sent).
std::string padded(const std::string& local_id, std::size_t pad) {
  std::string body = example_fhir("v5-05-risk", "RJ1", local_id);
  std::string ext = "\"extension\":[";
  std::size_t at = body.find(ext);
  REQUIRE(at != std::string::npos);
  body.insert(at + ext.size(), "{\"url\":\"https://vendor.example/padding\",\"valueString\":\"" +
                                   std::string(pad, 'p') + "\"},");
  return body;
}
}  // namespace

TEST_CASE("feed: a page ends at --feed-page-bytes and its next link resumes right after it") {
  ServerProcess s("", {"--no-rate-limit", "--feed-page-bytes", "20000"});
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    auto r =
        c.Post(kAE, auth_key(key, new_key()), padded("PAGE-" + std::to_string(i), 6000), kFhir);
    REQUIRE(r->status == 201);
    ids.push_back(json_str(r->body, "/id"));
  }
  // One event larger than a whole page still comes, alone.
  auto big = c.Post(kAE, auth_key(key, new_key()), padded("PAGE-BIG", 30000), kFhir);
  REQUIRE(big->status == 201);
  ids.push_back(json_str(big->body, "/id"));

  std::vector<std::string> seen;
  std::string path = kAE + "/_history?_count=1000";
  std::size_t pages = 0;
  for (; pages < 20; ++pages) {
    auto page = c.Get(path, auth(key));
    REQUIRE(page);
    REQUIRE(page->status == 200);
    std::size_t n = json_size(page->body, "/entry");
    if (n == 0) break;
    // Over the cap only when a single entry is larger than the cap by itself.
    if (n > 1) CHECK(page->body.size() < 20000 + 4000);
    for (std::size_t i = 0; i < n; ++i)
      seen.push_back(json_str(page->body, "/entry/" + std::to_string(i) + "/resource/id"));
    std::string next = json_str(page->body, "/link/0/url");
    REQUIRE(next.find(s.url) == 0);
    path = next.substr(s.url.size());
    CHECK(path.find("_count=1000") != std::string::npos);
  }
  CHECK(pages >= 3);
  CHECK(seen == ids);  // every change once, in order
  // A cap too small to hold a page's frame, or not a number, is refused at start.
  CHECK_THROWS(ServerProcess("", {"--feed-page-bytes", "100"}));
  CHECK_THROWS(ServerProcess("", {"--feed-page-bytes", "-1"}));
}
