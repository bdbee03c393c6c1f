// Small helpers shared by the server's files: randomness, hashes, encodings, clocks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lfpse::server {

/// `bytes` random bytes from OpenSSL's CSPRNG, as lower-case hex.
std::string random_hex(std::size_t bytes);
/// A random (version 4) UUID, lower case.
std::string uuid_v4();
/// SHA-256 of `data`, lower-case hex.
std::string sha256_hex(std::string_view data);

std::string base64url_encode(std::string_view data);
/// Strict: only the URL-safe alphabet, no padding; nullopt on anything else.
std::optional<std::string> base64url_decode(std::string_view text);

/// Decodes %XX and '+' (form encoding); nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view s, bool plus_is_space);
std::string url_encode(std::string_view s);
/// application/x-www-form-urlencoded; nullopt when malformed or a name repeats.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view body);

/// `http(s)://authority[/path]` without its trailing slashes; nullopt when it is not such a
/// URL (a query, a fragment, spaces or control characters, an empty authority).
std::optional<std::string> parse_public_url(std::string_view url);

/// Wall clock in milliseconds since the epoch.
int64_t now_ms();

/// A number from decimal digits only; nullopt on anything else or overflow.
std::optional<int64_t> parse_uint(std::string_view s);

}  // namespace lfpse::server
