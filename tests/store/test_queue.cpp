// The queue: order per event, leases, failures, dead letters, coalescing, drafts.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "helpers.hpp"

using namespace lfpse::store;
using namespace store_test;
using lfpse::core::Error;
using lfpse::core::ErrorCode;

namespace {

std::unique_ptr<Store> open_store(const TempDir& dir, const ManualTime& t, bool coalesce = false) {
  StoreOptions o = with_taxonomies(t.options());
  o.coalesce_updates = coalesce;
  return Store::open(dir.file("lrms.db"), o);
}

Ack ack_for(const ClaimedOp& op, const std::string& version) {
  Ack a;
  a.national_id = op.national_id.value_or("N-" + op.local_id);
  a.version = version;
  a.reference = "REF-" + op.local_id;
  return a;
}

}  // namespace

TEST_CASE("queue: a recorded event is stored and its create queued with a UUIDv7 key") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  WriteResult r = s->record(event("E1"));
  REQUIRE(r.stored);
  CHECK(r.state == "queued");
  CHECK(r.op_kind == "create");
  CHECK(r.revision == 1);
  REQUIRE(r.idempotency_key.size() == 36);
  CHECK(r.idempotency_key[14] == '7');
  CHECK(
      s->status_json() ==
      R"({"draft":0,"queued":1,"sending":0,"acknowledged":0,"rejected":0,"conflict":0,"withdrawn":0,"withdrawal_pending":0})");
  auto shown = s->show_json("E1");
  REQUIRE(shown);
  CHECK(contains(*shown, "\"state\":\"queued\""));
  CHECK(contains(*shown, "\"national_id\":null"));
  CHECK(contains(*shown, "\"event\":{\"local_id\":\"E1\""));
  CHECK_FALSE(s->show_json("nope"));
}

TEST_CASE("queue: an invalid event is refused with its issues and nothing is stored") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  WriteResult r = s->record(invalid_event("BAD"));
  CHECK_FALSE(r.stored);
  CHECK_FALSE(r.validation.valid);
  CHECK(contains(r.json(), "\"required\""));
  CHECK_FALSE(s->show_json("BAD"));
  WriteResult junk = s->record("not json");
  CHECK_FALSE(junk.stored);
  CHECK(contains(junk.json(), "malformed"));
}

TEST_CASE("queue: a draft is stored, never queued, and recording it later queues the create") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  WriteResult d = s->record(invalid_event("D1"), true);
  REQUIRE(d.stored);
  CHECK(d.state == "draft");
  CHECK(d.op_id.empty());
  CHECK(s->claim_due(10, 1000).empty());
  WriteResult r = s->record(event("D1"));
  REQUIRE(r.stored);
  CHECK(r.op_kind == "create");
  CHECK(r.revision == 2);
  CHECK_THROWS_AS(s->record(event("D1")), Error);
}

TEST_CASE("queue: an update never overtakes its create, and operations leave in order") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("A"));
  WriteResult u1 = s->update(event("A", 2));
  WriteResult u2 = s->update(event("A", 3));
  s->record(event("B"));
  CHECK(u1.op_kind == "update");
  auto first = s->claim_due(10, 60000);
  REQUIRE(first.size() == 2);  // the heads of A and B only
  CHECK(first[0].local_id == "A");
  CHECK(first[0].kind == "create");
  CHECK(first[1].local_id == "B");
  CHECK(s->claim_due(10, 60000).empty());  // A's update waits for its create
  CHECK(s->complete(first[0].op_id, first[0].lease_token, ack_for(first[0], "1")));
  auto second = s->claim_due(10, 60000);
  REQUIRE(second.size() == 1);
  CHECK(second[0].op_id == u1.op_id);
  CHECK(second[0].national_id == std::optional<std::string>("N-A"));
  CHECK(second[0].national_version == std::optional<std::string>("1"));
  s->complete(second[0].op_id, second[0].lease_token, ack_for(second[0], "2"));
  auto third = s->claim_due(10, 60000);
  REQUIRE(third.size() == 1);
  CHECK(third[0].op_id == u2.op_id);
  CHECK(third[0].revision == 3);
}

