// The main job until the sync client lands: validates every example event shipped in
// examples/events, prints a readable report, and writes the FHIR AdverseEvent of each valid
// one. usage: lfpse_demo EVENTS_DIR OUT_DIR [RFC3339_NOW]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <lfpse/lfpse.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Pulls "key":"value" pairs out of the verdict for printing (the verdict's strings are
// canonical JSON; this is display code, not a parser of arbitrary JSON).
std::vector<std::string> issue_lines(const std::string& verdict) {
  std::vector<std::string> lines;
  auto field = [&](std::size_t from, const char* key) {
    std::string k = std::string("\"") + key + "\":";
    std::size_t at = verdict.find(k, from);
    if (at == std::string::npos) return std::string();
    at += k.size();
    if (verdict[at] != '"') return std::string("-");
    std::size_t end = at + 1;
    while (end < verdict.size() && verdict[end] != '"') end += verdict[end] == '\\' ? 2 : 1;
    std::string raw = verdict.substr(at + 1, end - at - 1), shown;
    for (std::size_t i = 0; i < raw.size(); ++i) shown += raw[i] == '\\' ? raw[++i] : raw[i];
    return shown;
  };
  for (std::size_t at = verdict.find("{\"severity\""); at != std::string::npos;
       at = verdict.find("{\"severity\"", at + 1)) {
    char line[512];
    std::snprintf(line, sizeof line, "    %-7s %-26s %-40s %s", field(at, "severity").c_str(),
                  field(at, "code").c_str(), field(at, "path").c_str(),
                  field(at, "message").substr(0, 90).c_str());
    lines.emplace_back(line);
  }
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " EVENTS_DIR OUT_DIR [RFC3339_NOW]\n";
    return 2;
  }
  fs::path events_dir = argv[1], out_dir = fs::path(argv[2]) / "fhir";
  // The examples' expectations are written for this clock; a fixed clock keeps the report
  // reproducible (not_future compares with it).
  lfpse::clock now = lfpse::clock::at(argc > 3 ? argv[3] : "2026-11-26T12:00:00Z");
  fs::create_directories(out_dir);

  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(events_dir)) {
    std::string name = e.path().filename().string();
    if (e.path().extension() == ".json" && name.find(".expected.") == std::string::npos) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());

  lfpse::taxonomy_set taxonomies;
  std::cout << "lfpse-sdk " << lfpse_version_string() << ": validating " << files.size()
            << " example events against the built-in taxonomies\n\n";
  int valid = 0, invalid = 0, written = 0;
  for (const fs::path& file : files) {
    std::string text = read(file);
    std::string verdict = taxonomies.validate(text, now);
    bool ok = verdict.rfind("{\"valid\":true", 0) == 0;
    ok ? ++valid : ++invalid;
    std::cout << (ok ? "  valid    " : "  INVALID  ") << file.filename().string() << "\n";
    for (const std::string& line : issue_lines(verdict)) std::cout << line << "\n";
    if (ok) {
      lfpse::event_result fhir = taxonomies.to_fhir(text, now);
      fs::path out = out_dir / (file.stem().string() + ".fhir.json");
      std::ofstream(out, std::ios::binary) << fhir.json << "\n";
      ++written;
    }
  }
  std::cout << "\n"
            << valid << " valid, " << invalid << " invalid; " << written
            << " FHIR AdverseEvent documents written to " << out_dir.string() << "\n";
  return 0;
}
