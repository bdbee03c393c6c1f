// The CapabilityStatement, the taxonomy endpoints and the token endpoint.
#include <algorithm>

#include "api.hpp"
#include "util.hpp"

namespace lfpse::server {

using core::json_append_string;

HttpResponse Api::metadata(const HttpRequest&) {
  std::string out =
      "{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\",\"date\":\"2026-11-26\","
      "\"publisher\":\"lfpse-sdk reference server\",\"kind\":\"instance\","
      "\"software\":{\"name\":\"lfpse-server\"},\"fhirVersion\":\"4.0.1\","
      "\"format\":[\"application/fhir+json\",\"application/json\"],"
      "\"rest\":[{\"mode\":\"server\",\"security\":{\"description\":"
      "\"Ocp-Apim-Subscription-Key, or a bearer token from /oauth2/token (RS512 client "
      "assertion)\"},\"resource\":[{\"type\":\"AdverseEvent\",\"supportedProfile\":[";
  auto all = ctx_.taxonomies->all();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i) out += ',';
    json_append_string(out, all[i]->fhir_profile);
  }
  out +=
      "],\"interaction\":[{\"code\":\"create\"},{\"code\":\"read\"},{\"code\":\"vread\"},"
      "{\"code\":\"update\"},{\"code\":\"delete\"},{\"code\":\"history-type\"}],"
      "\"versioning\":\"versioned-update\",\"readHistory\":false,\"updateCreate\":false,"
      "\"conditionalCreate\":false,\"conditionalUpdate\":false,\"conditionalDelete\":"
      "\"not-supported\"}],\"interaction\":[{\"code\":\"batch\"}]}]}";
  HttpResponse r;
  r.body = std::move(out);
  return r;
}

HttpResponse Api::taxonomy_list() {
  auto all = ctx_.taxonomies->all();  // oldest first
  std::string out = "{\"versions\":[";
  for (std::size_t i = all.size(); i-- > 0;) {
    if (i + 1 != all.size()) out += ',';
    out += "{\"version\":";
    json_append_string(out, all[i]->version);
    out += ",\"published\":";
    json_append_string(out, all[i]->published);
    out += ",\"current\":";
    out += i + 1 == all.size() ? "true" : "false";
    out += '}';
  }
  out += "]}";
  HttpResponse r;
  r.body = std::move(out);
  r.content_type = "application/json";
  return r;
}

HttpResponse Api::taxonomy_get(const HttpRequest& req, const std::string& version) {
  taxonomy::TaxonomyPtr tax = ctx_.taxonomies->find(version);
  if (!tax)
    return error_response(404, "unknown-version", "No taxonomy version " + version + " is served.");
  // A strong tag over the served bytes: the document is immutable once loaded.
  std::string etag = "\"" + sha256_hex(tax->source_json).substr(0, 32) + "\"";
  HttpResponse r;
  r.set_header("ETag", etag);
  r.set_header("Cache-Control", "no-cache");
  std::string inm = req.header("If-None-Match");
  if (!inm.empty()) {
    std::size_t pos = 0;
    while (pos <= inm.size()) {
      std::size_t comma = inm.find(',', pos);
      if (comma == std::string::npos) comma = inm.size();
      std::string tag = inm.substr(pos, comma - pos);
      tag.erase(0, tag.find_first_not_of(" \t"));
      tag.erase(tag.find_last_not_of(" \t") + 1);
      if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);  // If-None-Match compares weakly
      if (tag == "*" || tag == etag) {
        r.status = 304;
        r.content_type.clear();
        return r;
      }
      pos = comma + 1;
    }
  }
  r.body = tax->source_json;
  r.content_type = "application/json";
  return r;
}

namespace {
HttpResponse oauth_error(int status, const std::string& error, const std::string& description) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = "{\"error\":";
  json_append_string(r.body, error);
  r.body += ",\"error_description\":";
  json_append_string(r.body, description);
  r.body += '}';
  r.set_header("Cache-Control", "no-store");
  return r;
}
}  // namespace

HttpResponse Api::token(const HttpRequest& req) {
  if (req.body_too_large || req.body.size() > kMaxBodyBytes)
    return oauth_error(413, "invalid_request", "The body is larger than 1 MiB.");
  std::string ct = req.header("Content-Type");
  std::string media = ct.substr(0, ct.find(';'));
  media.erase(media.find_last_not_of(" \t") + 1);
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (media != "application/x-www-form-urlencoded")
    return oauth_error(415, "invalid_request",
                       "The token endpoint takes application/x-www-form-urlencoded.");
  auto form = parse_form(req.body);
  if (!form)
    return oauth_error(400, "invalid_request", "The form is malformed or repeats a parameter.");
  // The configured public URL only: an audience built from the Host header would accept an
  // assertion made for any other service's token URL (API.md).
  std::vector<std::string> audiences{ctx_.config.settings.public_url + "/oauth2/token"};
  TokenError err;
  auto grant = ctx_.auth->exchange(*form, audiences, now_ms(), &err);
  // RFC 6749 5.2 allows 401 for invalid_client; API.md asks for 400 for every failure.
  if (!grant) return oauth_error(400, err.error, err.description);
  HttpResponse r;
  r.content_type = "application/json";
  r.body = "{\"access_token\":";
  json_append_string(r.body, grant->access_token);
  r.body += ",\"token_type\":\"Bearer\",\"expires_in\":" + std::to_string(grant->expires_in) + "}";
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace lfpse::server
