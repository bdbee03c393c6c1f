// record_batch: many events, one transaction; each refused alone. Also the group commit's
// replay when a job fails half-way.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "helpers.hpp"
#include "store/group_commit.hpp"
#include "store/sqlite_db.hpp"

using namespace lfpse::store;
using namespace store_test;
using lfpse::core::Error;
using lfpse::core::ErrorCode;

TEST_CASE(
    "batch: a large batch keeps its order, and invalid or already recorded events fail alone") {
  TempDir dir;
  ManualTime t;
  auto s = Store::open(dir.file("b.db"), with_taxonomies(t.options()));
  REQUIRE(s->record(event("B-7")).stored);
  s->record(event("B-draft"), /*draft=*/true);

  // Large enough to be prepared on several threads.
  constexpr int kCount = 300;
  std::vector<std::string> texts;
  for (int i = 0; i < kCount; ++i)
    texts.push_back(i % 50 == 3 ? invalid_event("B-" + std::to_string(i))
                                : event("B-" + std::to_string(i)));
  texts.push_back("not json");
  texts.push_back(event("B-draft"));  // a draft may be recorded for good
  auto results = s->record_batch(texts);
  REQUIRE(results.size() == texts.size());
  int stored = 0;
  for (int i = 0; i < kCount; ++i) {
    const WriteResult& r = results[static_cast<std::size_t>(i)];
    CHECK(r.local_id == "B-" + std::to_string(i));
    if (i % 50 == 3 || i == 7) {
      CHECK_FALSE(r.stored);
      CHECK_FALSE(r.validation.issues.empty());
    } else {
      CHECK(r.stored);
      CHECK(r.state == "queued");
      CHECK(r.op_kind == "create");
      ++stored;
    }
  }
  CHECK(contains(results[7].json(), "already recorded"));
  CHECK_FALSE(results[kCount].stored);
  CHECK(results[kCount + 1].stored);
  CHECK(results[kCount + 1].op_kind == "create");
  CHECK(s->integrity_check() == "ok");

  // Operations are claimed in batch order, their keys time-ordered as made.
  auto ops = s->claim_due(1000, 60000);
  REQUIRE(ops.size() == static_cast<std::size_t>(stored + 2));
  CHECK(ops[0].local_id == "B-7");
  for (std::size_t i = 2; i < ops.size(); ++i) CHECK(ops[i - 1].op_id < ops[i].op_id);
  CHECK(ops.back().local_id == "B-draft");
  CHECK(contains(ops[1].body, "\"resourceType\":\"AdverseEvent\""));
  CHECK(contains(*s->show_json("B-299"), "\"state\":\"sending\""));
}

TEST_CASE("group commit: a job that fails after writing is undone alone, and the others commit") {
  TempDir dir;
  Db db(dir.file("g.db"), {});
  db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t(v INTEGER)");
  GroupCommit commit(db, db);  // one connection for both kinds of commit
  auto insert = [](int v) {
    return [v](Db& d) { Stmt(d, "INSERT INTO t(v) VALUES (?1)").bind(1, int64_t{v}).run(); };
  };
  int runs_of_first = 0;
  std::vector<GroupCommit::Job> jobs;
  jobs.push_back([&](Db& d) {
    ++runs_of_first;  // replayed once the third job fails half-way
    Stmt(d, "INSERT INTO t(v) VALUES (1)").run();
  });
  jobs.push_back([](Db&) { throw Error(ErrorCode::Conflict, "refused before writing"); });
  jobs.push_back([&](Db& d) {
    insert(3)(d);
    throw Error(ErrorCode::Invalid, "failed after writing");
  });
  jobs.push_back(insert(4));
  auto errors = commit.run(std::move(jobs));
  REQUIRE(errors.size() == 4);
  CHECK_FALSE(errors[0]);
  CHECK(errors[1]);
  CHECK(errors[2]);
  CHECK_FALSE(errors[3]);
  CHECK(runs_of_first == 2);
  CHECK(db.query_text("SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY v)") == "1,4");
  CHECK_FALSE(db.in_transaction());

  // A batch whose only failures happen before writing commits without a replay.
  std::vector<GroupCommit::Job> more;
  more.push_back(insert(5));
  more.push_back([](Db&) { throw Error(ErrorCode::NotFound, "nothing written"); });
  errors = commit.run(std::move(more));
  CHECK_FALSE(errors[0]);
  CHECK(errors[1]);
  CHECK(db.query_int("SELECT count(*) FROM t") == 3);
}

