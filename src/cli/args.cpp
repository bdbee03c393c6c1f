// Option parsing, the same for every command: `--name VALUE` or `--name=VALUE`, flags, `-h` /
// `--help`, `--` ending the options, and `-` as an argument (standard input).
#include <algorithm>

#include "cli/cli.hpp"

namespace lfpse::cli {

void usage_error(std::string message) { throw Failure{kUsage, std::move(message)}; }

bool Args::flag(std::string_view name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

const std::string* Args::value(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second.back();
}

std::vector<std::string> Args::all(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

Args parse_args(const Command& command, int argc, char** argv) {
  Args args;
  // Asking for help wins over any mistake elsewhere on the line.
  for (int i = 0; i < argc && std::string_view(argv[i]) != "--"; ++i) {
    if (std::string_view(argv[i]) == "-h" || std::string_view(argv[i]) == "--help") {
      args.help = true;
      return args;
    }
  }
  bool options_ended = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (options_ended || a == "-" || a.empty() || a[0] != '-') {
      args.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      options_ended = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) usage_error("unknown option " + a);
    std::size_t eq = a.find('=');
    std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const Option* option = nullptr;
    for (const Option& o : command.options)
      if (name == o.name) option = &o;
    if (!option) usage_error("unknown option --" + name);
    if (!option->value) {
      if (eq != std::string::npos) usage_error("option --" + name + " takes no value");
      args.flags.push_back(name);
      continue;
    }
    std::string value;
    if (eq != std::string::npos) {
      value = a.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      usage_error("option --" + name + " needs a value (" + option->value + ")");
    }
    std::vector<std::string>& values = args.values[name];
    if (!values.empty() && !option->repeatable)
      usage_error("option --" + name + " is given more than once");
    values.push_back(std::move(value));
  }
  return args;
}

}  // namespace lfpse::cli
