// Every shipped example event validates to exactly the issues its .expected.json lists.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/time.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/taxonomy_set.hpp"

using namespace lfpse;
using namespace lfpse::taxonomy;

namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string str_member(const core::JsonValue& o, std::string_view name) {
  const core::JsonValue* v = o.find(name);
  return v != nullptr && v->is_string() ? std::string(v->text()) : std::string();
}

// One line per issue: "severity code path question" ("-" for a null question).
std::string line(std::string_view severity, std::string_view code, std::string_view path,
                 std::string_view question) {
  return std::string(severity) + " " + std::string(code) + " " + std::string(path) + " " +
         (question.empty() ? std::string("-") : std::string(question));
}

}  // namespace

TEST_CASE("examples: every example event gives exactly its expected issues, in order") {
  const std::filesystem::path dir = LFPSE_SOURCE_DIR "/examples/events";
  std::vector<std::filesystem::path> events;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name.find(".expected.json") == std::string::npos) {
      events.push_back(entry.path());
    }
  }
  std::sort(events.begin(), events.end());
  REQUIRE(events.size() >= 20);

  TaxonomySet set;
  for (const auto& event : events) {
    CAPTURE(event.filename().string());
    std::filesystem::path expected_path = event;
    expected_path.replace_extension(".expected.json");
    REQUIRE(std::filesystem::exists(expected_path));
    core::JsonDocument expected;
    core::JsonError error;
    REQUIRE(expected.parse(read_text(expected_path), &error));
    const core::JsonValue& root = expected.root();

    std::optional<core::UnixMillis> now = core::parse_datetime(str_member(root, "now"));
    REQUIRE(now.has_value());
    Validation v = validate_text(set, read_text(event), core::Clock::fixed(*now));

    std::vector<std::string> want;
    const core::JsonValue* issues = root.find("issues");
    REQUIRE(issues != nullptr);
    for (const core::JsonValue& i : *issues) {
      want.push_back(line(str_member(i, "severity"), str_member(i, "code"), str_member(i, "path"),
                          str_member(i, "question")));
    }
    std::vector<std::string> got;
    for (const Issue& i : v.issues) {
      got.push_back(
          line(i.severity == Severity::Error ? "error" : "warning", i.code, i.path, i.question));
    }
    std::string want_text, got_text;
    for (const auto& w : want) want_text += w + "\n";
    for (const auto& g : got) got_text += g + "\n";
    CHECK(got_text == want_text);
    const core::JsonValue* valid = root.find("valid");
    REQUIRE(valid != nullptr);
    CHECK(v.valid == valid->as_bool());
  }
}
