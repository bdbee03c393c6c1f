#include "probe.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "raw_socket.hpp"

namespace lfpse::server::test {

long proc_status(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, field.size() + 1, field + ":") == 0)
      return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

bool reset_peak_rss(pid_t pid) {
  std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

void want_open_files(long n) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || static_cast<long>(lim.rlim_cur) >= n) return;
  lim.rlim_cur = std::min<rlim_t>(static_cast<rlim_t>(n), lim.rlim_max);
  setrlimit(RLIMIT_NOFILE, &lim);
}

int timed_metadata(int port, long* ms) {
  auto t0 = std::chrono::steady_clock::now();
  int status = -1;
  int fd = raw_connect(port);
  if (fd >= 0) {
    raw_send(fd, "GET /adverse-event/fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    std::string answer = raw_read_answer(fd, 10000);
    close(fd);
    if (answer.rfind("HTTP/1.1 ", 0) == 0) status = std::stoi(answer.substr(9, 3));
  }
  *ms = static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count());
  return status;
}

}  // namespace lfpse::server::test
