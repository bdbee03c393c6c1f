// Shared by the CLI tests: the `lfpse` executable (LFPSE_CLI, set by CTest) run as a real
// process, and scratch files.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cli_test {

namespace fs = std::filesystem;

struct Run {
  int exit_code = -1;
  std::string out, err;
  long max_rss_kb = 0;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// This process's scratch folder (under the temporary directory, world-readable so that a
/// run as another user can reach what it is given).
inline fs::path scratch() {
  static fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("lfpse-cli-test-" + std::to_string(getpid()));
    fs::create_directories(d);
    fs::permissions(d, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
    return d;
  }();
  return dir;
}

struct RunOptions {
  std::string stdin_path = "/dev/null";
  std::string stdout_path;  ///< empty: captured into Run::out
  bool as_nobody = false;   ///< when root, run as uid/gid 65534, so permissions bind
};

/// Feeds `path` to the CLI's standard input.
inline RunOptions from_stdin(const std::string& path) {
  RunOptions o;
  o.stdin_path = path;
  return o;
}

/// Runs the CLI with `args`.
inline Run run_cli(const std::vector<std::string>& args, const RunOptions& options = {}) {
  const char* cli = std::getenv("LFPSE_CLI");
  REQUIRE_MESSAGE(cli != nullptr, "LFPSE_CLI must name the lfpse binary (set by CTest)");
  fs::path out = options.stdout_path.empty() ? scratch() / "stdout" : fs::path(options.stdout_path);
  fs::path err = scratch() / "stderr";
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(options.stdin_path.c_str(), O_RDONLY);
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(o, 1);
    dup2(e, 2);
    if (options.as_nobody && geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
      _exit(126);
    std::vector<char*> argv{const_cast<char*>(cli)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(cli, argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (options.stdout_path.empty()) r.out = slurp(out);
  r.err = slurp(err);
  r.max_rss_kb = usage.ru_maxrss;
  return r;
}

inline std::string example(const std::string& name) {
  return std::string(LFPSE_SOURCE_DIR "/examples/events/") + name;
}

inline fs::path write(const std::string& name, const std::string& text) {
  fs::path p = scratch() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

inline bool one_line(const std::string& s) {
  return !s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1;
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

/// An error as every command words it: one line, `lfpse COMMAND: ...`, and no prefix twice.
/// (A usage error ends by saying where the usage is: "(try lfpse help COMMAND)".)
inline bool one_error(const Run& r, const std::string& command) {
  std::string prefix = "lfpse " + command + ": ", hint = " (try lfpse help " + command + ")\n";
  std::string message = r.err;
  if (message.size() > hint.size() &&
      message.compare(message.size() - hint.size(), hint.size(), hint) == 0)
    message.erase(message.size() - hint.size());
  return one_line(r.err) && message.rfind(prefix, 0) == 0 &&
         message.find("lfpse ", prefix.size()) == std::string::npos &&
         message.find("lfpse:", prefix.size()) == std::string::npos &&
         message.find(command + ": ", prefix.size()) == std::string::npos &&
         message.find("error:") == std::string::npos;
}

inline const std::string kNow = "2026-11-26T12:00:00Z";

}  // namespace cli_test
