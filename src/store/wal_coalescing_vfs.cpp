#include "store/wal_coalescing_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "core/error.hpp"

namespace lfpse::store {

namespace {

// The WAL format (https://sqlite.org/fileformat2.html#walformat): a 32-byte header holding the
// page size at offset 8, then frames of a 24-byte header and one page; a frame header's second
// big-endian word is the database size after a commit frame, and zero in any other frame.
constexpr sqlite3_int64 kWalHeaderSize = 32;
constexpr sqlite3_int64 kFrameHeaderSize = 24;
// At most this much is gathered: SQLite's unix VFS takes writes under 128 KiB only.
constexpr std::size_t kMaxGathered = std::size_t{64} << 10;

std::atomic<int64_t> g_writes_in{0}, g_writes_out{0};

uint32_t big_endian32(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

// The gathered, not yet written bytes of one WAL file: one contiguous run.
struct Gathered {
  std::vector<char> bytes;
  sqlite3_int64 at = 0;           // file offset of bytes[0]
  sqlite3_int64 page_size = 0;    // from the WAL header; 0 while unknown
  sqlite3_int64 commit_end = -1;  // the end of a commit frame being written
  sqlite3_int64 high_water = 0;   // the end of everything written or gathered in this WAL
  sqlite3_int64 end() const { return at + static_cast<sqlite3_int64>(bytes.size()); }
};

struct DbFile;

// The sqlite3_file SQLite allocates (szOsFile bytes) for a WAL file: this header, then the file
// of the VFS below. Writes are gathered only while the WAL is linked to its database file (see
// DbFile), which tells when the transaction's write lock is released.
struct WalFile {
  sqlite3_file base;
  sqlite3_file* below;
  Gathered* gathered;
  DbFile* db;
};

// The same for a main database file: it passes everything through, and on releasing the WAL
// write lock first puts its WAL's gathered bytes in the file. A transaction that committed has
// written them already (see x_write); one that rolled back may have left frames it spilled,
// which plain SQLite would have written before the release too. Either way nothing gathered
// outlives the lock, so it can never land on frames another connection writes later.
struct DbFile {
  sqlite3_file base;
  sqlite3_file* below;
  WalFile* wal;
  const char* name;  // as SQLite passed it: the key its WAL is matched by
};

WalFile* wal_of(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
DbFile* db_of(sqlite3_file* f) { return reinterpret_cast<DbFile*>(f); }
sqlite3_file* below(sqlite3_file* f) { return wal_of(f)->below; }
sqlite3_file* db_below(sqlite3_file* f) { return db_of(f)->below; }

// The open database files by the name pointer SQLite gave them, so that a WAL opened for one
// (sqlite3_filename_database of the WAL's name is that pointer) can be linked to it. Never
// freed: files may be closed from static destructors after this one's would have run.
struct OpenDbs {
  std::mutex mutex;
  std::map<const char*, DbFile*> by_name;
};
OpenDbs& open_dbs() {
  static OpenDbs* const dbs = new OpenDbs;
  return *dbs;
}

int flush(sqlite3_file* f) {
  Gathered& g = *wal_of(f)->gathered;
  if (g.bytes.empty()) return SQLITE_OK;
  g_writes_out.fetch_add(1, std::memory_order_relaxed);
  int rc =
      below(f)->pMethods->xWrite(below(f), g.bytes.data(), static_cast<int>(g.bytes.size()), g.at);
  // Bytes that could not be written belong to a transaction this error fails: never retried.
  g.bytes.clear();
  g.commit_end = -1;
  return rc;
}

// Learns the page size from the WAL header, as written now or as found in the file.
void learn_page_size(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  Gathered& g = *wal_of(f)->gathered;
  const auto* p = static_cast<const unsigned char*>(data);
  if (offset == 0 && amount >= kWalHeaderSize) {
    g.page_size = big_endian32(p + 8);
    return;
  }
  if (g.page_size != 0) return;
  unsigned char header[kWalHeaderSize];
  if (below(f)->pMethods->xRead(below(f), header, sizeof header, 0) == SQLITE_OK)
    g.page_size = big_endian32(header + 8);
}

// Notes the end of any commit frame whose header lies in this write.
void note_commit_frames(Gathered& g, const void* data, int amount, sqlite3_int64 offset) {
  const sqlite3_int64 frame = kFrameHeaderSize + g.page_size;
  sqlite3_int64 start = kWalHeaderSize;
  if (offset > kWalHeaderSize) start += (offset - kWalHeaderSize + frame - 1) / frame * frame;
  const auto* p = static_cast<const unsigned char*>(data);
  for (; start + 8 <= offset + amount; start += frame) {
    if (big_endian32(p + (start - offset) + 4) != 0)
      g.commit_end = std::max(g.commit_end, start + frame);
  }
}

int write_below(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  g_writes_out.fetch_add(1, std::memory_order_relaxed);
  return below(f)->pMethods->xWrite(below(f), data, amount, offset);
}

// Only appended frames are gathered. A rewrite of bytes already in the file (SQLite rewrites
// frames a large transaction spilled twice, and then their checksums, after the commit frame) is
// written through at once, as SQLite would: nothing may be left behind once the commit frame is
// out, since under synchronous=NORMAL no sync follows to flush it, and the write lock is released
// (which flushes too) only after SQLite has published the commit to other connections.
int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  g_writes_in.fetch_add(1, std::memory_order_relaxed);
  if (!wal_of(f)->db) return write_below(f, data, amount, offset);
  Gathered& g = *wal_of(f)->gathered;
  const auto size = static_cast<std::size_t>(amount);
  const sqlite3_int64 end = offset + amount;
  if (offset == 0 && amount >= kWalHeaderSize) {
    // A new WAL begins with its header: the frames after it are appended again.
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    g.high_water = 0;
  }
  if (!g.bytes.empty() && offset >= g.at && end <= g.end()) {
    // A frame of this transaction overwritten while still gathered.
    std::memcpy(g.bytes.data() + (offset - g.at), data, size);
    note_commit_frames(g, data, amount, offset);
    if (g.commit_end >= 0 && g.end() >= g.commit_end) return flush(f);
    return SQLITE_OK;
  }
  if (offset < g.high_water) {
    if (!g.bytes.empty() && end > g.at) {
      if (int rc = flush(f); rc != SQLITE_OK) return rc;
    }
    return write_below(f, data, amount, offset);
  }
  if (!g.bytes.empty() && (offset != g.end() || g.bytes.size() + size > kMaxGathered)) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  learn_page_size(f, data, amount, offset);
  if (g.page_size < 512 || g.page_size > 65536 || size > kMaxGathered) {
    // Not a WAL this layer understands, or a write too large to gather: written as it comes.
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    int rc = write_below(f, data, amount, offset);
    if (rc == SQLITE_OK) g.high_water = std::max(g.high_water, end);
    return rc;
  }
  if (g.bytes.empty()) g.at = offset;
  const char* bytes = static_cast<const char*>(data);
  g.bytes.insert(g.bytes.end(), bytes, bytes + amount);
  g.high_water = std::max(g.high_water, end);
  note_commit_frames(g, data, amount, offset);
  if (g.commit_end >= 0 && g.end() >= g.commit_end) return flush(f);
  return SQLITE_OK;
}

// Everything else first puts the gathered bytes in the file.
int x_close(sqlite3_file* f) {
  int rc = flush(f);
  int closed = below(f)->pMethods->xClose(below(f));
  if (DbFile* db = wal_of(f)->db) db->wal = nullptr;
  wal_of(f)->db = nullptr;
  delete wal_of(f)->gathered;
  wal_of(f)->gathered = nullptr;
  return rc != SQLITE_OK ? rc : closed;
}
// A read of gathered bytes is served from them: a large transaction spills pages to the WAL
// and reads them back, and flushing for each read would undo the gathering.
int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  Gathered& g = *wal_of(f)->gathered;
  const sqlite3_int64 end = offset + amount;
  if (!g.bytes.empty() && offset < g.end() && end > g.at) {
    if (offset >= g.at && end <= g.end()) {
      std::memcpy(out, g.bytes.data() + (offset - g.at), static_cast<std::size_t>(amount));
      return SQLITE_OK;
    }
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  return below(f)->pMethods->xRead(below(f), out, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  Gathered& g = *wal_of(f)->gathered;
  g.high_water = std::min(g.high_water, size);
  return below(f)->pMethods->xTruncate(below(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return below(f)->pMethods->xSync(below(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return below(f)->pMethods->xFileSize(below(f), size);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return below(f)->pMethods->xFileControl(below(f), op, arg);
}
int x_lock(sqlite3_file* f, int level) { return below(f)->pMethods->xLock(below(f), level); }
int x_unlock(sqlite3_file* f, int level) { return below(f)->pMethods->xUnlock(below(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) {
  return below(f)->pMethods->xCheckReservedLock(below(f), out);
}
int x_sector_size(sqlite3_file* f) { return below(f)->pMethods->xSectorSize(below(f)); }
int x_device(sqlite3_file* f) { return below(f)->pMethods->xDeviceCharacteristics(below(f)); }

// Version 1: a WAL file has no shared memory or memory mapping of its own (the database file
// has them).
const sqlite3_io_methods kWalMethods = {
    1,       x_close,  x_read,           x_write,        x_truncate,    x_sync,   x_file_size,
    x_lock,  x_unlock, x_check_reserved, x_file_control, x_sector_size, x_device, nullptr,
    nullptr, nullptr,  nullptr,          nullptr,        nullptr};

// The main database file's methods: all passed through but xShmLock and xClose.
int d_close(sqlite3_file* f) {
  DbFile* d = db_of(f);
  {
    OpenDbs& dbs = open_dbs();
    std::lock_guard<std::mutex> lock(dbs.mutex);
    auto it = dbs.by_name.find(d->name);
    if (it != dbs.by_name.end() && it->second == d) dbs.by_name.erase(it);
  }
  if (d->wal) d->wal->db = nullptr;
  d->wal = nullptr;
  return db_below(f)->pMethods->xClose(db_below(f));
}
int d_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  return db_below(f)->pMethods->xRead(db_below(f), out, amount, offset);
}
int d_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  return db_below(f)->pMethods->xWrite(db_below(f), data, amount, offset);
}
int d_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return db_below(f)->pMethods->xTruncate(db_below(f), size);
}
int d_sync(sqlite3_file* f, int flags) { return db_below(f)->pMethods->xSync(db_below(f), flags); }
int d_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return db_below(f)->pMethods->xFileSize(db_below(f), size);
}
int d_lock(sqlite3_file* f, int level) { return db_below(f)->pMethods->xLock(db_below(f), level); }
int d_unlock(sqlite3_file* f, int level) {
  return db_below(f)->pMethods->xUnlock(db_below(f), level);
}
int d_check_reserved(sqlite3_file* f, int* out) {
  return db_below(f)->pMethods->xCheckReservedLock(db_below(f), out);
}
int d_file_control(sqlite3_file* f, int op, void* arg) {
  return db_below(f)->pMethods->xFileControl(db_below(f), op, arg);
}
int d_sector_size(sqlite3_file* f) { return db_below(f)->pMethods->xSectorSize(db_below(f)); }
int d_device(sqlite3_file* f) { return db_below(f)->pMethods->xDeviceCharacteristics(db_below(f)); }
int d_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return db_below(f)->pMethods->xShmMap(db_below(f), region, size, extend, out);
}
// Slot 0 of the WAL index's locks is the write lock (https://sqlite.org/walformat.html).
int d_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  const bool releases_write_lock = (flags & SQLITE_SHM_UNLOCK) && offset == 0 && n > 0;
  if (releases_write_lock && db_of(f)->wal) {
    // Only bytes of a transaction that did not commit can be left here (a commit has written
    // its own): their write failing changes nothing, so its result is not needed.
    flush(&db_of(f)->wal->base);
  }
  return db_below(f)->pMethods->xShmLock(db_below(f), offset, n, flags);
}
void d_shm_barrier(sqlite3_file* f) { db_below(f)->pMethods->xShmBarrier(db_below(f)); }
int d_shm_unmap(sqlite3_file* f, int remove) {
  return db_below(f)->pMethods->xShmUnmap(db_below(f), remove);
}

// Version 2: shared memory, and no memory mapping (the store does not turn it on).
const sqlite3_io_methods kDbMethods = {2,           d_close,          d_read,         d_write,
                                       d_truncate,  d_sync,           d_file_size,    d_lock,
                                       d_unlock,    d_check_reserved, d_file_control, d_sector_size,
                                       d_device,    d_shm_map,        d_shm_lock,     d_shm_barrier,
                                       d_shm_unmap, nullptr,          nullptr};

sqlite3_vfs* below_vfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int open_db(sqlite3_vfs* real, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  DbFile* d = db_of(f);
  d->base.pMethods = nullptr;
  d->below = reinterpret_cast<sqlite3_file*>(d + 1);
  d->wal = nullptr;
  d->name = name;
  int rc = real->xOpen(real, name, d->below, flags, out_flags);
  if (rc != SQLITE_OK || !d->below->pMethods) {
    if (d->below->pMethods) d->below->pMethods->xClose(d->below);
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  if (name) {
    OpenDbs& dbs = open_dbs();
    std::lock_guard<std::mutex> lock(dbs.mutex);
    dbs.by_name[name] = d;
  }
  d->base.pMethods = &kDbMethods;
  return SQLITE_OK;
}

int open_wal(sqlite3_vfs* real, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  WalFile* w = wal_of(f);
  w->base.pMethods = nullptr;
  w->below = reinterpret_cast<sqlite3_file*>(w + 1);
  w->db = nullptr;
  w->gathered = new (std::nothrow) Gathered;
  if (!w->gathered) return SQLITE_NOMEM;
  int rc = real->xOpen(real, name, w->below, flags, out_flags);
  if (rc != SQLITE_OK || !w->below->pMethods) {
    if (w->below->pMethods) w->below->pMethods->xClose(w->below);
    delete w->gathered;
    w->gathered = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  // A WAL left by another connection or process: its bytes are rewrites, not appends.
  sqlite3_int64 size = 0;
  if (w->below->pMethods->xFileSize(w->below, &size) == SQLITE_OK) w->gathered->high_water = size;
  if (name) {
    // Without its database file found, the WAL is written through, ungathered.
    OpenDbs& dbs = open_dbs();
    std::lock_guard<std::mutex> lock(dbs.mutex);
    auto it = dbs.by_name.find(sqlite3_filename_database(name));
    if (it != dbs.by_name.end() && !it->second->wal) {
      w->db = it->second;
      it->second->wal = w;
    }
  }
  w->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int v_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  sqlite3_vfs* real = below_vfs(vfs);
  if (flags & SQLITE_OPEN_MAIN_DB) return open_db(real, name, f, flags, out_flags);
  if (flags & SQLITE_OPEN_WAL) return open_wal(real, name, f, flags, out_flags);
  // Any other file is opened by the VFS below in place, so that SQLite calls it directly.
  return real->xOpen(real, name, f, flags, out_flags);
}
int v_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return below_vfs(vfs)->xDelete(below_vfs(vfs), name, sync_dir);
}
int v_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return below_vfs(vfs)->xAccess(below_vfs(vfs), name, flags, out);
}
int v_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return below_vfs(vfs)->xFullPathname(below_vfs(vfs), name, n, out);
}
int v_randomness(sqlite3_vfs* vfs, int n, char* out) {
  return below_vfs(vfs)->xRandomness(below_vfs(vfs), n, out);
}
int v_sleep(sqlite3_vfs* vfs, int us) { return below_vfs(vfs)->xSleep(below_vfs(vfs), us); }
int v_current_time(sqlite3_vfs* vfs, double* out) {
  return below_vfs(vfs)->xCurrentTime(below_vfs(vfs), out);
}
int v_last_error(sqlite3_vfs* vfs, int n, char* out) {
  return below_vfs(vfs)->xGetLastError(below_vfs(vfs), n, out);
}
int v_current_time64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  sqlite3_vfs* real = below_vfs(vfs);
  if (real->iVersion >= 2 && real->xCurrentTimeInt64) return real->xCurrentTimeInt64(real, out);
  double days = 0;
  int rc = real->xCurrentTime(real, &days);
  *out = static_cast<sqlite3_int64>(days * 86400000.0);
  return rc;
}

struct Registered {
  std::string name;
  sqlite3_vfs vfs{};
};

}  // namespace

const char* coalescing_vfs(const std::string& base) {
  // Registered VFSes are never freed: SQLite may use them until the process ends, even from
  // static destructors that run after this function's statics would have been destroyed.
  struct Registry {
    std::mutex mutex;
    std::map<std::string, Registered*> by_base_name;
  };
  static Registry* const registry = new Registry;
  std::lock_guard<std::mutex> lock(registry->mutex);
  sqlite3_vfs* real = sqlite3_vfs_find(base.empty() ? nullptr : base.c_str());
  if (!real) throw core::Error(core::ErrorCode::Invalid, "no SQLite VFS named \"" + base + "\"");
  Registered*& slot = registry->by_base_name[real->zName];
  if (!slot) {
    auto r = std::make_unique<Registered>();
    r->name = std::string("lfpse-coalesce-") + real->zName;
    sqlite3_vfs& v = r->vfs;
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(std::max(sizeof(WalFile), sizeof(DbFile))) + real->szOsFile;
    v.mxPathname = real->mxPathname;
    v.zName = r->name.c_str();
    v.pAppData = real;
    v.xOpen = v_open;
    v.xDelete = v_delete;
    v.xAccess = v_access;
    v.xFullPathname = v_full_pathname;
    v.xRandomness = v_randomness;
    v.xSleep = v_sleep;
    v.xCurrentTime = v_current_time;
    v.xGetLastError = v_last_error;
    v.xCurrentTimeInt64 = v_current_time64;
    if (int rc = sqlite3_vfs_register(&v, 0); rc != SQLITE_OK)
      throw core::Error(
          core::ErrorCode::Internal,
          std::string("cannot register the WAL coalescing VFS: ") + sqlite3_errstr(rc));
    slot = r.release();
  }
  return slot->name.c_str();
}

CoalescingStats coalescing_stats() {
  return CoalescingStats{g_writes_in.load(), g_writes_out.load()};
}

}  // namespace lfpse::store
