// Conditions and value types as JSON Schema draft 2020-12 fragments (see schema_parts.hpp).
//
// Every fragment carries the `type` its keywords apply to, so that ajv's strict mode has
// nothing to warn about, and the regular expressions use only syntax that ECMAScript (ajv)
// and Python's `re` (python3-jsonschema) read the same way.
#include "taxonomy/schema_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/json.hpp"

namespace lfpse::taxonomy::schema_detail {
namespace {

std::string quoted(std::string_view s) {
  std::string out;
  core::json_append_string(out, s);
  return out;
}

std::string object(const std::vector<std::string>& members) {
  std::string out = "{";
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += ',';
    out += members[i];
  }
  out += '}';
  return out;
}

std::string member(std::string_view key, std::string_view value) {
  std::string out = quoted(key);
  out += ':';
  out += value;
  return out;
}

// `{"type":"object","required":[C],"properties":{C: value}}`
std::string about(std::string_view code, const std::string& value) {
  const std::string c = quoted(code);
  return "{\"type\":\"object\",\"required\":[" + c + "],\"properties\":{" + c + ":" + value + "}}";
}

std::string list(const char* keyword, const std::vector<Condition>& children, const Taxonomy& tax) {
  std::string out = "{\"";
  out += keyword;
  out += "\":[";
  for (std::size_t i = 0; i < children.size(); ++i) {
    if (i > 0) out += ',';
    out += condition_schema(tax, children[i]);
  }
  out += "]}";
  return out;
}

// Shapes of TAXONOMY.md 6 (Formats), without anchors.
constexpr std::string_view kDate = "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])";
constexpr std::string_view kYearMonth = "[0-9]{4}-(?:0[1-9]|1[0-2])";
constexpr std::string_view kTime = "(?:[01][0-9]|2[0-3]):[0-5][0-9]";
constexpr std::string_view kDateTimeRest =
    "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?"
    "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])";
constexpr std::string_view kOds = "[A-Z0-9]{3,6}";
constexpr std::string_view kNhsNumber = "[0-9]{10}";
// A text answer is a FHIR R4 string: no character below U+0020 but tab, LF and CR. Written as
// regex escapes (\uXXXX), which ECMAScript and Python's `re` both read, not as raw controls.
constexpr std::string_view kFhirStringPattern =
    R"("pattern":"^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$")";

std::string anchored(std::string_view body, bool allow_empty) {
  std::string p = "^(?:";
  p += body;
  p += allow_empty ? ")?$" : ")$";
  return quoted(p);
}

}  // namespace

Level condition_level(const Taxonomy& tax, const Condition& c, int group) {
  Level level;
  auto note = [&](int q) {
    if (q < 0) return;
    const int g = tax.questions[q].group;
    if (g < 0) {
      level.top = true;
    } else if (g == group) {
      level.group = true;
    } else {
      level.other = true;
    }
  };
  switch (c.kind) {
    case Condition::Kind::All:
    case Condition::Kind::Any:
    case Condition::Kind::Not:
      for (const Condition& child : c.children) {
        const Level l = condition_level(tax, child, group);
        level.top |= l.top;
        level.group |= l.group;
        level.other |= l.other;
      }
      break;
    case Condition::Kind::NotBefore:
    case Condition::Kind::NotAfter:
      level.other = true;
      break;
    default:
      note(c.question);
      break;
  }
  return level;
}

bool holds_on_empty(const Condition& c) {
  switch (c.kind) {
    case Condition::Kind::Answered:
      return !c.answered;
    case Condition::Kind::All:
      for (const Condition& child : c.children) {
        if (!holds_on_empty(child)) return false;
      }
      return true;
    case Condition::Kind::Any:
      for (const Condition& child : c.children) {
        if (holds_on_empty(child)) return true;
      }
      return false;
    case Condition::Kind::Not:
      return c.children.empty() || !holds_on_empty(c.children[0]);
    default:  // in, eq, gte, lte need an answer
      return false;
  }
}

