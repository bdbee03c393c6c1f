// Raw TCP to the server, for what an HTTP client will not send (slow-loris, broken headers).
#pragma once

#include <string>

namespace lfpse::server::test {

/// Connects to 127.0.0.1:port; -1 on failure.
int raw_connect(int port);
/// Sends all of `data`; false on failure.
bool raw_send(int fd, const std::string& data);
/// Reads until the peer closes or `timeout_ms` passes.
std::string raw_read_all(int fd, int timeout_ms);
/// True when the peer has closed the connection (EOF or reset) within `timeout_ms`.
bool raw_closed(int fd, int timeout_ms);

}  // namespace lfpse::server::test
