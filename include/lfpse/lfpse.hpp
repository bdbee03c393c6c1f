/**
 * lfpse.hpp: a header-only C++17 wrapper over the C ABI of lfpse.h, with RAII handles and
 * exceptions. It adds no logic: every call is one C call.
 */
#ifndef LFPSE_LFPSE_HPP
#define LFPSE_LFPSE_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lfpse/lfpse.h"
#include "lfpse/lfpse_sys.h"

namespace lfpse {

/** Thrown for every status but LFPSE_OK (and LFPSE_EEVENT where a verdict is returned). */
class error : public std::runtime_error {
 public:
  error(lfpse_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  lfpse_status status() const noexcept { return status_; }

 private:
  lfpse_status status_;
};

/** The result of a call that may refuse an event: the output, or the verdict with its issues. */
struct event_result {
  bool ok;          /**< false: the event does not validate (or cannot be read) */
  std::string json; /**< the output when ok, else the verdict `{"valid":false,"issues":[...]}` */
};

namespace detail {

inline void check(lfpse_status st) {
  if (st != LFPSE_OK) {
    throw error(st, std::string(lfpse_status_str(st)) + ": " + lfpse_error_last());
  }
}

/** Takes ownership of a string the library returned. */
inline std::string take(char* p, size_t len) {
  std::unique_ptr<char, decltype(&lfpse_free)> owned(p, &lfpse_free);
  return p ? std::string(p, len) : std::string();
}

/** Runs a C call that returns a string through (char **, size_t *); throws on failure. */
template <typename F>
std::string out(F&& call) {
  char* p = nullptr;
  size_t n = 0;
  lfpse_status st = call(&p, &n);
  std::string s = take(p, n);
  check(st);
  return s;
}

/** As out(), but LFPSE_EEVENT is a result (the refused event's verdict), not an exception. */
template <typename F>
event_result refusable(F&& call) {
  char* p = nullptr;
  size_t n = 0;
  lfpse_status st = call(&p, &n);
  std::string s = take(p, n);
  if (st == LFPSE_EEVENT) return {false, s};
  check(st);
  return {true, s};
}

}  // namespace detail

/** The validation clock: the system's, or a fixed instant. */
class clock {
 public:
  static clock system() { return clock(LFPSE_NOW_SYSTEM); }
  static clock at_unix_ms(int64_t ms) { return clock(ms); }
  /** Throws lfpse::error (LFPSE_EINVALID) for text that is not an RFC 3339 date-time. */
  static clock at(const std::string& rfc3339) {
    int64_t ms = 0;
    detail::check(lfpse_time_parse(rfc3339.c_str(), &ms));
    return clock(ms);
  }
  lfpse_event_options options() const {
    lfpse_event_options opts = LFPSE_EVENT_OPTIONS_INIT;
    opts.now_unix_ms = ms_;
    return opts;
  }

 private:
  explicit clock(int64_t ms) : ms_(ms) {}
  int64_t ms_;
};

/** A set of taxonomy versions (thread-safe, see lfpse.h). Movable, not copyable. */
class taxonomy_set {
 public:
  /** With the built-in versions 5 and 6 unless `builtin` is false. */
  explicit taxonomy_set(bool builtin = true) {
    detail::check(lfpse_taxonomy_set_new(
        &set_, builtin ? LFPSE_TAXONOMY_SET_DEFAULT : LFPSE_TAXONOMY_SET_NO_BUILTIN));
  }
  ~taxonomy_set() { lfpse_taxonomy_set_free(set_); }
  taxonomy_set(taxonomy_set&& o) noexcept : set_(o.set_) { o.set_ = nullptr; }
  taxonomy_set& operator=(taxonomy_set&& o) noexcept {
    std::swap(set_, o.set_);
    return *this;
  }
  taxonomy_set(const taxonomy_set&) = delete;
  taxonomy_set& operator=(const taxonomy_set&) = delete;