std::string answered_schema(std::string_view code) {
  return about(code,
               "{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"boolean\"},"
               "{\"type\":\"string\",\"minLength\":1},{\"type\":\"array\",\"minItems\":1}]}");
}

std::string not_answered_schema(std::string_view code) {
  return "{\"not\":" + answered_schema(code) + "}";
}

std::string condition_schema(const Taxonomy& tax, const Condition& c) {
  const std::string_view code =
      c.question >= 0 ? std::string_view(tax.questions[c.question].code) : std::string_view();
  switch (c.kind) {
    case Condition::Kind::In: {
      const std::string codes = string_array(c.codes);
      return about(code, "{\"anyOf\":[{\"type\":\"string\",\"enum\":" + codes +
                             "},{\"type\":\"array\",\"contains\":{\"enum\":" + codes + "}}]}");
    }
    case Condition::Kind::Answered:
      return c.answered ? answered_schema(code) : not_answered_schema(code);
    case Condition::Kind::Eq:
      return about(code, "{\"const\":" +
                             (c.eq_is_bool ? std::string(c.eq_bool ? "true" : "false")
                                           : number_text(c.number)) +
                             "}");
    case Condition::Kind::Gte:
      return about(code, "{\"type\":\"number\",\"minimum\":" + number_text(c.number) + "}");
    case Condition::Kind::Lte:
      return about(code, "{\"type\":\"number\",\"maximum\":" + number_text(c.number) + "}");
    case Condition::Kind::All:
      return c.children.empty() ? "true" : list("allOf", c.children, tax);
    case Condition::Kind::Any:
      return c.children.empty() ? "false" : list("anyOf", c.children, tax);
    case Condition::Kind::Not:
      return c.children.empty() ? "false"
                                : "{\"not\":" + condition_schema(tax, c.children[0]) + "}";
    default:  // assert-only forms never reach a schema (condition_level marks them)
      return "true";
  }
}

std::string wrap_answers(const std::string& cond, bool holds_when_empty) {
  // A missing `answers` passes `properties` vacuously: right exactly when the condition holds
  // on no answers; otherwise `answers` must be there for the condition to hold.
  return std::string("{\"type\":\"object\",") +
         (holds_when_empty ? "" : "\"required\":[\"answers\"],") +
         "\"properties\":{\"answers\":" + cond + "}}";
}

std::string number_text(double x) {
  char buf[40];
  if (std::floor(x) == x && std::fabs(x) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", x);
  } else {
    std::snprintf(buf, sizeof buf, "%.17g", x);
  }
  return buf;
}

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    core::json_append_string(out, items[i]);
  }
  out += ']';
  return out;
}

