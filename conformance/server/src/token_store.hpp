// The token endpoint's durable state: used client-assertion `jti`s (until they expire) and
// the access tokens issued, so that neither a replay nor a client's token outlives a restart
// differently from how it would without one. Write functions run on the writer thread only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage.hpp"

namespace lfpse::server {

/// Records `jti` of `client` as used until `expires_ms`, first forgetting every jti that
/// expired before `forget_before_ms`. False when it was already used (a replay).
bool claim_jti(Db& db, const std::string& client, const std::string& jti, int64_t expires_ms,
               int64_t forget_before_ms);

struct StoredToken {
  std::string token_sha256;  ///< only the hash is kept: the database never holds a credential
  std::string ods;
  int64_t expires_ms = 0;
};

/// Stores an issued token, forgetting those expired before `now_ms`.
void save_token(Db& db, const StoredToken& t, int64_t now_ms);
/// The tokens still valid at `now_ms`.
std::vector<StoredToken> load_tokens(Db& db, int64_t now_ms);

}  // namespace lfpse::server
