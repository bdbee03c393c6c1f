// lfpse_taxonomy_set_*: translation only; the logic lives in src/taxonomy.
#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/json_writer.hpp"
#include "taxonomy/schema.hpp"

using namespace lfpse;

namespace {

void clear_version(char** out_version) {
  if (out_version) *out_version = nullptr;
}

lfpse_status give_version(const taxonomy::TaxonomyPtr& tax, char** out_version) {
  if (out_version) return capi::give(tax->version, out_version, nullptr);
  return LFPSE_OK;
}

taxonomy::TaxonomyPtr find_version(const lfpse_taxonomy_set* set, const char* version) {
  capi::need(set, "set");
  capi::need(version, "version");
  taxonomy::TaxonomyPtr tax = set->set->find(version);
  if (!tax) {
    throw core::Error(core::ErrorCode::NotFound,
                      std::string("taxonomy version \"") + version + "\" is not loaded");
  }
  return tax;
}

}  // namespace

extern "C" {

lfpse_status lfpse_taxonomy_set_new(lfpse_taxonomy_set** out, unsigned flags) {
  return capi::guarded([&] {
    capi::need(out, "out");
    *out = nullptr;
    if (flags & ~LFPSE_TAXONOMY_SET_NO_BUILTIN) {
      return capi::fail(LFPSE_EINVALID, "unknown flags for lfpse_taxonomy_set_new");
    }
    *out = new lfpse_taxonomy_set((flags & LFPSE_TAXONOMY_SET_NO_BUILTIN) == 0);
    return LFPSE_OK;
  });
}

void lfpse_taxonomy_set_free(lfpse_taxonomy_set* set) { delete set; }

lfpse_status lfpse_taxonomy_set_load_json(lfpse_taxonomy_set* set, const char* json, size_t len,
                                          char** out_version) {
  return capi::guarded([&] {
    clear_version(out_version);
    capi::need(set, "set");
    capi::need(json, "json");
    return give_version(set->set->load_json(capi::bytes(json, len)), out_version);
  });
}

lfpse_status lfpse_taxonomy_set_load_file(lfpse_taxonomy_set* set, const char* path,
                                          char** out_version) {
  return capi::guarded([&] {
    clear_version(out_version);
    capi::need(set, "set");
    capi::need(path, "path");
    return give_version(set->set->load_file(path), out_version);
  });
}

lfpse_status lfpse_taxonomy_set_versions(const lfpse_taxonomy_set* set, char** out_json,
                                         size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    capi::need(set, "set");
    auto all = set->set->all();
    core::JsonWriter w;
    w.begin_object().key("versions").begin_array();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      w.begin_object().member("version", (*it)->version).member("published", (*it)->published);
      w.member("profile", (*it)->fhir_profile).end_object();
    }
    return capi::give(w.end_array().end_object().take(), out_json, out_len);
  });
}

lfpse_status lfpse_taxonomy_set_document(const lfpse_taxonomy_set* set, const char* version,
                                         char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    return capi::give(find_version(set, version)->source_json, out_json, out_len);
  });
}

lfpse_status lfpse_taxonomy_set_schema(const lfpse_taxonomy_set* set, const char* version,
                                       char** out_json, size_t* out_len) {
  return capi::guarded([&] {
    capi::clear_out(out_json, out_len, "out_json");
    return capi::give(taxonomy::json_schema(*find_version(set, version)), out_json, out_len);
  });
}

}  // extern "C"
