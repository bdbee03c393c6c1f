// Crash safety: a child records, updates and withdraws in a loop and reports each call that
// returned; the parent kills it with SIGKILL at random moments and checks the file each time.
// LFPSE_STORE_CRASH_KILLS sets the number of kills (default 300, at least 100).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "helpers.hpp"
#include "store/sqlite_db.hpp"

using namespace lfpse::store;
using namespace store_test;

namespace {

[[noreturn]] void child_loop(const std::string& path, int out_fd, int run, unsigned seed) {
  try {
    auto s = Store::open(path, with_taxonomies({}));
    std::mt19937 rng(seed);
    std::vector<std::pair<std::string, int>> live;  // local_id, revision
    for (int n = 0;; ++n) {
      std::string line;
      int pick = static_cast<int>(rng() % 10);
      if (live.empty() || pick < 4) {
        std::string id = "C" + std::to_string(run) + "-" + std::to_string(n);
        s->record(event(id));
        live.emplace_back(id, 1);
        line = id + " 1\n";
      } else if (pick < 9) {
        auto& e = live[rng() % live.size()];
        s->update(event(e.first, ++e.second));
        line = e.first + " " + std::to_string(e.second) + "\n";
      } else {
        std::size_t i = rng() % live.size();
        s->withdraw(live[i].first);
        line = live[i].first + " " + std::to_string(live[i].second + 1) + "\n";
        live.erase(live.begin() + static_cast<long>(i));
      }
      if (write(out_fd, line.data(), line.size()) < 0) _exit(3);
    }
  } catch (...) {
    _exit(2);
  }
}

// Every event's revisions 1..r each have exactly one operation (no coalescing), and every
// operation has its event: nothing half-written.
void check_store(const std::string& path, const std::map<std::string, int>& acked) {
  Db db(path, {});
  REQUIRE(db.query_text("PRAGMA integrity_check") == "ok");
  CHECK(db.query_int("SELECT count(*) FROM operations o WHERE NOT EXISTS "
                     "(SELECT 1 FROM events e WHERE e.local_id = o.local_id)") == 0);
  // A withdrawal that cancelled a never-attempted create is a revision without an operation.
  CHECK(db.query_int("SELECT count(*) FROM events e WHERE e.revision != "
                     "(SELECT count(*) FROM operations o WHERE o.local_id = e.local_id) + "
                     "(e.withdrawn AND NOT EXISTS (SELECT 1 FROM operations o WHERE "
                     "o.local_id = e.local_id AND o.kind = 'withdraw'))") == 0);
  CHECK(db.query_int("SELECT count(*) FROM (SELECT local_id, revision FROM operations "
                     "GROUP BY local_id, revision HAVING count(*) > 1)") == 0);
  Stmt st(db, "SELECT revision FROM events WHERE local_id = ?1");
  for (const auto& entry : acked) {  // no structured binding: the check macros capture by lambda
    const auto& id = entry.first;
    const auto& rev = entry.second;
    st.reset();
    st.bind(1, id);
    REQUIRE_MESSAGE(st.step(), "acknowledged event lost: ", id);
    CHECK_MESSAGE(st.int_at(0) >= rev, "acknowledged revision lost: ", id, " ", rev);
  }
}

}  // namespace

TEST_CASE("crash: SIGKILL at random moments never loses or half-writes an acknowledged call") {
  int kills = 300;
  if (const char* env = std::getenv("LFPSE_STORE_CRASH_KILLS"))
    kills = std::max(100, std::atoi(env));
  TempDir dir;
  std::mt19937 rng(20261126);
  std::string path;
  std::map<std::string, int> acked;
  int total_acked = 0;
  for (int k = 0; k < kills; ++k) {
    if (k % 100 == 0) {  // a fresh file now and then keeps integrity_check quick
      path = dir.file("crash-" + std::to_string(k) + ".db");
      acked.clear();
      Store::open(path, with_taxonomies({}));  // created, then closed before any fork
    }
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      child_loop(path, fds[1], k, static_cast<unsigned>(rng()));
    }
    close(fds[1]);
    // The kill comes after a random number of calls (1 to 6) have returned, and then at a
    // random moment: however loaded the machine, every kill has calls behind it to check.
    std::string all;
    char buf[4096];
    const long wanted = 1 + static_cast<long>(rng() % 6);
    while (std::count(all.begin(), all.end(), '\n') < wanted) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;  // the child is gone: its status says why
      all.append(buf, static_cast<std::size_t>(n));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 10000));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK((WIFSIGNALED(status) || WEXITSTATUS(status) == 0));
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
      all.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    // Only whole lines count: a call whose line was cut short was not reported.
    for (std::size_t at = 0, nl; (nl = all.find('\n', at)) != std::string::npos; at = nl + 1) {
      std::string line = all.substr(at, nl - at);
      std::size_t sp = line.find(' ');
      int rev = std::stoi(line.substr(sp + 1));
      int& held = acked[line.substr(0, sp)];
      held = std::max(held, rev);
      ++total_acked;
    }
    check_store(path, acked);
  }
  MESSAGE("kills: " << kills << ", acknowledged calls checked: " << total_acked);
  // A loop whose children were killed before any call returned would prove nothing.
  CHECK(total_acked >= 100);
}
