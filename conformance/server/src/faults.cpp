#include "faults.hpp"

#include "core/json.hpp"

namespace lfpse::server {

bool Faults::parse(std::string_view body, std::vector<FaultRule>* out, std::string* why) {
  core::JsonDocument doc;
  core::JsonError err;
  if (!doc.parse(body, &err)) {
    *why = "the body is not JSON: " + err.message;
    return false;
  }
  const core::JsonValue* rules = doc.root().is_object() ? doc.root().find("rules") : nullptr;
  if (!rules || !rules->is_array()) {
    *why = "the body must be {\"rules\": [...]}";
    return false;
  }
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const core::JsonValue& r = (*rules)[i];
    std::string at = "rules/" + std::to_string(i);
    if (!r.is_object()) {
      *why = at + " is not an object";
      return false;
    }
    FaultRule f;
    auto str = [&](const char* name, std::string* dst) {
      const core::JsonValue* v = r.find(name);
      if (!v || v->is_null()) return true;
      if (!v->is_string()) return false;
      *dst = std::string(v->text());
      return true;
    };
    auto num = [&](const char* name, int64_t* dst, bool* present) {
      const core::JsonValue* v = r.find(name);
      *present = v && !v->is_null();
      if (!*present) return true;
      return v->is_number() && v->to_int64(dst) && *dst >= 0;
    };
    bool present = false;
    int64_t status = 0, retry = 0;
    if (!str("method", &f.method) || !str("path_prefix", &f.path_prefix) ||
        !str("action", &f.action) || !num("times", &f.times, &present)) {
      *why = at + ": method, path_prefix, action are strings and times a number";
      return false;
    }
    if (!present) f.times = 1;
    if (!num("status", &status, &present)) {
      *why = at + "/status is not a number";
      return false;
    }
    if (present) f.status = static_cast<int>(status);
    if (!num("retry_after", &retry, &present)) {
      *why = at + "/retry_after is not a number";
      return false;
    }
    if (present) f.retry_after = retry;
    if (!num("delay_ms", &f.delay_ms, &present)) {
      *why = at + "/delay_ms is not a number";
      return false;
    }
    if (f.action != "status" && f.action != "delay_ms" && f.action != "reset_before" &&
        f.action != "reset_after") {
      *why = at + "/action must be status, delay_ms, reset_before or reset_after";
      return false;
    }
    if (f.action == "status" && (f.status < 100 || f.status > 599)) {
      *why = at + "/status must be an HTTP status";
      return false;
    }
    out->push_back(std::move(f));
  }
  return true;
}

void Faults::add(std::vector<FaultRule> rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& r : rules) rules_.push_back(std::move(r));
}

void Faults::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_.clear();
}

std::optional<FaultRule> Faults::take(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    bool method_ok = it->method.empty() || it->method == "*" || it->method == method;
    bool path_ok = path.compare(0, it->path_prefix.size(), it->path_prefix) == 0;
    if (!method_ok || !path_ok || it->times <= 0) continue;
    FaultRule r = *it;
    if (--it->times <= 0) rules_.erase(it);
    return r;
  }
  return std::nullopt;
}

}  // namespace lfpse::server
