#include "store/group_commit.hpp"

#include <algorithm>
#include <chrono>

#include "core/error.hpp"

namespace lfpse::store {

namespace {

// A leader waits for the calls it expects at most as long as a commit has lately taken (a
// running average): a commit shared then costs its callers no more than one of their own would.
// The bounds keep the average sane: a few preparations at least, and no more than a slow disk's
// commit.
constexpr std::chrono::nanoseconds kMinGatherWait = std::chrono::microseconds(100);
constexpr std::chrono::nanoseconds kMaxGatherWait = std::chrono::milliseconds(10);

}  // namespace

GroupCommit::Arrival::Arrival(GroupCommit& commit) : commit_(commit) {
  std::lock_guard<std::mutex> lock(commit_.mutex_);
  ++commit_.preparing_;
}

GroupCommit::Arrival::~Arrival() {
  if (!pending_) return;
  std::lock_guard<std::mutex> lock(commit_.mutex_);
  --commit_.preparing_;
  if (commit_.gathered()) commit_.gather_cv_.notify_one();
}

std::vector<std::exception_ptr> GroupCommit::run(std::vector<Job> jobs, bool durable,
                                                 Arrival* arrival) {
  // Every write of a store passes here: one opened read-only (its only connection is) refuses.
  if (db_.read_only())
    throw core::Error(core::ErrorCode::Io,
                      "the store is open read-only: nothing was written (" + db_.path() + ")");
  Ticket ticket;
  ticket.durable = durable;
  ticket.items.reserve(jobs.size());
  for (auto& j : jobs) ticket.items.push_back(Pending{std::move(j), nullptr});

  std::unique_lock<std::mutex> lock(mutex_);
  if (arrival && arrival->pending_) {
    arrival->pending_ = false;
    --preparing_;
  }
  waiting_.push_back(&ticket);
  if (leading_ && gathered()) gather_cv_.notify_one();  // wakes a gathering leader once only
  while (!ticket.done) {
    if (leading_) {
      ticket.wake.wait(lock);
      continue;
    }
    // Become the leader for everything waiting now (our own ticket included), after a short
    // wait for the calls still preparing and for as many callers as the last commit had: those
    // are most likely preparing their next call, just woken. Without that wait the callers of
    // one commit would split into two smaller ones. A lone caller never waits.
    leading_ = true;
    if (!gathered()) {
      auto wait = std::clamp(commit_time_, kMinGatherWait, kMaxGatherWait);
      gather_cv_.wait_for(lock, wait, [this] { return gathered(); });
    }
    std::vector<Ticket*> batch(waiting_.begin(), waiting_.end());
    waiting_.clear();
    last_batch_ = batch.size();
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    lead(batch);
    const auto took = std::chrono::steady_clock::now() - start;
    lock.lock();
    commit_time_ += (took - commit_time_) / 8;
    // Wake exactly the callers whose jobs committed, and the next leader, if one waits: a
    // broadcast would wake every sleeping caller for each commit, on a machine with few cores
    // a context switch each.
    for (Ticket* t : batch) {
      t->done = true;
      if (t != &ticket) t->wake.notify_one();
    }
    leading_ = false;
    if (!waiting_.empty()) waiting_.front()->wake.notify_one();
  }
  std::vector<std::exception_ptr> out;
  out.reserve(ticket.items.size());
  for (auto& p : ticket.items) out.push_back(p.error);
  return out;
}

void GroupCommit::run_one(Job job, bool durable, Arrival* arrival) {
  std::vector<Job> jobs;
  jobs.push_back(std::move(job));
  auto errors = run(std::move(jobs), durable, arrival);
  if (errors[0]) std::rethrow_exception(errors[0]);
}

namespace {

void fail_all(std::vector<GroupCommit::Ticket*>& batch, std::exception_ptr e) {
  for (auto* t : batch)
    for (auto& p : t->items) p.error = e;
}

void fail_call(GroupCommit::Ticket& t, std::exception_ptr e) {
  for (auto& p : t.items) p.error = e;
}

}  // namespace

void GroupCommit::lead(std::vector<Ticket*>& batch) {
  bool relaxed = full_sync_;
  for (Ticket* t : batch) relaxed = relaxed && !t->durable;
  try {
    if (relaxed) Stmt(db_, "PRAGMA synchronous=NORMAL").run();
    run_batch(batch);
  } catch (...) {
    fail_all(batch, std::current_exception());
  }
  try {
    if (relaxed) Stmt(db_, "PRAGMA synchronous=FULL").run();
  } catch (...) {
    fail_all(batch, std::current_exception());
  }
}

void GroupCommit::run_batch(std::vector<Ticket*>& batch) {
  // Most jobs succeed, or fail before writing anything (a conflict found by a lookup): run
  // them bare, as savepoints cost about a fifth of a batch's time. Only a job that fails after
  // writing sends the batch to run_guarded, which starts again with a savepoint per job.
  Transaction tx(db_);
  bool any_ok = false;
  for (Ticket* t : batch) {
    const int64_t call_start = db_.total_changes();
    for (auto& p : t->items) {
      int64_t before = db_.total_changes();
      try {
        p.job(db_);
        any_ok = true;
      } catch (const AbortCall& abort) {
        // Undoing a call that wrote needs the savepoints of run_guarded.
        if (db_.total_changes() != call_start) {
          tx.rollback();
          run_guarded(batch);
          return;
        }
        fail_call(*t, abort.cause);
        break;
      } catch (...) {
        p.error = std::current_exception();
        // SQLITE_FULL / IOERR may have rolled the whole transaction back: then every job of
        // the batch is lost, not only this one.
        if (!db_.in_transaction()) {
          fail_all(batch, p.error);
          return;
        }
        if (db_.total_changes() != before) {
          tx.rollback();
          run_guarded(batch);
          return;
        }
      }
    }
  }
  if (any_ok) tx.commit();
}

void GroupCommit::run_guarded(std::vector<Ticket*>& batch) {
  for (Ticket* t : batch)
    for (auto& p : t->items) p.error = nullptr;
  Transaction tx(db_);
  bool any_ok = false;
  for (Ticket* t : batch) {
    Stmt(db_, "SAVEPOINT call").run();
    for (auto& p : t->items) {
      Stmt(db_, "SAVEPOINT job").run();
      try {
        p.job(db_);
        Stmt(db_, "RELEASE job").run();
        any_ok = true;
      } catch (const AbortCall& abort) {
        Stmt(db_, "ROLLBACK TO call").run();  // cancels the job's savepoint too
        fail_call(*t, abort.cause);
        break;
      } catch (...) {
        p.error = std::current_exception();
        if (!db_.in_transaction()) {
          fail_all(batch, p.error);
          return;
        }
        Stmt(db_, "ROLLBACK TO job").run();
        Stmt(db_, "RELEASE job").run();
      }
    }
    Stmt(db_, "RELEASE call").run();
  }
  if (any_ok) tx.commit();
}

}  // namespace lfpse::store
