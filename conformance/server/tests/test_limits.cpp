// Each limit of the HTTP layer, at its default or set by its flag, against the real process.
#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "harness.hpp"
#include "probe.hpp"
#include "raw_socket.hpp"

using namespace lfpse::server::test;

namespace {

const std::string kMeta = "GET /adverse-event/fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n";

// Sends `request` on a new connection and returns the answer's status ("" when none).
std::string status_for(int port, const std::string& request) {
  int fd = raw_connect(port);
  if (fd < 0) return "no connection";
  raw_send(fd, request);
  std::string answer = raw_read_answer(fd, 5000);
  close(fd);
  return answer.rfind("HTTP/1.1 ", 0) == 0 ? answer.substr(9, 3) : std::string();
}

std::string post(const ServerProcess& s, const std::string& framing, const std::string& body) {
  return "POST /adverse-event/fhir/AdverseEvent HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         "Ocp-Apim-Subscription-Key: " +
         s.orgs[0].api_key + "\r\nIdempotency-Key: " + new_key() +
         "\r\nContent-Type: application/fhir+json\r\n" + framing + "\r\n" + body;
}

std::string headers(int count, std::size_t value_bytes) {
  std::string out;
  for (int i = 0; i < count; ++i)
    out += "X-" + std::to_string(i) + ": " + std::string(value_bytes, 'v') + "\r\n";
  return out;
}

// Still connected: nothing to read and no close within a moment.
bool open_now(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 50) == 0;
}

// How many of `fds` are still connected, at one look.
std::size_t count_open(const std::vector<int>& fds) {
  std::vector<pollfd> polls;
  for (int fd : fds) polls.push_back({fd, POLLIN, 0});
  int ready = poll(polls.data(), polls.size(), 50);
  return ready < 0 ? 0 : fds.size() - static_cast<std::size_t>(ready);
}

}  // namespace

TEST_CASE("limits: header bytes over --max-header-bytes are 431") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--max-header-bytes", "4096"});
  CHECK(status_for(s.port, kMeta + headers(1, 3000) + "\r\n") == "200");
  CHECK(status_for(s.port, kMeta + headers(1, 5000) + "\r\n") == "431");
  ServerProcess d;  // the default, 16 KiB
  CHECK(status_for(d.port, kMeta + headers(10, 1000) + "\r\n") == "200");
  CHECK(status_for(d.port, kMeta + headers(20, 1000) + "\r\n") == "431");
}

TEST_CASE("limits: more header fields than --max-header-count are 431") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--max-header-count", "10"});
  CHECK(status_for(s.port, kMeta + headers(8, 1) + "\r\n") == "200");  // with Host: 9
  CHECK(status_for(s.port, kMeta + headers(10, 1) + "\r\n") == "431");
  ServerProcess d;  // the default, 100
  CHECK(status_for(d.port, kMeta + headers(90, 1) + "\r\n") == "200");
  CHECK(status_for(d.port, kMeta + headers(120, 1) + "\r\n") == "431");
}

TEST_CASE("limits: a body over --max-body-bytes is 413 with Content-Length and chunked alike") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--max-body-bytes", "1000"});
  std::string big(2000, 'a');
  CHECK(status_for(s.port, post(s, "Content-Length: 2000\r\n", big)) == "413");
  CHECK(status_for(s.port, post(s, "Transfer-Encoding: chunked\r\n",
                                "7d0\r\n" + big + "\r\n0\r\n\r\n")) == "413");
  // Under the limit the handlers read it (it is no event: 400).
  CHECK(status_for(s.port, post(s, "Transfer-Encoding: chunked\r\n", "3\r\n{}x\r\n0\r\n\r\n")) ==
        "400");
  // The default is API.md's 1 MiB, chunked too.
  ServerProcess d;
  std::string mib(1u << 20, 'a');
  CHECK(status_for(d.port, post(d, "Transfer-Encoding: chunked\r\n",
                                "100000\r\n" + mib + "\r\n1\r\na\r\n0\r\n\r\n")) == "413");
}

TEST_CASE("limits: a body without Content-Length or chunked framing is 411") {
  ServerProcess s;
  CHECK(status_for(s.port, post(s, "", "{}")) == "411");
  // A GET needs none.
  CHECK(status_for(s.port, kMeta + "\r\n") == "200");
}

