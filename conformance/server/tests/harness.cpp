#include "harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "auth.hpp"
#include "core/json.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/taxonomy_set.hpp"
#include "util.hpp"

namespace lfpse::server::test {

std::string make_temp_dir() {
  char tmpl[] = "/tmp/lfpse-server-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ServerProcess::ServerProcess(std::string db_path, std::vector<std::string> extra) {
  dir = make_temp_dir();
  db = db_path.empty() ? dir + "/server.db" : db_path;
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  // LFPSE_SERVER_UNDER_TEST runs the suite against another build (an older one, say).
  const char* exe = std::getenv("LFPSE_SERVER_UNDER_TEST");
  std::vector<std::string> args{exe && *exe ? exe : LFPSE_SERVER_EXE,
                                "--demo",
                                "--listen",
                                "127.0.0.1:0",
                                "--db",
                                db,
                                "--log-level",
                                "warn"};
  for (auto& e : extra) args.push_back(e);
  pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    int err = open((dir + "/stderr.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) dup2(err, 2);
    close(out[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now())
                                  .count());
    if (ms <= 0 || poll(&p, 1, ms) <= 0) break;
    char buf[4096];
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  close(out[0]);
  if (line.find('\n') == std::string::npos)
    throw std::runtime_error("the server printed no first line: " + line);
  line.resize(line.find('\n'));
  url = json_str(line, "/url");
  admin_key = json_str(line, "/admin_key");
  token_url = json_str(line, "/token_url");
  for (std::size_t i = 0; i < json_size(line, "/organisations"); ++i) {
    std::string p = "/organisations/" + std::to_string(i);
    orgs.push_back({json_str(line, p + "/ods"), json_str(line, p + "/api_key"),
                    json_str(line, p + "/client_id"), json_str(line, p + "/private_key_pem")});
  }
  std::string hp = url.substr(url.find("://") + 3);
  host = hp.substr(0, hp.rfind(':'));
  port = std::stoi(hp.substr(hp.rfind(':') + 1));
}

ServerProcess::~ServerProcess() {
  if (pid > 0) kill9();
}

bool ServerProcess::running() {
  if (pid <= 0) return false;
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == 0;
}

int ServerProcess::stop() {
  if (pid <= 0) return -1;
  kill(pid, SIGTERM);
  for (int i = 0; i < 300; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      pid = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill9();
  return -1;
}

void ServerProcess::kill9() {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  pid = -1;
}

httplib::Client ServerProcess::client() const {
  httplib::Client c(host, port);
  c.set_connection_timeout(5);
  c.set_read_timeout(30);
  c.set_write_timeout(30);
  return c;
}

namespace {
taxonomy::TaxonomySet& taxonomies() {
  static taxonomy::TaxonomySet set(true);
  return set;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
}
}  // namespace

std::string example_event(const std::string& name, const std::string& ods,
                          const std::string& local_id) {
  std::string text = read_text(std::string(LFPSE_EXAMPLES_DIR) + "/" + name + ".json");
  core::JsonDocument doc;
  core::JsonError err;
  if (!doc.parse(text, &err)) throw std::runtime_error("example unreadable: " + err.message);
  std::string old_id = json_str(text, "/local_id");
  std::string old_org = json_str(text, "/organisation");
  replace_all(text, "\"organisation\": \"" + old_org + "\"", "\"organisation\": \"" + ods + "\"");
  replace_all(text, "\"local_id\": \"" + old_id + "\"", "\"local_id\": \"" + local_id + "\"");
  return text;
}

std::string to_fhir_text(const std::string& event_json) {
  core::JsonDocument doc;
  core::JsonError err;
  if (!doc.parse(event_json, &err)) throw std::runtime_error("event unreadable: " + err.message);
  auto tax = taxonomies().find(json_str(event_json, "/taxonomy_version"));
  if (!tax) throw std::runtime_error("no such taxonomy");
  return taxonomy::to_fhir(*tax, doc.root());
}

std::string example_fhir(const std::string& name, const std::string& ods,
                         const std::string& local_id) {
  return to_fhir_text(example_event(name, ods, local_id));
}

std::string new_key() { return uuid_v4(); }

httplib::Headers auth(const std::string& key) { return {{"Ocp-Apim-Subscription-Key", key}}; }

httplib::Headers auth_key(const std::string& key, const std::string& idempotency_key) {
  return {{"Ocp-Apim-Subscription-Key", key}, {"Idempotency-Key", idempotency_key}};
}

namespace {
const core::JsonValue* walk(const core::JsonValue* v, const std::string& pointer) {
  std::size_t pos = 1;
  while (v && pos <= pointer.size() && !pointer.empty()) {
    std::size_t next = pointer.find('/', pos);
    if (next == std::string::npos) next = pointer.size();
    std::string token = pointer.substr(pos, next - pos);
    replace_all(token, "~1", "/");
    replace_all(token, "~0", "~");
    if (v->is_array()) {
      std::size_t i = static_cast<std::size_t>(std::strtoul(token.c_str(), nullptr, 10));
      v = i < v->size() ? &(*v)[i] : nullptr;
    } else if (v->is_object()) {
      v = v->find(token);
    } else {
      v = nullptr;
    }
    pos = next + 1;
  }
  return v;
}
}  // namespace

std::string json_at(const std::string& text, const std::string& pointer) {
  core::JsonDocument doc;
  core::JsonError err;
  core::JsonLimits limits;
  limits.max_bytes = 64u << 20;
  if (!doc.parse(text, &err, limits)) return {};
  const core::JsonValue* v = walk(&doc.root(), pointer);
  if (!v) return {};
  std::string out;
  core::json_append_value(out, *v);
  return out;
}

std::string json_str(const std::string& text, const std::string& pointer) {
  core::JsonDocument doc;
  core::JsonError err;
  core::JsonLimits limits;
  limits.max_bytes = 64u << 20;
  if (!doc.parse(text, &err, limits)) return {};
  const core::JsonValue* v = walk(&doc.root(), pointer);
  return v && v->is_string() ? std::string(v->text()) : std::string();
}

std::size_t json_size(const std::string& text, const std::string& pointer) {
  core::JsonDocument doc;
  core::JsonError err;
  core::JsonLimits limits;
  limits.max_bytes = 64u << 20;
  if (!doc.parse(text, &err, limits)) return 0;
  const core::JsonValue* v = walk(&doc.root(), pointer);
  return v ? v->size() : 0;
}

std::string make_jwt(const std::string& private_key_pem, const std::string& header_json,
                     const std::string& claims_json) {
  std::string input = base64url_encode(header_json) + "." + base64url_encode(claims_json);
  return input + "." + base64url_encode(sign_rs512(private_key_pem, input));
}

}  // namespace lfpse::server::test
