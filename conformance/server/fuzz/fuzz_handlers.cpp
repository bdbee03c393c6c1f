// libFuzzer target for the request handlers: the input picks a method, a path, headers and
// a body, and goes through Api::handle without sockets, against a real (temporary) database.
// Built with -DLFPSE_BUILD_FUZZ=ON and clang; run by conformance/server/fuzz/run.sh, from the
// seeds in corpus/ (make_corpus.sh). Every build replays that corpus (regress_server_handlers).
// Built with LFPSE_FUZZ_HTTP, the input is instead the bytes a client sends on one connection,
// read by the server's HTTP layer (serve_bytes: parser, limits, framing) before the handlers;
// its seeds are in http-corpus/ (make_http_corpus.sh).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "api.hpp"
#include "config.hpp"
#include "http_server.hpp"
#include "storage.hpp"
#include "taxonomy/taxonomy_set.hpp"

using namespace lfpse::server;

namespace {

struct World {
  std::string dir;
  std::unique_ptr<Storage> storage;
  lfpse::taxonomy::TaxonomySet taxonomies{true};
  ServerContext ctx;
  std::unique_ptr<Api> api;

  World() {
    char tmpl[] = "/tmp/lfpse-fuzz-server-XXXXXX";
    dir = mkdtemp(tmpl);
    storage = std::make_unique<Storage>(dir + "/fuzz.db");
    Organisation org;
    org.ods = "RJ1";
    org.api_keys.push_back("k");
    // The token seeds name this client, so assertions reach the signature check.
    org.clients.push_back(
        JwtClient{"fuzz-client", public_pem_from_private(generate_rsa_private_pem()), ""});
    ctx.config.organisations.push_back(org);
    ctx.config.admin_key = "a";
    ctx.storage = storage.get();
    ctx.taxonomies = &taxonomies;
    ctx.epoch = "e";
    ctx.auth = std::make_unique<Auth>(ctx.config, 300, storage.get());
    ctx.limiter = std::make_unique<RateLimiter>(false, 50, 100);
    api = std::make_unique<Api>(ctx);
  }
  ~World() {
    storage->stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

World& world() {
  static World w;
  return w;
}

#ifndef LFPSE_FUZZ_HTTP
const char* kMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
const char* kPaths[] = {"/adverse-event/fhir/AdverseEvent",
                        "/adverse-event/fhir/AdverseEvent/_history",
                        "/adverse-event/fhir/AdverseEvent/x",
                        "/adverse-event/fhir",
                        "/adverse-event/fhir/metadata",
                        "/taxonomy/5",
                        "/oauth2/token",
                        "/admin/events",
                        "/admin/review/x",
                        "/admin/faults"};
#endif

}  // namespace

#ifdef LFPSE_FUZZ_HTTP
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Small limits, so that inputs reach them.
  Settings limits;
  limits.max_header_bytes = 2048;
  limits.max_header_count = 20;
  limits.max_body_bytes = 64 * 1024;
  std::string out = serve_bytes(*world().api, limits, {reinterpret_cast<const char*>(data), size});
  world().ctx.faults.clear();
  if (out.find("HTTP/1.1 500") != std::string::npos) std::abort();  // a failure: a bug
  return 0;
}
#else
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  HttpRequest req;
  req.method = kMethods[data[0] % 5];
  req.path = kPaths[data[1] % 10];
  uint8_t flags = data[2];
  std::string rest(reinterpret_cast<const char*>(data + 3), size - 3);
  // Header lines up to the first empty line, then the body.
  std::size_t split = rest.find("\n\n");
  std::string head = split == std::string::npos ? std::string() : rest.substr(0, split);
  req.body = split == std::string::npos ? rest : rest.substr(split + 2);
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t nl = head.find('\n', pos);
    if (nl == std::string::npos) nl = head.size();
    std::string line = head.substr(pos, nl - pos);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos)
      req.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    pos = nl + 1;
  }
  if (flags & 1) req.headers.emplace_back("Ocp-Apim-Subscription-Key", flags & 2 ? "a" : "k");
  if (flags & 4) req.headers.emplace_back("Content-Type", "application/fhir+json");
  if (flags & 8) req.params.emplace("_cursor", req.body.substr(0, 40));
  req.base_url = "http://127.0.0.1:1";
  // Fault rules would make later inputs behave differently: never keep them.
  HttpResponse r = world().api->handle(req);
  world().ctx.faults.clear();
  if (r.status >= 500) std::abort();  // a handler failed on some input: a bug
  return 0;
}
#endif
