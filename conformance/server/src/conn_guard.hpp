// Bounds the time any connection may spend sending one request (slow-loris defence).
//
// cpp-httplib 0.11 bounds each read (read timeout) and the idle time between requests
// (keep-alive timeout), but not the total time of one request trickling in a byte at a time,
// and it gives handlers no access to the socket. The guard therefore watches the process's
// own accepted sockets (by their local port) and shuts down any connection that has been
// reading one request for longer than the limit; it also finds a connection's socket for the
// reset fault actions.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace lfpse::server {

class ConnectionGuard {
 public:
  ConnectionGuard() = default;
  ~ConnectionGuard() { stop(); }

  void start(int local_port, int limit_ms);
  void stop();

  /// A request's handler started (its bytes are all read) / its answer was written.
  void handling(const std::string& addr, int port);
  void answered(const std::string& addr, int port);

  /// Shuts down the connection from addr:port at once (fault actions); false if not found.
  bool drop(const std::string& addr, int port);

  uint64_t dropped() const { return dropped_; }

  /// httplib 0.11 listens with a backlog of 5, so a burst of connects overflows the accept
  /// queue; listen() again on the bound socket raises it (Linux updates it in place).
  static void raise_backlog(int local_port, int backlog);

 private:
  struct Conn {
    int fd = -1;
    int64_t reading_since_ms = 0;
    bool busy = false;
    bool seen = false;
  };
  void loop();
  void scan(int64_t now);

  int local_port_ = 0;
  int limit_ms_ = 10000;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, Conn> conns_;  // key: "addr:port" of the peer
  uint64_t dropped_ = 0;
};

}  // namespace lfpse::server
