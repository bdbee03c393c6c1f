// The HTTP/1.1 layer (Boost.Beast over Boost.Asio, OpenSSL for TLS) adapted to Api. Only
// http_server.cpp sees the library. Sockets are served asynchronously by a few I/O threads;
// handlers (blocking SQLite work) run on a fixed pool; every resource a client can make the
// server hold is bounded (README.md, Limits).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api.hpp"
#include "config.hpp"

namespace lfpse::server {

enum class LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 };
LogLevel parse_log_level(const std::string& s);
void log_line(LogLevel level, const std::string& text);
void set_log_level(LogLevel level);

class HttpServer {
 public:
  HttpServer(Api& api, const Settings& settings);
  ~HttpServer();

  /// Binds; returns the port (a free one when `port` is 0). Throws on failure.
  int bind(const std::string& host, int port);
  /// Serves until stop(); requests being answered finish before it returns.
  void run();
  /// From any thread, even before run().
  void stop();
  /// Loads --tls-cert and --tls-key again for new connections (SIGHUP). On failure the
  /// certificate in use stays, and it returns false.
  bool reload_tls();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// The HTTP layer without sockets, for the fuzz target: reads `wire` as what one client sent
/// on one connection, answers each request as a connection would (same parser, same limits,
/// same checks, in order), and returns the bytes the server would have written back.
std::string serve_bytes(Api& api, const Settings& settings, std::string_view wire);

}  // namespace lfpse::server
