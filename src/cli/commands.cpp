// The commands: their options and help. `lfpse help COMMAND` prints what is written here.
#include "cli/cli.hpp"

namespace lfpse::cli {

namespace {

const Option kTaxonomy{"taxonomy", "FILE",
                       "load a taxonomy document beside the built-in versions 5 and 6 "
                       "(repeatable)",
                       true};
const Option kNow{"now", "RFC3339",
                  "the validation clock, e.g. 2026-11-26T12:00:00Z (default: the system clock)"};
const Option kStore{"store", "DB", "the store file (required)"};
const Option kKeyFile{"key-file", "FILE",
                      "the key of an encrypted store, 64 hex digits (else LFPSE_STORE_KEY)"};

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"validate",
       "[--json] FILE...",
       "validate event documents",
       "Validates each event document against its taxonomy version and prints a readable\n"
       "report per FILE, or with --json its verdict, one line of JSON per FILE:\n"
       "{\"valid\":bool,\"issues\":[{\"severity\",\"code\",\"path\",\"question\",\"message\"}]}\n"
       "(with several FILEs each line starts with \"file\"). Every FILE is validated even when\n"
       "one cannot be read. Text that is not JSON is one `malformed` issue naming the byte.\n"
       "Exit: 0 all valid, 1 one is invalid, 6 one cannot be read.",
       {{"json", nullptr, "print the verdicts as JSON"}, kTaxonomy, kNow},
       cmd_validate},
      {"shown",
       "FILE",
       "the questions a form shows now, and which are required",
       "Prints {\"top\":{\"shown\":[codes],\"required\":[codes]},\"groups\":{\"<id>\":{\"shown\":"
       "bool,\n\"instances\":[...]}}} for a partly filled event.\n"
       "Exit: 0; 1 when the event cannot be read (not an event document, or its taxonomy\n"
       "version is not loaded): its verdict is printed on stderr.",
       {kTaxonomy, kNow},
       cmd_shown},
      {"to-fhir",
       "FILE",
       "the FHIR R4 AdverseEvent of a valid event",
       "Prints the FHIR R4 AdverseEvent of an event that validates (warnings allowed).\n"
       "Exit: 0; 1 when the event has errors: its verdict is printed on stderr.",
       {kTaxonomy, kNow},
       cmd_to_fhir},
      {"from-fhir",
       "FILE",
       "the event document of an AdverseEvent",
       "Prints the canonical event document of a FHIR R4 AdverseEvent.\n"
       "Exit: 0; 1 when the resource is not an AdverseEvent of a loaded taxonomy version.",
       {kTaxonomy},
       cmd_from_fhir},
      {"migrate",
       "--to VERSION FILE",
       "migrate an event to a later taxonomy version",
       "Prints {\"event\":<the migrated event>|null,\"issues\":[...]}: the answers dropped\n"
       "(migrated:dropped warnings) and the new version's validation, sorted together.\n"
       "Exit: 0; 1 when the event cannot be read or the migrated event has errors; 2 for a\n"
       "downgrade; 4 when VERSION is not loaded.",
       {{"to", "VERSION", "the taxonomy version to migrate to (required)"}, kTaxonomy, kNow},
       cmd_migrate},
      {"schema",
       "--version VERSION",
       "the JSON Schema of a taxonomy version",
       "Prints the JSON Schema (draft 2020-12) of VERSION's event documents; what JSON Schema\n"
       "cannot say is listed in its $comment.\n"
       "Exit: 0; 4 when VERSION is not loaded.",
       {{"version", "VERSION", "the taxonomy version (required)"}, kTaxonomy},
       cmd_schema},
      {"record",
       "--store DB [--draft] FILE",
       "validate, store and queue a new event",
       "Validates the event, stores it and queues its create, in one transaction. Prints\n"
       "{\"local_id\",\"stored\",\"state\",\"revision\",\"operation\",\"issues\"}.\n"
       "Exit: 0; 1 when the event is invalid (nothing stored; the issues are printed); 5 when\n"
       "its local_id is already recorded; 6 for the store (disk full, damage, wrong key).",
       {{"draft", nullptr, "store it as a draft: kept, never validated to block, never queued"},
        kStore,
        kKeyFile,
        kTaxonomy,
        kNow},
       cmd_record},
      {"update",
       "--store DB [--draft] FILE",
       "store and queue a new revision of an event",
       "Stores a new snapshot of a recorded event (by its local_id) and queues an update.\n"
       "Prints the result as record does.\n"
       "Exit: 0; 1 when invalid; 4 for an unknown local_id; 5 when it is withdrawn; 6.",
       {{"draft", nullptr, "store it as a draft"}, kStore, kKeyFile, kTaxonomy, kNow},
       cmd_update},
      {"withdraw",
       "--store DB LOCAL_ID",
       "queue the withdrawal of an event",
       "Withdraws an event: queues its DELETE. Prints the result as record does.\n"
       "Exit: 0; 4 for an unknown LOCAL_ID; 5 when already withdrawn; 6.",
       {kStore, kKeyFile},
       cmd_withdraw},
      {"queue",
       "--store DB [--read-only] status|list [STATE]|show LOCAL_ID|dead|export|retry LOCAL_ID",
       "the events' sync state and the queue",
       "  status          counts by state: {\"draft\",\"queued\",\"sending\",\"acknowledged\",\n"
       "                  \"rejected\",\"conflict\",\"withdrawn\"}, and \"withdrawal_pending\":\n"
       "                  the events whose withdrawal waits behind an operation sent\n"
       "  list [STATE]    event summaries by local_id, all or those in STATE\n"
       "  show LOCAL_ID   one event with its operations, last error and OperationOutcome\n"
       "  dead            the dead letters with their reasons\n"
       "  export          every event as show prints it, one JSON line each\n"
       "  retry LOCAL_ID  put an event's dead letters back in the queue\n"
       "--read-only opens the store read-only, to inspect a copy or a backup (also one whose\n"
       "file and directory are not writable): for status, list, show, dead and export.\n"
       "Exit: 0; 2 for an unknown STATE; 4 for an unknown LOCAL_ID; 6.",
       {{"read-only", nullptr, "open the store read-only (not for retry)"}, kStore, kKeyFile},
       cmd_queue},
  };
  return list;
}

const Command* find_command(std::string_view name) {
  for (const Command& c : commands())
    if (name == c.name) return &c;
  return nullptr;
}

}  // namespace lfpse::cli
