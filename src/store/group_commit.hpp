// Group commit: concurrent writers share one transaction and so one fsync.
//
// As leveldb's DBImpl::Write: each caller queues its jobs (the writes of one call) and waits.
// The caller at the head of the queue is the leader: it takes every caller queued at that
// moment (itself included), runs their jobs in one BEGIN IMMEDIATE ... COMMIT (a failing job is
// undone alone: see run_batch), wakes them, and hands the lead to the next caller queued. There
// is no waiting for callers still to come: those that arrive while a commit runs queue up and
// share the next one. A caller returns only after the COMMIT that holds its job, so each call
// is durable on return. CPU work (validation, FHIR mapping, sealing) is done by the callers
// before they queue, in parallel. Jobs must be safe to run again from the start (they reset
// what they return): a batch is replayed when one of its jobs fails half-way.
#pragma once

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
  /// `records`: the connection at the store's synchronous mode. `leases`: a second connection
  /// at synchronous=NORMAL, for batches whose every job may be lost to a power cut.
  GroupCommit(Db& records, Db& leases) : records_(records), leases_(leases) {}

  /// Runs the jobs in one transaction with whatever else is queued; returns one exception
  /// (or null) per job, in order. A failed COMMIT fails every job of the batch.
  /// `durable` false: the caller can afford to lose this commit on power loss (a lease: the
  /// operation is simply claimed again), so a batch of only such jobs commits on the leases'
  /// connection, without an fsync.
  std::vector<std::exception_ptr> run(std::vector<Job> jobs, bool durable = true);
  /// One job; rethrows its exception.
  void run_one(Job job, bool durable = true);

  /// Callers queued, the one committing included (lets a test know who will share a commit).
  std::size_t queued();

  /// Thrown by a job to fail its whole call: nothing of that call's jobs commits and each
  /// reports `cause`; the other callers' jobs in the same transaction are not affected.
  struct AbortCall {
    std::exception_ptr cause;
  };

 public:  // for the implementation file's helpers
  struct Pending {
    const Job job;
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

  Db& records_;
  Db& leases_;
  std::mutex mutex_;
  std::deque<Ticket*> queue_;  // the head is the leader; those behind it wait
};

}  // namespace lfpse::store
