// lfpse: validate, map and migrate LFPSE events, and keep them in an offline store, from
// scripts and the shell. Every message is `lfpse COMMAND: what went wrong`, once.
#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>

#include "cli/cli.hpp"

namespace {

using namespace lfpse::cli;

int help(int argc, char** argv) {
  if (argc == 0) {
    print_overview(stdout);
    return kOk;
  }
  const Command* command = find_command(argv[0]);
  if (argc > 1 || !command) {
    std::fprintf(stderr, "lfpse help: %s (try lfpse help)\n",
                 argc > 1 ? "takes one COMMAND at most"
                          : ("unknown command \"" + std::string(argv[0]) + "\"").c_str());
    return kUsage;
  }
  print_help(*command, stdout);
  return kOk;
}

int run(const Command& command, int argc, char** argv) {
  try {
    Args args = parse_args(command, argc, argv);
    if (args.help) {
      print_help(command, stdout);
      return kOk;
    }
    return command.run(args);
  } catch (const Failure& f) {
    std::fprintf(stderr, "lfpse %s: %s", command.name, f.message.c_str());
    if (f.exit == kUsage) std::fprintf(stderr, " (try lfpse help %s)", command.name);
    std::fputc('\n', stderr);
    return f.exit;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "lfpse %s: out of memory\n", command.name);
    return kInternal;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lfpse %s: internal error: %s\n", command.name, e.what());
    return kInternal;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_overview(stderr);
    return kUsage;
  }
  std::string first = argv[1];
  int code;
  if (first == "help" || first == "--help" || first == "-h") {
    code = help(first == "help" ? argc - 2 : 0, argv + 2);
  } else if (first == "--version") {
    print_version();
    code = kOk;
  } else if (const Command* command = find_command(first)) {
    code = run(*command, argc - 2, argv + 2);
  } else {
    std::fprintf(stderr, "lfpse: unknown command \"%s\" (try lfpse help)\n", first.c_str());
    return kUsage;
  }
  // Output that did not reach its file (a full disk under a redirection) is a failure too.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "lfpse %s: cannot write standard output: %s\n", first.c_str(),
                 std::strerror(errno));
    return kStorage;
  }
  return code;
}
