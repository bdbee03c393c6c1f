#include "http_server.hpp"

// Beast's string_view is std::string_view, as everywhere else in the server.
#define BOOST_BEAST_USE_STD_STRING_VIEW
#include <openssl/ssl.h>
#include <sys/resource.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include "access_log.hpp"
#include "conn_table.hpp"
#include "core/time.hpp"
#include "util.hpp"

namespace lfpse::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using beast::error_code;

namespace {

std::atomic<int> g_log_level{static_cast<int>(LogLevel::Info)};
std::mutex g_log_mutex;

// TLS 1.2 suites: ECDHE key exchange (forward secret) with an AEAD cipher only; no static
// RSA, no CBC, no SHA-1 MACs. TLS 1.3 suites are all of that kind; OpenSSL's three are kept.
const char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
const char kTls13Suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// After an answer that closes the connection, the rest of the request may still be arriving:
// it is read and discarded this long, so that the client reads the answer instead of a reset.
constexpr auto kLinger = std::chrono::seconds(2);

using Parser = http::request_parser<http::string_body>;
using Response = http::response<http::string_body>;

// Only host names, addresses and ports: a forged Host header must not reach the `next` links.
bool safe_host(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  for (char c : h) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
              c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// What the layer decides from a request's head, before any body byte is read.
struct Verdict {
  enum class Kind { ReadBody, Refuse, TooLarge } kind = Kind::ReadBody;
  HttpResponse response;  // Refuse
};

Verdict refuse(int status, const char* code, const std::string& text) {
  return {Verdict::Kind::Refuse, error_response(status, code, text)};
}

HttpResponse header_too_large() {
  return error_response(431, "header-too-large", "The request's header is too large.");
}

// Beast 1.74 applies its header limit to each unparsed rest, not to the whole head, and
// counts no fields: the head is fed to the parser here, bounded in bytes and fields as it
// comes. `consumed` is what the parser took, `pending` what waits for the end of a line.
bool head_within_limits(const Parser& p, std::size_t consumed, std::size_t pending,
                        const Settings& s) {
  const auto& h = p.get();
  return consumed + (p.is_header_done() ? 0 : pending) <=
             static_cast<std::size_t>(s.max_header_bytes) &&
         std::distance(h.begin(), h.end()) <= s.max_header_count;
}

// Feeds `data` to the parser until its head is done; the bytes taken (`ec` on an error).
std::size_t feed_head(Parser& p, std::string_view data, error_code& ec) {
  std::size_t taken = 0;
  while (!p.is_header_done() && taken < data.size()) {
    std::size_t n = p.put(asio::buffer(data.data() + taken, data.size() - taken), ec);
    taken += n;
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec) break;
  }
  return taken;
}

Verdict check_head(const Parser& p, const Settings& s) {
  const auto& h = p.get();
  // A body is taken as sent, never inflated: a small compressed body can expand without bound.
  std::string_view ce = trim(h[http::field::content_encoding]);
  if (h.count(http::field::content_encoding) && !iequals(ce, "identity"))
    return refuse(415, "unsupported-encoding", "Request bodies must not have a Content-Encoding.");
  if (h.count(http::field::transfer_encoding)) {
    if (!iequals(trim(h[http::field::transfer_encoding]), "chunked"))
      return refuse(501, "unsupported-transfer-encoding",
                    "Only the chunked transfer coding is understood.");
    if (h.count(http::field::content_length))  // a request-smuggling ambiguity
      return refuse(400, "bad-request", "Content-Length and Transfer-Encoding together.");
  }
  bool framed = p.content_length().has_value() || p.chunked();
  auto m = h.method();
  if (!framed && (m == http::verb::post || m == http::verb::put || m == http::verb::patch))
    return refuse(411, "length-required", "A body needs a Content-Length or chunked framing.");
  if (p.content_length() && *p.content_length() > static_cast<uint64_t>(s.max_body_bytes))
    return {Verdict::Kind::TooLarge, {}};
  return {};
}

// Splits the request target into the decoded path and query parameters; false when it
// cannot be decoded.
bool read_target(std::string_view target, HttpRequest* req) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.substr(0, scheme.size()) == scheme) {  // absolute-form
      std::size_t slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? "/" : target.substr(slash);
    }
  }
  std::size_t q = target.find('?');
  auto path = url_decode(target.substr(0, q), false);
  if (!path) return false;
  req->path = std::move(*path);
  if (q == std::string_view::npos) return true;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    auto name = url_decode(pair.substr(0, eq), true);
    auto value = url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || !value) return false;
    req->params.emplace(std::move(*name), std::move(*value));
  }
  return true;
}

