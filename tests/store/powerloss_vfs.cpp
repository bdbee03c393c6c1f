#include "powerloss_vfs.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include "shim_vfs.hpp"

namespace powerloss {

namespace {

struct Unsynced {
  std::string path;
  int64_t offset = 0;
  int64_t length = 0;
  std::string old_bytes;  // what the region held before (up to the old end of file)
  int64_t old_size = 0;
  bool truncation = false;
};

std::mutex g_mutex;
std::vector<Unsynced> g_unsynced;
std::atomic<int64_t> g_countdown{-1};
std::atomic<bool> g_dead{false};
std::atomic<int64_t> g_wal_syncs{0};
std::atomic<int> g_sync_delay_us{0};
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

struct File {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* path;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

// True when this I/O call is the cut (or after it).
bool cut_now() {
  if (g_dead) return true;
  if (g_countdown.load() > 0 && --g_countdown == 0) {
    g_dead = true;
    return true;
  }
  return false;
}

int64_t size_of(sqlite3_file* real) {
  sqlite3_int64 n = 0;
  real->pMethods->xFileSize(real, &n);
  return n;
}

std::string read_region(sqlite3_file* real, int64_t offset, int64_t length, int64_t size) {
  int64_t end = std::min(offset + length, size);
  if (end <= offset) return std::string();
  std::string out(static_cast<std::size_t>(end - offset), '\0');
  real->pMethods->xRead(real, &out[0], static_cast<int>(out.size()), offset);
  return out;
}

int x_close(sqlite3_file* f) {
  File* p = reinterpret_cast<File*>(f);
  int rc = p->real->pMethods->xClose(p->real);
  delete p->path;
  return rc;
}
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (cut_now()) return SQLITE_IOERR_WRITE;
  File* p = reinterpret_cast<File*>(f);
  Unsynced u;
  u.path = *p->path;
  u.offset = off;
  u.length = n;
  u.old_size = size_of(p->real);
  u.old_bytes = read_region(p->real, off, n, u.old_size);
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_unsynced.push_back(std::move(u));
  }
  return p->real->pMethods->xWrite(p->real, buf, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (cut_now()) return SQLITE_IOERR_TRUNCATE;
  File* p = reinterpret_cast<File*>(f);
  Unsynced u;
  u.path = *p->path;
  u.truncation = true;
  u.offset = size;
  u.old_size = size_of(p->real);
  u.length = std::max<int64_t>(0, u.old_size - size);
  u.old_bytes = read_region(p->real, size, u.length, u.old_size);
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_unsynced.push_back(std::move(u));
  }
  return p->real->pMethods->xTruncate(p->real, size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (cut_now()) return SQLITE_IOERR_FSYNC;
  File* p = reinterpret_cast<File*>(f);
  if (int us = g_sync_delay_us.load()) usleep(static_cast<useconds_t>(us));
  int rc = p->real->pMethods->xSync(p->real, flags);
  const std::string& name = *p->path;
  if (rc == SQLITE_OK && name.size() > 4 && name.compare(name.size() - 4, 4, "-wal") == 0)
    ++g_wal_syncs;
  if (rc == SQLITE_OK) {
    std::lock_guard<std::mutex> lock(g_mutex);
    std::vector<Unsynced> rest;
    for (auto& u : g_unsynced)
      if (u.path != *p->path) rest.push_back(std::move(u));
    g_unsynced.swap(rest);
  }
  return rc;
}
int x_file_size(sqlite3_file* f, sqlite3_int64* out) {
  return real_of(f)->pMethods->xFileSize(real_of(f), out);
}
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** pp) {
  return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, pp);
}
int x_shm_lock(sqlite3_file* f, int off, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int del) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

// Version 2: shared memory for WAL, and no memory-mapped I/O that would bypass xWrite.
const sqlite3_io_methods kMethods = {2,           x_close,          x_read,         x_write,
                                     x_truncate,  x_sync,           x_file_size,    x_lock,
                                     x_unlock,    x_check_reserved, x_file_control, x_sector_size,
                                     x_device,    x_shm_map,        x_shm_lock,     x_shm_barrier,
                                     x_shm_unmap, nullptr,          nullptr};

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* p = reinterpret_cast<File*>(f);
  p->base.pMethods = nullptr;
  p->real = reinterpret_cast<sqlite3_file*>(p + 1);
  int rc = g_real->xOpen(g_real, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK || !p->real->pMethods) return rc;
  p->path = new std::string(name ? name : "");
  p->base.pMethods = &kMethods;
  return rc;
}
int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  if (g_dead) return SQLITE_IOERR_DELETE;
  return g_real->xDelete(g_real, name, sync_dir);
}

void restore(const Unsynced& u, bool garble, std::mt19937& rng) {
  int fd = ::open(u.path.c_str(), O_RDWR);
  if (fd < 0) return;  // deleted since
  if (garble) {
    std::string junk(static_cast<std::size_t>(u.length), '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    if (pwrite(fd, junk.data(), junk.size(), u.offset) < 0) {
    }
  } else {
    if (pwrite(fd, u.old_bytes.data(), u.old_bytes.size(), u.offset) < 0) {
    }
    if (!u.truncation && ftruncate(fd, u.old_size) < 0) {
    }
  }
  ::close(fd);
}

}  // namespace

void install() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_real = shim::real_vfs();
    g_vfs = shim::make(kVfsName, static_cast<int>(sizeof(File)), v_open, v_delete);
    sqlite3_vfs_register(&g_vfs, 0);
  });
}

void arm(int64_t n) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_unsynced.clear();
  g_dead = false;
  g_countdown = n;
}

bool cut_happened() { return g_dead; }
int64_t wal_syncs() { return g_wal_syncs.load(); }
void set_sync_delay_us(int us) { g_sync_delay_us = us; }

Report power_loss(std::mt19937& rng, const std::string& db_path) {
  Report r;
  std::lock_guard<std::mutex> lock(g_mutex);
  // Newest first, so that a dropped write restores what the write before it left.
  for (auto it = g_unsynced.rbegin(); it != g_unsynced.rend(); ++it) {
    switch (rng() % 3) {
      case 0:
        restore(*it, false, rng);
        ++r.dropped;
        break;
      case 1:
        restore(*it, !it->truncation, rng);
        ++r.garbled;
        break;
      default:
        ++r.kept;
    }
  }
  g_unsynced.clear();
  g_countdown = -1;
  g_dead = false;
  ::unlink((db_path + "-shm").c_str());  // shared memory does not survive a power cut
  return r;
}

}  // namespace powerloss
