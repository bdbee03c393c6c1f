// Hand-written equivalents of the TAXONOMY.md 6 free-text expressions. Each finder walks the
// text once; at each start position it follows the expression's alternatives. Where an
// optional element could be skipped or taken, the element that must come next rules one of the
// two out, so the walk is deterministic except where the comments say otherwise.
#include "taxonomy/pii.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace lfpse::taxonomy {

namespace {

// The text with a NUL past either end, so lookarounds need no bounds checks (NUL is none of
// the classes any expression looks for).
class Text {
 public:
  explicit Text(std::string_view s) : p_(s.data()), n_(s.size()) {}
  std::size_t size() const { return n_; }
  unsigned char at(std::size_t i) const { return i < n_ ? static_cast<unsigned char>(p_[i]) : 0; }
  unsigned char before(std::size_t i) const { return i > 0 ? at(i - 1) : 0; }

 private:
  const char* p_;
  std::size_t n_;
};

bool is_digit(unsigned c) { return c - '0' < 10u; }
bool is_upper(unsigned c) { return c - 'A' < 26u; }
bool is_alpha(unsigned c) { return (c | 0x20u) - 'a' < 26u; }
bool is_alnum(unsigned c) { return is_digit(c) || is_alpha(c); }
unsigned lower(unsigned c) { return is_upper(c) ? c | 0x20u : c; }

std::size_t digit_run(const Text& t, std::size_t i) {
  std::size_t j = i;
  while (is_digit(t.at(j))) ++j;
  return j - i;
}

// ---- nhs-number -----------------------------------------------------------------------------

bool read_digits(const Text& t, std::size_t i, int count, int* out) {
  for (int k = 0; k < count; ++k) {
    unsigned c = t.at(i + static_cast<std::size_t>(k));
    if (!is_digit(c)) return false;
    out[k] = static_cast<int>(c - '0');
  }
  return true;
}

// ---- phone ----------------------------------------------------------------------------------

bool is_sep(unsigned c) { return c == ' ' || c == '-'; }

// Walks up to `max_units` repetitions of `[ -]?[0-9]` from `j`. Bit u of the result is set when
// exactly u repetitions can be followed by `(?![0-9])`.
unsigned phone_units(const Text& t, std::size_t j, int max_units) {
  unsigned mask = is_digit(t.at(j)) ? 0u : 1u;
  for (int u = 1; u <= max_units; ++u) {
    unsigned c = t.at(j);
    if (is_digit(c)) {
      j += 1;
    } else if (is_sep(c) && is_digit(t.at(j + 1))) {
      j += 2;
    } else {
      break;
    }
    if (!is_digit(t.at(j))) mask |= 1u << u;
  }
  return mask;
}

bool phone_at(const Text& t, std::size_t i) {
  const unsigned c = t.at(i);
  // (?:\+44|0044)[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?[0-9]){8,9}(?![0-9])
  std::size_t j = 0;
  if (c == '+' && t.at(i + 1) == '4' && t.at(i + 2) == '4') j = i + 3;
  if (c == '0' && t.at(i + 1) == '0' && t.at(i + 2) == '4' && t.at(i + 3) == '4') j = i + 4;
  if (j != 0) {
    if (is_sep(t.at(j))) ++j;
    if (t.at(j) == '(' && t.at(j + 1) == '0' && t.at(j + 2) == ')') {
      j += 3;
      if (is_sep(t.at(j))) ++j;
    }
    unsigned d = t.at(j);
    if (d >= '1' && d <= '9' && (phone_units(t, j + 1, 9) & (3u << 8)) != 0) return true;
  }
  // 0[1-9](?:[ -]?[0-9]){8,9}(?![0-9])
  if (c == '0') {
    unsigned d = t.at(i + 1);
    if (d >= '1' && d <= '9' && (phone_units(t, i + 2, 9) & (3u << 8)) != 0) return true;
  }
  // \(0[1-9][0-9]{1,4}\)[ -]?[0-9](?:[ -]?[0-9]){4,8}(?![0-9]), where the national number (the
  // area code after its 0, then the local number) has 9 or 10 digits: every way the
  // repetition can end counts, not only the greedy one.
  if (c == '(' && t.at(i + 1) == '0' && t.at(i + 2) >= '1' && t.at(i + 2) <= '9') {
    std::size_t r = digit_run(t, i + 3);
    if (r < 1 || r > 4 || t.at(i + 3 + r) != ')') return false;
    j = i + 4 + r;
    if (is_sep(t.at(j))) ++j;
    if (!is_digit(t.at(j))) return false;
    unsigned mask = phone_units(t, j + 1, 8);
    for (int u = 4; u <= 8; ++u) {
      std::size_t national = (1 + r) + 1 + static_cast<std::size_t>(u);
      if ((mask & (1u << u)) != 0 && (national == 9 || national == 10)) return true;
    }
  }
  return false;
}

// ---- date-of-birth --------------------------------------------------------------------------

// Byte length of an ECMAScript `\s` character at `i` (UTF-8), or 0.
std::size_t space_len(const Text& t, std::size_t i) {
  unsigned c = t.at(i);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c < 0x80) return 0;
  unsigned c1 = t.at(i + 1), c2 = t.at(i + 2);
  if (c == 0xC2 && c1 == 0xA0) return 2;                // U+00A0
  if (c == 0xE1 && c1 == 0x9A && c2 == 0x80) return 3;  // U+1680
  if (c == 0xE2 && c1 == 0x80 &&
      ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF)) {
    return 3;  // U+2000-200A, U+2028, U+2029, U+202F
  }
  if (c == 0xE2 && c1 == 0x81 && c2 == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && c1 == 0x80 && c2 == 0x80) return 3;  // U+3000
  if (c == 0xEF && c1 == 0xBB && c2 == 0xBF) return 3;  // U+FEFF
  return 0;
}

