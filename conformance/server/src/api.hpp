// The national API and the server's extras (API.md) as one function from request to response,
// independent of sockets: http_server.cpp adapts HTTP/1.1 to it, the tests and the fuzz target
// call it directly.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth.hpp"
#include "config.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "faults.hpp"
#include "http_types.hpp"
#include "outcome.hpp"
#include "rate_limit.hpp"
#include "storage.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::server {

constexpr std::size_t kMaxBodyBytes = 1u << 20;  // API.md: bodies over 1 MiB are 413
constexpr std::size_t kMaxBatchEntries = 100;
constexpr const char* kFhirBase = "/adverse-event/fhir";

/// Everything the handlers share. Owned by main() (or a test), outlives the Api.
struct ServerContext {
  Config config;
  Storage* storage = nullptr;
  taxonomy::TaxonomySet* taxonomies = nullptr;
  std::string epoch;       ///< the feed's epoch (cursors of another epoch answer 410)
  std::string cursor_key;  ///< the HMAC key that binds a cursor to its organisation and epoch
  std::unique_ptr<Auth> auth;
  std::unique_ptr<RateLimiter> limiter;
  Faults faults;
};

/// The outcome of one create / update / withdrawal, as a single request or a batch entry.
struct OpResult {
  int status = 200;
  std::string resource;              ///< the resource (2xx POST/PUT)
  std::vector<OutcomeIssue> issues;  ///< errors
  std::string location;              ///< /adverse-event/fhir/AdverseEvent/{id}/_history/{v}
  std::string etag;                  ///< W/"v"
  std::string last_modified;

  HttpResponse to_http() const;
};

class Api {
 public:
  explicit Api(ServerContext& ctx) : ctx_(ctx) {}

  /// Answers one request. Never throws: internal failures are 500 OperationOutcomes.
  HttpResponse handle(const HttpRequest& req);

 private:
  HttpResponse dispatch(const HttpRequest& req);

  // handlers_meta.cpp
  HttpResponse metadata(const HttpRequest& req);
  HttpResponse taxonomy_list();
  HttpResponse taxonomy_get(const HttpRequest& req, const std::string& version);
  HttpResponse token(const HttpRequest& req);

  // handlers_events.cpp
  HttpResponse create(const HttpRequest& req, const std::string& ods);
  HttpResponse read(const std::string& ods, const std::string& id);
  HttpResponse vread(const std::string& ods, const std::string& id, const std::string& version);
  HttpResponse update(const HttpRequest& req, const std::string& ods, const std::string& id);
  HttpResponse withdraw(const HttpRequest& req, const std::string& ods, const std::string& id);

 public:
  // Shared by single requests and batch entries. `resource` is parsed from `resource_text`.
  // Each plan_ runs the CPU work (validation, mapping) in the caller's thread and returns the
  // writer job that completes `*out`; `resource` must outlive the job. A batch queues all its
  // jobs at once (Storage::write_all), so its entries share a commit.
  using WriteJob = std::function<void(Db&)>;
  WriteJob plan_create(const std::string& ods, const std::string& idempotency_key,
                       const std::string& body_hash, const core::JsonValue& resource,
                       OpResult* out);
  WriteJob plan_update(const std::string& ods, const std::string& id,
                       const std::optional<std::string>& if_match, const core::JsonValue& resource,
                       OpResult* out);
  WriteJob plan_withdraw(const std::string& ods, const std::string& id,
                         const std::optional<std::string>& if_match, OpResult* out);
  /// A single plan, written and waited for.
  OpResult run(const std::function<WriteJob(OpResult*)>& plan);

 private:
  // handlers_feed.cpp
  HttpResponse history(const HttpRequest& req, const std::string& ods);
  // handlers_batch.cpp
  HttpResponse batch(const HttpRequest& req, const std::string& ods);
  // handlers_admin.cpp
  HttpResponse admin_events(const HttpRequest& req);
  HttpResponse admin_review(const HttpRequest& req, const std::string& id);
  HttpResponse admin_faults(const HttpRequest& req);

  ServerContext& ctx_;
};

/// Parses a body that must be one JSON object of `resource_type` (API.md: otherwise 400).
/// On failure fills `error` with the 400 response.
bool parse_resource_body(std::string_view body, const char* resource_type, core::JsonDocument* doc,
                         HttpResponse* error);

/// `W/"3"` or `"3"` -> `3`; nullopt when the header is not an entity tag.
std::optional<std::string> parse_etag(const std::string& header);

std::string event_path(const std::string& id);

}  // namespace lfpse::server
