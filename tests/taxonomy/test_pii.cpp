// The free-text scan of TAXONOMY.md 6. The expectations were checked against the section's
// regular expressions run by an ECMAScript engine.
#include <doctest/doctest.h>

#include <string>

#include "taxonomy/pii.hpp"

using namespace lfpse::taxonomy;

namespace {

struct Case {
  const char* text;
  bool found;
};

template <typename F>
void check_cases(F finder, const Case* begin, const Case* end) {
  for (const Case* c = begin; c != end; ++c) {
    CAPTURE(c->text);
    CHECK(finder(c->text) == c->found);
  }
}

}  // namespace

TEST_CASE("pii: an NHS number is found only with a valid check digit and the 3-3-4 form") {
  const Case cases[] = {
      {"NHS number 943 476 5919", true},
      {"9434765919", true},
      {"943-476-5919", true},
      {"x9434765919y", true},
      {"9434765918", false},    // wrong check digit
      {"401 023 2136", false},  // wrong check digit, spaced
      {"943 476-5919", false},  // the separator must be the same twice
      {"943476 5919", false},   // a separator used once is not the 3-3-4 form
      {"943 4765919", false},
      {"19434765919", false},  // eleven digits
      {"94347659190", false},
      {"9434765918 then 943 476 5919", true},  // a failing candidate does not hide a later one
      {"94 347 65919", false},
      {"", false},
  };
  check_cases(pii_has_nhs_number, std::begin(cases), std::end(cases));
}

TEST_CASE("pii: the check digit follows modulus 11, where a remainder of 10 is never valid") {
  int valid[10] = {9, 4, 3, 4, 7, 6, 5, 9, 1, 9};
  CHECK(nhs_check_digit_ok(valid));
  // 11 - (sum mod 11) == 11 becomes 0.
  int zero[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(nhs_check_digit_ok(zero));
  // Sum 10*1 = 10, 11 - 10 = 1.
  int one[10] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  CHECK(nhs_check_digit_ok(one));
  int seven[10] = {0, 0, 0, 0, 0, 0, 0, 3, 3, 7};  // 3*3 + 3*2 = 15 -> 11 - 4 = 7
  CHECK(nhs_check_digit_ok(seven));
  seven[9] = 8;
  CHECK_FALSE(nhs_check_digit_ok(seven));
  int check_ten[10] = {0, 0, 0, 0, 0, 0, 0, 0, 6, 0};  // 6*2 = 12 -> 12 mod 11 = 1 -> 10
  for (int d = 0; d <= 9; ++d) {
    check_ten[9] = d;
    CHECK_FALSE(nhs_check_digit_ok(check_ten));
  }
}

TEST_CASE("pii: a postcode is upper case and stands alone") {
  const Case cases[] = {
      {"SW1A 1AA", true},   {"SW1A1AA", true},    {"M1 1AE", true},     {"GIR 0AA", true},
      {"GIR0AA", true},     {"B33 8TH.", true},   {"EC1A 1BB,", true},  {"sw1a 1aa", false},
      {"XSW1A 1AA", false}, {"SW1A 1AAX", false}, {"1SW1A 1AA", false}, {"SW1A  1AA", false},
      {"ABC1 1AA", false},
  };
  check_cases(pii_has_postcode, std::begin(cases), std::end(cases));
}

TEST_CASE("pii: an email address needs a dotted domain ending in two letters") {
  const Case cases[] = {
      {"write to a.b@nhs.net", true},
      {"first.last+tag@sub.example.org", true},
      {"x@y.uk1", true},  // no end anchor: two letters are enough
      {"a@b.co", true},
      {"a@b.c", false},
      {"@nhs.net", false},
      {"a@-b.com", false},
      {"a@b-.com", false},
      {"a@b..com", false},
      {"a @b.com", false},
      {"a@b", false},
  };
  check_cases(pii_has_email, std::begin(cases), std::end(cases));
}

TEST_CASE("pii: a UK phone number has a national number of 9 or 10 digits not starting with 0") {
  const Case cases[] = {
      {"020 7946 0018", true},
      {"02079460018", true},
      {"0207946001", true},
      {"+44 20 7946 0018", true},
      {"+44 (0)20 7946 0018", true},
      {"0044 20 7946 0018", true},
      {"07700 900123", true},
      {"(020) 7946 0018", true},
      {"(020)79460018", true},
      {"(0161) 496 0000", true},
      {"(01632) 960001", true},
      {"(01632) 96000 11", true},      // ends after 96000: 4 + 5 national digits
      {"(01632) 960 0011 22", false},  // 11 or 13 national digits, never 9 or 10
      {"00 7946 0018", false},         // national number starting with 0
      {"+44 0 20 7946 0018", false},
      {"020794600188", false},      // too many digits
      {"+020 7946 0018", false},    // a + before the number
      {"1020 7946 0018", false},    // a digit before the number
      {"call 020 7946 00", false},  // too few digits
  };
  check_cases(pii_has_phone, std::begin(cases), std::end(cases));
}

TEST_CASE("pii: a date of birth is a date right after DOB, D.O.B or born") {
  const Case cases[] = {
      {"DOB 01/02/1990", true},
      {"dob: 1.2.90", true},
      {"D.O.B. 1990-01-02", true},
      {"born on 3rd May 1990", true},
      {"Born 3 may, 1990", true},
      {"DOB: May 3rd, 1990", true},
      {"DOB is 12 December 2001", true},
      {"born: Jun 1 2000", true},
      {"d.o.b=2001-13-45", true},  // the form is enough: the date need not exist
      {"dob\xc2\xa0"
       "1/2/1990",
       true},  // a no-break space is a space
      {"Sept. 3, 1990 born", false},
      {"DOBs 01/02/1990", false},
      {"xborn 01/02/1990", false},
      {"born 01/02/199", false},
      {"born 1 Mayo 1990", false},
      {"born in May 1990", false},
      {"DOB 01/02/19901", false},
      {"DOB 001/02/1990", false},
  };
  check_cases(pii_has_date_of_birth, std::begin(cases), std::end(cases));
}

TEST_CASE("pii: a text may hold several kinds and each is reported once") {
  std::string text = "Call 020 7946 0018 or a.b@nhs.net; DOB 1/2/1990; SW1A 1AA; 943 476 5919";
  CHECK(pii_scan(text) == (kPiiPhone | kPiiEmail | kPiiDateOfBirth | kPiiPostcode | kPiiNhsNumber));
  // Ten digits can be both an NHS number and a phone number.
  CHECK(pii_scan("0123456789") == (kPiiNhsNumber | kPiiPhone));
  CHECK(pii_scan("01234567881") == kPiiPhone);
  CHECK(pii_scan("No identifiable data here.") == 0u);
  CHECK(pii_scan(text, kPiiEmail) == kPiiEmail);
}

TEST_CASE("pii: every kind has its issue code and a message") {
  for (PiiKind k : {kPiiNhsNumber, kPiiPostcode, kPiiEmail, kPiiPhone, kPiiDateOfBirth}) {
    CHECK(pii_code(k).substr(0, 4) == "pii:");
    CHECK_FALSE(pii_message(k).empty());
  }
  CHECK(pii_code(kPiiNhsNumber) == "pii:nhs-number");
  CHECK(pii_code(kPiiDateOfBirth) == "pii:date-of-birth");
}
