#include "taxonomy/taxonomy_set.hpp"

#include <algorithm>
#include <fstream>

#include "core/error.hpp"

namespace lfpse::taxonomy {

namespace {
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
}  // namespace

bool version_less(std::string_view a, std::string_view b) {
  if (all_digits(a) && all_digits(b)) {
    while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
    while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
    if (a.size() != b.size()) return a.size() < b.size();
  }
  return a < b;
}

TaxonomySet::TaxonomySet(bool with_builtin) {
  if (!with_builtin) return;
  for (const BuiltinTaxonomy& b : builtin_taxonomies()) load_json(b.json);
}

TaxonomyPtr TaxonomySet::load_json(std::string_view json_text) {
  TaxonomyPtr tax = load_taxonomy(json_text);
  std::unique_lock<std::shared_mutex> lock(mutex_);
  by_version_[tax->version] = tax;
  return tax;
}

TaxonomyPtr TaxonomySet::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::Error(core::ErrorCode::NotFound, "taxonomy: cannot open " + path);
  // Read with istream::read, which reports a read error (a folder, an I/O error) as badbit;
  // `ostream << rdbuf()` would swallow it and the file would look empty.
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0)
    text.append(buf, static_cast<std::size_t>(in.gcount()));
  if (in.bad() || !in.eof())
    throw core::Error(core::ErrorCode::Io, "taxonomy: cannot read " + path);
  return load_json(text);
}

TaxonomyPtr TaxonomySet::find(std::string_view version) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  auto it = by_version_.find(version);
  return it == by_version_.end() ? nullptr : it->second;
}

TaxonomyPtr TaxonomySet::find_by_profile(std::string_view profile) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  for (const auto& [version, tax] : by_version_) {
    if (tax->fhir_profile == profile) return tax;
  }
  return nullptr;
}

std::vector<TaxonomyPtr> TaxonomySet::all() const {
  std::vector<TaxonomyPtr> out;
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    for (const auto& [version, tax] : by_version_) out.push_back(tax);
  }
  std::stable_sort(out.begin(), out.end(), [](const TaxonomyPtr& a, const TaxonomyPtr& b) {
    return version_less(a->version, b->version);
  });
  return out;
}

}  // namespace lfpse::taxonomy
