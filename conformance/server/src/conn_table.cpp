#include "conn_table.hpp"

namespace lfpse::server {

uint64_t ConnectionTable::admit(const std::string& peer, Close close, Close* evicted) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto count = per_peer_.find(peer);
  if (count != per_peer_.end() && count->second >= max_per_peer_) {
    if (!evict_locked(peer, evicted)) return 0;
  } else if (entries_.size() >= max_total_) {
    if (!evict_locked(std::string(), evicted)) return 0;
  }
  uint64_t id = next_id_++;
  entries_[id] = Entry{peer, std::move(close), true, ++clock_};
  ++per_peer_[peer];
  return id;
}

bool ConnectionTable::evict_locked(const std::string& peer, Close* evicted) {
  auto best = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!it->second.idle || (!peer.empty() && it->second.peer != peer)) continue;
    if (best == entries_.end() || it->second.idle_since < best->second.idle_since) best = it;
  }
  if (best == entries_.end()) return false;
  *evicted = std::move(best->second.close);
  erase_locked(best);
  return true;
}

void ConnectionTable::erase_locked(std::map<uint64_t, Entry>::iterator it) {
  auto count = per_peer_.find(it->second.peer);
  if (count != per_peer_.end() && --count->second == 0) per_peer_.erase(count);
  entries_.erase(it);
}

void ConnectionTable::set_idle(uint64_t id, bool idle) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.idle = idle;
  if (idle) it->second.idle_since = ++clock_;
}

void ConnectionTable::release(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(id);
  if (it != entries_.end()) erase_locked(it);  // an evicted one is already gone
}

std::vector<ConnectionTable::Close> ConnectionTable::all() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Close> out;
  for (const auto& e : entries_) out.push_back(e.second.close);
  return out;
}

std::size_t ConnectionTable::open() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace lfpse::server
