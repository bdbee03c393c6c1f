#include "store/group_commit.hpp"

#include "core/error.hpp"

namespace lfpse::store {

std::vector<std::exception_ptr> GroupCommit::run(std::vector<Job> jobs, bool durable) {
  // Every write of a store passes here: one opened read-only (its only connection is) refuses.
  if (records_.read_only())
    throw core::Error(core::ErrorCode::Io,
                      "the store is open read-only: nothing was written (" + records_.path() + ")");
  Ticket ticket;
  ticket.durable = durable;
  ticket.items.reserve(jobs.size());
  for (auto& j : jobs) ticket.items.push_back(Pending{std::move(j), nullptr});

  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&ticket);
  ticket.wake.wait(lock, [&] { return ticket.done || queue_.front() == &ticket; });
  if (!ticket.done) {
    // The leader: everyone queued now shares this commit; later arrivals wait for the next.
    std::vector<Ticket*> batch(queue_.begin(), queue_.end());
    lock.unlock();
    lead(batch);
    lock.lock();
    // Wake exactly the callers whose jobs committed, and the next leader, if one waits: a
    // broadcast would wake every sleeping caller for each commit.
    for (Ticket* t : batch) {
      queue_.pop_front();
      t->done = true;
      if (t != &ticket) t->wake.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  std::vector<std::exception_ptr> out;
  out.reserve(ticket.items.size());
  for (auto& p : ticket.items) out.push_back(p.error);
  return out;
}

void GroupCommit::run_one(Job job, bool durable) {
  std::vector<Job> jobs;
  jobs.push_back(std::move(job));
  auto errors = run(std::move(jobs), durable);
  if (errors[0]) std::rethrow_exception(errors[0]);
}

std::size_t GroupCommit::queued() {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

namespace {

void fail_all(std::vector<GroupCommit::Ticket*>& batch, std::exception_ptr e) {
  for (auto* t : batch)
    for (auto& p : t->items) p.error = e;
}

void fail_call(GroupCommit::Ticket& t, std::exception_ptr e) {
  for (auto& p : t.items) p.error = e;
}

void run_guarded(Db& db, std::vector<GroupCommit::Ticket*>& batch);

void run_batch(Db& db, std::vector<GroupCommit::Ticket*>& batch) {
  // Most jobs succeed, or fail before writing anything (a conflict found by a lookup): run
  // them bare, as savepoints cost about a fifth of a batch's time. Only a job that fails after
  // writing sends the batch to run_guarded, which starts again with a savepoint per job.
  Transaction tx(db);
  bool any_ok = false;
  for (auto* t : batch) {
    const int64_t call_start = db.total_changes();
    for (auto& p : t->items) {
      int64_t before = db.total_changes();
      try {
        p.job(db);
        any_ok = true;
      } catch (const GroupCommit::AbortCall& abort) {
        // Undoing a call that wrote needs the savepoints of run_guarded.
        if (db.total_changes() != call_start) {
          tx.rollback();
          run_guarded(db, batch);
          return;
        }
        fail_call(*t, abort.cause);
        break;
      } catch (...) {
        p.error = std::current_exception();
        // SQLITE_FULL / IOERR may have rolled the whole transaction back: then every job of
        // the batch is lost, not only this one.
        if (!db.in_transaction()) {
          fail_all(batch, p.error);
          return;
        }
        if (db.total_changes() != before) {
          tx.rollback();
          run_guarded(db, batch);
          return;
        }
      }
    }
  }
  if (any_ok) tx.commit();
}

void run_guarded(Db& db, std::vector<GroupCommit::Ticket*>& batch) {
  for (auto* t : batch)
    for (auto& p : t->items) p.error = nullptr;
  Transaction tx(db);
  bool any_ok = false;
  for (auto* t : batch) {
    Stmt(db, "SAVEPOINT call").run();
    for (auto& p : t->items) {
      Stmt(db, "SAVEPOINT job").run();
      try {
        p.job(db);
        Stmt(db, "RELEASE job").run();
        any_ok = true;
      } catch (const GroupCommit::AbortCall& abort) {
        Stmt(db, "ROLLBACK TO call").run();  // cancels the job's savepoint too
        fail_call(*t, abort.cause);
        break;
      } catch (...) {
        p.error = std::current_exception();
        if (!db.in_transaction()) {
          fail_all(batch, p.error);
          return;
        }
        Stmt(db, "ROLLBACK TO job").run();
        Stmt(db, "RELEASE job").run();
      }
    }
    Stmt(db, "RELEASE call").run();
  }
  if (any_ok) tx.commit();
}

}  // namespace

void GroupCommit::lead(std::vector<Ticket*>& batch) {
  bool durable = false;
  for (Ticket* t : batch) durable = durable || t->durable;
  try {
    run_batch(durable ? records_ : leases_, batch);
  } catch (...) {
    fail_all(batch, std::current_exception());
  }
}

}  // namespace lfpse::store
