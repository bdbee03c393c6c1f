// The store on SQLite's own VFS, watched from below by a spy (wal_spy_vfs.hpp): no commit is
// published in the WAL index before its frames are in the file, and no WAL byte is written
// into frames already published, under synchronous FULL and NORMAL, for single and
// multi-frame commits, leases and completions alike.
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "powerloss_vfs.hpp"
#include "store/sqlite_db.hpp"
#include "wal_spy_vfs.hpp"

using namespace lfpse::store;
using namespace store_test;

namespace {

StoreOptions spied(StoreOptions::Synchronous mode) {
  StoreOptions o = with_taxonomies({});
  o.synchronous = mode;
  o.vfs = walspy::kVfsName;
  return o;
}

// Commits of every size: batches of 1 to 40 events (up to well over a hundred WAL frames, past
// the 16-frame runs of the removed layer's defect), single records, updates, claims and
// completions, with reads in between. Returns the number of write calls made.
int mixed_commits(Store& s, const std::string& prefix, int rounds) {
  static const int kSizes[] = {1, 13, 2, 16, 31, 5, 40, 3};
  int calls = 0, n = 0;
  for (int r = 0; r < rounds; ++r) {
    std::vector<std::string> batch;
    for (int i = 0; i < kSizes[r % 8]; ++i) batch.push_back(event(prefix + std::to_string(n++)));
    for (const auto& res : s.record_batch(batch)) REQUIRE(res.stored);
    s.record(event(prefix + std::to_string(n++)));
    s.update(event(prefix + std::to_string(n - 1), 2));
    auto ops = s.claim_due(7, 60000);
    std::vector<std::pair<ClaimedOp, Ack>> acks;
    for (auto& op : ops) acks.emplace_back(op, Ack{"N" + op.op_id, "1", std::nullopt, ""});
    s.complete_batch(acks);
    s.status_json();
    calls += 5;
  }
  return calls;
}

}  // namespace

TEST_CASE("WAL: no commit is published before its frames are in the file, FULL or NORMAL") {
  walspy::install();
  for (auto mode : {StoreOptions::Synchronous::Full, StoreOptions::Synchronous::Normal}) {
    const std::string sync = mode == StoreOptions::Synchronous::Full ? "FULL" : "NORMAL";
    CAPTURE(sync);
    walspy::reset();
    TempDir dir;
    int calls = 0;
    {
      auto s = Store::open(dir.file("spy.db"), spied(mode));
      calls = mixed_commits(*s, "W", 70);
      CHECK(s->integrity_check() == "ok");
    }
    walspy::Report r = walspy::report();
    MESSAGE(calls << " write calls, " << r.publications << " commits published");
    CHECK(r.publications >= 300);
    CHECK_MESSAGE(r.violations == 0, r.first);
  }
}

TEST_CASE("WAL: the spy catches a layer that writes a commit's page after SQLite published it") {
  // Its self-check: holding each commit frame's page until the write lock is released is what
  // the removed coalescing layer did to runs of 16 frames and more under NORMAL.
  walspy::install();
  walspy::reset();
  walspy::hold_commit_pages(true);
  TempDir dir;
  {
    auto s = Store::open(dir.file("held.db"), spied(StoreOptions::Synchronous::Normal));
    mixed_commits(*s, "H", 4);
  }
  walspy::hold_commit_pages(false);
  walspy::Report r = walspy::report();
  MESSAGE(r.first);
  CHECK(r.violations > 0);
}

TEST_CASE("leases: claims commit apart and never leave the records' commits unsynced") {
  // Each durable call syncs the WAL once; a claim (a lease a power cut may lose) syncs nothing,
  // and the records after any number of claims are synced as before.
  powerloss::install();
  powerloss::arm(-1);
  TempDir dir;
  StoreOptions o = with_taxonomies({});
  o.vfs = powerloss::kVfsName;
  auto s = Store::open(dir.file("lease.db"), o);
  for (int i = 0; i < 20; ++i) {
    int64_t before = powerloss::wal_syncs();
    s->record(event("L" + std::to_string(i)));
    CHECK(powerloss::wal_syncs() == before + 1);
    before = powerloss::wal_syncs();
    REQUIRE(s->claim_due(1, 60000).size() == 1);
    CHECK(powerloss::wal_syncs() == before);
  }
  CHECK(contains(s->status_json(), "\"sending\":20"));
  // A claim's lease does reach the file: another connection sees it.
  Db other(dir.file("lease.db"), {});
  CHECK(other.query_int("SELECT count(*) FROM operations WHERE state = 'sending'") == 20);
}
