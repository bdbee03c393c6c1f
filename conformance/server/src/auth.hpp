// Who is calling: API keys, the admin key, and bearer tokens from the client-credentials
// token endpoint (RS512 JWT assertions verified with OpenSSL, RFC 7523).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config.hpp"
#include "http_types.hpp"
#include "storage.hpp"

namespace lfpse::server {

struct Caller {
  enum class Kind { None, Organisation, Admin };
  Kind kind = Kind::None;
  std::string ods;
  /// For Kind::None: why (for WWW-Authenticate): "missing", "invalid_key", "invalid_token".
  std::string failure;
};

/// The OAuth 2.0 error of a token request (RFC 6749 5.2).
struct TokenError {
  std::string error;
  std::string description;
};

struct TokenGrant {
  std::string access_token;
  int expires_in = 0;
};

class Auth {
 public:
  /// Used jtis and issued tokens are kept in `storage` (durably, before the token answer),
  /// so a restart neither reopens a replay window nor voids the tokens it issued.
  Auth(const Config& config, int token_ttl_s, Storage* storage);

  /// Resolves the credentials of a request (API key first, then a bearer token).
  Caller identify(const HttpRequest& req, int64_t now_ms);

  bool has_organisation(const std::string& ods) const;
  bool admin_enabled() const { return !admin_key_sha256_.empty(); }

  /// POST /oauth2/token with a parsed form; `token_urls` are the audiences accepted.
  std::optional<TokenGrant> exchange(const std::map<std::string, std::string>& form,
                                     const std::vector<std::string>& token_urls, int64_t now_ms,
                                     TokenError* error);

 private:
  struct Client {
    std::string ods;
    std::string public_key_pem;
  };
  struct Token {
    std::string ods;
    int64_t expires_ms;
  };
  // Keys are held as their SHA-256 only, like access tokens: a memory dump or a debugger shows
  // no usable key. A fast hash suffices (no salt or slow KDF): the keys are long random
  // strings, not passwords, so there is no dictionary to try, and each request pays only one
  // hash.
  std::unordered_map<std::string, std::string> key_to_ods_;  // SHA-256 of a key -> ODS code
  std::unordered_map<std::string, Client> clients_;
  std::vector<std::string> organisations_;
  std::string admin_key_sha256_;
  int token_ttl_s_;
  Storage* storage_;

  std::mutex mutex_;                               // guards tokens_
  std::unordered_map<std::string, Token> tokens_;  // key: the token's SHA-256 (as stored)
  void purge_locked(int64_t now_ms);
};

/// Verifies an RS512 signature over `signing_input` with a PEM public key.
bool verify_rs512(const std::string& public_key_pem, const std::string& signing_input,
                  const std::string& signature);
/// Signs `signing_input` RS512 with a PEM private key (the tests make their assertions so).
std::string sign_rs512(const std::string& private_key_pem, const std::string& signing_input);

}  // namespace lfpse::server
