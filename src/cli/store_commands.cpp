// The store commands: record, update, withdraw and queue (status, list, show, dead, export,
// retry), each a call of lfpse_store_* printed as the library returned it.
#include "cli/cli.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"

namespace lfpse::cli {

namespace {

// The positional arguments of a command that takes exactly `names`.
void expect(const Args& args, std::size_t from, const std::vector<const char*>& names) {
  std::size_t given = args.positional.size() - from;
  if (given < names.size()) usage_error(std::string("missing ") + names[given]);
  if (given > names.size())
    usage_error("unexpected argument \"" + args.positional[from + names.size()] + "\"");
}

// A write's result: printed (also when refused for its issues, exit 1); other failures throw.
int print_write(lfpse_status status, char* out, size_t len) {
  std::string json = take(out, len);
  if (status != LFPSE_EEVENT) check(status);
  print_line(json);
  return status == LFPSE_EEVENT ? kInvalid : kOk;
}

int write_event(const Args& args, bool update) {
  expect(args, 0, {"FILE"});
  Store store(args, false);
  std::string event = read_input(args.positional[0], LFPSE_EVENT_MAX_BYTES);
  unsigned flags = args.flag("draft") ? LFPSE_STORE_DRAFT : 0u;
  char* out = nullptr;
  size_t len = 0;
  lfpse_status status =
      update ? lfpse_store_update(store.get(), event.data(), event.size(), flags, &out, &len)
             : lfpse_store_record(store.get(), event.data(), event.size(), flags, &out, &len);
  return print_write(status, out, len);
}

int print_lines(const char* line, size_t len, void*) {
  print_line(std::string_view(line, len));
  return 0;
}

// The query verbs, what --read-only may open the store for: their arguments, and the call.
struct Query {
  std::vector<const char*> arguments;
  bool optional;  ///< the one argument may be left out
  lfpse_status (*call)(lfpse_store*, const char* argument, char** out, size_t* len);
};

const std::map<std::string, Query, std::less<>> kQueries = {
    {"status",
     {{},
      false,
      [](lfpse_store* s, const char*, char** o, size_t* n) {
        return lfpse_store_status(s, o, n);
      }}},
    {"list", {{"STATE"}, true, lfpse_store_list}},
    {"show", {{"LOCAL_ID"}, false, lfpse_store_show}},
    {"dead",
     {{},
      false,
      [](lfpse_store* s, const char*, char** o, size_t* n) {
        return lfpse_store_dead_letters(s, o, n);
      }}},
};

}  // namespace

int cmd_record(const Args& args) { return write_event(args, false); }

int cmd_update(const Args& args) { return write_event(args, true); }

int cmd_withdraw(const Args& args) {
  expect(args, 0, {"LOCAL_ID"});
  Store store(args, false);
  char* out = nullptr;
  size_t len = 0;
  lfpse_status status = lfpse_store_withdraw(store.get(), args.positional[0].c_str(), &out, &len);
  return print_write(status, out, len);
}

int cmd_queue(const Args& args) {
  if (args.positional.empty()) usage_error("missing status, list, show, dead, export or retry");
  const std::string& verb = args.positional[0];
  bool read_only = args.flag("read-only");
  auto query = kQueries.find(verb);
  if (query != kQueries.end()) {
    const Query& q = query->second;
    if (!(q.optional && args.positional.size() == 1)) expect(args, 1, q.arguments);
    Store store(args, read_only);
    char* out = nullptr;
    size_t len = 0;
    lfpse_status status = q.call(
        store.get(), args.positional.size() > 1 ? args.positional[1].c_str() : nullptr, &out, &len);
    std::string json = take(out, len);
    check(status);
    print_line(json);
  } else if (verb == "export") {
    expect(args, 1, {});
    Store store(args, read_only);
    check(lfpse_store_export(store.get(), print_lines, nullptr));
  } else if (verb == "retry") {
    expect(args, 1, {"LOCAL_ID"});
    if (read_only) usage_error("--read-only is for status, list, show, dead and export");
    Store store(args, false);
    int64_t requeued = 0;
    check(lfpse_store_retry(store.get(), args.positional[1].c_str(), &requeued));
    print_line(core::JsonWriter()
                   .begin_object()
                   .member("local_id", args.positional[1])
                   .member("requeued", requeued)
                   .end_object()
                   .take());
  } else {
    usage_error("unknown queue command \"" + verb + "\"");
  }
  return kOk;
}

}  // namespace lfpse::cli
