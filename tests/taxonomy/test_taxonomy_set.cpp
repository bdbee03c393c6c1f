// The taxonomy set shared between threads (taxonomy_set.hpp): validating threads and a thread
// that keeps replacing a version. Run under ThreadSanitizer in CI (.ci/run).
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "taxonomy/event.hpp"
#include "taxonomy/validator_fixture.hpp"

using namespace lfpse::taxonomy;
using namespace lfpse::taxonomy::testing;

namespace {

// Version 9 again, with X001's max_length 200 lowered to 3.
std::string strict_variant() {
  std::string doc(kTestTaxonomy);
  const std::string from = R"({"max_length": 200})";
  const auto at = doc.find(from);
  REQUIRE(at != std::string::npos);
  return doc.replace(at, from.size(), R"({"max_length": 3})");
}

}  // namespace

TEST_CASE("taxonomy set: threads validate while another replaces their version, each seeing one") {
  TaxonomySet set(false);
  set.load_json(kTestTaxonomy);
  const std::string strict = strict_variant();
  const std::string event = event9(R"({"K001":"1","X001":"abcdef"})");
  const auto clock = example_clock();
  const std::string loose_verdict;  // six characters are within 200
  const std::string strict_verdict = "constraint:max_length /answers/X001 X001";
  REQUIRE(summary(validate_text(set, event, clock)) == loose_verdict);

  constexpr int kLoads = 200;
  std::atomic<bool> done{false};
  std::atomic<int> odd{0}, validations{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      // At least one validation each, and on until the loader has finished.
      do {
        const std::string got = summary(validate_text(set, event, clock));
        if (got != loose_verdict && got != strict_verdict) odd.fetch_add(1);
        const TaxonomyPtr tax = set.find("9");
        if (!tax || tax->version != "9" || set.all().size() != 1 ||
            set.find_by_profile("https://psims.example/p-9") == nullptr) {
          odd.fetch_add(1);
        }
        validations.fetch_add(1);
      } while (!done.load());
    });
  }
  // A version held across its replacement stays whole.
  const TaxonomyPtr held = set.find("9");
  for (int i = 0; i < kLoads; ++i) set.load_json(i % 2 == 0 ? strict : std::string(kTestTaxonomy));
  set.load_json(strict);
  done.store(true);
  for (std::thread& t : readers) t.join();

  CHECK(odd.load() == 0);
  CHECK(validations.load() >= 3);
  CHECK(summary(validate_text(set, event, clock)) == strict_verdict);
  REQUIRE(held.get() != nullptr);
  CHECK(held->question_index("X001") >= 0);
  CHECK(held.get() != set.find("9").get());
}
