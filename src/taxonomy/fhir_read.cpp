// FHIR R4 AdverseEvent -> the canonical event document (TAXONOMY.md 5-6) and the national
// service's sync state (API.md).
//
// Decisions where the spec leaves room:
// - A sub-extension under the taxonomy's extension_base that the taxonomy does not define
//   (unknown section, unknown property, a property of another group, a wrong value[x]) is an
//   error, not skipped: silently losing part of a clinical record is worse than refusing it.
//   Extensions under any other url, and base elements the mapping does not use (actuality,
//   subject, location, recorder, suspectEntity, text, status, ...), are ignored.
// - The server-owned sub-extensions of adverse-event-reference-metadata (ReferenceNumber,
//   RecordingRoute, ReviewStatus, ReviewComment) go to NationalMeta, never to answers.
// - A missing identifier is an error: the event document cannot exist without its local id.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "taxonomy/canonical.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/fhir_names.hpp"

namespace lfpse::taxonomy {
namespace {

using core::JsonValue;

[[noreturn]] void fail(const std::string& message) {
  throw core::Error(core::ErrorCode::Invalid, message);
}

std::string quoted(std::string_view s) {
  std::string out;
  core::json_append_string(out, s);
  return out;
}

const JsonValue* optional_member(const JsonValue& obj, std::string_view name, core::JsonKind kind,
                                 std::string_view where) {
  const JsonValue* v = obj.find(name);
  if (v != nullptr && v->kind() != kind) {
    fail(std::string(where) + std::string(name) + " has the wrong JSON type");
  }
  return v;
}

class Reader {
 public:
  Reader(const Taxonomy& tax, AnswerSet& answers, FromFhirResult& result)
      : tax_(tax), answers_(answers), result_(result) {
    metadata_section_ = tax.section_index(kMetadataSection);
  }

  void read_extension(const JsonValue& ext, std::string_view resource_type);

 private:
  // -2 stands for adverse-event-reference-metadata when the taxonomy does not list it.
  static constexpr int kUnlistedMetadata = -2;

  int section_of(std::string_view url, std::string_view resource_type) const;
  bool read_server_owned(std::string_view url, const JsonValue& value);
  void store(const Question& q, int qi, std::string_view value_key, const JsonValue& value,
             AnswerSlots& slots);

