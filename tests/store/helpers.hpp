// Shared by the store tests: temporary folders and example events made unique.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "store/store.hpp"

namespace store_test {

namespace fs = std::filesystem;

/// A fresh folder under the build tree's temporary space, removed at scope end.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("lfpse-store-" + std::to_string(getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

inline std::string read_file(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string example(const std::string& name) {
  return read_file(std::string(LFPSE_SOURCE_DIR) + "/examples/events/" + name);
}

inline void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

/// The medication incident example under another local_id; `rev` changes a free-text
/// answer, so each revision is a different body.
inline std::string event(const std::string& local_id, int rev = 1) {
  static const std::string base = example("v5-01-incident-medication.json");
  std::string s = base;
  replace_all(s, "\"LRMS-2026-004217\"", "\"" + local_id + "\"");
  replace_all(s, "\"F001\": \"Patient",
              "\"F001\": \"Revision " + std::to_string(rev) + ". Patient");
  return s;
}

/// An event the validator refuses: a required answer removed.
inline std::string invalid_event(const std::string& local_id) {
  std::string s = event(local_id);
  replace_all(s, "\"CL001\": \"1\",", "");
  return s;
}

/// Options with a time source the test moves by hand.
struct ManualTime {
  std::shared_ptr<std::atomic<int64_t>> now =
      std::make_shared<std::atomic<int64_t>>(1795000000000);  // 2026-11-18
  lfpse::store::StoreOptions options() const {
    lfpse::store::StoreOptions o;
    auto n = now;
    o.time_source = [n] { return n->load(); };
    return o;
  }
  void advance(int64_t ms) const { *now += ms; }
};

/// Shared taxonomies: loading the built-in versions once keeps the tests fast.
inline std::shared_ptr<const lfpse::taxonomy::TaxonomySet> taxonomies() {
  static auto set = std::make_shared<const lfpse::taxonomy::TaxonomySet>(true);
  return set;
}

inline lfpse::store::StoreOptions with_taxonomies(lfpse::store::StoreOptions o) {
  o.taxonomies = taxonomies();
  return o;
}

inline bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace store_test
