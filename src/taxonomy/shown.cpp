#include "taxonomy/shown.hpp"

#include "taxonomy/condition.hpp"

namespace lfpse::taxonomy {

namespace {

const core::JsonValue* object_member(const core::JsonValue* v, std::string_view name) {
  if (v == nullptr || !v->is_object()) return nullptr;
  const core::JsonValue* m = v->find(name);
  return m != nullptr && m->is_object() ? m : nullptr;
}

InstanceShown collect(const AnswerScope& scope, const std::vector<int>& questions) {
  InstanceShown r;
  for (int q : questions) {
    if (!scope.shown(q)) continue;
    r.shown.push_back(q);
    if (scope.required(q)) r.required.push_back(q);
  }
  return r;
}

void append_codes(std::string& out, const Taxonomy& tax, const std::vector<int>& qs) {
  out.push_back('[');
  for (std::size_t i = 0; i < qs.size(); ++i) {
    if (i > 0) out.push_back(',');
    core::json_append_string(out, tax.questions[static_cast<std::size_t>(qs[i])].code);
  }
  out.push_back(']');
}

void append_instance(std::string& out, const Taxonomy& tax, const InstanceShown& s) {
  out += "{\"shown\":";
  append_codes(out, tax, s.shown);
  out += ",\"required\":";
  append_codes(out, tax, s.required);
  out.push_back('}');
}

}  // namespace

ShownResult compute_shown(const Taxonomy& tax, const core::JsonValue& event) {
  ShownResult r;
  AnswerScope scope(tax);
  scope.fill(-1, object_member(&event, "answers"));
  scope.compute_shown(-1, true);
  r.top = collect(scope, tax.top_questions);

  // Every group's `shown` is decided at the top level before any instance fills its slots.
  r.groups.resize(tax.groups.size());
  for (std::size_t g = 0; g < tax.groups.size(); ++g) {
    const Group& group = tax.groups[g];
    r.groups[g].shown = !group.shown || evaluate(*group.shown, scope);
  }
  const core::JsonValue* groups = object_member(&event, "groups");
  for (std::size_t g = 0; g < tax.groups.size(); ++g) {
    const core::JsonValue* array = groups != nullptr ? groups->find(tax.groups[g].id) : nullptr;
    if (array == nullptr || !array->is_array()) continue;
    const int gi = static_cast<int>(g);
    for (const core::JsonValue& inst : *array) {
      // An instance of the wrong shape still takes its place, with no answers.
      scope.fill(gi, object_member(&inst, "answers"));
      scope.compute_shown(gi, r.groups[g].shown);
      r.groups[g].instances.push_back(collect(scope, tax.groups[g].questions));
    }
    scope.clear(gi);
  }
  return r;
}

std::string shown_json(const Taxonomy& tax, const ShownResult& r) {
  std::string out = "{\"top\":";
  append_instance(out, tax, r.top);
  out += ",\"groups\":{";
  for (std::size_t g = 0; g < r.groups.size() && g < tax.groups.size(); ++g) {
    if (g > 0) out.push_back(',');
    core::json_append_string(out, tax.groups[g].id);
    out += ":{\"shown\":";
    out += r.groups[g].shown ? "true" : "false";
    out += ",\"instances\":[";
    for (std::size_t i = 0; i < r.groups[g].instances.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_instance(out, tax, r.groups[g].instances[i]);
    }
    out += "]}";
  }
  out += "}}";
  return out;
}

}  // namespace lfpse::taxonomy
