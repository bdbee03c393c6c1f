// Sealing of stored values with AES-256-GCM (the one wrapper around OpenSSL).
//
// A sealed value is: 1 format byte (0x01), a 12-byte nonce fresh from the OS's CSPRNG for
// every write, the ciphertext, and the 16-byte tag. The associated data names the value's
// place (table, column, the row's stable key), so a sealed value copied to another row or
// column fails to open, and VACUUM (which renumbers rowids) does not disturb it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace lfpse::store {

constexpr std::size_t kKeyBytes = 32;

/// The associated data for a value: table, column and row key, NUL-separated.
std::string seal_aad(std::string_view table, std::string_view column, std::string_view row_key);

class Sealer {
 public:
  explicit Sealer(const std::array<uint8_t, kKeyBytes>& key);
  ~Sealer();  // wipes the key
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;

  std::string seal(std::string_view plaintext, std::string_view aad) const;
  /// Throws core::Error(Corrupt) when the value was not sealed with this key for this place.
  std::string open(std::string_view sealed, std::string_view aad) const;

 private:
  std::array<uint8_t, kKeyBytes> key_;
};

/// Parses 64 hex digits (surrounding white space allowed); throws core::Error(Invalid).
std::array<uint8_t, kKeyBytes> parse_hex_key(std::string_view hex);

}  // namespace lfpse::store