  const Taxonomy& tax_;
  AnswerSet& answers_;
  FromFhirResult& result_;
  int metadata_section_ = -1;
};

int Reader::section_of(std::string_view url, std::string_view resource_type) const {
  std::string_view rest = url.substr(tax_.extension_base.size());
  const std::string suffix = "-" + tax_.version;
  if (rest.size() <= suffix.size() || rest.substr(rest.size() - suffix.size()) != suffix) {
    fail("extension " + quoted(url) + " is not of taxonomy version " + tax_.version);
  }
  rest.remove_suffix(suffix.size());
  int s = tax_.section_index(rest);
  if (s < 0 && rest == kMetadataSection) s = kUnlistedMetadata;
  if (s == -1) fail("extension " + quoted(url) + " names no section of the taxonomy");
  const std::string_view target =
      s >= 0 ? std::string_view(tax_.sections[s].target) : "AdverseEvent";
  if (target != resource_type) {
    fail("extension " + quoted(url) + " belongs on " + std::string(target) + ", not on " +
         std::string(resource_type));
  }
  return s;
}

bool Reader::read_server_owned(std::string_view url, const JsonValue& value) {
  std::optional<std::string>* slot = nullptr;
  if (url == "ReferenceNumber") slot = &result_.meta.reference_number;
  if (url == "RecordingRoute") slot = &result_.meta.recording_route;
  if (url == "ReviewStatus") slot = &result_.meta.review_status;
  if (url == "ReviewComment") slot = &result_.meta.review_comment;
  if (slot == nullptr) return false;
  if (!value.is_string()) fail(std::string(url) + " must hold a string");
  *slot = std::string(value.text());
  return true;
}

void Reader::store(const Question& q, int qi, std::string_view value_key, const JsonValue& value,
                   AnswerSlots& slots) {
  const std::string_view expected = fhir_value_key(q.type);
  if (value_key != expected) {
    fail(q.fhir.property + " (" + q.code + ") needs " + std::string(expected) + ", not " +
         std::string(value_key));
  }
  bool fits = false;
  switch (q.type) {
    case QuestionType::Integer:
      fits = value.is_number() && value.is_integer_literal();
      break;
    case QuestionType::Decimal:
      fits = value.is_number();
      break;
    case QuestionType::Boolean:
      fits = value.is_bool();
      break;
    default:
      fits = value.is_string();
      break;
  }
  if (!fits) fail(q.fhir.property + " has a " + std::string(value_key) + " of the wrong JSON type");
  AnswerSlot& slot = slots[qi];
  if (q.type == QuestionType::Multichoice) {
    slot.items.push_back(&value);
    return;
  }
  if (slot.value != nullptr) fail(q.fhir.property + " (" + q.code + ") is repeated");
  slot.value = &value;
}

void Reader::read_extension(const JsonValue& ext, std::string_view resource_type) {
  if (!ext.is_object()) fail("an extension is not an object");
  const JsonValue* url = ext.find("url");
  if (url == nullptr || !url->is_string()) fail("an extension has no url string");
  if (url->text().substr(0, tax_.extension_base.size()) != tax_.extension_base) return;
  const int s = section_of(url->text(), resource_type);
  const JsonValue* subs = ext.find("extension");
  if (subs == nullptr || !subs->is_array()) {
    fail("extension " + quoted(url->text()) + " has no extension array");
  }

  // A sequence property makes the extension one instance of the group it numbers.
  int group = -1;
  for (const JsonValue& sub : *subs) {
    const JsonValue* u = sub.is_object() ? sub.find("url") : nullptr;
    if (u == nullptr || !u->is_string()) continue;
    for (std::size_t g = 0; g < tax_.groups.size() && s >= 0; ++g) {
      if (tax_.groups[g].section == s && tax_.groups[g].sequence_property == u->text()) {
        group = static_cast<int>(g);
      }
    }
  }
  AnswerSlots* slots = &answers_.top;
  int64_t sequence = 0;
  if (group >= 0) {
    answers_.groups[group].push_back({0, AnswerSlots(tax_.questions.size())});
    slots = &answers_.groups[group].back().slots;
  }

  for (const JsonValue& sub : *subs) {
    if (!sub.is_object()) fail("a sub-extension is not an object");
    const JsonValue* u = sub.find("url");
    if (u == nullptr || !u->is_string()) fail("a sub-extension has no url string");
    const JsonValue* value = nullptr;
    std::string_view value_key;
    for (auto m = sub.members_begin(); m != sub.members_end(); ++m) {
      if (m->name.substr(0, 5) != "value") continue;
      if (value != nullptr) fail("sub-extension " + quoted(u->text()) + " has two values");
      value = &m->value;
      value_key = m->name;
    }
    if (value == nullptr) fail("sub-extension " + quoted(u->text()) + " has no value");
    const std::string_view property = u->text();

    if (group >= 0 && property == tax_.groups[group].sequence_property) {
      if (answers_.groups[group].back().sequence != 0) fail(std::string(property) + " is repeated");
      if (value_key != "valueInteger" || !value->to_int64(&sequence) || sequence < 1 ||
          !value->is_integer_literal()) {
        fail(std::string(property) + " must be a valueInteger of at least 1");
      }
      answers_.groups[group].back().sequence = sequence;
      continue;
    }
    const bool metadata = s == kUnlistedMetadata || (s >= 0 && s == metadata_section_);
    if (metadata && group < 0) {
      if (property == kSubmittingOrganisation) {
        if (!value->is_string()) fail("SubmittingOrganisation must hold a string");
        answers_.organisation = value;
        continue;
      }
      if (read_server_owned(property, *value)) continue;
    }
    int qi = -1;
    for (std::size_t i = 0; i < tax_.questions.size() && s >= 0; ++i) {
      const Question& q = tax_.questions[i];
      if (q.fhir.kind == FhirMapping::Kind::Extension && q.fhir.section == s && q.group == group &&
          q.fhir.property == property) {
        qi = static_cast<int>(i);
        break;
      }
    }
    if (qi < 0) {
      fail("property " + quoted(property) + " is not defined in " + quoted(url->text()) +
           (group >= 0 ? " for group " + tax_.groups[group].id : std::string()));
    }
    store(tax_.questions[qi], qi, value_key, *value, *slots);
  }
  if (group >= 0 && answers_.groups[group].back().sequence == 0) {
    fail("an instance of group " + tax_.groups[group].id + " has no " +
         tax_.groups[group].sequence_property);
  }
}

void read_identifier(const JsonValue& root, std::string& local_id) {
  const JsonValue* ident = optional_member(root, "identifier", core::JsonKind::Object, "");
  if (ident == nullptr) fail("the resource has no identifier");
  const JsonValue* system =
      optional_member(*ident, "system", core::JsonKind::String, "identifier.");
  const JsonValue* value = optional_member(*ident, "value", core::JsonKind::String, "identifier.");
  if (system == nullptr || value == nullptr) fail("identifier needs a system and a value");
  if (system->text().substr(0, kLocalIdSystem.size()) == kLocalIdSystem) {
    local_id = std::string(value->text());
  } else if (system->text().substr(0, kNationalSystem.size()) == kNationalSystem) {
    local_id = std::string(kNationalIdPrefix) + std::string(value->text());
  } else {
    fail("identifier.system " + quoted(system->text()) + " is neither " +
         std::string(kLocalIdSystem) + "<org> nor " + std::string(kNationalSystem) + "<org>");
  }
}

TaxonomyPtr read_meta(const TaxonomySet& set, const JsonValue& root, FromFhirResult& result) {
  const JsonValue* meta = optional_member(root, "meta", core::JsonKind::Object, "");
  if (meta == nullptr) fail("the resource has no meta.profile");
  const JsonValue* profiles = optional_member(*meta, "profile", core::JsonKind::Array, "meta.");
  TaxonomyPtr tax;
  if (profiles != nullptr) {
    for (const JsonValue& p : *profiles) {
      if (!p.is_string()) fail("meta.profile holds a value that is not a string");
      if (tax == nullptr) tax = set.find_by_profile(p.text());
    }
  }
  if (tax == nullptr) fail("no meta.profile names a loaded taxonomy version");
  if (auto v = optional_member(*meta, "versionId", core::JsonKind::String, "meta.")) {
    result.meta.version_id = std::string(v->text());
  }
  if (auto v = optional_member(*meta, "lastUpdated", core::JsonKind::String, "meta.")) {
    result.meta.last_updated = std::string(v->text());
  }
  if (auto v = optional_member(root, "id", core::JsonKind::String, "")) {
    result.meta.id = std::string(v->text());
  }
  return tax;
}

void read_base_elements(const Taxonomy& tax, const JsonValue& root, AnswerSet& answers) {
  int event_q = -1, date_q = -1;
  for (int qi : tax.top_questions) {
    const FhirMapping::Kind k = tax.questions[qi].fhir.kind;
    if (k == FhirMapping::Kind::EventElement && event_q < 0) event_q = qi;
    if (k == FhirMapping::Kind::DateElement && date_q < 0) date_q = qi;
  }
  if (const JsonValue* event = optional_member(root, "event", core::JsonKind::Object, "")) {
    const JsonValue* coding = optional_member(*event, "coding", core::JsonKind::Array, "event.");
    if (coding == nullptr || coding->size() == 0 || !(*coding)[0].is_object()) {
      fail("event needs a coding with one {code}");
    }
    const JsonValue* code =
        optional_member((*coding)[0], "code", core::JsonKind::String, "event.coding[0].");
    if (code == nullptr) fail("event.coding[0] has no code");
    if (event_q < 0) fail("the taxonomy maps no question to event");
    answers.top[event_q].value = code;
  }
  if (const JsonValue* date = optional_member(root, "date", core::JsonKind::String, "")) {
    if (date_q < 0) fail("the taxonomy maps no question to date");
    answers.top[date_q].value = date;
  }
}

}  // namespace

FromFhirResult from_fhir(const TaxonomySet& set, std::string_view resource_text) {
  core::JsonDocument doc;
  core::JsonError error;
  core::JsonLimits limits;
  limits.max_bytes = kMaxResourceBytes;
  if (!doc.parse(resource_text, &error, limits)) fail("the resource is not JSON: " + error.text());
  return from_fhir(set, doc.root());
}

FromFhirResult from_fhir(const TaxonomySet& set, const JsonValue& root) {
  if (!root.is_object()) fail("the resource is not a JSON object");
  const JsonValue* type = root.find("resourceType");
  if (type == nullptr || !type->is_string() || type->text() != "AdverseEvent") {
    fail("resourceType is not \"AdverseEvent\"");
  }

  FromFhirResult result;
  result.taxonomy = read_meta(set, root, result);
  const Taxonomy& tax = *result.taxonomy;
  std::string local_id;
  read_identifier(root, local_id);

  AnswerSet answers(tax);
  read_base_elements(tax, root, answers);
  Reader reader(tax, answers, result);
  if (auto ext = optional_member(root, "extension", core::JsonKind::Array, "")) {
    for (const JsonValue& e : *ext) reader.read_extension(e, "AdverseEvent");
  }
  if (auto contained = optional_member(root, "contained", core::JsonKind::Array, "")) {
    for (const JsonValue& c : *contained) {
      if (!c.is_object()) fail("a contained resource is not an object");
      const JsonValue* ctype =
          optional_member(c, "resourceType", core::JsonKind::String, "contained.");
      if (ctype == nullptr) fail("a contained resource has no resourceType");
      if (auto ext = optional_member(c, "extension", core::JsonKind::Array, "contained.")) {
        for (const JsonValue& e : *ext) reader.read_extension(e, ctype->text());
      }
    }
  }

  // Instances come back in the order of their sequence numbers, which must not repeat.
  for (std::size_t g = 0; g < answers.groups.size(); ++g) {
    auto& list = answers.groups[g];
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
    for (std::size_t i = 1; i < list.size(); ++i) {
      if (list[i].sequence == list[i - 1].sequence) {
        fail("group " + tax.groups[g].id + " repeats sequence number " +
             std::to_string(list[i].sequence));
      }
    }
  }
  result.event_json = write_canonical(tax, local_id, answers);
  return result;
}

std::string national_meta_json(const NationalMeta& m) {
  std::string out = "{";
  auto field = [&out](const char* name, const std::optional<std::string>& v) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += name;
    out += "\":";
    if (v) {
      core::json_append_string(out, *v);
    } else {
      out += "null";
    }
  };
  field("id", m.id);
  field("version", m.version_id);
  field("last_updated", m.last_updated);
  field("reference", m.reference_number);
  field("recording_route", m.recording_route);
  field("review_status", m.review_status);
  field("review_comment", m.review_comment);
  out += '}';
  return out;
}

}  // namespace lfpse::taxonomy
