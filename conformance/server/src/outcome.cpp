#include "outcome.hpp"

#include "core/json.hpp"

namespace lfpse::server {

using core::json_append_string;

std::string outcome_json(const std::vector<OutcomeIssue>& issues) {
  std::string out = "{\"resourceType\":\"OperationOutcome\",\"issue\":[";
  bool first = true;
  for (const auto& i : issues) {
    if (!first) out += ',';
    first = false;
    out += "{\"severity\":";
    json_append_string(out, i.severity);
    out += ",\"code\":";
    json_append_string(out, i.code);
    out += ",\"details\":{\"coding\":[{\"system\":\"urn:lfpse:issue-code\",\"code\":";
    json_append_string(out, i.detail_code);
    out += "}]},\"diagnostics\":";
    json_append_string(out, i.diagnostics);
    if (i.has_pointer) {
      out += ",\"extension\":[{\"url\":\"urn:lfpse:event-pointer\",\"valueString\":";
      json_append_string(out, i.pointer);
      out += "}]";
    }
    out += '}';
  }
  out += "]}";
  return out;
}

const char* issue_type_for_status(int status) {
  switch (status) {
    case 400:
    case 422:
      return "invalid";
    case 401:
      return "login";
    case 403:
      return "forbidden";
    case 404:
    case 405:
      return "not-found";
    case 409:
      return "duplicate";
    case 410:
      return "deleted";
    case 412:
    case 428:
      return "conflict";
    case 413:
      return "too-long";
    case 415:
      return "not-supported";
    case 429:
      return "throttled";
    default:
      return status >= 500 ? "exception" : "processing";
  }
}

HttpResponse error_response(int status, const std::string& detail_code,
                            const std::string& diagnostics) {
  OutcomeIssue issue;
  issue.code = issue_type_for_status(status);
  issue.detail_code = detail_code;
  issue.diagnostics = diagnostics;
  return error_response(status, std::vector<OutcomeIssue>{issue});
}

HttpResponse error_response(int status, const std::vector<OutcomeIssue>& issues) {
  HttpResponse r;
  r.status = status;
  r.body = outcome_json(issues);
  return r;
}

std::string status_line(int status) {
  const char* reason = "";
  switch (status) {
    case 200:
      reason = "OK";
      break;
    case 201:
      reason = "Created";
      break;
    case 204:
      reason = "No Content";
      break;
    case 304:
      reason = "Not Modified";
      break;
    case 400:
      reason = "Bad Request";
      break;
    case 401:
      reason = "Unauthorized";
      break;
    case 404:
      reason = "Not Found";
      break;
    case 405:
      reason = "Method Not Allowed";
      break;
    case 409:
      reason = "Conflict";
      break;
    case 410:
      reason = "Gone";
      break;
    case 412:
      reason = "Precondition Failed";
      break;
    case 413:
      reason = "Payload Too Large";
      break;
    case 415:
      reason = "Unsupported Media Type";
      break;
    case 422:
      reason = "Unprocessable Entity";
      break;
    case 428:
      reason = "Precondition Required";
      break;
    case 429:
      reason = "Too Many Requests";
      break;
    case 500:
      reason = "Internal Server Error";
      break;
    case 503:
      reason = "Service Unavailable";
      break;
    default:
      break;
  }
  return std::to_string(status) + (*reason ? " " : "") + reason;
}

}  // namespace lfpse::server
