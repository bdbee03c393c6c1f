// Reading an event document (TAXONOMY.md 3.1 and 6): the top-level shape, then the content.
#include "taxonomy/event.hpp"

#include <utility>

#include "taxonomy/validator.hpp"
#include "taxonomy/values.hpp"

namespace lfpse::taxonomy {

namespace {

Issue malformed_document(std::string message) {
  Issue issue;
  issue.code = "malformed";
  issue.message = std::move(message);
  return issue;
}

void malformed_member(std::vector<Issue>& out, std::string_view name, std::string message) {
  std::string path;
  core::json_pointer_append(path, name);
  add_issue(out, Severity::Error, "malformed", path, {}, std::move(message));
}

Validation finish(std::vector<Issue> issues) {
  Validation v;
  sort_issues(issues);
  for (const Issue& issue : issues) {
    if (issue.severity == Severity::Error) v.valid = false;
  }
  v.issues = std::move(issues);
  return v;
}

}  // namespace

ParsedEvent parse_event_text(std::string_view text) {
  ParsedEvent parsed;
  core::JsonError error;
  core::JsonLimits limits;
  limits.max_bytes = kMaxEventBytes;
  if (!parsed.doc.parse(text, &error, limits)) {
    parsed.issues.push_back(
        malformed_document("The event is not one JSON value: " + error.text() + "."));
    return parsed;
  }
  if (!parsed.doc.root().is_object()) {
    parsed.issues.push_back(malformed_document("The event must be a JSON object."));
    return parsed;
  }
  parsed.document_ok = true;
  return parsed;
}

Validation validate(const TaxonomySet& set, const core::JsonValue& event,
                    const core::Clock& clock) {
  std::vector<Issue> issues;
  if (!event.is_object()) {
    issues.push_back(malformed_document("The event must be a JSON object."));
    return finish(std::move(issues));
  }
  const core::JsonValue* local_id = nullptr;
  const core::JsonValue* organisation = nullptr;
  const core::JsonValue* version = nullptr;
  bool has_local_id = false, has_organisation = false, has_version = false;
  EventParts parts;
  for (const core::JsonMember* m = event.members_begin(); m != event.members_end(); ++m) {
    const core::JsonValue& v = m->value;
    if (m->name == "local_id" || m->name == "organisation" || m->name == "taxonomy_version") {
      if (m->name == "local_id") has_local_id = true;
      if (m->name == "organisation") has_organisation = true;
      if (m->name == "taxonomy_version") has_version = true;
      if (!v.is_string()) {
        malformed_member(issues, m->name, "`" + std::string(m->name) + "` must be a string.");
        continue;
      }
      if (m->name == "local_id") local_id = &v;
      if (m->name == "organisation") organisation = &v;
      if (m->name == "taxonomy_version") version = &v;
    } else if (m->name == "answers" || m->name == "groups") {
      const bool answers = m->name == "answers";
      if (!v.is_object()) {
        malformed_member(issues, m->name, "`" + std::string(m->name) + "` must be an object.");
        (answers ? parts.answers_malformed : parts.groups_malformed) = true;
        continue;
      }
      (answers ? parts.answers : parts.groups) = &v;
    } else {
      malformed_member(issues, m->name,
                       "An event document has no member \"" + std::string(m->name) + "\".");
    }
  }
  if (!has_local_id || (local_id != nullptr && !is_valid_local_id(local_id->text()))) {
    add_issue(issues, Severity::Error, "invalid-local-id", "/local_id", {},
              has_local_id ? "The local id must be 1 to 64 characters of letters, digits and "
                             "`.`, `_`, `:`, `-`."
                           : "The event has no local id.");
  }
  if (!has_organisation || (organisation != nullptr && !is_valid_ods(organisation->text()))) {
    add_issue(issues, Severity::Error, "invalid-organisation", "/organisation", {},
              has_organisation ? "The organisation must be an ODS code of 3 to 6 upper-case "
                                 "letters and digits."
                               : "The event has no organisation.");
  }
  TaxonomyPtr tax;
  if (version != nullptr) tax = set.find(version->text());
  if (!has_version) {
    add_issue(issues, Severity::Error, "unknown-version", "/taxonomy_version", {},
              "The event does not name its taxonomy version.");
  } else if (version != nullptr && tax == nullptr) {
    add_issue(issues, Severity::Error, "unknown-version", "/taxonomy_version", {},
              "Taxonomy version \"" + std::string(version->text()) + "\" is not loaded.");
  }
  validate_content(tax.get(), parts, clock, issues);
  return finish(std::move(issues));
}

Validation validate_text(const TaxonomySet& set, std::string_view text, const core::Clock& clock) {
  ParsedEvent parsed = parse_event_text(text);
  if (!parsed.document_ok) return finish(std::move(parsed.issues));
  return validate(set, parsed.doc.root(), clock);
}

TaxonomyPtr event_taxonomy(const TaxonomySet& set, const ParsedEvent& parsed) {
  if (!parsed.document_ok) return nullptr;
  const core::JsonValue* version = parsed.doc.root().find("taxonomy_version");
  return version && version->is_string() ? set.find(version->text()) : nullptr;
}

CheckedEvent check_event(const TaxonomySet& set, std::string_view text, const core::Clock& clock) {
  CheckedEvent c{parse_event_text(text), {}, nullptr};
  if (!c.parsed.document_ok) {
    c.validation = finish(c.parsed.issues);
    return c;
  }
  c.validation = validate(set, c.parsed.doc.root(), clock);
  c.taxonomy = event_taxonomy(set, c.parsed);
  return c;
}

}  // namespace lfpse::taxonomy
