// One access-log line per answered request: fields a client controls are escaped, so a path
// with %0a or other control bytes cannot forge or break lines.
#pragma once

#include <string>
#include <string_view>

namespace lfpse::server {

/// Bytes outside printable ASCII, the space and the backslash as \xHH; "-" when empty.
std::string log_field(std::string_view s);

/// "access METHOD PATH STATUS CALLER PEER": never a body, a query string or free text.
std::string access_line(std::string_view method, std::string_view path, int status,
                        std::string_view caller, std::string_view peer);

}  // namespace lfpse::server
