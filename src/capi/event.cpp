// lfpse_event_*: translation only; the logic lives in src/taxonomy.
#include "taxonomy/event.hpp"

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/migrate.hpp"
#include "taxonomy/shown.hpp"

using namespace lfpse;

static_assert(LFPSE_EVENT_MAX_BYTES == taxonomy::kMaxEventBytes, "lfpse.h states the limit");
static_assert(LFPSE_RESOURCE_MAX_BYTES == taxonomy::kMaxResourceBytes, "lfpse.h states the limit");

namespace {

core::Clock clock_of(const lfpse_event_options* opts) {
  if (!opts) return core::Clock::system();
  if (opts->version != LFPSE_EVENT_OPTIONS_VERSION) {
    throw core::Error(core::ErrorCode::Invalid,
                      "lfpse_event_options: unknown version " + std::to_string(opts->version));
  }
  if (opts->now_unix_ms == LFPSE_NOW_SYSTEM) return core::Clock::system();
  return core::Clock::fixed(opts->now_unix_ms);
}

void need_outputs(const lfpse_taxonomy_set* set, const char* text, char** out_json,
                  size_t* out_len) {
  capi::clear_out(out_json, out_len, "out_json");
  capi::need(set, "set");
  capi::need(text, "event");
}

lfpse_status event_failed(const taxonomy::Validation& v, char** out_json, size_t* out_len) {
  capi::give(taxonomy::validation_json(v), out_json, out_len);
  return capi::fail(LFPSE_EEVENT, "the event does not validate (its issues are in the output)");
}

}  // namespace

extern "C" {

lfpse_status lfpse_event_options_init(lfpse_event_options* opts, uint32_t version) {
  return capi::guarded([&] {
    capi::need(opts, "opts");
    if (version != LFPSE_EVENT_OPTIONS_VERSION) {
      return capi::fail(LFPSE_EINVALID, "lfpse_event_options: unknown version");
    }
    *opts = lfpse_event_options LFPSE_EVENT_OPTIONS_INIT;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_time_parse(const char* rfc3339, int64_t* out_unix_ms) {
  return capi::guarded([&] {
    *capi::need(out_unix_ms, "out_unix_ms") = 0;
    capi::need(rfc3339, "rfc3339");
    auto t = core::parse_datetime(rfc3339);
    if (!t) return capi::fail(LFPSE_EINVALID, std::string("not an RFC 3339 date-time: ") + rfc3339);
    *out_unix_ms = *t;
    return LFPSE_OK;
  });
}

lfpse_status lfpse_event_validate(const lfpse_taxonomy_set* set, const char* event, size_t len,
                                  const lfpse_event_options* opts, char** out_json,
                                  size_t* out_len) {
  return capi::guarded([&] {
    need_outputs(set, event, out_json, out_len);
    taxonomy::Validation v =
        taxonomy::validate_text(*set->set, capi::bytes(event, len), clock_of(opts));
    return capi::give(taxonomy::validation_json(v), out_json, out_len);
  });
}

lfpse_status lfpse_event_shown(const lfpse_taxonomy_set* set, const char* event, size_t len,
                               char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    need_outputs(set, event, out_json, out_len);
    taxonomy::CheckedEvent c =
        taxonomy::check_event(*set->set, capi::bytes(event, len), core::Clock::system());
    if (!c.taxonomy) return event_failed(c.validation, out_json, out_len);
    auto shown = taxonomy::compute_shown(*c.taxonomy, c.parsed.doc.root());
    return capi::give(taxonomy::shown_json(*c.taxonomy, shown), out_json, out_len);
  });
}

lfpse_status lfpse_event_to_fhir(const lfpse_taxonomy_set* set, const char* event, size_t len,
                                 const lfpse_event_options* opts, char** out_json,
                                 size_t* out_len) {
  return capi::guarded([&] {
    need_outputs(set, event, out_json, out_len);
    taxonomy::CheckedEvent c =
        taxonomy::check_event(*set->set, capi::bytes(event, len), clock_of(opts));
    if (!c.validation.valid) return event_failed(c.validation, out_json, out_len);
    return capi::give(taxonomy::to_fhir(*c.taxonomy, c.parsed.doc.root()), out_json, out_len);
  });
}

lfpse_status lfpse_event_from_fhir(const lfpse_taxonomy_set* set, const char* resource, size_t len,
                                   char** out_event, size_t* out_event_len, char** out_national,
                                   size_t* out_national_len) {
  return capi::guarded([&] {
    if (out_national) capi::clear_out(out_national, out_national_len, "out_national");
    need_outputs(set, resource, out_event, out_event_len);
    taxonomy::FromFhirResult r = taxonomy::from_fhir(*set->set, capi::bytes(resource, len));
    capi::give(r.event_json, out_event, out_event_len);
    if (out_national) {
      try {
        capi::give(taxonomy::national_meta_json(r.meta), out_national, out_national_len);
      } catch (...) {  // all or nothing: a failure leaves both outputs empty
        lfpse_free(*out_event);
        capi::clear_out(out_event, out_event_len, "out_event");
        throw;
      }
    }
    return LFPSE_OK;
  });
}

lfpse_status lfpse_event_migrate(const lfpse_taxonomy_set* set, const char* event, size_t len,
                                 const char* to_version, const lfpse_event_options* opts,
                                 char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    need_outputs(set, event, out_json, out_len);
    capi::need(to_version, "to_version");
    taxonomy::MigrationResult r =
        taxonomy::migrate(*set->set, capi::bytes(event, len), to_version, clock_of(opts));
    core::JsonWriter w;
    w.begin_object().key("event");
    if (r.migrated) {
      w.raw(r.event_json);
    } else {
      w.null();
    }
    w.key("issues").value_by([&r](std::string& o) { taxonomy::append_issues_json(o, r.issues); });
    capi::give(w.end_object().take(), out_json, out_len);
    if (!r.migrated)
      return capi::fail(LFPSE_EEVENT, "the event cannot be read, so it was not migrated");
    return LFPSE_OK;
  });
}

}  // extern "C"