  /** Loads a taxonomy document; returns its version. */
  std::string load_json(std::string_view json) {
    char* version = nullptr;
    detail::check(lfpse_taxonomy_set_load_json(set_, json.data(), json.size(), &version));
    return detail::take(version, std::char_traits<char>::length(version));
  }
  std::string load_file(const std::string& path) {
    char* version = nullptr;
    detail::check(lfpse_taxonomy_set_load_file(set_, path.c_str(), &version));
    return detail::take(version, std::char_traits<char>::length(version));
  }
  std::string versions() const {
    return detail::out(
        [&](char** o, size_t* n) { return lfpse_taxonomy_set_versions(set_, o, n); });
  }
  std::string document(const std::string& version) const {
    return detail::out([&](char** o, size_t* n) {
      return lfpse_taxonomy_set_document(set_, version.c_str(), o, n);
    });
  }
  std::string schema(const std::string& version) const {
    return detail::out([&](char** o, size_t* n) {
      return lfpse_taxonomy_set_schema(set_, version.c_str(), o, n);
    });
  }

  /** `{"valid":bool,"issues":[...]}` for any input. */
  std::string validate(std::string_view event, const clock& c = clock::system()) const {
    lfpse_event_options opts = c.options();
    return detail::out([&](char** o, size_t* n) {
      return lfpse_event_validate(set_, event.data(), event.size(), &opts, o, n);
    });
  }
  /** The shown / required questions, or the verdict when the event cannot be read. */
  event_result shown(std::string_view event) const {
    return detail::refusable([&](char** o, size_t* n) {
      return lfpse_event_shown(set_, event.data(), event.size(), o, n);
    });
  }
  /** The AdverseEvent, or the verdict when the event has errors. */
  event_result to_fhir(std::string_view event, const clock& c = clock::system()) const {
    lfpse_event_options opts = c.options();
    return detail::refusable([&](char** o, size_t* n) {
      return lfpse_event_to_fhir(set_, event.data(), event.size(), &opts, o, n);
    });
  }
  /** The canonical event document of a resource, and the national additions. */
  std::pair<std::string, std::string> from_fhir(std::string_view resource) const {
    char *event = nullptr, *national = nullptr;
    size_t event_len = 0, national_len = 0;
    lfpse_status st = lfpse_event_from_fhir(set_, resource.data(), resource.size(), &event,
                                            &event_len, &national, &national_len);
    std::string e = detail::take(event, event_len), n = detail::take(national, national_len);
    detail::check(st);
    return {e, n};
  }
  /** `{"event":...|null,"issues":[...]}`; ok is false when the event could not be read. */
  event_result migrate(std::string_view event, const std::string& to_version,
                       const clock& c = clock::system()) const {
    lfpse_event_options opts = c.options();
    return detail::refusable([&](char** o, size_t* n) {
      return lfpse_event_migrate(set_, event.data(), event.size(), to_version.c_str(), &opts, o, n);
    });
  }

  lfpse_taxonomy_set* handle() const noexcept { return set_; }

 private:
  lfpse_taxonomy_set* set_ = nullptr;
};

/** Options for store::open(): the builder of lfpse.h, with RAII. */
class store_options {
 public:
  store_options() { detail::check(lfpse_store_options_new(&opts_)); }
  ~store_options() { lfpse_store_options_free(opts_); }
  store_options(const store_options&) = delete;
  store_options& operator=(const store_options&) = delete;

