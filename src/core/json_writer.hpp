// The one JSON writer of the library's outputs (the C ABI's results, the store's queries): it
// places the commas, checks the nesting and escapes strings as TAXONOMY.md section 6 says, so
// that no caller builds JSON by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace lfpse::core {

/// Writes one compact JSON value. Members are written as key() then a value, or member().
/// Misuse (a value where a key is due, unbalanced ends, take() before the value is complete)
/// throws Error(Internal): it is a bug in the caller, never the user's input.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t n);
  JsonWriter& value(int n) { return value(int64_t{n}); }
  JsonWriter& value(bool b);
  /// A string, or null when empty.
  JsonWriter& value(const std::optional<std::string>& s);
  /// A parsed value, as it was spelled.
  JsonWriter& value(const JsonValue& v);
  JsonWriter& null();
  /// Text that is already one complete JSON value (a stored document), copied as is.
  JsonWriter& raw(std::string_view json);
  /// One value appended by `append(std::string&)`, a function of another layer that writes
  /// exactly one JSON value (the validator's issue list).
  template <typename F>
  JsonWriter& value_by(F&& append) {
    before_value();
    append(out_);
    return *this;
  }

  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  JsonWriter& member_null(std::string_view name) { return key(name).null(); }
  JsonWriter& member_raw(std::string_view name, std::string_view json) {
    return key(name).raw(json);
  }

  /// The document; the writer must hold one complete value.
  std::string take();

 private:
  void before_value();
  void open(char c, bool object);
  void close(char c, bool object);

  struct Level {
    bool object;
    bool empty = true;
    bool after_key = false;
  };
  std::string out_;
  std::vector<Level> levels_;
  bool done_ = false;
};

}  // namespace lfpse::core
