// Answers, groups and rules (TAXONOMY.md 3 and 6). One AnswerScope serves the whole event:
// the top-level slots are filled once, each group instance refills its group's slots, and
// every condition reads the slots by question index.
#include "taxonomy/validator.hpp"

#include <string>

#include "taxonomy/condition.hpp"
#include "taxonomy/values.hpp"

namespace lfpse::taxonomy {

namespace {

class Validator {
 public:
  Validator(const Taxonomy& tax, const core::Clock& clock, std::vector<Issue>& out)
      : tax_(tax), scope_(tax), clock_(clock), out_(out) {
    path_.reserve(128);
  }

  void run(const EventParts& parts);

 private:
  const Question& question(int q) const { return tax_.questions[static_cast<std::size_t>(q)]; }
  void read_answers(int group, const core::JsonValue* answers);
  void check_answers(int group);
  void check_required(int group);
  void check_rules(int group, std::string_view instance_path);
  void check_group(int g, const core::JsonMember& member, bool shown);

  const Taxonomy& tax_;
  AnswerScope scope_;
  ClockReadings clock_;
  std::vector<Issue>& out_;
  std::string path_;  // the JSON Pointer being looked at, reused to spare allocations
};

// `answers` of an instance, checking the instance's shape; false when the content must not be
// checked (the instance or its answers are malformed).
bool read_instance(const core::JsonValue& inst, std::string& path, std::vector<Issue>& out,
                   const core::JsonValue** answers) {
  *answers = nullptr;
  if (!inst.is_object()) {
    add_issue(out, Severity::Error, "malformed", path, {}, "A group instance must be an object.");
    return false;
  }
  bool ok = true;
  const std::size_t base = path.size();
  for (const core::JsonMember* m = inst.members_begin(); m != inst.members_end(); ++m) {
    core::json_pointer_append(path, m->name);
    if (m->name != "answers") {
      add_issue(out, Severity::Error, "malformed", path, {},
                "A group instance has no member \"" + std::string(m->name) + "\".");
    } else if (!m->value.is_object()) {
      add_issue(out, Severity::Error, "malformed", path, {}, "`answers` must be an object.");
      ok = false;
    } else {
      *answers = &m->value;
    }
    path.resize(base);
  }
  return ok;
}

// The shape checks that need no taxonomy: each instance of each group.
void check_group_shapes(const core::JsonValue& array, std::string& path, std::vector<Issue>& out) {
  const std::size_t base = path.size();
  for (std::size_t i = 0; i < array.size(); ++i) {
    path.append("/").append(std::to_string(i));
    const core::JsonValue* answers = nullptr;
    read_instance(array[i], path, out, &answers);
    path.resize(base);
  }
}

void Validator::read_answers(int group, const core::JsonValue* answers) {
  scope_.clear(group);
  if (answers == nullptr) return;
  const std::size_t base = path_.size();
  for (const core::JsonMember* m = answers->members_begin(); m != answers->members_end(); ++m) {
    auto it = tax_.question_by_code.find(m->name);
    if (it != tax_.question_by_code.end() && question(it->second).group == group) {
      scope_.set_answer(it->second, &m->value);
      continue;
    }
    core::json_pointer_append(path_.append("/answers"), m->name);
    std::string where =
        group < 0 ? "at the top level" : "in group \"" + tax_.groups[group].id + "\"";
    add_issue(out_, Severity::Error, "unknown-question", path_, m->name,
              "Taxonomy version " + tax_.version + " has no question \"" + std::string(m->name) +
                  "\" " + where + ".");
    path_.resize(base);
  }
}

// Walks the scope's questions rather than the answers, sparing a second lookup by name; the
// order of discovery does not matter since no two answers share a path.
void Validator::check_answers(int group) {
  const std::vector<int>& qs =
      group < 0 ? tax_.top_questions : tax_.groups[static_cast<std::size_t>(group)].questions;
  const std::size_t base = path_.size();
  for (int index : qs) {
    const core::JsonValue* v = scope_.raw(index);
    if (v == nullptr) continue;
    const Question& q = question(index);
    path_.append("/answers/").append(q.code);
    if (!scope_.shown(index) && has_answer(v)) {
      add_issue(out_, Severity::Error, "not-applicable", path_, q.code,
                "Question " + q.code + " is not asked given the other answers, so it must not " +
                    "be answered.");
    }
    check_value(q, *v, path_, clock_, out_);
    path_.resize(base);
  }
}

void Validator::check_required(int group) {
  const std::vector<int>& qs =
      group < 0 ? tax_.top_questions : tax_.groups[static_cast<std::size_t>(group)].questions;
  const std::size_t base = path_.size();
  for (int q : qs) {
    if (has_answer(scope_.raw(q)) || !scope_.required(q)) continue;
    const Question& question = this->question(q);
    path_.append("/answers/").append(question.code);
    add_issue(out_, Severity::Error, "required", path_, question.code,
              "Question " + question.code + " (" + question.text + ") must be answered.");
    path_.resize(base);
  }
}

void Validator::check_rules(int group, std::string_view instance_path) {
  for (const Rule& rule : tax_.rules) {
    if (rule.group != group) continue;
    if (rule.when && !evaluate(*rule.when, scope_)) continue;
    if (evaluate(rule.assert_, scope_)) continue;
    std::string path;
    std::string_view code;
    if (rule.path_question >= 0) {
      const Question& q = question(rule.path_question);
      code = q.code;
      if (q.group >= 0) path.assign(instance_path.data(), instance_path.size());
      path.append("/answers/").append(q.code);
    }
    add_issue(out_, rule.severity, "rule:" + rule.id, path, code, rule.message);
  }
}

void Validator::check_group(int g, const core::JsonMember& member, bool shown) {
  const Group& group = tax_.groups[static_cast<std::size_t>(g)];
  const core::JsonValue& array = member.value;
  if (!shown && array.size() > 0) {
    add_issue(out_, Severity::Error, "not-applicable", path_, {},
              "Group \"" + group.id + "\" is not asked given the other answers, so it must have " +
                  "no instances.");
  }
  const auto count = static_cast<int64_t>(array.size());
  if (shown && (count < group.min || count > group.max)) {
    add_issue(out_, Severity::Error, "invalid-cardinality", path_, {},
              "Group \"" + group.id + "\" must have from " + std::to_string(group.min) + " to " +
                  std::to_string(group.max) + " instances; it has " + std::to_string(count) + ".");
  }
  const std::size_t base = path_.size();
  for (std::size_t i = 0; i < array.size(); ++i) {
    path_.append("/").append(std::to_string(i));
    const core::JsonValue* answers = nullptr;
    if (read_instance(array[i], path_, out_, &answers)) {
      read_answers(g, answers);
      scope_.compute_shown(g, shown);
      check_answers(g);
      check_required(g);
      if (shown) check_rules(g, path_);
    }
    path_.resize(base);
  }
  scope_.clear(g);
}

void Validator::run(const EventParts& parts) {
  // Top level: every group slot is empty, as a top-level condition expects.
  read_answers(-1, parts.answers);
  scope_.compute_shown(-1, true);
  check_answers(-1);
  if (!parts.answers_malformed) {
    check_required(-1);
    check_rules(-1, {});
  }

  std::vector<uint8_t> group_shown(tax_.groups.size()), seen(tax_.groups.size());
  for (std::size_t g = 0; g < tax_.groups.size(); ++g) {
    const Group& group = tax_.groups[g];
    group_shown[g] = !group.shown || evaluate(*group.shown, scope_);
  }
  if (parts.groups != nullptr) {
    const core::JsonValue& groups = *parts.groups;
    for (const core::JsonMember* m = groups.members_begin(); m != groups.members_end(); ++m) {
      core::json_pointer_append(path_.assign("/groups"), m->name);
      auto it = tax_.group_by_id.find(m->name);
      const int g = it == tax_.group_by_id.end() ? -1 : it->second;
      if (g < 0) {
        add_issue(
            out_, Severity::Error, "unknown-group", path_, {},
            "Taxonomy version " + tax_.version + " has no group \"" + std::string(m->name) + "\".");
      } else {
        seen[static_cast<std::size_t>(g)] = 1;
      }
      if (!m->value.is_array()) {
        add_issue(out_, Severity::Error, "malformed", path_, {},
                  "A group must be an array of instances.");
      } else if (g < 0) {
        check_group_shapes(m->value, path_, out_);
      } else {
        check_group(g, *m, group_shown[static_cast<std::size_t>(g)] != 0);
      }
    }
    path_.clear();
  }
  if (parts.groups_malformed) return;
  for (std::size_t g = 0; g < tax_.groups.size(); ++g) {
    const Group& group = tax_.groups[g];
    if (seen[g] || !group_shown[g] || group.min <= 0) continue;
    std::string path = "/groups";
    core::json_pointer_append(path, group.id);
    add_issue(out_, Severity::Error, "invalid-cardinality", path, {},
              "Group \"" + group.id + "\" must have at least " + std::to_string(group.min) +
                  " instance" + (group.min == 1 ? "" : "s") + "; it has none.");
  }
}

}  // namespace

void validate_content(const Taxonomy* tax, const EventParts& parts, const core::Clock& clock,
                      std::vector<Issue>& out) {
  if (tax != nullptr) {
    Validator(*tax, clock, out).run(parts);
    return;
  }
  if (parts.groups == nullptr) return;
  std::string path;
  for (const core::JsonMember* m = parts.groups->members_begin(); m != parts.groups->members_end();
       ++m) {
    core::json_pointer_append(path.assign("/groups"), m->name);
    if (!m->value.is_array()) {
      add_issue(out, Severity::Error, "malformed", path, {},
                "A group must be an array of instances.");
    } else {
      check_group_shapes(m->value, path, out);
    }
  }
}

}  // namespace lfpse::taxonomy
