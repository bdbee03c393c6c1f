#include "conn_guard.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "util.hpp"

namespace lfpse::server {

namespace {

// The peer of an accepted TCP socket on `local_port`, as "addr:port"; "" for anything else.
std::string peer_of(int fd, int local_port) {
  sockaddr_storage local{}, peer{};
  socklen_t ll = sizeof local, pl = sizeof peer;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0) return {};
  int lport = 0;
  if (local.ss_family == AF_INET)
    lport = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
  else if (local.ss_family == AF_INET6)
    lport = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
  else
    return {};
  if (lport != local_port) return {};
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &pl) != 0) return {};
  char host[INET6_ADDRSTRLEN] = {0};
  int pport = 0;
  if (peer.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&peer);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    pport = ntohs(a->sin_port);
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(&peer);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    pport = ntohs(a->sin6_port);
  }
  return std::string(host) + ":" + std::to_string(pport);
}

std::vector<int> open_fds() {
  std::vector<int> fds;
  DIR* d = opendir("/proc/self/fd");
  if (!d) return fds;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    fds.push_back(std::atoi(e->d_name));
  }
  closedir(d);
  return fds;
}

}  // namespace

void ConnectionGuard::raise_backlog(int local_port, int backlog) {
  for (int fd : open_fds()) {
    sockaddr_storage local{}, peer{};
    socklen_t ll = sizeof local, pl = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0) continue;
    int lport = local.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port)
                : local.ss_family == AF_INET6
                    ? ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port)
                    : -1;
    if (lport != local_port) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &pl) == 0) continue;  // a connection
    ::listen(fd, backlog);
  }
}

void ConnectionGuard::start(int local_port, int limit_ms) {
  local_port_ = local_port;
  limit_ms_ = limit_ms;
  thread_ = std::thread([this] { loop(); });
}

void ConnectionGuard::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConnectionGuard::handling(const std::string& addr, int port) {
  std::lock_guard<std::mutex> lock(mutex_);
  Conn& c = conns_[addr + ":" + std::to_string(port)];
  c.busy = true;
}

void ConnectionGuard::answered(const std::string& addr, int port) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = conns_.find(addr + ":" + std::to_string(port));
  if (it == conns_.end()) return;
  it->second.busy = false;
  it->second.reading_since_ms = now_ms();
}

bool ConnectionGuard::drop(const std::string& addr, int port) {
  std::string key = addr + ":" + std::to_string(port);
  for (int fd : open_fds()) {
    if (peer_of(fd, local_port_) == key) {
      ::shutdown(fd, SHUT_RDWR);
      return true;
    }
  }
  return false;
}

void ConnectionGuard::scan(int64_t now) {
  std::map<std::string, int> live;
  for (int fd : open_fds()) {
    std::string p = peer_of(fd, local_port_);
    if (!p.empty()) live[p] = fd;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = conns_.begin(); it != conns_.end();) {
    if (!live.count(it->first)) {
      it = conns_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [peer, fd] : live) {
    Conn& c = conns_[peer];
    c.fd = fd;
    if (!c.seen) {
      c.seen = true;
      if (c.reading_since_ms == 0) c.reading_since_ms = now;
    }
    if (!c.busy && now - c.reading_since_ms > limit_ms_) {
      // Re-check the peer right before: the fd may have been closed and reused meanwhile.
      if (peer_of(fd, local_port_) == peer) {
        ::shutdown(fd, SHUT_RDWR);
        ++dropped_;
      }
      c.reading_since_ms = now;  // once is enough; httplib closes it on the failed read
    }
  }
}

void ConnectionGuard::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(250));
    if (stopping_) break;
    lock.unlock();
    scan(now_ms());
    lock.lock();
  }
}

}  // namespace lfpse::server
