#include "api.hpp"

#include <cctype>
#include <chrono>
#include <exception>
#include <thread>

#include "util.hpp"

namespace lfpse::server {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string trim_lower(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// API.md: application/fhir+json or application/json, with or without parameters; a charset
// other than UTF-8 cannot be JSON as TAXONOMY.md reads it.
bool content_type_is(const std::string& header, std::initializer_list<const char*> types) {
  std::size_t semi = header.find(';');
  std::string media = trim_lower(std::string_view(header).substr(0, semi));
  bool ok = false;
  for (const char* t : types) ok = ok || media == t;
  if (!ok) return false;
  while (semi != std::string::npos) {
    std::size_t next = header.find(';', semi + 1);
    std::string param = trim_lower(std::string_view(header).substr(semi + 1, next - semi - 1));
    semi = next;
    if (param.empty()) continue;
    if (starts_with(param, "charset=")) {
      std::string v = param.substr(8);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      if (v != "utf-8" && v != "utf8") return false;
    }
  }
  return true;
}

HttpResponse unauthorized(const Caller& c) {
  bool token = c.failure == "invalid_token";
  HttpResponse r =
      error_response(401, token ? "invalid-token" : "unauthorized",
                     c.failure == "missing"
                         ? "Credentials are required: Ocp-Apim-Subscription-Key or a bearer token."
                     : token ? "The access token is unknown or has expired."
                             : "The credentials are not valid for this endpoint.");
  r.set_header("WWW-Authenticate",
               token ? "Bearer error=\"invalid_token\"" : "Bearer realm=\"lfpse\"");
  return r;
}

HttpResponse method_not_allowed(const char* allow) {
  HttpResponse r =
      error_response(405, "method-not-allowed", "This method is not offered on this path.");
  r.set_header("Allow", allow);
  return r;
}

HttpResponse not_found() {
  return error_response(404, "not-found", "There is nothing at this path.");
}

}  // namespace

std::string event_path(const std::string& id) {
  return std::string(kFhirBase) + "/AdverseEvent/" + id;
}

HttpResponse OpResult::to_http() const {
  HttpResponse r;
  r.status = status;
  if (!issues.empty()) {
    r.body = outcome_json(issues);
  } else {
    r.body = resource;
  }
  if (!location.empty()) r.set_header("Location", location);
  if (!etag.empty()) r.set_header("ETag", etag);
  if (!last_modified.empty()) r.set_header("Last-Modified", last_modified);
  return r;
}

std::optional<std::string> parse_etag(const std::string& header) {
  std::string_view v = header;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v == "*") return std::string("*");
  if (starts_with(v, "W/")) v.remove_prefix(2);
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::nullopt;
  return std::string(v.substr(1, v.size() - 2));
}

bool parse_resource_body(std::string_view body, const char* resource_type, core::JsonDocument* doc,
                         HttpResponse* error) {
  core::JsonError err;
  if (!doc->parse(body, &err)) {
    *error = error_response(400, "malformed", "The body is not JSON: " + err.message);
    return false;
  }
  const core::JsonValue& root = doc->root();
  const core::JsonValue* type = root.is_object() ? root.find("resourceType") : nullptr;
  if (!type || !type->is_string() || type->text() != resource_type) {
    *error = error_response(400, "wrong-resource-type",
                            std::string("The body must be a FHIR ") + resource_type + ".");
    return false;
  }
  return true;
}

HttpResponse Api::handle(const HttpRequest& req) {
  HttpResponse::Drop drop_after = HttpResponse::Drop::None;
  try {
    // Fault rules come first: they model a gateway or network failing before the service.
    if (!starts_with(req.path, "/admin/")) {
      if (auto rule = ctx_.faults.take(req.method, req.path)) {
        if (rule->action == "status") {
          HttpResponse r =
              error_response(rule->status, "injected-fault", "A fault rule answered this request.");
          if (rule->retry_after) r.set_header("Retry-After", std::to_string(*rule->retry_after));
          return r;
        }
        if (rule->action == "reset_before") {
          HttpResponse r;
          r.drop = HttpResponse::Drop::BeforeHandling;
          return r;
        }
        if (rule->action == "delay_ms")
          std::this_thread::sleep_for(std::chrono::milliseconds(rule->delay_ms));
        if (rule->action == "reset_after") drop_after = HttpResponse::Drop::AfterCommit;
      }
    }
    HttpResponse r = dispatch(req);
    if (drop_after != HttpResponse::Drop::None) r.drop = drop_after;
    return r;
  } catch (const std::exception& e) {
    return error_response(500, "internal", std::string("The server failed: ") + e.what());
  }
}

