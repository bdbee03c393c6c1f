// What the server keeps secret at rest: the database's file modes, the demo credentials (kept
// only for --demo), private keys (never kept outside --demo), and the cursors' HMAC key.
#pragma once

#include <string>

#include "config.hpp"
#include "storage.hpp"

namespace lfpse::server {

/// Creates the database file if needed and makes it and its WAL, shared-memory and journal
/// files owner-only (0600); SQLite gives the files it creates later the database's mode.
void restrict_file_modes(const std::string& db_path);

/// Forgets every private key of a configuration (only the public keys verify assertions).
void drop_private_keys(Config& config);

/// Deletes the credentials a --demo run kept (keys, private keys); true when there were some.
bool forget_demo_credentials(Db& db);

/// The feed cursors' HMAC key, made once and kept in the database (writer thread).
std::string cursor_key(Db& db);

}  // namespace lfpse::server
