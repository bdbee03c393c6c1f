// The `lfpse` command-line tool, run as a real process: outputs, exit codes, errors.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace fs = std::filesystem;

namespace {

struct Run {
  int exit_code = -1;
  std::string out, err;
  long max_rss_kb = 0;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scratch() {
  static fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("lfpse-cli-test-" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// Runs the CLI with `args`, feeding `stdin_path` (or /dev/null) to its standard input.
Run run_cli(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null") {
  const char* cli = std::getenv("LFPSE_CLI");
  REQUIRE_MESSAGE(cli != nullptr, "LFPSE_CLI must name the lfpse binary (set by CTest)");
  fs::path out = scratch() / "stdout", err = scratch() / "stderr";
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(stdin_path.c_str(), O_RDONLY);
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> argv{const_cast<char*>(cli)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(cli, argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  r.max_rss_kb = usage.ru_maxrss;
  return r;
}

std::string example(const std::string& name) {
  return std::string(LFPSE_SOURCE_DIR "/examples/events/") + name;
}

fs::path write(const std::string& name, const std::string& text) {
  fs::path p = scratch() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

bool one_line(const std::string& s) {
  return !s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1;
}

const std::string kNow = "2026-11-26T12:00:00Z";

}  // namespace

TEST_CASE("cli: validate --json agrees with every example's expected issues") {
  for (const auto& e : fs::directory_iterator(LFPSE_SOURCE_DIR "/examples/events")) {
    std::string name = e.path().filename().string();
    if (name.find(".expected.") != std::string::npos) continue;
    Run r = run_cli({"validate", "--json", "--now", kNow, e.path().string()});
    CAPTURE(name);
    CHECK(one_line(r.out));
    lfpse::core::JsonDocument got, want;
    REQUIRE(got.parse(r.out, nullptr));
    REQUIRE(want.parse(
        slurp(e.path().parent_path() / (e.path().stem().string() + ".expected.json")), nullptr));
    bool valid = want.root().find("valid")->as_bool();
    CHECK(got.root().find("valid")->as_bool() == valid);
    CHECK(r.exit_code == (valid ? 0 : 1));
    const auto& issues = *got.root().find("issues");
    const auto& expected = *want.root().find("issues");
    REQUIRE(issues.size() == expected.size());
    for (std::size_t i = 0; i < issues.size(); ++i) {
      CHECK(issues[i].find("code")->text() == expected[i].find("code")->text());
      CHECK(issues[i].find("path")->text() == expected[i].find("path")->text());
      CHECK(issues[i].find("message")->text().size() > 0);
    }
  }
}

TEST_CASE("cli: validate without --json prints a readable report") {
  Run r = run_cli({"validate", "--now", kNow, example("invalid-03-invalid-code.json")});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("INVALID") != std::string::npos);
  CHECK(r.out.find("invalid-code") != std::string::npos);
  CHECK(r.out.find("/groups/patient/0/answers/P009") != std::string::npos);
}

TEST_CASE("cli: input that is not JSON is an invalid event, from a file or standard input") {
  fs::path junk = write("junk.json", "{\"local_id\": NaN}");
  Run r = run_cli({"validate", "--json", "-"}, junk.string());
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("{\"valid\":false,\"issues\":[{\"severity\":\"error\",\"code\":\"malformed\","
                    "\"path\":\"\"",
                    0) == 0);
}

TEST_CASE("cli: a 100 MB input is malformed, read in bounded memory") {
  fs::path big = scratch() / "big.json";
  {
    std::ofstream out(big, std::ios::binary);
    out << "{\"local_id\":\"";
    std::string chunk(1 << 20, 'a');
    for (int i = 0; i < 100; ++i) out << chunk;
    out << "\"}";
  }
  Run r = run_cli({"validate", "--json", big.string()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("\"code\":\"malformed\"") != std::string::npos);
  CHECK(r.max_rss_kb < 64 * 1024);  // the file is never read whole
  fs::remove(big);
}

TEST_CASE("cli: to-fhir and from-fhir round-trip a valid event through standard input") {
  Run fhir =
      run_cli({"to-fhir", "--now", kNow, example("v5-02-incident-device-two-patients.json")});
  REQUIRE(fhir.exit_code == 0);
  CHECK(one_line(fhir.out));
  CHECK(fhir.out.rfind("{\"resourceType\":\"AdverseEvent\",\"meta\":", 0) == 0);
  fs::path resource = write("resource.json", fhir.out);
  Run back = run_cli({"from-fhir", "-"}, resource.string());
  REQUIRE(back.exit_code == 0);
  fs::path event = write("event.json", back.out);
  Run again = run_cli({"to-fhir", "--now", kNow, event.string()});
  CHECK(again.out == fhir.out);
}

TEST_CASE("cli: to-fhir refuses an invalid event with its issues on stderr") {
  Run r = run_cli({"to-fhir", "--now", kNow, example("invalid-01-required.json")});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("\"code\":\"required\"") != std::string::npos);
}

TEST_CASE("cli: shown lists every group and the required questions") {
  Run r = run_cli({"shown", example("v5-01-incident-medication.json")});
  CHECK(r.exit_code == 0);
  CHECK(one_line(r.out));
  CHECK(r.out.rfind("{\"top\":{\"shown\":[\"CL001\",", 0) == 0);
  CHECK(r.out.find("\"groups\":{\"patient\":{\"shown\":true,\"instances\":[{\"shown\":[") !=
        std::string::npos);
}

TEST_CASE("cli: migrate reports the dropped answers and the new version's issues") {
  Run r = run_cli(
      {"migrate", "--to", "6", "--now", kNow, example("v5-02-incident-device-two-patients.json")});
  CHECK(r.out.rfind("{\"event\":{\"local_id\":\"LRMS-2026-004251\",\"taxonomy_version\":\"6\"",
                    0) == 0);
  CHECK(r.out.find("\"code\":\"migrated:dropped\",\"path\":\"/groups/patient/1/answers/P009\"") !=
        std::string::npos);
  Run down = run_cli({"migrate", "--to", "5", example("v6-02-good-care.json")});
  CHECK(down.exit_code == 2);
  CHECK(down.err.find("downgrade") != std::string::npos);
}

TEST_CASE("cli: schema prints the JSON Schema of a version") {
  Run r = run_cli({"schema", "--version", "6"});
  CHECK(r.exit_code == 0);
  CHECK(one_line(r.out));
  CHECK(r.out.find("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"") !=
        std::string::npos);
  CHECK(run_cli({"schema", "--version", "4"}).exit_code == 2);
}

TEST_CASE("cli: --taxonomy loads an extra version beside the built-in ones") {
  std::string small = LFPSE_SOURCE_DIR "/conformance/vectors/taxonomies/small.json";
  Run r = run_cli({"schema", "--taxonomy", small, "--version", "901"});
  CHECK(r.exit_code == 0);
  fs::path bad = write("bad-taxonomy.json", "{\"taxonomy\":\"x\"}");
  Run refused = run_cli({"schema", "--taxonomy", bad.string(), "--version", "5"});
  CHECK(refused.exit_code == 2);
  CHECK(one_line(refused.err));
  CHECK(refused.err.find("/version") != std::string::npos);
}

TEST_CASE("cli: usage errors and unreadable files exit 2 with one line on stderr") {
  CHECK(run_cli({}).exit_code == 2);
  Run unknown = run_cli({"frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(one_line(unknown.err));
  Run missing = run_cli({"validate", "/nonexistent/event.json"});
  CHECK(missing.exit_code == 2);
  CHECK(one_line(missing.err));
  CHECK(
      run_cli({"validate", "--now", "noon", example("v5-01-incident-medication.json")}).exit_code ==
      2);
  CHECK(run_cli({"validate", "--bogus", example("v5-01-incident-medication.json")}).exit_code == 2);
  CHECK(run_cli({"migrate", example("v5-01-incident-medication.json")}).exit_code == 2);
  CHECK(run_cli({"--help"}).exit_code == 0);
}

TEST_CASE("cli: record, update and withdraw print the event's sync state; queue reports it") {
  std::string db = (scratch() / "queue.db").string();
  fs::remove(db);
  std::string event = example("v5-01-incident-medication.json");
  Run rec = run_cli({"record", "--store", db, "--now", kNow, event});
  CHECK(rec.exit_code == 0);
  CHECK(one_line(rec.out));
  CHECK(rec.out.find("\"state\":\"queued\"") != std::string::npos);
  Run bad = run_cli({"record", "--store", db, "--now", kNow, example("invalid-01-required.json")});
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.find("\"code\":\"required\"") != std::string::npos);
  Run draft = run_cli(
      {"record", "--store", db, "--draft", "--now", kNow, example("invalid-01-required.json")});
  CHECK(draft.exit_code == 0);
  CHECK(run_cli({"update", "--store", db, "--now", kNow, event}).out.find("\"kind\":\"update\"") !=
        std::string::npos);
  CHECK(run_cli({"queue", "--store", db, "status"}).out ==
        "{\"draft\":1,\"queued\":1,\"sending\":0,\"acknowledged\":0,\"rejected\":0,\"conflict\":0,"
        "\"withdrawn\":0}\n");
  Run show = run_cli({"queue", "--store", db, "show", "LRMS-2026-004217"});
  CHECK(show.exit_code == 0);
  for (const char* member : {"\"local_id\"", "\"state\"", "\"national_id\":null", "\"version\"",
                             "\"reference\"", "\"review_status\"", "\"review_comment\"",
                             "\"event\"", "\"operations\"", "\"last_error\""}) {
    CHECK(show.out.find(member) != std::string::npos);
  }
  CHECK(run_cli({"queue", "--store", db, "show", "nobody"}).exit_code == 1);
  CHECK(run_cli({"queue", "--store", db, "list", "draft"}).out.find("LRMS-2026-009001") !=
        std::string::npos);
  Run exported = run_cli({"queue", "--store", db, "export"});
  CHECK(std::count(exported.out.begin(), exported.out.end(), '\n') == 2);
  CHECK(run_cli({"queue", "--store", db, "retry", "LRMS-2026-004217"}).out ==
        "{\"local_id\":\"LRMS-2026-004217\",\"requeued\":0}\n");
  CHECK(
      run_cli({"withdraw", "--store", db, "LRMS-2026-004217"}).out.find("\"kind\":\"withdraw\"") !=
      std::string::npos);
  CHECK(run_cli({"queue", "--store", db, "fly"}).exit_code == 2);
  CHECK(run_cli({"record", event}).exit_code == 2);  // no --store
}

TEST_CASE("cli: an encrypted store needs its key, from a file or the environment, never a flag") {
  std::string db = (scratch() / "sealed.db").string();
  fs::remove(db);
  fs::path key = write("store.key", std::string(64, 'a') + "\n");
  Run rec = run_cli({"record", "--store", db, "--key-file", key.string(), "--now", kNow,
                     example("v5-05-risk.json")});
  CHECK(rec.exit_code == 0);
  Run without = run_cli({"queue", "--store", db, "status"});
  CHECK(without.exit_code == 2);
  CHECK(one_line(without.err));
  setenv("LFPSE_STORE_KEY", std::string(64, 'a').c_str(), 1);
  CHECK(run_cli({"queue", "--store", db, "status"}).exit_code == 0);
  unsetenv("LFPSE_STORE_KEY");
  CHECK(run_cli({"queue", "--store", db, "--key", std::string(64, 'a'), "status"}).exit_code == 2);
  fs::path short_key = write("short.key", "abcd");
  CHECK(run_cli({"queue", "--store", db, "--key-file", short_key.string(), "status"}).exit_code ==
        2);
}
