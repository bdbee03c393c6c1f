// A taxonomy version as one JSON Schema (draft 2020-12) for event documents, for forms and
// browsers that validate before they call the SDK. The SDK's validator stays the reference:
// the schema accepts no event the validator refuses for a reason the schema can express,
// and its `$comment` lists the checks it leaves out.
//
// Conditions become if/then pairs at the level of the event (or of a group instance) rather
// than of the answers object, so that a missing `answers` member is read as no answers, the
// way the validator reads it. A condition is evaluated on the answers as given; the validator
// treats a hidden question as unanswered, and the two agree on every document this schema
// accepts, since it also refuses an answer to a hidden question.
#include "taxonomy/schema.hpp"

#include <string>
#include <vector>

#include "core/json.hpp"
#include "taxonomy/schema_parts.hpp"

namespace lfpse::taxonomy {
namespace {

using namespace schema_detail;

std::string quoted(std::string_view s) {
  std::string out;
  core::json_append_string(out, s);
  return out;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string if_then(const std::string& cond, const std::string& then) {
  return "{\"if\":" + cond + ",\"then\":" + then + "}";
}

// A conjunction of conditions (each a schema over answers) and whether it holds on no answers.
struct Conj {
  std::vector<std::string> parts;
  bool on_empty = true;
  void add(std::string schema, bool holds_when_empty) {
    parts.push_back(std::move(schema));
    on_empty = on_empty && holds_when_empty;
  }
  std::string wrapped() const {
    const std::string c = parts.size() == 1 ? parts[0] : "{\"allOf\":[" + join(parts, ",") + "]}";
    return wrap_answers(c, on_empty);
  }
};

std::string need(std::string_view code) {  // on the object holding `answers`
  return "{\"type\":\"object\",\"required\":[\"answers\"],\"properties\":{\"answers\":" +
         answered_schema(code) + "}}";
}

std::string none(std::string_view code) {
  return "{\"type\":\"object\",\"properties\":{\"answers\":" + not_answered_schema(code) + "}}";
}

std::string in_instances(std::string_view group, const std::string& item_schema) {
  return "{\"type\":\"object\",\"properties\":{\"groups\":{\"type\":\"object\",\"properties\":{" +
         quoted(group) + ":{\"type\":\"array\",\"items\":" + item_schema + "}}}}}";
}

class SchemaWriter {
 public:
  explicit SchemaWriter(const Taxonomy& tax) : tax_(tax) {}
  std::string write();

 private:
  std::string answers_object(const std::vector<std::string>& props,
                             const std::vector<std::string>& required) const {
    std::string out = "{\"type\":\"object\",\"additionalProperties\":false";
    if (!required.empty()) out += ",\"required\":[" + join(required, ",") + "]";
    out += ",\"properties\":{" + join(props, ",") + "}}";
    return out;
  }
  void top_question(int qi, std::vector<std::string>& props, std::vector<std::string>& required);
  std::string group_schema(int g);

  const Taxonomy& tax_;
  std::vector<std::string> root_all_of_;
  std::vector<std::string> unsaid_;
};

void SchemaWriter::top_question(int qi, std::vector<std::string>& props,
                                std::vector<std::string>& required) {
  const Question& q = tax_.questions[qi];
  const bool always = !q.shown && q.required && !q.required_when;
  props.push_back(quoted(q.code) + ":" + value_schema(q, always, unsaid_));
  if (always) required.push_back(quoted(q.code));
  for (const auto* c : {&q.shown, &q.required_when}) {
    if (*c && (condition_level(tax_, **c, -1).other || condition_level(tax_, **c, -1).group)) {
      unsaid_.push_back(q.code + ": a condition that names a group question");
      return;
    }
  }
  if (q.shown) {
    const std::string s = condition_schema(tax_, *q.shown);
    root_all_of_.push_back(
        if_then(wrap_answers("{\"not\":" + s + "}", !holds_on_empty(*q.shown)), none(q.code)));
  }
  if (!always && (q.required || q.required_when)) {
    Conj when;
    if (q.shown) when.add(condition_schema(tax_, *q.shown), holds_on_empty(*q.shown));
    if (q.required_when) {
      when.add(condition_schema(tax_, *q.required_when), holds_on_empty(*q.required_when));
    }
    root_all_of_.push_back(when.parts.empty() ? need(q.code)
                                              : if_then(when.wrapped(), need(q.code)));
  }
}

std::string SchemaWriter::group_schema(int g) {
  const Group& group = tax_.groups[g];
  std::vector<std::string> props, required, item_all_of;
  for (int qi : group.questions) {
    const Question& q = tax_.questions[qi];
    const bool always = !q.shown && q.required && !q.required_when;
    props.push_back(quoted(q.code) + ":" + value_schema(q, always, unsaid_));
    if (always) required.push_back(quoted(q.code));
    Level ls, lr;
    if (q.shown) ls = condition_level(tax_, *q.shown, g);
    if (q.required_when) lr = condition_level(tax_, *q.required_when, g);
    if (ls.other || lr.other || (ls.top && ls.group) || (lr.top && lr.group)) {
      unsaid_.push_back(q.code + ": a condition that mixes top-level and group questions");
      continue;
    }
    if (q.shown) {  // not shown: not answered
      const std::string s = condition_schema(tax_, *q.shown);
      const std::string when = wrap_answers("{\"not\":" + s + "}", !holds_on_empty(*q.shown));
      if (ls.top) {
        root_all_of_.push_back(if_then(when, in_instances(group.id, none(q.code))));
      } else {
        item_all_of.push_back(if_then(when, none(q.code)));
      }
    }
    if (always || (!q.required && !q.required_when)) continue;
    Conj top, item;  // shown and required: answered
    if (q.shown)
      (ls.top ? top : item).add(condition_schema(tax_, *q.shown), holds_on_empty(*q.shown));
    if (q.required_when) {
      (lr.top ? top : item)
          .add(condition_schema(tax_, *q.required_when), holds_on_empty(*q.required_when));
    }
    const std::string inner =
        item.parts.empty() ? need(q.code) : if_then(item.wrapped(), need(q.code));
    if (top.parts.empty()) {
      item_all_of.push_back(inner);
    } else {
      root_all_of_.push_back(if_then(top.wrapped(), in_instances(group.id, inner)));
    }
  }

  std::string item = "{\"type\":\"object\",\"additionalProperties\":false";
  if (!required.empty()) item += ",\"required\":[\"answers\"]";
  item += ",\"properties\":{\"answers\":" + answers_object(props, required) + "}";
  if (!item_all_of.empty()) item += ",\"allOf\":[" + join(item_all_of, ",") + "]";
  item += '}';

  std::string out = "{\"type\":\"array\"";
  if (!group.shown && group.min > 0) out += ",\"minItems\":" + std::to_string(group.min);
  if (group.max > 0) out += ",\"maxItems\":" + std::to_string(group.max);
  out += ",\"items\":" + item + "}";

  if (group.shown) {
    const Level l = condition_level(tax_, *group.shown, -1);
    if (l.other || l.group) {
      unsaid_.push_back("group " + group.id + ": a condition that names a group question");
    } else {
      const std::string s = condition_schema(tax_, *group.shown);
      const bool empty = holds_on_empty(*group.shown);
      const std::string g_id = quoted(group.id);
      root_all_of_.push_back(if_then(
          wrap_answers("{\"not\":" + s + "}", !empty),
          "{\"type\":\"object\",\"properties\":{\"groups\":{\"type\":\"object\",\"properties\":{" +
              g_id + ":{\"type\":\"array\",\"maxItems\":0}}}}}"));
      if (group.min > 0) {
        root_all_of_.push_back(if_then(
            wrap_answers(s, empty),
            "{\"type\":\"object\",\"required\":[\"groups\"],\"properties\":{\"groups\":{\"type\":"
            "\"object\",\"required\":[" +
                g_id + "],\"properties\":{" + g_id +
                ":{\"type\":\"array\",\"minItems\":" + std::to_string(group.min) + "}}}}}"));
      }
    }
  }
  return out;
}

std::string SchemaWriter::write() {
  std::vector<std::string> props, required;
  for (int qi : tax_.top_questions) top_question(qi, props, required);
  std::vector<std::string> group_props, groups_required;
  for (std::size_t g = 0; g < tax_.groups.size(); ++g) {
    group_props.push_back(quoted(tax_.groups[g].id) + ":" + group_schema(static_cast<int>(g)));
    if (!tax_.groups[g].shown && tax_.groups[g].min > 0) {
      groups_required.push_back(quoted(tax_.groups[g].id));
    }
  }

  std::vector<std::string> rules;
  for (const Rule& r : tax_.rules) rules.push_back(r.id);
  std::string comment =
      "Event documents (TAXONOMY.md 3.1) of taxonomy " + tax_.name + " version " + tax_.version +
      ". Not expressed here; the SDK's validator checks them: the cross-question rules (" +
      join(rules, ", ") +
      "); retired options, which this version accepts only in events of older versions "
      "(this schema is for events of this version)" +
      (unsaid_.empty() ? std::string() : "; " + join(unsaid_, "; ")) +
      ". A question hidden by its condition counts as unanswered in other conditions; this "
      "schema evaluates conditions on the answers as given, which agrees on every document it "
      "accepts, as it refuses answers to hidden questions. Issue codes, paths and messages "
      "are the validator's alone.";

  std::string root_required = "\"local_id\",\"taxonomy_version\",\"organisation\"";
  if (!required.empty()) root_required += ",\"answers\"";
  if (!groups_required.empty()) root_required += ",\"groups\"";

  std::string out;
  out.reserve(64 * 1024);
  out += "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"$id\":";
  out += quoted("urn:lfpse:event-schema:" + tax_.name + ":" + tax_.version);
  out += ",\"title\":" + quoted("LFPSE event, taxonomy version " + tax_.version);
  out += ",\"$comment\":" + quoted(comment);
  out += ",\"type\":\"object\",\"additionalProperties\":false,\"required\":[" + root_required + "]";
  out += ",\"properties\":{";
  out += "\"local_id\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._:-]{1,64}$\"}";
  out += ",\"taxonomy_version\":{\"type\":\"string\",\"const\":" + quoted(tax_.version) + "}";
  out += ",\"organisation\":{\"type\":\"string\",\"pattern\":\"^[A-Z0-9]{3,6}$\"}";
  out += ",\"answers\":" + answers_object(props, required);
  out += ",\"groups\":{\"type\":\"object\",\"additionalProperties\":false";
  if (!groups_required.empty()) out += ",\"required\":[" + join(groups_required, ",") + "]";
  out += ",\"properties\":{" + join(group_props, ",") + "}}}";
  if (!root_all_of_.empty()) out += ",\"allOf\":[" + join(root_all_of_, ",") + "]";
  out += '}';
  return out;
}

}  // namespace

std::string json_schema(const Taxonomy& tax) { return SchemaWriter(tax).write(); }

}  // namespace lfpse::taxonomy
