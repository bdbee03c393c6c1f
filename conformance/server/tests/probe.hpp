// What the tests read of the server process from outside: its memory and threads (/proc),
// and how long a normal request takes while something else goes on.
#pragma once

#include <sys/types.h>

#include <string>

namespace lfpse::server::test {

/// A field of /proc/<pid>/status in its unit (kB for memory), -1 when absent.
long proc_status(pid_t pid, const std::string& field);
inline long peak_rss_kib(pid_t pid) { return proc_status(pid, "VmHWM"); }
inline long threads_of(pid_t pid) { return proc_status(pid, "Threads"); }
/// Starts the peak RSS (VmHWM) again from the current RSS (Linux's clear_refs, value 5), so
/// that a test's own set-up does not count; false when the kernel refuses.
bool reset_peak_rss(pid_t pid);

/// Raises this process's soft limit on open files to at least `n` (up to the hard limit).
void want_open_files(long n);

/// GET /adverse-event/fhir/metadata on a new connection: its status (-1 on failure) and, in
/// `*ms`, how long the answer took.
int timed_metadata(int port, long* ms);

}  // namespace lfpse::server::test
