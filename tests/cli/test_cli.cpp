// The `lfpse` command-line tool, run as a real process: outputs, exit codes, errors.
#include <algorithm>

#include "cli/cli_run.hpp"
#include "core/json.hpp"

using namespace cli_test;

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
  Run r = run_cli({"validate", "--json", "-"}, from_stdin(junk.string()));
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
  Run back = run_cli({"from-fhir", "-"}, from_stdin(resource.string()));
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
  CHECK(one_error(r, "to-fhir"));
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
  CHECK(one_error(down, "migrate"));
  CHECK(down.err.find("downgrade") != std::string::npos);
  Run unknown = run_cli({"migrate", "--to", "99", example("v6-02-good-care.json")});
  CHECK(unknown.exit_code == 4);
  CHECK(unknown.err == "lfpse migrate: taxonomy version \"99\" is not loaded\n");
}

TEST_CASE("cli: schema prints the JSON Schema of a version") {
  Run r = run_cli({"schema", "--version", "6"});
  CHECK(r.exit_code == 0);
  CHECK(one_line(r.out));
  CHECK(r.out.find("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"") !=
        std::string::npos);
  Run absent = run_cli({"schema", "--version", "4"});
  CHECK(absent.exit_code == 4);
  CHECK(one_error(absent, "schema"));
}

TEST_CASE("cli: --taxonomy loads an extra version beside the built-in ones") {
  std::string small = LFPSE_SOURCE_DIR "/conformance/vectors/taxonomies/small.json";
  Run r = run_cli({"schema", "--taxonomy", small, "--version", "901"});
  CHECK(r.exit_code == 0);
  fs::path bad = write("bad-taxonomy.json", "{\"taxonomy\":\"x\"}");
  Run refused = run_cli({"schema", "--taxonomy", bad.string(), "--version", "5"});
  CHECK(refused.exit_code == 2);
  CHECK(one_error(refused, "schema"));
  CHECK(refused.err.find("/version") != std::string::npos);
}