HttpResponse Api::dispatch(const HttpRequest& req) {
  const std::string& p = req.path;
  const std::string& m = req.method;
  const std::string base = kFhirBase;

  // The two endpoints that take no credentials.
  if (p == base + "/metadata") return m == "GET" ? metadata(req) : method_not_allowed("GET");
  if (p == "/oauth2/token") return m == "POST" ? token(req) : method_not_allowed("POST");

  bool admin_path = starts_with(p, "/admin/");
  if (admin_path && !ctx_.auth->admin_enabled()) return not_found();

  // 401, then 429 (API.md's order of checks).
  Caller caller = ctx_.auth->identify(req, now_ms());
  if (admin_path) {
    if (caller.kind != Caller::Kind::Admin) return unauthorized(caller);
  } else {
    if (caller.kind != Caller::Kind::Organisation) {
      if (caller.kind == Caller::Kind::Admin) caller.failure = "invalid_key";
      return unauthorized(caller);
    }
    int retry_after = 1;
    if (!ctx_.limiter->take(caller.ods, now_ms(), &retry_after)) {
      HttpResponse r = error_response(429, "throttled", "Too many requests for this organisation.");
      r.set_header("Retry-After", std::to_string(retry_after));
      return r;
    }
  }
  // 413, then 415.
  if (req.body_too_large || req.body.size() > kMaxBodyBytes)
    return error_response(413, "too-large", "The body is larger than 1 MiB.");
  bool has_body = m == "POST" || m == "PUT";
  if (has_body &&
      !content_type_is(req.header("Content-Type"), {"application/fhir+json", "application/json"}))
    return error_response(415, "unsupported-media-type",
                          "The body must be application/fhir+json or application/json.");

  HttpResponse r;
  const std::string ae = base + "/AdverseEvent";
  if (admin_path) {
    if (p == "/admin/events") {
      r = m == "POST" ? admin_events(req) : method_not_allowed("POST");
    } else if (starts_with(p, "/admin/review/") && p.size() > 14) {
      r = m == "POST" ? admin_review(req, p.substr(14)) : method_not_allowed("POST");
    } else if (p == "/admin/faults") {
      r = m == "POST" || m == "DELETE" ? admin_faults(req) : method_not_allowed("POST, DELETE");
    } else {
      r = not_found();
    }
    r.caller = "admin";
    return r;
  }
  if (p == ae) {
    r = m == "POST" ? create(req, caller.ods) : method_not_allowed("POST");
  } else if (p == ae + "/_history") {
    r = m == "GET" ? history(req, caller.ods) : method_not_allowed("GET");
  } else if (starts_with(p, ae + "/") && p.size() > ae.size() + 1) {
    std::string rest = p.substr(ae.size() + 1);
    std::size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      if (m == "GET")
        r = read(caller.ods, rest);
      else if (m == "PUT")
        r = update(req, caller.ods, rest);
      else if (m == "DELETE")
        r = withdraw(req, caller.ods, rest);
      else
        r = method_not_allowed("GET, PUT, DELETE");
    } else if (rest.compare(slash, 10, "/_history/") == 0 && rest.size() > slash + 10) {
      r = m == "GET" ? vread(caller.ods, rest.substr(0, slash), rest.substr(slash + 10))
                     : method_not_allowed("GET");
    } else {
      r = not_found();
    }
  } else if (p == base || p == base + "/") {
    r = m == "POST" ? batch(req, caller.ods) : method_not_allowed("POST");
  } else if (p == "/taxonomy") {
    r = m == "GET" ? taxonomy_list() : method_not_allowed("GET");
  } else if (starts_with(p, "/taxonomy/") && p.size() > 10) {
    r = m == "GET" ? taxonomy_get(req, p.substr(10)) : method_not_allowed("GET");
  } else {
    r = not_found();
  }
  r.caller = caller.ods;
  return r;
}

}  // namespace lfpse::server
