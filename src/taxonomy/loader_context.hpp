// Shared state and typed readers for loading one taxonomy document (loader.cpp,
// loader_conditions.cpp). Every reader throws core::Error(Invalid) naming the member's path.
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"
#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

class LoaderContext {
 public:
  explicit LoaderContext(Taxonomy& t) : tax(t) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const;

  const core::JsonValue& object(const core::JsonValue& v, const std::string& path) const;
  const core::JsonValue& array(const core::JsonValue& v, const std::string& path) const;
  std::string string(const core::JsonValue& v, const std::string& path) const;
  bool boolean(const core::JsonValue& v, const std::string& path) const;
  double number(const core::JsonValue& v, const std::string& path) const;
  int64_t integer(const core::JsonValue& v, const std::string& path) const;
  int64_t non_negative_integer(const core::JsonValue& v, const std::string& path) const;
  const core::JsonValue& member(const core::JsonValue& obj, const char* name,
                                const std::string& path) const;
  std::string required_string(const core::JsonValue& obj, const char* name,
                              const std::string& path) const;
  std::string optional_string(const core::JsonValue& obj, const char* name,
                              const std::string& path) const;

  /// `shown` and `required` of every question, `shown` of every group.
  void read_conditions();
  void read_rules(const core::JsonValue* rules);
  /// Fills Taxonomy::shown_order; refuses cycles among `shown` conditions.
  void order_shown();

  Taxonomy& tax;
  std::vector<const core::JsonValue*> question_nodes;  ///< parallel to tax.questions
  std::vector<std::string> question_paths;
  std::vector<const core::JsonValue*> group_nodes;  ///< parallel to tax.groups

 private:
  /// `scope_group`: the group whose questions the condition may name (-1: top level only).
  Condition condition(const core::JsonValue& v, const std::string& path, int scope_group,
                      bool assert_form) const;
  int question_ref(const core::JsonValue& obj, const char* name, const std::string& path,
                   int scope_group) const;
};

}  // namespace lfpse::taxonomy
