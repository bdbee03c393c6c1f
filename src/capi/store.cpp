// lfpse_store_*: translation only; the logic lives in src/store.
#include "store/store.hpp"

#include <array>
#include <optional>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json.hpp"

using namespace lfpse;

struct lfpse_store_options {
  store::StoreOptions options;
};

struct lfpse_store {
  std::unique_ptr<store::Store> impl;
};

namespace {

// Thrown through the store's export loop when the caller's callback asks to stop.
struct ExportStopped {};

store::Store& the(lfpse_store* s) { return *capi::need(s, "store")->impl; }

lfpse_store_options& opts_of(lfpse_store_options* o) { return *capi::need(o, "opts"); }

// Parses a small JSON object argument (an ack or a feed entry).
core::JsonDocument parse_object(const char* json, const char* what) {
  capi::need(json, what);
  core::JsonDocument doc;
  core::JsonError error;
  if (!doc.parse(json, &error, core::JsonLimits{64, std::size_t{16} << 20}) ||
      !doc.root().is_object()) {
    throw core::Error(core::ErrorCode::Invalid,
                      std::string(what) + " is not a JSON object" +
                          (error.message.empty() ? "" : ": " + error.text()));
  }
  return doc;
}

std::string string_member(const core::JsonValue& o, const char* name, const char* what,
                          bool required) {
  const core::JsonValue* v = o.find(name);
  if (v && v->is_string()) return std::string(v->text());
  if (required || (v && !v->is_null())) {
    throw core::Error(core::ErrorCode::Invalid,
                      std::string(what) + ": \"" + name + "\" must be a string");
  }
  return {};
}

// A write's result: LFPSE_EEVENT when it was refused for its issues.
lfpse_status give_write(const store::WriteResult& r, char** out_json, size_t* out_len) {
  capi::give(r.json(), out_json, out_len);
  if (!r.stored)
    return capi::fail(LFPSE_EEVENT, "the event does not validate (its issues are in the output)");
  return LFPSE_OK;
}

std::string claimed_json(const std::vector<store::ClaimedOp>& ops) {
  std::string out = "[";
  auto optional = [&out](const std::optional<std::string>& v) {
    if (v) {
      core::json_append_string(out, *v);
    } else {
      out += "null";
    }
  };
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const store::ClaimedOp& op = ops[i];
    if (i) out += ',';
    out += "{\"op_id\":";
    core::json_append_string(out, op.op_id);
    out += ",\"lease_token\":";
    core::json_append_string(out, op.lease_token);
    out += ",\"local_id\":";
    core::json_append_string(out, op.local_id);
    out += ",\"kind\":";
    core::json_append_string(out, op.kind);
    out += ",\"idempotency_key\":";
    core::json_append_string(out, op.idempotency_key);
    out += ",\"body\":";
    core::json_append_string(out, op.body);
    out += ",\"national_id\":";
    optional(op.national_id);
    out += ",\"national_version\":";
    optional(op.national_version);
    out += ",\"attempts\":" + std::to_string(op.attempts);
    out += ",\"revision\":" + std::to_string(op.revision) + "}";
  }
  return out + "]";
}

}  // namespace

