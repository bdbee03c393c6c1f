// The store commands run as real processes on real store files: record, update, withdraw,
// queue, their exit codes, and --read-only on a copy nobody may write.
#include <sys/stat.h>

#include <algorithm>

#include "cli/cli_run.hpp"

using namespace cli_test;

TEST_CASE("store: record, update and withdraw print the event's sync state, and queue reports it") {
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
        "\"withdrawn\":0,\"withdrawal_pending\":0}\n");
  Run show = run_cli({"queue", "--store", db, "show", "LRMS-2026-004217"});
  CHECK(show.exit_code == 0);
  for (const char* member : {"\"local_id\"", "\"state\"", "\"national_id\":null", "\"version\"",
                             "\"reference\"", "\"review_status\"", "\"review_comment\"",
                             "\"event\"", "\"operations\"", "\"last_error\""}) {
    CHECK(show.out.find(member) != std::string::npos);
  }
  Run nobody = run_cli({"queue", "--store", db, "show", "nobody"});
  CHECK(nobody.exit_code == 4);
  CHECK(nobody.err == "lfpse queue: no event with local_id nobody\n");
  CHECK(run_cli({"queue", "--store", db, "list", "draft"}).out.find("LRMS-2026-009001") !=
        std::string::npos);
  Run exported = run_cli({"queue", "--store", db, "export"});
  CHECK(std::count(exported.out.begin(), exported.out.end(), '\n') == 2);
  CHECK(run_cli({"queue", "--store", db, "retry", "LRMS-2026-004217"}).out ==
        "{\"local_id\":\"LRMS-2026-004217\",\"requeued\":0}\n");
  // Its create was never attempted: the withdrawal cancels it and sends nothing.
  Run withdrawn = run_cli({"withdraw", "--store", db, "LRMS-2026-004217"});
  CHECK(withdrawn.out.find("\"state\":\"withdrawn\"") != std::string::npos);
  CHECK(withdrawn.out.find("\"operation\":null") != std::string::npos);
  CHECK(run_cli({"queue", "--store", db, "fly"}).exit_code == 2);
  CHECK(run_cli({"record", event}).exit_code == 2);  // no --store
}

TEST_CASE("store: an encrypted store needs its key, from a file or the environment, never a flag") {
  std::string db = (scratch() / "sealed.db").string();
  fs::remove(db);
  fs::path key = write("store.key", std::string(64, 'a') + "\n");
  Run rec = run_cli({"record", "--store", db, "--key-file", key.string(), "--now", kNow,
                     example("v5-05-risk.json")});
  CHECK(rec.exit_code == 0);
  Run without = run_cli({"queue", "--store", db, "status"});
  CHECK(without.exit_code == 6);
  CHECK(one_error(without, "queue"));
  CHECK(contains(without.err, "encrypted"));
  fs::path other = write("other.key", std::string(64, 'b'));
  Run wrong = run_cli({"queue", "--store", db, "--key-file", other.string(), "status"});
  CHECK(wrong.exit_code == 6);
  CHECK(one_error(wrong, "queue"));
  CHECK(contains(wrong.err, "wrong key"));
  setenv("LFPSE_STORE_KEY", std::string(64, 'a').c_str(), 1);
  CHECK(run_cli({"queue", "--store", db, "status"}).exit_code == 0);
  unsetenv("LFPSE_STORE_KEY");
  CHECK(run_cli({"queue", "--store", db, "--key", std::string(64, 'a'), "status"}).exit_code == 2);
  fs::path short_key = write("short.key", "abcd");
  Run bad_key = run_cli({"queue", "--store", db, "--key-file", short_key.string(), "status"});
  CHECK(bad_key.exit_code == 2);
  CHECK(one_error(bad_key, "queue"));
}

TEST_CASE("store: every refusal has its exit code and one line naming the command") {
  std::string db = (scratch() / "codes.db").string();
  fs::remove(db);
  std::string event = example("v5-01-incident-medication.json");
  std::string other = example("v5-05-risk.json");
  REQUIRE(run_cli({"record", "--store", db, "--now", kNow, event}).exit_code == 0);
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string command;
  };
  const std::vector<Case> cases = {
      {{"record", "--store", db, "--now", kNow, event}, 5, "record"},  // already recorded
      {{"update", "--store", db, "--now", kNow, other}, 4, "update"},  // never recorded
      {{"withdraw", "--store", db, "nobody"}, 4, "withdraw"},
      {{"queue", "--store", db, "retry", "nobody"}, 4, "queue"},
      {{"queue", "--store", db, "list", "flying"}, 2, "queue"},
      {{"queue", "--store", db, "fly"}, 2, "queue"},
      {{"queue", "--store", db, "status", "extra"}, 2, "queue"},
      {{"queue", "--store", db}, 2, "queue"},
      {{"record", "--store", db, "--now", kNow, "/nonexistent.json"}, 6, "record"},
      {{"queue", "--store", "/nonexistent-dir/x.db", "status"}, 6, "queue"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    Run r = run_cli(c.args);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.out.empty());
    CHECK(one_error(r, c.command));
  }
  // one wording for an unknown event, whichever call found it missing
  CHECK(run_cli({"withdraw", "--store", db, "nobody"}).err ==
        "lfpse withdraw: no event with local_id nobody\n");
  CHECK(run_cli({"queue", "--store", db, "retry", "nobody"}).err ==
        "lfpse queue: no event with local_id nobody\n");
  CHECK(run_cli({"queue", "--store", db, "show", "nobody"}).err ==
        "lfpse queue: no event with local_id nobody\n");
  CHECK(run_cli({"update", "--store", db, "--now", kNow, other}).err ==
        "lfpse update: no event with local_id LRMS-2026-004300\n");
  REQUIRE(run_cli({"withdraw", "--store", db, "LRMS-2026-004217"}).exit_code == 0);
  Run again = run_cli({"withdraw", "--store", db, "LRMS-2026-004217"});
  CHECK(again.exit_code == 5);  // already withdrawn
  CHECK(one_error(again, "withdraw"));
  Run withdrawn = run_cli({"update", "--store", db, "--now", kNow, event});
  CHECK(withdrawn.exit_code == 5);
  fs::path junk = write("junk.db", std::string(8192, 'x'));
  Run corrupt = run_cli({"queue", "--store", junk.string(), "status"});
  CHECK(corrupt.exit_code == 6);
  CHECK(one_error(corrupt, "queue"));
}

