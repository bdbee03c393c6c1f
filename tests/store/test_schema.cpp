// Opening: the schema and its migrations, and the files a store must refuse clearly.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.hpp"
#include "helpers.hpp"
#include "store/sqlite_db.hpp"

using namespace lfpse::store;
using namespace store_test;
using lfpse::core::Error;
using lfpse::core::ErrorCode;

namespace {

ErrorCode open_error(const std::string& path, StoreOptions o = with_taxonomies({})) {
  try {
    Store::open(path, o);
  } catch (const Error& e) {
    MESSAGE(std::string(e.what()));
    return e.code();
  }
  return ErrorCode::Internal;  // opened: not what these tests expect
}

}  // namespace

TEST_CASE("schema: a new store is WAL, at the current schema version, and reopens as is") {
  TempDir dir;
  std::string path = dir.file("s.db");
  { Store::open(path, with_taxonomies({}))->record(event("S1")); }
  {
    Db db(path, {});
    CHECK(db.query_int("PRAGMA user_version") == kSchemaVersion);
    CHECK(db.query_text("PRAGMA journal_mode") == "wal");
  }
  auto s = Store::open(path, with_taxonomies({}));
  CHECK(s->show_json("S1"));
  CHECK(s->integrity_check() == "ok");
}

TEST_CASE("schema: a version 1 store is migrated on open and keeps its events") {
  TempDir dir;
  std::string path = dir.file("v1.db");
  { Store::open(path, with_taxonomies({}))->record(event("V1")); }
  {
    Db db(path, {});  // back to what version 1 wrote
    db.exec(
        "DROP TABLE feed_reset; DROP INDEX events_state_updated;"
        "CREATE INDEX events_state ON events(state);"
        "CREATE INDEX events_updated ON events(updated_at); PRAGMA user_version=1");
  }
  auto s = Store::open(path, with_taxonomies({}));
  CHECK(s->show_json("V1"));
  s->begin_feed_reset();  // needs the table version 2 added
  CHECK(s->finish_feed_reset().requeued.empty());
  Db db(path, {});
  CHECK(db.query_int("PRAGMA user_version") == kSchemaVersion);
}

TEST_CASE("schema: a version 2 store gets one (state, updated_at) index and answers as before") {
  TempDir dir;
  std::string path = dir.file("v2.db");
  {
    auto s = Store::open(path, with_taxonomies({}));
    s->record(event("V2a"));
    s->record(event("V2b"));
  }
  {
    Db db(path, {});  // back to what version 2 wrote
    db.exec(
        "DROP INDEX events_state_updated; CREATE INDEX events_state ON events(state);"
        "CREATE INDEX events_updated ON events(updated_at); PRAGMA user_version=2");
  }
  auto s = Store::open(path, with_taxonomies({}));
  CHECK(s->status_json().find("\"queued\":2") != std::string::npos);
  CHECK(s->changed_since_json(0).find("V2b") != std::string::npos);
  CHECK(s->list_json("queued").find("V2a") != std::string::npos);
  Db db(path, {});
  CHECK(db.query_int("PRAGMA user_version") == kSchemaVersion);
  CHECK(db.query_int("SELECT count(*) FROM sqlite_schema WHERE name IN ('events_state', "
                     "'events_updated')") == 0);
  CHECK(db.query_int("SELECT count(*) FROM sqlite_schema WHERE name = 'events_state_updated'") ==
        1);
  // The changes-since query reads the index, not the whole table.
  std::string plan;
  Stmt st(db,
          "EXPLAIN QUERY PLAN SELECT local_id FROM events WHERE state IN ('draft', 'queued', "
          "'sending', 'acknowledged', 'rejected', 'conflict', 'withdrawn') AND updated_at >= 0");
  while (st.step()) plan += st.text_at(3) + "\n";
  CAPTURE(plan);
  CHECK(plan.find("events_state_updated") != std::string::npos);
}

TEST_CASE("schema: a store written by a newer library is refused and left untouched") {
  TempDir dir;
  std::string path = dir.file("newer.db");
  { Store::open(path, with_taxonomies({}))->record(event("N1")); }
  {
    Db db(path, {});
    db.exec("PRAGMA user_version=99");
  }
  std::string before = read_file(path);
  CHECK(open_error(path) == ErrorCode::Unsupported);
  CHECK(read_file(path) == before);
}

