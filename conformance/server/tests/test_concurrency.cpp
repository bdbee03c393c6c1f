// Concurrent requests: idempotency keys, If-Match, and paging while changes land.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "harness.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";
}  // namespace

TEST_CASE("concurrency: 32 parallel creates with one idempotency key make one event") {
  ServerProcess s;
  const std::string key = s.orgs[0].api_key;
  const std::string ikey = new_key();
  const std::string body = example_fhir("v5-01-incident-medication", "RJ1", "SAME-KEY");
  std::mutex m;
  std::vector<int> statuses;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      auto c = s.client();
      auto r = c.Post(kAE, auth_key(key, ikey), body, kFhir);
      std::lock_guard<std::mutex> lock(m);
      statuses.push_back(r ? r->status : -static_cast<int>(r.error()));
      if (r) ids.insert(json_str(r->body, "/id"));
    });
  }
  for (auto& t : threads) t.join();
  std::string all;
  for (int st : statuses) all += std::to_string(st) + " ";
  INFO("statuses: " << all);
  CHECK(std::count(statuses.begin(), statuses.end(), 201) == 1);
  CHECK(std::count(statuses.begin(), statuses.end(), 200) == 31);
  CHECK(ids.size() == 1);
  auto feed = s.client().Get(kAE + "/_history", auth(key));
  CHECK(json_size(feed->body, "/entry") == 1);
}

TEST_CASE("concurrency: parallel updates with the same If-Match: one wins, the rest 412") {
  ServerProcess s;
  const std::string key = s.orgs[0].api_key;
  const std::string body = example_fhir("v5-05-risk", "RJ1", "RACE-1");
  auto created = s.client().Post(kAE, auth_key(key, new_key()), body, kFhir);
  REQUIRE(created->status == 201);
  std::string id = json_str(created->body, "/id");
  std::atomic<int> ok{0}, stale{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      auto c = s.client();
      auto h = auth(key);
      h.emplace("If-Match", "W/\"1\"");
      auto r = c.Put(kAE + "/" + id, h, body, kFhir);
      if (r && r->status == 200)
        ++ok;
      else if (r && r->status == 412)
        ++stale;
      else
        ++other;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 1);
  CHECK(stale == 15);
  CHECK(other == 0);
}

TEST_CASE("concurrency: paging the feed while others write loses and repeats nothing") {
  ServerProcess s;
  const std::string key = s.orgs[0].api_key;
  constexpr int kWriters = 4, kPerWriter = 40;
  std::atomic<bool> done{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto c = s.client();
      for (int i = 0; i < kPerWriter; ++i) {
        std::string local = "PAGE-" + std::to_string(w) + "-" + std::to_string(i);
        auto r =
            c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", "RJ1", local), kFhir);
        if (r && r->status == 201 && i % 5 == 0)
          c.Delete(kAE + "/" + json_str(r->body, "/id"), auth(key));
      }
    });
  }
  std::thread stopper([&] {
    for (auto& t : writers) t.join();
    done = true;
  });
  auto c = s.client();
  std::vector<std::string> seen;  // "id/version", in feed order
  std::string path = kAE + "/_history?_count=7";
  std::string last_modified;
  bool ordered = true;
  for (;;) {
    bool finished = done.load();
    auto page = c.Get(path, auth(key));
    REQUIRE(page);
    REQUIRE(page->status == 200);
    std::size_t n = json_size(page->body, "/entry");
    for (std::size_t i = 0; i < n; ++i) {
      std::string e = "/entry/" + std::to_string(i);
      std::string url = json_str(page->body, e + "/fullUrl");
      seen.push_back(url.substr(url.rfind('/') + 1) + "/" +
                     json_str(page->body, e + "/response/etag"));
      std::string lm = json_str(page->body, e + "/response/lastModified");
      ordered = ordered && lm >= last_modified;
      last_modified = lm;
    }
    std::string next = json_str(page->body, "/link/0/url");
    path = next.substr(next.find("/adverse-event"));
    if (finished && n < 7) break;
  }
  stopper.join();
  std::set<std::string> unique(seen.begin(), seen.end());
  CHECK(unique.size() == seen.size());
  CHECK(seen.size() == kWriters * kPerWriter + kWriters * (kPerWriter / 5));
  CHECK(ordered);
}

namespace {
// "lfpse-server: stopped: W writes in C commits" from a stopped server's stderr.
std::pair<long, long> writes_and_commits(const ServerProcess& s) {
  std::string log = read_text(s.dir + "/stderr.log");
  std::size_t at = log.rfind("stopped: ");
  if (at == std::string::npos) return {-1, -1};
  long writes = -1, commits = -1;
  std::sscanf(log.c_str() + at, "stopped: %ld writes in %ld commits", &writes, &commits);
  return {writes, commits};
}
}  // namespace

TEST_CASE("concurrency: a batch's entries share one commit and still apply in order") {
  ServerProcess idle;
  REQUIRE(idle.stop() == 0);
  auto start = writes_and_commits(idle);  // what start-up alone writes
  REQUIRE(start.first >= 0);

  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  auto created =
      c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", "RJ1", "G-0"), kFhir);
  REQUIRE(created->status == 201);
  std::string id = json_str(created->body, "/id");
  std::string put = "{\"resource\":" + created->body +
                    ",\"request\":{\"method\":\"PUT\",\"url\":\"AdverseEvent/" + id +
                    "\",\"ifMatch\":\"W/\\\"1\\\"\"}}";
  std::string bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[";
  for (int i = 0; i < 8; ++i) {
    bundle += "{\"fullUrl\":\"urn:uuid:" + new_key() +
              "\",\"resource\":" + example_fhir("v5-05-risk", "RJ1", "G-" + std::to_string(i + 1)) +
              ",\"request\":{\"method\":\"POST\",\"url\":\"AdverseEvent\"}},";
  }
  // The same local id again: the entry before it is already visible to it.
  bundle += "{\"fullUrl\":\"urn:uuid:" + new_key() +
            "\",\"resource\":" + example_fhir("v5-05-risk", "RJ1", "G-8") +
            ",\"request\":{\"method\":\"POST\",\"url\":\"AdverseEvent\"}},";
  bundle += put + "," + put + "]}";  // the second PUT meets the first's new version
  auto r = c.Post("/adverse-event/fhir", auth(key), bundle, kFhir);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  for (int i = 0; i < 8; ++i)
    CHECK(json_str(r->body, "/entry/" + std::to_string(i) + "/response/status") == "201 Created");
  CHECK(json_str(r->body, "/entry/8/response/status") == "409 Conflict");
  CHECK(json_str(r->body, "/entry/9/response/status") == "200 OK");
  CHECK(json_str(r->body, "/entry/10/response/status") == "412 Precondition Failed");
  REQUIRE(s.stop() == 0);
  auto end = writes_and_commits(s);
  // One create, then one batch of 11 entries: 12 writes in 2 commits.
  CHECK(end.first - start.first == 12);
  CHECK(end.second - start.second == 2);
}
