// lfpse: validate, map and migrate LFPSE events from scripts and the shell.
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli/cli.hpp"
#include "core/error.hpp"

namespace {

const char kHelp[] =
    "usage: lfpse <command> [--taxonomy FILE]... [--now RFC3339] ...\n"
    "commands:\n"
    "  validate [--json] FILE        validate an event document (exit 1 when invalid)\n"
    "  shown FILE                    the questions a form shows now, and which are required\n"
    "  to-fhir FILE                  the FHIR R4 AdverseEvent of a valid event\n"
    "  from-fhir FILE                the event document of an AdverseEvent\n"
    "  migrate --to VERSION FILE     migrate an event to a later taxonomy version\n"
    "  schema --version VERSION      the JSON Schema of a taxonomy version\n"
    "  record --store DB [--draft] FILE     validate, store and queue a new event\n"
    "  update --store DB [--draft] FILE     store and queue a new revision of an event\n"
    "  withdraw --store DB LOCAL_ID         queue the withdrawal of an event\n"
    "  queue --store DB status|list [STATE]|show LOCAL_ID|retry LOCAL_ID|dead|export\n"
    "Store commands take --key-file FILE (or LFPSE_STORE_KEY, hex) for an encrypted store.\n"
    "FILE may be - for standard input. Exit: 0 success or valid, 1 invalid, 2 usage or\n"
    "unreadable input.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace lfpse::cli;
  const std::map<std::string, Command> commands = {
      {"validate", cmd_validate},   {"shown", cmd_shown},     {"to-fhir", cmd_to_fhir},
      {"from-fhir", cmd_from_fhir}, {"migrate", cmd_migrate}, {"schema", cmd_schema},
      {"record", cmd_record},       {"update", cmd_update},   {"withdraw", cmd_withdraw},
      {"queue", cmd_queue},
  };
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kHelp, argc < 2 ? stderr : stdout);
    return argc < 2 ? kUsage : kOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::puts("lfpse " LFPSE_CLI_VERSION);
    return kOk;
  }
  auto it = commands.find(argv[1]);
  if (it == commands.end()) {
    std::fprintf(stderr, "lfpse: unknown command \"%s\" (try lfpse --help)\n", argv[1]);
    return kUsage;
  }
  try {
    return it->second(argc - 2, argv + 2);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "lfpse %s: %s\n", argv[1], e.message.c_str());
    return kUsage;
  } catch (const lfpse::core::Error& e) {
    std::fprintf(stderr, "lfpse %s: %s\n", argv[1], e.what());
    return e.code() == lfpse::core::ErrorCode::Invalid ? kInvalid : kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lfpse %s: internal error: %s\n", argv[1], e.what());
    return kUsage;
  }
}
