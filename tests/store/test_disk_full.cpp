// A disk that fills up under a commit: at every write position of a batch commit and of a
// claim commit (a VFS that answers SQLITE_FULL from the n-th write on), and on a real small
// file system that runs out of space. Either the call fails, and every earlier event is there
// with integrity_check ok, or it succeeds, and everything it acknowledged survives a SIGKILL
// right after it returns, and a reopen. FULL and NORMAL alike.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <set>
#include <sstream>

#include "helpers.hpp"
#include "store/sqlite_db.hpp"
#include "wal_spy_vfs.hpp"

using namespace lfpse::store;
using namespace store_test;

namespace {

constexpr int kEarlier = 20;

StoreOptions in_mode(StoreOptions::Synchronous mode, const std::string& vfs = "") {
  StoreOptions o = with_taxonomies({});
  o.synchronous = mode;
  o.vfs = vfs;
  return o;
}

std::vector<std::string> events_named(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(event(prefix + std::to_string(i)));
  return out;
}

// Runs `call` in a child process, which reports its result line ("ok ..." or "fail ...") on a
// pipe and is then killed with SIGKILL, as by a crash right after the call returned.
std::string in_child_then_kill(const std::function<std::string()>& call) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    std::string line;
    try {
      line = "ok " + call();
    } catch (const std::exception& e) {
      line = std::string("fail ") + e.what();
    }
    if (write(fds[1], line.data(), line.size()) < 0) _exit(3);
    raise(SIGKILL);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  return out;
}

int64_t count(Db& db, const std::string& sql, const std::string& arg) {
  Stmt st(db, sql);
  st.bind(1, arg);
  return st.step() ? st.int_at(0) : -1;
}

// The file after the kill: sound, the earlier events all there, and the call's whole or absent.
void check_after(const std::string& path, const std::string& result, const std::string& prefix,
                 int n) {
  auto s = Store::open(path, with_taxonomies({}));
  REQUIRE(s->integrity_check() == "ok");
  for (int i = 0; i < kEarlier; ++i) CHECK(s->show_json("E" + std::to_string(i)).has_value());
  int held = 0;
  for (int i = 0; i < n; ++i) held += s->show_json(prefix + std::to_string(i)).has_value();
  if (result.rfind("ok", 0) == 0) CHECK(held == n);
  CHECK((held == 0 || held == n));
}

}  // namespace

TEST_CASE("disk full: a batch commit failing at any write fails whole or survives a SIGKILL") {
  walspy::install();
  for (auto mode : {StoreOptions::Synchronous::Full, StoreOptions::Synchronous::Normal}) {
    TempDir dir;
    const std::string tpl = dir.file("template.db");
    Store::open(tpl, in_mode(mode))->record_batch(events_named("E", kEarlier));
    const auto batch = events_named("B", 13);
    // How many writes the call makes when the disk has room: every one of them is tried.
    int64_t writes = 0;
    {
      fs::copy_file(tpl, dir.file("probe.db"));
      auto s = Store::open(dir.file("probe.db"), in_mode(mode, walspy::kVfsName));
      const int64_t before = walspy::writes();
      s->record_batch(batch);
      writes = walspy::writes() - before;
    }
    REQUIRE(writes > 13);
    int failed = 0;
    for (int64_t k = 1; k <= writes + 1; ++k) {
      const std::string path = dir.file("full-" + std::to_string(k) + ".db");
      fs::copy_file(tpl, path);
      std::string result = in_child_then_kill([&] {
        auto s = Store::open(path, in_mode(mode, walspy::kVfsName));
        walspy::fill_disk_at(k);
        auto results = s->record_batch(batch);
        for (const auto& r : results)
          if (!r.stored) return std::string("refused");
        return std::string("stored");
      });
      CAPTURE(k);
      CAPTURE(result);
      REQUIRE((result == "ok stored" || result.rfind("fail ", 0) == 0));
      failed += result != "ok stored";
      check_after(path, result, "B", 13);
    }
    MESSAGE(writes << " write positions; the call failed at " << failed);
    CHECK(failed == writes);  // every position fails it: the commit's last write is its own
  }
}

