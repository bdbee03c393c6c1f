// Organisations, keys, JWT clients and the server's settings: from a --config file, or made
// once by --demo and kept in the database so that a restart serves the same keys.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lfpse::server {

struct JwtClient {
  std::string client_id;
  std::string public_key_pem;
  std::string private_key_pem;  ///< demo configurations only (printed for the LRMS under test)
};

struct Organisation {
  std::string ods;
  std::vector<std::string> api_keys;
  std::vector<std::string> api_key_sha256s;  ///< keys given only as their SHA-256 (lower hex)
  std::vector<JwtClient> clients;
};

struct Settings {
  std::string listen = "127.0.0.1:8080";
  std::string db = "lfpse-server.db";
  std::string tls_cert, tls_key;
  std::string log_level = "info";  ///< error, warn, info, debug
  bool demo = false;
  bool new_epoch = false;
  bool rate_limit = true;
  double rate_per_second = 50;
  double rate_burst = 100;
  // The HTTP layer's bounds (README.md, Flags).
  int threads = 64;                    ///< handler threads (blocking SQLite work)
  int io_threads = 2;                  ///< socket I/O threads
  int max_header_bytes = 16 * 1024;    ///< request line and header fields together
  int max_header_count = 100;          ///< header fields
  int max_body_bytes = 1 << 20;        ///< decoded body, whatever the framing
  int max_connections = 2048;          ///< open at once (lowered to fit the fd limit)
  int max_connections_per_peer = 256;  ///< open at once from one address
  int keep_alive_s = 5;                ///< idle time before and between requests
  int request_read_limit_s = 10;       ///< reading one request, head and body (slow-loris)
  int write_timeout_s = 60;            ///< writing one response (slow reader)
  int token_ttl_s = 300;               ///< access tokens from /oauth2/token
  /// The base URL clients reach the server at ("https://host[:port][/path]", no trailing
  /// slash): the audience of client assertions and the base of every link the server writes.
  /// Empty: the listen URL.
  std::string public_url;
  std::size_t feed_page_bytes = 4u << 20;  ///< a feed page ends early past this many bytes
};

struct Config {
  std::vector<Organisation> organisations;
  std::string admin_key;  ///< empty: the admin extras are off (unless admin_key_sha256)
  std::string admin_key_sha256;
  Settings settings;
};

/// Reads a configuration document (README.md gives its shape). `public_key_file` entries are
/// read relative to `base_dir`. Throws std::runtime_error naming the bad member.
Config parse_config(std::string_view json_text, const std::string& base_dir);
/// The organisations, clients and admin key as JSON (how --demo keeps them in the database).
std::string identities_json(const Config& c);

/// A fresh demo configuration: three organisations, each with an API key and an RS512
/// client whose private key is printed on the first stdout line; an admin key.
Config make_demo_config();

/// A new 2048-bit RSA private key (PKCS#8 PEM) and the public key (SPKI PEM) of a private one.
std::string generate_rsa_private_pem();
std::string public_pem_from_private(const std::string& private_pem);

}  // namespace lfpse::server
