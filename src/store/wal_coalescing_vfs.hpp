// A thin SQLite VFS over another one that turns a transaction's many small WAL writes into a few
// large ones.
//
// SQLite appends each WAL frame with two writes (its 24-byte header, then the page), so a commit
// of n pages costs 2n system calls before its sync; on virtual machines, where a system call is
// dear, they can cost more than the sync itself. This layer gathers the frames a transaction
// appends to the WAL in memory and hands them to the VFS below as one write when the commit frame
// is complete (SQLite marks it in the frame header), before anything else touches the file
// (sync, truncate, size, file control, close, a read of bytes partly gathered: a read wholly
// inside them is served from memory), when an append is not contiguous, at 64 KiB, and at the
// latest when the connection releases the WAL write lock (the database file's wrapper sees
// that). Rewrites of bytes already in the file are written through at once. So a commit reaches
// the file before SQLite publishes it in the WAL index, whether or not it then syncs
// (synchronous=FULL or NORMAL); a failed write fails the commit as it would have without this
// layer; and frames of a transaction that rolled back never outlive its lock, so they cannot
// land on frames another connection writes after it. Bytes gathered but not yet written belong
// to a transaction that has not committed: losing them in a crash loses nothing that SQLite had
// reported as committed. The database file is otherwise passed through; other files are the
// VFS below's own.
#pragma once

#include <cstdint>
#include <string>

namespace lfpse::store {

/// The name of the coalescing VFS over `base` (the default VFS when empty), registered with
/// SQLite on first use and kept for the life of the process. Throws when `base` is unknown.
const char* coalescing_vfs(const std::string& base);

/// Writes the coalescing layer has received for WAL files, and writes it has made to the VFS
/// below, since the process started (for tests and benchmarks).
struct CoalescingStats {
  int64_t writes_in = 0;
  int64_t writes_out = 0;
};
CoalescingStats coalescing_stats();

}  // namespace lfpse::store
