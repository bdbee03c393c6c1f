// The `lfpse` command-line tool, built on the C ABI alone (include/lfpse/lfpse.h): what its
// files share. Every command is a Command (commands.cpp): its options, its help and its body.
#pragma once

#include <lfpse/lfpse.h>

#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lfpse::cli {

/// The exit codes, one table for every command (`lfpse help` and the README print it).
enum Exit : int {
  kOk = 0,        ///< success, or the event is valid
  kInvalid = 1,   ///< an invalid event (its issues are printed)
  kUsage = 2,     ///< unknown command or option, a missing or bad argument
  kSyncLeft = 3,  ///< sync: work remains (reserved for the sync command)
  kNotFound = 4,  ///< no such event or taxonomy version
  kConflict = 5,  ///< already recorded, withdrawn, the store busy
  kStorage = 6,   ///< I/O or storage: unreadable input, disk full, corrupt store, wrong key
  kInternal = 7,  ///< out of memory, or a bug in the library
};

/// Ends a command: main prints `lfpse COMMAND: message` on stderr and exits with `exit`.
struct Failure {
  int exit;
  std::string message;
};

/// A usage error (exit 2); main adds where the usage is.
[[noreturn]] void usage_error(std::string message);

/// The exit code of a C ABI status, wherever the status has only one meaning.
int exit_for(lfpse_status status);
/// Throws Failure{exit_for(status), lfpse_error_last()} unless `status` is LFPSE_OK.
void check(lfpse_status status);
/// Takes a string the library returned (NULL: ""), freeing it.
std::string take(char* text, size_t len);

/// An option a command takes: `--name VALUE` / `--name=VALUE`, or a flag when `value` is null.
struct Option {
  const char* name;
  const char* value;  ///< the placeholder in the help ("FILE"), or nullptr for a flag
  const char* help;
  bool repeatable = false;
};

/// A command line after the command's name.
struct Args {
  std::map<std::string, std::vector<std::string>, std::less<>> values;
  std::vector<std::string> flags;
  std::vector<std::string> positional;
  bool help = false;  ///< -h or --help was given

  bool flag(std::string_view name) const;
  /// The value of a non-repeatable option, or nullptr.
  const std::string* value(std::string_view name) const;
  /// Every value of a repeatable option, in order.
  std::vector<std::string> all(std::string_view name) const;
};

struct Command {
  const char* name;
  const char* synopsis;  ///< the arguments after `lfpse NAME`
  const char* summary;   ///< one line, for the overview
  const char* details;   ///< what it does and prints, and its exit codes
  std::vector<Option> options;
  int (*run)(const Args&);
};

/// Every command, in the order the overview lists them.
const std::vector<Command>& commands();
/// The command called `name`, or nullptr.
const Command* find_command(std::string_view name);

/// Parses the arguments after the command's name; usage errors throw Failure (exit 2).
Args parse_args(const Command& command, int argc, char** argv);

void print_overview(std::FILE* to);
void print_help(const Command& command, std::FILE* to);
void print_version();

// --- input and the library's handles (input.cpp) ----------------------------------------------

/// "standard input" for "-", else the path itself: how messages name an input.
std::string input_name(const std::string& path);
/// Reads FILE, or standard input for "-": at most `max_bytes` + 1 bytes, so that a huge input
/// costs bounded memory and is then refused by the library's size limit. Failure exit 6.
std::string read_input(const std::string& path, std::size_t max_bytes);

/// A taxonomy set: the built-in versions and every --taxonomy FILE.
class Taxonomies {
 public:
  explicit Taxonomies(const Args& args);
  ~Taxonomies() { lfpse_taxonomy_set_free(set_); }
  Taxonomies(const Taxonomies&) = delete;
  Taxonomies& operator=(const Taxonomies&) = delete;
  const lfpse_taxonomy_set* get() const { return set_; }

 private:
  lfpse_taxonomy_set* set_ = nullptr;
};

/// The validation clock of --now (the system clock without it).
lfpse_event_options event_options(const Args& args);

/// The store of --store (with --key-file / LFPSE_STORE_KEY), read-only when asked.
class Store {
 public:
  Store(const Args& args, bool read_only);
  ~Store() { lfpse_store_free(store_); }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  lfpse_store* get() const { return store_; }

 private:
  lfpse_store* store_ = nullptr;
};

/// Writes `text` and a newline to standard output.
void print_line(std::string_view text);

int cmd_validate(const Args& args);
int cmd_shown(const Args& args);
int cmd_to_fhir(const Args& args);
int cmd_from_fhir(const Args& args);
int cmd_migrate(const Args& args);
int cmd_schema(const Args& args);
int cmd_record(const Args& args);
int cmd_update(const Args& args);
int cmd_withdraw(const Args& args);
int cmd_queue(const Args& args);

}  // namespace lfpse::cli
