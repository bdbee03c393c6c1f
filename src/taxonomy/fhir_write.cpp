// Event document -> FHIR R4 AdverseEvent, byte for byte as TAXONOMY.md 5 and 6 lay it out.
//
// One pass over the taxonomy's sections writes straight into the output string: a section is
// opened, filled and, when nothing went into it, cut back off, so that no intermediate tree or
// per-section buffer is built (to_fhir is on the benchmarked path).
#include <string>
#include <string_view>
#include <vector>

#include "taxonomy/fhir.hpp"
#include "taxonomy/fhir_names.hpp"

namespace lfpse::taxonomy {
namespace {

using core::JsonValue;

void append_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

// True when write_answer emits at least one sub-extension for `v`, so that emptiness is decided
// before anything is written (the references come before the sections they point to).
bool writes_something(const Question& q, const JsonValue& v) {
  switch (q.type) {
    case QuestionType::Multichoice:
      if (!v.is_array()) return false;
      for (const JsonValue& item : v) {
        if (item.is_string() && !item.text().empty()) return true;
      }
      return false;
    case QuestionType::Integer:
    case QuestionType::Decimal:
      return v.is_number();
    case QuestionType::Boolean:
      return v.is_bool();
    default:
      return v.is_string() && !v.text().empty();
  }
}

// Opens one sub-extension `{"url":<property>,"value<X>":` after a separator when needed.
void open_sub(std::string& out, bool& first, std::string_view property,
              std::string_view value_key) {
  if (!first) out += ',';
  first = false;
  out += fhir_sub_open(property, value_key);
}

// The same for an answer to `q`, whose opening the loader made (FhirMapping::sub_open).
void open_answer(std::string& out, bool& first, const Question& q) {
  if (!first) out += ',';
  first = false;
  out += q.fhir.sub_open;
}

// Writes the sub-extension(s) of one answer. Values whose JSON type does not fit the question
// type are skipped: callers validate first, and a skipped value is better than a wrong one.
void write_answer(std::string& out, bool& first, const Question& q, const JsonValue& v) {
  if (!writes_something(q, v)) return;  // also leaves out empty answers ("", [])
  switch (q.type) {
    case QuestionType::Multichoice:
      for (const JsonValue& item : v) {
        if (!item.is_string() || item.text().empty()) continue;
        open_answer(out, first, q);
        core::json_append_string(out, item.text());
        out += '}';
      }
      return;
    case QuestionType::Integer:
    case QuestionType::Decimal:
      open_answer(out, first, q);
      out += v.text();  // as spelled: FHIR keeps decimal precision
      break;
    case QuestionType::Boolean:
      open_answer(out, first, q);
      out += v.as_bool() ? "true" : "false";
      break;
    default:
      open_answer(out, first, q);
      core::json_append_string(out, v.text());
      break;
  }
  out += '}';
}

const JsonValue* member_of(const JsonValue* obj, std::string_view name) {
  return obj != nullptr && obj->is_object() ? obj->find(name) : nullptr;
}

class Writer {
 public:
  Writer(const Taxonomy& tax, const JsonValue& event, std::string& out)
      : tax_(tax), event_(event), out_(out) {
    const JsonValue* answers = member_of(&event, "answers");
    top_.assign(tax.questions.size(), nullptr);
    if (answers != nullptr && answers->is_object()) {
      for (auto m = answers->members_begin(); m != answers->members_end(); ++m) {
        const int qi = tax.question_index(m->name);
        if (qi >= 0 && tax.questions[qi].group < 0) top_[qi] = &m->value;
      }
    }
    groups_ = member_of(&event, "groups");
    const JsonValue* org = member_of(&event, "organisation");
    if (org != nullptr && org->is_string()) organisation_ = org->text();
    metadata_section_ = tax.section_index(kMetadataSection);
    base_plain_ = json_plain(tax.extension_base) && json_plain(tax.version);

    // The answers that go into section extensions, bucketed by section (a counting sort that
    // keeps taxonomy order), so that each section is visited once and empty ones not at all.
    section_begin_.assign(tax.sections.size() + 1, 0);
    for (int qi : tax.top_questions) {
      const Question& q = tax.questions[qi];
      if (q.fhir.kind == FhirMapping::Kind::Extension && q.fhir.section >= 0 &&
          top_[qi] != nullptr && writes_something(q, *top_[qi])) {
        ++section_begin_[q.fhir.section + 1];
      }
    }
    for (std::size_t i = 1; i < section_begin_.size(); ++i)
      section_begin_[i] += section_begin_[i - 1];
    by_section_.resize(section_begin_.back());
    std::vector<int> next(section_begin_.begin(), section_begin_.end() - 1);
    for (int qi : tax.top_questions) {
      const Question& q = tax.questions[qi];
      if (q.fhir.kind == FhirMapping::Kind::Extension && q.fhir.section >= 0 &&
          top_[qi] != nullptr && writes_something(q, *top_[qi])) {
        by_section_[next[q.fhir.section]++] = qi;
      }
    }
  }

