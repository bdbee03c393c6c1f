// Runs every case of conformance/vectors (format: conformance/vectors/README.md) against the
// C++ core. Each failing case is reported by its id and requirement.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/migrate.hpp"
#include "taxonomy/shown.hpp"

namespace fs = std::filesystem;
using namespace lfpse;
using core::JsonValue;

namespace {

const fs::path kVectors = fs::path(LFPSE_SOURCE_DIR) / "conformance" / "vectors";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

core::JsonDocument parse(const std::string& text) {
  core::JsonDocument doc;
  core::JsonError error;
  core::JsonLimits limits;
  limits.max_bytes = std::size_t{64} << 20;
  if (!doc.parse(text, &error, limits)) throw std::runtime_error("bad JSON: " + error.message);
  return doc;
}

// JSON equality by value: member order ignored, numbers compared as numbers.
bool json_equal(const JsonValue& a, const JsonValue& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case core::JsonKind::Null:
      return true;
    case core::JsonKind::Bool:
      return a.as_bool() == b.as_bool();
    case core::JsonKind::Number:
      return a.text() == b.text() || a.to_double() == b.to_double();
    case core::JsonKind::String:
      return a.text() == b.text();
    case core::JsonKind::Array:
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!json_equal(a[i], b[i])) return false;
      }
      return true;
    case core::JsonKind::Object:
      if (a.size() != b.size()) return false;
      for (const core::JsonMember* m = a.members_begin(); m != a.members_end(); ++m) {
        const JsonValue* other = b.find(m->name);
        if (!other || !json_equal(m->value, *other)) return false;
      }
      return true;
  }
  return false;
}

bool json_text_equal(const std::string& actual, const JsonValue& expected) {
  core::JsonDocument doc = parse(actual);
  return json_equal(doc.root(), expected);
}

