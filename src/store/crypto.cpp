#include "store/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "core/error.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

constexpr uint8_t kFormat = 0x01;
constexpr int kNonce = 12;
constexpr int kTag = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

Ctx new_ctx() {
  Ctx c(EVP_CIPHER_CTX_new());
  if (!c) throw Error(ErrorCode::NoMemory, "cannot allocate a cipher context");
  return c;
}

const unsigned char* u(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string seal_aad(std::string_view table, std::string_view column, std::string_view row_key) {
  std::string aad;
  aad.reserve(table.size() + column.size() + row_key.size() + 2);
  aad.append(table).push_back('\0');
  aad.append(column).push_back('\0');
  aad.append(row_key);
  return aad;
}

Sealer::Sealer(const std::array<uint8_t, kKeyBytes>& key) : key_(key) {}
Sealer::~Sealer() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string Sealer::seal(std::string_view plaintext, std::string_view aad) const {
  std::string out(1 + kNonce + plaintext.size() + kTag, '\0');
  auto* p = reinterpret_cast<unsigned char*>(&out[0]);
  p[0] = kFormat;
  if (RAND_bytes(p + 1, kNonce) != 1) throw Error(ErrorCode::Io, "no randomness for a nonce");
  Ctx c = new_ctx();
  int len = 0;
  bool ok = EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key_.data(), p + 1) == 1 &&
            EVP_EncryptUpdate(c.get(), nullptr, &len, u(aad), static_cast<int>(aad.size())) == 1 &&
            EVP_EncryptUpdate(c.get(), p + 1 + kNonce, &len, u(plaintext),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(c.get(), p + 1 + kNonce + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, kTag,
                                p + 1 + kNonce + plaintext.size()) == 1;
  if (!ok) throw Error(ErrorCode::Internal, "AES-256-GCM encryption failed");
  return out;
}

std::string Sealer::open(std::string_view sealed, std::string_view aad) const {
  if (sealed.size() < 1 + kNonce + kTag || static_cast<uint8_t>(sealed[0]) != kFormat)
    throw Error(ErrorCode::Corrupt, "a stored value is not sealed (store written without a key?)");
  std::size_t n = sealed.size() - 1 - kNonce - kTag;
  std::string out(n, '\0');
  const unsigned char* p = u(sealed);
  Ctx c = new_ctx();
  int len = 0;
  std::string tag(sealed.substr(1 + kNonce + n));
  bool ok =
      EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key_.data(), p + 1) == 1 &&
      EVP_DecryptUpdate(c.get(), nullptr, &len, u(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(c.get(), reinterpret_cast<unsigned char*>(&out[0]), &len, p + 1 + kNonce,
                        static_cast<int>(n)) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, kTag, &tag[0]) == 1 &&
      EVP_DecryptFinal_ex(c.get(), reinterpret_cast<unsigned char*>(&out[0]) + len, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(&out[0], out.size());
    throw Error(
        ErrorCode::Corrupt,
        "a sealed value failed authentication (wrong key, or the value was altered or moved)");
  }
  return out;
}

std::array<uint8_t, kKeyBytes> parse_hex_key(std::string_view hex) {
  while (!hex.empty() &&
         (hex.front() == ' ' || hex.front() == '\n' || hex.front() == '\t' || hex.front() == '\r'))
    hex.remove_prefix(1);
  while (!hex.empty() &&
         (hex.back() == ' ' || hex.back() == '\n' || hex.back() == '\t' || hex.back() == '\r'))
    hex.remove_suffix(1);
  if (hex.size() != 2 * kKeyBytes)
    throw Error(ErrorCode::Invalid, "a store key is 64 hexadecimal digits (32 bytes)");
  auto nib = [](char ch) -> int {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
  };
  std::array<uint8_t, kKeyBytes> key{};
  for (std::size_t i = 0; i < kKeyBytes; ++i) {
    int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw Error(ErrorCode::Invalid, "a store key is 64 hexadecimal digits");
    key[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return key;
}

}  // namespace lfpse::store