TEST_CASE("disk full: a claim commit failing at any write fails whole or survives a SIGKILL") {
  walspy::install();
  for (auto mode : {StoreOptions::Synchronous::Full, StoreOptions::Synchronous::Normal}) {
    TempDir dir;
    const std::string tpl = dir.file("template.db");
    Store::open(tpl, in_mode(mode))->record_batch(events_named("E", kEarlier));
    int64_t writes = 0;
    {
      fs::copy_file(tpl, dir.file("probe.db"));
      auto s = Store::open(dir.file("probe.db"), in_mode(mode, walspy::kVfsName));
      const int64_t before = walspy::writes();
      REQUIRE(s->claim_due(16, 60000).size() == 16);
      writes = walspy::writes() - before;
    }
    REQUIRE(writes > 2);
    for (int64_t k = 1; k <= writes + 1; ++k) {
      const std::string path = dir.file("claim-" + std::to_string(k) + ".db");
      fs::copy_file(tpl, path);
      std::string result = in_child_then_kill([&] {
        auto s = Store::open(path, in_mode(mode, walspy::kVfsName));
        walspy::fill_disk_at(k);
        std::string ids;
        for (const auto& op : s->claim_due(16, 60000)) ids += op.op_id + " ";
        return ids;
      });
      CAPTURE(k);
      CAPTURE(result);
      check_after(path, result, "none", 0);
      Db db(path, {});
      const int64_t sending =
          db.query_int("SELECT count(*) FROM operations WHERE state = 'sending'");
      if (result.rfind("ok ", 0) == 0) {
        // Every lease it handed out is held after the kill (a crash, not a power cut).
        std::istringstream in(result.substr(3));
        int claimed = 0;
        for (std::string id; in >> id; ++claimed)
          CHECK(count(db, "SELECT count(*) FROM operations WHERE op_id = ?1 AND state = 'sending'",
                      id) == 1);
        CHECK(claimed == 16);
        CHECK(sending == 16);
      } else {
        CHECK(sending == 0);
      }
    }
  }
}

TEST_CASE("disk full: on a file system that runs out of space, acknowledged batches survive") {
  static const int kSizes[] = {13, 1, 16, 40, 7, 31};
  for (auto mode : {StoreOptions::Synchronous::Full, StoreOptions::Synchronous::Normal}) {
    TempDir dir;
    const fs::path mnt = dir.path / "mnt";
    fs::create_directories(mnt);
    // A real small tmpfs when the test may mount one (root); otherwise a file-size limit in the
    // children, which fails writes the same way (a short write, then EFBIG).
    const bool tmpfs = geteuid() == 0 && mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=640k") == 0;
    struct Unmount {
      const fs::path& at;
      bool on;
      ~Unmount() {
        if (on) umount2(at.c_str(), MNT_DETACH);
      }
    } unmount{mnt, tmpfs};  // before the folder goes, even when a check throws
    const std::string where =
        tmpfs ? "on a 640 KiB tmpfs" : "not permitted to mount: a 640 KiB file-size limit";
    MESSAGE(where);
    const std::string path = (mnt / "full.db").string();
    Store::open(path, in_mode(mode));
    std::set<std::string> acked;
    int failures = 0, n = 0;
    for (int call = 0; call < 400 && failures < 4; ++call) {
      std::vector<std::string> ids, batch;
      for (int i = 0; i < kSizes[call % 6]; ++i) ids.push_back("F" + std::to_string(n++));
      for (const auto& id : ids) batch.push_back(event(id));
      std::string result = in_child_then_kill([&] {
        if (!tmpfs) {
          signal(SIGXFSZ, SIG_IGN);
          rlimit limit{640 * 1024, 640 * 1024};
          setrlimit(RLIMIT_FSIZE, &limit);
        }
        auto s = Store::open(path, in_mode(mode));
        for (const auto& r : s->record_batch(batch))
          if (!r.stored) return std::string("refused");
        return std::string("stored");
      });
      if (result == "ok stored") {
        acked.insert(ids.begin(), ids.end());
      } else {
        CAPTURE(result);
        CHECK(result.rfind("fail ", 0) == 0);
        ++failures;
      }
    }
    MESSAGE(acked.size() << " events acknowledged before the disk filled; " << failures
                         << " calls failed");
    CHECK(failures > 0);
    CHECK(acked.size() > 0);
    // Checked on a copy on a disk with room, as an administrator would after freeing space.
    const std::string copy = dir.file(fs::path(path).filename().string());
    fs::copy_file(path, copy);
    if (fs::exists(path + "-wal")) fs::copy_file(path + "-wal", copy + "-wal");
    auto s = Store::open(copy, with_taxonomies({}));
    REQUIRE(s->integrity_check() == "ok");
    for (const auto& id : acked) CHECK_MESSAGE(s->show_json(id).has_value(), "lost: ", id);
  }
}
