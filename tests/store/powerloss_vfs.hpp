// A test VFS that simulates power loss, as SQLite's own crash tests do: it wraps the default
// VFS, remembers every write (and truncation) not yet made durable by xSync, and at a
// simulated power cut fails all further I/O. Once the connections are closed, power_loss()
// drops, garbles or keeps each unsynced write at random, and the lost shared memory (-shm)
// goes with it. What was synced before the cut is never touched.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace powerloss {

constexpr const char* kVfsName = "powerloss";

/// Registers the VFS (not as the default); idempotent.
void install();
/// The cut comes at the `n`-th write, sync or truncation from now (n >= 1; n < 0: never).
void arm(int64_t n);
bool cut_happened();

/// Successful syncs of WAL files since install() (each durable commit syncs the WAL once;
/// a checkpoint adds its own).
int64_t wal_syncs();
/// Makes every sync take at least `us` microseconds longer, as on a slow disk (0: off).
void set_sync_delay_us(int us);

struct Report {
  int dropped = 0, garbled = 0, kept = 0;
};
/// Call after every connection through the VFS is closed: applies the loss and disarms.
Report power_loss(std::mt19937& rng, const std::string& db_path);

}  // namespace powerloss
