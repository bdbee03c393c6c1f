// Concurrent requests: idempotency keys, If-Match, and paging while changes land.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

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
