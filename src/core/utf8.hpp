// UTF-8 checks and code point counting, with an ASCII fast path (most event text is ASCII).
#pragma once

#include <cstddef>
#include <string_view>

namespace lfpse::core {

/// Offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF), or s.size() when the whole text is valid.
std::size_t utf8_invalid_at(std::string_view s);

/// Number of code points in valid UTF-8 (bytes that are not continuation bytes).
std::size_t utf8_length(std::string_view s);

}  // namespace lfpse::core
