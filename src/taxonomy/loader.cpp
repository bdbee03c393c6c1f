// Reading and checking a taxonomy document (TAXONOMY.md 1, 2 and the loading rules of 6).
// Every refusal names the offending member as a JSON Pointer into the document.
#include <regex>
#include <unordered_set>

#include "core/error.hpp"
#include "taxonomy/fhir_names.hpp"
#include "taxonomy/loader_context.hpp"

namespace lfpse::taxonomy {

using core::JsonValue;

namespace {

const std::vector<std::pair<std::string_view, QuestionType>>& type_names() {
  static const std::vector<std::pair<std::string_view, QuestionType>> kNames = {
      {"choice", QuestionType::Choice},
      {"multichoice", QuestionType::Multichoice},
      {"text", QuestionType::Text},
      {"date", QuestionType::Date},
      {"yearmonth", QuestionType::YearMonth},
      {"datetime", QuestionType::DateTime},
      {"time", QuestionType::Time},
      {"integer", QuestionType::Integer},
      {"decimal", QuestionType::Decimal},
      {"boolean", QuestionType::Boolean},
      {"ods", QuestionType::Ods},
      {"nhs_number", QuestionType::NhsNumber},
  };
  return kNames;
}

bool is_stringy(QuestionType t) {
  return t != QuestionType::Integer && t != QuestionType::Decimal && t != QuestionType::Boolean &&
         t != QuestionType::Multichoice;
}
bool is_numeric(QuestionType t) { return t == QuestionType::Integer || t == QuestionType::Decimal; }
bool is_datelike(QuestionType t) {
  return t == QuestionType::Date || t == QuestionType::YearMonth || t == QuestionType::DateTime;
}

void read_options(LoaderContext& cx, const JsonValue& v, const std::string& path, Question& q) {
  const JsonValue& list = cx.array(v, path);
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string p = path + "/" + std::to_string(i);
    const JsonValue& o = cx.object(list[i], p);
    Option opt;
    opt.code = cx.required_string(o, "code", p);
    opt.text = cx.optional_string(o, "text", p);
    if (const JsonValue* r = o.find("retired")) opt.retired = cx.boolean(*r, p + "/retired");
    if (!seen.insert(o.find("code")->text()).second)
      cx.fail(p + "/code", "option code \"" + opt.code + "\" repeated");
    q.options.push_back(std::move(opt));
  }
}

Constraint read_constraint(LoaderContext& cx, const JsonValue& v, const std::string& path,
                           const Question& q) {
  const JsonValue& o = cx.object(v, path);
  if (o.size() != 1) cx.fail(path, "a constraint is an object with exactly one member");
  const core::JsonMember& m = *o.members_begin();
  Constraint c;
  c.name = std::string(m.name);
  std::string p = path + "/";
  core::json_pointer_append(p, m.name);
  p.erase(path.size(), 1);
  auto needs = [&](bool ok, const char* what) {
    if (!ok) cx.fail(p, "constraint \"" + c.name + "\" applies only to " + what + " questions");
  };
  if (m.name == "max_length" || m.name == "min_length") {
    c.kind = m.name == "max_length" ? Constraint::Kind::MaxLength : Constraint::Kind::MinLength;
    c.number = static_cast<double>(cx.non_negative_integer(m.value, p));
    needs(is_stringy(q.type), "string");
  } else if (m.name == "pattern") {
    c.kind = Constraint::Kind::Pattern;
    c.pattern = cx.string(m.value, p);
    try {
      std::regex(c.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      cx.fail(p, std::string("pattern is not a valid ECMAScript regular expression: ") + e.what());
    }
    needs(is_stringy(q.type), "string");
  } else if (m.name == "min" || m.name == "max") {
    c.kind = m.name == "min" ? Constraint::Kind::Min : Constraint::Kind::Max;
    c.number = cx.number(m.value, p);
    needs(is_numeric(q.type), "integer or decimal");
  } else if (m.name == "not_future") {
    c.kind = Constraint::Kind::NotFuture;
    if (!cx.boolean(m.value, p)) cx.fail(p, "not_future takes only true");
    needs(is_datelike(q.type), "date, yearmonth or datetime");
  } else if (m.name == "min_items" || m.name == "max_items") {
    c.kind = m.name == "min_items" ? Constraint::Kind::MinItems : Constraint::Kind::MaxItems;
    c.number = static_cast<double>(cx.non_negative_integer(m.value, p));
    needs(q.type == QuestionType::Multichoice, "multichoice");
  } else if (m.name == "exclusive") {
    c.kind = Constraint::Kind::Exclusive;
    needs(q.type == QuestionType::Multichoice, "multichoice");
    const JsonValue& codes = cx.array(m.value, p);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      std::string ip = p + "/" + std::to_string(i);
      c.codes.push_back(cx.string(codes[i], ip));
      if (q.option_index(c.codes.back()) < 0) {
        cx.fail(ip, "code \"" + c.codes.back() + "\" is not an option of " + q.code);
      }
    }
  } else if (m.name == "steps") {
    c.kind = Constraint::Kind::Steps;
    needs(q.type == QuestionType::Integer, "integer");
    const JsonValue& steps = cx.array(m.value, p);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      std::string sp = p + "/" + std::to_string(i);
      const JsonValue& s = cx.object(steps[i], sp);
      Constraint::Step step;
      step.min = cx.integer(cx.member(s, "min", sp), sp + "/min");
      step.max = cx.integer(cx.member(s, "max", sp), sp + "/max");
      step.step = cx.integer(cx.member(s, "step", sp), sp + "/step");
      if (step.step <= 0) cx.fail(sp + "/step", "step must be a positive integer");
      if (step.min > step.max) cx.fail(sp, "min is greater than max");
      c.steps.push_back(step);
    }
  } else {
    cx.fail(p, "unknown constraint \"" + c.name + "\"");
  }
  return c;
}

