// SIGKILL during a load of creates: every acknowledged event survives, the database is sound.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "harness.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

std::string integrity(const std::string& db) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}
}  // namespace

TEST_CASE("crash: after SIGKILL under load every 201 is there and integrity_check is ok") {
  std::string dir = make_temp_dir();
  std::string db = dir + "/crash.db";
  std::vector<std::string> acknowledged;
  std::string key;
  {
    ServerProcess s(db);
    key = s.orgs[0].api_key;
    std::mutex m;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        auto c = s.client();
        for (int i = 0; !stop; ++i) {
          auto r = c.Post(kAE, auth_key(key, new_key()),
                          example_fhir("v5-01-incident-medication", "RJ1",
                                       "CRASH-" + std::to_string(t) + "-" + std::to_string(i)),
                          kFhir);
          if (r && r->status == 201) {
            std::lock_guard<std::mutex> lock(m);
            acknowledged.push_back(json_str(r->body, "/id"));
          }
          if (!r) break;
        }
      });
    }
    // The kill comes once 20 creates are acknowledged, however slow the build (a sanitizer),
    // while the eight clients are still sending.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(m);
        if (acknowledged.size() >= 20) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    s.kill9();
    stop = true;
    for (auto& t : threads) t.join();
  }
  CHECK(acknowledged.size() >= 20);
  CHECK(integrity(db) == "ok");
  ServerProcess s(db);
  CHECK(s.orgs[0].api_key == key);
  auto c = s.client();
  std::size_t found = 0;
  for (const auto& id : acknowledged)
    found += c.Get(kAE + "/" + id, auth(key))->status == 200 ? 1 : 0;
  CHECK(found == acknowledged.size());
  CHECK(s.stop() == 0);
  CHECK(integrity(db) == "ok");
}

TEST_CASE("crash: SIGTERM lets in-flight creates finish and exits 0") {
  ServerProcess s;
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  const std::string key = s.orgs[0].api_key;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto c = s.client();
      auto r = c.Post(kAE, auth_key(key, new_key()),
                      example_fhir("v5-05-risk", "RJ1", "TERM-" + std::to_string(t)), kFhir);
      (r && r->status == 201 ? ok : failed)++;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(s.stop() == 0);
  CHECK(ok == 8);
}
