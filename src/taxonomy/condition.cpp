#include "taxonomy/condition.hpp"

namespace lfpse::taxonomy {

AnswerScope::AnswerScope(const Taxonomy& tax)
    : tax_(&tax), raw_(tax.questions.size(), nullptr), shown_(tax.questions.size(), 0) {}

void AnswerScope::clear(int group) {
  const std::vector<int>& qs =
      group < 0 ? tax_->top_questions : tax_->groups[static_cast<std::size_t>(group)].questions;
  for (int q : qs) {
    raw_[q] = nullptr;
    shown_[q] = 0;
  }
}

void AnswerScope::fill(int group, const core::JsonValue* answers) {
  clear(group);
  if (answers == nullptr || !answers->is_object()) return;
  for (const core::JsonMember* m = answers->members_begin(); m != answers->members_end(); ++m) {
    auto it = tax_->question_by_code.find(m->name);
    if (it == tax_->question_by_code.end()) continue;
    if (tax_->questions[static_cast<std::size_t>(it->second)].group != group) continue;
    raw_[it->second] = &m->value;
  }
}

void AnswerScope::compute_shown(int group, bool group_shown) {
  for (int q : tax_->shown_order) {
    const Question& question = tax_->questions[static_cast<std::size_t>(q)];
    if (question.group != group) continue;
    bool shown = group < 0 || group_shown;
    if (shown && question.shown) shown = evaluate(*question.shown, *this);
    shown_[q] = shown ? 1 : 0;
  }
}

bool AnswerScope::required(int q) const {
  if (!shown(q)) return false;
  const Question& question = tax_->questions[static_cast<std::size_t>(q)];
  if (question.required) return true;
  return question.required_when && evaluate(*question.required_when, *this);
}

namespace {

bool code_in(std::string_view code, const std::vector<std::string>& codes) {
  for (const std::string& c : codes) {
    if (same_code(c, code)) return true;
  }
  return false;
}

bool holds_in(const Condition& c, const core::JsonValue* v) {
  if (v == nullptr) return false;
  if (v->is_string()) return code_in(v->text(), c.codes);
  if (v->is_array()) {
    for (const core::JsonValue& item : *v) {
      if (item.is_string() && code_in(item.text(), c.codes)) return true;
    }
  }
  return false;
}

bool holds_eq(const Condition& c, const core::JsonValue* v) {
  if (v == nullptr) return false;
  if (c.eq_is_bool) return v->is_bool() && v->as_bool() == c.eq_bool;
  return v->is_number() && v->to_double() == c.number;
}

// not_before / not_after hold unless both sides are dates (TAXONOMY.md 6).
bool holds_order(const Condition& c, const AnswerScope& scope, bool not_before) {
  const Taxonomy& tax = scope.taxonomy();
  core::UnixMillis a = 0, b = 0;
  if (!answer_instant(tax.questions[static_cast<std::size_t>(c.question)],
                      scope.visible(c.question), &a) ||
      !answer_instant(tax.questions[static_cast<std::size_t>(c.other_question)],
                      scope.visible(c.other_question), &b)) {
    return true;
  }
  return not_before ? a >= b : a <= b;
}

}  // namespace

bool answer_instant(const Question& q, const core::JsonValue* v, core::UnixMillis* out) {
  if (v == nullptr || !v->is_string()) return false;
  constexpr core::UnixMillis kDay = 86400000;
  std::optional<core::CivilDate> d;
  switch (q.type) {
    case QuestionType::Date:
      d = core::parse_date(v->text());
      break;
    case QuestionType::YearMonth:
      d = core::parse_yearmonth(v->text());
      break;
    case QuestionType::DateTime: {
      std::optional<core::UnixMillis> t = core::parse_datetime(v->text());
      if (!t) return false;
      *out = *t;
      return true;
    }
    default:
      return false;
  }
  if (!d) return false;
  *out = core::days_from_civil(d->year, d->month, d->day) * kDay;
  return true;
}

bool evaluate(const Condition& c, const AnswerScope& scope) {
  switch (c.kind) {
    case Condition::Kind::In:
      return holds_in(c, scope.visible(c.question));
    case Condition::Kind::Answered:
      return has_answer(scope.visible(c.question)) == c.answered;
    case Condition::Kind::Eq:
      return holds_eq(c, scope.visible(c.question));
    case Condition::Kind::Gte: {
      const core::JsonValue* v = scope.visible(c.question);
      return v != nullptr && v->is_number() && v->to_double() >= c.number;
    }
    case Condition::Kind::Lte: {
      const core::JsonValue* v = scope.visible(c.question);
      return v != nullptr && v->is_number() && v->to_double() <= c.number;
    }
    case Condition::Kind::All:
      for (const Condition& child : c.children) {
        if (!evaluate(child, scope)) return false;
      }
      return true;
    case Condition::Kind::Any:
      for (const Condition& child : c.children) {
        if (evaluate(child, scope)) return true;
      }
      return false;
    case Condition::Kind::Not:
      return c.children.empty() || !evaluate(c.children.front(), scope);
    case Condition::Kind::NotBefore:
      return holds_order(c, scope, true);
    case Condition::Kind::NotAfter:
      return holds_order(c, scope, false);
  }
  return false;
}

}  // namespace lfpse::taxonomy
