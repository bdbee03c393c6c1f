// HTTP/1.1 as RFC 9112 has it: pipelined requests answered in order, a half-closed client
// answered, HEAD wherever GET is, Expect: 100-continue; and access-log lines that a request
// cannot forge.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.hpp"
#include "raw_socket.hpp"

using namespace lfpse::server::test;

namespace {

const char* kFhir = "application/fhir+json";
const std::string kAE = "/adverse-event/fhir/AdverseEvent";

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("http/1.1: pipelined requests are each answered, in the order sent") {
  ServerProcess s;
  int fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  const std::string key = "Ocp-Apim-Subscription-Key: " + s.orgs[0].api_key + "\r\n";
  raw_send(fd,
           "GET /adverse-event/fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n"
           "GET /taxonomy HTTP/1.1\r\nHost: x\r\n" +
               key +
               "\r\n"
               "GET /nope HTTP/1.1\r\nHost: x\r\n" +
               key + "Connection: close\r\n\r\n");
  std::string all = raw_read_all(fd, 5000);
  close(fd);
  CHECK(count_of(all, "HTTP/1.1 ") == 3);
  std::size_t first = all.find("CapabilityStatement");
  std::size_t second = all.find("HTTP/1.1 200", 1);
  std::size_t third = all.find("HTTP/1.1 404");
  CHECK(all.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(first < second);
  CHECK(second != std::string::npos);
  CHECK(third != std::string::npos);
  CHECK(second < third);
}

TEST_CASE("http/1.1: a client that half-closes after its request still gets the answer") {
  ServerProcess s;
  int fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  raw_send(fd, "GET /adverse-event/fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n");
  shutdown(fd, SHUT_WR);
  std::string all = raw_read_all(fd, 5000);
  close(fd);
  CHECK(all.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(all.find("CapabilityStatement") != std::string::npos);
  // A create too: it is stored and acknowledged.
  fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  std::string body = example_fhir("v5-05-risk", "RJ1", "HALF-CLOSE");
  raw_send(fd, "POST " + kAE + " HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: " +
                   s.orgs[0].api_key + "\r\nIdempotency-Key: " + new_key() +
                   "\r\nContent-Type: application/fhir+json\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body);
  shutdown(fd, SHUT_WR);
  all = raw_read_all(fd, 5000);
  close(fd);
  CHECK(all.rfind("HTTP/1.1 201", 0) == 0);
}

TEST_CASE("http/1.1: HEAD is answered wherever GET is, with GET's headers and no body") {
  ServerProcess s;
  auto c = s.client();
  const std::string key = s.orgs[0].api_key;
  auto created =
      c.Post(kAE, auth_key(key, new_key()), example_fhir("v5-05-risk", "RJ1", "HEAD-1"), kFhir);
  REQUIRE(created);
  REQUIRE(created->status == 201);
  std::string id = json_str(created->body, "/id");
  for (const std::string& path :
       {std::string("/adverse-event/fhir/metadata"), kAE + "/" + id, kAE + "/" + id + "/_history/1",
        kAE + "/_history", std::string("/taxonomy"), std::string("/taxonomy/5")}) {
    INFO(path);
    auto get = c.Get(path, auth(key));
    auto head = c.Head(path, auth(key));
    REQUIRE(get);
    REQUIRE(head);
    CHECK(get->status == 200);
    CHECK(head->status == 200);
    CHECK(head->body.empty());
    CHECK(head->get_header_value("Content-Length") == std::to_string(get->body.size()));
    CHECK(head->get_header_value("Content-Type") == get->get_header_value("Content-Type"));
    CHECK(head->get_header_value("ETag") == get->get_header_value("ETag"));
  }
  // Where GET is not offered, neither is HEAD; where it is, Allow names both.
  auto head = c.Head(kAE, auth(key));
  REQUIRE(head);
  CHECK(head->status == 405);
  auto del = c.Delete("/adverse-event/fhir/metadata", auth(key));
  REQUIRE(del);
  CHECK(del->status == 405);
  CHECK(del->get_header_value("Allow") == "GET, HEAD");
}

TEST_CASE("http/1.1: Expect: 100-continue is answered before the body is sent") {
  ServerProcess s;
  int fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  std::string body = example_fhir("v5-05-risk", "RJ1", "EXPECT-1");
  raw_send(fd, "POST " + kAE + " HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: " +
                   s.orgs[0].api_key + "\r\nIdempotency-Key: " + new_key() +
                   "\r\nContent-Type: application/fhir+json\r\nExpect: 100-continue\r\n"
                   "Content-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n");
  CHECK(raw_read_answer(fd, 3000) == "HTTP/1.1 100 Continue\r\n\r\n");
  raw_send(fd, body);
  CHECK(raw_read_answer(fd, 5000).rfind("HTTP/1.1 201", 0) == 0);
  close(fd);
}

TEST_CASE("http/1.1: a path with encoded line breaks cannot forge an access-log line") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--log-level", "info"});
  int fd = raw_connect(s.port);
  REQUIRE(fd >= 0);
  raw_send(fd,
           "GET /x%0d%0a2026-01-01T00:00:00.000Z%20info%20access%20forged%0a HTTP/1.1\r\n"
           "Host: x\r\nConnection: close\r\n\r\n");
  CHECK(raw_read_all(fd, 5000).rfind("HTTP/1.1 401", 0) == 0);
  close(fd);
  REQUIRE(s.stop() == 0);
  std::string log = read_text(s.dir + "/stderr.log");
  CHECK(log.find("\naccess") == std::string::npos);
  CHECK(log.find("\n2026-01-01") == std::string::npos);
  CHECK(log.find(" access GET /x\\x0d\\x0a2026-01-01T00:00:00.000Z\\x20info") != std::string::npos);
}
