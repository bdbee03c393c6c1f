// Any bytes through the C ABI's JSON-taking calls, as a binding passes them (pointer and
// length, no terminator): each call returns one of its documented statuses with a message on
// failure, every output is one JSON value (NULL where the call gives none), to_fhir succeeds
// exactly when validation says valid, and a valid event maps to FHIR and back through the ABI
// to the same resource bytes. Outputs are read with RapidJSON, not with the library's parser.
#include <lfpse/lfpse.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

// A call's output, freed at the end of the scope.
struct Out {
  char* json = nullptr;
  std::size_t len = 0;
  Out() = default;
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;
  ~Out() { lfpse_free(json); }
};

// `s` is one of `allowed`; a failure carries a message; the output is JSON or NULL as stated.
void check(lfpse_status s, std::initializer_list<lfpse_status> allowed, const Out& out,
           bool output_on_failure) {
  bool listed = false;
  for (lfpse_status a : allowed) listed = listed || a == s;
  require(listed);
  if (s != LFPSE_OK) require(std::strlen(lfpse_error_last()) > 0);
  if (s != LFPSE_OK && !output_on_failure) {
    require(out.json == nullptr);
    return;
  }
  require(out.json != nullptr && std::strlen(out.json) == out.len);
  rapidjson::Document doc;
  doc.Parse(out.json, out.len);
  require(!doc.HasParseError());
}

lfpse_taxonomy_set* builtin_set() {
  static lfpse_taxonomy_set* set = [] {
    lfpse_taxonomy_set* s = nullptr;
    require(lfpse_taxonomy_set_new(&s, LFPSE_TAXONOMY_SET_DEFAULT) == LFPSE_OK);
    return s;
  }();
  return set;
}

void round_trip(lfpse_taxonomy_set* set, const Out& fhir, const lfpse_event_options& opts) {
  Out event, national;
  lfpse_status s = lfpse_event_from_fhir(set, fhir.json, fhir.len, &event.json, &event.len,
                                         &national.json, &national.len);
  check(s, {LFPSE_OK}, event, false);
  Out again;
  s = lfpse_event_to_fhir(set, event.json, event.len, &opts, &again.json, &again.len);
  check(s, {LFPSE_OK}, again, false);
  require(again.len == fhir.len && std::memcmp(again.json, fhir.json, fhir.len) == 0);
}

void as_taxonomy(const char* text, std::size_t size) {
  lfpse_taxonomy_set* scratch = nullptr;
  require(lfpse_taxonomy_set_new(&scratch, LFPSE_TAXONOMY_SET_NO_BUILTIN) == LFPSE_OK);
  Out version;
  lfpse_status s = lfpse_taxonomy_set_load_json(scratch, text, size, &version.json);
  require(s == LFPSE_OK || (s == LFPSE_EINVALID && std::strlen(lfpse_error_last()) > 0));
  require((s == LFPSE_OK) == (version.json != nullptr));
  if (s == LFPSE_OK) {
    Out schema;
    s = lfpse_taxonomy_set_schema(scratch, version.json, &schema.json, &schema.len);
    check(s, {LFPSE_OK}, schema, false);
    Out document;
    s = lfpse_taxonomy_set_document(scratch, version.json, &document.json, &document.len);
    check(s, {LFPSE_OK}, document, false);
  }
  lfpse_taxonomy_set_free(scratch);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lfpse_taxonomy_set* set = builtin_set();
  // libFuzzer's buffer holds exactly `size` bytes, so reading past the length is caught.
  const char* text = size ? reinterpret_cast<const char*>(data) : "";
  lfpse_event_options opts = LFPSE_EVENT_OPTIONS_INIT;
  opts.now_unix_ms = 1795694400000;  // 2026-11-26T12:00:00Z

  bool valid = false;
  {
    Out verdict;
    lfpse_status s = lfpse_event_validate(set, text, size, &opts, &verdict.json, &verdict.len);
    check(s, {LFPSE_OK}, verdict, false);
    rapidjson::Document doc;
    doc.Parse(verdict.json, verdict.len);
    require(doc.IsObject() && doc.HasMember("valid") && doc["valid"].IsBool());
    valid = doc["valid"].GetBool();
  }
  {
    Out shown;
    check(lfpse_event_shown(set, text, size, &shown.json, &shown.len), {LFPSE_OK, LFPSE_EEVENT},
          shown, true);
  }
  {
    Out fhir;
    lfpse_status s = lfpse_event_to_fhir(set, text, size, &opts, &fhir.json, &fhir.len);
    check(s, {LFPSE_OK, LFPSE_EEVENT}, fhir, true);
    require((s == LFPSE_OK) == valid);
    if (s == LFPSE_OK) round_trip(set, fhir, opts);
  }
  {
    Out event, national;
    lfpse_status s = lfpse_event_from_fhir(set, text, size, &event.json, &event.len, &national.json,
                                           &national.len);
    check(s, {LFPSE_OK, LFPSE_EINVALID}, event, false);
    check(s, {LFPSE_OK, LFPSE_EINVALID}, national, false);
  }
  {
    Out migrated;
    lfpse_status s =
        lfpse_event_migrate(set, text, size, "6", &opts, &migrated.json, &migrated.len);
    // Version 6 is the newest loaded: nothing is a downgrade to it, except a later version
    // that is not loaded, which cannot be read (LFPSE_EEVENT).
    check(s, {LFPSE_OK, LFPSE_EEVENT}, migrated, true);
  }
  as_taxonomy(text, size);
  return 0;
}
