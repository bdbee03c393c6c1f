// Group commit: concurrent writers share one transaction and so one fsync.
//
// Each caller hands in jobs (the writes of one call) and blocks. The first caller to find no
// commit in progress becomes the leader: it takes every job waiting, runs them in one
// BEGIN IMMEDIATE ... COMMIT (a failing job is undone alone: see run_batch), then wakes the
// callers. A caller returns only after the COMMIT that holds its job, so each call is still
// durable on return. CPU work (validation, FHIR mapping, sealing) is done by the callers
// before they hand in jobs, in parallel. Jobs must be safe to run again from the start (they
// reset what they return): a batch is replayed when one of its jobs fails half-way.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "store/sqlite_db.hpp"

namespace lfpse::store {

class GroupCommit {
 public:
  using Job = std::function<void(Db&)>;
  /// `full_sync`: the connection runs synchronous=FULL.
  GroupCommit(Db& db, bool full_sync) : db_(db), full_sync_(full_sync) {}

  /// Announces a call that is preparing its jobs (validating, mapping) and will hand them in
  /// soon: a leader that finds such calls waits briefly for them, so that they share its
  /// commit instead of each paying one. It also waits, as briefly, until as many callers as its
  /// predecessor's commit had are waiting. Pass it to run / run_one; a call that ends without
  /// handing in jobs (a refused event) withdraws the announcement when it is destroyed.
  class Arrival {
   public:
    explicit Arrival(GroupCommit& commit);
    ~Arrival();
    Arrival(const Arrival&) = delete;
    Arrival& operator=(const Arrival&) = delete;

   private:
    friend class GroupCommit;
    GroupCommit& commit_;
    bool pending_ = true;
  };

  /// Runs the jobs in one transaction with whatever else is waiting; returns one exception
  /// (or null) per job, in order. A failed COMMIT fails every job of the batch.
  /// `durable` false: the caller can afford to lose this commit on power loss (a lease: the
  /// operation is simply claimed again), so a batch of only such jobs skips the fsync.
  std::vector<std::exception_ptr> run(std::vector<Job> jobs, bool durable = true,
                                      Arrival* arrival = nullptr);
  /// One job; rethrows its exception.
  void run_one(Job job, bool durable = true, Arrival* arrival = nullptr);

  /// Thrown by a job to fail its whole call: nothing of that call's jobs commits and each
  /// reports `cause`; the other callers' jobs in the same transaction are not affected.
  struct AbortCall {
    std::exception_ptr cause;
  };

 public:  // for the implementation file's helpers
  struct Pending {
    Job job;
    std::exception_ptr error;
  };
  struct Ticket {
    std::vector<Pending> items;
    bool durable = true;
    bool done = false;
    std::condition_variable wake;  // its caller sleeps on it: done, or its turn to lead
  };

 private:
  void lead(std::vector<Ticket*>& batch);
  void run_batch(std::vector<Ticket*>& batch);
  void run_guarded(std::vector<Ticket*>& batch);

  Db& db_;
  bool full_sync_;
  std::mutex mutex_;
  std::deque<Ticket*> waiting_;
  bool leading_ = false;
  int preparing_ = 0;           // announced calls not yet handed in (Arrival)
  std::size_t last_batch_ = 1;  // callers in the last commit: as many are expected again
  bool gathered() const { return preparing_ == 0 && waiting_.size() >= last_batch_; }
  std::chrono::nanoseconds commit_time_{std::chrono::microseconds(200)};  // running average
  std::condition_variable gather_cv_;  // wakes a leader waiting for them
};

}  // namespace lfpse::store