// Where the request came from and how it reached the server.
struct Origin {
  std::string remote;      // "addr:port"
  std::string scheme;      // "http://" or "https://"
  std::string listen_url;  // host:port, when the Host header is unusable
};

// The handlers' view of a request. HEAD is answered as GET (without the body); `head` tells.
bool to_request(const http::request_header<>& h, std::string body, const Origin& o,
                HttpRequest* req, bool* head) {
  *head = h.method() == http::verb::head;
  req->method = *head ? std::string("GET") : std::string(h.method_string());
  if (!read_target(h.target(), req)) return false;
  for (const auto& f : h) req->headers.emplace_back(f.name_string(), f.value());
  req->body = std::move(body);
  req->remote = o.remote;
  std::string_view host = h[http::field::host];
  req->base_url = o.scheme + (safe_host(host) ? std::string(host) : o.listen_url);
  return true;
}

Response to_response(HttpResponse r, unsigned version, bool keep_alive, bool head) {
  Response res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  for (auto& f : r.headers) {
    // HEAD is offered wherever GET is.
    if (iequals(f.first, "Allow") && f.second.find("GET") != std::string::npos)
      f.second += ", HEAD";
    res.set(f.first, f.second);
  }
  if (!r.body.empty()) res.set(http::field::content_type, r.content_type);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (head) res.body().clear();  // Content-Length stays that of the GET
  return res;
}

HttpResponse bad_request() {
  return error_response(400, "bad-request", "The request could not be read as HTTP/1.1.");
}

// Raises the soft fd limit to the hard one, and lowers --max-connections to fit in it.
Settings within_fd_limit(Settings s) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return s;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  // Room for the database, the listening socket and the connections being refused.
  auto room = static_cast<long long>(lim.rlim_cur) - 64;
  if (room < s.max_connections) {
    s.max_connections = static_cast<int>(std::max(1LL, room));
    log_line(LogLevel::Warn, "the file descriptor limit allows only " +
                                 std::to_string(s.max_connections) + " connections");
  }
  return s;
}

std::shared_ptr<ssl::context> make_tls_context(const Settings& s) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::no_compression);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(native, kTls13Suites) != 1)
    throw std::runtime_error("TLS: OpenSSL refused the protocol or cipher settings");
  error_code ec;
  ctx->use_certificate_chain_file(s.tls_cert, ec);
  if (!ec) ctx->use_private_key_file(s.tls_key, ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1)
    throw std::runtime_error("TLS: cannot load the certificate or key");
  return ctx;
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

struct HttpServer::Impl {
  Impl(Api& a, const Settings& settings)
      : api(a),
        s(within_fd_limit(settings)),
        ioc(std::max(1, settings.io_threads)),
        acceptor(ioc),
        retry(ioc),
        pool(static_cast<std::size_t>(std::max(1, settings.threads))),
        work(asio::make_work_guard(ioc)),
        table(static_cast<std::size_t>(s.max_connections),
              static_cast<std::size_t>(s.max_connections_per_peer)) {}

  void accept();
  void start_session(tcp::socket sock);
  void do_stop();
  void session_gone();
  std::shared_ptr<ssl::context> tls_context() {
    std::lock_guard<std::mutex> lock(tls_mutex);
    return tls;
  }

  Api& api;
  Settings s;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::steady_timer retry;  // accept() after a failure (no file descriptor left)
  asio::thread_pool pool;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::atomic<bool> work_released{false};
  ConnectionTable table;
  std::mutex tls_mutex;
  std::shared_ptr<ssl::context> tls;
  std::atomic<bool> stopping{false};
  Origin origin;
};

namespace {

// One connection: reads a request, has the pool answer it, writes the answer, then reads the
// next, so pipelined requests are answered in order and a half-closed client still gets its
// answer. Everything runs on the connection's strand but the start of an answer's write.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(HttpServer::Impl& srv, tcp::socket&& sock)
      : srv_(srv), stream_(std::move(sock)), write_timer_(stream_.get_executor()) {}
  Session(HttpServer::Impl& srv, tcp::socket&& sock, std::shared_ptr<ssl::context> tls)
      : srv_(srv),
        tls_(std::move(tls)),
        stream_(std::move(sock), *tls_),
        write_timer_(stream_.get_executor()) {}
  ~Session() {
    srv_.table.release(id_);
    srv_.session_gone();
  }

