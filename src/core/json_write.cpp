// The canonical JSON writer of TAXONOMY.md section 6.
#include "core/json.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace lfpse::core {

namespace {

// Bytes that a JSON string must escape: the control characters, '"' and '\\'.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The offset of the first byte at or after `i` that needs escaping, or s.size().
std::size_t next_escape(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
#ifdef __SSE2__
  // Sixteen bytes at a time: most strings (codes, free text) have nothing to escape.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1F);
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                               _mm_cmpeq_epi8(_mm_max_epu8(x, control_max), control_max));
    if (int mask = _mm_movemask_epi8(hit)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < n && !needs_escape(p[i])) ++i;
  return i;
}

}  // namespace

void json_append_string(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, run)) {
    out.append(s.data() + run, i - run);
    run = i + 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void json_append_value(std::string& out, const JsonValue& v) {
  switch (v.kind()) {
    case JsonKind::Null:
      out += "null";
      break;
    case JsonKind::Bool:
      out += v.as_bool() ? "true" : "false";
      break;
    case JsonKind::Number:
      out += v.text();
      break;
    case JsonKind::String:
      json_append_string(out, v.text());
      break;
    case JsonKind::Array: {
      out += '[';
      bool first = true;
      for (const JsonValue& item : v) {
        if (!first) out += ',';
        first = false;
        json_append_value(out, item);
      }
      out += ']';
      break;
    }
    case JsonKind::Object: {
      out += '{';
      bool first = true;
      for (const JsonMember* m = v.members_begin(); m != v.members_end(); ++m) {
        if (!first) out += ',';
        first = false;
        json_append_string(out, m->name);
        out += ':';
        json_append_value(out, m->value);
      }
      out += '}';
      break;
    }
  }
}

void json_pointer_append(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

}  // namespace lfpse::core