TEST_CASE("queue: a retry sends the same key and the same body bytes") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("K"));
  auto a = s->claim_due(1, 1000);
  REQUIRE(a.size() == 1);
  CHECK(a[0].attempts == 1);
  CHECK(contains(a[0].body, "\"resourceType\":\"AdverseEvent\""));
  s->fail_transient(a[0].op_id, a[0].lease_token, *t.now + 5000, "HTTP 503");
  CHECK(s->claim_due(1, 1000).empty());  // not due yet
  t.advance(5000);
  auto b = s->claim_due(1, 1000);
  REQUIRE(b.size() == 1);
  CHECK(b[0].attempts == 2);
  CHECK(b[0].idempotency_key == a[0].idempotency_key);
  CHECK(b[0].body == a[0].body);
  CHECK(contains(*s->show_json("K"), "\"last_error\":\"HTTP 503\""));
}

TEST_CASE("queue: an expired lease comes back; the stale holder cannot fail it") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("L"));
  auto a = s->claim_due(5, 30000);
  REQUIRE(a.size() == 1);
  CHECK(contains(*s->show_json("L"), "\"state\":\"sending\""));
  t.advance(29999);
  CHECK(s->claim_due(5, 30000).empty());
  t.advance(1);
  auto b = s->claim_due(5, 30000);
  REQUIRE(b.size() == 1);
  CHECK(b[0].op_id == a[0].op_id);
  CHECK(b[0].lease_token != a[0].lease_token);
  CHECK_THROWS_AS(s->fail_transient(a[0].op_id, a[0].lease_token, 0, "late"), Error);
  // The server's answer counts whoever brings it; a second answer changes nothing.
  CHECK(s->complete(a[0].op_id, a[0].lease_token, ack_for(a[0], "1")));
  CHECK_FALSE(s->complete(b[0].op_id, b[0].lease_token, ack_for(b[0], "1")));
  CHECK(contains(*s->show_json("L"), "\"state\":\"acknowledged\""));
  CHECK(contains(*s->show_json("L"), "\"reference\":\"REF-L\""));
}

TEST_CASE("queue: a dead letter holds up only its own event, and retry requeues it as it was") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("X"));
  s->update(event("X", 2));
  s->record(event("Y"));
  auto a = s->claim_due(10, 1000);
  REQUIRE(a.size() == 2);
  const std::string outcome =
      R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid"}]})";
  s->fail_permanent(a[0].op_id, a[0].lease_token, "HTTP 422", outcome);
  s->complete(a[1].op_id, a[1].lease_token, ack_for(a[1], "1"));
  s->record(event("Z"));
  auto b = s->claim_due(10, 1000);
  REQUIRE(b.size() == 1);  // Z goes on; X's update waits behind its dead create
  CHECK(b[0].local_id == "Z");
  CHECK(contains(s->status_json(), "\"rejected\":1"));
  std::string dead = s->dead_letters_json();
  CHECK(contains(dead, "\"local_id\":\"X\""));
  CHECK(contains(dead, outcome));
  CHECK(contains(*s->show_json("X"), "\"outcome\":" + outcome));
  CHECK(s->retry("X") == 1);
  auto c = s->claim_due(10, 1000);
  REQUIRE(c.size() == 1);
  CHECK(c[0].op_id == a[0].op_id);
  CHECK(c[0].body == a[0].body);
  CHECK(s->dead_letters_json() == "[]");
  CHECK_THROWS_AS(s->retry("nobody"), Error);
}

TEST_CASE("queue: updating a rejected event queues a new create and drops the dead letter") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("R"));
  auto a = s->claim_due(1, 1000);
  s->fail_permanent(a[0].op_id, a[0].lease_token, "HTTP 422", "{}");
  WriteResult u = s->update(event("R", 2));
  CHECK(u.op_kind == "create");
  CHECK(u.state == "queued");
  CHECK(s->dead_letters_json() == "[]");
  auto b = s->claim_due(5, 1000);
  REQUIRE(b.size() == 1);
  CHECK(b[0].op_id == u.op_id);
}

