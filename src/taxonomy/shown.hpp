// Which questions a form shows now, and which of them are required (TAXONOMY.md 1-2).
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"
#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

struct InstanceShown {
  std::vector<int> shown;     ///< question indexes, taxonomy order
  std::vector<int> required;  ///< the shown ones whose `required` holds now
};

struct GroupShown {
  bool shown = false;
  std::vector<InstanceShown> instances;  ///< one per instance in the event
};

struct ShownResult {
  InstanceShown top;
  std::vector<GroupShown> groups;  ///< one per taxonomy group, taxonomy order
};

/// `event` must be an object (answers / groups of the wrong shape count as absent).
ShownResult compute_shown(const Taxonomy& tax, const core::JsonValue& event);

/// `{"top":{"shown":[codes],"required":[codes]},"groups":{"<id>":{"shown":bool,
/// "instances":[{"shown":[...],"required":[...]}]}}}` (the CLI's `shown` output).
std::string shown_json(const Taxonomy& tax, const ShownResult& r);

}  // namespace lfpse::taxonomy