TEST_CASE("schema: a database that is not an lfpse store is refused") {
  TempDir dir;
  std::string path = dir.file("other.db");
  {
    Db db(path, {});
    db.exec("CREATE TABLE t(x)");
  }
  std::string before = read_file(path);
  CHECK(open_error(path) == ErrorCode::Invalid);
  CHECK(read_file(path) == before);
}

TEST_CASE("schema: a corrupted file gives a clear error") {
  TempDir dir;
  std::string garbage = dir.file("garbage.db");
  {
    std::ofstream out(garbage, std::ios::binary);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>(i * 37 + 11));
  }
  CHECK(open_error(garbage) == ErrorCode::Corrupt);

  // Damage inside a page past the header: the open works, then reads say Corrupt.
  std::string path = dir.file("damaged.db");
  {
    auto s = Store::open(path, with_taxonomies({}));
    for (int i = 0; i < 40; ++i) s->record(event("D" + std::to_string(i)));
  }
  std::string bytes = read_file(path);
  REQUIRE(bytes.size() > 5 * 4096);
  for (std::size_t i = 2 * 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  bool clear = false;
  try {
    auto s = Store::open(path, with_taxonomies({}));
    CHECK(s->integrity_check() != "ok");
    s->list_json();
  } catch (const Error& e) {
    MESSAGE(std::string(e.what()));
    clear = e.code() == ErrorCode::Corrupt && contains(e.what(), "corrupt");
  }
  CHECK(clear);
}

TEST_CASE("schema: a read-only store file gives a clear error") {
  TempDir dir;
  std::string path = dir.file("ro.db");
  { Store::open(path, with_taxonomies({}))->record(event("RO")); }
  chmod(path.c_str(), 0444);
  // root ignores permissions: make the file immutable instead, where the file system allows.
  int fd = open(path.c_str(), O_RDONLY);
  int flags = 0;
  bool immutable = false;
  if (geteuid() == 0 && fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
    flags |= FS_IMMUTABLE_FL;
    immutable = ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  }
  int probe = open(path.c_str(), O_WRONLY);
  if (probe < 0) {
    CHECK(open_error(path) == ErrorCode::Io);
  } else {
    // Root may still write the file (no CAP_LINUX_IMMUTABLE here): open it as an ordinary user
    // instead, in a child that gives up root, so the check runs on every machine.
    close(probe);
    REQUIRE(geteuid() == 0);
    chmod(dir.path.c_str(), 0755);
    pid_t child = fork();
    if (child == 0) {
      if (setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
      int code = 2;
      try {
        Store::open(path, with_taxonomies({}));
        code = 1;  // opened for writing: wrong
      } catch (const Error& e) {
        code = e.code() == ErrorCode::Io ? 0 : 2;
      }
      _exit(code);
    }
    int status = -1;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // 1: it opened; 2: another error than Io; 3: setuid failed
  }
  if (immutable) {
    flags &= ~FS_IMMUTABLE_FL;
    ioctl(fd, FS_IOC_SETFLAGS, &flags);
  }
  if (fd >= 0) close(fd);
  chmod(path.c_str(), 0644);
}

TEST_CASE(
    "schema: the disk full (a size limit) fails the call clearly and keeps every earlier event") {
  TempDir dir;
  StoreOptions o = with_taxonomies({});
  o.max_pages = 40;
  auto s = Store::open(dir.file("full.db"), o);
  std::vector<std::string> stored;
  std::string error;
  for (int i = 0; i < 500 && error.empty(); ++i) {
    std::string id = "F" + std::to_string(i);
    try {
      s->record(event(id));
      stored.push_back(id);
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::Io);
      error = e.what();
    }
  }
  MESSAGE(error);
  CHECK(contains(error, "disk full"));
  REQUIRE(stored.size() > 3);
  // The store still answers and holds everything recorded before the failure.
  CHECK(contains(s->status_json(), "\"queued\":" + std::to_string(stored.size())));
  for (const auto& id : stored) CHECK(s->show_json(id));
  CHECK(s->integrity_check() == "ok");
}