// Skips `\s+`; false when there is none.
bool skip_spaces(const Text& t, std::size_t* i) {
  std::size_t start = *i;
  while (std::size_t n = space_len(t, *i)) *i += n;
  return *i != start;
}

bool match_ci(const Text& t, std::size_t i, const char* word) {
  for (; *word != '\0'; ++word, ++i) {
    if (lower(t.at(i)) != static_cast<unsigned char>(*word)) return false;
  }
  return true;
}

// Length of the month name at `i` (M of TAXONOMY.md 6), or 0. After M the expression needs
// `.`, `,` or a space, so M is the whole run of letters.
std::size_t month_at(const Text& t, std::size_t i) {
  static const char* const kMonths[] = {
      "jan",  "january",   "feb",  "february", "mar",  "march",    "apr",    "april",
      "may",  "jun",       "june", "jul",      "july", "aug",      "august", "sep",
      "sept", "september", "oct",  "october",  "nov",  "november", "dec",    "december"};
  std::size_t n = 0;
  while (is_alpha(t.at(i + n))) ++n;
  if (n < 3 || n > 9) return 0;
  for (const char* m : kMonths) {
    if (std::strlen(m) == n && match_ci(t, i, m)) return n;
  }
  return 0;
}

// `(?:st|nd|rd|th)?`: taken when present, since what follows it never starts with a letter.
std::size_t ordinal_len(const Text& t, std::size_t i) {
  return match_ci(t, i, "st") || match_ci(t, i, "nd") || match_ci(t, i, "rd") ||
                 match_ci(t, i, "th")
             ? 2
             : 0;
}

bool is_date_sep(unsigned c) { return c == '/' || c == '.' || c == '-'; }

