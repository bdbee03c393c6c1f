// Time-ordered identifiers for operations and idempotency keys.
#pragma once

#include <string>

#include "core/time.hpp"

namespace lfpse::core {

/// A UUIDv7 (RFC 9562) in its lower-case 8-4-4-4-12 form: 48 bits of Unix milliseconds, then
/// random bits from the operating system. Monotonic within a process: ids made in the same
/// millisecond still sort in creation order (the random part is bumped, as RFC 9562 6.2 allows),
/// so SQLite's B-tree appends instead of splitting pages.
std::string uuid_v7(UnixMillis now);
std::string uuid_v7();

}  // namespace lfpse::core
