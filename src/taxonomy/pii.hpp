// The free-text scan for patient-identifiable data (TAXONOMY.md 3.4 and 6).
//
// Each finder answers exactly what the section 6 regular expression (ECMAScript, lookbehind
// included, with its extra check) finds anywhere in the text. They are hand-written because
// std::regex has no lookbehind and because this runs on every keystroke: one linear pass each,
// no allocation.
#pragma once

#include <string_view>

namespace lfpse::taxonomy {

enum PiiKind : unsigned {
  kPiiNhsNumber = 1u << 0,
  kPiiPostcode = 1u << 1,
  kPiiEmail = 1u << 2,
  kPiiPhone = 1u << 3,
  kPiiDateOfBirth = 1u << 4,
};
constexpr unsigned kPiiAll = 0x1f;

/// The kinds found in `text` (a bit set of PiiKind), looking only for those in `wanted`.
unsigned pii_scan(std::string_view text, unsigned wanted = kPiiAll);

/// The issue code of one kind: "pii:nhs-number", "pii:postcode", "pii:email", "pii:phone",
/// "pii:date-of-birth".
std::string_view pii_code(PiiKind kind);
/// A sentence saying what was found, for the message.
std::string_view pii_message(PiiKind kind);

bool pii_has_nhs_number(std::string_view text);
bool pii_has_postcode(std::string_view text);
bool pii_has_email(std::string_view text);
bool pii_has_phone(std::string_view text);
bool pii_has_date_of_birth(std::string_view text);

/// The NHS number check (modulus 11) on ten digit values 0-9.
bool nhs_check_digit_ok(const int digits[10]);

}  // namespace lfpse::taxonomy