bool dob_date_at(const Text& t, std::size_t p) {
  const std::size_t r1 = digit_run(t, p);
  // [0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})(?![0-9])
  if ((r1 == 1 || r1 == 2) && is_date_sep(t.at(p + r1))) {
    std::size_t q = p + r1 + 1;
    std::size_t r2 = digit_run(t, q);
    if ((r2 == 1 || r2 == 2) && is_date_sep(t.at(q + r2))) {
      std::size_t r3 = digit_run(t, q + r2 + 1);
      if (r3 == 2 || r3 == 4) return true;
    }
  }
  // [0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])
  if (r1 == 4 && t.at(p + 4) == '-' && digit_run(t, p + 5) == 2 && t.at(p + 7) == '-' &&
      digit_run(t, p + 8) == 2) {
    return true;
  }
  // [0-9]{1,2}(?:st|nd|rd|th)?\s+M\.?,?\s+[0-9]{4}(?![0-9])
  if (r1 == 1 || r1 == 2) {
    std::size_t q = p + r1;
    q += ordinal_len(t, q);
    if (skip_spaces(t, &q)) {
      if (std::size_t m = month_at(t, q)) {
        q += m;
        if (t.at(q) == '.') ++q;
        if (t.at(q) == ',') ++q;
        if (skip_spaces(t, &q) && digit_run(t, q) == 4) return true;
      }
    }
  }
  // M\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}(?![0-9])
  if (std::size_t m = month_at(t, p)) {
    std::size_t q = p + m;
    if (t.at(q) == '.') ++q;
    if (!skip_spaces(t, &q)) return false;
    std::size_t r = digit_run(t, q);
    if (r != 1 && r != 2) return false;
    q += r;
    q += ordinal_len(t, q);
    if (t.at(q) == ',') ++q;
    if (skip_spaces(t, &q) && digit_run(t, q) == 4) return true;
  }
  return false;
}

// (?<![A-Za-z])(?:D\.?O\.?B\.?|born)(?![A-Za-z]) at `i`: the end of the keyword, or 0.
std::size_t dob_keyword_at(const Text& t, std::size_t i) {
  if (is_alpha(t.before(i))) return 0;
  std::size_t k = 0;
  if (match_ci(t, i, "born")) {
    k = i + 4;
  } else if (lower(t.at(i)) == 'd') {
    // Each optional dot is taken when present: skipping it leaves a `.` that nothing after
    // the keyword can match.
    std::size_t j = i + 1;
    if (t.at(j) == '.') ++j;
    if (lower(t.at(j)) != 'o') return 0;
    ++j;
    if (t.at(j) == '.') ++j;
    if (lower(t.at(j)) != 'b') return 0;
    ++j;
    if (t.at(j) == '.') ++j;
    k = j;
  } else {
    return 0;
  }
  return is_alpha(t.at(k)) ? 0 : k;
}

bool dob_at(const Text& t, std::size_t i) {
  std::size_t k = dob_keyword_at(t, i);
  if (k == 0) return false;
  // [\s:,=-]* is greedy and nothing after it starts with one of those characters.
  for (;;) {
    unsigned c = t.at(k);
    if (c == ':' || c == ',' || c == '=' || c == '-') {
      ++k;
    } else if (std::size_t n = space_len(t, k)) {
      k += n;
    } else {
      break;
    }
  }
  if (dob_date_at(t, k)) return true;
  if (match_ci(t, k, "on") || match_ci(t, k, "is")) {
    std::size_t q = k + 2;
    if (skip_spaces(t, &q) && dob_date_at(t, q)) return true;
  }
  return false;
}

}  // namespace

bool nhs_check_digit_ok(const int digits[10]) {
  int sum = 0;
  for (int k = 0; k < 9; ++k) sum += digits[k] * (10 - k);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digits[9];
}

