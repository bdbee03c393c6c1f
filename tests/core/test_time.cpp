#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"

using namespace lfpse::core;

TEST_CASE("time: dates, year-months and times are read strictly") {
  CHECK(parse_date("2024-02-29"));
  CHECK_FALSE(parse_date("2026-02-29"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("2026-1-01"));
  CHECK_FALSE(parse_date("2026-01-01T"));
  CHECK(parse_yearmonth("2026-11"));
  CHECK_FALSE(parse_yearmonth("2026-00"));
  CHECK(is_valid_time_hhmm("23:59"));
  CHECK_FALSE(is_valid_time_hhmm("24:00"));
  CHECK_FALSE(is_valid_time_hhmm("9:30"));
}

TEST_CASE("time: date-times follow RFC 3339 as FHIR writes them") {
  CHECK(parse_datetime("2026-11-26T12:00:00Z") == 1795694400000);
  CHECK(parse_datetime("2026-11-26T13:00:00+01:00") == 1795694400000);
  CHECK(parse_datetime("2026-11-26T12:00:00.123456Z") == 1795694400123);
  CHECK(parse_datetime("2016-12-31T23:59:60Z"));
  CHECK_FALSE(parse_datetime("2026-11-26t12:00:00Z"));
  CHECK_FALSE(parse_datetime("2026-11-26T12:00:00z"));
  CHECK_FALSE(parse_datetime("2026-11-26T12:00Z"));
  CHECK_FALSE(parse_datetime("2026-11-26T12:00:00"));
  CHECK_FALSE(parse_datetime("2026-11-26T12:00:00.Z"));
  CHECK_FALSE(parse_datetime("2026-11-26T12:00:00+0100"));
}

TEST_CASE("time: the UK civil date follows British Summer Time changes at 01:00 UTC") {
  auto date = [](const char* s) { return uk_civil_date(*parse_datetime(s)); };
  CHECK(date("2026-07-01T23:30:00Z").day == 2);   // 00:30 BST on 2 July
  CHECK(date("2026-12-01T23:30:00Z").day == 1);   // GMT in winter
  CHECK(date("2026-03-29T00:59:59Z").day == 29);  // before the change: GMT
  CHECK(date("2026-03-28T23:30:00Z").day == 28);
  CHECK(date("2026-10-24T23:30:00Z").day == 25);  // still BST on Saturday night
  CHECK(date("2026-10-25T23:30:00Z").day == 25);  // GMT again after 01:00 UTC on the 25th
  CHECK(format_rfc3339_ms(1795694400123) == "2026-11-26T12:00:00.123Z");
}

TEST_CASE("ids: UUIDv7 values are well formed and sort in creation order") {
  std::string previous;
  for (int i = 0; i < 1000; ++i) {
    std::string id = uuid_v7(1795694400000);
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '7');
    CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
    CHECK(id > previous);
    previous = id;
  }
}

TEST_CASE("ids: a forked child does not repeat its parent's random bits") {
  // Ids are made from a pool of random bytes; a child that kept the parent's pool would make,
  // in the same millisecond, exactly the id the parent makes next.
  const UnixMillis ms = 1795694500000;
  uuid_v7(ms - 1);  // the pool is filled and partly used
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::string id = uuid_v7(ms);
    ssize_t wrote = write(fds[1], id.data(), id.size());
    _exit(wrote == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string theirs(36, '\0');
  ssize_t got = read(fds[0], theirs.data(), theirs.size());
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(got == 36);
  CHECK(WIFEXITED(status));
  std::string ours = uuid_v7(ms);
  CHECK(ours.substr(0, 13) == theirs.substr(0, 13));  // the same millisecond
  CHECK(ours != theirs);
}
