// The server's own request and response types: the handlers take and return these, so they
// run without sockets (tests, the fuzz target) and the HTTP library stays in http_server.cpp.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lfpse::server {

struct HttpRequest {
  std::string method;                              ///< upper case: GET, POST, PUT, DELETE, ...
  std::string path;                                ///< without the query
  std::multimap<std::string, std::string> params;  ///< decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  ///< names as received
  std::string body;
  bool body_too_large = false;  ///< the transport stopped reading at the body limit
  std::string base_url;         ///< "http://host:port" as the client reached the server
  std::string remote;           ///< "addr:port", for the access log

  /// The first header with this name (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  /// The first value of a query parameter, or nullptr.
  const std::string* param(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/fhir+json";

  /// Fault actions (API.md, the server's extras): drop the connection instead of answering.
  enum class Drop { None, BeforeHandling, AfterCommit };
  Drop drop = Drop::None;
  std::string caller;  ///< the organisation or "admin", for the access log only

  void set_header(const std::string& name, const std::string& value);
  std::string header(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace lfpse::server
