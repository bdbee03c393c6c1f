#include "wal_spy_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "shim_vfs.hpp"

namespace walspy {

namespace {

// What the spy knows of one database's WAL, shared by every connection to it.
struct Log {
  uint32_t mx_frame = 0;
  int64_t published_end = 0;           // bytes of the WAL the newest header covers
  std::map<int64_t, int64_t> written;  // [start, end) written since the log restarted, merged
  sqlite3_file* wal = nullptr;         // the WAL handle of a held-back write
  int64_t held_offset = -1;
  std::string held;
};

std::mutex g_mutex;
std::map<std::string, Log> g_logs;  // by database path
Report g_report;
bool g_hold = false;
std::atomic<int64_t> g_writes{0};
std::atomic<int64_t> g_full_at{-1};  // the write count from which writes fail; -1: never
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

struct File {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* db;      // the database this file belongs to
  bool is_wal;          // else the database file (or another, left alone)
  bool hold_next;       // the next page written is a commit frame's
  void volatile* shm0;  // the database file's mapping of -shm region 0
};

File* of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* real_of(sqlite3_file* f) { return of(f)->real; }

void violation(const std::string& what) {
  if (g_report.violations++ == 0) g_report.first = what;
}

void add_written(Log& log, int64_t start, int64_t end) {
  auto it = log.written.upper_bound(start);
  if (it != log.written.begin() && std::prev(it)->second >= start) {
    --it;
    start = it->first;
    end = std::max(end, it->second);
    it = log.written.erase(it);
  }
  while (it != log.written.end() && it->first <= end) {
    end = std::max(end, it->second);
    it = log.written.erase(it);
  }
  log.written.emplace(start, end);
}

int64_t written_prefix(const Log& log) {
  auto it = log.written.begin();
  return it != log.written.end() && it->first == 0 ? it->second : 0;
}

void flush_held(Log& log) {
  if (log.held_offset < 0) return;
  log.wal->pMethods->xWrite(log.wal, log.held.data(), static_cast<int>(log.held.size()),
                            log.held_offset);
  add_written(log, log.held_offset, log.held_offset + static_cast<int64_t>(log.held.size()));
  log.held_offset = -1;
}

// Reads the newest copy of the WAL-index header (the second: walIndexWriteHdr fills it first,
// then calls the barrier, then the first copy) and checks it against the bytes written.
void check_published(File* p) {
  if (!p->shm0) return;
  unsigned char hdr[48];
  std::memcpy(hdr,
              const_cast<const unsigned char*>(static_cast<volatile unsigned char*>(p->shm0)) + 48,
              sizeof hdr);
  if (hdr[12] == 0) return;  // isInit: not yet written
  uint16_t sz;
  uint32_t mx;
  std::memcpy(&sz, hdr + 14, 2);
  std::memcpy(&mx, hdr + 16, 4);
  const int64_t page = (sz & 0xfe00) + ((sz & 0x0001) << 16);
  std::lock_guard<std::mutex> lock(g_mutex);
  Log& log = g_logs[*p->db];
  if (mx > log.mx_frame) ++g_report.publications;
  log.mx_frame = mx;
  log.published_end = mx == 0 ? 0 : 32 + static_cast<int64_t>(mx) * (24 + page);
  if (log.published_end > written_prefix(log))
    violation("frames up to byte " + std::to_string(log.published_end) +
              " published while the WAL held " + std::to_string(written_prefix(log)));
}

int x_close(sqlite3_file* f) {
  File* p = of(f);
  if (p->is_wal) {
    std::lock_guard<std::mutex> lock(g_mutex);
    Log& log = g_logs[*p->db];
    if (log.wal == p->real) flush_held(log);
  }
  int rc = p->real->pMethods->xClose(p->real);
  delete p->db;
  return rc;
}
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  File* p = of(f);
  const int64_t full_at = g_full_at.load();
  if (++g_writes >= full_at && full_at >= 0) return SQLITE_FULL;
  if (!p->is_wal) return p->real->pMethods->xWrite(p->real, buf, n, off);
  std::lock_guard<std::mutex> lock(g_mutex);
  Log& log = g_logs[*p->db];
  if (off < log.published_end)
    violation("WAL write at byte " + std::to_string(off) + " into frames published up to " +
              std::to_string(log.published_end));
  if (g_hold && p->hold_next && n > 24) {
    p->hold_next = false;
    log.wal = p->real;
    log.held_offset = off;
    log.held.assign(static_cast<const char*>(buf), static_cast<std::size_t>(n));
    return SQLITE_OK;
  }
  if (n == 24) {
    uint32_t commit_size = 0;  // the frame header's "database size after commit": 0 if none
    std::memcpy(&commit_size, static_cast<const char*>(buf) + 4, 4);
    p->hold_next = commit_size != 0;
  }
  // The log header, written at the first frame after a (re)start: the frames of the previous
  // generation are no longer part of the log.
  if (off == 0) log.written.clear();
  int rc = p->real->pMethods->xWrite(p->real, buf, n, off);
  if (rc == SQLITE_OK) add_written(log, off, off + n);
  return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  File* p = of(f);
  if (p->is_wal) {
    std::lock_guard<std::mutex> lock(g_mutex);
    Log& log = g_logs[*p->db];
    flush_held(log);
    log.written.clear();  // conservative: what was below `size` must be written again
  }
  return p->real->pMethods->xTruncate(p->real, size);
}
int x_sync(sqlite3_file* f, int flags) {
  File* p = of(f);
  if (p->is_wal) {
    std::lock_guard<std::mutex> lock(g_mutex);
    flush_held(g_logs[*p->db]);  // a sync is where a VFS may write back what it held
  }
  return p->real->pMethods->xSync(p->real, flags);
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
  int rc = real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, pp);
  if (rc == SQLITE_OK && pg == 0) of(f)->shm0 = *pp;
  return rc;
}
int x_shm_lock(sqlite3_file* f, int off, int n, int flags) {
  int rc = real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
  // Releasing the WAL write lock (slot 0): where a layer with nothing to sync would write last.
  if (off == 0 && (flags & SQLITE_SHM_UNLOCK) && (flags & SQLITE_SHM_EXCLUSIVE)) {
    std::lock_guard<std::mutex> lock(g_mutex);
    flush_held(g_logs[*of(f)->db]);
  }
  return rc;
}
void x_shm_barrier(sqlite3_file* f) {
  real_of(f)->pMethods->xShmBarrier(real_of(f));
  check_published(of(f));
}
int x_shm_unmap(sqlite3_file* f, int del) {
  of(f)->shm0 = nullptr;
  return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

// Version 2: shared memory for WAL, and no memory-mapped I/O that would bypass xWrite.
const sqlite3_io_methods kMethods = {2,           x_close,          x_read,         x_write,
                                     x_truncate,  x_sync,           x_file_size,    x_lock,
                                     x_unlock,    x_check_reserved, x_file_control, x_sector_size,
                                     x_device,    x_shm_map,        x_shm_lock,     x_shm_barrier,
                                     x_shm_unmap, nullptr,          nullptr};

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* p = of(f);
  p->base.pMethods = nullptr;
  p->real = reinterpret_cast<sqlite3_file*>(p + 1);
  int rc = g_real->xOpen(g_real, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK || !p->real->pMethods) return rc;
  p->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  p->db = new std::string(p->is_wal ? sqlite3_filename_database(name) : (name ? name : ""));
  p->hold_next = false;
  p->shm0 = nullptr;
  p->base.pMethods = &kMethods;
  return rc;
}
int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  std::string n(name);
  if (n.size() > 4 && n.compare(n.size() - 4, 4, "-wal") == 0) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_logs.erase(n.substr(0, n.size() - 4));
  }
  return g_real->xDelete(g_real, name, sync_dir);
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

Report report() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_report;
}

void reset() {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_report = Report{};
}

void hold_commit_pages(bool on) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_hold = on;
}

void fill_disk_at(int64_t n) { g_full_at = n < 0 ? -1 : g_writes.load() + n; }

int64_t writes() { return g_writes.load(); }

}  // namespace walspy
