// A strict, read-only JSON DOM and a canonical writer.
//
// Why not RapidJSON's Document: TAXONOMY.md section 6 needs numbers kept exactly as spelled
// (FHIR decimals), repeated member names refused, and a nesting limit. The parser drives
// RapidJSON's SAX reader (in situ, iterative, UTF-8 validated) and builds this compact tree in
// one arena, so a parsed document is a few allocations regardless of its size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lfpse::core {

enum class JsonKind : uint8_t { Null, Bool, Number, String, Array, Object };

struct JsonMember;

/// One node of a parsed document. Nodes, member arrays and strings live in the owning
/// JsonDocument; a JsonValue is valid as long as its document is.
class JsonValue {
 public:
  JsonKind kind() const { return kind_; }
  bool is_null() const { return kind_ == JsonKind::Null; }
  bool is_bool() const { return kind_ == JsonKind::Bool; }
  bool is_number() const { return kind_ == JsonKind::Number; }
  bool is_string() const { return kind_ == JsonKind::String; }
  bool is_array() const { return kind_ == JsonKind::Array; }
  bool is_object() const { return kind_ == JsonKind::Object; }

  bool as_bool() const { return bool_; }
  /// String value (unescaped UTF-8) or, for a number, its text exactly as written.
  std::string_view text() const { return std::string_view(str_, size_); }

  /// Array elements / object members (empty for scalars).
  std::size_t size() const { return is_array() || is_object() ? size_ : 0; }
  const JsonValue* begin() const { return items_; }
  const JsonValue* end() const { return items_ + size(); }
  const JsonValue& operator[](std::size_t i) const { return items_[i]; }
  const JsonMember* members_begin() const { return members_; }
  const JsonMember* members_end() const;
  /// The member named `key`, or nullptr (linear: objects here are small).
  const JsonValue* find(std::string_view key) const;

  /// Number helpers. `is_integer_literal` is true when the text has no fraction or exponent.
  bool is_integer_literal() const;
  /// Parses the number text; false when it does not fit (or is not a number).
  bool to_int64(int64_t* out) const;
  double to_double() const;

 private:
  friend class JsonBuilder;
  JsonKind kind_ = JsonKind::Null;
  bool bool_ = false;
  uint32_t size_ = 0;
  union {
    const char* str_;
    const JsonValue* items_;
    const JsonMember* members_;
  };

 public:
  JsonValue() : str_(nullptr) {}
};

struct JsonMember {
  std::string_view name;
  JsonValue value;
};

inline const JsonMember* JsonValue::members_end() const { return members_ + size(); }

/// Why a text is not one JSON value under TAXONOMY.md section 6.
struct JsonError {
  std::string message;     ///< e.g. "Invalid value"
  std::size_t offset = 0;  ///< the byte where the text stopped being acceptable
  /// The message with its place, as every caller words it: "Invalid value (at byte 12)".
  std::string text() const { return message + " (at byte " + std::to_string(offset) + ")"; }
};

struct JsonLimits {
  unsigned max_depth = 64;           ///< containers nested deeper than this are refused
  std::size_t max_bytes = 1u << 20;  ///< larger texts are refused before parsing
};

/// A parsed document: owns a copy of the text (parsed in situ) and an arena of nodes.
class JsonDocument {
 public:
  JsonDocument();
  ~JsonDocument();
  JsonDocument(JsonDocument&&) noexcept;
  JsonDocument& operator=(JsonDocument&&) noexcept;

  /// Parses `text` strictly. On failure returns false and fills `error`; the document is
  /// then empty. Invalid UTF-8, syntax errors, trailing text, NaN/Infinity, repeated member
  /// names, nesting deeper than limits.max_depth and texts over limits.max_bytes all fail.
  bool parse(std::string_view text, JsonError* error, const JsonLimits& limits = {});

  const JsonValue& root() const { return root_; }

  struct Arena;  ///< defined in json_parse.cpp

 private:
  std::unique_ptr<Arena> arena_;
  JsonValue root_;
};

/// Appends `s` as a JSON string literal with the escaping of TAXONOMY.md section 6:
/// only `"`, `\` and U+0000-U+001F are escaped (`\b \f \n \r \t`, others `\u00XX`).
void json_append_string(std::string& out, std::string_view s);

/// Appends a parsed value, compact, members in their original order, numbers as spelled.
void json_append_value(std::string& out, const JsonValue& v);

/// Appends "/" and one escaped JSON Pointer reference token (RFC 6901: `~` -> `~0`, `/` -> `~1`).
void json_pointer_append(std::string& pointer, std::string_view token);

}  // namespace lfpse::core