extern "C" {

lfpse_status lfpse_store_options_new(lfpse_store_options** out) {
  return capi::guarded([&] {
    capi::need(out, "out");
    *out = new lfpse_store_options();
    return LFPSE_OK;
  });
}

void lfpse_store_options_free(lfpse_store_options* opts) { delete opts; }

lfpse_status lfpse_store_options_set_synchronous(lfpse_store_options* opts, int mode) {
  return capi::guarded([&] {
    if (mode != LFPSE_SYNCHRONOUS_FULL && mode != LFPSE_SYNCHRONOUS_NORMAL) {
      return capi::fail(LFPSE_EINVALID, "synchronous mode is LFPSE_SYNCHRONOUS_FULL or _NORMAL");
    }
    opts_of(opts).options.synchronous = mode == LFPSE_SYNCHRONOUS_FULL
                                            ? store::StoreOptions::Synchronous::Full
                                            : store::StoreOptions::Synchronous::Normal;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_options_set_busy_timeout(lfpse_store_options* opts, int ms) {
  return capi::guarded([&] {
    if (ms < 0) return capi::fail(LFPSE_EINVALID, "the busy timeout is not negative");
    opts_of(opts).options.busy_timeout_ms = ms;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_options_set_key(lfpse_store_options* opts, const unsigned char* key,
                                         size_t len) {
  return capi::guarded([&] {
    capi::need(key, "key");
    if (len != 32) return capi::fail(LFPSE_EINVALID, "the store key is 32 bytes (AES-256)");
    std::array<uint8_t, 32> k{};
    std::copy(key, key + 32, k.begin());
    opts_of(opts).options.key = k;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_options_set_coalesce_updates(lfpse_store_options* opts, int on) {
  return capi::guarded([&] {
    opts_of(opts).options.coalesce_updates = on != 0;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_options_set_taxonomies(lfpse_store_options* opts,
                                                const lfpse_taxonomy_set* set) {
  return capi::guarded([&] {
    opts_of(opts).options.taxonomies = capi::need(set, "set")->shared();
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_options_set_now(lfpse_store_options* opts, int64_t now_unix_ms) {
  return capi::guarded([&] {
    opts_of(opts).options.clock =
        now_unix_ms == LFPSE_NOW_SYSTEM ? core::Clock::system() : core::Clock::fixed(now_unix_ms);
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_options_set_max_pages(lfpse_store_options* opts, int64_t pages) {
  return capi::guarded([&] {
    if (pages < 0) return capi::fail(LFPSE_EINVALID, "max_pages is not negative");
    opts_of(opts).options.max_pages = pages;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_options_set_read_only(lfpse_store_options* opts, int on) {
  return capi::guarded([&] {
    opts_of(opts).options.read_only = on != 0;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_open(lfpse_store** out, const char* path,
                              const lfpse_store_options* opts) {
  return capi::guarded([&] {
    capi::need(out, "out");
    *out = nullptr;
    capi::need(path, "path");
    auto s = std::make_unique<lfpse_store>();
    s->impl = store::Store::open(path, opts ? opts->options : store::StoreOptions{});
    *out = s.release();
    return LFPSE_OK;
  });
}

void lfpse_store_free(lfpse_store* store) { delete store; }

lfpse_status lfpse_store_record(lfpse_store* store, const char* event, size_t len, unsigned flags,
                                char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    *out_json = nullptr;
    capi::need(event, "event");
    return give_write(the(store).record(capi::bytes(event, len), flags & LFPSE_STORE_DRAFT),
                      out_json, out_len);
  });
}

lfpse_status lfpse_store_record_batch(lfpse_store* store, const char* const* events,
                                      const size_t* lens, size_t count, unsigned flags,
                                      char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    *out_json = nullptr;
    if (count && (!events || !lens)) return capi::fail(LFPSE_EINVALID, "events or lens is NULL");
    std::vector<std::string> texts;
    texts.reserve(count);
    for (size_t i = 0; i < count; ++i) texts.emplace_back(capi::bytes(events[i], lens[i]));
    std::string out = "[";
    for (const store::WriteResult& r : the(store).record_batch(texts, flags & LFPSE_STORE_DRAFT)) {
      if (out.size() > 1) out += ',';
      out += r.json();
    }
    return capi::give(out + "]", out_json, out_len);
  });
}

lfpse_status lfpse_store_update(lfpse_store* store, const char* event, size_t len, unsigned flags,
                                char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    *out_json = nullptr;
    capi::need(event, "event");
    return give_write(the(store).update(capi::bytes(event, len), flags & LFPSE_STORE_DRAFT),
                      out_json, out_len);
  });
}

lfpse_status lfpse_store_withdraw(lfpse_store* store, const char* local_id, char** out_json,
                                  size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    *out_json = nullptr;
    return give_write(the(store).withdraw(capi::need(local_id, "local_id")), out_json, out_len);
  });
}

lfpse_status lfpse_store_retry(lfpse_store* store, const char* local_id, int64_t* out_requeued) {
  return capi::guarded([&] {
    int64_t n = the(store).retry(capi::need(local_id, "local_id"));
    if (out_requeued) *out_requeued = n;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_status(lfpse_store* store, char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    return capi::give(the(store).status_json(), out_json, out_len);
  });
}

lfpse_status lfpse_store_show(lfpse_store* store, const char* local_id, char** out_json,
                              size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    *out_json = nullptr;
    auto shown = the(store).show_json(capi::need(local_id, "local_id"));
    if (!shown)
      return capi::fail(LFPSE_ENOTFOUND, std::string("no event with local_id ") + local_id);
    return capi::give(*shown, out_json, out_len);
  });
}

lfpse_status lfpse_store_list(lfpse_store* store, const char* state, char** out_json,
                              size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    std::optional<std::string_view> filter;
    if (state) filter = state;
    return capi::give(the(store).list_json(filter), out_json, out_len);
  });
}

lfpse_status lfpse_store_dead_letters(lfpse_store* store, char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    return capi::give(the(store).dead_letters_json(), out_json, out_len);
  });
}

lfpse_status lfpse_store_changed_since(lfpse_store* store, int64_t since_unix_ms, char** out_json,
                                       size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    return capi::give(the(store).changed_since_json(since_unix_ms), out_json, out_len);
  });
}

lfpse_status lfpse_store_export(lfpse_store* store, lfpse_line_cb cb, void* userdata) {
  return capi::guarded([&] {
    capi::need(cb, "cb");
    try {
      the(store).export_lines([&](const std::string& line) {
        if (cb(line.data(), line.size(), userdata) != 0) throw ExportStopped{};
      });
    } catch (const ExportStopped&) {
      return capi::fail(LFPSE_EUSER, "the export callback stopped the export");
    }
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_integrity_check(lfpse_store* store, char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    std::string report = the(store).integrity_check();
    std::string out = report == "ok" ? "{\"ok\":true,\"report\":" : "{\"ok\":false,\"report\":";
    core::json_append_string(out, report);
    return capi::give(out + "}", out_json, out_len);
  });
}

lfpse_status lfpse_store_claim(lfpse_store* store, int max, int64_t lease_ms, char** out_json,
                               size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    if (max <= 0 || lease_ms <= 0)
      return capi::fail(LFPSE_EINVALID, "max and lease_ms must be positive");
    return capi::give(claimed_json(the(store).claim_due(max, lease_ms)), out_json, out_len);
  });
}

lfpse_status lfpse_store_complete(lfpse_store* store, const char* op_id, const char* lease_token,
                                  const char* ack_json) {
  return capi::guarded([&] {
    capi::need(op_id, "op_id");
    capi::need(lease_token, "lease_token");
    core::JsonDocument doc = parse_object(ack_json, "ack_json");
    store::Ack ack;
    ack.national_id = string_member(doc.root(), "national_id", "ack_json", true);
    ack.version = string_member(doc.root(), "version", "ack_json", true);
    std::string reference = string_member(doc.root(), "reference", "ack_json", false);
    if (!reference.empty()) ack.reference = reference;
    ack.resource = string_member(doc.root(), "resource", "ack_json", false);
    the(store).complete(op_id, lease_token, ack);
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_fail_transient(lfpse_store* store, const char* op_id,
                                        const char* lease_token, int64_t next_attempt_unix_ms,
                                        const char* error) {
  return capi::guarded([&] {
    the(store).fail_transient(capi::need(op_id, "op_id"), capi::need(lease_token, "lease_token"),
                              next_attempt_unix_ms, error ? error : "");
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_fail_permanent(lfpse_store* store, const char* op_id,
                                        const char* lease_token, const char* error,
                                        const char* outcome_json, int conflict) {
  return capi::guarded([&] {
    the(store).fail_permanent(capi::need(op_id, "op_id"), capi::need(lease_token, "lease_token"),
                              error ? error : "", outcome_json ? outcome_json : "", conflict != 0);
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_apply_pulled(lfpse_store* store, const char* change_json,
                                      const char** out_result) {
  return capi::guarded([&] {
    core::JsonDocument doc = parse_object(change_json, "change_json");
    store::PulledChange change;
    change.national_id = string_member(doc.root(), "national_id", "change_json", true);
    change.version = string_member(doc.root(), "version", "change_json", true);
    const core::JsonValue* deleted = doc.root().find("deleted");
    change.deleted = deleted && deleted->is_bool() && deleted->as_bool();
    change.resource = string_member(doc.root(), "resource", "change_json", !change.deleted);
    store::ApplyResult r = the(store).apply_pulled(change);
    if (out_result) {
      static const char* const kNames[] = {"inserted", "updated", "withdrawn", "ignored"};
      *out_result = kNames[static_cast<int>(r)];
    }
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_cursor(lfpse_store* store, char** out_cursor, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_cursor, "out_cursor");
    *out_cursor = nullptr;
    auto cursor = the(store).cursor();
    if (!cursor) return capi::fail(LFPSE_ENOTFOUND, "no change-feed cursor is stored yet");
    return capi::give(*cursor, out_cursor, out_len);
  });
}

lfpse_status lfpse_store_set_cursor(lfpse_store* store, const char* cursor) {
  return capi::guarded([&] {
    the(store).set_cursor(capi::need(cursor, "cursor"));
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_feed_reset_begin(lfpse_store* store) {
  return capi::guarded([&] {
    the(store).begin_feed_reset();
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_feed_reset_active(lfpse_store* store, int* out_active) {
  return capi::guarded([&] {
    *capi::need(out_active, "out_active") = the(store).feed_reset_active() ? 1 : 0;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_feed_reset_finish(lfpse_store* store, char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::need(out_json, "out_json");
    *out_json = nullptr;
    store::FeedResetResult r = the(store).finish_feed_reset();
    auto ids = [](std::string& out, const std::vector<std::string>& list) {
      out += '[';
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) out += ',';
        core::json_append_string(out, list[i]);
      }
      out += ']';
    };
    std::string out = "{\"requeued\":";
    ids(out, r.requeued);
    out += ",\"unmapped\":";
    ids(out, r.unmapped);
    return capi::give(out + "}", out_json, out_len);
  });
}

}  // extern "C"
