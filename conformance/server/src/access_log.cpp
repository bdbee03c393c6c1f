#include "access_log.hpp"

namespace lfpse::server {

std::string log_field(std::string_view s) {
  if (s.empty()) return "-";
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c > 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string access_line(std::string_view method, std::string_view path, int status,
                        std::string_view caller, std::string_view peer) {
  return "access " + log_field(method) + " " + log_field(path) + " " + std::to_string(status) +
         " " + log_field(caller) + " " + log_field(peer);
}

}  // namespace lfpse::server
