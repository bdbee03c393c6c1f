#include "sync_floor_vfs.hpp"

#include <sqlite3.h>
#include <time.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace bench {

namespace {

long g_floor_ns = 0;

// The methods of the VFS below with xSync replaced: a file opened through this VFS is the file
// below itself, its methods pointer swapped for one of these.
struct Patched {
  sqlite3_io_methods methods;  // first: a file's pMethods points here
  const sqlite3_io_methods* below;
};

const sqlite3_io_methods* below_methods(sqlite3_file* f) {
  return reinterpret_cast<const Patched*>(f->pMethods)->below;
}

int floor_sync(sqlite3_file* f, int flags) {
  const long start = monotonic_ns();
  int rc = below_methods(f)->xSync(f, flags);
  wait_out_sync_floor(start);
  return rc;
}

// One patched table per table of the VFS below (the unix VFS has a few), made on first use and
// kept for the life of the process, like the VFS.
const sqlite3_io_methods* patched(const sqlite3_io_methods* below) {
  static std::mutex mutex;
  static auto* tables = new std::map<const sqlite3_io_methods*, Patched*>;
  std::lock_guard<std::mutex> lock(mutex);
  Patched*& p = (*tables)[below];
  if (!p) {
    p = new Patched{*below, below};
    p->methods.xSync = floor_sync;
  }
  return &p->methods;
}

sqlite3_vfs* g_below = nullptr;

int floor_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  int rc = g_below->xOpen(g_below, name, f, flags, out_flags);
  if (f->pMethods) f->pMethods = patched(f->pMethods);
  return rc;
}

}  // namespace

long monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

void wait_out_sync_floor(long start_ns) {
  long rest = g_floor_ns - (monotonic_ns() - start_ns);
  if (rest <= 0) return;
  timespec ts{rest / 1000000000L, rest % 1000000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

void install_sync_floor_vfs(int floor_us) {
  static sqlite3_vfs vfs;
  g_floor_ns = static_cast<long>(floor_us) * 1000;
  if (g_below) return;
  g_below = sqlite3_vfs_find(nullptr);
  if (!g_below) throw std::runtime_error("no default SQLite VFS");
  vfs = *g_below;
  vfs.zName = kSyncFloorVfs;
  vfs.pNext = nullptr;
  vfs.xOpen = floor_open;
  if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
    throw std::runtime_error("cannot register the sync-floor VFS");
}

}  // namespace bench
