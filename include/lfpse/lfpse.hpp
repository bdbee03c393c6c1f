/**
 * lfpse.hpp: a header-only C++17 wrapper over the C ABI of lfpse.h, with RAII handles and
 * exceptions. It adds no logic: every call is one C call.
 */
#ifndef LFPSE_LFPSE_HPP
#define LFPSE_LFPSE_HPP

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "lfpse/lfpse.h"

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

/** The result of a call that may refuse an event: the output, or the verdict with its issues. */
struct event_result {
  bool ok;           /**< false: the event does not validate (or cannot be read) */
  std::string json;  /**< the output when ok, else the verdict `{"valid":false,"issues":[...]}` */
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
  std::string versions() const { return out([&](char** o, size_t* n) { return lfpse_taxonomy_set_versions(set_, o, n); }); }
  std::string document(const std::string& version) const {
    return out([&](char** o, size_t* n) { return lfpse_taxonomy_set_document(set_, version.c_str(), o, n); });
  }
  std::string schema(const std::string& version) const {
    return out([&](char** o, size_t* n) { return lfpse_taxonomy_set_schema(set_, version.c_str(), o, n); });
  }

  /** `{"valid":bool,"issues":[...]}` for any input. */
  std::string validate(std::string_view event, const clock& c = clock::system()) const {
    lfpse_event_options opts = c.options();
    return out([&](char** o, size_t* n) {
      return lfpse_event_validate(set_, event.data(), event.size(), &opts, o, n);
    });
  }
  /** The shown / required questions, or the verdict when the event cannot be read. */
  event_result shown(std::string_view event) const {
    return refusable([&](char** o, size_t* n) {
      return lfpse_event_shown(set_, event.data(), event.size(), o, n);
    });
  }
  /** The AdverseEvent, or the verdict when the event has errors. */
  event_result to_fhir(std::string_view event, const clock& c = clock::system()) const {
    lfpse_event_options opts = c.options();
    return refusable([&](char** o, size_t* n) {
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
    return refusable([&](char** o, size_t* n) {
      return lfpse_event_migrate(set_, event.data(), event.size(), to_version.c_str(), &opts, o, n);
    });
  }

  lfpse_taxonomy_set* handle() const noexcept { return set_; }

 private:
  template <typename F>
  static std::string out(F&& call) {
    char* p = nullptr;
    size_t n = 0;
    lfpse_status st = call(&p, &n);
    std::string s = detail::take(p, n);
    detail::check(st);
    return s;
  }
  template <typename F>
  static event_result refusable(F&& call) {
    char* p = nullptr;
    size_t n = 0;
    lfpse_status st = call(&p, &n);
    std::string s = detail::take(p, n);
    if (st == LFPSE_EEVENT) return {false, s};
    detail::check(st);
    return {true, s};
  }

  lfpse_taxonomy_set* set_ = nullptr;
};

}  // namespace lfpse

#endif /* LFPSE_LFPSE_HPP */