std::string value_schema(const Question& q, bool nonempty, std::vector<std::string>& unsaid) {
  std::vector<std::string> m;
  std::vector<std::string> all_of;
  const bool allow_empty = !nonempty;
  std::vector<std::string> codes;
  for (const Option& o : q.options) {
    if (!o.retired) codes.push_back(o.code);  // retired options are for older events only
  }
  switch (q.type) {
    case QuestionType::Choice:
      m.push_back("\"type\":\"string\"");
      if (allow_empty) codes.push_back("");
      m.push_back(codes.empty() ? "\"not\":{}" : member("enum", string_array(codes)));
      break;
    case QuestionType::Multichoice:
      m.push_back("\"type\":\"array\"");
      m.push_back(codes.empty()
                      ? "\"items\":false"
                      : "\"items\":{\"type\":\"string\",\"enum\":" + string_array(codes) + "}");
      m.push_back("\"uniqueItems\":true");
      if (nonempty) m.push_back("\"minItems\":1");
      break;
    case QuestionType::Integer:
      m.push_back("\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647");
      break;
    case QuestionType::Decimal:
      m.push_back("\"type\":\"number\"");
      break;
    case QuestionType::Boolean:
      m.push_back("\"type\":\"boolean\"");
      break;
    default: {
      m.push_back("\"type\":\"string\"");
      std::string body;
      switch (q.type) {
        case QuestionType::Date:
          body = std::string(kDate);
          break;
        case QuestionType::YearMonth:
          body = std::string(kYearMonth);
          break;
        case QuestionType::Time:
          body = std::string(kTime);
          break;
        case QuestionType::DateTime:
          body = std::string(kDate) + std::string(kDateTimeRest);
          break;
        case QuestionType::Ods:
          body = std::string(kOds);
          break;
        case QuestionType::NhsNumber:
          body = std::string(kNhsNumber);
          break;
        default:
          break;
      }
      if (!body.empty()) m.push_back(member("pattern", anchored(body, allow_empty)));
      if (q.type == QuestionType::Text) m.push_back(std::string(kFhirStringPattern));
      if (nonempty) m.push_back("\"minLength\":1");
      if (q.type == QuestionType::Date || q.type == QuestionType::DateTime) {
        unsaid.push_back(q.code + ": a real calendar day (the pattern checks the shape)");
      }
      if (q.type == QuestionType::NhsNumber)
        unsaid.push_back(q.code + ": the NHS number check digit");
      break;
    }
  }

  // With "" and [] accepted as no answer, lower bounds apply only to a real answer.
  auto lower_bound = [&](const char* type, const char* max0, const char* key, double n) {
    if (nonempty || n <= 0) {
      m.push_back(member(key, number_text(std::max(n, nonempty ? 1.0 : 0.0))));
    } else {
      const std::string t = std::string("{\"type\":\"") + type + "\",\"";
      all_of.push_back("{\"anyOf\":[" + t + max0 + "\":0}," + t + key + "\":" + number_text(n) +
                       "}]}");
    }
  };
  for (const Constraint& c : q.constraints) {
    switch (c.kind) {
      case Constraint::Kind::MaxLength:
        m.push_back(member("maxLength", number_text(c.number)));
        break;
      case Constraint::Kind::MinLength:
        lower_bound("string", "maxLength", "minLength", c.number);
        break;
      case Constraint::Kind::MaxItems:
        m.push_back(member("maxItems", number_text(c.number)));
        break;
      case Constraint::Kind::MinItems:
        lower_bound("array", "maxItems", "minItems", c.number);
        break;
      case Constraint::Kind::Min:
        m.push_back(member("minimum", number_text(c.number)));
        break;
      case Constraint::Kind::Max:
        m.push_back(member("maximum", number_text(c.number)));
        break;
      case Constraint::Kind::Pattern:
        all_of.push_back("{\"type\":\"string\",\"pattern\":" + anchored(c.pattern, allow_empty) +
                         "}");
        break;
      case Constraint::Kind::Exclusive:
        all_of.push_back(
            "{\"if\":{\"type\":\"array\",\"contains\":{\"enum\":" + string_array(c.codes) +
            "}},\"then\":{\"type\":\"array\",\"maxItems\":1}}");
        break;
      case Constraint::Kind::Steps: {
        std::string any = "{\"anyOf\":[";
        for (std::size_t i = 0; i < c.steps.size(); ++i) {
          const Constraint::Step& s = c.steps[i];
          if (i > 0) any += ',';
          any += "{\"type\":\"integer\",\"minimum\":" + std::to_string(s.min) +
                 ",\"maximum\":" + std::to_string(s.max);
          if (s.step > 0) any += ",\"multipleOf\":" + std::to_string(s.step);
          any += '}';
        }
        any += "]}";
        all_of.push_back(c.steps.empty() ? "false" : any);
        break;
      }
      case Constraint::Kind::NotFuture:
        unsaid.push_back(q.code + ": not_future (the schema has no clock)");
        break;
    }
  }
  if (q.type == QuestionType::Integer) {
    unsaid.push_back(q.code + ": an integer written with a fraction or exponent (5.0, 5e0)");
  }
  if (q.pii_scan) unsaid.push_back(q.code + ": scanning for identifiable data (warnings)");
  if (!all_of.empty()) {
    std::string a = "\"allOf\":[";
    for (std::size_t i = 0; i < all_of.size(); ++i) a += (i > 0 ? "," : "") + all_of[i];
    a += ']';
    m.push_back(a);
  }
  return object(m);
}

}  // namespace lfpse::taxonomy::schema_detail
