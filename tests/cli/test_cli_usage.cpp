// How the `lfpse` tool explains itself: help, version, option syntax, exit codes and the
// wording of errors, and validate over several files.
#include <lfpse/lfpse.h>

#include <algorithm>

#include "cli/cli_run.hpp"

using namespace cli_test;

namespace {

const char* const kCommands[] = {"validate", "shown",  "to-fhir", "from-fhir", "migrate",
                                 "schema",   "record", "update",  "withdraw",  "queue"};

const char* const kExitRows[] = {
    "  0  success, or the event is valid\n",
    "  1  invalid event (its issues are printed)\n",
    "  2  usage: unknown command or option, a missing or bad argument\n",
    "  3  sync: work remains (reserved for the sync command)\n",
    "  4  not found: no such event or taxonomy version\n",
    "  5  conflict: already recorded, withdrawn, or the store is busy\n",
    "  6  I/O or storage: unreadable input, disk full, corrupt store, wrong key\n",
    "  7  internal: out of memory, or a bug in the library (please report it)\n"};

}  // namespace

TEST_CASE("help: lfpse help lists every command and the one exit-code table") {
  Run r = run_cli({"help"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  for (const char* command : kCommands) CHECK(contains(r.out, std::string("  ") + command + " "));
  for (const char* row : kExitRows) CHECK(contains(r.out, row));
  CHECK(run_cli({"--help"}).out == r.out);
  CHECK(run_cli({"-h"}).out == r.out);
  Run bare = run_cli({});  // no command: the same text, on stderr, as a usage error
  CHECK(bare.exit_code == 2);
  CHECK(bare.out.empty());
  CHECK(bare.err == r.out);
}

TEST_CASE("help: every command has its help, from lfpse help COMMAND and COMMAND --help") {
  for (const char* command : kCommands) {
    CAPTURE(command);
    Run help = run_cli({"help", command});
    CHECK(help.exit_code == 0);
    CHECK(help.out.rfind(std::string("usage: lfpse ") + command + " ", 0) == 0);
    CHECK(contains(help.out, "  -h, --help "));
    CHECK(contains(help.out, "Exit: 0"));
    for (const char* row : kExitRows) CHECK(contains(help.out, row));
    CHECK(run_cli({command, "--help"}).out == help.out);
    // asking for help wins over a mistake on the same line
    CHECK(run_cli({command, "--no-such-option", "-h"}).out == help.out);
  }
  Run unknown = run_cli({"help", "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "lfpse help: unknown command \"frobnicate\" (try lfpse help)\n");
  CHECK(run_cli({"help", "validate", "shown"}).exit_code == 2);
}

TEST_CASE("help: --version names the tool's and the library's version") {
  Run r = run_cli({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        std::string("lfpse ") + LFPSE_VERSION_STRING + " (library " + LFPSE_VERSION_STRING + ")\n");
}

TEST_CASE("usage: --flag=value is the same as --flag value") {
  std::string event = example("v5-02-incident-device-two-patients.json");
  Run spaced = run_cli({"validate", "--json", "--now", kNow, event});
  Run joined = run_cli({"validate", "--json", "--now=" + kNow, event});
  CHECK(spaced.exit_code == 0);
  CHECK(joined.exit_code == 0);
  CHECK(joined.out == spaced.out);
  CHECK(run_cli({"schema", "--version=6"}).out == run_cli({"schema", "--version", "6"}).out);
  Run migrated = run_cli({"migrate", "--to=6", "--now=" + kNow, event});
  CHECK(migrated.out == run_cli({"migrate", "--to", "6", "--now", kNow, event}).out);
  CHECK(contains(migrated.out, "\"taxonomy_version\":\"6\""));
  // -- ends the options: a file named like one is still a file
  Run dashed = run_cli({"validate", "--", "--json"});
  CHECK(dashed.exit_code == 6);
  CHECK(dashed.err == "lfpse validate: cannot read --json: No such file or directory\n");
}

TEST_CASE("usage: each usage error is exit 2 with one line naming the command and its help") {
  std::string event = example("v5-01-incident-medication.json");
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"validate", "--bogus", event},
       "lfpse validate: unknown option --bogus (try lfpse help validate)\n"},
      {{"validate", "-x", event}, "lfpse validate: unknown option -x (try lfpse help validate)\n"},
      {{"validate", "--json=yes", event},
       "lfpse validate: option --json takes no value (try lfpse help validate)\n"},
      {{"validate", event, "--now"},
       "lfpse validate: option --now needs a value (RFC3339) (try lfpse help validate)\n"},
      {{"validate", "--now", kNow, "--now=" + kNow, event},
       "lfpse validate: option --now is given more than once (try lfpse help validate)\n"},
      {{"validate", "--now", "noon", event},
       "lfpse validate: --now takes an RFC 3339 date-time such as 2026-11-26T12:00:00Z (try "
       "lfpse help validate)\n"},
      {{"validate"}, "lfpse validate: missing FILE (try lfpse help validate)\n"},
      {{"shown", event, event},
       "lfpse shown: unexpected argument \"" + event + "\" (try lfpse help shown)\n"},
      {{"migrate", event}, "lfpse migrate: missing --to VERSION (try lfpse help migrate)\n"},
      {{"schema"}, "lfpse schema: missing --version VERSION (try lfpse help schema)\n"},
      {{"record", event}, "lfpse record: missing --store DB (try lfpse help record)\n"},
      {{"record", "--read-only", "--store", "x.db", event},
       "lfpse record: unknown option --read-only (try lfpse help record)\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.err);
    Run r = run_cli(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == c.err);
  }
  Run unknown = run_cli({"frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "lfpse: unknown command \"frobnicate\" (try lfpse help)\n");
}

TEST_CASE("usage: unreadable input is exit 6, worded once, for events and taxonomies alike") {
  Run event = run_cli({"validate", "/nonexistent/event.json"});
  CHECK(event.exit_code == 6);
  CHECK(event.err ==
        "lfpse validate: cannot read /nonexistent/event.json: No such file or "
        "directory\n");
  Run dir = run_cli({"to-fhir", "/"});
  CHECK(dir.exit_code == 6);
  CHECK(one_error(dir, "to-fhir"));
  CHECK(contains(dir.err, "cannot read /: "));
  Run taxonomy = run_cli({"schema", "--taxonomy", "/nonexistent/t.json", "--version", "5"});
  CHECK(taxonomy.exit_code == 6);
  CHECK(one_error(taxonomy, "schema"));
  CHECK(contains(taxonomy.err, "/nonexistent/t.json"));
}

TEST_CASE("usage: output that cannot be written (a full disk) is exit 6") {
  RunOptions full;
  full.stdout_path = "/dev/full";
  Run r = run_cli({"schema", "--version", "6"}, full);
  CHECK(r.exit_code == 6);
  CHECK(r.err == "lfpse schema: cannot write standard output: No space left on device\n");
}

TEST_CASE("validate: several files are each reported, and the exit code is the worst") {
  std::string good = example("v5-01-incident-medication.json");
  std::string bad = example("invalid-03-invalid-code.json");
  Run text = run_cli({"validate", "--now", kNow, good, bad});
  CHECK(text.exit_code == 1);
  CHECK(text.out.rfind(good + ": valid (0 errors, 0 warnings)\n", 0) == 0);
  CHECK(contains(text.out, "\n" + bad + ": INVALID ("));
  Run json = run_cli({"validate", "--json", "--now", kNow, good, bad, good});
  CHECK(json.exit_code == 1);
  CHECK(std::count(json.out.begin(), json.out.end(), '\n') == 3);
  CHECK(json.out.rfind("{\"file\":\"" + good + "\",\"valid\":true,\"issues\":[]}\n", 0) == 0);
  CHECK(contains(json.out, "\n{\"file\":\"" + bad + "\",\"valid\":false,\"issues\":[{"));
  CHECK(run_cli({"validate", "--now", kNow, good, good}).exit_code == 0);
  // one file that cannot be read: the others are still validated, and the exit is 6
  Run missing = run_cli({"validate", "--json", "--now", kNow, bad, "/nonexistent.json", good});
  CHECK(missing.exit_code == 6);
  CHECK(std::count(missing.out.begin(), missing.out.end(), '\n') == 2);
  CHECK(contains(missing.out, "{\"file\":\"" + good + "\",\"valid\":true"));
  CHECK(missing.err ==
        "lfpse validate: cannot read /nonexistent.json: No such file or "
        "directory\n");
}

TEST_CASE("validate: malformed JSON names the byte where it stops being JSON") {
  struct Case {
    std::string text, where;
  };
  const std::vector<Case> cases = {
      {"{\"local_id\": NaN}", "Invalid value (at byte 13)."},
      {"{\"local_id\":\"L-1\",", "(at byte 18)."},
      {"{\"a\":1,\"a\":2}", "(at byte "},
      {std::string("{\"a\":\"\xff\"}"), "invalid UTF-8 (at byte 6)."},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    fs::path file = write("malformed.json", c.text);
    Run r = run_cli({"validate", "--json", file.string()});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.out, "\"code\":\"malformed\""));
    CHECK(contains(r.out, c.where));
  }
  // the resource given to from-fhir likewise
  fs::path resource = write("resource.json", "{\"resourceType\":\"AdverseEvent\",}");
  Run fhir = run_cli({"from-fhir", resource.string()});
  CHECK(fhir.exit_code == 1);
  CHECK(one_error(fhir, "from-fhir"));
  CHECK(contains(fhir.err, "(at byte 31)"));
}
