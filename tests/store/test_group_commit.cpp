// Group commit, observed from outside: concurrent recorders share WAL syncs, and a call that
// returned is on disk even when the power goes while the others are still committing.
#include <doctest/doctest.h>

#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "powerloss_vfs.hpp"
#include "store/sqlite_db.hpp"

using namespace lfpse::store;
using namespace store_test;

namespace {

constexpr int kThreads = 8;

StoreOptions through_vfs() {
  StoreOptions o = with_taxonomies({});
  o.vfs = powerloss::kVfsName;
  return o;
}

// Eight threads record `each` events apiece until done or a call fails; returns the ids of
// the calls that returned success.
std::vector<std::string> record_at_once(Store& s, const std::string& prefix, int each) {
  std::mutex m;
  std::vector<std::string> returned;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) {
        std::string id = prefix + std::to_string(t) + "-" + std::to_string(i);
        try {
          if (!s.record(event(id)).stored) return;
        } catch (const std::exception&) {
          return;  // the power is off: this call did not return success
        }
        std::lock_guard<std::mutex> lock(m);
        returned.push_back(id);
      }
    });
  for (auto& th : threads) th.join();
  return returned;
}

}  // namespace

TEST_CASE("group commit: eight threads recording at once share fsyncs") {
  powerloss::install();
  powerloss::arm(-1);
  powerloss::set_sync_delay_us(2000);  // a slow disk, so that callers do meet
  TempDir dir;
  auto s = Store::open(dir.file("g.db"), through_vfs());
  constexpr int kEach = 20;
  int64_t before = powerloss::wal_syncs();
  auto returned = record_at_once(*s, "G", kEach);
  int64_t syncs = powerloss::wal_syncs() - before;
  powerloss::set_sync_delay_us(0);
  MESSAGE(returned.size() << " durable calls, " << syncs << " WAL syncs");
  REQUIRE(returned.size() == kThreads * kEach);
  CHECK(syncs > 0);
  CHECK(syncs * 2 <= static_cast<int64_t>(returned.size()));  // at least two calls per sync
  CHECK(contains(s->status_json(), "\"queued\":" + std::to_string(kThreads * kEach)));
}

TEST_CASE("group commit: callers that come straight back share the next commit again") {
  // The callers of one commit, woken together, come back together: a leader that waited only
  // for the calls already announced would take the first one or two and leave the rest to the
  // commit after, splitting the group in two.
  powerloss::install();
  powerloss::arm(-1);
  // A slow disk: the leader then waits long enough for the others even in a sanitizer build on
  // a loaded machine, where preparing eight events takes milliseconds.
  powerloss::set_sync_delay_us(5000);
  TempDir dir;
  auto s = Store::open(dir.file("g.db"), through_vfs());
  constexpr int kEach = 20;
  // A first round lets the leader learn how long a commit takes (it waits no longer than that).
  REQUIRE(record_at_once(*s, "W", 5).size() == kThreads * 5);
  int64_t before = powerloss::wal_syncs();
  auto returned = record_at_once(*s, "B", kEach);
  int64_t syncs = powerloss::wal_syncs() - before;
  powerloss::set_sync_delay_us(0);
  const double per_sync = static_cast<double>(returned.size()) / static_cast<double>(syncs);
  MESSAGE(returned.size() << " durable calls, " << syncs << " WAL syncs, " << per_sync
                          << " calls per sync");
  REQUIRE(returned.size() == kThreads * kEach);
  CHECK(per_sync >= 0.8 * kThreads);
}

TEST_CASE("group commit: every call that returned survives a power cut during shared commits") {
  powerloss::install();
  powerloss::set_sync_delay_us(500);
  TempDir dir;
  std::mt19937 rng(23);
  int checked = 0, lost = 0;
  for (int cut = 0; cut < 12; ++cut) {
    std::string path = dir.file("cut-" + std::to_string(cut) + ".db");
    std::vector<std::string> returned;
    {
      auto s = Store::open(path, through_vfs());
      powerloss::arm(20 + static_cast<int64_t>(rng() % 150));
      returned = record_at_once(*s, "C" + std::to_string(cut) + "-", 40);
    }
    powerloss::power_loss(rng, path);
    Db db(path, {});
    REQUIRE(db.query_text("PRAGMA integrity_check") == "ok");
    Stmt st(db,
            "SELECT count(*) FROM events e JOIN operations o ON o.local_id = e.local_id "
            "WHERE e.local_id = ?1 AND o.kind = 'create'");
    for (const auto& id : returned) {
      st.reset();
      st.bind(1, id);
      if (!st.step() || st.int_at(0) != 1) ++lost;
      ++checked;
    }
  }
  powerloss::set_sync_delay_us(0);
  MESSAGE(checked << " calls returned before the cuts, " << lost << " lost");
  CHECK(checked > 0);
  CHECK(lost == 0);
}