TEST_CASE("group commit: a job that aborts its call undoes the whole call, and others commit") {
  TempDir dir;
  Db db(dir.file("a.db"), {});
  db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t(v INTEGER)");
  GroupCommit commit(db, db);  // one connection for both kinds of commit
  auto insert = [](int v) {
    return [v](Db& d) { Stmt(d, "INSERT INTO t(v) VALUES (?1)").bind(1, int64_t{v}).run(); };
  };
  auto abort_call = [](Db&) {
    throw GroupCommit::AbortCall{std::make_exception_ptr(Error(ErrorCode::Internal, "prepare"))};
  };
  // Aborted after writing (the batch is replayed with savepoints), and before writing.
  for (bool wrote_first : {true, false}) {
    std::vector<GroupCommit::Job> jobs;
    if (wrote_first) jobs.push_back(insert(1));
    jobs.push_back(abort_call);
    jobs.push_back(insert(2));  // never runs: the call is over
    auto errors = commit.run(std::move(jobs));
    for (const auto& e : errors) CHECK(e);
    CHECK_THROWS_WITH_AS(std::rethrow_exception(errors.back()), "prepare", Error);
    CHECK(db.query_int("SELECT count(*) FROM t") == 0);
    CHECK_FALSE(db.in_transaction());
  }
  // Two calls queued behind a leader share the next transaction: one aborts after writing, the
  // other commits whole.
  std::atomic<bool> leading{false}, release{false};
  std::thread leader([&] {
    commit.run_one([&](Db& d) {
      leading = true;
      while (!release) std::this_thread::yield();
      insert(10)(d);
    });
  });
  while (!leading) std::this_thread::yield();
  std::vector<std::exception_ptr> aborted, kept;
  std::thread a([&] {
    std::vector<GroupCommit::Job> jobs;
    jobs.push_back(insert(20));
    jobs.push_back(abort_call);
    aborted = commit.run(std::move(jobs));
  });
  std::thread b([&] {
    std::vector<GroupCommit::Job> jobs;
    jobs.push_back(insert(30));
    jobs.push_back(insert(31));
    kept = commit.run(std::move(jobs));
  });
  while (commit.queued() < 3) std::this_thread::yield();  // both queued behind the leader
  release = true;
  leader.join();
  a.join();
  b.join();
  REQUIRE(aborted.size() == 2);
  CHECK(aborted[0]);
  CHECK(aborted[1]);
  REQUIRE(kept.size() == 2);
  CHECK_FALSE(kept[0]);
  CHECK_FALSE(kept[1]);
  CHECK(db.query_text("SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY v)") == "10,30,31");
}

namespace {

std::size_t threads_now() {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator("/proc/self/task")) n += entry.exists();
  return n;
}

// The most threads the process had while the store asked for the time (on the calling thread,
// inside the batch's transaction).
std::size_t threads_during_batch(unsigned prepare_threads) {
  TempDir dir;
  StoreOptions o = with_taxonomies({});
  o.prepare_threads = prepare_threads;
  auto most = std::make_shared<std::atomic<std::size_t>>(0);
  o.time_source = [most] {
    std::size_t n = threads_now();
    if (n > *most) *most = n;
    return int64_t{1795000000000};
  };
  auto s = Store::open(dir.file("t.db"), o);
  std::vector<std::string> batch;
  // Large enough that the preparing threads are still at work when the writes begin.
  for (int i = 0; i < 2000; ++i) batch.push_back(event("TH-" + std::to_string(i)));
  *most = 0;
  for (const auto& r : s->record_batch(batch)) REQUIRE(r.stored);
  return most->load();
}

}  // namespace

TEST_CASE("batch: record_batch starts no thread by default, and the preparing threads if set") {
  const std::size_t before = threads_now();
  CHECK(threads_during_batch(0) == before);
  CHECK(threads_during_batch(3) > before);
  // None outlives the call: another batch leaves the count as the first left it. (A
  // sanitizer's runtime may start one thread of its own beside the process's first.)
  const std::size_t after = threads_now();
  CHECK(after <= before + 1);
  CHECK(threads_during_batch(3) > after);
  CHECK(threads_now() == after);
}
