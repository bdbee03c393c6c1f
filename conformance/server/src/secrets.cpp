#include "secrets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "event_repo.hpp"
#include "util.hpp"

namespace lfpse::server {

void restrict_file_modes(const std::string& db_path) {
  int fd = ::open(db_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + db_path + ": " + std::strerror(errno));
  int rc = ::fchmod(fd, 0600);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error("cannot chmod " + db_path + ": " + std::strerror(err));
  // A database an older server made may have left these 0644; SQLite reuses existing files.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    std::string p = db_path + suffix;
    if (::chmod(p.c_str(), 0600) != 0 && errno != ENOENT)
      throw std::runtime_error("cannot chmod " + p + ": " + std::strerror(errno));
  }
}

void drop_private_keys(Config& config) {
  for (auto& o : config.organisations) {
    for (auto& c : o.clients) {
      // Overwritten before release: a core dump should not hold it either.
      std::fill(c.private_key_pem.begin(), c.private_key_pem.end(), '\0');
      c.private_key_pem.clear();
      c.private_key_pem.shrink_to_fit();
    }
  }
}

bool forget_demo_credentials(Db& db) {
  if (!get_meta(db, "demo_identities")) return false;
  Stmt s(db, "DELETE FROM meta WHERE key = 'demo_identities'");
  s.step();
  return true;
}

std::string cursor_key(Db& db) {
  if (auto key = get_meta(db, "cursor_key")) return *key;
  std::string key = random_hex(32);
  set_meta(db, "cursor_key", key);
  return key;
}

}  // namespace lfpse::server
