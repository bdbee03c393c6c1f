#include "store/group_commit.hpp"

#include "core/error.hpp"

namespace lfpse::store {

std::vector<std::exception_ptr> GroupCommit::run(std::vector<Job> jobs) {
  Ticket ticket;
  ticket.items.reserve(jobs.size());
  for (auto& j : jobs) ticket.items.push_back(Pending{std::move(j), nullptr});

  std::unique_lock<std::mutex> lock(mutex_);
  waiting_.push_back(&ticket);
  while (!ticket.done) {
    if (leading_) {
      cv_.wait(lock);
      continue;
    }
    // Become the leader for everything waiting now (our own ticket included).
    leading_ = true;
    std::vector<Ticket*> batch(waiting_.begin(), waiting_.end());
    waiting_.clear();
    lock.unlock();
    lead(batch);
    lock.lock();
    for (Ticket* t : batch) t->done = true;
    leading_ = false;
    cv_.notify_all();
  }
  std::vector<std::exception_ptr> out;
  out.reserve(ticket.items.size());
  for (auto& p : ticket.items) out.push_back(p.error);
  return out;
}

void GroupCommit::run_one(Job job) {
  std::vector<Job> jobs;
  jobs.push_back(std::move(job));
  auto errors = run(std::move(jobs));
  if (errors[0]) std::rethrow_exception(errors[0]);
}

void GroupCommit::lead(std::vector<Ticket*>& batch) {
  auto fail_all = [&](std::exception_ptr e) {
    for (Ticket* t : batch)
      for (auto& p : t->items) p.error = e;
  };
  try {
    Transaction tx(db_);
    bool any_ok = false;
    for (Ticket* t : batch) {
      for (auto& p : t->items) {
        db_.exec("SAVEPOINT job");
        try {
          p.job(db_);
          db_.exec("RELEASE job");
          any_ok = true;
        } catch (...) {
          p.error = std::current_exception();
          // SQLITE_FULL / IOERR may have rolled the whole transaction back: then every job of
          // the batch is lost, not only this one.
          if (!db_.in_transaction()) {
            fail_all(p.error);
            return;
          }
          db_.exec("ROLLBACK TO job");
          db_.exec("RELEASE job");
        }
      }
    }
    if (any_ok) tx.commit();
  } catch (...) {
    fail_all(std::current_exception());
  }
}

}  // namespace lfpse::store