  void write();

 private:
  const JsonValue* instances(const Group& g) const {
    const JsonValue* arr = member_of(groups_, g.id);
    return arr != nullptr && arr->is_array() && arr->size() > 0 ? arr : nullptr;
  }
  bool section_has_content(int s) const;
  void write_section(int s, bool& first);
  void write_section_extension(std::string_view section_id, bool& first, int s);
  void write_contained(std::string_view type, bool& first);

  const Taxonomy& tax_;
  const JsonValue& event_;
  std::string& out_;
  std::vector<const JsonValue*> top_;
  std::vector<int> by_section_;     // answered top-level questions, grouped by section
  std::vector<int> section_begin_;  // section s owns by_section_[begin[s], begin[s + 1])
  const JsonValue* groups_ = nullptr;
  std::string_view organisation_;
  int metadata_section_ = -1;
  bool base_plain_ = true;
};

bool Writer::section_has_content(int s) const {
  if (s == metadata_section_ && !organisation_.empty()) return true;
  if (s >= 0 && section_begin_[s + 1] > section_begin_[s]) return true;
  for (const Group& g : tax_.groups) {
    if (g.section == s && instances(g) != nullptr) return true;
  }
  return false;
}

// The section's top-level extension (when it has answers), then one extension per instance of
// each group mapped to it. Extensions that end up empty are cut back off.
void Writer::write_section(int s, bool& first) {
  const std::string_view id = s >= 0 ? std::string_view(tax_.sections[s].id) : kMetadataSection;
  write_section_extension(id, first, s);
  if (s < 0) return;
  for (const Group& g : tax_.groups) {
    if (g.section != s) continue;
    const JsonValue* arr = instances(g);
    if (arr == nullptr) continue;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      if (!first) out_ += ',';
      first = false;
      out_ += "{\"url\":";
      append_section_url(out_, tax_, id, base_plain_);
      out_ += ",\"extension\":[{\"url\":";
      core::json_append_string(out_, g.sequence_property);
      out_ += ",\"valueInteger\":";
      out_ += std::to_string(i + 1);
      out_ += '}';
      bool sub_first = false;
      const JsonValue* answers = member_of(&(*arr)[i], "answers");
      if (answers != nullptr && answers->is_object()) {
        for (int qi : g.questions) {
          const Question& q = tax_.questions[qi];
          if (q.fhir.kind != FhirMapping::Kind::Extension) continue;
          const JsonValue* v = answers->find(q.code);
          if (v != nullptr) write_answer(out_, sub_first, q, *v);
        }
      }
      out_ += "]}";
    }
  }
}

void Writer::write_section_extension(std::string_view section_id, bool& first, int s) {
  const bool metadata = s == metadata_section_ && !organisation_.empty();
  const int begin = s >= 0 ? section_begin_[s] : 0;
  const int end = s >= 0 ? section_begin_[s + 1] : 0;
  if (!metadata && begin == end) return;  // an empty section is left out
  if (!first) out_ += ',';
  first = false;
  out_ += "{\"url\":";
  append_section_url(out_, tax_, section_id, base_plain_);
  out_ += ",\"extension\":[";
  bool sub_first = true;
  if (metadata) {
    open_sub(out_, sub_first, kSubmittingOrganisation, "valueString");
    core::json_append_string(out_, organisation_);
    out_ += '}';
  }
  for (int i = begin; i < end; ++i) {
    const int qi = by_section_[i];
    write_answer(out_, sub_first, tax_.questions[qi], *top_[qi]);
  }
  out_ += "]}";
}

void Writer::write_contained(std::string_view type, bool& first) {
  const std::size_t mark = out_.size();
  const bool was_first = first;
  if (!first) out_ += ',';
  out_ += "{\"resourceType\":";
  core::json_append_string(out_, type);
  out_ += ",\"id\":";
  core::json_append_string(out_, contained_id(type));
  out_ += ",\"extension\":[";
  bool ext_first = true;
  for (std::size_t s = 0; s < tax_.sections.size(); ++s) {
    if (tax_.sections[s].target == type) write_section(static_cast<int>(s), ext_first);
  }
  if (ext_first) {
    out_.resize(mark);
    first = was_first;
    return;
  }
  first = false;
  out_ += "]}";
}

void Writer::write() {
  out_ += "{\"resourceType\":\"AdverseEvent\",\"meta\":{\"profile\":[";
  core::json_append_string(out_, tax_.fhir_profile);
  out_ += "]},";

  const JsonValue* local_id = member_of(&event_, "local_id");
  std::string_view id = local_id != nullptr && local_id->is_string() ? local_id->text() : "";
  append_key(out_, "identifier");
  out_ += "{\"system\":";
  const bool national = id.substr(0, kNationalIdPrefix.size()) == kNationalIdPrefix;
  std::string system(national ? kNationalSystem : kLocalIdSystem);
  system += organisation_;
  core::json_append_string(out_, system);
  out_ += ",\"value\":";
  core::json_append_string(out_, national ? id.substr(kNationalIdPrefix.size()) : id);
  out_ += "},";

  const JsonValue* event_code = nullptr;
  const JsonValue* date = nullptr;
  const Question* event_q = nullptr;
  for (int qi : tax_.top_questions) {
    const Question& q = tax_.questions[qi];
    const JsonValue* v = top_[qi];
    if (v == nullptr || !v->is_string() || v->text().empty()) continue;
    if (q.fhir.kind == FhirMapping::Kind::EventElement && event_code == nullptr) {
      event_code = v;
      event_q = &q;
    } else if (q.fhir.kind == FhirMapping::Kind::DateElement && date == nullptr) {
      date = v;
    }
  }
  bool potential = false;
  if (event_code != nullptr) {
    for (const std::string& c : event_q->fhir.potential) potential |= c == event_code->text();
  }
  out_ += potential ? "\"actuality\":\"potential\"" : "\"actuality\":\"actual\"";
  if (event_code != nullptr) {
    out_ += ",\"event\":{\"coding\":[{\"code\":";
    core::json_append_string(out_, event_code->text());
    out_ += "}]}";
  }

  // Which contained resources will be written, in order of their first section.
  struct Contained {
    std::string_view type;
    bool written;
  };
  std::vector<Contained> contained;
  for (std::size_t s = 0; s < tax_.sections.size(); ++s) {
    const std::string_view type = tax_.sections[s].target;
    if (type == "AdverseEvent") continue;
    bool seen = false;
    for (Contained& c : contained) {
      if (c.type == type) {
        seen = true;
        c.written = c.written || section_has_content(static_cast<int>(s));
      }
    }
    if (!seen) contained.push_back({type, section_has_content(static_cast<int>(s))});
  }
  auto written = [&](std::string_view type) {
    for (const Contained& c : contained) {
      if (c.type == type) return c.written;
    }
    return false;
  };
  auto reference = [&](std::string_view key, std::string_view type) {
    out_ += ",\"";
    out_ += key;
    out_ += "\":{\"reference\":";
    core::json_append_string(out_, "#" + contained_id(type));
    out_ += '}';
  };
  if (written("Patient")) {
    reference("subject", "Patient");
  } else {
    out_ += ",\"subject\":{\"display\":\"No patient involved\"}";  // R4 requires a subject
  }
  if (date != nullptr) {
    out_ += ",\"date\":";
    core::json_append_string(out_, date->text());
  }
  if (written("Location")) reference("location", "Location");
  if (written("Practitioner")) reference("recorder", "Practitioner");
  bool entity_first = true;
  for (const Contained& c : contained) {
    if (!c.written || (c.type != "Device" && c.type != "Medication")) continue;
    out_ += entity_first ? ",\"suspectEntity\":[" : ",";
    entity_first = false;
    out_ += "{\"instance\":{\"reference\":";
    core::json_append_string(out_, "#" + contained_id(c.type));
    out_ += "}}";
  }
  if (!entity_first) out_ += ']';

  const std::size_t ext_mark = out_.size();
  out_ += ",\"extension\":[";
  bool ext_first = true;
  for (std::size_t s = 0; s < tax_.sections.size(); ++s) {
    if (tax_.sections[s].target == "AdverseEvent") write_section(static_cast<int>(s), ext_first);
  }
  if (metadata_section_ < 0) write_section(-1, ext_first);  // not listed: the last section
  if (ext_first) {
    out_.resize(ext_mark);
  } else {
    out_ += ']';
  }

  const std::size_t contained_mark = out_.size();
  out_ += ",\"contained\":[";
  bool contained_first = true;
  for (const Contained& c : contained) {
    if (c.written) write_contained(c.type, contained_first);
  }
  if (contained_first) {
    out_.resize(contained_mark);
  } else {
    out_ += ']';
  }
  out_ += '}';
}

}  // namespace

std::string to_fhir(const Taxonomy& tax, const core::JsonValue& event) {
  std::string out;
  out.reserve(8192);  // most resources fit: one allocation
  Writer(tax, event, out).write();
  return out;
}

}  // namespace lfpse::taxonomy
