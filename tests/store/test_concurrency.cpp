// Several threads on one store, and two processes on one file.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "core/error.hpp"
#include "helpers.hpp"

using namespace lfpse::store;
using namespace store_test;

TEST_CASE("concurrency: eight threads record, claim and complete on one store") {
  TempDir dir;
  auto s = Store::open(dir.file("t.db"), with_taxonomies({}));
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string id = "T" + std::to_string(t) + "-" + std::to_string(i);
        REQUIRE(s->record(event(id)).stored);
        if (i % 5 == 0) s->update(event(id, 2));
        s->status_json();
      }
    });
  for (auto& th : threads) th.join();
  CHECK(contains(s->status_json(), "\"queued\":" + std::to_string(kThreads * kEach)));

  // Concurrent senders never get the same operation.
  std::mutex m;
  std::set<std::string> seen;
  int duplicates = 0;
  threads.clear();
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (;;) {
        auto ops = s->claim_due(7, 60000);
        if (ops.empty()) return;
        for (auto& op : ops) {
          {
            std::lock_guard<std::mutex> lock(m);
            if (!seen.insert(op.op_id).second) ++duplicates;
          }
          s->complete(op.op_id, op.lease_token,
                      Ack{"N-" + op.local_id, std::to_string(op.revision), std::nullopt, ""});
        }
      }
    });
  for (auto& th : threads) th.join();
  CHECK(duplicates == 0);
  CHECK(seen.size() == kThreads * kEach + kThreads * 5);
  CHECK(contains(s->status_json(), "\"acknowledged\":" + std::to_string(kThreads * kEach)));
}

TEST_CASE("concurrency: two processes record into one file and claim without overlap") {
  TempDir dir;
  std::string path = dir.file("p.db");
  { Store::open(path, with_taxonomies({})); }  // created before the fork, then closed
  constexpr int kEach = 40;
  int fds[2][2];
  pid_t pids[2];
  for (int p = 0; p < 2; ++p) {
    REQUIRE(pipe(fds[p]) == 0);
    pids[p] = fork();
    REQUIRE(pids[p] >= 0);
    if (pids[p] == 0) {
      close(fds[p][0]);
      int rc = 0;
      try {
        auto s = Store::open(path, with_taxonomies({}));
        for (int i = 0; i < kEach; ++i)
          s->record(event("P" + std::to_string(p) + "-" + std::to_string(i)));
        // Both processes drain the shared queue; each writes what it claimed.
        for (;;) {
          auto ops = s->claim_due(3, 60000);
          if (ops.empty()) break;
          for (auto& op : ops) {
            std::string line = op.op_id + "\n";
            if (write(fds[p][1], line.data(), line.size()) < 0) rc = 3;
            s->complete(op.op_id, op.lease_token, Ack{"N-" + op.local_id, "1", std::nullopt, ""});
          }
        }
      } catch (...) {
        rc = 2;
      }
      _exit(rc);
    }
    close(fds[p][1]);
  }
  std::multiset<std::string> claimed;
  for (int p = 0; p < 2; ++p) {
    std::string all;
    char buf[4096];
    for (ssize_t n; (n = read(fds[p][0], buf, sizeof buf)) > 0;)
      all.append(buf, static_cast<std::size_t>(n));
    close(fds[p][0]);
    for (std::size_t at = 0, nl; (nl = all.find('\n', at)) != std::string::npos; at = nl + 1)
      claimed.insert(all.substr(at, nl - at));
    int status = 0;
    waitpid(pids[p], &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  std::set<std::string> unique(claimed.begin(), claimed.end());
  CHECK(unique.size() == claimed.size());
  auto s = Store::open(path, with_taxonomies({}));
  CHECK(s->integrity_check() == "ok");
  std::string status = s->status_json();
  // Whatever one process left queued after the other finished is still due.
  int64_t sent = static_cast<int64_t>(claimed.size());
  CHECK(sent + static_cast<int64_t>(s->claim_due(1000, 1000).size()) == 2 * kEach);
}
