#include "http_types.hpp"

namespace lfpse::server {

namespace {
// ASCII only, as header names are; std::tolower goes through the locale on every byte.
inline unsigned char fold(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u + 32) : u;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.first, name)) return h.second;
  }
  return {};
}

bool HttpRequest::has_header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.first, name)) return true;
  }
  return false;
}

const std::string* HttpRequest::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

void HttpResponse::set_header(const std::string& name, const std::string& value) {
  for (auto& h : headers) {
    if (iequals(h.first, name)) {
      h.second = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.first, name)) return h.second;
  }
  return {};
}

}  // namespace lfpse::server
