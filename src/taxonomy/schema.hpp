// A taxonomy version as JSON Schema draft 2020-12, for browser-side validation.
#pragma once

#include <string>

#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

/// Types, enums, required and if/then for conditions; what JSON Schema cannot say
/// (rules, not_future, steps, check digits, PII) is listed in the schema's `$comment`.
std::string json_schema(const Taxonomy& tax);

}  // namespace lfpse::taxonomy
