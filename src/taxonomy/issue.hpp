// Validation issues (TAXONOMY.md 3.2) and their JSON form.
#pragma once

#include <string>
#include <vector>

#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

struct Issue {
  Severity severity = Severity::Error;
  std::string code;      ///< "required", "constraint:max_length", "rule:R-X", "pii:email", ...
  std::string path;      ///< JSON Pointer into the event document
  std::string question;  ///< the question code; empty means null
  std::string message;
};

struct Validation {
  bool valid = true;  ///< no issue of severity error
  std::vector<Issue> issues;
};

/// Stable sort by path, then code, in byte order (TAXONOMY.md 6).
void sort_issues(std::vector<Issue>& issues);

/// `[{"severity","code","path","question","message"},...]`
void append_issues_json(std::string& out, const std::vector<Issue>& issues);
/// `{"valid":bool,"issues":[...]}`
std::string validation_json(const Validation& v);

}  // namespace lfpse::taxonomy
