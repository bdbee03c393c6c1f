// Conditions, rules and the `shown` evaluation order of a taxonomy being loaded.
#include "core/error.hpp"
#include "taxonomy/loader_context.hpp"

namespace lfpse::taxonomy {

using core::JsonValue;

void LoaderContext::fail(const std::string& path, const std::string& what) const {
  throw core::Error(core::ErrorCode::Invalid,
                    "taxonomy: " + (path.empty() ? std::string("(document)") : path) + ": " + what);
}

const JsonValue& LoaderContext::object(const JsonValue& v, const std::string& path) const {
  if (!v.is_object()) fail(path, "expected an object");
  return v;
}
const JsonValue& LoaderContext::array(const JsonValue& v, const std::string& path) const {
  if (!v.is_array()) fail(path, "expected an array");
  return v;
}
std::string LoaderContext::string(const JsonValue& v, const std::string& path) const {
  if (!v.is_string()) fail(path, "expected a string");
  return std::string(v.text());
}
bool LoaderContext::boolean(const JsonValue& v, const std::string& path) const {
  if (!v.is_bool()) fail(path, "expected true or false");
  return v.as_bool();
}
double LoaderContext::number(const JsonValue& v, const std::string& path) const {
  if (!v.is_number()) fail(path, "expected a number");
  return v.to_double();
}
int64_t LoaderContext::integer(const JsonValue& v, const std::string& path) const {
  int64_t out = 0;
  if (!v.to_int64(&out)) fail(path, "expected an integer");
  return out;
}
int64_t LoaderContext::non_negative_integer(const JsonValue& v, const std::string& path) const {
  int64_t out = integer(v, path);
  if (out < 0) fail(path, "expected a non-negative integer");
  return out;
}
const JsonValue& LoaderContext::member(const JsonValue& obj, const char* name,
                                       const std::string& path) const {
  const JsonValue* v = obj.find(name);
  if (!v) fail(path + "/" + name, "missing");
  return *v;
}
std::string LoaderContext::required_string(const JsonValue& obj, const char* name,
                                           const std::string& path) const {
  return string(member(obj, name, path), path + "/" + name);
}
std::string LoaderContext::optional_string(const JsonValue& obj, const char* name,
                                           const std::string& path) const {
  const JsonValue* v = obj.find(name);
  return v ? string(*v, path + "/" + name) : std::string();
}

int LoaderContext::question_ref(const JsonValue& obj, const char* name, const std::string& path,
                                int scope_group) const {
  std::string p = path + "/" + name;
  std::string code = string(member(obj, name, path), p);
  int q = tax.question_index(code);
  if (q < 0) fail(p, "unknown question \"" + code + "\"");
  int group = tax.questions[static_cast<std::size_t>(q)].group;
  if (group >= 0 && group != scope_group) {
    fail(p, "question \"" + code + "\" belongs to group \"" +
                tax.groups[static_cast<std::size_t>(group)].id +
                "\", out of this condition's scope");
  }
  return q;
}

Condition LoaderContext::condition(const JsonValue& v, const std::string& path, int scope_group,
                                   bool assert_form) const {
  const JsonValue& o = object(v, path);
  Condition c;
  auto children = [&](const char* name, Condition::Kind kind) {
    c.kind = kind;
    const JsonValue& list = array(*o.find(name), path + "/" + name);
    for (std::size_t i = 0; i < list.size(); ++i) {
      c.children.push_back(
          condition(list[i], path + "/" + name + "/" + std::to_string(i), scope_group, false));
    }
  };
  if (o.find("all")) {
    children("all", Condition::Kind::All);
  } else if (o.find("any")) {
    children("any", Condition::Kind::Any);
  } else if (const JsonValue* n = o.find("not")) {
    c.kind = Condition::Kind::Not;
    c.children.push_back(condition(*n, path + "/not", scope_group, false));
  } else if (o.find("q")) {
    c.question = question_ref(o, "q", path, scope_group);
    const Question& q = tax.questions[static_cast<std::size_t>(c.question)];
    if (const JsonValue* in = o.find("in")) {
      c.kind = Condition::Kind::In;
      const JsonValue& codes = array(*in, path + "/in");
      for (std::size_t i = 0; i < codes.size(); ++i) {
        std::string ip = path + "/in/" + std::to_string(i);
        c.codes.push_back(string(codes[i], ip));
        if (!q.options.empty() && q.option_index(c.codes.back()) < 0) {
          fail(ip, "code \"" + c.codes.back() + "\" is not an option of " + q.code);
        }
      }
    } else if (const JsonValue* answered = o.find("answered")) {
      c.kind = Condition::Kind::Answered;
      c.answered = boolean(*answered, path + "/answered");
    } else if (const JsonValue* eq = o.find("eq")) {
      c.kind = Condition::Kind::Eq;
      if (eq->is_bool()) {
        c.eq_is_bool = true;
        c.eq_bool = eq->as_bool();
      } else {
        c.number = number(*eq, path + "/eq");
      }
    } else if (const JsonValue* gte = o.find("gte")) {
      c.kind = Condition::Kind::Gte;
      c.number = number(*gte, path + "/gte");
    } else if (const JsonValue* lte = o.find("lte")) {
      c.kind = Condition::Kind::Lte;
      c.number = number(*lte, path + "/lte");
    } else if (assert_form && o.find("not_before")) {
      c.kind = Condition::Kind::NotBefore;
      c.other_question = question_ref(o, "not_before", path, scope_group);
    } else if (assert_form && o.find("not_after")) {
      c.kind = Condition::Kind::NotAfter;
      c.other_question = question_ref(o, "not_after", path, scope_group);
    } else {
      fail(path, "a condition on \"q\" needs one of in, answered, eq, gte, lte");
    }
  } else {
    fail(path, "not a condition (expected q, all, any or not)");
  }
  return c;
}

void LoaderContext::read_conditions() {
  for (std::size_t g = 0; g < tax.groups.size(); ++g) {
    if (const JsonValue* shown = group_nodes[g]->find("shown")) {
      tax.groups[g].shown = condition(*shown, "/groups/" + std::to_string(g) + "/shown", -1, false);
    }
  }
  for (std::size_t i = 0; i < tax.questions.size(); ++i) {
    Question& q = tax.questions[i];
    const JsonValue& node = *question_nodes[i];
    if (const JsonValue* shown = node.find("shown")) {
      q.shown = condition(*shown, question_paths[i] + "/shown", q.group, false);
    }
    if (const JsonValue* required = node.find("required")) {
      if (required->is_bool()) {
        q.required = required->as_bool();
      } else {
        q.required_when = condition(*required, question_paths[i] + "/required", q.group, false);
      }
    }
  }
}

namespace {
int first_question(const Condition& c) {
  if (c.question >= 0) return c.question;
  for (const Condition& child : c.children) {
    int q = first_question(child);
    if (q >= 0) return q;
  }
  return -1;
}
}  // namespace

void LoaderContext::read_rules(const JsonValue* rules) {
  if (!rules) return;
  array(*rules, "/rules");
  for (std::size_t i = 0; i < rules->size(); ++i) {
    std::string p = "/rules/" + std::to_string(i);
    const JsonValue& r = object((*rules)[i], p);
    Rule rule;
    rule.id = required_string(r, "id", p);
    for (const Rule& other : tax.rules) {
      if (other.id == rule.id) fail(p + "/id", "rule \"" + rule.id + "\" repeated");
    }
    if (const JsonValue* g = r.find("group")) {
      std::string id = string(*g, p + "/group");
      rule.group = tax.group_index(id);
      if (rule.group < 0) fail(p + "/group", "unknown group \"" + id + "\"");
    }
    std::string severity = required_string(r, "severity", p);
    if (severity == "error") {
      rule.severity = Severity::Error;
    } else if (severity == "warning") {
      rule.severity = Severity::Warning;
    } else {
      fail(p + "/severity", "severity is \"error\" or \"warning\"");
    }
    if (const JsonValue* when = r.find("when"))
      rule.when = condition(*when, p + "/when", rule.group, false);
    rule.assert_ = condition(member(r, "assert", p), p + "/assert", rule.group, true);
    rule.message = required_string(r, "message", p);
    rule.path_question = first_question(rule.assert_);
    tax.rules.push_back(std::move(rule));
  }
}

namespace {
void collect_questions(const Condition& c, std::vector<int>& out) {
  if (c.question >= 0) out.push_back(c.question);
  for (const Condition& child : c.children) collect_questions(child, out);
}
}  // namespace

void LoaderContext::order_shown() {
  // Depth-first topological sort over "q's shown condition names r" (and, for a group
  // question, its group's shown condition): r comes before q. A back edge is a cycle.
  std::size_t n = tax.questions.size();
  std::vector<std::vector<int>> deps(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Question& q = tax.questions[i];
    if (q.shown) collect_questions(*q.shown, deps[i]);
    if (q.group >= 0 && tax.groups[static_cast<std::size_t>(q.group)].shown) {
      collect_questions(*tax.groups[static_cast<std::size_t>(q.group)].shown, deps[i]);
    }
  }
  enum : char { kNew, kActive, kDone };
  std::vector<char> state(n, kNew);
  std::vector<std::pair<int, std::size_t>> stack;  // (question, next dependency)
  for (std::size_t start = 0; start < n; ++start) {
    if (state[start] != kNew) continue;
    stack.emplace_back(static_cast<int>(start), 0);
    state[start] = kActive;
    while (!stack.empty()) {
      auto& [q, next] = stack.back();
      const auto& d = deps[static_cast<std::size_t>(q)];
      if (next < d.size()) {
        int r = d[next++];
        if (state[static_cast<std::size_t>(r)] == kActive) {
          fail(question_paths[static_cast<std::size_t>(q)] + "/shown",
               "the shown conditions of \"" + tax.questions[static_cast<std::size_t>(q)].code +
                   "\" and \"" + tax.questions[static_cast<std::size_t>(r)].code +
                   "\" form a cycle");
        }
        if (state[static_cast<std::size_t>(r)] == kNew) {
          state[static_cast<std::size_t>(r)] = kActive;
          stack.emplace_back(r, 0);
        }
      } else {
        state[static_cast<std::size_t>(q)] = kDone;
        tax.shown_order.push_back(q);
        stack.pop_back();
      }
    }
  }
}

}  // namespace lfpse::taxonomy
