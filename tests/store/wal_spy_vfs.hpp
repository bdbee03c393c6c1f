// A test VFS below the store that watches the hazard the store must never meet: a commit that
// SQLite publishes in the WAL index (walIndexWriteHdr copies the new header into the -shm's
// region 0, around an xShmBarrier) before all of its WAL bytes have reached the file, or a WAL
// write into frames already published. At every xShmBarrier (writers call it between the two
// header copies, readers between their two reads) it reads the newest header copy and checks
// that the file holds every byte of the frames it covers, as written since the log last
// restarted; every WAL write is checked against the frames published at that moment. It wraps
// SQLite's default VFS and changes nothing unless told to hold writes back (its self-check) or
// to act as a disk that fills up (fill_disk_at).
#pragma once

#include <cstdint>
#include <string>

namespace walspy {

constexpr const char* kVfsName = "walspy";

/// Registers the VFS (not as the default); idempotent.
void install();

struct Report {
  int64_t publications = 0;  ///< headers seen with more frames than the one seen before
  int64_t violations = 0;
  std::string first;  ///< the first violation, described
};
Report report();
void reset();

/// Self-check: when on, the page of each commit frame is held back in memory and written only
/// when the connection releases the WAL write lock (after SQLite published the commit), as a
/// write-gathering layer with no sync to wait for would. The spy must then report violations.
void hold_commit_pages(bool on);

/// A disk that fills: the `n`-th write from now (any file, n >= 1) and every write after it
/// fail with SQLITE_FULL, until called again (n < 0: never).
void fill_disk_at(int64_t n);
/// Writes attempted since the process started (to count a call's write positions).
int64_t writes();

}  // namespace walspy
