// Raw TCP to the server, for what an HTTP client will not send (slow-loris, broken headers).
#pragma once

#include <string>

namespace lfpse::server::test {

/// Connects to 127.0.0.1:port, from `source` (another loopback address) when given, with a
/// receive buffer of `rcvbuf` bytes when not 0; -1 on failure.
int raw_connect(int port, const char* source = nullptr, int rcvbuf = 0);
/// Sends all of `data`; false on failure.
bool raw_send(int fd, const std::string& data);
/// Reads until the peer closes or `timeout_ms` passes.
std::string raw_read_all(int fd, int timeout_ms);
/// Reads until the answer to one request (head and Content-Length body) is in, or the peer
/// closes, or `timeout_ms` passes; returns it (or what came).
std::string raw_read_answer(int fd, int timeout_ms);
/// True when the peer has closed the connection (EOF or reset) within `timeout_ms`.
bool raw_closed(int fd, int timeout_ms);

}  // namespace lfpse::server::test
