#include "feed.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "util.hpp"

namespace lfpse::server {

namespace {
constexpr std::size_t kMacBytes = 16;  // 128 bits: not guessable online

std::string mac(const CursorScope& scope, const std::string& position) {
  // Length-prefixed fields, so no two (org, epoch, position) triples share an input.
  std::string input = "lfpse-cursor-v2";
  for (const std::string* f : {&scope.org, &scope.epoch, &position}) {
    input += ':' + std::to_string(f->size()) + ':';
    input += *f;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), scope.key.data(), static_cast<int>(scope.key.size()),
            reinterpret_cast<const unsigned char*>(input.data()), input.size(), md, &len))
    throw std::runtime_error("HMAC failed");
  return std::string(reinterpret_cast<const char*>(md), kMacBytes);
}
}  // namespace

std::string encode_cursor(const CursorScope& scope, int64_t after) {
  std::string position = std::to_string(after);
  return "c2." + position + "." + base64url_encode(mac(scope, position));
}

std::optional<int64_t> decode_cursor(const CursorScope& scope, const std::string& text) {
  if (text.size() > 64 || text.compare(0, 3, "c2.") != 0) return std::nullopt;
  std::size_t dot = text.find('.', 3);
  if (dot == std::string::npos) return std::nullopt;
  std::string position = text.substr(3, dot - 3);
  auto after = parse_uint(position);
  if (!after || std::to_string(*after) != position) return std::nullopt;
  // Compared as text: base64url's last character has spare bits, and a decoder that ignores
  // them would take an altered cursor for the real one.
  std::string expected = base64url_encode(mac(scope, position));
  std::string_view given = std::string_view(text).substr(dot + 1);
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(expected.data(), given.data(), expected.size()) != 0)
    return std::nullopt;
  return *after;
}

}  // namespace lfpse::server
