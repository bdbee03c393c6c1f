// Withdrawals: what never left is cancelled, what may have left is withdrawn behind it; store
// paths are files; claims say whose event they carry.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "helpers.hpp"

using namespace lfpse::store;
using namespace store_test;
using lfpse::core::Error;
using lfpse::core::ErrorCode;

namespace {

std::unique_ptr<Store> open_store(const TempDir& dir, const ManualTime& t) {
  return Store::open(dir.file("lrms.db"), with_taxonomies(t.options()));
}

ErrorCode open_error(const std::string& path) {
  try {
    Store::open(path, with_taxonomies({}));
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("the store opened: ", path);
  return ErrorCode::Internal;
}

}  // namespace

TEST_CASE("withdraw: a create never attempted is cancelled and nothing is ever sent") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W1"));
  s->update(event("W1", 2));  // an update queued behind the create: never attempted either
  WriteResult w = s->withdraw("W1");
  CHECK(w.state == "withdrawn");
  CHECK(w.op_kind.empty());
  CHECK(s->claim_due(10, 60000).empty());
  std::string shown = *s->show_json("W1");
  CHECK(contains(shown, R"("state":"withdrawn","withdrawal_pending":false,"national_id":null)"));
  CHECK(contains(shown, R"("kind":"create","revision":1)"));
  CHECK(!contains(shown, R"("state":"queued")"));
  CHECK(contains(s->status_json(), R"("withdrawn":1,"withdrawal_pending":0)"));
}

TEST_CASE("withdraw: a create attempted with no answer is followed by the withdrawal") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W2"));
  auto claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  s->fail_transient(claimed[0].op_id, claimed[0].lease_token, t.now->load(), "timeout");
  s->update(event("W2", 2));  // never attempted: cancelled by the withdrawal
  WriteResult w = s->withdraw("W2");
  CHECK(w.op_kind == "withdraw");
  CHECK(w.state == "queued");
  CHECK(contains(*s->show_json("W2"), R"("state":"queued","withdrawal_pending":true)"));
  CHECK(contains(s->list_json(), R"("local_id":"W2","state":"queued","withdrawal_pending":true)"));
  CHECK(contains(s->status_json(), R"("withdrawal_pending":1)"));

  // The create goes again (it may have reached the service), then the DELETE, never the update.
  claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].kind == "create");
  CHECK(claimed[0].attempts == 2);
  Ack ack;
  ack.national_id = "N-W2";
  ack.version = "1";
  s->complete(claimed[0].op_id, claimed[0].lease_token, ack);
  claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].kind == "withdraw");
  CHECK(claimed[0].national_id == std::optional<std::string>("N-W2"));
  ack.version = "2";
  s->complete(claimed[0].op_id, claimed[0].lease_token, ack);
  CHECK(s->claim_due(10, 60000).empty());
  CHECK(contains(*s->show_json("W2"), R"("state":"withdrawn","withdrawal_pending":false)"));
}

TEST_CASE("withdraw: a create in flight is followed by the withdrawal") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W3"));
  auto claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  WriteResult w = s->withdraw("W3");
  CHECK(w.op_kind == "withdraw");
  CHECK(w.state == "sending");
  CHECK(contains(*s->show_json("W3"), R"("withdrawal_pending":true)"));
}

TEST_CASE("withdraw: an acknowledged event's untried update is cancelled, the DELETE queued") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W4"));
  auto claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  Ack ack;
  ack.national_id = "N-W4";
  ack.version = "1";
  s->complete(claimed[0].op_id, claimed[0].lease_token, ack);
  s->update(event("W4", 2));
  WriteResult w = s->withdraw("W4");
  CHECK(w.op_kind == "withdraw");
  claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].kind == "withdraw");
  CHECK(claimed[0].national_version == std::optional<std::string>("1"));
}

TEST_CASE("store path: empty, in-memory and URI paths are refused as invalid") {
  CHECK(open_error("") == ErrorCode::Invalid);
  CHECK(open_error(":memory:") == ErrorCode::Invalid);
  CHECK(open_error("file:lrms.db") == ErrorCode::Invalid);
  CHECK(open_error("file:lrms.db?mode=memory") == ErrorCode::Invalid);
}

TEST_CASE("store path: a missing folder is an I/O error that gives the OS's reason") {
  TempDir dir;
  std::string path = dir.file("missing/lrms.db");
  try {
    Store::open(path, with_taxonomies({}));
    FAIL("opened a store in a missing folder");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::Io);
    CHECK(contains(e.what(), "No such file or directory"));
    CHECK(contains(e.what(), dir.file("missing")));
  }
  CHECK(!fs::exists(dir.file("missing")));
  // A folder on the way that does not exist either.
  CHECK(open_error(dir.file("lrms.db") + "/x.db") == ErrorCode::Io);
}

TEST_CASE("claim: each operation carries the organisation of its event") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  std::string other = event("O2");
  replace_all(other, "\"organisation\": \"RJ1\"", "\"organisation\": \"RQM\"");
  REQUIRE(contains(other, "\"RQM\""));
  s->record(event("O1"));
  s->record(other);
  auto claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 2);
  for (const ClaimedOp& op : claimed)
    CHECK(op.organisation == std::optional<std::string>(op.local_id == "O1" ? "RJ1" : "RQM"));
}

TEST_CASE("withdraw: a create refused for good after the withdrawal leaves nothing to send") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W5"));
  auto claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  CHECK(s->withdraw("W5").op_kind == "withdraw");
  s->fail_permanent(claimed[0].op_id, claimed[0].lease_token, "422", "");
  std::string shown = *s->show_json("W5");
  CHECK(contains(shown, R"("state":"withdrawn","withdrawal_pending":false,"national_id":null)"));
  CHECK(contains(shown, R"("last_error":"422")"));
  CHECK(s->dead_letters_json() == "[]");
  CHECK(s->retry("W5") == 0);
  CHECK(s->claim_due(10, 60000).empty());
}

TEST_CASE("withdraw: an update refused for good does not hold up the withdrawal behind it") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W6"));
  auto claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  Ack ack;
  ack.national_id = "N-W6";
  ack.version = "1";
  s->complete(claimed[0].op_id, claimed[0].lease_token, ack);
  s->update(event("W6", 2));
  claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  CHECK(s->withdraw("W6").op_kind == "withdraw");  // the update is in flight: it stays
  s->fail_permanent(claimed[0].op_id, claimed[0].lease_token, "422", "");
  CHECK(s->retry("W6") == 0);
  claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].kind == "withdraw");
  CHECK(claimed[0].national_id == std::optional<std::string>("N-W6"));
}

TEST_CASE("withdraw: a conflict on the create after the withdrawal stays for the LRMS to resolve") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W7"));
  auto claimed = s->claim_due(10, 60000);
  REQUIRE(claimed.size() == 1);
  s->withdraw("W7");
  s->fail_permanent(claimed[0].op_id, claimed[0].lease_token, "409", "", true);
  CHECK(contains(*s->show_json("W7"), R"("state":"conflict","withdrawal_pending":true)"));
  CHECK(contains(s->dead_letters_json(), R"("local_id":"W7")"));
}
