// The reference server's extras (API.md): events recorded as if through the online form,
// national reviews, and fault rules. Reached only with the admin key.
#include "api.hpp"
#include "core/ids.hpp"
#include "event_codec.hpp"
#include "event_repo.hpp"
#include "util.hpp"

namespace lfpse::server {

using core::JsonValue;

HttpResponse Api::admin_events(const HttpRequest& req) {
  CheckedDocument chk = check_document(*ctx_.taxonomies, req.body, core::Clock::system());
  if (chk.valid && !ctx_.auth->has_organisation(chk.organisation)) {
    OutcomeIssue i;
    i.code = "invalid";
    i.detail_code = "invalid-organisation";
    i.diagnostics = "No organisation " + chk.organisation + " is configured.";
    i.pointer = "/organisation";
    i.has_pointer = true;
    chk.errors.push_back(i);
    chk.valid = false;
  }
  if (!chk.valid) return error_response(422, chk.errors);
  core::JsonDocument fhir;
  core::JsonError err;
  if (!fhir.parse(chk.fhir, &err)) throw std::runtime_error("to_fhir wrote invalid JSON");
  OpResult res;
  ctx_.storage->write([&](Db& db) {
    int64_t at = change_instant(db, now_ms());
    EventRow row;
    row.id = core::uuid_v7();
    row.org = chk.organisation;
    row.version = 1;
    row.reference = next_reference(db, row.org, at);
    row.route = "OIR";
    row.last_updated = core::format_rfc3339_ms(at);
    Stamp s;
    s.id = row.id;
    s.version = 1;
    s.last_updated = row.last_updated;
    s.reference = row.reference;
    s.route = row.route;
    s.national_org = row.org;
    s.metadata_url = chk.metadata_url;
    row.resource = stamp_resource(fhir.root(), s);
    save_event(db, row, "POST", at, true);
    res.status = 201;
    res.resource = row.resource;
    res.location = event_path(row.id) + "/_history/1";
    res.etag = "W/\"1\"";
  });
  return res.to_http();
}

HttpResponse Api::admin_review(const HttpRequest& req, const std::string& id) {
  core::JsonDocument doc;
  core::JsonError err;
  if (!doc.parse(req.body, &err) || !doc.root().is_object())
    return error_response(400, "malformed",
                          "The body must be {\"ReviewStatus\", \"ReviewComment\"}.");
  std::optional<std::string> status, comment;
  if (const JsonValue* s = doc.root().find("ReviewStatus"); s && !s->is_null()) {
    std::string v = s->is_string() ? std::string(s->text()) : std::string();
    if (v != "received" && v != "under-review" && v != "more-information-requested" &&
        v != "closed")
      return error_response(
          400, "invalid-code",
          "ReviewStatus is received, under-review, more-information-requested or closed.");
    status = v;
  }
  if (const JsonValue* c = doc.root().find("ReviewComment"); c && !c->is_null()) {
    if (!c->is_string()) return error_response(400, "invalid-type", "ReviewComment is a string.");
    comment = std::string(c->text());
  }
  OpResult res;
  ctx_.storage->write([&](Db& db) {
    auto row = load_event(db, id);
    if (!row) {
      res.status = 404;
      return;
    }
    if (row->withdrawn) {
      res.status = 410;
      return;
    }
    core::JsonDocument stored;
    core::JsonError e;
    if (!stored.parse(row->resource, &e)) throw std::runtime_error("stored resource unreadable");
    int64_t at = change_instant(db, now_ms());
    row->version += 1;
    row->last_updated = core::format_rfc3339_ms(at);
    if (status) row->review_status = status;
    if (comment) row->review_comment = comment;
    Stamp s;
    s.id = row->id;
    s.version = row->version;
    s.last_updated = row->last_updated;
    s.reference = row->reference;
    s.route = row->route;
    s.review_status = row->review_status;
    s.review_comment = row->review_comment;
    s.metadata_url = metadata_url_of(*ctx_.taxonomies, stored.root());
    row->resource = stamp_resource(stored.root(), s);
    save_event(db, *row, "PUT", at, false);
    res.status = 200;
    res.resource = row->resource;
    res.etag = "W/\"" + std::to_string(row->version) + "\"";
  });
  if (res.status == 404) return error_response(404, "not-found", "No event " + id + ".");
  if (res.status == 410)
    return error_response(410, "withdrawn", "Event " + id + " has been withdrawn.");
  return res.to_http();
}

HttpResponse Api::admin_faults(const HttpRequest& req) {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  if (req.method == "DELETE") {
    ctx_.faults.clear();
    return r;
  }
  std::vector<FaultRule> rules;
  std::string why;
  if (!Faults::parse(req.body, &rules, &why)) return error_response(400, "invalid-faults", why);
  ctx_.faults.add(std::move(rules));
  return r;
}

}  // namespace lfpse::server
