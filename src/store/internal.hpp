// What the store's implementation files share: the Store's state and small helpers.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/crypto.hpp"
#include "store/group_commit.hpp"
#include "store/sqlite_db.hpp"
#include "store/store.hpp"

namespace lfpse::store {

struct Store::Impl {
  StoreOptions options;
  std::shared_ptr<const taxonomy::TaxonomySet> taxonomies;
  std::unique_ptr<Sealer> sealer;  // null: the store is not encrypted
  std::unique_ptr<Db> writer;      // used only inside group-commit jobs
  std::unique_ptr<Db> leases;      // likewise: commits a power cut may lose (synchronous=NORMAL)
  std::unique_ptr<GroupCommit> commit;
  std::mutex read_mutex;
  std::unique_ptr<Db> reader;

  core::UnixMillis now() const {
    return options.time_source ? options.time_source() : core::Clock::system().now();
  }
  /// Values that may hold answer text go through these: sealed when a key is set.
  std::string seal(std::string_view table, std::string_view column, std::string_view row,
                   std::string_view plain) const {
    return sealer ? sealer->seal(plain, seal_aad(table, column, row)) : std::string(plain);
  }
  std::string unseal(std::string_view table, std::string_view column, std::string_view row,
                     std::string_view stored) const {
    return sealer ? sealer->open(stored, seal_aad(table, column, row)) : std::string(stored);
  }
  std::optional<std::string> unseal_opt(std::string_view table, std::string_view column,
                                        std::string_view row,
                                        const std::optional<std::string>& stored) const {
    if (!stored) return std::nullopt;
    return unseal(table, column, row, *stored);
  }
};

/// Creates or migrates the schema on a writable connection; refuses a newer or foreign file
/// before changing anything. Checks (or, for a new store, sets) the encryption key marker.
void prepare_schema(Db& db, const Store::Impl& impl);

/// For a read-only open: refuses what prepare_schema refuses, and a schema older than this
/// library's (which it would migrate), without writing; checks the key.
void check_schema_read_only(Db& db, const Store::Impl& impl);

/// Recomputes an event's sync state from its queue and flags; sets updated_at = now.
/// Returns the state name.
std::string refresh_state(Db& db, std::string_view local_id, core::UnixMillis now);

/// The state of the head operation of an event's queue ("" when none is pending), and the
/// event state that follows from it and the event's flags (refresh_state's two halves).
std::string head_state(Db& db, std::string_view local_id);
const char* state_from(const std::string& head, bool draft, bool withdrawn, bool national);

/// Numeric comparison of FHIR versionIds ("10" > "9"); bytewise when not numbers.
bool version_newer(std::string_view a, std::string_view b);

}  // namespace lfpse::store
