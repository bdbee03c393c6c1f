// Migrating an event to a later taxonomy version (TAXONOMY.md 4 and 6, Migration).
//
// The event is read once into a small model whose answers remember where they stood in the
// original document, so that a jump over several versions still reports every dropped answer
// at its old path. The result is written, made canonical against the target, and validated.
//
// Decisions: a multichoice that loses items gets one warning per item (at the item's old
// path) and none for the answer itself when no item is left; an answer that was already
// invalid in the old version (unknown question, code the old version does not have, wrong
// JSON type) is kept as it is for the validation to report.
#include "taxonomy/migrate.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "taxonomy/canonical.hpp"
#include "taxonomy/event.hpp"

namespace lfpse::taxonomy {
namespace {

using core::JsonValue;

struct Item {
  std::size_t old_index;
  const JsonValue* value;
};

struct Answer {
  std::string_view key;
  const JsonValue* value = nullptr;
  bool filtered = false;    // a multichoice that lost items: write `items` instead of `value`
  std::vector<Item> items;  // when filtered
};

struct Instance {
  std::string path;  // "/groups/<id>/<i>" in the original document
  std::vector<Answer> answers;
};

struct GroupModel {
  std::string_view id;
  std::vector<Instance> instances;
};

struct Model {
  std::vector<Answer> answers;
  std::vector<GroupModel> groups;
};

std::vector<Answer> read_answers(const JsonValue* obj) {
  std::vector<Answer> out;
  if (obj == nullptr) return out;
  for (auto m = obj->members_begin(); m != obj->members_end(); ++m) {
    Answer a;
    a.key = m->name;
    a.value = &m->value;
    out.push_back(std::move(a));
  }
  return out;
}

// The shape is known good here: events with a `malformed` issue are never migrated.
Model read_model(const JsonValue& event) {
  Model model;
  model.answers = read_answers(event.find("answers"));
  if (const JsonValue* groups = event.find("groups")) {
    for (auto g = groups->members_begin(); g != groups->members_end(); ++g) {
      GroupModel gm{g->name, {}};
      for (std::size_t i = 0; i < g->value.size(); ++i) {
        Instance inst;
        inst.path = "/groups";
        core::json_pointer_append(inst.path, g->name);
        core::json_pointer_append(inst.path, std::to_string(i));
        inst.answers = read_answers(g->value[i].find("answers"));
        gm.instances.push_back(std::move(inst));
      }
      model.groups.push_back(std::move(gm));
    }
  }
  return model;
}

class Stepper {
 public:
  Stepper(const Taxonomy& from, const Taxonomy& to, std::vector<Issue>& issues)
      : from_(from), to_(to), issues_(issues) {}

  void step(Model& model) {
    step_answers(model.answers, -1, -1, "");
    for (std::size_t g = 0; g < model.groups.size();) {
      GroupModel& gm = model.groups[g];
      const int old_g = from_.group_index(gm.id);
      const int new_g = to_.group_index(gm.id);
      if (old_g >= 0 && new_g < 0) {
        for (Instance& inst : gm.instances) {
          for (Answer& a : inst.answers) {
            drop(inst.path, a.key,
                 "group " + std::string(gm.id) + " is not in version " + to_.version);
          }
        }
        model.groups.erase(model.groups.begin() + static_cast<std::ptrdiff_t>(g));
        continue;
      }
      if (old_g >= 0) {
        for (Instance& inst : gm.instances) step_answers(inst.answers, old_g, new_g, inst.path);
      }
      ++g;
    }
  }

 private:
  void warn(std::string path, std::string_view question, std::string message) {
    Issue issue;
    issue.severity = Severity::Warning;
    issue.code = "migrated:dropped";
    issue.path = std::move(path);
    issue.question = std::string(question);
    issue.message = "Dropped in the migration to version " + to_.version + ": " + message + ".";
    issues_.push_back(std::move(issue));
  }
  void drop(const std::string& prefix, std::string_view key, const std::string& why) {
    std::string path = prefix + "/answers";
    core::json_pointer_append(path, key);
    warn(std::move(path), key, why);
  }

