// The open connections, counted in total and per peer address, for the connection limits.
//
// A connection waiting for the first byte of a request (fresh, or idle between keep-alive
// requests) costs the server only a socket, and its client can reconnect: when a limit is
// reached, the longest-idle such connection (the peer's own when the peer is at its limit) is
// closed to make room. A new connection is refused only when every counted one is busy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace lfpse::server {

class ConnectionTable {
 public:
  using Close = std::function<void()>;

  ConnectionTable(std::size_t max_total, std::size_t max_per_peer)
      : max_total_(max_total), max_per_peer_(max_per_peer) {}

  /// Counts a new connection from `peer` (an address); `close` closes it from any thread.
  /// Returns its id, or 0 when it is refused. `*evicted` is set to the idle connection that
  /// made room, for the caller to close outside the table's lock.
  uint64_t admit(const std::string& peer, Close close, Close* evicted);
  /// Idle: waiting for a request's first byte, so the connection may be evicted.
  void set_idle(uint64_t id, bool idle);
  void release(uint64_t id);
  /// The close functions of every connection (shutdown).
  std::vector<Close> all();

  std::size_t open() const;

 private:
  struct Entry {
    std::string peer;
    Close close;
    bool idle = true;
    uint64_t idle_since = 0;  // a sequence number: smaller is longer idle
  };
  /// Removes the longest-idle connection (of `peer` when not empty); false when none is idle.
  bool evict_locked(const std::string& peer, Close* evicted);
  void erase_locked(std::map<uint64_t, Entry>::iterator it);

  const std::size_t max_total_, max_per_peer_;
  mutable std::mutex mutex_;
  std::map<uint64_t, Entry> entries_;
  std::map<std::string, std::size_t> per_peer_;
  uint64_t next_id_ = 1, clock_ = 0;
};

}  // namespace lfpse::server
