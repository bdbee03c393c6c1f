// The `lfpse` command-line tool: shared option parsing and output helpers.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "taxonomy/taxonomy_set.hpp"

namespace lfpse::cli {

/// Exit codes: 0 success or valid, 1 invalid, 2 usage or unreadable input.
enum Exit : int { kOk = 0, kInvalid = 1, kUsage = 2 };

/// Thrown for usage errors and unreadable input: main prints the message, exits 2.
struct UsageError {
  std::string message;
};

/// Options common to every subcommand, and the rest of the arguments.
struct Args {
  std::vector<std::string> taxonomy_files;    ///< --taxonomy FILE (repeatable)
  std::optional<core::UnixMillis> now;        ///< --now RFC3339
  std::map<std::string, std::string> values;  ///< --name VALUE options the command declared
  std::vector<std::string> flags;             ///< --name flags the command declared
  std::vector<std::string> positional;

  bool flag(const std::string& name) const;
  const std::string* value(const std::string& name) const;
  core::Clock clock() const { return now ? core::Clock::fixed(*now) : core::Clock::system(); }
};

/// Parses argv after the subcommand; `value_options` take a value, `flag_options` do not.
Args parse_args(int argc, char** argv, const std::vector<std::string>& value_options,
                const std::vector<std::string>& flag_options);

/// The built-in taxonomies plus every --taxonomy file (a bad file is a usage error).
std::unique_ptr<taxonomy::TaxonomySet> load_taxonomies(const Args& args);

/// Reads FILE, or standard input for "-"; unreadable input is a UsageError. At most
/// `max_bytes` + 1 bytes are read, so a huge input costs bounded memory and is then refused
/// by the parser's size limit.
std::string read_input(const std::string& path, std::size_t max_bytes);

/// Exactly one positional argument, the input file.
const std::string& one_input(const Args& args, const char* usage);

/// Writes compact JSON and a newline to stdout.
void print_json(const std::string& json);

using Command = std::function<int(int argc, char** argv)>;

int cmd_validate(int argc, char** argv);
int cmd_shown(int argc, char** argv);
int cmd_to_fhir(int argc, char** argv);
int cmd_from_fhir(int argc, char** argv);
int cmd_migrate(int argc, char** argv);
int cmd_schema(int argc, char** argv);
int cmd_record(int argc, char** argv);
int cmd_update(int argc, char** argv);
int cmd_withdraw(int argc, char** argv);
int cmd_queue(int argc, char** argv);

}  // namespace lfpse::cli
