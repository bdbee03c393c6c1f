// Strict JSON parsing into the arena DOM of json.hpp, through RapidJSON's SAX reader.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2  // SIMD scanning of whitespace and unescaped string runs
#endif
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include "core/json.hpp"
#include "core/utf8.hpp"

namespace lfpse::core {

// Bump allocator: nodes and member arrays of one document, freed together.
struct JsonDocument::Arena {
  std::string text;  // the parsed copy: strings point into it (in situ)
  std::vector<std::unique_ptr<char[]>> blocks;
  char* cursor = nullptr;
  std::size_t left = 0;

  void* allocate(std::size_t bytes) {
    bytes = (bytes + 15) & ~std::size_t{15};
    if (bytes > left) {
      std::size_t size = std::max<std::size_t>(bytes, 16 * 1024);
      blocks.emplace_back(new char[size]);
      cursor = blocks.back().get();
      left = size;
    }
    void* p = cursor;
    cursor += bytes;
    left -= bytes;
    return p;
  }
};

// Work space of one parse, kept per thread so that parsing allocates only the arena.
struct BuilderScratch {
  std::vector<JsonMember> stack;        // values of the open containers, innermost last
  std::vector<std::string_view> names;  // the member name of each open container
  std::vector<uint32_t> slots;          // open-addressing table for repeated-name checks
};

class JsonBuilder {
 public:
  JsonBuilder(JsonDocument::Arena& arena, unsigned max_depth, BuilderScratch& scratch)
      : arena_(arena),
        max_depth_(max_depth),
        stack_(scratch.stack),
        names_(scratch.names),
        slots_(scratch.slots) {
    stack_.clear();
    names_.clear();
  }

  bool Null() { return push(JsonKind::Null); }
  bool Bool(bool b) {
    JsonValue& v = push_value(JsonKind::Bool);
    v.bool_ = b;
    return true;
  }
  // Numbers arrive as raw text (kParseNumbersAsStringsFlag); these are never called.
  bool Int(int) { return false; }
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return push_text(JsonKind::Number, s, n);
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return push_text(JsonKind::String, s, n);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    pending_name_ = std::string_view(s, n);
    return true;
  }
  bool StartObject() { return enter(); }
  bool StartArray() { return enter(); }
  bool EndObject(rapidjson::SizeType count) {
    --depth_;
    JsonMember* members = static_cast<JsonMember*>(arena_.allocate(sizeof(JsonMember) * count));
    const JsonMember* first = stack_.data() + (stack_.size() - count);
    std::uninitialized_copy(first, first + count, members);
    if (!unique_names(members, count)) return false;
    stack_.resize(stack_.size() - count);
    pending_name_ = names_.back();
    names_.pop_back();
    JsonValue& v = push_value(JsonKind::Object);
    v.members_ = members;
    v.size_ = count;
    return true;
  }
  bool EndArray(rapidjson::SizeType count) {
    --depth_;
    JsonValue* items = static_cast<JsonValue*>(arena_.allocate(sizeof(JsonValue) * count));
    for (rapidjson::SizeType i = 0; i < count; ++i) {
      new (&items[i]) JsonValue(stack_[stack_.size() - count + i].value);
    }
    stack_.resize(stack_.size() - count);
    pending_name_ = names_.back();
    names_.pop_back();
    JsonValue& v = push_value(JsonKind::Array);
    v.items_ = items;
    v.size_ = count;
    return true;
  }

  JsonValue root() const { return stack_.empty() ? JsonValue() : stack_.front().value; }
  const std::string& failure() const { return failure_; }

