// The transactional halves of record / update / withdraw: run inside a group-commit job.
#pragma once

#include <string>

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

PreparedEvent prepare_event(const Store::Impl& impl, std::string_view text, bool draft);

enum class WriteMode { Record, Update };

/// Stores the snapshot and queues its operation. Throws Conflict / NotFound.
WriteResult write_event(Db& db, const Store::Impl& impl, PreparedEvent& p, WriteMode mode);
WriteResult withdraw_event(Db& db, const Store::Impl& impl, const std::string& local_id,
                           const std::string& op_id, const std::string& key);

}  // namespace lfpse::store