TEST_CASE("limits: a request Content-Encoding is 415 and an unknown Transfer-Encoding 501") {
  ServerProcess s;
  CHECK(status_for(s.port, post(s, "Content-Encoding: gzip\r\nContent-Length: 2\r\n", "{}")) ==
        "415");
  CHECK(status_for(s.port, post(s, "Content-Encoding: br\r\nContent-Length: 2\r\n", "{}")) ==
        "415");
  CHECK(status_for(s.port, post(s, "Content-Encoding: identity\r\nContent-Length: 2\r\n", "{}")) ==
        "400");
  CHECK(status_for(s.port, post(s, "Transfer-Encoding: gzip, chunked\r\n",
                                "2\r\n{}\r\n0\r\n\r\n")) == "501");
  CHECK(status_for(s.port, post(s, "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n",
                                "2\r\n{}\r\n0\r\n\r\n")) == "400");
}

TEST_CASE("limits: at --max-connections-per-peer the peer's longest-idle connection makes room") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--max-connections-per-peer", "4"});
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(raw_connect(s.port));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // an order of idleness
  }
  CHECK(status_for(s.port, kMeta + "\r\n") == "200");
  CHECK(raw_closed(idle[0], 2000));  // the oldest made room
  for (std::size_t i = 1; i < idle.size(); ++i) CHECK(open_now(idle[i]));
  for (int fd : idle) close(fd);
}

TEST_CASE("limits: when every connection of a peer is busy, its next one is refused") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--max-connections-per-peer", "4"});
  std::vector<int> busy;
  for (int i = 0; i < 4; ++i) {
    busy.push_back(raw_connect(s.port));
    raw_send(busy.back(), "GET /adverse-event/fhir/metadata HTTP/1.1\r\n");  // half a request
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(status_for(s.port, kMeta + "\r\n").empty());
  // Another address is another peer.
  int other = raw_connect(s.port, "127.0.0.2");
  REQUIRE(other >= 0);
  raw_send(other, kMeta + "\r\n");
  CHECK(raw_read_answer(other, 5000).rfind("HTTP/1.1 200", 0) == 0);
  close(other);
  // The busy ones are still served.
  raw_send(busy[0], "Host: 127.0.0.1\r\n\r\n");
  CHECK(raw_read_answer(busy[0], 5000).rfind("HTTP/1.1 200", 0) == 0);
  for (int fd : busy) close(fd);
}

TEST_CASE("limits: --max-connections bounds all peers together") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--max-connections", "3"});
  std::vector<int> busy;
  for (const char* from : {"127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
    busy.push_back(raw_connect(s.port, from));
    raw_send(busy.back(), "GET /adverse-event/fhir/metadata HTTP/1.1\r\n");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(status_for(s.port, kMeta + "\r\n").empty());
  close(busy[2]);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(status_for(s.port, kMeta + "\r\n") == "200");
  for (std::size_t i = 0; i < 2; ++i) close(busy[i]);
}

TEST_CASE("limits: an idle connection closes after --keep-alive seconds") {
  ServerProcess s(std::string(), {"--no-rate-limit", "--keep-alive", "1"});
  int fresh = raw_connect(s.port);  // never sends
  int used = raw_connect(s.port);   // idle after one answer
  raw_send(used, kMeta + "\r\n");
  CHECK(raw_read_answer(used, 5000).rfind("HTTP/1.1 200", 0) == 0);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(raw_closed(fresh, 3000));
  CHECK(raw_closed(used, 3000));
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(500));
  close(fresh);
  close(used);
}

TEST_CASE("limits: --threads and --io-threads fix the server's threads, whatever the connections") {
  want_open_files(4096);
  ServerProcess s(std::string(), {"--no-rate-limit", "--threads", "8", "--io-threads", "2",
                                  "--max-connections-per-peer", "2000", "--keep-alive", "60"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // every thread started
  long before = threads_of(s.pid);
  std::vector<int> idle;
  for (int i = 0; i < 1100; ++i) idle.push_back(raw_connect(s.port));
  long ms = 0;
  CHECK(timed_metadata(s.port, &ms) == 200);
  CHECK(ms < 2000);
  CHECK(count_open(idle) == 1100);  // all held, none evicted
  long after = threads_of(s.pid);
  INFO("threads before " << before << ", after " << after);
  CHECK(after == before);
  CHECK(after < 30);
  for (int fd : idle) close(fd);
}