 private:
  bool enter() {
    if (++depth_ > max_depth_) {
      failure_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    names_.push_back(pending_name_);  // the member name this container will be stored under
    return true;
  }
  JsonValue& push_value(JsonKind kind) {
    stack_.push_back(JsonMember{pending_name_, JsonValue()});
    JsonValue& v = stack_.back().value;
    v.kind_ = kind;
    return v;
  }
  bool push(JsonKind kind) {
    push_value(kind);
    return true;
  }
  bool push_text(JsonKind kind, const char* s, rapidjson::SizeType n) {
    JsonValue& v = push_value(kind);
    v.str_ = s;
    v.size_ = n;
    return true;
  }
  bool unique_names(const JsonMember* members, std::size_t count) {
    if (count <= 8) {  // small objects: compare pairwise
      for (std::size_t i = 1; i < count; ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (members[i].name == members[j].name) return repeated(members[i].name);
        }
      }
      return true;
    }
    // Larger ones: an open-addressing table of member indexes (+1), at most half full.
    std::size_t size = 16;
    while (size < 2 * count) size *= 2;
    slots_.assign(size, 0);
    for (std::size_t i = 0; i < count; ++i) {
      std::string_view name = members[i].name;
      uint32_t hash = 2166136261u;  // FNV-1a
      for (char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
      for (std::size_t slot = hash & (size - 1);; slot = (slot + 1) & (size - 1)) {
        if (slots_[slot] == 0) {
          slots_[slot] = static_cast<uint32_t>(i + 1);
          break;
        }
        if (members[slots_[slot] - 1].name == name) return repeated(name);
      }
    }
    return true;
  }
  bool repeated(std::string_view name) {
    failure_ = "member name repeated in one object: \"";
    failure_.append(name.substr(0, 64));
    failure_ += '"';
    return false;
  }

  JsonDocument::Arena& arena_;
  unsigned max_depth_;
  unsigned depth_ = 0;
  std::string_view pending_name_;
  std::vector<JsonMember>& stack_;
  std::vector<std::string_view>& names_;
  std::vector<uint32_t>& slots_;
  std::string failure_;
};

JsonDocument::JsonDocument() = default;
JsonDocument::~JsonDocument() = default;
JsonDocument::JsonDocument(JsonDocument&&) noexcept = default;
JsonDocument& JsonDocument::operator=(JsonDocument&&) noexcept = default;

bool JsonDocument::parse(std::string_view text, JsonError* error, const JsonLimits& limits) {
  arena_.reset();
  root_ = JsonValue();
  auto fail = [&](std::string message, std::size_t offset) {
    arena_.reset();
    root_ = JsonValue();
    if (error) *error = JsonError{std::move(message), offset};
    return false;
  };
  if (text.size() > limits.max_bytes) {
    // The first byte past the limit is where the text stopped being acceptable.
    return fail("document larger than " + std::to_string(limits.max_bytes) + " bytes",
                limits.max_bytes);
  }
  auto arena = std::make_unique<Arena>();
  // RapidJSON's SIMD scanning reads whole 16-byte blocks, so the buffer is padded with NULs
  // past the terminator: no read leaves the allocation.
  arena->text.reserve(text.size() + 16);
  arena->text.assign(text.data(), text.size());
  arena->text.append(15, '\0');
  thread_local BuilderScratch scratch;
  JsonBuilder builder(*arena, limits.max_depth, scratch);
  rapidjson::GenericInsituStringStream<rapidjson::UTF8<>> stream(arena->text.data());
  rapidjson::Reader reader;
  // UTF-8 is checked once over the whole text (utf8.hpp: an ASCII fast path), which costs
  // far less than RapidJSON's per-character check inside every string.
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseIterativeFlag;
  // In situ parsing needs a NUL terminator; an embedded NUL byte ends the text early, so it
  // must be refused explicitly rather than silently truncating the document.
  if (std::memchr(text.data(), '\0', text.size()) != nullptr) {
    return fail(
        "NUL byte in the text",
        static_cast<std::size_t>(
            static_cast<const char*>(std::memchr(text.data(), '\0', text.size())) - text.data()));
  }
  std::size_t bad_utf8 = utf8_invalid_at(text);
  if (bad_utf8 != text.size()) return fail("invalid UTF-8", bad_utf8);
  rapidjson::ParseResult ok = reader.Parse<kFlags>(stream, builder);
  if (!ok) {
    std::string message = builder.failure().empty()
                              ? std::string(rapidjson::GetParseError_En(ok.Code()))
                              : builder.failure();
    if (!message.empty() && message.back() == '.') message.pop_back();  // callers punctuate
    return fail(message, ok.Offset());
  }
  root_ = builder.root();
  arena_ = std::move(arena);
  if (error) *error = JsonError{};
  return true;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const JsonMember* m = members_; m != members_ + size_; ++m) {
    if (m->name == key) return &m->value;
  }
  return nullptr;
}

bool JsonValue::is_integer_literal() const {
  if (!is_number()) return false;
  std::string_view t = text();
  return t.find_first_of(".eE") == std::string_view::npos;
}

bool JsonValue::to_int64(int64_t* out) const {
  if (!is_integer_literal()) return false;
  std::string_view t = text();
  bool negative = !t.empty() && t[0] == '-';
  uint64_t magnitude = 0;
  for (std::size_t i = negative ? 1 : 0; i < t.size(); ++i) {
    unsigned digit = static_cast<unsigned>(t[i] - '0');
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (magnitude > kMaxPositive + 1) return false;
    *out = magnitude == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                         : -static_cast<int64_t>(magnitude);
  } else {
    if (magnitude > kMaxPositive) return false;
    *out = static_cast<int64_t>(magnitude);
  }
  return true;
}

double JsonValue::to_double() const {
  if (!is_number()) return 0;
  double d = 0;
  std::from_chars(str_, str_ + size_, d);  // the parser already checked the syntax
  return d;
}

}  // namespace lfpse::core
