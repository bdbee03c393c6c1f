#include "http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "core/time.hpp"
#include "task_pool.hpp"
#include "util.hpp"

namespace lfpse::server {

namespace {

std::atomic<int> g_log_level{static_cast<int>(LogLevel::Info)};
std::mutex g_log_mutex;
thread_local std::string t_caller;

// Only host names, addresses and ports: a forged Host header must not reach the `next` links.
bool safe_host(const std::string& h) {
  if (h.empty() || h.size() > 255) return false;
  for (char c : h) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
              c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

LogLevel parse_log_level(const std::string& s) {
  if (s == "error") return LogLevel::Error;
  if (s == "warn") return LogLevel::Warn;
  if (s == "info") return LogLevel::Info;
  if (s == "debug") return LogLevel::Debug;
  throw std::runtime_error("--log-level is error, warn, info or debug");
}

void set_log_level(LogLevel level) { g_log_level = static_cast<int>(level); }

void log_line(LogLevel level, const std::string& text) {
  if (static_cast<int>(level) > g_log_level) return;
  static const char* names[] = {"error", "warn", "info", "debug"};
  std::string line =
      core::format_rfc3339_ms(now_ms()) + " " + names[static_cast<int>(level)] + " " + text + "\n";
  std::lock_guard<std::mutex> lock(g_log_mutex);
  std::fputs(line.c_str(), stderr);
}

HttpServer::HttpServer(Api& api, const Settings& settings) : api_(api), settings_(settings) {
  if (!settings.tls_cert.empty()) {
    svr_ =
        std::make_unique<httplib::SSLServer>(settings.tls_cert.c_str(), settings.tls_key.c_str());
    if (!svr_->is_valid()) throw std::runtime_error("TLS: cannot load the certificate or key");
  } else {
    svr_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& s = *svr_;
  const std::size_t threads = static_cast<std::size_t>(settings.threads);
  s.new_task_queue = [threads] {
    return new ElasticPool(threads, std::max<std::size_t>(threads, 1024));
  };
  s.set_read_timeout(settings.read_timeout_s, 0);
  s.set_write_timeout(settings.read_timeout_s, 0);
  s.set_keep_alive_timeout(settings.keep_alive_s);
  s.set_keep_alive_max_count(100000);
  s.set_payload_max_length(kMaxBodyBytes);
  s.set_tcp_nodelay(true);
  const bool tls = !settings.tls_cert.empty();

  auto handler = [this, tls](const httplib::Request& hr, httplib::Response& res) {
    guard_.handling(hr.remote_addr, hr.remote_port);
    HttpRequest req;
    req.method = hr.method;
    req.path = hr.path;
    for (const auto& p : hr.params) req.params.emplace(p.first, p.second);
    for (const auto& h : hr.headers) req.headers.emplace_back(h.first, h.second);
    req.body = hr.body;
    req.remote = hr.remote_addr + ":" + std::to_string(hr.remote_port);
    std::string host = hr.get_header_value("Host");
    req.base_url =
        std::string(tls ? "https://" : "http://") + (safe_host(host) ? host : listen_url_);
    HttpResponse r = api_.handle(req);
    t_caller = r.caller;
    if (r.drop != HttpResponse::Drop::None) {
      guard_.drop(hr.remote_addr, hr.remote_port);
      res.status = 500;
      res.set_header("Connection", "close");
      return;
    }
    res.status = r.status;
    for (const auto& h : r.headers) res.set_header(h.first.c_str(), h.second);
    if (!r.body.empty()) res.set_content(r.body, r.content_type.c_str());
  };
  for (const char* pattern : {".*"}) {
    s.Get(pattern, handler);
    s.Post(pattern, handler);
    s.Put(pattern, handler);
    s.Delete(pattern, handler);
    s.Patch(pattern, handler);
    s.Options(pattern, handler);
  }
  // httplib answers some requests itself (a body over the limit, a malformed request line):
  // give those an OperationOutcome too, with the checks that come before 413 applied first.
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& hr, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        HttpResponse r;
        if (res.status == 413) {
          HttpRequest req;
          req.method = hr.method;
          req.path = hr.path;
          for (const auto& h : hr.headers) req.headers.emplace_back(h.first, h.second);
          req.body_too_large = true;
          r = api_.handle(req);
        } else {
          r = error_response(res.status, "bad-request", "The request could not be read as HTTP.");
        }
        res.status = r.status;
        for (const auto& h : r.headers) res.set_header(h.first.c_str(), h.second);
        res.set_content(r.body, r.content_type.c_str());
        return httplib::Server::HandlerResponse::Handled;
      }));
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    HttpResponse r = error_response(500, "internal", "The server failed.");
    res.status = 500;
    res.set_content(r.body, r.content_type.c_str());
  });
  s.set_logger([this](const httplib::Request& hr, const httplib::Response& res) {
    guard_.answered(hr.remote_addr, hr.remote_port);
    // Method, path, status, caller: never bodies, queries or free text.
    if (g_log_level >= static_cast<int>(LogLevel::Info)) {
      log_line(LogLevel::Info, "access " + hr.method + " " + hr.path + " " +
                                   std::to_string(res.status) + " " +
                                   (t_caller.empty() ? "-" : t_caller) + " " + hr.remote_addr);
    }
    t_caller.clear();
  });
}

HttpServer::~HttpServer() { guard_.stop(); }

int HttpServer::bind(const std::string& host, int port) {
  int bound = port;
  if (port == 0) {
    bound = svr_->bind_to_any_port(host);
    if (bound <= 0) throw std::runtime_error("cannot bind " + host);
  } else if (!svr_->bind_to_port(host, port)) {
    throw std::runtime_error("cannot bind " + host + ":" + std::to_string(port));
  }
  port_ = bound;
  ConnectionGuard::raise_backlog(bound, SOMAXCONN);
  listen_url_ = host + ":" + std::to_string(bound);
  return bound;
}

void HttpServer::run() {
  guard_.start(port_, settings_.request_read_limit_s * 1000);
  svr_->listen_after_bind();
  guard_.stop();
}

void HttpServer::stop() { svr_->stop(); }

}  // namespace lfpse::server
