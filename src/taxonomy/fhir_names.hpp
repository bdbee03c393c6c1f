// Names and small helpers that the FHIR writer and reader share (TAXONOMY.md 5-6, API.md).
#pragma once

#include <string>
#include <string_view>

#include "core/json.hpp"
#include "taxonomy/model.hpp"

namespace lfpse::taxonomy {

inline constexpr std::string_view kMetadataSection = "adverse-event-reference-metadata";
inline constexpr std::string_view kSubmittingOrganisation = "SubmittingOrganisation";
inline constexpr std::string_view kLocalIdSystem = "urn:lfpse:local-id:";
inline constexpr std::string_view kNationalSystem = "urn:lfpse:national:";
/// An event recorded outside the LRMS is kept under the local id `national:<id>` (API.md).
inline constexpr std::string_view kNationalIdPrefix = "national:";

/// The value[x] member name for a question type (TAXONOMY.md 5).
inline std::string_view fhir_value_key(QuestionType t) {
  switch (t) {
    case QuestionType::Choice:
    case QuestionType::Multichoice:
      return "valueCode";
    case QuestionType::Date:
      return "valueDate";
    case QuestionType::DateTime:
      return "valueDateTime";
    case QuestionType::Integer:
      return "valueInteger";
    case QuestionType::Decimal:
      return "valueDecimal";
    case QuestionType::Boolean:
      return "valueBoolean";
    default:  // text, ods, nhs_number, yearmonth, time
      return "valueString";
  }
}

/// `{"url":<property>,"<value key>":`: the start of one sub-extension, before its value.
inline std::string fhir_sub_open(std::string_view property, std::string_view value_key) {
  std::string out = "{\"url\":";
  core::json_append_string(out, property);
  out += ",\"";
  out += value_key;
  out += "\":";
  return out;
}

/// `patient1` for `Patient`: the type in lower case followed by 1.
inline std::string contained_id(std::string_view type) {
  std::string id(type);
  for (char& c : id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  id += '1';
  return id;
}

/// True when `s` holds nothing that a JSON string must escape.
inline bool json_plain(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\') return false;
  }
  return true;
}

/// Appends the quoted extension url of a section: extension_base + id + "-" + version.
/// `base_plain`: json_plain() of extension_base and version, which callers check once.
inline void append_section_url(std::string& out, const Taxonomy& tax, std::string_view section_id,
                               bool base_plain) {
  if (base_plain && json_plain(section_id)) {
    out += '"';
    out += tax.extension_base;
    out += section_id;
    out += '-';
    out += tax.version;
    out += '"';
    return;
  }
  std::string raw = tax.extension_base;
  raw += section_id;
  raw += '-';
  raw += tax.version;
  core::json_append_string(out, raw);
}

}  // namespace lfpse::taxonomy