std::string base64_decode(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    std::size_t v = kAlphabet.find(c);
    if (v == std::string::npos) continue;  // padding and line breaks
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string input_text(const JsonValue& c) {
  if (const JsonValue* t = c.find("input_text")) return std::string(t->text());
  if (const JsonValue* b = c.find("input_base64")) return base64_decode(b->text());
  std::string out;
  core::json_append_value(out, *c.find("input"));
  return out;
}

std::string issues_text(const std::vector<taxonomy::Issue>& issues) {
  std::string out;
  taxonomy::append_issues_json(out, issues);
  return out;
}

// Compares issues in order: severity, code, path, question; message where expected has one.
std::string compare_issues(const std::vector<taxonomy::Issue>& actual, const JsonValue& expected) {
  std::string why;
  if (actual.size() != expected.size()) why = "issue count differs";
  for (std::size_t i = 0; why.empty() && i < actual.size(); ++i) {
    const JsonValue& e = expected[i];
    const taxonomy::Issue& a = actual[i];
    std::string severity = a.severity == taxonomy::Severity::Error ? "error" : "warning";
    const JsonValue* q = e.find("question");
    bool question_ok = q->is_null() ? a.question.empty() : a.question == q->text();
    const JsonValue* message = e.find("message");
    if (severity != e.find("severity")->text() || a.code != e.find("code")->text() ||
        a.path != e.find("path")->text() || !question_ok ||
        (message && a.message != message->text())) {
      why = "issue " + std::to_string(i) + " differs";
    }
  }
  if (why.empty()) return "";
  std::string exp;
  core::json_append_value(exp, expected);
  return why + "\n  actual:   " + issues_text(actual) + "\n  expected: " + exp;
}

struct Runner {
  taxonomy::TaxonomySet set;

  Runner() {
    for (const auto& e : fs::directory_iterator(kVectors / "taxonomies")) {
      if (e.path().extension() == ".json") set.load_file(e.path().string());
    }
  }

  // Returns "" when the case passes, else what differs.
  std::string run(const JsonValue& c) {
    std::string kind(c.find("kind")->text());
    const JsonValue& expected = *c.find("expected");
    core::Clock clock = core::Clock::fixed(*core::parse_datetime(c.find("now")->text()));
    std::string text = input_text(c);
    if (kind == "validate") {
      taxonomy::Validation v = taxonomy::validate_text(set, text, clock);
      if (v.valid != expected.find("valid")->as_bool())
        return "valid differs: " + issues_text(v.issues);
      return compare_issues(v.issues, *expected.find("issues"));
    }
    if (kind == "shown") {
      taxonomy::ParsedEvent p = taxonomy::parse_event_text(text);
      if (!p.document_ok) return "input is not an event document";
      auto tax = set.find(p.doc.root().find("taxonomy_version")->text());
      if (!tax) return "version not loaded";
      std::string out = taxonomy::shown_json(*tax, taxonomy::compute_shown(*tax, p.doc.root()));
      return json_text_equal(out, expected) ? "" : "shown differs: " + out;
    }
    if (kind == "to-fhir") {
      taxonomy::ParsedEvent p = taxonomy::parse_event_text(text);
      taxonomy::Validation v = taxonomy::validate(set, p.doc.root(), clock);
      if (!v.valid) return "input does not validate: " + issues_text(v.issues);
      std::string out =
          taxonomy::to_fhir(*set.find(p.doc.root().find("taxonomy_version")->text()), p.doc.root());
      if (const JsonValue* bytes = expected.find("expected_text")) {
        if (out != bytes->text())
          return "bytes differ:\n  actual:   " + out +
                 "\n  expected: " + std::string(bytes->text());
      }
      return json_text_equal(out, *expected.find("fhir")) ? "" : "resource differs: " + out;
    }
    if (kind == "from-fhir") {
      taxonomy::FromFhirResult r = taxonomy::from_fhir(set, text);
      if (!json_text_equal(r.event_json, *expected.find("event")))
        return "event differs: " + r.event_json;
      std::string national = taxonomy::national_meta_json(r.meta);
      return json_text_equal(national, *expected.find("national"))
                 ? ""
                 : "national differs: " + national;
    }
    if (kind == "migrate") {
      std::string to(c.find("to")->text());
      const JsonValue* refused = expected.find("refused");
      if (refused && refused->as_bool()) {
        try {
          taxonomy::migrate(set, text, to, clock);
        } catch (const core::Error&) {
          return "";
        }
        return "migration was not refused";
      }
      taxonomy::MigrationResult r = taxonomy::migrate(set, text, to, clock);
      const JsonValue& event = *expected.find("event");
      if (event.is_null() != !r.migrated) return "migrated differs";
      if (r.migrated && !json_text_equal(r.event_json, event))
        return "event differs: " + r.event_json;
      return compare_issues(r.issues, *expected.find("issues"));
    }
    if (kind == "taxonomy-load") {
      bool ok = expected.find("ok")->as_bool();
      std::string error;
      try {
        taxonomy::TaxonomySet scratch(false);
        scratch.load_json(text);
      } catch (const core::Error& e) {
        error = e.what();
      }
      if (ok) return error.empty() ? "" : "refused: " + error;
      if (error.empty()) return "accepted, expected a refusal";
      const JsonValue* any = expected.find("error_contains_any");
      if (!any || any->size() == 0) return "";
      for (const JsonValue& s : *any) {
        if (error.find(s.text()) != std::string::npos) return "";
      }
      return "the error names none of the expected members: " + error;
    }
    return "unknown kind " + kind;
  }
};

}  // namespace

TEST_CASE("conformance: every vector of conformance/vectors passes") {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kVectors)) {
    if (e.path().extension() == ".json" && e.path().parent_path().filename() != "taxonomies") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 200);
  Runner runner;
  std::map<std::string, int> per_kind;
  int failures = 0;
  for (const fs::path& file : files) {
    core::JsonDocument doc = parse(read_file(file));
    const JsonValue& c = doc.root();
    std::string why;
    try {
      why = runner.run(c);
    } catch (const std::exception& e) {
      why = std::string("threw: ") + e.what();
    }
    per_kind[std::string(c.find("kind")->text())]++;
    if (!why.empty()) {
      ++failures;
      std::string report = std::string(c.find("id")->text()) + " (" +
                           std::string(c.find("requirement")->text()) + "): " + why;
      const std::string where = file.string();
      ADD_FAIL_CHECK_AT(where.c_str(), 1, report);
    }
  }
  std::string summary;
  for (const auto& [kind, n] : per_kind) summary += kind + "=" + std::to_string(n) + " ";
  std::string totals = std::to_string(files.size()) + " vectors, " + std::to_string(failures) +
                       " failing; by kind: " + summary;
  MESSAGE(totals);
  CHECK(failures == 0);
}