namespace {

// A copy of `db` in a folder of its own, then file and folder made read-only (0444, 0555).
fs::path read_only_copy(const std::string& db, const std::string& name) {
  fs::path dir = scratch() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path copy = dir / "store.db";
  fs::copy_file(db, copy);
  chmod(copy.c_str(), 0444);
  chmod(dir.c_str(), 0555);
  return copy;
}

}  // namespace

TEST_CASE("read-only: queue --read-only inspects a copy whose file and folder are not writable") {
  std::string db = (scratch() / "inspected.db").string();
  fs::remove(db);
  REQUIRE(
      run_cli({"record", "--store", db, "--now", kNow, example("v5-01-incident-medication.json")})
          .exit_code == 0);
  REQUIRE(run_cli({"record", "--store", db, "--draft", "--now", kNow,
                   example("invalid-01-required.json")})
              .exit_code == 0);
  Run status = run_cli({"queue", "--store", db, "status"});
  Run list = run_cli({"queue", "--store", db, "list", "draft"});
  Run show = run_cli({"queue", "--store", db, "show", "LRMS-2026-004217"});
  Run dead = run_cli({"queue", "--store", db, "dead"});
  Run exported = run_cli({"queue", "--store", db, "export"});
  fs::path copy = read_only_copy(db, "read-only");
  std::string before = slurp(copy);
  RunOptions nobody;
  nobody.as_nobody = true;  // root could write anyway: run as a user the permissions bind
  std::vector<std::string> ro = {"queue", "--read-only", "--store", copy.string()};
  auto with = [&](std::vector<std::string> tail) {
    std::vector<std::string> args = ro;
    args.insert(args.end(), tail.begin(), tail.end());
    return args;
  };
  Run s = run_cli(with({"status"}), nobody);
  CHECK(s.exit_code == 0);
  CHECK(s.out == status.out);
  CHECK(contains(s.out, "\"draft\":1,\"queued\":1,"));
  CHECK(run_cli(with({"list", "draft"}), nobody).out == list.out);
  CHECK(run_cli(with({"show", "LRMS-2026-004217"}), nobody).out == show.out);
  CHECK(run_cli(with({"dead"}), nobody).out == dead.out);
  Run e = run_cli(with({"export"}), nobody);
  CHECK(e.exit_code == 0);
  CHECK(e.out == exported.out);
  CHECK(std::count(e.out.begin(), e.out.end(), '\n') == 2);
  CHECK(run_cli(with({"show", "nobody"}), nobody).exit_code == 4);
  // without --read-only the store cannot be opened there; retry never opens read-only
  Run writable = run_cli({"queue", "--store", copy.string(), "status"}, nobody);
  CHECK(writable.exit_code == 6);
  CHECK(one_error(writable, "queue"));
  CHECK(contains(writable.err, "read-only"));
  Run retry = run_cli(with({"retry", "LRMS-2026-004217"}), nobody);
  CHECK(retry.exit_code == 2);
  CHECK(retry.err ==
        "lfpse queue: --read-only is for status, list, show, dead and export (try lfpse help "
        "queue)\n");
  // nothing was written: the file is as it was and nothing lies beside it
  CHECK(slurp(copy) == before);
  CHECK(std::distance(fs::directory_iterator(copy.parent_path()), fs::directory_iterator()) == 1);
  chmod(copy.parent_path().c_str(), 0755);
}

TEST_CASE("read-only: a read-only store that is not there is not created") {
  fs::path missing = scratch() / "never.db";
  fs::remove(missing);
  Run r = run_cli({"queue", "--read-only", "--store", missing.string(), "status"});
  CHECK(r.exit_code == 6);
  CHECK(one_error(r, "queue"));
  CHECK_FALSE(fs::exists(missing));
}
