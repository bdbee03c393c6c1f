#include "config.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "core/json.hpp"
#include "util.hpp"

namespace lfpse::server {

using core::JsonValue;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string need_string(const JsonValue* v, const std::string& where) {
  if (!v || !v->is_string() || v->text().empty())
    throw std::runtime_error("config: " + where + " must be a non-empty string");
  return std::string(v->text());
}

// A key's SHA-256 as 64 lower-case hex digits: so the file need not hold the key itself.
std::string need_sha256(const JsonValue* v, const std::string& where) {
  std::string h = need_string(v, where);
  bool hex = h.size() == 64;
  for (char ch : h) hex = hex && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
  if (!hex) throw std::runtime_error("config: " + where + " must be 64 lower-case hex digits");
  return h;
}

JwtClient parse_client(const JsonValue& c, const std::string& where, const std::string& base) {
  JwtClient client;
  client.client_id = need_string(c.find("client_id"), where + "/client_id");
  if (const JsonValue* pem = c.find("public_key_pem")) {
    client.public_key_pem = need_string(pem, where + "/public_key_pem");
  } else if (const JsonValue* file = c.find("public_key_file")) {
    std::string p = need_string(file, where + "/public_key_file");
    client.public_key_pem = read_file(!p.empty() && p[0] == '/' ? p : base + "/" + p);
  } else if (const JsonValue* priv = c.find("private_key_pem")) {
    client.private_key_pem = need_string(priv, where + "/private_key_pem");
    client.public_key_pem = public_pem_from_private(client.private_key_pem);
  } else {
    throw std::runtime_error("config: " + where + " needs public_key_pem or public_key_file");
  }
  if (const JsonValue* priv = c.find("private_key_pem"); priv && priv->is_string())
    client.private_key_pem = std::string(priv->text());
  return client;
}

}  // namespace

Config parse_config(std::string_view json_text, const std::string& base_dir) {
  core::JsonDocument doc;
  core::JsonError err;
  core::JsonLimits limits;
  limits.max_bytes = 64u << 20;
  if (!doc.parse(json_text, &err, limits)) throw std::runtime_error("config: " + err.message);
  const JsonValue& root = doc.root();
  if (!root.is_object()) throw std::runtime_error("config: not a JSON object");
  Config c;
  if (const JsonValue* a = root.find("admin_key"); a && !a->is_null())
    c.admin_key = need_string(a, "/admin_key");
  if (const JsonValue* a = root.find("admin_key_sha256"); a && !a->is_null())
    c.admin_key_sha256 = need_sha256(a, "/admin_key_sha256");
  const JsonValue* orgs = root.find("organisations");
  if (!orgs || !orgs->is_array())
    throw std::runtime_error("config: /organisations must be an array");
  for (std::size_t i = 0; i < orgs->size(); ++i) {
    const JsonValue& o = (*orgs)[i];
    std::string where = "/organisations/" + std::to_string(i);
    if (!o.is_object()) throw std::runtime_error("config: " + where + " must be an object");
    Organisation org;
    org.ods = need_string(o.find("ods"), where + "/ods");
    if (const JsonValue* k = o.find("api_key"))
      org.api_keys.push_back(need_string(k, where + "/api_key"));
    if (const JsonValue* ks = o.find("api_keys")) {
      if (!ks->is_array())
        throw std::runtime_error("config: " + where + "/api_keys must be an array");
      for (std::size_t j = 0; j < ks->size(); ++j)
        org.api_keys.push_back(need_string(&(*ks)[j], where + "/api_keys/" + std::to_string(j)));
    }
    if (const JsonValue* hs = o.find("api_keys_sha256")) {
      if (!hs->is_array())
        throw std::runtime_error("config: " + where + "/api_keys_sha256 must be an array");
      for (std::size_t j = 0; j < hs->size(); ++j)
        org.api_key_sha256s.push_back(
            need_sha256(&(*hs)[j], where + "/api_keys_sha256/" + std::to_string(j)));
    }
    if (o.find("client_id")) org.clients.push_back(parse_client(o, where, base_dir));
    if (const JsonValue* cs = o.find("clients")) {
      if (!cs->is_array())
        throw std::runtime_error("config: " + where + "/clients must be an array");
      for (std::size_t j = 0; j < cs->size(); ++j)
        org.clients.push_back(
            parse_client((*cs)[j], where + "/clients/" + std::to_string(j), base_dir));
    }
    c.organisations.push_back(std::move(org));
  }
  if (const JsonValue* rl = root.find("rate_limit"); rl && rl->is_object()) {
    if (const JsonValue* v = rl->find("per_second"); v && v->is_number())
      c.settings.rate_per_second = v->to_double();
    if (const JsonValue* v = rl->find("burst"); v && v->is_number())
      c.settings.rate_burst = v->to_double();
    if (const JsonValue* v = rl->find("enabled"); v && v->is_bool())
      c.settings.rate_limit = v->as_bool();
  }
  return c;
}

std::string identities_json(const Config& c) {
  using core::json_append_string;
  std::string out = "{\"admin_key\":";
  json_append_string(out, c.admin_key);
  out += ",\"organisations\":[";
  for (std::size_t i = 0; i < c.organisations.size(); ++i) {
    const Organisation& o = c.organisations[i];
    if (i) out += ',';
    out += "{\"ods\":";
    json_append_string(out, o.ods);
    out += ",\"api_keys\":[";
    for (std::size_t j = 0; j < o.api_keys.size(); ++j) {
      if (j) out += ',';
      json_append_string(out, o.api_keys[j]);
    }
    out += "],\"clients\":[";
    for (std::size_t j = 0; j < o.clients.size(); ++j) {
      if (j) out += ',';
      out += "{\"client_id\":";
      json_append_string(out, o.clients[j].client_id);
      out += ",\"public_key_pem\":";
      json_append_string(out, o.clients[j].public_key_pem);
      if (!o.clients[j].private_key_pem.empty()) {
        out += ",\"private_key_pem\":";
        json_append_string(out, o.clients[j].private_key_pem);
      }
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

Config make_demo_config() {
  Config c;
  // Three real-looking trust ODS codes, so tenancy can be exercised with more than a pair.
  for (const char* ods : {"RJ1", "RYJ", "RRK"}) {
    Organisation o;
    o.ods = ods;
    o.api_keys.push_back(random_hex(16));
    JwtClient client;
    client.client_id = "lrms-" + std::string(ods) + "-" + random_hex(4);
    client.private_key_pem = generate_rsa_private_pem();
    client.public_key_pem = public_pem_from_private(client.private_key_pem);
    o.clients.push_back(std::move(client));
    c.organisations.push_back(std::move(o));
  }
  c.admin_key = "admin-" + random_hex(16);
  return c;
}

namespace {
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}
}  // namespace

std::string generate_rsa_private_pem() {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(2048));
  if (!key) throw std::runtime_error("RSA key generation failed");
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
    throw std::runtime_error("PEM_write_bio_PrivateKey failed");
  return bio_string(bio.get());
}

std::string public_pem_from_private(const std::string& private_pem) {
  std::unique_ptr<BIO, BioFree> in(
      BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error("config: unreadable private key");
  std::unique_ptr<BIO, BioFree> out(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PUBKEY(out.get(), key.get()))
    throw std::runtime_error("PEM_write_bio_PUBKEY failed");
  return bio_string(out.get());
}

}  // namespace lfpse::server
