// What `lfpse help`, `lfpse help COMMAND`, `lfpse COMMAND --help` and `--version` print.
#include <cstring>

#include "cli/cli.hpp"

namespace lfpse::cli {

namespace {

// One table for every command; the README has the same.
const char kExitCodes[] =
    "Exit codes, the same for every command:\n"
    "  0  success, or the event is valid\n"
    "  1  invalid event (its issues are printed)\n"
    "  2  usage: unknown command or option, a missing or bad argument\n"
    "  3  sync: work remains (reserved for the sync command)\n"
    "  4  not found: no such event or taxonomy version\n"
    "  5  conflict: already recorded, withdrawn, or the store is busy\n"
    "  6  I/O or storage: unreadable input, disk full, corrupt store, wrong key\n"
    "  7  internal: out of memory, or a bug in the library (please report it)\n";

}  // namespace

void print_overview(std::FILE* to) {
  std::fputs(
      "usage: lfpse COMMAND [OPTION]... [ARGUMENT]...\n"
      "       lfpse help [COMMAND] | lfpse COMMAND --help | lfpse --version\n"
      "\n"
      "Validates, maps and migrates LFPSE patient safety events, and keeps them in an\n"
      "offline store and queue.\n"
      "\n"
      "Commands:\n",
      to);
  for (const Command& c : commands()) std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
  std::fputs(
      "\n"
      "Options are --name VALUE or --name=VALUE; -- ends them. FILE may be - for standard\n"
      "input. Output JSON is compact: one document, one line. Errors are one line on stderr.\n"
      "An encrypted store's key comes from --key-file FILE or LFPSE_STORE_KEY, never from an\n"
      "option value (those show in process listings).\n"
      "\n",
      to);
  std::fputs(kExitCodes, to);
}

void print_help(const Command& command, std::FILE* to) {
  std::fprintf(to, "usage: lfpse %s %s\n\n%s\n\n%s\n\nOptions:\n", command.name, command.synopsis,
               command.summary, command.details);
  for (const Option& o : command.options) {
    std::string left = std::string("--") + o.name + (o.value ? std::string(" ") + o.value : "");
    std::fprintf(to, "  %-20s %s\n", left.c_str(), o.help);
  }
  std::fprintf(to, "  %-20s %s\n\n", "-h, --help", "this help");
  std::fputs(kExitCodes, to);
}

void print_version() {
  // The tool's own version and the library's it runs with (they differ after an upgrade of
  // the shared library alone).
  std::printf("lfpse %s (library %s)\n", LFPSE_VERSION_STRING, lfpse_version_string());
}

}  // namespace lfpse::cli
