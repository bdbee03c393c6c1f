// A benchmark VFS that makes every sync take at least a given time, as on a slower disk.
//
// The store's targets (issue 3) are ratios against the raw SQLite bound on a disk where one
// durable commit costs about 470 us. Where the disk syncs faster, the bound is set by CPU as much
// as by the disk, and the ratios measure something else. With this VFS under both the raw bound
// and the store, a sync that returns early sleeps for the rest of the floor: the process waits
// as it would for a slower device, without spending CPU, and everything else is unchanged.
#pragma once

namespace bench {

constexpr const char* kSyncFloorVfs = "bench-sync-floor";

/// Registers the VFS over the default one (not as the default); `floor_us` applies to every sync
/// of every file opened through it. Call once, before any file is opened through it.
void install_sync_floor_vfs(int floor_us);

/// Sleeps out the rest of the floor for a sync that began at `start_ns` (CLOCK_MONOTONIC), for a
/// sync made without SQLite. Returns at once when no floor is set.
void wait_out_sync_floor(long start_ns);
long monotonic_ns();

}  // namespace bench
