#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/cli.hpp"
#include "core/error.hpp"

namespace lfpse::cli {

bool Args::flag(const std::string& name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

const std::string* Args::value(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

Args parse_args(int argc, char** argv, const std::vector<std::string>& value_options,
                const std::vector<std::string>& flag_options) {
  Args args;
  auto takes = [](const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  };
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-" || a.rfind("--", 0) != 0) {
      args.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    if (name == "taxonomy" || name == "now" || takes(value_options, name)) {
      if (i + 1 >= argc) throw UsageError{"--" + name + " needs a value"};
      std::string v = argv[++i];
      if (name == "taxonomy") {
        args.taxonomy_files.push_back(v);
      } else if (name == "now") {
        args.now = core::parse_datetime(v);
        if (!args.now)
          throw UsageError{"--now takes an RFC 3339 date-time such as 2026-11-26T12:00:00Z"};
      } else {
        args.values[name] = v;
      }
    } else if (takes(flag_options, name)) {
      args.flags.push_back(name);
    } else {
      throw UsageError{"unknown option " + a};
    }
  }
  return args;
}

std::unique_ptr<taxonomy::TaxonomySet> load_taxonomies(const Args& args) {
  auto set = std::make_unique<taxonomy::TaxonomySet>();
  for (const std::string& file : args.taxonomy_files) {
    try {
      set->load_json(read_input(file, std::size_t{64} << 20));
    } catch (const core::Error& e) {
      throw UsageError{file + ": " + e.what()};
    }
  }
  return set;
}

std::string read_input(const std::string& path, std::size_t max_bytes) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) throw UsageError{"cannot open " + path + ": " + std::strerror(errno)};
  std::string text;
  char buf[65536];
  while (text.size() <= max_bytes) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, std::min(n, max_bytes + 1 - text.size()));
    if (n < sizeof buf) break;
  }
  bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed)
    throw UsageError{"cannot read " + (path == "-" ? std::string("standard input") : path)};
  return text;
}

const std::string& one_input(const Args& args, const char* usage) {
  if (args.positional.size() != 1) throw UsageError{std::string("usage: ") + usage};
  return args.positional[0];
}

void print_json(const std::string& json) {
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace lfpse::cli
