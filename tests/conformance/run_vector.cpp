// Runs one conformance vector (format: conformance/vectors/README.md) through the C ABI, as a
// binding would. The case file and the library's answers are read with RapidJSON, not with
// the library's own parser, so that a defect there cannot hide itself.
//
// usage: run_vector [--expect-mismatch] TAXONOMIES_DIR CASE_FILE
// Exit 0: the library's answers are the expected ones (with --expect-mismatch: they differ);
// 1: they differ (with --expect-mismatch: they agree); 2: the case or a taxonomy is unreadable.
#include <lfpse/lfpse.h>
#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using rapidjson::Value;

namespace {

// A problem with the case itself (exit 2), as against a difference in the answers (exit 1).
struct BadCase : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw BadCase("cannot read " + p.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string serialise(const Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const Value& member(const Value& obj, const char* name) {
  if (!obj.IsObject() || !obj.HasMember(name)) throw BadCase(std::string("no member ") + name);
  return obj[name];
}

std::string text_of(const Value& v) {
  if (!v.IsString()) throw BadCase("a string was expected: " + serialise(v));
  return std::string(v.GetString(), v.GetStringLength());
}

std::string base64_decode(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    const std::size_t v = kAlphabet.find(c);
    if (v == std::string::npos) continue;  // padding and line breaks
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string input_of(const Value& c) {
  if (c.HasMember("input_text")) return text_of(c["input_text"]);
  if (c.HasMember("input_base64")) return base64_decode(text_of(c["input_base64"]));
  return serialise(member(c, "input"));
}

// Library output: owned by the library until lfpse_free.
struct Out {
  char* json = nullptr;
  std::size_t len = 0;
  Out() = default;
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;
  ~Out() { lfpse_free(json); }
  std::string str() const { return json ? std::string(json, len) : std::string(); }
};

rapidjson::Document parse(const std::string& text, const char* what) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) throw std::runtime_error(std::string(what) + " is not JSON: " + text);
  return doc;
}

std::string status_text(lfpse_status s) {
  return std::to_string(static_cast<int>(s)) + " (" + lfpse_status_str(s) +
         "): " + lfpse_error_last();
}

// Issues in order: severity, code, path, question (null when none); message where expected.
std::string compare_issues(const Value& actual, const Value& expected) {
  bool same = actual.IsArray() && actual.Size() == expected.Size();
  for (rapidjson::SizeType i = 0; same && i < actual.Size(); ++i) {
    const Value& a = actual[i];
    const Value& e = expected[i];
    same = a.IsObject();
    for (const char* key : {"severity", "code", "path"})
      same = same && a.HasMember(key) && a[key] == member(e, key);
    const Value& q = member(e, "question");
    const bool a_none = !a.HasMember("question") || a["question"].IsNull();
    same = same && (q.IsNull() ? a_none : (!a_none && a["question"] == q));
    if (e.HasMember("message"))
      same = same && a.HasMember("message") && a["message"] == e["message"];
  }
  if (same) return "";
  return "issues differ\n  actual:   " + serialise(actual) + "\n  expected: " + serialise(expected);
}

class Runner {
 public:
  explicit Runner(const fs::path& taxonomies) {
    if (lfpse_taxonomy_set_new(&set_, LFPSE_TAXONOMY_SET_DEFAULT) != LFPSE_OK)
      throw BadCase("lfpse_taxonomy_set_new failed");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(taxonomies)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    if (files.empty()) throw BadCase("no taxonomy in " + taxonomies.string());
    for (const fs::path& f : files) {
      lfpse_status s = lfpse_taxonomy_set_load_file(set_, f.string().c_str(), nullptr);
      if (s != LFPSE_OK) throw BadCase(f.string() + ": " + status_text(s));
    }
  }
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  ~Runner() { lfpse_taxonomy_set_free(set_); }

  // "" when the library answers as expected, else what differs.
  std::string run(const Value& c) {
    const std::string kind = text_of(member(c, "kind"));
    const Value& expected = member(c, "expected");
    const std::string now = text_of(member(c, "now"));
    lfpse_event_options opts = LFPSE_EVENT_OPTIONS_INIT;
    if (lfpse_time_parse(now.c_str(), &opts.now_unix_ms) != LFPSE_OK) throw BadCase("bad now");
    const std::string in = input_of(c);
    if (kind == "validate") return validate(in, opts, expected);
    if (kind == "shown") return shown(in, expected);
    if (kind == "to-fhir") return to_fhir(in, opts, expected);
    if (kind == "from-fhir") return from_fhir(in, expected);
    if (kind == "migrate") return migrate(in, text_of(member(c, "to")), opts, expected);
    if (kind == "taxonomy-load") return taxonomy_load(in, expected);
    throw BadCase("unknown kind " + kind);
  }

 private:
  std::string validate(const std::string& in, const lfpse_event_options& opts,
                       const Value& expected) {
    Out out;
    lfpse_status s = lfpse_event_validate(set_, in.data(), in.size(), &opts, &out.json, &out.len);
    if (s != LFPSE_OK) return "lfpse_event_validate returned " + status_text(s);
    rapidjson::Document v = parse(out.str(), "the verdict");
    if (!v.IsObject() || !v.HasMember("valid") || v["valid"] != member(expected, "valid"))
      return "valid differs: " + out.str();
    return compare_issues(member(v, "issues"), member(expected, "issues"));
  }

  std::string shown(const std::string& in, const Value& expected) {
    Out out;
    lfpse_status s = lfpse_event_shown(set_, in.data(), in.size(), &out.json, &out.len);
    if (s != LFPSE_OK) return "lfpse_event_shown returned " + status_text(s) + " " + out.str();
    return parse(out.str(), "shown") == expected ? "" : "shown differs: " + out.str();
  }

  std::string to_fhir(const std::string& in, const lfpse_event_options& opts,
                      const Value& expected) {
    Out out;
    lfpse_status s = lfpse_event_to_fhir(set_, in.data(), in.size(), &opts, &out.json, &out.len);
    if (s != LFPSE_OK) return "lfpse_event_to_fhir returned " + status_text(s) + " " + out.str();
    if (expected.HasMember("expected_text") && out.str() != text_of(expected["expected_text"])) {
      return "bytes differ\n  actual:   " + out.str() +
             "\n  expected: " + text_of(expected["expected_text"]);
    }
    return parse(out.str(), "the resource") == member(expected, "fhir")
               ? ""
               : "resource differs: " + out.str();
  }

  std::string from_fhir(const std::string& in, const Value& expected) {
    Out event, national;
    lfpse_status s = lfpse_event_from_fhir(set_, in.data(), in.size(), &event.json, &event.len,
                                           &national.json, &national.len);
    if (s != LFPSE_OK) return "lfpse_event_from_fhir returned " + status_text(s);
    if (parse(event.str(), "the event") != member(expected, "event"))
      return "event differs: " + event.str();
    return parse(national.str(), "national") == member(expected, "national")
               ? ""
               : "national differs: " + national.str();
  }

  std::string migrate(const std::string& in, const std::string& to, const lfpse_event_options& opts,
                      const Value& expected) {
    Out out;
    lfpse_status s =
        lfpse_event_migrate(set_, in.data(), in.size(), to.c_str(), &opts, &out.json, &out.len);
    if (expected.HasMember("refused") && expected["refused"].IsTrue()) {
      if (s != LFPSE_EINVALID) return "a downgrade returned " + status_text(s) + " " + out.str();
      return out.json == nullptr ? "" : "a refused migration wrote " + out.str();
    }
    const Value& event = member(expected, "event");
    const lfpse_status want = event.IsNull() ? LFPSE_EEVENT : LFPSE_OK;
    if (s != want) return "lfpse_event_migrate returned " + status_text(s) + " " + out.str();
    rapidjson::Document r = parse(out.str(), "the migration");
    if (!r.IsObject() || !r.HasMember("event") || r["event"] != event)
      return "event differs: " + out.str();
    if (expected.HasMember("event_text")) {
      const std::string head = "{\"event\":" + text_of(expected["event_text"]) + ",\"issues\":";
      if (out.str().compare(0, head.size(), head) != 0)
        return "event bytes differ\n  actual:   " + out.str() + "\n  expected: " + head + "...";
    }
    return compare_issues(member(r, "issues"), member(expected, "issues"));
  }

  std::string taxonomy_load(const std::string& in, const Value& expected) {
    lfpse_taxonomy_set* scratch = nullptr;
    if (lfpse_taxonomy_set_new(&scratch, LFPSE_TAXONOMY_SET_NO_BUILTIN) != LFPSE_OK)
      throw BadCase("lfpse_taxonomy_set_new failed");
    Out version;
    lfpse_status s = lfpse_taxonomy_set_load_json(scratch, in.data(), in.size(), &version.json);
    const std::string error = s == LFPSE_OK ? "" : lfpse_error_last();
    lfpse_taxonomy_set_free(scratch);
    if (member(expected, "ok").IsTrue()) {
      if (s != LFPSE_OK) return "refused: " + status_text(s);
      return version.json != nullptr ? "" : "loaded, but no version came back";
    }
    if (s != LFPSE_EINVALID) return "expected LFPSE_EINVALID, got " + std::to_string(s);
    if (version.json != nullptr) return "a refused document gave a version";
    if (!expected.HasMember("error_contains_any")) return "";
    for (const Value& want : expected["error_contains_any"].GetArray()) {
      if (error.find(text_of(want)) != std::string::npos) return "";
    }
    return "the error names none of the expected members: " + error;
  }

  lfpse_taxonomy_set* set_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  const bool expect_mismatch = argc == 4 && std::strcmp(argv[1], "--expect-mismatch") == 0;
  if (argc != 3 + (expect_mismatch ? 1 : 0)) {
    std::fprintf(stderr, "usage: run_vector [--expect-mismatch] TAXONOMIES_DIR CASE_FILE\n");
    return 2;
  }
  const char* taxonomies = argv[argc - 2];
  const char* file = argv[argc - 1];
  try {
    rapidjson::Document c;
    const std::string text = read_file(file);
    c.Parse(text.data(), text.size());
    if (c.HasParseError() || !c.IsObject()) throw BadCase("the case file is not a JSON object");
    const std::string id = text_of(member(c, "id"));
    Runner runner(taxonomies);
    std::string why;
    try {
      why = runner.run(c);
    } catch (const BadCase&) {
      throw;
    } catch (const std::exception& e) {
      why = e.what();  // an answer that is not JSON is a difference, not a bad case
    }
    if (why.empty()) {
      std::printf("%s: as expected\n", id.c_str());
      return expect_mismatch ? 1 : 0;
    }
    std::fprintf(expect_mismatch ? stdout : stderr, "%s (%s): %s\n", id.c_str(),
                 text_of(member(c, "requirement")).c_str(), why.c_str());
    return expect_mismatch ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", file, e.what());
    return 2;
  }
}
