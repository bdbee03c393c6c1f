#include <doctest/doctest.h>

#include <string>

#include "core/json.hpp"
#include "core/utf8.hpp"

using lfpse::core::JsonDocument;
using lfpse::core::JsonError;
using lfpse::core::JsonKind;

namespace {
bool parses(const std::string& text, JsonError* error = nullptr) {
  JsonDocument doc;
  return doc.parse(text, error);
}
std::string nested(unsigned depth) { return std::string(depth, '[') + std::string(depth, ']'); }
}  // namespace

TEST_CASE("json: a document keeps member order and numbers exactly as spelled") {
  JsonDocument doc;
  REQUIRE(doc.parse(R"({"b":1.50,"a":[true,null,"x\u00e9\n"],"c":-0,"d":1e5})", nullptr));
  const auto& root = doc.root();
  REQUIRE(root.is_object());
  CHECK(root.size() == 4);
  CHECK(root.members_begin()->name == "b");
  CHECK(root.find("b")->text() == "1.50");
  CHECK(root.find("d")->text() == "1e5");
  CHECK(root.find("a")->size() == 3);
  CHECK((*root.find("a"))[2].text() == "x\xc3\xa9\n");
  std::string out;
  lfpse::core::json_append_value(out, root);
  CHECK(out == "{\"b\":1.50,\"a\":[true,null,\"x\xc3\xa9\\n\"],\"c\":-0,\"d\":1e5}");
}

TEST_CASE("json: a repeated member name is refused, in any object") {
  JsonError error;
  CHECK_FALSE(parses(R"({"a":1,"a":2})", &error));
  CHECK(error.message.find("repeated") != std::string::npos);
  CHECK_FALSE(parses(R"({"x":{"k":1,"j":2,"k":3}})"));
  CHECK(parses(R"({"x":{"k":1},"y":{"k":1}})"));
}

TEST_CASE("json: nesting is limited to 64 levels, without deep recursion") {
  CHECK(parses(nested(64)));
  CHECK_FALSE(parses(nested(65)));
  JsonError error;
  CHECK_FALSE(parses(nested(100000), &error));
  CHECK(error.message.find("nesting") != std::string::npos);
}

TEST_CASE("json: NaN, Infinity, trailing text, invalid UTF-8 and NUL bytes are refused") {
  CHECK_FALSE(parses("{\"a\":NaN}"));
  CHECK_FALSE(parses("{\"a\":Infinity}"));
  CHECK_FALSE(parses("{\"a\":-Infinity}"));
  CHECK_FALSE(parses("{} {}"));
  CHECK_FALSE(parses("{}x"));
  CHECK_FALSE(parses("{\"a\":\"\xff\"}"));
  CHECK_FALSE(parses("{\"a\":\"\xc3\"}"));
  CHECK_FALSE(parses("{\"a\":\"\\ud800\"}"));
  CHECK_FALSE(parses(std::string("{}\0", 3)));
  CHECK_FALSE(parses(""));
  CHECK(parses(" {} \n"));
}

TEST_CASE("json: a text over the size limit is refused before parsing") {
  JsonDocument doc;
  JsonError error;
  lfpse::core::JsonLimits limits;
  limits.max_bytes = 16;
  CHECK_FALSE(doc.parse("{\"a\":\"0123456789\"}", &error, limits));
  CHECK(error.message.find("larger") != std::string::npos);
}

TEST_CASE("json: integers are read exactly, and out-of-range ones are reported") {
  JsonDocument doc;
  REQUIRE(
      doc.parse("[9223372036854775807,-9223372036854775808,9223372036854775808,5.0,5e0]", nullptr));
  int64_t v = 0;
  CHECK(doc.root()[0].to_int64(&v));
  CHECK(v == INT64_MAX);
  CHECK(doc.root()[1].to_int64(&v));
  CHECK(v == INT64_MIN);
  CHECK_FALSE(doc.root()[2].to_int64(&v));
  CHECK_FALSE(doc.root()[3].is_integer_literal());
  CHECK_FALSE(doc.root()[4].is_integer_literal());
  CHECK(doc.root()[3].to_double() == 5.0);
}

TEST_CASE("json: strings are escaped only where the canonical form requires") {
  std::string out;
  lfpse::core::json_append_string(out, std::string("a\"b\\c/\x01\x1f\x7f\b\f\r\t\xc3\xa9", 15));
  CHECK(out == "\"a\\\"b\\\\c/\\u0001\\u001F\x7f\\b\\f\\r\\t\xc3\xa9\"");
  std::string pointer;
  lfpse::core::json_pointer_append(pointer, "a/b~c");
  CHECK(pointer == "/a~1b~0c");
}

TEST_CASE("json: escaping agrees with a byte-by-byte reference at every position and length") {
  // The writer scans sixteen bytes at a time: put each special byte at every offset of strings
  // long enough to cross block edges, beside bytes >= 0x80 that must pass through unescaped.
  auto reference = [](const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      static const char kHex[] = "0123456789ABCDEF";
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c < 0x20 && c != '\b' && c != '\f' && c != '\r' && c != '\t') {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  const std::string specials("\"\\\x00\x1f\n\x7f\x80\xff\x20", 9);
  for (std::size_t len : {1u, 15u, 16u, 17u, 31u, 32u, 33u, 47u}) {
    for (std::size_t at = 0; at < len; ++at) {
      for (char special : specials) {
        std::string s(len, 'x');
        s[at] = special;
        if (len > 20) s[len - 1 - at % 5] = '\xc3';
        std::string out;
        lfpse::core::json_append_string(out, s);
        CAPTURE(len);
        CAPTURE(at);
        CHECK(out == reference(s));
      }
    }
  }
}

TEST_CASE("utf8: invalid sequences are found at their first byte, valid text passes") {
  using lfpse::core::utf8_invalid_at;
  CHECK(utf8_invalid_at("plain ascii text, longer than eight bytes") == 41);
  CHECK(utf8_invalid_at("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == 14);
  CHECK(utf8_invalid_at("abcdefgh\xc0\xaf") == 8);    // overlong '/'
  CHECK(utf8_invalid_at("\xed\xa0\x80") == 0);        // a UTF-16 surrogate
  CHECK(utf8_invalid_at("ab\xf4\x90\x80\x80") == 2);  // above U+10FFFF
  CHECK(utf8_invalid_at("abc\xe2\x82") == 3);         // truncated
  CHECK(utf8_invalid_at("\x80") == 0);                // a lone continuation byte
  CHECK(lfpse::core::utf8_length("caf\xc3\xa9") == 4);
}

TEST_CASE("json: numbers beyond int64 are values; beyond the double range they are refused") {
  CHECK(parses("[99999999999999999999,1e308,1e-400]"));
  JsonError error;
  CHECK_FALSE(parses("[1e400]", &error));
  CHECK(error.message == "Number too big to be stored in double");
  CHECK_FALSE(parses("[-1e400]"));
}

TEST_CASE("json: empty containers and texts ending on a 16-byte boundary parse cleanly") {
  CHECK(parses("{}"));
  CHECK(parses("[]"));
  CHECK(parses("{\"a\":{},\"b\":[],\"c\":[{}]}"));
  CHECK(parses("{\"k\":\"0123456789\"}"));  // 16 bytes
  CHECK(lfpse::core::utf8_invalid_at("0123456789abcdef") == 16);
  CHECK(lfpse::core::utf8_invalid_at("0123456789abcdef\xc3\xa9") == 18);
}
