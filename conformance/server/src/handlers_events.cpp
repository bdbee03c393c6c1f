// Create, read, update and withdraw (API.md: Recording, and the endpoint table). The checks
// that depend on stored state run inside the writer's job, so they cannot race each other.
#include <algorithm>
#include <cctype>

#include "api.hpp"
#include "core/ids.hpp"
#include "event_codec.hpp"
#include "event_repo.hpp"
#include "request_checks.hpp"
#include "util.hpp"

namespace lfpse::server {

namespace {

OutcomeIssue plain_issue(int status, const std::string& code, const std::string& why) {
  OutcomeIssue i;
  i.code = issue_type_for_status(status);
  i.detail_code = code;
  i.diagnostics = why;
  return i;
}

OpResult failure(int status, const std::string& code, const std::string& why) {
  OpResult r;
  r.status = status;
  r.issues.push_back(plain_issue(status, code, why));
  return r;
}

std::string etag_of(int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

std::string history_location(const std::string& id, int64_t version) {
  return event_path(id) + "/_history/" + std::to_string(version);
}

OpResult success(int status, EventRow row) {
  OpResult r;
  r.status = status;
  r.resource = std::move(row.resource);
  r.location = history_location(row.id, row.version);
  r.etag = etag_of(row.version);
  return r;
}

OpResult not_found_result() {
  return failure(404, "not-found", "No such event for this organisation.");
}
OpResult gone_result(const std::string& id) {
  return failure(410, "withdrawn", "Event " + id + " has been withdrawn.");
}

// The caller's live event, or nothing with `res` set: 404 for an unknown id or another
// organisation's event (existence does not leak), 410 once withdrawn.
std::optional<EventRow> live_event(Db& db, const std::string& ods, const std::string& id,
                                   OpResult& res) {
  auto row = load_event(db, id);
  if (!row || row->org != ods) {
    res = not_found_result();
    return std::nullopt;
  }
  if (row->withdrawn) {
    res = gone_result(id);
    return std::nullopt;
  }
  return row;
}

Stamp stamp_for(const EventRow& row, const std::string& metadata_url) {
  Stamp s;
  s.id = row.id;
  s.version = row.version;
  s.last_updated = row.last_updated;
  s.reference = row.reference;
  s.route = row.route;
  s.review_status = row.review_status;
  s.review_comment = row.review_comment;
  if (!row.local_id) s.national_org = row.org;
  s.metadata_url = metadata_url;
  return s;
}

}  // namespace

HttpResponse Api::create(const HttpRequest& req, const std::string& ods) {
  std::string key = req.header("Idempotency-Key");
  if (!is_uuid(key))
    return error_response(400, "idempotency-key-required",
                          key.empty()
                              ? "An Idempotency-Key header (a UUID) is required on a create."
                              : "The Idempotency-Key must be a UUID "
                                "(8-4-4-4-12 hexadecimal digits).");
  core::JsonDocument doc;
  HttpResponse err;
  if (!parse_resource_body(req.body, "AdverseEvent", &doc, &err)) return err;
  if (auto refused = refuse_resource(*ctx_.taxonomies, doc.root())) return *refused;
  std::string hash = sha256_hex(req.body);
  return run([&](OpResult* out) { return plan_create(ods, key, hash, doc.root(), out); }).to_http();
}

OpResult Api::run(const std::function<WriteJob(OpResult*)>& plan) {
  OpResult res;
  ctx_.storage->write(plan(&res));
  return res;
}

namespace {
// What a create decides before the writer: the check, the id, and the resource stamped but
// for the two values only the writer knows.
struct CreatePlan {
  CheckedResource chk;
  std::string id;
  std::optional<StampTemplate> stamped;
};
// The last checks of a create or an update, in API.md's order: 409 for a local id that another
// live event holds (its id in the diagnostics, so a client can recover), then 422 for an
// invalid event; `self` is the event being updated (empty for a create). Fills `res` and returns
// true when one applies.
bool refused_after_checks(Db& db, const CheckedResource& chk, const std::string& ods,
                          const std::string& self, OpResult& res) {
  if (!chk.local_id.empty()) {
    if (auto owner = live_local_id_owner(db, ods, chk.local_id, self)) {
      res = failure(409, "duplicate-local-id", "existing=" + *owner);
      return true;
    }
  }
  if (!chk.valid) {
    res.status = 422;
    res.issues = chk.errors;
    return true;
  }
  return false;
}

}  // namespace

Api::WriteJob Api::plan_create(const std::string& ods, const std::string& key,
                               const std::string& body_hash, const core::JsonValue& resource,
                               OpResult* out) {
  auto plan = std::make_shared<CreatePlan>();
  // Validation is the expensive part: it runs here, in the request's thread, in parallel.
  plan->chk = check_resource(*ctx_.taxonomies, resource, ods, core::Clock::system());
  // Time-ordered ids: the events B-tree appends instead of splitting pages.
  plan->id = core::uuid_v7();
  if (plan->chk.valid) {
    EventRow draft;
    draft.id = plan->id;
    draft.org = ods;
    if (!plan->chk.local_id.empty()) draft.local_id = plan->chk.local_id;
    draft.route = "API";
    plan->stamped = stamp_template(resource, stamp_for(draft, plan->chk.metadata_url));
  }
  const core::JsonValue* resource_ptr = &resource;
  return [plan, ods, key, body_hash, resource_ptr, out](Db& db) {
    const CheckedResource& chk = plan->chk;
    const std::string& id = plan->id;
    OpResult& res = *out;
    if (auto rec = load_idempotency(db, ods, key)) {
      if (rec->body_sha256 != body_hash) {
        res = failure(409, "idempotency-key-reused",
                      "This Idempotency-Key was used with a different body.");
        return;
      }
      auto first = load_change(db, rec->event_id, 1);
      if (!first || !first->resource) throw std::runtime_error("idempotency record without event");
      res.status = 200;
      res.resource = *first->resource;
      res.location = history_location(rec->event_id, 1);
      res.etag = etag_of(1);
      return;
    }
    if (refused_after_checks(db, chk, ods, std::string(), res)) return;
    int64_t at = change_instant(db, now_ms());
    EventRow row;
    row.id = id;
    row.org = ods;
    if (!chk.local_id.empty()) row.local_id = chk.local_id;
    row.version = 1;
    row.reference = next_reference(db, ods, at);
    row.route = "API";
    row.last_updated = core::format_rfc3339_ms(at);
    row.resource = plan->stamped ? plan->stamped->fill(row.last_updated, row.reference)
                                 : stamp_resource(*resource_ptr, stamp_for(row, chk.metadata_url));
    save_event(db, row, "POST", at, true);
    save_idempotency(db, ods, key, body_hash, id, at);
    res = success(201, std::move(row));
  };
}

HttpResponse Api::read(const std::string& ods, const std::string& id) {
  OpResult res;
  ctx_.storage->read([&](Db& db) {
    if (auto row = live_event(db, ods, id, res)) {
      res = success(200, *row);
      res.location.clear();
    }
  });
  return res.to_http();
}

HttpResponse Api::vread(const std::string& ods, const std::string& id, const std::string& version) {
  auto v = parse_uint(version);
  OpResult res;
  ctx_.storage->read([&](Db& db) {
    auto row = load_event(db, id);
    auto change = v ? load_change(db, id, *v) : std::nullopt;
    if (!row || row->org != ods || !change) {
      res = not_found_result();
    } else if (!change->resource) {
      res = gone_result(id);
    } else {
      res.status = 200;
      res.resource = *change->resource;
      res.etag = etag_of(change->version);
    }
  });
  return res.to_http();
}

HttpResponse Api::update(const HttpRequest& req, const std::string& ods, const std::string& id) {
  core::JsonDocument doc;
  HttpResponse err;
  if (!parse_resource_body(req.body, "AdverseEvent", &doc, &err)) return err;
  if (auto refused = refuse_resource(*ctx_.taxonomies, doc.root())) return *refused;
  const core::JsonValue* body_id = doc.root().find("id");
  if (body_id && (!body_id->is_string() || body_id->text() != id))
    return error_response(400, "id-mismatch", "The resource's id must be the id in the URL.");
  std::optional<std::string> if_match;
  if (req.has_header("If-Match")) {
    if_match = parse_etag(req.header("If-Match"));
    if (!if_match)
      return error_response(400, "invalid-if-match", "If-Match must be W/\"<versionId>\".");
  }
  return run([&](OpResult* out) { return plan_update(ods, id, if_match, doc.root(), out); })
      .to_http();
}

Api::WriteJob Api::plan_update(const std::string& ods, const std::string& id,
                               const std::optional<std::string>& if_match,
                               const core::JsonValue& resource, OpResult* out) {
  auto checked = std::make_shared<CheckedResource>(
      check_resource(*ctx_.taxonomies, resource, ods, core::Clock::system()));
  const core::JsonValue* resource_ptr = &resource;
  return [checked, ods, id, if_match, resource_ptr, out](Db& db) {
    const CheckedResource& chk = *checked;
    const core::JsonValue& resource = *resource_ptr;
    OpResult& res = *out;
    auto row = live_event(db, ods, id, res);
    if (!row) return;
    if (!if_match) {
      res = failure(428, "if-match-required", "An update needs If-Match: W/\"<versionId>\".");
      return;
    }
    if (*if_match != "*" && *if_match != std::to_string(row->version)) {
      res = failure(
          412, "version-conflict",
          "The event is at version " + std::to_string(row->version) + ", not " + *if_match + ".");
      return;
    }
    if (refused_after_checks(db, chk, ods, id, res)) return;
    int64_t at = change_instant(db, now_ms());
    row->version += 1;
    row->last_updated = core::format_rfc3339_ms(at);
    if (row->local_id && !chk.local_id.empty()) row->local_id = chk.local_id;
    // The server keeps its own sub-extensions whatever the client sends back (API.md).
    row->resource = stamp_resource(resource, stamp_for(*row, chk.metadata_url));
    save_event(db, *row, "PUT", at, false);
    res = success(200, *row);
  };
}

HttpResponse Api::withdraw(const HttpRequest& req, const std::string& ods, const std::string& id) {
  std::optional<std::string> if_match;
  if (req.has_header("If-Match")) {
    if_match = parse_etag(req.header("If-Match"));
    if (!if_match)
      return error_response(400, "invalid-if-match", "If-Match must be W/\"<versionId>\".");
  }
  OpResult res = run([&](OpResult* out) { return plan_withdraw(ods, id, if_match, out); });
  HttpResponse r = res.to_http();
  if (res.status == 204) {
    r.body.clear();
    r.content_type.clear();
    r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(),
                                   [](const auto& h) { return iequals(h.first, "Location"); }),
                    r.headers.end());
  }
  return r;
}

Api::WriteJob Api::plan_withdraw(const std::string& ods, const std::string& id,
                                 const std::optional<std::string>& if_match, OpResult* out) {
  return [ods, id, if_match, out](Db& db) {
    OpResult& res = *out;
    auto row = live_event(db, ods, id, res);
    if (!row) return;
    if (if_match && *if_match != "*" && *if_match != std::to_string(row->version)) {
      res = failure(
          412, "version-conflict",
          "The event is at version " + std::to_string(row->version) + ", not " + *if_match + ".");
      return;
    }
    int64_t at = change_instant(db, now_ms());
    row->version += 1;
    row->withdrawn = true;
    row->last_updated = core::format_rfc3339_ms(at);
    save_event(db, *row, "DELETE", at, false);
    res.status = 204;
    res.etag = etag_of(row->version);
    res.location = history_location(id, row->version);
  };
}

}  // namespace lfpse::server