  void start(const std::string& addr, std::string remote) {
    remote_ = std::move(remote);
    std::weak_ptr<Session> weak = this->shared_from_this();
    // Closes the connection unless it is being answered (eviction when idle, and shutdown).
    ConnectionTable::Close close = [weak] {
      if (auto self = weak.lock())
        asio::post(self->stream_.get_executor(), [self] {
          if (!self->answering_) self->close_now();
        });
    };
    ConnectionTable::Close evicted;
    id_ = srv_.table.admit(addr, std::move(close), &evicted);
    if (evicted) evicted();
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->id_ == 0) return self->close_now();  // every counted connection is busy
      if constexpr (kTls) {
        self->lowest().expires_after(std::chrono::seconds(self->srv_.s.request_read_limit_s));
        self->stream_.async_handshake(ssl::stream_base::server, [self](error_code ec) {
          if (ec) return self->close_now();
          self->read_next();
        });
      } else {
        self->read_next();
      }
    });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  const Settings& s() const { return srv_.s; }

  void read_next() {
    if (srv_.stopping) return close_now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(s().max_header_bytes));
    // Beast 1.74 reads an absent limit as 0; the real one is set once the head is checked.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (buffer_.size() > 0) return begin_request();  // pipelined: already here
    srv_.table.set_idle(id_, true);
    lowest().expires_after(std::chrono::seconds(s().keep_alive_s));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->close_now();
                              self->begin_request();
                            });
  }

  // The request's first bytes are here: from now on one deadline covers its head and body.
  void begin_request() {
    srv_.table.set_idle(id_, false);
    lowest().expires_after(std::chrono::seconds(s().request_read_limit_s));
    head_bytes_ = 0;
    read_head();
  }

  void read_head() {
    error_code ec;
    auto data = buffer_.data();
    std::size_t n = feed_head(*parser_, {static_cast<const char*>(data.data()), data.size()}, ec);
    buffer_.consume(n);
    head_bytes_ += n;
    if (ec) return read_failed(ec);
    if (!head_within_limits(*parser_, head_bytes_, buffer_.size(), s()))
      return answer_now(header_too_large());
    if (parser_->is_header_done()) return on_head();
    stream_.async_read_some(buffer_.prepare(8192),
                            [self = this->shared_from_this()](error_code e, std::size_t got) {
                              self->buffer_.commit(got);
                              if (e) return self->read_failed(e);
                              self->read_head();
                            });
  }

  void on_head() {
    const auto& h = parser_->get();
    method_ = std::string(h.method_string());
    path_ = std::string(h.target().substr(0, h.target().find('?')));
    Verdict v = check_head(*parser_, s());
    if (v.kind == Verdict::Kind::Refuse) return answer_now(std::move(v.response));
    if (v.kind == Verdict::Kind::TooLarge) return too_large();
    parser_->body_limit(static_cast<std::uint64_t>(s().max_body_bytes));
    if (parser_->is_done()) return on_body({});
    if (iequals(trim(h[http::field::expect]), "100-continue")) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue, sizeof kContinue - 1),
                        [self = this->shared_from_this()](error_code e, std::size_t) {
                          if (e) return self->close_now();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(error_code ec) {
    if (ec == http::error::body_limit) return too_large();
    if (ec) return read_failed(ec);
    auto msg = parser_->release();
    HttpRequest req;
    bool head = false;
    if (!to_request(msg.base(), std::move(msg.body()), srv_.origin, &req, &head))
      return answer_now(bad_request());
    close_ = !msg.keep_alive();
    path_ = req.path;
    dispatch(std::move(req), msg.version(), msg.keep_alive(), head);
  }

  // The body is over the limit and not read: the handlers still answer (401 comes before
  // 413), and the connection closes after the answer.
  void too_large() {
    HttpRequest req;
    bool head = false;
    const auto& h = parser_->get().base();
    if (!to_request(h, std::string(), srv_.origin, &req, &head)) return answer_now(bad_request());
    req.body_too_large = true;
    close_ = true;
    dispatch(std::move(req), h.version(), false, head);
  }

  void read_failed(error_code ec) {
    if (ec == http::error::header_limit) return answer_now(header_too_large());
    // Parse errors are answered; a timeout, the peer's close or a reset just end it.
    if (ec.category() == http::make_error_code(http::error::need_more).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
      return answer_now(bad_request());
    close_now();
  }

  void dispatch(HttpRequest req, unsigned version, bool keep_alive, bool head) {
    answering_ = true;
    head_ = head;
    version_ = version;
    keep_alive_ = keep_alive;
    lowest().expires_never();  // the answer has its own deadline
    asio::post(srv_.pool, [self = this->shared_from_this(), req = std::move(req)]() mutable {
      HttpResponse r = self->srv_.api.handle(req);
      if (r.drop != HttpResponse::Drop::None)
        return asio::post(self->stream_.get_executor(),
                          [self, r = std::move(r)]() mutable { self->answer(std::move(r)); });
      // Nothing else acts on the connection while it is answered (no read is pending, and
      // eviction leaves it alone), so the write starts here rather than after a hop to an
      // I/O thread; its completion runs on the strand.
      self->answer(std::move(r));
    });
  }

  // An answer of the HTTP layer itself: the request was not read to its end, so it closes.
  void answer_now(HttpResponse r) {
    answering_ = true;
    close_ = true;
    head_ = false;
    version_ = 11;
    lowest().expires_never();
    answer(std::move(r));
  }

  void answer(HttpResponse r) {
    status_ = r.status;
    caller_ = r.caller;
    if (r.drop != HttpResponse::Drop::None) {  // a fault rule: the connection is lost
      log_access();
      return reset_now();
    }
    res_ = to_response(std::move(r), version_, keep_alive_ && !close_ && !srv_.stopping, head_);
    // Past the deadline the connection is reset, not closed: a close would leave the rest of
    // the answer queued in the kernel for the slow reader.
    write_timer_.expires_after(std::chrono::seconds(s().write_timeout_s));
    write_timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (!ec) self->reset_now();
    });
    http::async_write(stream_, res_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->write_timer_.cancel();
      self->log_access();
      self->answering_ = false;
      if (ec) return self->close_now();
      if (self->srv_.stopping) return self->finish_close();  // no lingering at shutdown
      if (!self->res_.keep_alive()) return self->linger_close();
      self->read_next();
    });
  }

  void log_access() {
    if (g_log_level < static_cast<int>(LogLevel::Info)) return;
    std::string addr = remote_.substr(0, remote_.rfind(':'));
    log_line(LogLevel::Info, access_line(method_, path_, status_, caller_, addr));
  }

  // Stops sending, reads what the client still sends for a short while, then closes.
  void linger_close() {
    lowest().expires_after(kLinger);
    if constexpr (kTls) {
      stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->close_now(); });
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }

  void finish_close() {
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().close();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(drain_buf_),
                            [self = this->shared_from_this()](error_code ec, std::size_t) {
                              if (ec) return self->close_now();
                              self->drain();
                            });
  }

  void reset_now() {
    error_code ignored;
    lowest().socket().set_option(tcp::socket::linger(true, 0), ignored);
    close_now();
  }

  void close_now() {
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
  }

  HttpServer::Impl& srv_;
  std::shared_ptr<ssl::context> tls_;  // before stream_, which refers to it
  Stream stream_;
  asio::steady_timer write_timer_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  Response res_;
  uint64_t id_ = 0;
  std::size_t head_bytes_ = 0;  // of the request being read
  std::string remote_, method_, path_, caller_;
  int status_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = true, head_ = false, close_ = false, answering_ = false;
  char drain_buf_[4096];
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](error_code ec, tcp::socket sock) {
    if (stopping) return;
    if (ec) {
      // Out of file descriptors (or a connection reset before it was accepted): try again
      // shortly instead of spinning.
      log_line(LogLevel::Warn, "accept: " + ec.message());
      retry.expires_after(std::chrono::milliseconds(50));
      retry.async_wait([this](error_code e) {
        if (!e && !stopping) accept();
      });
      return;
    }
    start_session(std::move(sock));
    accept();
  });
}

