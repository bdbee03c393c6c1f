// Hostile and broken input: each a clear error, the server up, nothing stored.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "harness.hpp"
#include "raw_socket.hpp"

using namespace lfpse::server::test;

namespace {
const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

void check_nothing_stored(ServerProcess& s) {
  auto feed = s.client().Get(kAE + "/_history", auth(s.orgs[0].api_key));
  REQUIRE(feed);
  CHECK(feed->status == 200);
  CHECK(json_size(feed->body, "/entry") == 0);
}
}  // namespace

TEST_CASE("bad input: malformed bodies are 400 with an OperationOutcome") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"malformed JSON", "{\"resourceType\":"},
      {"trailing text", "{\"resourceType\":\"AdverseEvent\"} x"},
      {"an array", "[]"},
      {"wrong resource type", "{\"resourceType\":\"Observation\"}"},
      {"resourceType not a string", "{\"resourceType\":7}"},
      {"duplicate members",
       "{\"resourceType\":\"AdverseEvent\",\"resourceType\":\"AdverseEvent\"}"},
      {"invalid UTF-8", std::string("{\"resourceType\":\"AdverseEvent\",\"x\":\"\xff\xfe\"}")},
      {"NaN", "{\"resourceType\":\"AdverseEvent\",\"x\":NaN}"},
      {"100,000-deep nesting", std::string(100000, '[') + std::string(100000, ']')},
      {"65-deep nesting", "{\"resourceType\":\"AdverseEvent\",\"x\":" + std::string(64, '[') +
                              std::string(64, ']') + "}"},
  };
  for (const auto& item : bodies) {
    // Not a structured binding: clang 14 cannot capture one in INFO's lambda.
    const std::string& what = item.first;
    const std::string& body = item.second;
    INFO(what);
    auto r = c.Post(kAE, auth_key(key, new_key()), body, kFhir);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json_str(r->body, "/resourceType") == "OperationOutcome");
    CHECK(json_str(r->body, "/issue/0/code") == "invalid");
  }
  // Wrong types of the right resource are 422 (the mapping cannot read them), not a crash.
  auto r = c.Post(kAE, auth_key(key, new_key()),
                  "{\"resourceType\":\"AdverseEvent\",\"extension\":7}", kFhir);
  REQUIRE(r);
  CHECK((r->status == 422 || r->status == 400));
  check_nothing_stored(s);
}

TEST_CASE("bad input: a 10 MB body is 413 and the server stays up") {
  ServerProcess s;
  auto c = s.client();
  std::string big(10u << 20, 'x');
  auto r = c.Post(kAE, auth_key(s.orgs[0].api_key, new_key()), big, kFhir);
  // The server may answer before reading it all; either a 413 or a closed connection.
  if (r) {
    CHECK(r->status == 413);
  }
  CHECK(s.client().Get("/adverse-event/fhir/metadata")->status == 200);
  check_nothing_stored(s);
}

TEST_CASE("bad input: header injection and huge headers are refused without harm") {
  ServerProcess s;
  // A key smuggled after a bare CR inside another header's value does not authenticate.
  int fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  raw_send(fd, "GET /taxonomy HTTP/1.1\r\nHost: x\r\nX-Evil: a\rOcp-Apim-Subscription-Key: " +
                   s.orgs[0].api_key + "\r\nConnection: close\r\n\r\n");
  std::string answer = raw_read_all(fd, 3000);
  close(fd);
  CHECK((answer.rfind("HTTP/1.1 401", 0) == 0 || answer.rfind("HTTP/1.1 400", 0) == 0));
  // A request line with CR LF injected into the path is not a request for the admin API.
  fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  raw_send(fd,
           "GET /taxonomy%0d%0aX-Admin:%201 HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: " +
               s.orgs[0].api_key + "\r\nConnection: close\r\n\r\n");
  answer = raw_read_all(fd, 3000);
  close(fd);
  CHECK(answer.rfind("HTTP/1.1 404", 0) == 0);
  CHECK(answer.find("\r\nX-Admin") == std::string::npos);
  // Huge headers.
  fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  raw_send(fd, "GET /taxonomy HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
                   "\r\n\r\n");
  answer = raw_read_all(fd, 3000);
  close(fd);
  CHECK((answer.empty() || answer.rfind("HTTP/1.1 4", 0) == 0));
  // A forged Host does not reach the next links.
  auto c = s.client();
  auto r = c.Get(kAE + "/_history",
                 {{"Ocp-Apim-Subscription-Key", s.orgs[0].api_key}, {"Host", "evil\"><x"}});
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json_str(r->body, "/link/0/url").find("evil") == std::string::npos);
  CHECK(s.client().Get("/adverse-event/fhir/metadata")->status == 200);
  check_nothing_stored(s);
}

TEST_CASE("bad input: 200 slow-loris connections neither block others nor outlive the read limit") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--request-timeout", "3"});
  std::vector<int> fds;
  for (int i = 0; i < 200; ++i) {
    int fd = raw_connect(s.port);
    if (fd >= 0) {
      raw_send(fd, "POST /adverse-event/fhir/AdverseEvent HTTP/1.1\r\nHost: x\r\n");
      fds.push_back(fd);
    }
  }
  CHECK(fds.size() == 200);
  // Trickle a header line now and then so that no single read times out.
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    while (!stop) {
      for (int fd : fds) raw_send(fd, "X");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  // Others are served meanwhile.
  auto t0 = std::chrono::steady_clock::now();
  auto r = s.client().Get("/taxonomy", auth(s.orgs[0].api_key));
  CHECK(r);  // not REQUIRE: the trickle thread must be joined whatever happens
  CHECK((r && r->status == 200));
  // Slow connections hold no handler thread: it is answered at once.
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
  // Each is dropped within the request read limit (3 s).
  std::size_t closed = 0;
  for (int fd : fds) closed += raw_closed(fd, 6000) ? 1 : 0;
  stop = true;
  trickle.join();
  for (int fd : fds) close(fd);
  CHECK(closed == fds.size());
  CHECK(s.client().Get("/adverse-event/fhir/metadata")->status == 200);
  check_nothing_stored(s);
}

TEST_CASE("bad input: unknown paths and methods are 404 / 405 OperationOutcomes") {
  ServerProcess s;
  auto c = s.client();
  auto r = c.Get("/nope", auth(s.orgs[0].api_key));
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(json_str(r->body, "/resourceType") == "OperationOutcome");
  r = c.Patch(kAE + "/x", auth(s.orgs[0].api_key), "{}", kFhir);
  CHECK(r->status == 405);
}
