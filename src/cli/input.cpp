// Input files, statuses and the library's handles: taxonomy sets, the clock and stores. The
// store key comes from --key-file or LFPSE_STORE_KEY (hex), never from an option value, so it
// does not show in process listings or shell history.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cli/cli.hpp"

namespace lfpse::cli {

int exit_for(lfpse_status status) {
  switch (status) {
    case LFPSE_OK:
      return kOk;
    case LFPSE_EEVENT:
      return kInvalid;
    case LFPSE_EINVALID:
      return kUsage;
    case LFPSE_ENOTFOUND:
      return kNotFound;
    case LFPSE_ECONFLICT:
      return kConflict;
    case LFPSE_EIO:
    case LFPSE_ECORRUPT:
    case LFPSE_EUNSUPPORTED:
      return kStorage;
    default:
      return kInternal;
  }
}

void check(lfpse_status status) {
  if (status != LFPSE_OK) throw Failure{exit_for(status), lfpse_error_last()};
}

std::string take(char* text, size_t len) {
  std::string s = text ? std::string(text, len) : std::string();
  lfpse_free(text);
  return s;
}

void print_line(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

std::string input_name(const std::string& path) {
  return path == "-" ? std::string("standard input") : path;
}

std::string read_input(const std::string& path, std::size_t max_bytes) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) throw Failure{kStorage, "cannot read " + path + ": " + std::strerror(errno)};
  std::string text;
  char buf[65536];
  while (text.size() <= max_bytes) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, std::min(n, max_bytes + 1 - text.size()));
    if (n < sizeof buf) break;
  }
  int error = std::ferror(f) ? errno : 0;
  if (f != stdin) std::fclose(f);
  if (error)
    throw Failure{kStorage, "cannot read " + input_name(path) + ": " + std::strerror(error)};
  return text;
}

Taxonomies::Taxonomies(const Args& args) {
  check(lfpse_taxonomy_set_new(&set_, LFPSE_TAXONOMY_SET_DEFAULT));
  for (const std::string& file : args.all("taxonomy")) {
    lfpse_status status = lfpse_taxonomy_set_load_file(set_, file.c_str(), nullptr);
    // A document that is not a taxonomy is a bad argument; a file that cannot be read, I/O.
    if (status == LFPSE_ENOTFOUND) status = LFPSE_EIO;
    if (status != LFPSE_OK) {
      Failure failure{exit_for(status), file + ": " + lfpse_error_last()};
      lfpse_taxonomy_set_free(set_);  // no destructor runs for a constructor that throws
      throw failure;
    }
  }
}

lfpse_event_options event_options(const Args& args) {
  lfpse_event_options options = LFPSE_EVENT_OPTIONS_INIT;
  if (const std::string* now = args.value("now")) {
    if (lfpse_time_parse(now->c_str(), &options.now_unix_ms) != LFPSE_OK)
      usage_error("--now takes an RFC 3339 date-time such as 2026-11-26T12:00:00Z");
  }
  return options;
}

namespace {

// The 32-byte key from 64 hex digits (surrounding white space ignored), or a usage error.
std::array<unsigned char, 32> parse_key(std::string hex) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!hex.empty() && space(hex.back())) hex.pop_back();
  std::size_t start = 0;
  while (start < hex.size() && space(hex[start])) ++start;
  hex.erase(0, start);
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::array<unsigned char, 32> key{};
  bool ok = hex.size() == 64;
  for (std::size_t i = 0; ok && i < 32; ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    key[i] = static_cast<unsigned char>(ok ? hi * 16 + lo : 0);
  }
  if (!ok) usage_error("the store key must be 64 hex digits (32 bytes)");
  return key;
}

}  // namespace

Store::Store(const Args& args, bool read_only) {
  const std::string* path = args.value("store");
  if (!path) usage_error("missing --store DB");
  std::string hex;
  if (const std::string* key_file = args.value("key-file")) {
    hex = read_input(*key_file, 4096);
  } else if (const char* env = std::getenv("LFPSE_STORE_KEY")) {
    hex = env;
  }
  Taxonomies taxonomies(args);  // the store keeps its own reference
  lfpse_event_options clock = event_options(args);
  lfpse_store_options* options = nullptr;
  check(lfpse_store_options_new(&options));
  lfpse_status status = lfpse_store_options_set_taxonomies(options, taxonomies.get());
  if (status == LFPSE_OK) status = lfpse_store_options_set_now(options, clock.now_unix_ms);
  if (status == LFPSE_OK) status = lfpse_store_options_set_read_only(options, read_only ? 1 : 0);
  if (status == LFPSE_OK && !hex.empty()) {
    std::array<unsigned char, 32> key{};
    try {
      key = parse_key(hex);
    } catch (...) {
      lfpse_store_options_free(options);
      throw;
    }
    status = lfpse_store_options_set_key(options, key.data(), key.size());
    key.fill(0);
  }
  std::fill(hex.begin(), hex.end(), '\0');
  if (status == LFPSE_OK) status = lfpse_store_open(&store_, path->c_str(), options);
  std::string why = status == LFPSE_OK ? std::string() : lfpse_error_last();
  lfpse_store_options_free(options);
  // Any refusal to open is the store's: a missing or unwritable file, damage, a wrong key.
  if (status != LFPSE_OK)
    throw Failure{status == LFPSE_EINTERNAL || status == LFPSE_ENOMEM ? kInternal : kStorage, why};
}

}  // namespace lfpse::cli
