// lfpse_store_*: translation only; the logic lives in src/store.
#include "store/store.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <optional>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "lfpse/lfpse_sys.h"

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

std::string to_hex(unsigned v) {
  char buf[16];
  auto end = std::to_chars(buf, buf + sizeof buf, v, 16).ptr;
  return std::string(buf, end);
}

// Flags this library does not know are refused, so that a caller built against a newer header
// learns it at once instead of having the flag ignored.
bool draft_flag(unsigned flags) {
  if (flags & ~LFPSE_STORE_DRAFT)
    throw core::Error(core::ErrorCode::Invalid, "unknown flag bits 0x" +
                                                    to_hex(flags & ~LFPSE_STORE_DRAFT) +
                                                    " (LFPSE_STORE_DRAFT is the only flag)");
  return flags & LFPSE_STORE_DRAFT;
}

// A write's result: LFPSE_EEVENT when it was refused for its issues.
lfpse_status give_write(const store::WriteResult& r, char** out_json, size_t* out_len) {
  capi::give(r.json(), out_json, out_len);
  if (!r.stored)
    return capi::fail(LFPSE_EEVENT, "the event does not validate (its issues are in the output)");
  return LFPSE_OK;
}

std::string claimed_json(const std::vector<store::ClaimedOp>& ops) {
  core::JsonWriter w;
  w.begin_array();
  for (const store::ClaimedOp& op : ops) {
    w.begin_object().member("op_id", op.op_id).member("lease_token", op.lease_token);
    w.member("local_id", op.local_id).member("organisation", op.organisation);
    w.member("kind", op.kind).member("idempotency_key", op.idempotency_key);
    w.member("body", op.body).member("national_id", op.national_id);
    w.member("national_version", op.national_version).member("attempts", op.attempts);
    w.member("revision", op.revision).end_object();
  }
  return w.end_array().take();
}

}  // namespace

extern "C" {

lfpse_status lfpse_store_options_new(lfpse_store_options** out) {
  return capi::guarded([&] {
    capi::need(out, "out");
    *out = nullptr;
    *out = new lfpse_store_options();
    return LFPSE_OK;
  });
}

void lfpse_store_options_free(lfpse_store_options* opts) { delete opts; }

lfpse_status lfpse_store_options_set_synchronous(lfpse_store_options* opts,
                                                 lfpse_synchronous mode) {
  // A C caller may pass any int as the enum, and in C++ loading a value outside the
  // enumerators' range is undefined: read its bytes as the int it is.
  static_assert(sizeof(lfpse_synchronous) == sizeof(int), "a C enum is an int");
  int value = 0;
  std::memcpy(&value, &mode, sizeof value);
  return capi::guarded([&] {
    if (value != LFPSE_SYNCHRONOUS_FULL && value != LFPSE_SYNCHRONOUS_NORMAL) {
      return capi::fail(LFPSE_EINVALID, "synchronous mode is LFPSE_SYNCHRONOUS_FULL or _NORMAL");
    }
    opts_of(opts).options.synchronous = value == LFPSE_SYNCHRONOUS_FULL
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

lfpse_status lfpse_store_options_set_prepare_threads(lfpse_store_options* opts, int threads) {
  return capi::guarded([&] {
    if (threads < 0 || threads > 64)
      return capi::fail(LFPSE_EINVALID, "prepare_threads is from 0 to 64");
    opts_of(opts).options.prepare_threads = static_cast<unsigned>(threads);
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
    capi::clear_out(out_json, out_len, "out_json");
    capi::need(event, "event");
    return give_write(the(store).record(capi::bytes(event, len), draft_flag(flags)), out_json,
                      out_len);
  });
}

lfpse_status lfpse_store_record_batch(lfpse_store* store, const char* const* events,
                                      const size_t* lens, size_t count, unsigned flags,
                                      char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    bool draft = draft_flag(flags);
    if (count && (!events || !lens)) return capi::fail(LFPSE_EINVALID, "events or lens is NULL");
    std::vector<std::string> texts;
    texts.reserve(count);
    for (size_t i = 0; i < count; ++i) texts.emplace_back(capi::bytes(events[i], lens[i]));
    core::JsonWriter w;
    w.begin_array();
    for (const store::WriteResult& r : the(store).record_batch(texts, draft)) w.raw(r.json());
    return capi::give(w.end_array().take(), out_json, out_len);
  });
}

lfpse_status lfpse_store_update(lfpse_store* store, const char* event, size_t len, unsigned flags,
                                char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    capi::need(event, "event");
    return give_write(the(store).update(capi::bytes(event, len), draft_flag(flags)), out_json,
                      out_len);
  });
}

lfpse_status lfpse_store_withdraw(lfpse_store* store, const char* local_id, char** out_json,
                                  size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    return give_write(the(store).withdraw(capi::need(local_id, "local_id")), out_json, out_len);
  });
}

lfpse_status lfpse_store_retry(lfpse_store* store, const char* local_id, int64_t* out_requeued) {
  return capi::guarded([&] {
    if (out_requeued) *out_requeued = 0;
    int64_t n = the(store).retry(capi::need(local_id, "local_id"));
    if (out_requeued) *out_requeued = n;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_status(lfpse_store* store, char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    return capi::give(the(store).status_json(), out_json, out_len);
  });
}

lfpse_status lfpse_store_show(lfpse_store* store, const char* local_id, char** out_json,
                              size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    auto shown = the(store).show_json(capi::need(local_id, "local_id"));
    if (!shown)
      return capi::fail(LFPSE_ENOTFOUND, std::string("no event with local_id ") + local_id);
    return capi::give(*shown, out_json, out_len);
  });
}

lfpse_status lfpse_store_list(lfpse_store* store, const char* state, char** out_json,
                              size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    std::optional<std::string_view> filter;
    if (state) filter = state;
    return capi::give(the(store).list_json(filter), out_json, out_len);
  });
}

lfpse_status lfpse_store_dead_letters(lfpse_store* store, char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    return capi::give(the(store).dead_letters_json(), out_json, out_len);
  });
}

lfpse_status lfpse_store_changed_since(lfpse_store* store, int64_t since_unix_ms, char** out_json,
                                       size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
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
    capi::clear_out(out_json, out_len, "out_json");
    std::string report = the(store).integrity_check();
    core::JsonWriter w;
    w.begin_object().member("ok", report == "ok").member("report", report).end_object();
    return capi::give(w.take(), out_json, out_len);
  });
}

lfpse_status lfpse_store_claim(lfpse_store* store, int max, int64_t lease_ms, char** out_json,
                               size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
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
    if (out_result) *out_result = nullptr;
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
    capi::clear_out(out_cursor, out_len, "out_cursor");
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
    *capi::need(out_active, "out_active") = 0;
    *out_active = the(store).feed_reset_active() ? 1 : 0;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_store_feed_reset_finish(lfpse_store* store, char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    store::FeedResetResult r = the(store).finish_feed_reset();
    core::JsonWriter w;
    w.begin_object().key("requeued").begin_array();
    for (const std::string& id : r.requeued) w.value(id);
    w.end_array().key("unmapped").begin_array();
    for (const std::string& id : r.unmapped) w.value(id);
    w.end_array().end_object();
    return capi::give(w.take(), out_json, out_len);
  });
}

}  // extern "C"
