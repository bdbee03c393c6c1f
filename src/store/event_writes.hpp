// The transactional halves of record / update / withdraw: run inside a group-commit job.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/internal.hpp"
#include "taxonomy/issue.hpp"

namespace lfpse::store {

/// An event validated, mapped and sealed ahead of the transaction.
struct PreparedEvent {
  bool acceptable = false;  ///< valid (or a draft with a usable local_id)
  bool draft = false;
  std::string local_id;
  std::string taxonomy_version;
  taxonomy::Validation validation;
  std::string op_id, idempotency_key;
  std::string sealed_snapshot;
  std::string sealed_body;  ///< "" for a draft
};

/// Validates, maps and seals one event (no lock held; safe on any thread).
PreparedEvent prepare_event(const Store::Impl& impl, std::string_view text, bool draft);
/// A batch's events. By default (StoreOptions::prepare_threads 0) the constructor prepares them
/// all on the calling thread, before any transaction, as a single record is: a call starts no
/// threads. With `threads` > 0 and a large batch, that many worker threads prepare chunks in
/// batch order while the transaction writes the events already prepared; the writer takes each
/// event with get(), waiting for the chunk that holds it or preparing the next unclaimed chunk
/// itself, so the batch costs about max(prepare, write) rather than their sum.
class PreparedBatch {
 public:
  PreparedBatch(const Store::Impl& impl, const std::vector<std::string>& events, bool draft,
                unsigned threads);
  ~PreparedBatch();  // stops the workers and waits for them
  PreparedBatch(const PreparedBatch&) = delete;
  PreparedBatch& operator=(const PreparedBatch&) = delete;

  /// True when the constructor prepared every event (get never waits nor throws).
  bool ready() const;
  /// Event i, prepared; rethrows the error of its chunk's preparation. Any thread.
  const PreparedEvent& get(std::size_t i);

  struct State;

 private:
  std::unique_ptr<State> s_;
};

enum class WriteMode { Record, Update };

/// Appends an operation (and its sealed body, when given) to an event's queue.
void insert_op(Db& db, const std::string& op_id, const std::string& local_id, const char* kind,
               int64_t revision, const std::string& key, const std::string* sealed_body,
               core::UnixMillis now);

/// Stores the snapshot and queues its operation. Throws Conflict / NotFound.
WriteResult write_event(Db& db, const Store::Impl& impl, const PreparedEvent& p, WriteMode mode);
WriteResult withdraw_event(Db& db, const Store::Impl& impl, const std::string& local_id,
                           const std::string& op_id, const std::string& key);

}  // namespace lfpse::store