void HttpServer::Impl::start_session(tcp::socket sock) {
  error_code ec;
  tcp::endpoint peer = sock.remote_endpoint(ec);
  if (ec) return;
  sock.set_option(tcp::no_delay(true), ec);
  std::string addr = peer.address().to_string();
  std::string remote = addr + ":" + std::to_string(peer.port());
  if (!s.tls_cert.empty()) {
    std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(sock),
                                                                    tls_context())
        ->start(addr, std::move(remote));
  } else {
    std::make_shared<Session<beast::tcp_stream>>(*this, std::move(sock))
        ->start(addr, std::move(remote));
  }
}

void HttpServer::Impl::do_stop() {
  if (stopping.exchange(true)) return;
  error_code ignored;
  acceptor.close(ignored);
  retry.cancel();
  for (auto& close : table.all()) close();
  session_gone();
}

void HttpServer::Impl::session_gone() {
  if (stopping && table.open() == 0 && !work_released.exchange(true))
    asio::post(ioc, [this] { work.reset(); });
}

HttpServer::HttpServer(Api& api, const Settings& settings)
    : impl_(std::make_unique<Impl>(api, settings)) {
  if (!settings.tls_cert.empty()) impl_->tls = make_tls_context(settings);
  impl_->origin.scheme = settings.tls_cert.empty() ? "http://" : "https://";
}

