#include "event_codec.hpp"

#include <algorithm>
#include <exception>

#include "core/error.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/issue.hpp"

namespace lfpse::server {

using core::json_append_string;
using core::json_append_value;
using core::JsonValue;

namespace {

constexpr std::string_view kMetadataSection = "adverse-event-reference-metadata";
constexpr std::string_view kLocalIdSystem = "urn:lfpse:local-id:";
constexpr std::string_view kNationalSystem = "urn:lfpse:national:";

OutcomeIssue to_outcome(const taxonomy::Issue& i) {
  OutcomeIssue o;
  o.severity = i.severity == taxonomy::Severity::Error ? "error" : "warning";
  o.code = "invalid";
  o.detail_code = i.code;
  o.diagnostics = i.message;
  o.pointer = i.path;
  o.has_pointer = true;
  return o;
}

OutcomeIssue issue(const std::string& code, const std::string& pointer, const std::string& why) {
  OutcomeIssue o;
  o.code = "invalid";
  o.detail_code = code;
  o.diagnostics = why;
  o.pointer = pointer;
  o.has_pointer = true;
  return o;
}

std::string metadata_url_for(const taxonomy::Taxonomy& tax) {
  return tax.extension_base + std::string(kMetadataSection) + "-" + tax.version;
}

// Every sub-extension the service owns: a client may send them back, never set them.
bool is_server_owned(std::string_view url) {
  return url == "ReferenceNumber" || url == "RecordingRoute" || url == "ReviewStatus" ||
         url == "ReviewComment";
}

const JsonValue* string_member(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = obj.is_object() ? obj.find(name) : nullptr;
  return v && v->is_string() ? v : nullptr;
}

// Adds the errors of a validation, and invalid-organisation when the event names another
// organisation than the caller's (API.md: SubmittingOrganisation must be the caller).
void collect(const taxonomy::Validation& v, const core::JsonValue* event_org,
             const std::string& caller_ods, std::vector<OutcomeIssue>* out) {
  bool org_reported = false;
  for (const auto& i : v.issues) {
    if (i.severity != taxonomy::Severity::Error) continue;
    if (i.code == "invalid-organisation") org_reported = true;
    out->push_back(to_outcome(i));
  }
  if (!caller_ods.empty() && !org_reported &&
      !(event_org && event_org->is_string() && event_org->text() == caller_ods)) {
    out->push_back(issue(
        "invalid-organisation", "/organisation",
        "The submitting organisation must be the caller's organisation (" + caller_ods + ")."));
  }
}

// An identifier system names its organisation (`urn:lfpse:local-id:<org>`): only the caller's
// own is accepted, or one organisation could write into another's local-id namespace.
void check_identifier_system(const JsonValue& resource, const std::string& caller_ods,
                             std::vector<OutcomeIssue>* out) {
  const JsonValue* ident = resource.find("identifier");
  const JsonValue* sys = ident ? string_member(*ident, "system") : nullptr;
  if (!sys) return;  // the mapping has refused it already
  std::string_view text = sys->text();
  for (std::string_view prefix : {kLocalIdSystem, kNationalSystem}) {
    if (text.substr(0, prefix.size()) != prefix) continue;
    if (text.substr(prefix.size()) != caller_ods)
      out->push_back(issue("invalid-local-id", "/local_id",
                           "identifier.system must be " + std::string(prefix) + caller_ods +
                               ", the caller's own organisation."));
  }
}

// The bytes of the extensions under urls other than the taxonomy's (on the resource and its
// contained resources): the mapping ignores them, but they are stored and served as sent.
std::size_t foreign_extension_bytes(const JsonValue& resource, std::string_view base) {
  std::size_t bytes = 0;
  std::string scratch;
  auto add = [&](const JsonValue& holder) {
    for (const char* member : {"extension", "modifierExtension"}) {
      const JsonValue* exts = holder.find(member);
      if (!exts || !exts->is_array()) continue;
      for (const JsonValue& ext : *exts) {
        const JsonValue* url = string_member(ext, "url");
        if (url && url->text().substr(0, base.size()) == base) continue;
        scratch.clear();
        json_append_value(scratch, ext);
        bytes += scratch.size();
      }
    }
  };
  add(resource);
  if (const JsonValue* contained = resource.find("contained"); contained && contained->is_array()) {
    for (const JsonValue& c : *contained) {
      if (c.is_object()) add(c);
    }
  }
  return bytes;
}

}  // namespace

std::string metadata_url_of(const taxonomy::TaxonomySet& set, const JsonValue& resource) {
  const JsonValue* meta = resource.is_object() ? resource.find("meta") : nullptr;
  const JsonValue* profiles = meta && meta->is_object() ? meta->find("profile") : nullptr;
  if (!profiles || !profiles->is_array()) return {};
  for (const JsonValue& p : *profiles) {
    if (!p.is_string()) continue;
    if (taxonomy::TaxonomyPtr tax = set.find_by_profile(p.text())) return metadata_url_for(*tax);
  }
  return {};
}

bool has_two_metadata_extensions(const taxonomy::TaxonomySet& set, const JsonValue& resource) {
  const JsonValue* exts = resource.is_object() ? resource.find("extension") : nullptr;
  if (!exts || !exts->is_array()) return false;
  std::vector<std::string> urls;
  for (const auto& tax : set.all()) urls.push_back(metadata_url_for(*tax));
  int found = 0;
  for (const JsonValue& ext : *exts) {
    const JsonValue* url = string_member(ext, "url");
    if (url && std::find(urls.begin(), urls.end(), url->text()) != urls.end()) ++found;
  }
  return found > 1;
}

std::string local_id_of(const JsonValue& resource) {
  // AdverseEvent.identifier is one Identifier in R4; an array is read too, for robustness.
  const JsonValue* ids = resource.find("identifier");
  auto local = [](const JsonValue& id) -> std::string {
    if (!id.is_object()) return {};
    const JsonValue* sys = id.find("system");
    const JsonValue* val = id.find("value");
    if (sys && sys->is_string() && sys->text().substr(0, kLocalIdSystem.size()) == kLocalIdSystem &&
        val && val->is_string())
      return std::string(val->text());
    return {};
  };
  if (!ids) return {};
  if (ids->is_object()) return local(*ids);
  if (ids->is_array()) {
    for (const JsonValue& id : *ids) {
      std::string v = local(id);
      if (!v.empty()) return v;
    }
  }
  return {};
}

CheckedResource check_resource(const taxonomy::TaxonomySet& set, const JsonValue& resource,
                               const std::string& caller_ods, const core::Clock& clock) {
  CheckedResource r;
  r.local_id = local_id_of(resource);
  taxonomy::FromFhirResult mapped;
  try {
    mapped = taxonomy::from_fhir(set, resource);
  } catch (const core::Error& e) {
    // Not mappable: no loaded profile, or a shape the mapping cannot read.
    const JsonValue* meta = resource.find("meta");
    const JsonValue* profiles = meta && meta->is_object() ? meta->find("profile") : nullptr;
    bool known = false;
    if (profiles && profiles->is_array()) {
      for (const JsonValue& p : *profiles)
        known = known || (p.is_string() && set.find_by_profile(p.text()));
    }
    if (known) {
      r.errors.push_back(issue("malformed", "", e.what()));
    } else {
      r.errors.push_back(issue("unknown-version", "/taxonomy_version",
                               "meta.profile names no taxonomy version this server serves."));
    }
    return r;
  }
  if (mapped.taxonomy) r.metadata_url = metadata_url_for(*mapped.taxonomy);
  // Foreign extensions count in the event's size limit: otherwise a small event could carry
  // up to a body's worth of them into every feed page that serves it.
  if (mapped.taxonomy && mapped.event_json.size() + foreign_extension_bytes(
                                                        resource, mapped.taxonomy->extension_base) >
                             taxonomy::kMaxEventBytes) {
    r.errors.push_back(issue("malformed", "",
                             "The event with its extensions under other urls is larger than " +
                                 std::to_string(taxonomy::kMaxEventBytes) + " bytes."));
    return r;
  }
  taxonomy::ParsedEvent parsed = taxonomy::parse_event_text(mapped.event_json);
  if (!parsed.document_ok) {
    for (const auto& i : parsed.issues) r.errors.push_back(to_outcome(i));
    return r;
  }
  taxonomy::Validation v = taxonomy::validate(set, parsed.doc.root(), clock);
  collect(v, parsed.doc.root().find("organisation"), caller_ods, &r.errors);
  check_identifier_system(resource, caller_ods, &r.errors);
  r.valid = r.errors.empty();
  return r;
}

CheckedDocument check_document(const taxonomy::TaxonomySet& set, std::string_view event_text,
                               const core::Clock& clock) {
  CheckedDocument r;
  taxonomy::ParsedEvent parsed = taxonomy::parse_event_text(event_text);
  if (!parsed.document_ok) {
    for (const auto& i : parsed.issues) r.errors.push_back(to_outcome(i));
    return r;
  }
  const JsonValue& event = parsed.doc.root();
  if (const JsonValue* org = event.find("organisation"); org && org->is_string())
    r.organisation = std::string(org->text());
  taxonomy::Validation v = taxonomy::validate(set, event, clock);
  collect(v, nullptr, std::string(), &r.errors);
  if (!r.errors.empty()) return r;
  const JsonValue* version = event.find("taxonomy_version");
  taxonomy::TaxonomyPtr tax = set.find(version->text());
  r.fhir = taxonomy::to_fhir(*tax, event);
  r.metadata_url = metadata_url_for(*tax);
  r.valid = true;
  return r;
}

namespace {

// Where stamp_template's two values go (offsets just inside their quotes); null: not wanted.
struct Holes {
  std::size_t last_updated = std::string::npos, reference = std::string::npos;
};

void append_sub(std::string& out, const char* url, const char* type, const std::string& value,
                std::size_t* hole = nullptr) {
  out += "{\"url\":\"";
  out += url;
  out += "\",\"";
  out += type;
  out += "\":";
  if (hole) *hole = out.size() + 1;
  json_append_string(out, value);
  out += '}';
}

void append_server_subs(std::string& out, const Stamp& s, bool first, Holes* holes) {
  if (!first) out += ',';
  append_sub(out, "ReferenceNumber", "valueString", s.reference,
             holes ? &holes->reference : nullptr);
  out += ',';
  append_sub(out, "RecordingRoute", "valueCode", s.route);
  if (s.review_status) {
    out += ',';
    append_sub(out, "ReviewStatus", "valueCode", *s.review_status);
  }
  if (s.review_comment) {
    out += ',';
    append_sub(out, "ReviewComment", "valueString", *s.review_comment);
  }
}

void append_metadata_extension(std::string& out, const JsonValue& ext, const Stamp& s,
                               Holes* holes) {
  out += '{';
  bool first_member = true;
  bool wrote_subs = false;
  for (auto m = ext.members_begin(); m != ext.members_end(); ++m) {
    if (!first_member) out += ',';
    first_member = false;
    json_append_string(out, m->name);
    out += ':';
    if (m->name == "extension" && m->value.is_array()) {
      out += '[';
      bool first = true;
      for (const JsonValue& sub : m->value) {
        const JsonValue* url = sub.is_object() ? sub.find("url") : nullptr;
        if (url && url->is_string() && is_server_owned(url->text())) continue;
        if (!first) out += ',';
        first = false;
        json_append_value(out, sub);
      }
      append_server_subs(out, s, first, holes);
      out += ']';
      wrote_subs = true;
    } else {
      json_append_value(out, m->value);
    }
  }
  if (!wrote_subs) {
    if (!first_member) out += ',';
    out += "\"extension\":[";
    append_server_subs(out, s, true, holes);
    out += ']';
  }
  out += '}';
}

void append_meta(std::string& out, const JsonValue* meta, const Stamp& s, Holes* holes) {
  out += "\"meta\":{";
  bool first = true;
  if (meta && meta->is_object()) {
    for (auto m = meta->members_begin(); m != meta->members_end(); ++m) {
      if (m->name == "versionId" || m->name == "lastUpdated") continue;
      if (!first) out += ',';
      first = false;
      json_append_string(out, m->name);
      out += ':';
      json_append_value(out, m->value);
    }
  }
  if (!first) out += ',';
  out += "\"versionId\":";
  json_append_string(out, std::to_string(s.version));
  out += ",\"lastUpdated\":";
  if (holes) holes->last_updated = out.size() + 1;
  json_append_string(out, s.last_updated);
  out += '}';
}

std::string stamp(const JsonValue& resource, const Stamp& s, Holes* holes) {
  std::string out;
  out.reserve(8192);
  out += "{\"resourceType\":\"AdverseEvent\",\"id\":";
  json_append_string(out, s.id);
  const JsonValue* meta = resource.find("meta");
  out += ',';
  append_meta(out, meta, s, holes);
  bool wrote_metadata = false;
  bool has_extension = false;
  for (auto m = resource.members_begin(); m != resource.members_end(); ++m) {
    if (m->name == "resourceType" || m->name == "id" || m->name == "meta") continue;
    out += ',';
    json_append_string(out, m->name);
    out += ':';
    if (m->name == "identifier" && s.national_org) {
      out += "{\"system\":";
      json_append_string(out, "urn:lfpse:national:" + *s.national_org);
      out += ",\"value\":";
      json_append_string(out, s.id);
      out += '}';
    } else if (m->name == "extension" && m->value.is_array()) {
      has_extension = true;
      out += '[';
      bool first = true;
      for (const JsonValue& ext : m->value) {
        if (!first) out += ',';
        first = false;
        const JsonValue* url = ext.is_object() ? ext.find("url") : nullptr;
        // By its exact url: a decoy whose url merely contains the name stays foreign.
        if (!wrote_metadata && url && url->is_string() && !s.metadata_url.empty() &&
            url->text() == s.metadata_url) {
          append_metadata_extension(out, ext, s, holes);
          wrote_metadata = true;
        } else {
          json_append_value(out, ext);
        }
      }
      if (!wrote_metadata && !s.metadata_url.empty()) {
        if (!first) out += ',';
        out += "{\"url\":";
        json_append_string(out, s.metadata_url);
        out += ",\"extension\":[";
        append_server_subs(out, s, true, holes);
        out += "]}";
        wrote_metadata = true;
      }
      out += ']';
    } else {
      json_append_value(out, m->value);
    }
  }
  if (!has_extension && !s.metadata_url.empty()) {
    out += ",\"extension\":[{\"url\":";
    json_append_string(out, s.metadata_url);
    out += ",\"extension\":[";
    append_server_subs(out, s, true, holes);
    out += "]}]";
  }
  out += '}';
  return out;
}

// The text of a string value inside its quotes.
std::string escaped(const std::string& v) {
  std::string q;
  json_append_string(q, v);
  return q.substr(1, q.size() - 2);
}

}  // namespace

std::string stamp_resource(const JsonValue& resource, const Stamp& s) {
  return stamp(resource, s, nullptr);
}

std::optional<StampTemplate> stamp_template(const JsonValue& resource, Stamp s) {
  s.last_updated.clear();
  s.reference.clear();
  Holes holes;
  StampTemplate t;
  t.text = stamp(resource, s, &holes);
  // meta (lastUpdated) is always written before the members that hold the extension.
  if (holes.reference == std::string::npos || holes.last_updated > holes.reference)
    return std::nullopt;
  t.last_updated_at = holes.last_updated;
  t.reference_at = holes.reference;
  return t;
}

std::string StampTemplate::fill(const std::string& last_updated,
                                const std::string& reference) const {
  std::string lu = escaped(last_updated), ref = escaped(reference);
  std::string out;
  out.reserve(text.size() + lu.size() + ref.size());
  out.append(text, 0, last_updated_at);
  out += lu;
  out.append(text, last_updated_at, reference_at - last_updated_at);
  out += ref;
  out.append(text, reference_at, std::string::npos);
  return out;
}

}  // namespace lfpse::server
