// cpp-httplib adapted to Api: a fixed thread pool, bounded reads, TLS when configured,
// access logs without bodies, and the connection drops of the fault rules.
#pragma once

#include <memory>
#include <string>

#include "api.hpp"
#include "config.hpp"
#include "conn_guard.hpp"

namespace httplib {
class Server;
}

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
  /// Serves until stop(); in-flight requests finish before it returns.
  void run();
  void stop();

 private:
  Api& api_;
  Settings settings_;
  std::unique_ptr<httplib::Server> svr_;
  ConnectionGuard guard_;
  std::string listen_url_;
  int port_ = 0;
};

}  // namespace lfpse::server