namespace {

// (?<![0-9])([0-9]{3})([ -]?)([0-9]{3})\2([0-9]{4})(?![0-9]) at `i`, with a valid check digit.
// At a given start at most one match exists: the character after the first three digits decides
// whether the separator is taken.
bool nhs_at(const Text& t, std::size_t i) {
  if (is_digit(t.before(i))) return false;
  int d[10];
  if (!read_digits(t, i, 3, d)) return false;
  const unsigned sep = t.at(i + 3);
  std::size_t end = 0;
  if (is_sep(sep)) {
    if (read_digits(t, i + 4, 3, d + 3) && t.at(i + 7) == sep && read_digits(t, i + 8, 4, d + 6)) {
      end = i + 12;
    }
  } else if (read_digits(t, i + 3, 7, d + 3)) {
    end = i + 10;
  }
  return end != 0 && !is_digit(t.at(end)) && nhs_check_digit_ok(d);
}

// (?<![A-Za-z0-9])(?:GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})(?![A-Za-z0-9]) at `i`.
bool postcode_at(const Text& t, std::size_t i) {
  if (is_alnum(t.before(i))) return false;
  if (t.at(i) == 'G' && t.at(i + 1) == 'I' && t.at(i + 2) == 'R') {
    std::size_t j = i + 3;
    if (t.at(j) == ' ') ++j;
    if (t.at(j) == '0' && t.at(j + 1) == 'A' && t.at(j + 2) == 'A' && !is_alnum(t.at(j + 3))) {
      return true;
    }
  }
  // Every combination of the optional parts, as backtracking would try them.
  for (std::size_t letters = 1; letters <= 2; ++letters) {
    if (letters == 2 && !is_upper(t.at(i + 1))) break;
    std::size_t j = i + letters;
    if (!is_digit(t.at(j))) continue;
    ++j;
    for (int extra = 0; extra <= 1; ++extra) {
      std::size_t k = j;
      if (extra == 1) {
        if (!is_upper(t.at(k)) && !is_digit(t.at(k))) continue;
        ++k;
      }
      for (int space = 0; space <= 1; ++space) {
        std::size_t m = k;
        if (space == 1) {
          if (t.at(m) != ' ') continue;
          ++m;
        }
        if (is_digit(t.at(m)) && is_upper(t.at(m + 1)) && is_upper(t.at(m + 2)) &&
            !is_alnum(t.at(m + 3))) {
          return true;
        }
      }
    }
  }
  return false;
}

// The email expression around the `@` at `at`.
bool email_at(const Text& t, std::size_t at) {
  // The local part is the run of local characters before `@`; its first character satisfies
  // the lookbehind, so a non-empty run is enough.
  const unsigned b = t.before(at);
  if (!(is_alnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-')) return false;
  // The domain: labels `[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?` separated by dots, then a dot
  // and two letters (the expression has no end anchor, so two letters suffice).
  std::size_t j = at + 1;
  for (int labels = 0;; ++labels) {
    if (labels > 0 && is_alpha(t.at(j)) && is_alpha(t.at(j + 1))) return true;
    std::size_t e = j;
    while (is_alnum(t.at(e)) || t.at(e) == '-') ++e;
    if (e == j || !is_alnum(t.at(j)) || !is_alnum(t.at(e - 1)) || t.at(e) != '.') return false;
    j = e + 1;
  }
}

// Which finders may start at a byte; most bytes of prose start none.
enum : uint8_t { kStartDigit = 1, kStartUpper = 2, kStartPhone = 4, kStartDob = 8, kStartAt = 16 };

struct StartTable {
  uint8_t at[256] = {};
  constexpr StartTable() {
    for (int c = '0'; c <= '9'; ++c) at[c] |= kStartDigit;
    for (int c = 'A'; c <= 'Z'; ++c) at[c] |= kStartUpper;
    at[static_cast<int>('+')] |= kStartPhone;
    at[static_cast<int>('0')] |= kStartPhone;
    at[static_cast<int>('(')] |= kStartPhone;
    for (char c : {'b', 'B', 'd', 'D'}) at[static_cast<unsigned char>(c)] |= kStartDob;
    at[static_cast<int>('@')] |= kStartAt;
  }
};
constexpr StartTable kStarts;

}  // namespace

namespace {

#ifdef __SSE2__
// Bit j set: position i + j may start a match (a superset the finders then check). A start
// needs its class (digit, upper-case letter, '+', '(', 'b'/'d', '@') and, for most kinds, a
// byte before it outside the expression's lookbehind: inside words and numbers nothing starts,
// which is what makes prose cheap. Reads bytes[i - 1 .. i + 15].
unsigned candidates16(const unsigned char* bytes, std::size_t i) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
  const __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i - 1));
  auto in_range = [](__m128i v, char lo, char hi) {
    const __m128i t = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(hi - lo))), t);
  };
  auto eq = [](__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  const __m128i lower_x = _mm_or_si128(x, _mm_set1_epi8(0x20));
  const __m128i lower_prev = _mm_or_si128(prev, _mm_set1_epi8(0x20));
  const __m128i digit = in_range(x, '0', '9'), digit_prev = in_range(prev, '0', '9');
  const __m128i alpha_prev = in_range(lower_prev, 'a', 'z');
  const __m128i numberish_prev = _mm_or_si128(digit_prev, eq(prev, '+'));
  __m128i c = _mm_andnot_si128(digit_prev, digit);  // NHS number, phone "0..."
  c = _mm_or_si128(c, _mm_andnot_si128(numberish_prev, _mm_or_si128(eq(x, '+'), eq(x, '('))));
  c = _mm_or_si128(c,
                   _mm_andnot_si128(_mm_or_si128(alpha_prev, digit_prev), in_range(x, 'A', 'Z')));
  c = _mm_or_si128(c,
                   _mm_andnot_si128(alpha_prev, _mm_or_si128(eq(lower_x, 'b'), eq(lower_x, 'd'))));
  c = _mm_or_si128(c, eq(x, '@'));
  return static_cast<unsigned>(_mm_movemask_epi8(c));
}
#endif

