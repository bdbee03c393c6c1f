#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"

using lfpse::core::Error;
using lfpse::core::JsonDocument;
using lfpse::core::JsonWriter;

TEST_CASE("json writer: commas and nesting come out right for objects inside arrays") {
  JsonWriter w;
  w.begin_object().member("a", 1).key("list").begin_array();
  w.begin_object().member("x", true).end_object();
  w.begin_array().end_array();
  w.begin_object().end_object();
  w.value("s").null();
  w.end_array().member("b", std::optional<std::string>{}).end_object();
  CHECK(w.take() == R"({"a":1,"list":[{"x":true},[],{},"s",null],"b":null})");
}

TEST_CASE("json writer: strings and keys are escaped, and the result parses back") {
  JsonWriter w;
  w.begin_object().member("q\"k", std::string("a\\b\n\x01\xc3\xa9")).end_object();
  std::string out = w.take();
  CHECK(out == "{\"q\\\"k\":\"a\\\\b\\n\\u0001\xc3\xa9\"}");
  JsonDocument doc;
  REQUIRE(doc.parse(out, nullptr));
  CHECK(doc.root().find("q\"k")->text() == "a\\b\n\x01\xc3\xa9");
}

TEST_CASE("json writer: raw values and values appended by another layer take their comma") {
  JsonWriter w;
  w.begin_array().raw(R"({"a":1})").value_by([](std::string& o) { o += "[2]"; });
  w.value(int64_t{-9007199254740993}).end_array();
  CHECK(w.take() == R"([{"a":1},[2],-9007199254740993])");
}

TEST_CASE("json writer: a parsed value is written back as it was spelled") {
  JsonDocument doc;
  REQUIRE(doc.parse(R"({"n":1.50,"e":[]})", nullptr));
  JsonWriter w;
  w.begin_object().member("doc", doc.root()).end_object();
  CHECK(w.take() == R"({"doc":{"n":1.50,"e":[]}})");
}

TEST_CASE("json writer: misuse is refused as an internal error, not written") {
  JsonWriter value_without_key;
  value_without_key.begin_object();
  CHECK_THROWS_AS(value_without_key.value(1), Error);

  JsonWriter key_in_array;
  key_in_array.begin_array();
  CHECK_THROWS_AS(key_in_array.key("a"), Error);

  JsonWriter mismatched;
  mismatched.begin_array();
  CHECK_THROWS_AS(mismatched.end_object(), Error);

  JsonWriter unfinished;
  unfinished.begin_object().key("a");
  CHECK_THROWS_AS(unfinished.take(), Error);

  JsonWriter two;
  two.value(1);
  CHECK_THROWS_AS(two.value(2), Error);

  JsonWriter empty;
  CHECK_THROWS_AS(empty.take(), Error);
}
