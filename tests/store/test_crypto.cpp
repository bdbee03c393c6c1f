// Encryption at rest: sealed values, keys, and no answer text on disk.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "helpers.hpp"
#include "store/crypto.hpp"

using namespace lfpse::store;
using namespace store_test;
using lfpse::core::Error;
using lfpse::core::ErrorCode;

namespace {

std::array<uint8_t, 32> key_of(uint8_t seed) {
  std::array<uint8_t, 32> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(seed + i * 7);
  return k;
}

StoreOptions keyed(std::optional<std::array<uint8_t, 32>> key) {
  StoreOptions o = with_taxonomies({});
  o.key = key;
  return o;
}

const std::string kAnswer = "Morphine sulfate 10 mg/5 ml oral solution";

bool on_disk(const std::string& path, const std::string& text) {
  return contains(read_file(path), text) || contains(read_file(path + "-wal"), text);
}

}  // namespace

TEST_CASE("crypto: a sealed value opens only with its key, in its own place, with a fresh nonce") {
  Sealer s(key_of(1));
  std::string aad = seal_aad("events", "snapshot", "E1");
  std::string a = s.seal("answer text", aad);
  std::string b = s.seal("answer text", aad);
  CHECK(a != b);
  CHECK(s.open(a, aad) == "answer text");
  CHECK_THROWS_AS(s.open(a, seal_aad("events", "snapshot", "E2")), Error);
  CHECK_THROWS_AS(s.open(a, seal_aad("operations", "body", "E1")), Error);
  Sealer other(key_of(2));
  CHECK_THROWS_AS(other.open(a, aad), Error);
  std::string flipped = a;
  flipped[20] = static_cast<char>(flipped[20] ^ 1);
  CHECK_THROWS_AS(s.open(flipped, aad), Error);
  CHECK(parse_hex_key(std::string(64, 'a'))[0] == 0xAA);
  CHECK_THROWS_AS(parse_hex_key("abc"), Error);
}

TEST_CASE("crypto: no answer text reaches the database file or its WAL when a key is set") {
  TempDir dir;
  std::string plain = dir.file("plain.db"), sealed = dir.file("sealed.db");
  {
    auto p = Store::open(plain, keyed(std::nullopt));
    p->record(event("P1"));
    CHECK(on_disk(plain, kAnswer));  // the probe finds the text when it is there
  }
  {
    auto s = Store::open(sealed, keyed(key_of(9)));
    s->record(event("S1"));
    s->update(event("S1", 2));
    auto ops = s->claim_due(5, 1000);
    REQUIRE(ops.size() == 1);
    CHECK(contains(ops[0].body, kAnswer));
    s->fail_permanent(ops[0].op_id, ops[0].lease_token, "HTTP 422",
                      "{\"resourceType\":\"OperationOutcome\",\"echo\":\"" + kAnswer + "\"}");
    CHECK(contains(*s->show_json("S1"), kAnswer));
    CHECK_FALSE(on_disk(sealed, kAnswer));
    CHECK_FALSE(on_disk(sealed, "oral morphine"));
  }
  CHECK_FALSE(on_disk(sealed, kAnswer));
  auto again = Store::open(sealed, keyed(key_of(9)));
  CHECK(contains(*again->show_json("S1"), "Revision 2."));
}

TEST_CASE("crypto: opening with the wrong key, no key, or a key for a plain store fails clearly") {
  TempDir dir;
  std::string sealed = dir.file("sealed.db"), plain = dir.file("plain.db");
  { Store::open(sealed, keyed(key_of(3)))->record(event("K1")); }
  { Store::open(plain, keyed(std::nullopt))->record(event("K2")); }
  auto code_of = [](const std::string& path, std::optional<std::array<uint8_t, 32>> key) {
    try {
      Store::open(path, keyed(key));
    } catch (const Error& e) {
      MESSAGE(std::string(e.what()));
      return e.code();
    }
    return ErrorCode::Internal;
  };
  CHECK(code_of(sealed, key_of(4)) == ErrorCode::Invalid);
  CHECK(code_of(sealed, std::nullopt) == ErrorCode::Invalid);
  CHECK(code_of(plain, key_of(3)) == ErrorCode::Invalid);
  CHECK(Store::open(sealed, keyed(key_of(3)))->show_json("K1"));
}
