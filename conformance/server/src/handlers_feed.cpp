// GET /adverse-event/fhir/AdverseEvent/_history: the organisation's changes, oldest first.
#include "api.hpp"
#include "event_repo.hpp"
#include "feed.hpp"
#include "util.hpp"

namespace lfpse::server {

using core::json_append_string;

namespace {
constexpr int64_t kDefaultCount = 100;
constexpr int64_t kMaxCount = 1000;

HttpResponse cursor_expired(const std::string& why) {
  return error_response(410, "cursor-expired",
                        why + " Read the whole feed again from the beginning.");
}
}  // namespace

HttpResponse Api::history(const HttpRequest& req, const std::string& ods) {
  int64_t count = kDefaultCount;
  if (const std::string* c = req.param("_count")) {
    auto n = parse_uint(*c);
    if (!n || *n < 1)
      return error_response(400, "invalid-parameter", "_count must be a positive integer.");
    count = std::min(*n, kMaxCount);
  }
  std::optional<int64_t> since;
  if (const std::string* s = req.param("_since")) {
    since = core::parse_datetime(*s);
    if (!since)
      return error_response(400, "invalid-parameter", "_since must be an instant (RFC 3339).");
  }
  const CursorScope scope{ctx_.cursor_key, ods, ctx_.epoch};
  std::optional<int64_t> cursor;
  if (const std::string* c = req.param("_cursor")) {
    // One answer for every cursor not issued to this organisation in this epoch: whether it
    // is forged, another's or of an earlier epoch is not the caller's to learn.
    cursor = decode_cursor(scope, *c);
    if (!cursor)
      return cursor_expired(
          "The cursor is not one this server issued to this organisation in "
          "this epoch of its feed.");
    since.reset();  // a cursor says exactly where to resume
  }

  std::vector<ChangeRow> rows;
  int64_t next_pos = 0;
  bool expired = false;
  ctx_.storage->read([&](Db& db) {
    int64_t top = last_position(db, ods);
    if (cursor && *cursor > top) {
      expired = true;  // a restore without --new-epoch lost what the cursor had seen
      return;
    }
    rows = load_changes(db, ods, cursor.value_or(0), since, count,
                        ctx_.config.settings.feed_page_bytes);
    next_pos = !rows.empty() ? rows.back().org_seq : cursor ? *cursor : top;
  });
  if (expired) return cursor_expired("The cursor is ahead of this server's feed.");

  // Links under the configured public URL: a request's Host header never reaches them.
  const std::string self_base = ctx_.config.settings.public_url + kFhirBase + "/AdverseEvent";
  std::string next = self_base + "/_history?_cursor=" + encode_cursor(scope, next_pos);
  if (req.param("_count")) next += "&_count=" + std::to_string(count);

  std::string out;
  out.reserve(1024 + rows.size() * 6000);
  out +=
      "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"link\":[{\"relation\":\"next\",\"url\":";
  json_append_string(out, next);
  out += "}],\"entry\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ChangeRow& c = rows[i];
    if (i) out += ',';
    out += "{\"fullUrl\":";
    json_append_string(out, self_base + "/" + c.event_id);
    if (c.resource) {
      out += ",\"resource\":";
      out += *c.resource;
    }
    out += ",\"request\":{\"method\":\"" + c.method + "\",\"url\":";
    json_append_string(
        out, c.method == "POST" ? std::string("AdverseEvent") : "AdverseEvent/" + c.event_id);
    out += "},\"response\":{\"status\":\"";
    out += c.method == "POST" ? "201" : c.method == "PUT" ? "200" : "204";
    out += "\",\"etag\":";
    json_append_string(out, "W/\"" + std::to_string(c.version) + "\"");
    out += ",\"lastModified\":";
    json_append_string(out, core::format_rfc3339_ms(c.at_ms));
    out += "}}";
  }
  out += "]}";
  HttpResponse r;
  r.body = std::move(out);
  return r;
}

}  // namespace lfpse::server