void read_fhir(LoaderContext& cx, const JsonValue& v, const std::string& path, Question& q) {
  const JsonValue& o = cx.object(v, path);
  if (const JsonValue* element = o.find("element")) {
    std::string name = cx.string(*element, path + "/element");
    if (name == "event") {
      q.fhir.kind = FhirMapping::Kind::EventElement;
      if (q.type != QuestionType::Choice)
        cx.fail(path + "/element", "the event element takes a choice question");
      if (const JsonValue* pot = o.find("potential")) {
        const JsonValue& codes = cx.array(*pot, path + "/potential");
        for (std::size_t i = 0; i < codes.size(); ++i) {
          std::string ip = path + "/potential/" + std::to_string(i);
          q.fhir.potential.push_back(cx.string(codes[i], ip));
          if (q.option_index(q.fhir.potential.back()) < 0) {
            cx.fail(ip, "code \"" + q.fhir.potential.back() + "\" is not an option of " + q.code);
          }
        }
      }
    } else if (name == "date") {
      q.fhir.kind = FhirMapping::Kind::DateElement;
      if (!is_datelike(q.type))
        cx.fail(path + "/element", "the date element takes a date-like question");
    } else {
      cx.fail(path + "/element", "unknown FHIR element \"" + name + "\"");
    }
    return;
  }
  q.fhir.kind = FhirMapping::Kind::Extension;
  std::string section = cx.required_string(o, "section", path);
  q.fhir.section = cx.tax.section_index(section);
  if (q.fhir.section < 0) cx.fail(path + "/section", "unknown section \"" + section + "\"");
  q.fhir.property = cx.required_string(o, "property", path);
  q.fhir.sub_open = fhir_sub_open(q.fhir.property, fhir_value_key(q.type));
}

void read_question(LoaderContext& cx, const JsonValue& v, const std::string& path) {
  const JsonValue& o = cx.object(v, path);
  Question q;
  q.code = cx.required_string(o, "code", path);
  if (q.code.empty()) cx.fail(path + "/code", "a question code is not empty");
  q.text = cx.optional_string(o, "text", path);
  q.help = cx.optional_string(o, "help", path);
  std::string type = cx.required_string(o, "type", path);
  bool known = false;
  for (const auto& [name, t] : type_names()) {
    if (name == type) {
      q.type = t;
      known = true;
    }
  }
  if (!known) cx.fail(path + "/type", "unknown question type \"" + type + "\"");
  bool choice = q.type == QuestionType::Choice || q.type == QuestionType::Multichoice;
  if (const JsonValue* opts = o.find("options")) {
    if (!choice) cx.fail(path + "/options", "options belong to choice and multichoice questions");
    read_options(cx, *opts, path + "/options", q);
  } else if (choice) {
    cx.fail(path, "a " + type + " question needs options");
  }
  if (const JsonValue* g = o.find("group")) {
    std::string id = cx.string(*g, path + "/group");
    q.group = cx.tax.group_index(id);
    if (q.group < 0) cx.fail(path + "/group", "unknown group \"" + id + "\"");
  }
  if (const JsonValue* c = o.find("constraints")) {
    const JsonValue& list = cx.array(*c, path + "/constraints");
    for (std::size_t i = 0; i < list.size(); ++i) {
      q.constraints.push_back(
          read_constraint(cx, list[i], path + "/constraints/" + std::to_string(i), q));
    }
  }
  read_fhir(cx, cx.member(o, "fhir", path), path + "/fhir", q);
  if (const JsonValue* p = o.find("pii_scan")) q.pii_scan = cx.boolean(*p, path + "/pii_scan");
  int index = static_cast<int>(cx.tax.questions.size());
  if (!cx.tax.question_by_code.emplace(o.find("code")->text(), index).second) {
    cx.fail(path + "/code", "question code \"" + q.code + "\" repeated");
  }
  cx.tax.questions.push_back(std::move(q));
  cx.question_nodes.push_back(&o);
  cx.question_paths.push_back(path);
}

}  // namespace