  // Answers of the top level (old_g = new_g = -1) or of one instance of a group kept.
  void step_answers(std::vector<Answer>& answers, int old_g, int new_g, const std::string& prefix) {
    for (std::size_t i = 0; i < answers.size();) {
      Answer& a = answers[i];
      const int oq = from_.question_index(a.key);
      if (oq < 0 || from_.questions[oq].group != old_g) {  // already invalid: kept
        ++i;
        continue;
      }
      const int nq = to_.question_index(a.key);
      bool keep = true;
      if (nq < 0 || to_.questions[nq].group != new_g) {
        drop(prefix, a.key,
             nq < 0
                 ? "question " + std::string(a.key) + " is not in version " + to_.version
                 : "question " + std::string(a.key) + " moved between the top level and a group");
        keep = false;
      } else {
        keep = filter_codes(a, from_.questions[oq], to_.questions[nq], prefix);
      }
      if (keep) {
        ++i;
      } else {
        answers.erase(answers.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }

  static bool retired(const Question& old_q, const Question& new_q, const JsonValue& code) {
    return code.is_string() && !code.text().empty() && old_q.option_index(code.text()) >= 0 &&
           !new_q.has_active_option(code.text());
  }

  // Drops retired codes; false when the whole answer goes.
  bool filter_codes(Answer& a, const Question& old_q, const Question& new_q,
                    const std::string& prefix) {
    const auto choice_like = [](QuestionType t) {
      return t == QuestionType::Choice || t == QuestionType::Multichoice;
    };
    if (old_q.type != new_q.type || !choice_like(old_q.type)) return true;
    if (old_q.type == QuestionType::Choice) {
      if (!retired(old_q, new_q, *a.value)) return true;
      drop(prefix, a.key,
           "option \"" + std::string(a.value->text()) + "\" of " + std::string(a.key) +
               " is retired");
      return false;
    }
    if (!a.value->is_array()) return true;
    if (!a.filtered) {
      a.filtered = true;
      for (std::size_t i = 0; i < a.value->size(); ++i) a.items.push_back({i, &(*a.value)[i]});
    }
    const std::size_t before = a.items.size();
    for (std::size_t i = 0; i < a.items.size();) {
      if (!retired(old_q, new_q, *a.items[i].value)) {
        ++i;
        continue;
      }
      std::string path = prefix + "/answers";
      core::json_pointer_append(path, a.key);
      path += '/';
      path += std::to_string(a.items[i].old_index);
      warn(std::move(path), a.key,
           "option \"" + std::string(a.items[i].value->text()) + "\" of " + std::string(a.key) +
               " is retired");
      a.items.erase(a.items.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return !(before > 0 && a.items.empty());
  }

  const Taxonomy& from_;
  const Taxonomy& to_;
  std::vector<Issue>& issues_;
};

void write_answers(std::string& out, const std::vector<Answer>& answers) {
  out += '{';
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const Answer& a = answers[i];
    if (i > 0) out += ',';
    core::json_append_string(out, a.key);
    out += ':';
    if (!a.filtered) {
      core::json_append_value(out, *a.value);
      continue;
    }
    out += '[';
    for (std::size_t j = 0; j < a.items.size(); ++j) {
      if (j > 0) out += ',';
      core::json_append_value(out, *a.items[j].value);
    }
    out += ']';
  }
  out += '}';
}

// The model as an event document of `version`, in any member order (made canonical later).
std::string write_model(const JsonValue& event, const Model& model, std::string_view version) {
  std::string out = "{\"taxonomy_version\":";
  core::json_append_string(out, version);
  for (const char* name : {"local_id", "organisation"}) {
    if (const JsonValue* v = event.find(name)) {
      out += ",\"";
      out += name;
      out += "\":";
      core::json_append_value(out, *v);
    }
  }
  out += ",\"answers\":";
  write_answers(out, model.answers);
  out += ",\"groups\":{";
  for (std::size_t g = 0; g < model.groups.size(); ++g) {
    if (g > 0) out += ',';
    core::json_append_string(out, model.groups[g].id);
    out += ":[";
    for (std::size_t i = 0; i < model.groups[g].instances.size(); ++i) {
      out += i > 0 ? ",{\"answers\":" : "{\"answers\":";
      write_answers(out, model.groups[g].instances[i].answers);
      out += '}';
    }
    out += ']';
  }
  out += "}}";
  return out;
}

core::JsonDocument parse_or_throw(std::string_view text) {
  core::JsonDocument doc;
  core::JsonError error;
  core::JsonLimits limits;
  limits.max_bytes = text.size() + 1;  // written here: its size is not the caller's input
  if (!doc.parse(text, &error, limits)) {
    throw core::Error(core::ErrorCode::Internal, "migrate: wrote invalid JSON: " + error.message);
  }
  return doc;
}

}  // namespace

MigrationResult migrate(const TaxonomySet& set, std::string_view event_text,
                        std::string_view target_version, const core::Clock& clock) {
  const TaxonomyPtr target = set.find(target_version);
  if (target == nullptr) {
    throw core::Error(core::ErrorCode::NotFound,
                      "taxonomy version \"" + std::string(target_version) + "\" is not loaded");
  }
  MigrationResult result;
  ParsedEvent parsed = parse_event_text(event_text);
  if (!parsed.document_ok) {
    result.issues = std::move(parsed.issues);
    return result;
  }
  // An event that cannot be read is not migrated: its own issues come back.
  Validation source = validate(set, parsed.doc.root(), clock);
  for (const Issue& issue : source.issues) {
    if (issue.code == "malformed" || issue.code == "unknown-version") {
      result.issues = std::move(source.issues);
      return result;
    }
  }
  const JsonValue& event = parsed.doc.root();
  const std::string_view from_version = event.find("taxonomy_version")->text();
  if (version_less(target_version, from_version)) {
    throw core::Error(core::ErrorCode::Invalid, "cannot downgrade an event from version " +
                                                    std::string(from_version) + " to " +
                                                    std::string(target_version));
  }

  Model model = read_model(event);
  TaxonomyPtr current = set.find(from_version);
  for (const TaxonomyPtr& next : set.all()) {
    if (!version_less(from_version, next->version) || version_less(target_version, next->version)) {
      continue;
    }
    Stepper(*current, *next, result.issues).step(model);
    current = next;
  }

  const core::JsonDocument written = parse_or_throw(write_model(event, model, target->version));
  result.event_json = canonical_event_json(*target, written.root());
  const core::JsonDocument migrated = parse_or_throw(result.event_json);
  Validation validation = validate(set, migrated.root(), clock);
  for (Issue& issue : validation.issues) result.issues.push_back(std::move(issue));
  sort_issues(result.issues);
  result.migrated = true;
  return result;
}

}  // namespace lfpse::taxonomy
