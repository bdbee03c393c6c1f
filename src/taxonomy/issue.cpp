#include "taxonomy/issue.hpp"

#include <algorithm>

#include "core/json.hpp"

namespace lfpse::taxonomy {

void sort_issues(std::vector<Issue>& issues) {
  std::stable_sort(issues.begin(), issues.end(), [](const Issue& a, const Issue& b) {
    int by_path = a.path.compare(b.path);  // std::string compares bytes as unsigned char
    return by_path != 0 ? by_path < 0 : a.code < b.code;
  });
}

void append_issues_json(std::string& out, const std::vector<Issue>& issues) {
  out += '[';
  for (std::size_t i = 0; i < issues.size(); ++i) {
    const Issue& issue = issues[i];
    if (i) out += ',';
    out += issue.severity == Severity::Error ? "{\"severity\":\"error\",\"code\":"
                                             : "{\"severity\":\"warning\",\"code\":";
    core::json_append_string(out, issue.code);
    out += ",\"path\":";
    core::json_append_string(out, issue.path);
    out += ",\"question\":";
    if (issue.question.empty()) {
      out += "null";
    } else {
      core::json_append_string(out, issue.question);
    }
    out += ",\"message\":";
    core::json_append_string(out, issue.message);
    out += '}';
  }
  out += ']';
}

std::string validation_json(const Validation& v) {
  std::string out = v.valid ? "{\"valid\":true,\"issues\":" : "{\"valid\":false,\"issues\":";
  append_issues_json(out, v.issues);
  out += '}';
  return out;
}

}  // namespace lfpse::taxonomy
