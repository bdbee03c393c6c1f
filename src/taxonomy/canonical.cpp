// The canonical event document (see canonical.hpp).
#include "taxonomy/canonical.hpp"

#include <algorithm>
#include <utility>

namespace lfpse::taxonomy {
namespace {

using core::JsonMember;
using core::JsonValue;

bool is_empty_answer(const JsonValue& v) {
  return (v.is_string() && v.text().empty()) || (v.is_array() && v.size() == 0);
}

void append_key(std::string& out, std::string_view key) {
  core::json_append_string(out, key);
  out += ':';
}

// Members ranked by `rank` (taxonomy position, or past the end in document order).
template <typename Rank>
std::vector<const JsonMember*> ordered(const JsonValue& obj, Rank rank) {
  std::vector<std::pair<std::size_t, const JsonMember*>> ranked;
  ranked.reserve(obj.size());
  std::size_t pos = 0;
  for (auto m = obj.members_begin(); m != obj.members_end(); ++m, ++pos) {
    const int r = rank(m->name);
    ranked.emplace_back(r >= 0 ? static_cast<std::size_t>(r) : (1u << 30) + pos, &*m);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const JsonMember*> out;
  out.reserve(ranked.size());
  for (const auto& r : ranked) out.push_back(r.second);
  return out;
}

void append_answers(std::string& out, const Taxonomy& tax, const JsonValue* answers) {
  if (answers == nullptr) {
    out += "{}";
    return;
  }
  if (!answers->is_object()) {
    core::json_append_value(out, *answers);
    return;
  }
  out += '{';
  bool first = true;
  for (const JsonMember* m :
       ordered(*answers, [&](std::string_view k) { return tax.question_index(k); })) {
    if (is_empty_answer(m->value)) continue;
    if (!first) out += ',';
    first = false;
    append_key(out, m->name);
    core::json_append_value(out, m->value);
  }
  out += '}';
}

void append_groups(std::string& out, const Taxonomy& tax, const JsonValue& groups) {
  if (!groups.is_object()) {
    out += ",\"groups\":";
    core::json_append_value(out, groups);
    return;
  }
  bool first = true;
  for (const JsonMember* m :
       ordered(groups, [&](std::string_view k) { return tax.group_index(k); })) {
    if (m->value.is_array() && m->value.size() == 0) continue;
    out += first ? ",\"groups\":{" : ",";
    first = false;
    append_key(out, m->name);
    if (!m->value.is_array()) {
      core::json_append_value(out, m->value);
      continue;
    }
    out += '[';
    for (std::size_t i = 0; i < m->value.size(); ++i) {
      if (i > 0) out += ',';
      const JsonValue& inst = m->value[i];
      if (!inst.is_object()) {
        core::json_append_value(out, inst);
        continue;
      }
      out += "{\"answers\":";
      append_answers(out, tax, inst.find("answers"));
      out += '}';
    }
    out += ']';
  }
  if (!first) out += '}';
}

void append_slot(std::string& out, bool& first, const Question& q, const AnswerSlot& slot) {
  if (q.type == QuestionType::Multichoice) {
    if (slot.items.empty()) return;
  } else if (slot.value == nullptr || is_empty_answer(*slot.value)) {
    return;
  }
  if (!first) out += ',';
  first = false;
  append_key(out, q.code);
  if (q.type != QuestionType::Multichoice) {
    core::json_append_value(out, *slot.value);
    return;
  }
  out += '[';
  for (std::size_t i = 0; i < slot.items.size(); ++i) {
    if (i > 0) out += ',';
    core::json_append_value(out, *slot.items[i]);
  }
  out += ']';
}

}  // namespace

std::string canonical_event_json(const Taxonomy& tax, const JsonValue& event) {
  std::string out;
  if (!event.is_object()) {
    core::json_append_value(out, event);
    return out;
  }
  out += '{';
  bool first = true;
  for (const char* name : {"local_id", "taxonomy_version", "organisation"}) {
    const JsonValue* v = event.find(name);
    if (v == nullptr) continue;
    if (!first) out += ',';
    first = false;
    append_key(out, name);
    core::json_append_value(out, *v);
  }
  if (!first) out += ',';
  out += "\"answers\":";
  append_answers(out, tax, event.find("answers"));
  if (const JsonValue* groups = event.find("groups")) append_groups(out, tax, *groups);
  out += '}';
  return out;
}

std::string write_canonical(const Taxonomy& tax, std::string_view local_id,
                            const AnswerSet& answers) {
  std::string out;
  out.reserve(2048);
  out += "{\"local_id\":";
  core::json_append_string(out, local_id);
  out += ",\"taxonomy_version\":";
  core::json_append_string(out, tax.version);
  if (answers.organisation != nullptr) {
    out += ",\"organisation\":";
    core::json_append_value(out, *answers.organisation);
  }
  out += ",\"answers\":{";
  bool first = true;
  for (std::size_t qi = 0; qi < tax.questions.size(); ++qi) {
    if (tax.questions[qi].group < 0) append_slot(out, first, tax.questions[qi], answers.top[qi]);
  }
  out += '}';
  bool groups_first = true;
  for (std::size_t g = 0; g < tax.groups.size(); ++g) {
    const auto& instances = answers.groups[g];
    if (instances.empty()) continue;
    out += groups_first ? ",\"groups\":{" : ",";
    groups_first = false;
    append_key(out, tax.groups[g].id);
    out += '[';
    for (std::size_t i = 0; i < instances.size(); ++i) {
      out += i > 0 ? ",{\"answers\":{" : "{\"answers\":{";
      bool a_first = true;
      for (int qi : tax.groups[g].questions) {
        append_slot(out, a_first, tax.questions[qi], instances[i].slots[qi]);
      }
      out += "}}";
    }
    out += ']';
  }
  if (!groups_first) out += '}';
  out += '}';
  return out;
}

}  // namespace lfpse::taxonomy