int Question::option_index(std::string_view c) const {
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (options[i].code == c) return static_cast<int>(i);
  }
  return -1;
}

bool Question::has_active_option(std::string_view c) const {
  int i = option_index(c);
  return i >= 0 && !options[static_cast<std::size_t>(i)].retired;
}

std::string_view question_type_name(QuestionType t) {
  for (const auto& [name, type] : type_names()) {
    if (type == t) return name;
  }
  return "text";
}

int Taxonomy::question_index(std::string_view code) const {
  auto it = question_by_code.find(code);
  return it == question_by_code.end() ? -1 : it->second;
}

int Taxonomy::group_index(std::string_view id) const {
  auto it = group_by_id.find(id);
  return it == group_by_id.end() ? -1 : it->second;
}

int Taxonomy::section_index(std::string_view id) const {
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (sections[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

TaxonomyPtr load_taxonomy(std::string_view json_text) {
  auto tax = std::make_shared<Taxonomy>();
  core::JsonDocument doc;
  core::JsonError error;
  core::JsonLimits limits;
  limits.max_bytes = std::size_t{64} << 20;
  if (!doc.parse(json_text, &error, limits)) {
    throw core::Error(core::ErrorCode::Invalid, "taxonomy: not a JSON document: " + error.text());
  }
  LoaderContext cx(*tax);
  const JsonValue& root = cx.object(doc.root(), "");
  tax->name = cx.required_string(root, "taxonomy", "");
  tax->version = cx.required_string(root, "version", "");
  if (tax->version.empty()) cx.fail("/version", "the version is not empty");
  tax->published = cx.optional_string(root, "published", "");
  const JsonValue& fhir = cx.object(cx.member(root, "fhir", ""), "/fhir");
  tax->fhir_profile = cx.required_string(fhir, "profile", "/fhir");
  tax->extension_base = cx.required_string(fhir, "extension_base", "/fhir");

  const JsonValue& sections = cx.array(cx.member(root, "sections", ""), "/sections");
  for (std::size_t i = 0; i < sections.size(); ++i) {
    std::string p = "/sections/" + std::to_string(i);
    const JsonValue& s = cx.object(sections[i], p);
    Section section{cx.required_string(s, "id", p), cx.required_string(s, "target", p)};
    if (tax->section_index(section.id) >= 0)
      cx.fail(p + "/id", "section \"" + section.id + "\" repeated");
    tax->sections.push_back(std::move(section));
  }

  const JsonValue* groups = root.find("groups");
  if (groups) cx.array(*groups, "/groups");
  for (std::size_t i = 0; groups && i < groups->size(); ++i) {
    std::string p = "/groups/" + std::to_string(i);
    const JsonValue& g = cx.object((*groups)[i], p);
    Group group;
    group.id = cx.required_string(g, "id", p);
    group.text = cx.optional_string(g, "text", p);
    group.min = cx.integer(cx.member(g, "min", p), p + "/min");
    group.max = cx.integer(cx.member(g, "max", p), p + "/max");
    if (group.min < 0 || group.min > group.max)
      cx.fail(p, "min and max must satisfy 0 <= min <= max");
    std::string section = cx.required_string(g, "section", p);
    group.section = tax->section_index(section);
    if (group.section < 0) cx.fail(p + "/section", "unknown section \"" + section + "\"");
    group.sequence_property = cx.required_string(g, "sequence_property", p);
    if (!tax->group_by_id.emplace(g.find("id")->text(), static_cast<int>(i)).second) {
      cx.fail(p + "/id", "group \"" + group.id + "\" repeated");
    }
    tax->groups.push_back(std::move(group));
    cx.group_nodes.push_back(&g);
  }

  const JsonValue& questions = cx.array(cx.member(root, "questions", ""), "/questions");
  for (std::size_t i = 0; i < questions.size(); ++i) {
    read_question(cx, questions[i], "/questions/" + std::to_string(i));
  }
  // Conditions may name questions listed later, so they are read once every code is known.
  cx.read_conditions();
  cx.read_rules(root.find("rules"));
  cx.order_shown();

  for (std::size_t i = 0; i < tax->questions.size(); ++i) {
    Question& q = tax->questions[i];
    if (q.group < 0) {
      tax->top_questions.push_back(static_cast<int>(i));
    } else {
      tax->groups[static_cast<std::size_t>(q.group)].questions.push_back(static_cast<int>(i));
    }
  }
  core::json_append_value(tax->source_json, doc.root());
  // question_by_code / group_by_id hold views into the parsed text: re-point them at the
  // model's own strings before the document goes away.
  tax->question_by_code.clear();
  for (std::size_t i = 0; i < tax->questions.size(); ++i) {
    tax->question_by_code.emplace(tax->questions[i].code, static_cast<int>(i));
  }
  tax->group_by_id.clear();
  for (std::size_t i = 0; i < tax->groups.size(); ++i) {
    tax->group_by_id.emplace(tax->groups[i].id, static_cast<int>(i));
  }
  return tax;
}

}  // namespace lfpse::taxonomy
