#include "token_store.hpp"

namespace lfpse::server {

bool claim_jti(Db& db, const std::string& client, const std::string& jti, int64_t expires_ms,
               int64_t forget_before_ms) {
  {
    Stmt prune(db, "DELETE FROM used_jti WHERE expires_ms < ?1");
    prune.bind(1, forget_before_ms);
    prune.step();
  }
  // The primary key decides: one writer thread, so two requests with one jti cannot both win.
  Stmt s(db, "INSERT OR IGNORE INTO used_jti(client, jti, expires_ms) VALUES (?1, ?2, ?3)");
  s.bind(1, client).bind(2, jti).bind(3, expires_ms);
  s.step();
  return sqlite3_changes(db.handle()) == 1;
}

void save_token(Db& db, const StoredToken& t, int64_t now_ms) {
  {
    Stmt prune(db, "DELETE FROM access_tokens WHERE expires_ms <= ?1");
    prune.bind(1, now_ms);
    prune.step();
  }
  Stmt s(db,
         "INSERT OR REPLACE INTO access_tokens(token_sha256, org, expires_ms) VALUES (?1, ?2, ?3)");
  s.bind(1, t.token_sha256).bind(2, t.ods).bind(3, t.expires_ms);
  s.step();
}

std::vector<StoredToken> load_tokens(Db& db, int64_t now_ms) {
  std::vector<StoredToken> out;
  Stmt s(db, "SELECT token_sha256, org, expires_ms FROM access_tokens WHERE expires_ms > ?1");
  s.bind(1, now_ms);
  while (s.step()) out.push_back(StoredToken{s.text(0), s.text(1), s.integer(2)});
  return out;
}

}  // namespace lfpse::server
