// lfpse-server: the reference implementation of API.md (see ../README.md for the flags).
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "api.hpp"
#include "config.hpp"
#include "core/json.hpp"
#include "event_repo.hpp"
#include "http_server.hpp"
#include "secrets.hpp"
#include "storage.hpp"
#include "taxonomy/taxonomy_set.hpp"
#include "util.hpp"

using namespace lfpse::server;

namespace {

const char kUsage[] =
    "usage: lfpse-server (--demo | --config FILE) [--listen HOST:PORT] [--db PATH]\n"
    "                    [--tls-cert PEM --tls-key PEM] [--rate-limit PER_SECOND[:BURST]]\n"
    "                    [--no-rate-limit] [--log-level error|warn|info|debug] [--new-epoch]\n"
    "                    [--token-ttl S] [--public-url URL] [--feed-page-bytes N]\n"
    "  HTTP limits:      [--threads N] [--io-threads N] [--max-header-bytes N]\n"
    "                    [--max-header-count N] [--max-body-bytes N] [--max-connections N]\n"
    "                    [--max-connections-per-peer N] [--keep-alive S] [--request-timeout S]\n"
    "                    [--write-timeout S]\n";

[[noreturn]] void usage_error(const std::string& why) {
  std::fprintf(stderr, "lfpse-server: %s\n%s", why.c_str(), kUsage);
  std::exit(2);
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int to_int(const std::string& flag, const std::string& v) {
  auto n = parse_uint(v);
  if (!n || *n > 1000000) usage_error(flag + " takes a whole number");
  return static_cast<int>(*n);
}

int* http_limit_flag(Settings* s, const std::string& flag) {
  if (flag == "--threads") return &s->threads;
  if (flag == "--io-threads") return &s->io_threads;
  if (flag == "--max-header-bytes") return &s->max_header_bytes;
  if (flag == "--max-header-count") return &s->max_header_count;
  if (flag == "--max-body-bytes") return &s->max_body_bytes;
  if (flag == "--max-connections") return &s->max_connections;
  if (flag == "--max-connections-per-peer") return &s->max_connections_per_peer;
  if (flag == "--keep-alive") return &s->keep_alive_s;
  if (flag == "--request-timeout") return &s->request_read_limit_s;
  if (flag == "--write-timeout") return &s->write_timeout_s;
  return nullptr;
}

// Keys and private keys appear only for --demo, whose purpose is to hand them to the LRMS
// under test; a --config server prints none (the operator's file holds them).
std::string first_line(const Config& c, const std::string& url, bool show_secrets) {
  using lfpse::core::json_append_string;
  std::string out = "{\"url\":";
  json_append_string(out, url);
  out += ",\"organisations\":[";
  for (std::size_t i = 0; i < c.organisations.size(); ++i) {
    const Organisation& o = c.organisations[i];
    if (i) out += ',';
    out += "{\"ods\":";
    json_append_string(out, o.ods);
    out += ",\"api_key\":";
    if (!show_secrets || o.api_keys.empty()) {
      out += "null";
    } else {
      json_append_string(out, o.api_keys[0]);
    }
    out += ",\"client_id\":";
    json_append_string(out, o.clients.empty() ? std::string() : o.clients[0].client_id);
    out += ",\"private_key_pem\":";
    if (!show_secrets || o.clients.empty() || o.clients[0].private_key_pem.empty()) {
      out += "null";
    } else {
      json_append_string(out, o.clients[0].private_key_pem);
    }
    out += '}';
  }
  out += "],\"admin_key\":";
  if (!show_secrets || c.admin_key.empty()) {
    out += "null";
  } else {
    json_append_string(out, c.admin_key);
  }
  out += ",\"token_url\":";
  json_append_string(out, c.settings.public_url + "/oauth2/token");
  out += '}';
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  std::string config_path;
  std::optional<double> rate, burst;
  bool no_rate_limit = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--demo")
      s.demo = true;
    else if (a == "--config")
      config_path = value();
    else if (a == "--listen")
      s.listen = value();
    else if (a == "--db")
      s.db = value();
    else if (a == "--tls-cert")
      s.tls_cert = value();
    else if (a == "--tls-key")
      s.tls_key = value();
    else if (a == "--no-rate-limit")
      no_rate_limit = true;
    else if (a == "--rate-limit") {
      std::string v = value();
      std::size_t colon = v.find(':');
      rate = to_int(a, v.substr(0, colon));
      if (colon != std::string::npos) burst = to_int(a, v.substr(colon + 1));
    } else if (a == "--log-level")
      s.log_level = value();
    else if (a == "--new-epoch")
      s.new_epoch = true;
    else if (int* limit = http_limit_flag(&s, a))  // the HTTP layer's bounds, each at least 1
      *limit = std::max(1, to_int(a, value()));
    else if (a == "--token-ttl")
      s.token_ttl_s = std::max(1, to_int(a, value()));
    else if (a == "--public-url") {
      auto u = parse_public_url(value());
      if (!u) usage_error("--public-url is http(s)://host[:port][/path]");
      s.public_url = *u;
    } else if (a == "--feed-page-bytes") {
      auto n = parse_uint(value());
      if (!n || *n < 4096 || *n > (int64_t{1} << 30))
        usage_error("--feed-page-bytes takes a number of bytes from 4096 to 1073741824");
      s.feed_page_bytes = static_cast<std::size_t>(*n);
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else
      usage_error("unknown argument " + a);
  }
  if (!s.demo && config_path.empty()) usage_error("give --demo or --config FILE");
  if (s.tls_cert.empty() != s.tls_key.empty()) usage_error("--tls-cert and --tls-key go together");
  std::size_t colon = s.listen.rfind(':');
  if (colon == std::string::npos) usage_error("--listen is HOST:PORT");
  std::string host = s.listen.substr(0, colon);
  int port = to_int("--listen", s.listen.substr(colon + 1));

  // Signals go to one thread: SIGTERM and SIGINT stop the server, SIGHUP reloads the TLS
  // certificate. Every other thread blocks them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    set_log_level(parse_log_level(s.log_level));
    Storage storage(s.db);
    ServerContext ctx;
    if (!config_path.empty()) {
      std::string dir = config_path.find('/') == std::string::npos
                            ? std::string(".")
                            : config_path.substr(0, config_path.rfind('/'));
      ctx.config = parse_config(read_whole(config_path), dir);
      // Outside --demo the server keeps no private key, and none a demo run left behind.
      drop_private_keys(ctx.config);
      storage.write([](Db& db) {
        if (forget_demo_credentials(db))
          log_line(LogLevel::Warn,
                   "removed the demo credentials a --demo run kept in the database");
      });
    } else {
      // --demo: made once, then kept in the database so a restart serves the same keys.
      storage.write([&](Db& db) {
        if (auto saved = get_meta(db, "demo_identities")) {
          ctx.config = parse_config(*saved, ".");
        } else {
          ctx.config = make_demo_config();
          set_meta(db, "demo_identities", identities_json(ctx.config));
        }
      });
    }
    Settings file_settings = ctx.config.settings;
    s.rate_limit = file_settings.rate_limit && !no_rate_limit;
    s.rate_per_second = rate.value_or(file_settings.rate_per_second);
    s.rate_burst =
        burst.value_or(rate ? std::max(*rate, file_settings.rate_burst) : file_settings.rate_burst);
    storage.write([&](Db& db) {
      auto epoch = get_meta(db, "feed_epoch");
      if (!epoch || s.new_epoch) {
        epoch = random_hex(8);
        set_meta(db, "feed_epoch", *epoch);
      }
      ctx.epoch = *epoch;
      ctx.cursor_key = cursor_key(db);
    });

    lfpse::taxonomy::TaxonomySet taxonomies(true);
    ctx.storage = &storage;
    ctx.taxonomies = &taxonomies;
    ctx.auth = std::make_unique<Auth>(ctx.config, s.token_ttl_s, &storage);
    ctx.limiter = std::make_unique<RateLimiter>(s.rate_limit, s.rate_per_second, s.rate_burst);

    Api api(ctx);
    HttpServer server(api, s);
    int bound = server.bind(host, port);
    s.listen = host + ":" + std::to_string(bound);
    ctx.config.settings = s;
    std::string url = std::string(s.tls_cert.empty() ? "http://" : "https://") + s.listen;
    if (ctx.config.settings.public_url.empty()) ctx.config.settings.public_url = url;
    std::string line = first_line(ctx.config, url, s.demo) + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
    log_line(LogLevel::Info, "serving " + url + " (db " + s.db + ", epoch " + ctx.epoch + ")");

    std::atomic<bool> served{false};
    std::thread stopper([&server, &served, stop_signals] {
      int sig = 0;
      while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP && !served) server.reload_tls();
      if (served) return;
      log_line(LogLevel::Info,
               std::string("stopping on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
      server.stop();  // taken even before run() starts
    });

    server.run();  // returns once in-flight requests have finished
    served = true;
    pthread_kill(stopper.native_handle(), SIGTERM);  // wakes it if run() ended on its own
    stopper.join();
    storage.stop();  // and their writes are committed
    // Always printed: the group-commit ratio is the figure an operator wants to see.
    std::fprintf(stderr, "lfpse-server: stopped: %llu writes in %llu commits\n",
                 static_cast<unsigned long long>(storage.jobs()),
                 static_cast<unsigned long long>(storage.commits()));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lfpse-server: %s\n", e.what());
    return 1;
  }
}