// Runs the finders that may start at i; returns the kinds found there.
unsigned scan_at(const Text& t, std::size_t i, unsigned open) {
  const uint8_t k = kStarts.at[t.at(i)];
  unsigned found = 0;
  if ((k & kStartDigit) && (open & kPiiNhsNumber) && nhs_at(t, i)) found |= kPiiNhsNumber;
  if ((k & kStartPhone) && (open & kPiiPhone)) {
    const unsigned b = t.before(i);
    if (!is_digit(b) && b != '+' && phone_at(t, i)) found |= kPiiPhone;
  }
  if ((k & kStartUpper) && (open & kPiiPostcode) && postcode_at(t, i)) found |= kPiiPostcode;
  if ((k & kStartDob) && (open & kPiiDateOfBirth) && dob_at(t, i)) found |= kPiiDateOfBirth;
  if ((k & kStartAt) && (open & kPiiEmail) && email_at(t, i)) found |= kPiiEmail;
  return found;
}

}  // namespace

unsigned pii_scan(std::string_view text, unsigned wanted) {
  // One pass: a finder runs only where its expression can start and while its kind is still
  // wanted.
  const Text t(text);
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  unsigned found = 0;
  std::size_t i = 0;
#ifdef __SSE2__
  if (n > 0) found |= scan_at(t, 0, wanted);
  for (i = 1; i + 16 <= n && found != wanted; i += 16) {
    for (unsigned bits = candidates16(bytes, i); bits != 0 && found != wanted; bits &= bits - 1) {
      found |= scan_at(t, i + static_cast<std::size_t>(__builtin_ctz(bits)), wanted & ~found);
    }
  }
#endif
  for (; i < n && found != wanted; ++i) {
    if (kStarts.at[bytes[i]] != 0) found |= scan_at(t, i, wanted & ~found);
  }
  return found;
}

bool pii_has_nhs_number(std::string_view text) { return pii_scan(text, kPiiNhsNumber) != 0; }
bool pii_has_postcode(std::string_view text) { return pii_scan(text, kPiiPostcode) != 0; }
bool pii_has_email(std::string_view text) { return pii_scan(text, kPiiEmail) != 0; }
bool pii_has_phone(std::string_view text) { return pii_scan(text, kPiiPhone) != 0; }
bool pii_has_date_of_birth(std::string_view text) { return pii_scan(text, kPiiDateOfBirth) != 0; }

std::string_view pii_code(PiiKind kind) {
  switch (kind) {
    case kPiiNhsNumber:
      return "pii:nhs-number";
    case kPiiPostcode:
      return "pii:postcode";
    case kPiiEmail:
      return "pii:email";
    case kPiiPhone:
      return "pii:phone";
    case kPiiDateOfBirth:
      return "pii:date-of-birth";
  }
  return "pii:unknown";
}

std::string_view pii_message(PiiKind kind) {
  switch (kind) {
    case kPiiNhsNumber:
      return "The text appears to contain an NHS number: remove it, free text must not identify "
             "the patient.";
    case kPiiPostcode:
      return "The text appears to contain a postcode: remove it, free text must not identify "
             "the patient.";
    case kPiiEmail:
      return "The text appears to contain an email address: remove it, free text must not "
             "identify anyone.";
    case kPiiPhone:
      return "The text appears to contain a telephone number: remove it, free text must not "
             "identify anyone.";
    case kPiiDateOfBirth:
      return "The text appears to contain a date of birth: remove it, free text must not "
             "identify the patient.";
  }
  return "The text appears to contain identifiable data.";
}

}  // namespace lfpse::taxonomy
