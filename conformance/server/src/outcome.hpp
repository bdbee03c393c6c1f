// OperationOutcome bodies (API.md, Errors): every error but the token endpoint's is one.
#pragma once

#include <string>
#include <vector>

#include "http_types.hpp"

namespace lfpse::server {

struct OutcomeIssue {
  std::string severity = "error";
  std::string code;          ///< FHIR IssueType: invalid, login, not-found, duplicate, ...
  std::string detail_code;   ///< urn:lfpse:issue-code: a TAXONOMY.md code or one of API.md's
  std::string diagnostics;   ///< a sentence
  std::string pointer;       ///< JSON Pointer into the event document; empty: none
  bool has_pointer = false;  ///< "" is a valid pointer (the whole document)
};

std::string outcome_json(const std::vector<OutcomeIssue>& issues);

/// The FHIR IssueType that API.md pairs with an HTTP status.
const char* issue_type_for_status(int status);

/// An error response with one issue.
HttpResponse error_response(int status, const std::string& detail_code,
                            const std::string& diagnostics);
HttpResponse error_response(int status, const std::vector<OutcomeIssue>& issues);

/// The reason phrase ("201 Created") that batch-response entries carry.
std::string status_line(int status);

}  // namespace lfpse::server
