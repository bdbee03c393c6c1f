// Secrets at rest: the database and its WAL are owner-only, a --config server prints no key
// and keeps none in its database (nor any a --demo run left there), and keys still work.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "config.hpp"
#include "core/json.hpp"
#include "harness.hpp"
#include "util.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

int mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE_MESSAGE(::stat(path.c_str(), &st) == 0, path);
  return static_cast<int>(st.st_mode & 0777);
}

// Every byte the database holds on disk: the file and what its WAL has not yet copied back.
std::string db_bytes(const std::string& db) {
  std::string out = read_text(db);
  struct stat st {};
  if (::stat((db + "-wal").c_str(), &st) == 0) out += read_text(db + "-wal");
  return out;
}

// A line from the middle of a PEM: it appears verbatim wherever the key is kept.
std::string pem_line(const std::string& pem) {
  std::size_t a = pem.find('\n', pem.find('\n') + 1);
  std::string line = pem.substr(a + 1, pem.find('\n', a + 1) - a - 1);
  REQUIRE(line.size() >= 60);
  return line;
}

struct ConfigFile {
  std::string path, api_key, admin_key, private_pem;
};

ConfigFile write_config(const std::string& dir) {
  ConfigFile f;
  f.path = dir + "/config.json";
  f.api_key = "cfg-" + lfpse::server::random_hex(16);
  f.admin_key = "cfg-admin-" + lfpse::server::random_hex(16);
  f.private_pem = lfpse::server::generate_rsa_private_pem();
  std::string text = "{\"admin_key\":\"" + f.admin_key +
                     "\",\"organisations\":[{\"ods\":\"RJ1\",\"api_keys\":[\"" + f.api_key +
                     "\"],\"clients\":[{\"client_id\":\"lrms-rj1\",\"private_key_pem\":";
  lfpse::core::json_append_string(text, f.private_pem);
  text += "}]}]}";
  std::ofstream(f.path) << text;
  return f;
}
}  // namespace

TEST_CASE("secrets: the database, its WAL and shared memory are 0600, also when they were not") {
  mode_t old_mask = ::umask(022);  // what would make them 0644
  std::string dir = make_temp_dir();
  std::string db = dir + "/modes.db";
  {
    ServerProcess s(db);
    auto r = s.client().Post(kAE, auth_key(s.orgs[0].api_key, new_key()),
                             example_fhir("v5-05-risk", "RJ1", "MODE-1"), kFhir);
    REQUIRE(r->status == 201);
    CHECK(mode_of(db) == 0600);
    CHECK(mode_of(db + "-wal") == 0600);
    CHECK(mode_of(db + "-shm") == 0600);
    s.kill9();  // leaves the WAL behind
  }
  ::chmod(db.c_str(), 0644);
  ::chmod((db + "-wal").c_str(), 0644);
  ::chmod((db + "-shm").c_str(), 0644);
  {
    ServerProcess s(db);
    CHECK(mode_of(db) == 0600);
    CHECK(mode_of(db + "-wal") == 0600);
    CHECK(mode_of(db + "-shm") == 0600);
  }
  ::umask(old_mask);
}

TEST_CASE("secrets: with --config the first line prints no key and the keys work") {
  std::string dir = make_temp_dir();
  ConfigFile f = write_config(dir);
  ServerProcess s("", {"--config", f.path, "--no-rate-limit"});
  CHECK(s.first_line.find(f.api_key) == std::string::npos);
  CHECK(s.first_line.find(f.admin_key) == std::string::npos);
  CHECK(s.first_line.find("PRIVATE KEY") == std::string::npos);
  CHECK(s.first_line.find(pem_line(f.private_pem)) == std::string::npos);
  CHECK(json_str(s.first_line, "/organisations/0/ods") == "RJ1");
  CHECK(json_str(s.first_line, "/organisations/0/client_id") == "lrms-rj1");
  auto c = s.client();
  CHECK(c.Get("/taxonomy", auth(f.api_key))->status == 200);
  CHECK(c.Delete("/admin/faults", auth(f.admin_key))->status == 204);
  CHECK(c.Get("/taxonomy", auth(f.api_key + "x"))->status == 401);
}

TEST_CASE("secrets: outside --demo the database holds no key, not even a --demo run's") {
  std::string dir = make_temp_dir();
  std::string db = dir + "/secrets.db";
  std::vector<std::string> demo_secrets;
  {
    ServerProcess s(db);
    for (const auto& o : s.orgs) {
      demo_secrets.push_back(o.api_key);
      demo_secrets.push_back(pem_line(o.private_key_pem));
    }
    demo_secrets.push_back(s.admin_key);
    auto r = s.client().Post(kAE, auth_key(s.orgs[0].api_key, new_key()),
                             example_fhir("v5-05-risk", "RJ1", "KEEP-1"), kFhir);
    REQUIRE(r->status == 201);
    CHECK(s.stop() == 0);
  }
  {
    // --demo may keep its credentials: a restart prints the same ones.
    ServerProcess s(db);
    CHECK(s.orgs[0].api_key == demo_secrets[0]);
    CHECK(s.stop() == 0);
  }
  ConfigFile f = write_config(dir);
  {
    ServerProcess s(db, {"--config", f.path, "--no-rate-limit"});
    auto c = s.client();
    // Its data stays; its own keys work and the demo's do not.
    CHECK(json_size(c.Get(kAE + "/_history", auth(f.api_key))->body, "/entry") == 1);
    CHECK(c.Get("/taxonomy", auth(demo_secrets[0]))->status == 401);
    CHECK(s.stop() == 0);
  }
  std::string bytes = db_bytes(db);
  REQUIRE(bytes.find("KEEP-1") != std::string::npos);  // the search does see the data
  for (const auto& secret : demo_secrets)
    CHECK_MESSAGE(bytes.find(secret) == std::string::npos, secret);
  CHECK(bytes.find(f.api_key) == std::string::npos);
  CHECK(bytes.find(f.admin_key) == std::string::npos);
  CHECK(bytes.find(pem_line(f.private_pem)) == std::string::npos);
  CHECK(bytes.find("PRIVATE KEY") == std::string::npos);
}

TEST_CASE("secrets: the configuration file may hold keys as their SHA-256 only") {
  std::string dir = make_temp_dir();
  const std::string key = "cfg-" + lfpse::server::random_hex(16);
  const std::string admin = "cfg-admin-" + lfpse::server::random_hex(16);
  std::string path = dir + "/hashed.json";
  std::ofstream(path) << "{\"admin_key_sha256\":\"" << lfpse::server::sha256_hex(admin)
                      << "\",\"organisations\":[{\"ods\":\"RJ1\",\"api_keys_sha256\":[\""
                      << lfpse::server::sha256_hex(key) << "\"]}]}";
  ServerProcess s("", {"--config", path, "--no-rate-limit"});
  auto c = s.client();
  CHECK(c.Get("/taxonomy", auth(key))->status == 200);
  CHECK(c.Get("/taxonomy", auth(lfpse::server::sha256_hex(key)))->status == 401);
  CHECK(c.Delete("/admin/faults", auth(admin))->status == 204);
  // A hash that is not one is refused at start.
  std::ofstream(path) << "{\"organisations\":[{\"ods\":\"RJ1\",\"api_keys_sha256\":[\"abc\"]}]}";
  CHECK_THROWS(ServerProcess("", {"--config", path}));
}
