// The subcommands over the taxonomy core: validate, shown, to-fhir, from-fhir, migrate,
// schema.
#include <cstdio>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/migrate.hpp"
#include "taxonomy/schema.hpp"
#include "taxonomy/shown.hpp"

namespace lfpse::cli {

namespace {

std::string read_event(const Args& args, const char* usage) {
  return read_input(one_input(args, usage), taxonomy::kMaxEventBytes);
}

void print_report(const std::string& name, const taxonomy::Validation& v) {
  std::size_t errors = 0, warnings = 0;
  for (const auto& issue : v.issues)
    (issue.severity == taxonomy::Severity::Error ? errors : warnings)++;
  std::printf("%s: %s (%zu error%s, %zu warning%s)\n", name.c_str(), v.valid ? "valid" : "INVALID",
              errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  for (const auto& issue : v.issues) {
    std::printf("  %-7s %-28s %s%s%s\n          %s\n",
                issue.severity == taxonomy::Severity::Error ? "error" : "warning",
                issue.code.c_str(), issue.path.empty() ? "(document)" : issue.path.c_str(),
                issue.question.empty() ? "" : "  question ", issue.question.c_str(),
                issue.message.c_str());
  }
}

void print_issues_to_stderr(const taxonomy::Validation& v) {
  std::string json;
  taxonomy::append_issues_json(json, v.issues);
  std::fprintf(stderr, "%s\n", json.c_str());
}

}  // namespace

int cmd_validate(int argc, char** argv) {
  const char* usage = "lfpse validate [--json] FILE";
  Args args = parse_args(argc, argv, {}, {"json"});
  auto set = load_taxonomies(args);
  std::string text = read_event(args, usage);
  taxonomy::Validation v = taxonomy::validate_text(*set, text, args.clock());
  if (args.flag("json")) {
    print_json(taxonomy::validation_json(v));
  } else {
    print_report(args.positional[0] == "-" ? "(stdin)" : args.positional[0], v);
  }
  return v.valid ? kOk : kInvalid;
}

int cmd_shown(int argc, char** argv) {
  const char* usage = "lfpse shown FILE";
  Args args = parse_args(argc, argv, {}, {});
  auto set = load_taxonomies(args);
  taxonomy::CheckedEvent c = taxonomy::check_event(*set, read_event(args, usage), args.clock());
  if (!c.taxonomy) {
    std::fputs(
        "lfpse shown: the event cannot be read (not an event document, or its taxonomy "
        "version is not loaded):\n",
        stderr);
    print_issues_to_stderr(c.validation);
    return kInvalid;
  }
  print_json(
      taxonomy::shown_json(*c.taxonomy, taxonomy::compute_shown(*c.taxonomy, c.parsed.doc.root())));
  return kOk;
}

int cmd_to_fhir(int argc, char** argv) {
  const char* usage = "lfpse to-fhir FILE";
  Args args = parse_args(argc, argv, {}, {});
  auto set = load_taxonomies(args);
  taxonomy::CheckedEvent c = taxonomy::check_event(*set, read_event(args, usage), args.clock());
  if (!c.validation.valid) {
    std::fputs("lfpse to-fhir: the event does not validate:\n", stderr);
    print_issues_to_stderr(c.validation);
    return kInvalid;
  }
  print_json(taxonomy::to_fhir(*c.taxonomy, c.parsed.doc.root()));
  return kOk;
}

int cmd_from_fhir(int argc, char** argv) {
  const char* usage = "lfpse from-fhir FILE";
  Args args = parse_args(argc, argv, {}, {});
  auto set = load_taxonomies(args);
  std::string text = read_input(one_input(args, usage), taxonomy::kMaxEventBytes);
  print_json(taxonomy::from_fhir(*set, text).event_json);
  return kOk;
}

int cmd_migrate(int argc, char** argv) {
  const char* usage = "lfpse migrate --to VERSION FILE";
  Args args = parse_args(argc, argv, {"to"}, {});
  const std::string* to = args.value("to");
  if (!to) throw UsageError{std::string("usage: ") + usage};
  auto set = load_taxonomies(args);
  std::string text = read_event(args, usage);
  taxonomy::MigrationResult r;
  try {
    r = taxonomy::migrate(*set, text, *to, args.clock());
  } catch (const core::Error& e) {
    throw UsageError{e.what()};  // unknown target version or a downgrade: a usage error
  }
  std::string out = "{\"event\":";
  out += r.migrated ? r.event_json : "null";
  out += ",\"issues\":";
  taxonomy::append_issues_json(out, r.issues);
  out += '}';
  print_json(out);
  bool valid = r.migrated;
  for (const auto& issue : r.issues) valid = valid && issue.severity != taxonomy::Severity::Error;
  return valid ? kOk : kInvalid;
}

int cmd_schema(int argc, char** argv) {
  Args args = parse_args(argc, argv, {"version"}, {});
  const std::string* version = args.value("version");
  if (!version || !args.positional.empty())
    throw UsageError{"usage: lfpse schema --version VERSION"};
  auto set = load_taxonomies(args);
  auto tax = set->find(*version);
  if (!tax) throw UsageError{"taxonomy version \"" + *version + "\" is not loaded"};
  print_json(taxonomy::json_schema(*tax));
  return kOk;
}

}  // namespace lfpse::cli
