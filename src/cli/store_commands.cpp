// The store subcommands: record, update, withdraw and queue (status, list, show, retry,
// export). The store key comes from --key-file or LFPSE_STORE_KEY (hex), never from a flag
// value, so it does not show in process listings or shell history.
#include <cstdio>
#include <cstdlib>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "store/crypto.hpp"
#include "store/store.hpp"
#include "taxonomy/event.hpp"

namespace lfpse::cli {

namespace {

const std::vector<std::string> kStoreValues = {"store", "key-file"};

std::unique_ptr<store::Store> open_store(const Args& args, const char* usage) {
  const std::string* path = args.value("store");
  if (!path) throw UsageError{std::string("usage: ") + usage};
  store::StoreOptions options;
  std::string hex;
  if (const std::string* key_file = args.value("key-file")) {
    hex = read_input(*key_file, 4096);
  } else if (const char* env = std::getenv("LFPSE_STORE_KEY")) {
    hex = env;
  }
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' '))
    hex.pop_back();
  if (!hex.empty()) {
    try {
      options.key = store::parse_hex_key(hex);
    } catch (const core::Error& e) {
      throw UsageError{std::string("the store key: ") + e.what()};
    }
  }
  options.taxonomies = std::shared_ptr<const taxonomy::TaxonomySet>(load_taxonomies(args));
  options.clock = args.clock();
  try {
    return store::Store::open(*path, std::move(options));
  } catch (const core::Error& e) {
    throw UsageError{e.what()};  // an unusable store is unreadable input: exit 2
  }
}

int print_write(const store::WriteResult& r) {
  print_json(r.json());
  return r.stored ? kOk : kInvalid;
}

}  // namespace

namespace {

// record and update share their arguments: --store, --key-file, --draft and one event file.
int write_event(int argc, char** argv, const char* usage, bool update) {
  Args args = parse_args(argc, argv, kStoreValues, {"draft"});
  auto s = open_store(args, usage);
  std::string event = read_input(one_input(args, usage), taxonomy::kMaxEventBytes);
  return print_write(update ? s->update(event, args.flag("draft"))
                            : s->record(event, args.flag("draft")));
}

}  // namespace

int cmd_record(int argc, char** argv) {
  return write_event(argc, argv, "lfpse record --store DB [--key-file FILE] [--draft] FILE", false);
}

int cmd_update(int argc, char** argv) {
  return write_event(argc, argv, "lfpse update --store DB [--key-file FILE] [--draft] FILE", true);
}

int cmd_withdraw(int argc, char** argv) {
  const char* usage = "lfpse withdraw --store DB [--key-file FILE] LOCAL_ID";
  Args args = parse_args(argc, argv, kStoreValues, {});
  auto s = open_store(args, usage);
  return print_write(s->withdraw(one_input(args, usage)));
}

int cmd_queue(int argc, char** argv) {
  const char* usage =
      "lfpse queue --store DB [--key-file FILE] status|list [STATE]|show LOCAL_ID|"
      "retry LOCAL_ID|dead|export";
  Args args = parse_args(argc, argv, kStoreValues, {});
  if (args.positional.empty()) throw UsageError{std::string("usage: ") + usage};
  const std::string& what = args.positional[0];
  std::size_t arity = args.positional.size();
  auto s = open_store(args, usage);
  if (what == "status" && arity == 1) {
    print_json(s->status_json());
  } else if (what == "list" && arity <= 2) {
    std::optional<std::string_view> state;
    if (arity == 2) state = args.positional[1];
    try {
      print_json(s->list_json(state));
    } catch (const core::Error& e) {
      throw UsageError{e.what()};
    }
  } else if (what == "show" && arity == 2) {
    auto shown = s->show_json(args.positional[1]);
    if (!shown) {
      std::fprintf(stderr, "lfpse queue: no event \"%s\" in the store\n",
                   args.positional[1].c_str());
      return kInvalid;
    }
    print_json(*shown);
  } else if (what == "retry" && arity == 2) {
    int64_t n = s->retry(args.positional[1]);
    print_json("{\"local_id\":" +
               [&] {
                 std::string id;
                 core::json_append_string(id, args.positional[1]);
                 return id;
               }() +
               ",\"requeued\":" + std::to_string(n) + "}");
  } else if (what == "dead" && arity == 1) {
    print_json(s->dead_letters_json());
  } else if (what == "export" && arity == 1) {
    s->export_lines([](const std::string& line) { print_json(line); });
  } else {
    throw UsageError{std::string("usage: ") + usage};
  }
  return kOk;
}

}  // namespace lfpse::cli