  store_options& synchronous_normal(bool normal = true) {
    detail::check(lfpse_store_options_set_synchronous(
        opts_, normal ? LFPSE_SYNCHRONOUS_NORMAL : LFPSE_SYNCHRONOUS_FULL));
    return *this;
  }
  store_options& busy_timeout_ms(int ms) {
    detail::check(lfpse_store_options_set_busy_timeout(opts_, ms));
    return *this;
  }
  /** 32 bytes: encryption at rest (AES-256-GCM). */
  store_options& key(const unsigned char* key, size_t len) {
    detail::check(lfpse_store_options_set_key(opts_, key, len));
    return *this;
  }
  store_options& coalesce_updates(bool on = true) {
    detail::check(lfpse_store_options_set_coalesce_updates(opts_, on ? 1 : 0));
    return *this;
  }
  store_options& taxonomies(const taxonomy_set& set) {
    detail::check(lfpse_store_options_set_taxonomies(opts_, set.handle()));
    return *this;
  }
  store_options& now(const clock& c) {
    detail::check(lfpse_store_options_set_now(opts_, c.options().now_unix_ms));
    return *this;
  }
  store_options& max_pages(int64_t pages) {
    detail::check(lfpse_store_options_set_max_pages(opts_, pages));
    return *this;
  }
  /** Threads record_batch may start to prepare a large batch (default 0: none). */
  store_options& prepare_threads(int threads) {
    detail::check(lfpse_store_options_set_prepare_threads(opts_, threads));
    return *this;
  }
  /** Opens the store read-only: queries only, writes throw (LFPSE_EIO); see lfpse.h. */
  store_options& read_only(bool on = true) {
    detail::check(lfpse_store_options_set_read_only(opts_, on ? 1 : 0));
    return *this;
  }
  const lfpse_store_options* handle() const noexcept { return opts_; }

 private:
  lfpse_store_options* opts_ = nullptr;
};

/** The local event store and offline queue (thread-safe, see lfpse.h). Movable. */
class store {
 public:
  explicit store(const std::string& path, const store_options* opts = nullptr) {
    detail::check(lfpse_store_open(&store_, path.c_str(), opts ? opts->handle() : nullptr));
  }
  ~store() { lfpse_store_free(store_); }
  store(store&& o) noexcept : store_(o.store_) { o.store_ = nullptr; }
  store& operator=(store&& o) noexcept {
    std::swap(store_, o.store_);
    return *this;
  }
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  /** ok is false when the event was refused for its issues (json holds them). */
  event_result record(std::string_view event, bool draft = false) {
    return detail::refusable([&](char** o, size_t* n) {
      return lfpse_store_record(store_, event.data(), event.size(), draft ? LFPSE_STORE_DRAFT : 0u,
                                o, n);
    });
  }
  event_result update(std::string_view event, bool draft = false) {
    return detail::refusable([&](char** o, size_t* n) {
      return lfpse_store_update(store_, event.data(), event.size(), draft ? LFPSE_STORE_DRAFT : 0u,
                                o, n);
    });
  }
  event_result withdraw(const std::string& local_id) {
    return detail::refusable(
        [&](char** o, size_t* n) { return lfpse_store_withdraw(store_, local_id.c_str(), o, n); });
  }
  /** One transaction for all; a JSON array of results. */
  std::string record_batch(const std::vector<std::string>& events, bool draft = false) {
    std::vector<const char*> texts;
    std::vector<size_t> lens;
    for (const std::string& e : events) {
      texts.push_back(e.data());
      lens.push_back(e.size());
    }
    return detail::out([&](char** o, size_t* n) {
      return lfpse_store_record_batch(store_, texts.data(), lens.data(), events.size(),
                                      draft ? LFPSE_STORE_DRAFT : 0u, o, n);
    });
  }
  int64_t retry(const std::string& local_id) {
    int64_t n = 0;
    detail::check(lfpse_store_retry(store_, local_id.c_str(), &n));
    return n;
  }
  std::string status() {
    return detail::out([&](char** o, size_t* n) { return lfpse_store_status(store_, o, n); });
  }
  /** nullopt for an unknown local_id. */
  std::optional<std::string> show(const std::string& local_id) {
    char* p = nullptr;
    size_t n = 0;
    lfpse_status st = lfpse_store_show(store_, local_id.c_str(), &p, &n);
    std::string s = detail::take(p, n);
    if (st == LFPSE_ENOTFOUND) return std::nullopt;
    detail::check(st);
    return s;
  }
  std::string list(const char* state = nullptr) {
    return detail::out([&](char** o, size_t* n) { return lfpse_store_list(store_, state, o, n); });
  }
  std::string dead_letters() {
    return detail::out([&](char** o, size_t* n) { return lfpse_store_dead_letters(store_, o, n); });
  }
  std::string changed_since(int64_t since_unix_ms) {
    return detail::out([&](char** o, size_t* n) {
      return lfpse_store_changed_since(store_, since_unix_ms, o, n);
    });
  }
  /** Calls `line` for every event; a `false` return stops the export. */
  void export_lines(const std::function<bool(std::string_view)>& line) {
    auto cb = [](const char* text, size_t len, void* user) -> int {
      return (*static_cast<const std::function<bool(std::string_view)>*>(user))({text, len}) ? 0
                                                                                             : 1;
    };
    lfpse_status st =
        lfpse_store_export(store_, cb, const_cast<std::function<bool(std::string_view)>*>(&line));
    if (st != LFPSE_EUSER) detail::check(st);
  }
  std::string integrity_check() {
    return detail::out(
        [&](char** o, size_t* n) { return lfpse_store_integrity_check(store_, o, n); });
  }

