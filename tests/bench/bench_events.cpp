#include "bench_events.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace lfpse::bench {

namespace {

using rapidjson::Document;
using rapidjson::Value;

// Words only: no digits, '@' or "born", so the filler text never looks like PII.
const char* const kWords[] = {
    "patient",    "ward",     "nurse",      "reviewed",   "medication", "chart",    "observed",
    "transfer",   "handover", "escalated",  "consultant", "theatre",    "delayed",  "dose",
    "prescribed", "bleep",    "monitoring", "assessment", "pressure",   "ulcer",    "fall",
    "bed",        "rails",    "alarm",      "family",     "informed",   "incident", "reported",
    "shift",      "staffing", "agency",     "pharmacy",   "infusion",   "pump",     "line",
    "cannula",    "sepsis",   "screening",  "bundle",     "completed",  "late",     "records",
    "updated",    "policy",   "followed",   "partially",  "equipment",  "checked",  "before",
    "use"};

std::string filler(std::mt19937& rng, std::size_t length) {
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kWords / sizeof kWords[0] - 1);
  std::string text;
  while (text.size() < length) {
    if (!text.empty()) text += text.size() % 97 < 8 ? ". " : " ";
    text += kWords[pick(rng)];
  }
  text.resize(length);
  return text;
}

std::vector<std::string> templates() {
  std::vector<std::string> out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(LFPSE_SOURCE_DIR "/examples/events")) {
    std::string name = e.path().filename().string();
    if (name.rfind("v5-", 0) == 0 && name.find(".expected.") == std::string::npos)
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
  return out;
}

void set_string(Document& d, Value& obj, const char* key, const std::string& s) {
  Value v(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), d.GetAllocator());
  if (obj.HasMember(key)) {
    obj[key] = v;
  } else {
    obj.AddMember(Value(key, d.GetAllocator()), v, d.GetAllocator());
  }
}

void lengthen_texts(Document& d, Value& answers, const taxonomy::Taxonomy& tax, std::mt19937& rng) {
  for (auto m = answers.MemberBegin(); m != answers.MemberEnd(); ++m) {
    int q = tax.question_index(m->name.GetString());
    if (q < 0 || !m->value.IsString()) continue;
    const auto& question = tax.questions[q];
    if (question.type != taxonomy::QuestionType::Text) continue;
    double max = 0;
    for (const auto& c : question.constraints) {
      if (c.kind == taxonomy::Constraint::Kind::MaxLength) max = c.number;
    }
    if (max < 1000) continue;
    std::uniform_int_distribution<std::size_t> len(400,
                                                   std::min<std::size_t>(2600, std::size_t(max)));
    std::string text = filler(rng, len(rng));
    m->value.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()),
                       d.GetAllocator());
  }
}

void break_event(Document& d, std::mt19937& rng) {
  Value& answers = d["answers"];
  switch (rng() % 5) {
    case 0:
      set_string(d, answers, "ZZ999", "not a question");
      break;
    case 1:
      set_string(d, answers, "CL001", "9");
      break;
    case 2:
      answers.RemoveMember("T001");
      break;
    case 3:
      set_string(d, answers, "T002", "2027-03-01");
      set_string(d, answers, "T001", "y");
      break;
    default:
      set_string(d, answers, "L002", "not an ods code");
      break;
  }
}

}  // namespace

std::vector<std::string> generate_events(const taxonomy::TaxonomySet& set, std::size_t count,
                                         const core::Clock&) {
  auto tax = set.find("5");
  std::vector<std::string> sources = templates();
  std::mt19937 rng(20261126);
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Document d;
    d.Parse(sources[i % sources.size()].c_str());
    set_string(d, d, "local_id", "BENCH-" + std::to_string(i));
    lengthen_texts(d, d["answers"], *tax, rng);
    if (d.HasMember("groups") && d["groups"].HasMember("patient")) {
      Value& patients = d["groups"]["patient"];
      std::size_t extra = rng() % 3;
      for (std::size_t k = 0; k < extra && patients.Size() < 100; ++k) {
        Value copy(patients[0], d.GetAllocator());
        patients.PushBack(copy, d.GetAllocator());
      }
    }
    if (i % 2 == 1) break_event(d, rng);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    d.Accept(w);
    out.emplace_back(buf.GetString(), buf.GetSize());
  }
  return out;
}

}  // namespace lfpse::bench