HttpServer::~HttpServer() = default;

int HttpServer::bind(const std::string& host, int port) {
  Impl& m = *impl_;
  tcp::resolver resolver(m.ioc);
  error_code ec;
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) throw std::runtime_error("cannot resolve " + host);
  tcp::endpoint ep = *results.begin();
  m.acceptor.open(ep.protocol(), ec);
  if (!ec) m.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor.bind(ep, ec);
  if (!ec) m.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot bind " + host + ":" + std::to_string(port));
  int bound = m.acceptor.local_endpoint().port();
  m.origin.listen_url = host + ":" + std::to_string(bound);
  return bound;
}

void HttpServer::run() {
  Impl& m = *impl_;
  m.accept();
  std::vector<std::thread> io;
  for (int i = 1; i < m.s.io_threads; ++i) io.emplace_back([&m] { m.ioc.run(); });
  m.ioc.run();
  for (auto& t : io) t.join();
  m.pool.join();
}

void HttpServer::stop() {
  Impl* m = impl_.get();
  asio::post(m->ioc, [m] { m->do_stop(); });
}

bool HttpServer::reload_tls() {
  if (impl_->s.tls_cert.empty()) return false;
  try {
    auto ctx = make_tls_context(impl_->s);
    std::lock_guard<std::mutex> lock(impl_->tls_mutex);
    impl_->tls = std::move(ctx);
  } catch (const std::exception& e) {
    log_line(LogLevel::Error, std::string(e.what()) + "; the certificate in use stays");
    return false;
  }
  log_line(LogLevel::Info, "TLS certificate reloaded");
  return true;
}

std::string serve_bytes(Api& api, const Settings& s, std::string_view wire) {
  Origin origin{"127.0.0.1:1", "http://", "127.0.0.1:1"};
  std::string out;
  auto write = [&out](Response res) {
    std::ostringstream os;
    os << res;
    out += os.str();
  };
  // Writes an answer of the layer itself, after which the connection closes.
  auto last = [&](HttpResponse r) {
    write(to_response(std::move(r), 11, false, false));
    return out;
  };
  for (;;) {
    Parser p;
    p.header_limit(static_cast<std::uint32_t>(s.max_header_bytes));
    p.body_limit(std::numeric_limits<std::uint64_t>::max());
    error_code ec;
    std::size_t consumed = feed_head(p, wire, ec);
    wire.remove_prefix(consumed);
    if (ec == http::error::header_limit) return last(header_too_large());
    if (ec) return last(bad_request());
    if (!head_within_limits(p, consumed, wire.size(), s)) return last(header_too_large());
    if (!p.is_header_done()) return out;  // the client stopped sending
    Verdict v = check_head(p, s);
    if (v.kind == Verdict::Kind::Refuse) return last(std::move(v.response));
    bool too_large = v.kind == Verdict::Kind::TooLarge;
    if (!too_large) {
      p.body_limit(static_cast<std::uint64_t>(s.max_body_bytes));
      while (!p.is_done() && !wire.empty() && !ec)
        wire.remove_prefix(p.put(asio::buffer(wire.data(), wire.size()), ec));
      if (ec == http::error::need_more) ec = {};
      bool done = p.is_done();
      too_large = ec == http::error::body_limit;
      if (ec && !too_large) return last(bad_request());
      if (!too_large && !done) return out;
    }
    const auto& h = p.get().base();
    HttpRequest req;
    bool head = false;
    if (!to_request(h, too_large ? std::string() : p.get().body(), origin, &req, &head))
      return last(bad_request());
    req.body_too_large = too_large;
    HttpResponse r = api.handle(req);
    if (r.drop != HttpResponse::Drop::None) return out;
    bool again = p.get().keep_alive() && !too_large;
    write(to_response(std::move(r), h.version(), again, head));
    if (!again) return out;
  }
}

}  // namespace lfpse::server
