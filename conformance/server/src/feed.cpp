#include "feed.hpp"

#include "util.hpp"

namespace lfpse::server {

std::string encode_cursor(const Cursor& c) {
  return base64url_encode("c1:" + c.epoch + ":" + std::to_string(c.after_seq));
}

std::optional<Cursor> decode_cursor(const std::string& text) {
  if (text.size() > 200) return std::nullopt;
  auto raw = base64url_decode(text);
  if (!raw || raw->compare(0, 3, "c1:") != 0) return std::nullopt;
  std::size_t colon = raw->find(':', 3);
  if (colon == std::string::npos) return std::nullopt;
  Cursor c;
  c.epoch = raw->substr(3, colon - 3);
  auto seq = parse_uint(std::string_view(*raw).substr(colon + 1));
  if (c.epoch.empty() || !seq) return std::nullopt;
  c.after_seq = *seq;
  return c;
}

}  // namespace lfpse::server
