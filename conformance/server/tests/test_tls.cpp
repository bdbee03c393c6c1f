// HTTPS: the server started with --tls-cert/--tls-key on a self-signed certificate made here
// (OpenSSL's C API, so the test needs no openssl command), spoken to with cpp-httplib's SSL
// client verifying against that certificate.
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "harness.hpp"
#include "raw_socket.hpp"

using namespace lfpse::server::test;

namespace {

const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

void add_ext(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext || X509_add_ext(cert, ext, -1) != 1) throw std::runtime_error("X509 extension");
  X509_EXTENSION_free(ext);
}

// A P-256 key and a self-signed certificate for 127.0.0.1 (CN and IP SAN), valid an hour.
void make_self_signed(const std::string& cert_path, const std::string& key_path) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!key || !cert) throw std::runtime_error("cannot make a key");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(cert.get(), NID_subject_alt_name, "IP:127.0.0.1");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) throw std::runtime_error("X509_sign");
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  bool ok = c && k && PEM_write_X509(c, cert.get()) == 1 &&
            PEM_write_PrivateKey(k, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (c) std::fclose(c);
  if (k) std::fclose(k);
  if (!ok) throw std::runtime_error("cannot write the certificate or key");
}

// A TLS handshake with the server offering only `version` and, for TLS 1.2, only `ciphers`;
// the cipher agreed, or "" when the server refused. The client allows everything OpenSSL
// can (security level 0), so a refusal is the server's.
std::string handshake(int port, int version, const char* ciphers, const std::string& ca = {}) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  if (ciphers) SSL_CTX_set_cipher_list(ctx.get(), ciphers);
  if (!ca.empty()) {
    SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  }
  int fd = raw_connect(port);
  if (fd < 0) return {};
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  std::string agreed;
  if (SSL_connect(ssl.get()) == 1) agreed = SSL_get_cipher_name(ssl.get());
  close(fd);
  return agreed;
}

}  // namespace

TEST_CASE("tls: only TLS 1.2 and 1.3, and in 1.2 only ECDHE key exchange with AEAD ciphers") {
  std::string dir = make_temp_dir();
  std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  make_self_signed(cert, key);
  ServerProcess s(std::string(), {"--no-rate-limit", "--tls-cert", cert, "--tls-key", key});
  CHECK(handshake(s.port, TLS1_3_VERSION, nullptr).rfind("TLS_AES_", 0) == 0);
  CHECK(handshake(s.port, TLS1_2_VERSION, "ECDHE-ECDSA-AES128-GCM-SHA256") ==
        "ECDHE-ECDSA-AES128-GCM-SHA256");
  CHECK(handshake(s.port, TLS1_2_VERSION, "ECDHE-ECDSA-CHACHA20-POLY1305") ==
        "ECDHE-ECDSA-CHACHA20-POLY1305");
  // CBC, with SHA-1 or SHA-2 MACs; no forward secrecy; older protocols.
  CHECK(handshake(s.port, TLS1_2_VERSION, "ECDHE-ECDSA-AES128-SHA").empty());
  CHECK(handshake(s.port, TLS1_2_VERSION, "ECDHE-ECDSA-AES256-SHA384").empty());
  CHECK(handshake(s.port, TLS1_2_VERSION, "AES128-GCM-SHA256:AES256-SHA").empty());
  CHECK(handshake(s.port, TLS1_1_VERSION, "ALL:@SECLEVEL=0").empty());
  CHECK(handshake(s.port, TLS1_VERSION, "ALL:@SECLEVEL=0").empty());
  CHECK(s.running());
}

TEST_CASE("tls: SIGHUP loads a renewed certificate for new connections") {
  std::string dir = make_temp_dir(), renewed = make_temp_dir();
  std::string cert = dir + "/cert.pem", key = dir + "/key.pem", served = dir + "/served.pem";
  make_self_signed(cert, key);
  make_self_signed(renewed + "/cert.pem", renewed + "/key.pem");
  {  // a copy of the served certificate, to trust it after cert.pem is replaced
    std::FILE* f = std::fopen(served.c_str(), "w");
    std::fputs(read_text(cert).c_str(), f);
    std::fclose(f);
  }
  ServerProcess s(std::string(), {"--no-rate-limit", "--tls-cert", cert, "--tls-key", key});
  CHECK(!handshake(s.port, TLS1_3_VERSION, nullptr, served).empty());
  CHECK(handshake(s.port, TLS1_3_VERSION, nullptr, renewed + "/cert.pem").empty());
  // A certificate without its key is refused, and the one in use stays.
  REQUIRE(std::rename((renewed + "/cert.pem").c_str(), cert.c_str()) == 0);
  kill(s.pid, SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(s.running());
  CHECK(!handshake(s.port, TLS1_3_VERSION, nullptr, served).empty());
  // With its key, the renewed certificate is served to new connections.
  REQUIRE(std::rename((renewed + "/key.pem").c_str(), key.c_str()) == 0);
  kill(s.pid, SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(!handshake(s.port, TLS1_3_VERSION, nullptr, cert).empty());
  CHECK(handshake(s.port, TLS1_3_VERSION, nullptr, served).empty());
  CHECK(s.stop() == 0);
}

TEST_CASE("tls: with a certificate the server speaks HTTPS only, and creates and reads over it") {
  std::string dir = make_temp_dir();
  std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  make_self_signed(cert, key);
  ServerProcess s(std::string(), {"--no-rate-limit", "--tls-cert", cert, "--tls-key", key});
  CHECK(s.url.rfind("https://127.0.0.1:", 0) == 0);
  CHECK(s.token_url == s.url + "/oauth2/token");

  httplib::SSLClient c(s.host, s.port);
  c.set_ca_cert_path(cert.c_str());
  c.enable_server_certificate_verification(true);
  c.set_connection_timeout(5);
  c.set_read_timeout(30);
  const std::string api_key = s.orgs[0].api_key;
  auto created =
      c.Post(kAE, auth_key(api_key, new_key()), example_fhir("v5-05-risk", "RJ1", "TLS-1"), kFhir);
  REQUIRE(created);
  CHECK(created->status == 201);
  std::string id = json_str(created->body, "/id");
  REQUIRE(!id.empty());
  auto read = c.Get(kAE + "/" + id, auth(api_key));
  REQUIRE(read);
  CHECK(read->status == 200);
  CHECK(json_str(read->body, "/id") == id);
  CHECK(read->get_header_value("ETag") == "W/\"1\"");

  // A client that does not trust the certificate is refused by its own verification.
  httplib::SSLClient untrusting(s.host, s.port);
  untrusting.enable_server_certificate_verification(true);
  untrusting.set_ca_cert_path((dir + "/none.pem").c_str());
  untrusting.set_connection_timeout(5);
  CHECK(!untrusting.Get("/adverse-event/fhir/metadata"));

  // Plain HTTP to the TLS port gets no HTTP answer, and the server stays up.
  httplib::Client plain(s.host, s.port);
  plain.set_connection_timeout(5);
  plain.set_read_timeout(5);
  CHECK(!plain.Get("/adverse-event/fhir/metadata", auth(api_key)));
  CHECK(s.running());
  auto again = c.Get("/adverse-event/fhir/metadata");
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(s.stop() == 0);
}
