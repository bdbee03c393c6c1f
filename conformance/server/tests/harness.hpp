// Starts the real lfpse-server (port 0, --demo, a temporary database) and talks to it with
// cpp-httplib's client; builds request bodies with the SDK's own FHIR mapping.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace lfpse::server::test {

struct DemoOrg {
  std::string ods, api_key, client_id, private_key_pem;
};

class ServerProcess {
 public:
  /// Starts the server on `db` (a new temporary one when empty) and reads its first line;
  /// with --demo unless `extra` holds --config.
  explicit ServerProcess(std::string db = std::string(),
                         std::vector<std::string> extra = {"--no-rate-limit"});
  ~ServerProcess();

  /// SIGTERM, then waits; returns the exit status (-1 when it did not exit in time).
  int stop();
  /// SIGKILL, then waits.
  void kill9();
  bool running();

  httplib::Client client() const;
  std::string url, host, admin_key, token_url, db, dir;
  std::string first_line;  ///< as printed
  int port = 0;
  std::vector<DemoOrg> orgs;
  pid_t pid = -1;
};

std::string make_temp_dir();
std::string read_text(const std::string& path);

/// An example event (examples/events/<name>.json) for `ods` with `local_id`, as the SDK maps it
/// to FHIR. `edit` may change the event document's text first.
std::string example_event(const std::string& name, const std::string& ods,
                          const std::string& local_id);
std::string to_fhir_text(const std::string& event_json);
std::string example_fhir(const std::string& name, const std::string& ods,
                         const std::string& local_id);

std::string new_key();

httplib::Headers auth(const std::string& key);
httplib::Headers auth_key(const std::string& key, const std::string& idempotency_key);

/// A member of a JSON text at a JSON Pointer, as compact JSON text ("" when absent).
std::string json_at(const std::string& text, const std::string& pointer);
/// A string member at a pointer, unquoted ("" when absent or not a string).
std::string json_str(const std::string& text, const std::string& pointer);
std::size_t json_size(const std::string& text, const std::string& pointer);

/// A signed RS512 client assertion with the given claims JSON.
std::string make_jwt(const std::string& private_key_pem, const std::string& header_json,
                     const std::string& claims_json);

}  // namespace lfpse::server::test