TEST_CASE("queue: coalescing folds never-tried updates, never a create or a tried one") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t, true);
  WriteResult c = s->record(event("C"));
  s->update(event("C", 2));
  s->update(event("C", 3));
  WriteResult last = s->update(event("C", 4));
  auto shown = *s->show_json("C");
  CHECK(contains(shown, "\"state\":\"coalesced\""));
  auto a = s->claim_due(5, 1000);
  REQUIRE(a.size() == 1);
  CHECK(a[0].op_id == c.op_id);
  s->complete(a[0].op_id, a[0].lease_token, ack_for(a[0], "1"));
  auto b = s->claim_due(5, 1000);
  REQUIRE(b.size() == 1);
  CHECK(b[0].op_id == last.op_id);
  CHECK(contains(b[0].body, "Revision 4."));
  s->fail_transient(b[0].op_id, b[0].lease_token, 0, "timeout");
  WriteResult after = s->update(event("C", 5));  // the tried update stays
  auto c2 = s->claim_due(5, 1000);
  REQUIRE(c2.size() == 1);
  CHECK(c2[0].op_id == last.op_id);
  (void)after;
}

TEST_CASE("queue: without coalescing every revision is sent") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("V"));
  for (int i = 2; i <= 5; ++i) s->update(event("V", i));
  int sent = 0;
  for (;;) {
    auto a = s->claim_due(5, 1000);
    if (a.empty()) break;
    REQUIRE(a.size() == 1);
    CHECK(a[0].revision == sent + 1);
    s->complete(a[0].op_id, a[0].lease_token, ack_for(a[0], std::to_string(sent + 1)));
    ++sent;
  }
  CHECK(sent == 5);
}

TEST_CASE(
    "queue: withdrawing queues a DELETE after the create; a never-queued draft goes locally") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("W"));
  WriteResult w = s->withdraw("W");
  CHECK(w.op_kind == "withdraw");
  CHECK_THROWS_AS(s->withdraw("W"), Error);
  CHECK_THROWS_AS(s->update(event("W", 2)), Error);
  auto a = s->claim_due(5, 1000);
  s->complete(a[0].op_id, a[0].lease_token, ack_for(a[0], "1"));
  auto b = s->claim_due(5, 1000);
  REQUIRE(b.size() == 1);
  CHECK(b[0].kind == "withdraw");
  CHECK(b[0].body.empty());
  Ack gone;
  gone.version = "2";
  s->complete(b[0].op_id, b[0].lease_token, gone);
  CHECK(contains(*s->show_json("W"), "\"state\":\"withdrawn\""));
  s->record(invalid_event("DR"), true);
  WriteResult local = s->withdraw("DR");
  CHECK(local.op_id.empty());
  CHECK(local.state == "withdrawn");
  CHECK_THROWS_AS(s->withdraw("unknown"), Error);
  CHECK_THROWS_AS(s->update(event("unknown")), Error);
}

TEST_CASE("queue: queries list by state, changes since an instant, and export lines") {
  TempDir dir;
  ManualTime t;
  auto s = open_store(dir, t);
  s->record(event("Q1"));
  t.advance(1000);
  int64_t mid = *t.now;
  s->record(event("Q2"));
  s->record(invalid_event("Q3"), true);
  CHECK(contains(s->list_json("draft"), "\"local_id\":\"Q3\""));
  CHECK_FALSE(contains(s->list_json("draft"), "\"Q1\""));
  CHECK_THROWS_AS(s->list_json(std::string_view("bogus")), Error);
  std::string since = s->changed_since_json(mid);
  CHECK_FALSE(contains(since, "\"Q1\""));
  CHECK(contains(since, "\"Q2\""));
  int lines = 0;
  s->export_lines([&](const std::string& l) {
    ++lines;
    CHECK(l.front() == '{');
  });
  CHECK(lines == 3);
}
