// The commands over events and taxonomies: validate, shown, to-fhir, from-fhir, migrate,
// schema. Each is a call or two of the C ABI; the JSON they return is printed as it came, or
// read (core/json.hpp) for the readable report and the exit code.
#include "cli/cli.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"

namespace lfpse::cli {

namespace {

// The one FILE a command takes.
const std::string& one_file(const Args& args) {
  if (args.positional.empty()) usage_error("missing FILE");
  if (args.positional.size() > 1) usage_error("unexpected argument \"" + args.positional[1] + "\"");
  return args.positional[0];
}

core::JsonDocument parse_output(const std::string& json) {
  core::JsonDocument doc;
  core::JsonError error;
  if (!doc.parse(json, &error, core::JsonLimits{64, std::size_t{1} << 30}))
    throw Failure{kInternal, "the library returned malformed JSON: " + error.text()};
  return doc;
}

std::string member(const core::JsonValue& o, const char* name) {
  const core::JsonValue* v = o.find(name);
  return v && v->is_string() ? std::string(v->text()) : std::string();
}

// True when `issues` (an array of issues) holds an error.
bool has_error(const core::JsonValue* issues) {
  if (!issues) return false;
  for (const core::JsonValue& issue : *issues)
    if (member(issue, "severity") == "error") return true;
  return false;
}

void print_report(const std::string& name, const core::JsonValue& verdict) {
  const core::JsonValue* issues = verdict.find("issues");
  std::size_t errors = 0, warnings = 0;
  if (issues)
    for (const core::JsonValue& issue : *issues)
      (member(issue, "severity") == "error" ? errors : warnings)++;
  const core::JsonValue* valid = verdict.find("valid");
  std::printf("%s: %s (%zu error%s, %zu warning%s)\n", name.c_str(),
              valid && valid->as_bool() ? "valid" : "INVALID", errors, errors == 1 ? "" : "s",
              warnings, warnings == 1 ? "" : "s");
  if (!issues) return;
  for (const core::JsonValue& issue : *issues) {
    std::string path = member(issue, "path"), question = member(issue, "question");
    std::printf("  %-7s %-28s %s%s%s\n          %s\n", member(issue, "severity").c_str(),
                member(issue, "code").c_str(), path.empty() ? "(document)" : path.c_str(),
                question.empty() ? "" : "  question ", question.c_str(),
                member(issue, "message").c_str());
  }
}

}  // namespace

int cmd_validate(const Args& args) {
  if (args.positional.empty()) usage_error("missing FILE");
  Taxonomies taxonomies(args);
  lfpse_event_options options = event_options(args);
  bool json = args.flag("json"), several = args.positional.size() > 1;
  int code = kOk;
  for (const std::string& file : args.positional) {
    std::string text;
    try {
      text = read_input(file, LFPSE_EVENT_MAX_BYTES);
    } catch (const Failure& f) {
      // The other files are still validated; the exit code says one could not be read.
      std::fprintf(stderr, "lfpse validate: %s\n", f.message.c_str());
      code = kStorage;
      continue;
    }
    char* out = nullptr;
    size_t len = 0;
    check(lfpse_event_validate(taxonomies.get(), text.data(), text.size(), &options, &out, &len));
    std::string verdict = take(out, len);
    core::JsonDocument doc = parse_output(verdict);
    const core::JsonValue* valid = doc.root().find("valid");
    if (!(valid && valid->as_bool()) && code == kOk) code = kInvalid;
    if (!json) {
      print_report(input_name(file), doc.root());
    } else if (several) {
      core::JsonWriter line;
      line.begin_object().member("file", file);
      for (const core::JsonMember* m = doc.root().members_begin(); m != doc.root().members_end();
           ++m)
        line.member(m->name, m->value);
      print_line(line.end_object().take());
    } else {
      print_line(verdict);
    }
  }
  return code;
}

int cmd_shown(const Args& args) {
  Taxonomies taxonomies(args);
  std::string text = read_input(one_file(args), LFPSE_EVENT_MAX_BYTES);
  char* out = nullptr;
  size_t len = 0;
  lfpse_status status = lfpse_event_shown(taxonomies.get(), text.data(), text.size(), &out, &len);
  std::string json = take(out, len);
  if (status == LFPSE_EEVENT)
    throw Failure{kInvalid,
                  "the event cannot be read (not an event document, or its taxonomy "
                  "version is not loaded): " +
                      json};
  check(status);
  print_line(json);
  return kOk;
}

int cmd_to_fhir(const Args& args) {
  Taxonomies taxonomies(args);
  lfpse_event_options options = event_options(args);
  std::string text = read_input(one_file(args), LFPSE_EVENT_MAX_BYTES);
  char* out = nullptr;
  size_t len = 0;
  lfpse_status status =
      lfpse_event_to_fhir(taxonomies.get(), text.data(), text.size(), &options, &out, &len);
  std::string json = take(out, len);
  if (status == LFPSE_EEVENT) throw Failure{kInvalid, "the event does not validate: " + json};
  check(status);
  print_line(json);
  return kOk;
}

int cmd_from_fhir(const Args& args) {
  Taxonomies taxonomies(args);
  std::string text = read_input(one_file(args), LFPSE_RESOURCE_MAX_BYTES);
  char* out = nullptr;
  size_t len = 0;
  lfpse_status status = lfpse_event_from_fhir(taxonomies.get(), text.data(), text.size(), &out,
                                              &len, nullptr, nullptr);
  std::string json = take(out, len);
  // A resource the library cannot map is an invalid input, not a usage error.
  if (status == LFPSE_EINVALID) throw Failure{kInvalid, lfpse_error_last()};
  check(status);
  print_line(json);
  return kOk;
}

int cmd_migrate(const Args& args) {
  const std::string* to = args.value("to");
  if (!to) usage_error("missing --to VERSION");
  Taxonomies taxonomies(args);
  lfpse_event_options options = event_options(args);
  std::string text = read_input(one_file(args), LFPSE_EVENT_MAX_BYTES);
  char* out = nullptr;
  size_t len = 0;
  lfpse_status status = lfpse_event_migrate(taxonomies.get(), text.data(), text.size(), to->c_str(),
                                            &options, &out, &len);
  std::string json = take(out, len);
  if (status != LFPSE_EEVENT) check(status);  // a downgrade is a usage error, as EINVALID is
  print_line(json);
  core::JsonDocument doc = parse_output(json);
  const core::JsonValue* event = doc.root().find("event");
  bool migrated = event && !event->is_null();
  return migrated && !has_error(doc.root().find("issues")) ? kOk : kInvalid;
}

int cmd_schema(const Args& args) {
  const std::string* version = args.value("version");
  if (!version) usage_error("missing --version VERSION");
  if (!args.positional.empty()) usage_error("unexpected argument \"" + args.positional[0] + "\"");
  Taxonomies taxonomies(args);
  char* out = nullptr;
  size_t len = 0;
  check(lfpse_taxonomy_set_schema(taxonomies.get(), version->c_str(), &out, &len));
  print_line(take(out, len));
  return kOk;
}

}  // namespace lfpse::cli
