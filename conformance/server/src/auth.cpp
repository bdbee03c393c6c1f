#include "auth.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>

#include "core/json.hpp"
#include "token_store.hpp"
#include "util.hpp"

namespace lfpse::server {

namespace {
// An assertion may claim at most this much life (API.md: exp at most 5 minutes ahead),
// plus a little clock skew between the LRMS and the server.
constexpr int64_t kMaxAssertionLifeMs = 5 * 60 * 1000;
constexpr int64_t kSkewMs = 30 * 1000;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

TokenError invalid_client(const std::string& why) { return {"invalid_client", why}; }
}  // namespace

bool verify_rs512(const std::string& public_key_pem, const std::string& signing_input,
                  const std::string& signature) {
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha512(), nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

std::string sign_rs512(const std::string& private_key_pem, const std::string& signing_input) {
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error("unreadable private key");
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha512(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1)
    throw std::runtime_error("RS512 signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1)
    throw std::runtime_error("RS512 signing failed");
  sig.resize(len);
  return sig;
}

Auth::Auth(const Config& config, int token_ttl_s, Storage* storage)
    : admin_key_sha256_(!config.admin_key.empty() ? sha256_hex(config.admin_key)
                                                  : config.admin_key_sha256),
      token_ttl_s_(token_ttl_s),
      storage_(storage) {
  for (const auto& o : config.organisations) {
    organisations_.push_back(o.ods);
    for (const auto& k : o.api_keys) key_to_ods_[sha256_hex(k)] = o.ods;
    for (const auto& h : o.api_key_sha256s) key_to_ods_[h] = o.ods;
    for (const auto& c : o.clients) clients_[c.client_id] = Client{o.ods, c.public_key_pem};
  }
  storage_->read([&](Db& db) {
    for (auto& t : load_tokens(db, now_ms())) {
      // A token of an organisation no longer configured stays refused.
      if (has_organisation(t.ods)) tokens_[t.token_sha256] = Token{t.ods, t.expires_ms};
    }
  });
}

bool Auth::has_organisation(const std::string& ods) const {
  for (const auto& o : organisations_) {
    if (o == ods) return true;
  }
  return false;
}

Caller Auth::identify(const HttpRequest& req, int64_t now_ms) {
  Caller c;
  if (req.has_header("Ocp-Apim-Subscription-Key")) {
    std::string key = sha256_hex(req.header("Ocp-Apim-Subscription-Key"));
    if (!admin_key_sha256_.empty() && key == admin_key_sha256_) {
      c.kind = Caller::Kind::Admin;
      return c;
    }
    auto it = key_to_ods_.find(key);
    if (it != key_to_ods_.end()) {
      c.kind = Caller::Kind::Organisation;
      c.ods = it->second;
      return c;
    }
    c.failure = "invalid_key";
    return c;
  }
  std::string authz = req.header("Authorization");
  if (authz.empty()) {
    c.failure = "missing";
    return c;
  }
  if (authz.size() < 8 || !iequals(std::string_view(authz).substr(0, 7), "Bearer ")) {
    c.failure = "invalid_key";
    return c;
  }
  std::string hash = sha256_hex(std::string_view(authz).substr(7));
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end() || it->second.expires_ms <= now_ms) {
    c.failure = "invalid_token";
    return c;
  }
  c.kind = Caller::Kind::Organisation;
  c.ods = it->second.ods;
  return c;
}

void Auth::purge_locked(int64_t now_ms) {
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    it = it->second.expires_ms <= now_ms ? tokens_.erase(it) : std::next(it);
  }
}

std::optional<TokenGrant> Auth::exchange(const std::map<std::string, std::string>& form,
                                         const std::vector<std::string>& token_urls, int64_t now_ms,
                                         TokenError* error) {
  auto get = [&](const char* name) -> const std::string* {
    auto it = form.find(name);
    return it == form.end() ? nullptr : &it->second;
  };
  const std::string* grant = get("grant_type");
  if (!grant) {
    *error = {"invalid_request", "grant_type is missing"};
    return std::nullopt;
  }
  if (*grant != "client_credentials") {
    *error = {"unsupported_grant_type", "only client_credentials is supported"};
    return std::nullopt;
  }
  const std::string* type = get("client_assertion_type");
  const std::string* assertion = get("client_assertion");
  if (!type || !assertion || assertion->empty()) {
    *error = {"invalid_request", "client_assertion_type and client_assertion are required"};
    return std::nullopt;
  }
  if (*type != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
    *error = {"invalid_request", "client_assertion_type must be jwt-bearer"};
    return std::nullopt;
  }
  // header.payload.signature, each base64url without padding.
  const std::string& jwt = *assertion;
  std::size_t d1 = jwt.find('.');
  std::size_t d2 = d1 == std::string::npos ? d1 : jwt.find('.', d1 + 1);
  if (d2 == std::string::npos || jwt.find('.', d2 + 1) != std::string::npos) {
    *error = invalid_client("the assertion is not a signed JWT");
    return std::nullopt;
  }
  auto header = base64url_decode(std::string_view(jwt).substr(0, d1));
  auto payload = base64url_decode(std::string_view(jwt).substr(d1 + 1, d2 - d1 - 1));
  auto signature = base64url_decode(std::string_view(jwt).substr(d2 + 1));
  if (!header || !payload || !signature) {
    *error = invalid_client("the assertion is not base64url");
    return std::nullopt;
  }
  core::JsonDocument hdoc, pdoc;
  core::JsonError jerr;
  if (!hdoc.parse(*header, &jerr) || !hdoc.root().is_object()) {
    *error = invalid_client("the JWT header is not a JSON object");
    return std::nullopt;
  }
  const core::JsonValue* alg = hdoc.root().find("alg");
  if (!alg || !alg->is_string() || alg->text() != "RS512") {
    *error = invalid_client("the JWT must be signed with RS512");
    return std::nullopt;
  }
  if (!pdoc.parse(*payload, &jerr) || !pdoc.root().is_object()) {
    *error = invalid_client("the JWT claims are not a JSON object");
    return std::nullopt;
  }
  const core::JsonValue& claims = pdoc.root();
  auto str_claim = [&](const char* name) -> std::string {
    const core::JsonValue* v = claims.find(name);
    return v && v->is_string() ? std::string(v->text()) : std::string();
  };
  std::string iss = str_claim("iss"), sub = str_claim("sub"), jti = str_claim("jti");
  auto client = clients_.find(iss);
  if (iss.empty() || client == clients_.end()) {
    *error = invalid_client("unknown client");
    return std::nullopt;
  }
  std::string signing_input = jwt.substr(0, d2);
  if (!verify_rs512(client->second.public_key_pem, signing_input, *signature)) {
    *error = invalid_client("the JWT signature does not verify");
    return std::nullopt;
  }
  if (sub != iss) {
    *error = invalid_client("sub must equal iss (the client id)");
    return std::nullopt;
  }
  bool aud_ok = false;
  if (const core::JsonValue* aud = claims.find("aud")) {
    auto matches = [&](std::string_view a) {
      for (const auto& u : token_urls) {
        if (a == u) return true;
      }
      return false;
    };
    if (aud->is_string()) aud_ok = matches(aud->text());
    if (aud->is_array()) {
      for (const auto& a : *aud) aud_ok = aud_ok || (a.is_string() && matches(a.text()));
    }
  }
  if (!aud_ok) {
    *error = invalid_client("aud must be the token URL");
    return std::nullopt;
  }
  // Instants are compared in seconds, so no claim is multiplied: a huge exp cannot wrap
  // around into the accepted window.
  const int64_t now_s = now_ms / 1000;
  const core::JsonValue* exp = claims.find("exp");
  int64_t exp_s = 0;
  if (!exp || !exp->is_number() || !exp->to_int64(&exp_s)) {
    *error = invalid_client("exp is missing or not a whole number of seconds");
    return std::nullopt;
  }
  if (exp_s <= now_s - kSkewMs / 1000) {
    *error = invalid_client("the assertion has expired");
    return std::nullopt;
  }
  if (exp_s > now_s + (kMaxAssertionLifeMs + kSkewMs) / 1000) {
    *error = invalid_client("exp is more than 5 minutes ahead");
    return std::nullopt;
  }
  const int64_t exp_ms = exp_s * 1000;  // within minutes of now: no overflow
  if (const core::JsonValue* nbf = claims.find("nbf")) {
    int64_t nbf_s = 0;
    if (!nbf->is_number() || !nbf->to_int64(&nbf_s)) {
      *error = invalid_client("nbf is not a whole number of seconds");
      return std::nullopt;
    }
    if (nbf_s > now_s + kSkewMs / 1000) {
      *error = invalid_client("the assertion is not valid yet (nbf)");
      return std::nullopt;
    }
  }
  if (jti.empty()) {
    *error = invalid_client("jti is missing");
    return std::nullopt;
  }
  TokenGrant g;
  g.access_token = random_hex(24);
  g.expires_in = token_ttl_s_;
  StoredToken t{sha256_hex(g.access_token), client->second.ods,
                now_ms + int64_t(token_ttl_s_) * 1000};
  // The jti is claimed in the database, committed before the answer: a replay is refused
  // across a restart too, and the one writer decides between two concurrent uses.
  bool fresh = false;
  storage_->write([&](Db& db) {
    fresh = claim_jti(db, iss, jti, exp_ms + kSkewMs, now_ms);
    if (fresh) save_token(db, t, now_ms);
  });
  if (!fresh) {
    *error = invalid_client("jti has been used before");
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  purge_locked(now_ms);
  tokens_[t.token_sha256] = Token{t.ods, t.expires_ms};
  return g;
}

}  // namespace lfpse::server