  // The transport's side: the queue calls of lfpse_sys.h (formats there).
  std::string claim(int max, int64_t lease_ms) {
    return detail::out(
        [&](char** o, size_t* n) { return lfpse_store_claim(store_, max, lease_ms, o, n); });
  }
  void complete(const std::string& op_id, const std::string& lease, const std::string& ack_json) {
    detail::check(lfpse_store_complete(store_, op_id.c_str(), lease.c_str(), ack_json.c_str()));
  }
  void fail_transient(const std::string& op_id, const std::string& lease,
                      int64_t next_attempt_unix_ms, const std::string& error) {
    detail::check(lfpse_store_fail_transient(store_, op_id.c_str(), lease.c_str(),
                                             next_attempt_unix_ms, error.c_str()));
  }
  void fail_permanent(const std::string& op_id, const std::string& lease, const std::string& error,
                      const std::string& outcome_json, bool conflict = false) {
    detail::check(lfpse_store_fail_permanent(store_, op_id.c_str(), lease.c_str(), error.c_str(),
                                             outcome_json.c_str(), conflict ? 1 : 0));
  }
  /** "inserted", "updated", "withdrawn" or "ignored". */
  std::string apply_pulled(const std::string& change_json) {
    const char* result = nullptr;
    detail::check(lfpse_store_apply_pulled(store_, change_json.c_str(), &result));
    return result;
  }
  std::optional<std::string> cursor() {
    char* p = nullptr;
    size_t n = 0;
    lfpse_status st = lfpse_store_cursor(store_, &p, &n);
    std::string s = detail::take(p, n);
    if (st == LFPSE_ENOTFOUND) return std::nullopt;
    detail::check(st);
    return s;
  }
  void set_cursor(const std::string& cursor) {
    detail::check(lfpse_store_set_cursor(store_, cursor.c_str()));
  }
  /** After `410 cursor-expired`: begin, re-read the whole feed through apply_pulled, finish. */
  void feed_reset_begin() { detail::check(lfpse_store_feed_reset_begin(store_)); }
  bool feed_reset_active() {
    int active = 0;
    detail::check(lfpse_store_feed_reset_active(store_, &active));
    return active != 0;
  }
  /** `{"requeued":[local_ids],"unmapped":[local_ids]}` */
  std::string feed_reset_finish() {
    return detail::out(
        [&](char** o, size_t* n) { return lfpse_store_feed_reset_finish(store_, o, n); });
  }

  lfpse_store* handle() const noexcept { return store_; }

 private:
  lfpse_store* store_ = nullptr;
};

}  // namespace lfpse

#endif /* LFPSE_LFPSE_HPP */
