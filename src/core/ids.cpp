#include "core/ids.hpp"

#include <pthread.h>
#include <sys/random.h>

#include <cstdint>
#include <cstring>
#include <mutex>

#include "core/error.hpp"

namespace lfpse::core {

namespace {

void random_bytes(unsigned char* out, std::size_t n) {
  while (n > 0) {
    ssize_t got = getrandom(out, n, 0);
    if (got < 0) throw Error(ErrorCode::Io, "getrandom failed");
    out += got;
    n -= static_cast<std::size_t>(got);
  }
}

// Random bytes drawn from the kernel 256 at a time (a system call per id was a measurable part
// of a durable record). A forked child must not reuse its parent's bytes, or both would make
// the same ids: the fork handler empties the pool in the child. Guarded by uuid_v7's mutex.
class RandomPool {
 public:
  RandomPool() {
    static std::once_flag once;
    std::call_once(once, [] { pthread_atfork(nullptr, nullptr, [] { used_ = kSize; }); });
  }
  void take(unsigned char* out, std::size_t n) {
    if (used_ + n > kSize) {
      random_bytes(bytes_, kSize);
      used_ = 0;
    }
    std::memcpy(out, bytes_ + used_, n);
    std::memset(bytes_ + used_, 0, n);  // used bytes do not stay in memory
    used_ += n;
  }

 private:
  static constexpr std::size_t kSize = 256;
  static inline unsigned char bytes_[kSize];
  static inline std::size_t used_ = kSize;
};

}  // namespace

std::string uuid_v7(UnixMillis now) {
  // 74 bits after the timestamp: 12 (rand_a) + 62 (rand_b). Within one millisecond the whole
  // 74-bit counter is incremented, keeping the order.
  static std::mutex mutex;
  static RandomPool pool;
  static UnixMillis last_ms = 0;
  static uint64_t last_a = 0, last_b = 0;
  uint64_t a, b;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (now <= last_ms) {
      now = last_ms;
      a = last_a;
      b = last_b + 1;
      if (b >> 62) {
        b = 0;
        if (++a >> 12) {  // counter exhausted: borrow the next millisecond
          ++now;
          a = 0;
        }
      }
    } else {
      unsigned char r[10];
      pool.take(r, sizeof r);
      a = (uint64_t{r[0]} << 8 | r[1]) & 0xFFF;
      b = 0;
      for (int i = 2; i < 10; ++i) b = b << 8 | r[i];
      b &= (uint64_t{1} << 61) - 1;  // leave headroom so the counter rarely overflows
    }
    last_ms = now;
    last_a = a;
    last_b = b;
  }
  unsigned char bytes[16];
  uint64_t ms = static_cast<uint64_t>(now);
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  bytes[6] = static_cast<unsigned char>(0x70 | (a >> 8));
  bytes[7] = static_cast<unsigned char>(a);
  bytes[8] = static_cast<unsigned char>(0x80 | (b >> 56));
  for (int i = 9; i < 16; ++i) bytes[i] = static_cast<unsigned char>(b >> (8 * (15 - i)));
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

std::string uuid_v7() { return uuid_v7(Clock::system().now()); }

}  // namespace lfpse::core
