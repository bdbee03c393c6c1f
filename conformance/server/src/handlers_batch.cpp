// POST /adverse-event/fhir: a batch Bundle of up to 100 POST / PUT / DELETE entries, each
// answered in its own slot as the single request would be.
#include "api.hpp"
#include "event_codec.hpp"
#include "request_checks.hpp"
#include "util.hpp"

namespace lfpse::server {

using core::json_append_string;
using core::JsonValue;

namespace {

OpResult entry_error(int status, const std::string& code, const std::string& why) {
  OpResult r;
  r.status = status;
  OutcomeIssue i;
  i.code = issue_type_for_status(status);
  i.detail_code = code;
  i.diagnostics = why;
  r.issues.push_back(i);
  return r;
}

OpResult duplicate_metadata() {
  return entry_error(400, "duplicate-extension", kDuplicateMetadata);
}

std::string str_member(const JsonValue* obj, const char* name) {
  const JsonValue* v = obj && obj->is_object() ? obj->find(name) : nullptr;
  return v && v->is_string() ? std::string(v->text()) : std::string();
}

// "AdverseEvent", "AdverseEvent/<id>", with or without the service's base path.
bool split_url(std::string url, std::string* id) {
  const std::string base = std::string(kFhirBase) + "/";
  std::size_t at = url.find(base);
  if (at != std::string::npos) url = url.substr(at + base.size());
  if (url == "AdverseEvent") {
    id->clear();
    return true;
  }
  if (url.compare(0, 13, "AdverseEvent/") == 0 && url.size() > 13 &&
      url.find('/', 13) == std::string::npos) {
    *id = url.substr(13);
    return true;
  }
  return false;
}

}  // namespace

HttpResponse Api::batch(const HttpRequest& req, const std::string& ods) {
  core::JsonDocument doc;
  HttpResponse err;
  if (!parse_resource_body(req.body, "Bundle", &doc, &err)) return err;
  const JsonValue& bundle = doc.root();
  if (str_member(&bundle, "type") != "batch")
    return error_response(400, "invalid-bundle", "The Bundle's type must be batch.");
  const JsonValue* entries = bundle.find("entry");
  if (entries && !entries->is_array())
    return error_response(400, "invalid-bundle", "Bundle.entry must be an array.");
  std::size_t n = entries ? entries->size() : 0;
  if (n > kMaxBatchEntries)
    return error_response(413, "too-many-entries", "A batch holds at most 100 entries.");

  // Every entry is checked first (in this thread); then all the writer jobs are queued at
  // once, in order, so the entries share one commit instead of one fsync each.
  std::vector<OpResult> results(n);  // never resized: the jobs point into it
  std::vector<WriteJob> jobs;
  jobs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const JsonValue& e = (*entries)[i];
    const JsonValue* request = e.is_object() ? e.find("request") : nullptr;
    const JsonValue* resource = e.is_object() ? e.find("resource") : nullptr;
    std::string method = str_member(request, "method");
    std::string url = str_member(request, "url");
    std::string id;
    OpResult& r = results[i];
    std::string resource_text;  // only read while planning
    if (resource) core::json_append_value(resource_text, *resource);
    bool resource_ok =
        resource && resource->is_object() && str_member(resource, "resourceType") == "AdverseEvent";
    if (!request || !request->is_object() || !split_url(url, &id)) {
      r = entry_error(400, "invalid-entry", "request.method and request.url name an AdverseEvent.");
    } else if (method == "POST" && id.empty()) {
      std::string full = str_member(&e, "fullUrl");
      std::string key = full.compare(0, 9, "urn:uuid:") == 0 ? full.substr(9) : std::string();
      if (!is_uuid(key))
        r = entry_error(400, "idempotency-key-required",
                        "A POST entry's fullUrl is urn:uuid:<Idempotency-Key>, a UUID "
                        "(8-4-4-4-12 hexadecimal digits).");
      else if (!resource_ok)
        r = entry_error(400, "wrong-resource-type", "A POST entry holds an AdverseEvent.");
      else if (has_two_metadata_extensions(*ctx_.taxonomies, *resource))
        r = duplicate_metadata();
      else
        jobs.push_back(plan_create(ods, key, sha256_hex(resource_text), *resource, &r));
    } else if ((method == "PUT" || method == "DELETE") && !id.empty()) {
      std::optional<std::string> if_match;
      std::string im = str_member(request, "ifMatch");
      bool bad_if_match = false;
      if (!im.empty()) {
        if_match = parse_etag(im);
        bad_if_match = !if_match;
      }
      const JsonValue* body_id = resource_ok ? resource->find("id") : nullptr;
      if (bad_if_match) {
        r = entry_error(400, "invalid-if-match", "request.ifMatch must be W/\"<versionId>\".");
      } else if (method == "DELETE") {
        jobs.push_back(plan_withdraw(ods, id, if_match, &r));  // a withdrawal has no resource
      } else if (!resource_ok) {
        r = entry_error(400, "wrong-resource-type", "A PUT entry holds an AdverseEvent.");
      } else if (body_id && (!body_id->is_string() || body_id->text() != id)) {
        r = entry_error(400, "id-mismatch", "The resource's id must be the id in request.url.");
      } else if (has_two_metadata_extensions(*ctx_.taxonomies, *resource)) {
        r = duplicate_metadata();
      } else {
        jobs.push_back(plan_update(ods, id, if_match, *resource, &r));
      }
    } else {
      r = entry_error(400, "invalid-entry",
                      "Entries are POST AdverseEvent, PUT or DELETE AdverseEvent/<id>.");
    }
  }
  ctx_.storage->write_all(std::move(jobs));

  std::string out = "{\"resourceType\":\"Bundle\",\"type\":\"batch-response\",\"entry\":[";
  for (std::size_t i = 0; i < n; ++i) {
    const OpResult& r = results[i];
    if (i) out += ',';
    out += '{';
    bool has_resource = r.issues.empty() && !r.resource.empty();
    if (has_resource) {
      out += "\"resource\":";
      out += r.resource;
      out += ',';
    }
    out += "\"response\":{\"status\":";
    json_append_string(out, status_line(r.status));
    if (!r.location.empty()) {
      out += ",\"location\":";
      json_append_string(out, r.location);
    }
    if (!r.etag.empty()) {
      out += ",\"etag\":";
      json_append_string(out, r.etag);
    }
    if (!r.issues.empty()) {
      out += ",\"outcome\":";
      out += outcome_json(r.issues);
    }
    out += "}}";
  }
  out += "]}";
  HttpResponse resp;
  resp.body = std::move(out);
  return resp;
}

}  // namespace lfpse::server
