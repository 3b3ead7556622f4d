/* Value scrubbers (see scrub.h for what each kind matches).
 *
 * One left-to-right pass. A table says which kinds may start at each byte; at such a byte
 * the kind's scanner looks ahead (and the e-mail scanner, anchored at '@', a bounded way
 * back) and reports a match [start, end) or nothing. Output is written lazily: only when
 * the first match is found is anything appended, so clean values cost one read.
 *
 * Linear time: each scanner either reads a bounded number of bytes (card, SSN, phone, AWS
 * key, e-mail: at most 64 bytes back and 253 ahead of its '@') or reads a run that no
 * other attempt of the same kind can start inside (a JWT or Bearer attempt needs a
 * boundary before it, and the bytes it reads are not one), or always succeeds once it has
 * started (a PEM block runs to its END line or to the end of the value). No scanner
 * backtracks beyond a fixed number of alternatives. */
#include "processors/scrub.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

typedef const unsigned char *bytes;

/* ---- character classes ---- */

static inline int is_digit(unsigned c) { return c - '0' < 10u; }
static inline int is_alpha(unsigned c) { return (c | 0x20u) - 'a' < 26u; }
static inline int is_upper(unsigned c) { return c - 'A' < 26u; }
static inline int is_alnum(unsigned c) { return is_digit(c) || is_alpha(c); }
static inline int is_word(unsigned c) { return is_alnum(c) || c == '_'; }
static inline int is_b64url(unsigned c) { return is_alnum(c) || c == '-' || c == '_'; }
/* RFC 6750 b64token, without its trailing '='s. */
static inline int is_b64token(unsigned c) {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}
static inline int is_email_local(unsigned c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
static inline int is_domain(unsigned c) { return is_alnum(c) || c == '-' || c == '.'; }

/* The bytes both tables below give the same kinds: an e-mail at its '@', the digit
   kinds at a digit, a PEM block at '-', a Bearer token at 'b' or 'B', an AWS key id or a
   Google key at 'A', the other API keys at the first letter of their prefixes, URL
   credentials at the ':' of "://" and at the '?' or '&' before a parameter. */
#define DIGIT_KINDS (SL_SCRUB_PHONE | SL_SCRUB_SSN | SL_SCRUB_CARD)
#define SHARED_BYTES                                                                      \
  ['@'] = SL_SCRUB_EMAIL, ['0'] = DIGIT_KINDS, ['1'] = DIGIT_KINDS, ['2'] = DIGIT_KINDS,   \
  ['3'] = DIGIT_KINDS, ['4'] = DIGIT_KINDS, ['5'] = DIGIT_KINDS, ['6'] = DIGIT_KINDS,      \
  ['7'] = DIGIT_KINDS, ['8'] = DIGIT_KINDS, ['9'] = DIGIT_KINDS, ['-'] = SL_SCRUB_PEM,    \
  ['b'] = SL_SCRUB_BEARER, ['B'] = SL_SCRUB_BEARER, ['A'] = SL_SCRUB_AWS_KEY | SL_SCRUB_API_KEY, \
  ['s'] = SL_SCRUB_API_KEY, ['g'] = SL_SCRUB_API_KEY, ['x'] = SL_SCRUB_API_KEY,             \
  ['r'] = SL_SCRUB_API_KEY, ['h'] = SL_SCRUB_API_KEY, ['n'] = SL_SCRUB_API_KEY,             \
  ['w'] = SL_SCRUB_API_KEY, [':'] = SL_SCRUB_URL, ['?'] = SL_SCRUB_URL, ['&'] = SL_SCRUB_URL

/* Which kinds may occur at all in a value holding this byte (the quick first pass); a
   JWT needs the 'J' of "eyJ". */
static const uint16_t trigger[256] = {SHARED_BYTES, ['J'] = SL_SCRUB_JWT};

/* Which kinds' scanners to try at a byte: a phone number may also start at '(' or '+',
   a JWT starts at the 'e' of "eyJ". */
static const uint16_t starts[256] = {SHARED_BYTES, ['('] = SL_SCRUB_PHONE, ['+'] = SL_SCRUB_PHONE,
                                     ['e'] = SL_SCRUB_JWT};

/* ---- numbers: where one may start and end ---- */

static inline int is_joiner(unsigned c) { return c == '.' || c == '-' || c == ':' || c == '/'; }

/* Whether a number (card, SSN, phone) may start at i: not inside a word or a longer run of
   digits or hex, not the continuation of a joined number (1.5, 10.0.0.1, 2024-01-02, 12:30,
   1/2), and not after a minus sign. */
static int num_starts(bytes p, size_t i) {
  if (i == 0) return 1;
  unsigned c = p[i - 1];
  if (is_word(c)) return 0;
  if (is_joiner(c)) {
    if (i >= 2 && is_digit(p[i - 2])) return 0;
    if (c == '-' && (i < 2 || !is_alnum(p[i - 2]))) return 0; /* a sign: -4111... */
  }
  return 1;
}

/* Whether a number may end at e (p[e] is the byte after it). Not before an '@': digits
   there are the local part of an e-mail address. */
static int num_ends(bytes p, size_t n, size_t e) {
  if (e >= n) return 1;
  unsigned c = p[e];
  if (is_word(c) || c == '@') return 0;
  if (is_joiner(c) && e + 1 < n && is_digit(p[e + 1])) return 0;
  return 1;
}

/* The value of d[0..k) as a number (k digits, k <= 6). */
static unsigned prefix_value(const char *d, int k) {
  unsigned v = 0;
  for (int i = 0; i < k; i++) v = v * 10 + (unsigned)(d[i] - '0');
  return v;
}

/* ---- payment cards ---- */

/* Whether a card number of len digits starting with d is in a known issuer range. */
static int card_issuer_ok(const char *d, size_t len) {
  unsigned p2 = prefix_value(d, 2), p3 = prefix_value(d, 3), p4 = prefix_value(d, 4);
  unsigned p6 = prefix_value(d, 6);
  if (d[0] == '4') return len == 13 || len == 16 || len == 19;          /* Visa */
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len == 16; /* Mastercard */
  if (p2 == 34 || p2 == 37) return len == 15;                           /* Amex */
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925))
    return len >= 16; /* Discover */
  if (p2 == 62) return len >= 16;                                       /* UnionPay */
  if (p4 >= 3528 && p4 <= 3589) return len >= 16;                       /* JCB */
  if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39)
    return len >= 14; /* Diners Club */
  if (p4 >= 2200 && p4 <= 2204) return len >= 16;                       /* Mir */
  switch (p4) {                                                         /* Maestro */
  case 5018: case 5020: case 5038: case 5893: case 6304: case 6759: case 6761: case 6762:
  case 6763:
    return 1;
  default:
    return 0;
  }
}

static int luhn_ok(const char *d, size_t len) {
  unsigned sum = 0;
  for (size_t k = 0; k < len; k++) {
    unsigned v = (unsigned)(d[len - 1 - k] - '0');
    if (k & 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return sum % 10 == 0;
}

static int card_ok(const char *d, size_t len) {
  return len >= 13 && len <= 19 && card_issuer_ok(d, len) && luhn_ok(d, len);
}

/* A card number starting at the digit p[i]. */
static int match_card(bytes p, size_t n, size_t i, size_t *end) {
  if (!num_starts(p, i)) return 0;
  char d[20];
  size_t j = i;
  while (j < n && is_digit(p[j]) && j - i < 20) d[j - i] = (char)p[j], j++;
  size_t first = j - i;
  if (first >= 13) { /* unbroken (a run of 20 or more digits fails here too) */
    if (first <= 19 && num_ends(p, n, j) && card_ok(d, first)) return *end = j, 1;
    return 0;
  }
  if (first != 4 || j + 1 >= n || (p[j] != ' ' && p[j] != '-') || !is_digit(p[j + 1])) return 0;
  /* Groups: where each ends and the digit count up to it. At most 5 more groups of 3+
     digits fit in 19. */
  unsigned char sep = p[j];
  size_t ends[5], counts[5], total = 4;
  int groups = 0;
  while (groups < 5 && j + 1 < n && p[j] == sep && is_digit(p[j + 1])) {
    size_t k = j + 1;
    while (k < n && is_digit(p[k]) && k - j <= 7) k++;
    size_t len = k - j - 1;
    if (len < 3 || len > 6 || total + len > 19) break;
    memcpy(d + total, p + j + 1, len);
    total += len;
    ends[groups] = k;
    counts[groups] = total;
    groups++;
    j = k;
  }
  /* The longest grouping that ends cleanly and is a card. With dashes only the whole run
     can end cleanly; with spaces a shorter one may ("4111 1111 1111 1111 2027"). */
  for (int g = groups - 1; g >= 0; g--) {
    if (counts[g] >= 13 && num_ends(p, n, ends[g]) && card_ok(d, counts[g]))
      return *end = ends[g], 1;
  }
  return 0;
}

/* ---- US social security numbers ---- */

static int match_ssn(bytes p, size_t n, size_t i, size_t *end) {
  if (n - i < 11 || !num_starts(p, i)) return 0;
  static const char shape[] = "ddd-dd-dddd";
  for (int k = 0; k < 11; k++) {
    if (shape[k] == 'd' ? !is_digit(p[i + k]) : p[i + k] != '-') return 0;
  }
  if (!num_ends(p, n, i + 11)) return 0;
  const char *s = (const char *)p + i;
  unsigned area = prefix_value(s, 3), group = prefix_value(s + 4, 2);
  unsigned serial = prefix_value(s + 7, 4);
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return 0;
  *end = i + 11;
  return 1;
}

/* ---- phone numbers ---- */

/* k digits at p[i] exactly (followed by a non-digit or the end), the first in [lo, '9']. */
static int digits_at(bytes p, size_t n, size_t i, size_t k, unsigned lo) {
  if (n - i < k || (k && p[i] < lo)) return 0;
  for (size_t m = 0; m < k; m++)
    if (!is_digit(p[i + m])) return 0;
  return i + k == n || !is_digit(p[i + k]);
}

/* Whether the digits read so far make an international number ending at e. */
static int intl_ok(bytes p, size_t n, size_t e, size_t digits, int groups, int dotted) {
  return digits >= 7 && !(dotted && groups < 3) /* "+1234.5678" is a number */ && num_ends(p, n, e);
}

/* "+" and 7..15 digits in groups. */
static int match_phone_intl(bytes p, size_t n, size_t i, size_t *end) {
  if (i > 0 && (is_word(p[i - 1]) || p[i - 1] == '+')) return 0;
  if (i + 1 >= n || p[i + 1] < '1' || p[i + 1] > '9') return 0;
  size_t pos = i + 1, last_end = 0, digits = 0;
  int groups = 0, dotted = 0;
  unsigned char sep_before = 0; /* the separator before the group being read; 0: none */
  /* The number as it stood before the last space: where it ends if what follows the
     space turns out not to belong ("+44 20 7946 0958 123-45-6789"). */
  size_t space_end = 0, space_digits = 0;
  int space_groups = 0, space_dotted = 0;
  for (;;) {
    size_t k = pos, len;
    int paren = p[pos] == '(';
    if (paren) {
      for (k = pos + 1; k < n && is_digit(p[k]) && k - pos <= 5;) k++;
      len = k - pos - 1;
      if (len < 1 || len > 4 || k >= n || p[k] != ')') break;
      k++;
    } else {
      while (k < n && is_digit(p[k]) && k - pos <= 15) k++;
      len = k - pos;
    }
    if (digits + len > 15) {
      last_end = 0; /* too long as a whole */
      break;
    }
    digits += len;
    groups++;
    if (sep_before == '.') dotted = 1;
    last_end = pos = k;
    if (pos >= n) break;
    /* Next: one separator then a group, or a group right away after a parenthesis or
       before one: "+1(555)123-4567". */
    if ((p[pos] == ' ' || p[pos] == '-' || p[pos] == '.') && pos + 1 < n &&
        (is_digit(p[pos + 1]) || p[pos + 1] == '(')) {
      if (p[pos] == ' ')
        space_end = last_end, space_digits = digits, space_groups = groups, space_dotted = dotted;
      sep_before = p[pos];
      pos++;
    } else if ((paren && is_digit(p[pos])) || p[pos] == '(') {
      sep_before = 0;
    } else {
      break;
    }
  }
  if (last_end && intl_ok(p, n, last_end, digits, groups, dotted)) return *end = last_end, 1;
  if (space_end && intl_ok(p, n, space_end, space_digits, space_groups, space_dotted))
    return *end = space_end, 1;
  return 0;
}

/* NANP: 3 digits (2-9 first), the separator, 3 digits, the separator, 4 digits. */
static int nanp_rest(bytes p, size_t n, size_t i, size_t *end) {
  if (!digits_at(p, n, i, 3, '2') || i + 3 >= n) return 0;
  unsigned char sep = p[i + 3];
  if (sep != '-' && sep != '.') return 0;
  if (!digits_at(p, n, i + 4, 3, '0') || i + 7 >= n || p[i + 7] != sep) return 0;
  if (!digits_at(p, n, i + 8, 4, '0') || !num_ends(p, n, i + 12)) return 0;
  *end = i + 12;
  return 1;
}

static int match_phone_nanp(bytes p, size_t n, size_t i, size_t *end) {
  if (p[i] == '(') {
    if (i > 0 && is_word(p[i - 1])) return 0;
    if (!digits_at(p, n, i + 1, 3, '2') || i + 4 >= n || p[i + 4] != ')') return 0;
    size_t k = i + 5;
    if (k < n && p[k] == ' ') k++;
    if (!digits_at(p, n, k, 3, '0') || k + 3 >= n || (p[k + 3] != '-' && p[k + 3] != '.')) return 0;
    if (!digits_at(p, n, k + 4, 4, '0') || !num_ends(p, n, k + 8)) return 0;
    *end = k + 8;
    return 1;
  }
  if (!num_starts(p, i)) return 0;
  /* The trunk prefix "1-", "1." or "1 " belongs to the number. */
  if (p[i] == '1' && i + 2 < n && (p[i + 1] == '-' || p[i + 1] == '.' || p[i + 1] == ' ') &&
      nanp_rest(p, n, i + 2, end))
    return 1;
  return nanp_rest(p, n, i, end);
}

/* ---- credentials ---- */

static int match_bearer(bytes p, size_t n, size_t i, size_t *end) {
  if (i > 0 && is_word(p[i - 1])) return 0;
  static const char word[] = "bearer";
  if (n - i < 8) return 0;
  for (int k = 0; k < 6; k++)
    if ((p[i + k] | 0x20u) != (unsigned char)word[k]) return 0;
  size_t pos = i + 6;
  if (p[pos] != ' ' && p[pos] != '\t') return 0;
  while (pos < n && (p[pos] == ' ' || p[pos] == '\t')) pos++;
  size_t ts = pos;
  int digit_or_symbol = 0;
  while (pos < n && is_b64token(p[pos])) digit_or_symbol |= !is_alpha(p[pos]), pos++;
  size_t len = pos - ts, eq = pos;
  while (pos < n && p[pos] == '=') pos++;
  /* An auth-param (realm="api", error=invalid_token) is not a token. */
  if (pos < n && (is_b64token(p[pos]) || (pos > eq && p[pos] == '"'))) return 0;
  if (len < 8 || (!digit_or_symbol && len < 20)) return 0;
  *end = pos;
  return 1;
}

static int match_jwt(bytes p, size_t n, size_t i, size_t *end) {
  if (i > 0) {
    unsigned c = p[i - 1];
    if (is_b64url(c) || c == '.' || c == '+' || c == '/') return 0;
  }
  if (n - i < 3 || p[i + 1] != 'y' || p[i + 2] != 'J') return 0;
  size_t lens[5], pos = i;
  int k = 0;
  for (;;) {
    size_t st = pos;
    while (pos < n && is_b64url(p[pos])) pos++;
    lens[k++] = pos - st;
    /* A dot continues the token when a segment (or an empty one) follows. */
    if (pos + 1 < n && p[pos] == '.' && (is_b64url(p[pos + 1]) || p[pos + 1] == '.')) {
      if (k == 5) return 0; /* six or more segments: not a JWT */
      pos++;
      continue;
    }
    break;
  }
  if (lens[0] < 10) return 0;
  if (k == 2 && pos < n && p[pos] == '.' && lens[1] >= 3) {
    pos++; /* unsecured: "header.payload." with an empty signature */
  } else if (k == 3) {
    if (lens[1] < 3 || (lens[2] != 0 && lens[2] < 16)) return 0;
  } else if (k == 5) {
    if (lens[2] < 16 || lens[3] < 1 || lens[4] < 16) return 0;
  } else {
    return 0;
  }
  if (pos < n && (p[pos] == '+' || p[pos] == '/' || p[pos] == '=')) return 0; /* base64 */
  *end = pos;
  return 1;
}

static int match_aws_key(bytes p, size_t n, size_t i, size_t *end) {
  if ((i > 0 && is_alnum(p[i - 1])) || n - i < 20) return 0;
  if ((p[i + 1] != 'K' && p[i + 1] != 'S') || p[i + 2] != 'I' || p[i + 3] != 'A') return 0;
  for (size_t k = 4; k < 20; k++)
    if (!is_upper(p[i + k]) && !is_digit(p[i + k])) return 0;
  if (i + 20 < n && is_alnum(p[i + 20])) return 0;
  *end = i + 20;
  return 1;
}

static int starts_with(bytes p, size_t n, size_t i, const char *lit, size_t len) {
  return n - i >= len && memcmp(p + i, lit, len) == 0;
}

/* ---- provider API keys, by prefix ---- */

enum { RUN_ALNUM, RUN_ALNUM_DASH, RUN_ALNUM_US, RUN_ALNUM_US_DASH, RUN_ALPHA };

typedef struct key_shape {
  const char *prefix;
  unsigned char len, min, run, needs_digit;
} key_shape;

/* Longer prefixes before their own prefixes (sk-proj- before sk-). */
static const key_shape key_shapes[] = {
    {"sk-ant-", 7, 20, RUN_ALNUM_US_DASH, 0},    {"sk-proj-", 8, 20, RUN_ALNUM_US_DASH, 0},
    {"sk-svcacct-", 11, 20, RUN_ALNUM_US_DASH, 0}, {"sk-admin-", 9, 20, RUN_ALNUM_US_DASH, 0},
    {"sk-", 3, 32, RUN_ALNUM_US_DASH, 1},        {"sk_live_", 8, 16, RUN_ALNUM, 0},
    {"sk_test_", 8, 16, RUN_ALNUM, 0},           {"rk_live_", 8, 16, RUN_ALNUM, 0},
    {"rk_test_", 8, 16, RUN_ALNUM, 0},           {"whsec_", 6, 16, RUN_ALNUM, 0},
    {"ghp_", 4, 30, RUN_ALNUM, 0},               {"gho_", 4, 30, RUN_ALNUM, 0},
    {"ghu_", 4, 30, RUN_ALNUM, 0},               {"ghs_", 4, 30, RUN_ALNUM, 0},
    {"ghr_", 4, 30, RUN_ALNUM, 0},               {"github_pat_", 11, 22, RUN_ALNUM_US, 0},
    {"glpat-", 6, 20, RUN_ALNUM_US_DASH, 0},     {"gsk_", 4, 40, RUN_ALNUM, 0},
    {"xoxb-", 5, 10, RUN_ALNUM_DASH, 0},         {"xoxp-", 5, 10, RUN_ALNUM_DASH, 0},
    {"xoxa-", 5, 10, RUN_ALNUM_DASH, 0},         {"xoxr-", 5, 10, RUN_ALNUM_DASH, 0},
    {"xoxs-", 5, 10, RUN_ALNUM_DASH, 0},         {"xoxe-", 5, 10, RUN_ALNUM_DASH, 0},
    {"xapp-", 5, 10, RUN_ALNUM_DASH, 0},         {"AIza", 4, 30, RUN_ALNUM_US_DASH, 0},
    {"hf_", 3, 30, RUN_ALPHA, 0},                {"npm_", 4, 36, RUN_ALNUM, 0},
};

static int in_run(unsigned c, int run) {
  switch (run) {
  case RUN_ALNUM: return is_alnum(c);
  case RUN_ALNUM_DASH: return is_alnum(c) || c == '-';
  case RUN_ALNUM_US: return is_word(c);
  case RUN_ALNUM_US_DASH: return is_b64url(c);
  default: return is_alpha(c);
  }
}

/* The key after a shape's prefix at i: its end, or 0 if the run is too short. */
static size_t key_run_end(bytes p, size_t n, size_t i, const key_shape *k) {
  size_t pos = i + k->len;
  int digit = 0;
  while (pos < n && in_run(p[pos], k->run)) digit |= is_digit(p[pos]), pos++;
  if (pos - i - k->len < k->min || (k->needs_digit && !digit)) return 0;
  return pos;
}

static int match_api_key(bytes p, size_t n, size_t i, size_t *end) {
  if (i > 0 && (is_word(p[i - 1]) || p[i - 1] == '-')) return 0;
  for (size_t k = 0; k < sizeof key_shapes / sizeof *key_shapes; k++) {
    const key_shape *s = &key_shapes[k];
    if (p[i] != (unsigned char)s->prefix[0] || !starts_with(p, n, i, s->prefix, s->len)) continue;
    if ((*end = key_run_end(p, n, i, s)) != 0) return 1;
  }
  return 0;
}

/* ---- credentials in URLs ---- */

/* A byte that ends a URL part: space, quotes, angle brackets, or the end of the text. */
static int url_stop(unsigned c) { return c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == 0x7f; }

/* scheme://userinfo@ at the ':' at i: the userinfo, if it holds a password (a ':') or is
   long enough to be a token. */
static int match_userinfo(bytes p, size_t n, size_t i, size_t *start, size_t *end) {
  if (i == 0 || !is_alpha(p[i - 1]) || n - i < 4 || p[i + 1] != '/' || p[i + 2] != '/') return 0;
  size_t u = i + 3, pos = u;
  int colon = 0;
  while (pos < n && !url_stop(p[pos]) && p[pos] != '@' && p[pos] != '/' && p[pos] != '?' && p[pos] != '#')
    colon |= p[pos] == ':', pos++;
  if (pos == n || p[pos] != '@' || pos == u || (!colon && pos - u < 16)) return 0;
  *start = u;
  *end = pos;
  return 1;
}

/* Whether a parameter name (normalised: lower case, '_' for '-') names a credential. */
static int secret_param(const char *name, size_t len) {
  static const char *const exact[] = {"token", "access_token", "api_key", "apikey", "key", "secret",
                                      "client_secret", "password", "passwd", "pwd", "pass", "auth",
                                      "sig", "signature", "session", "sessionid", "code_verifier"};
  static const char *const endings[] = {"token", "_key", "secret", "password", "signature"};
  for (size_t k = 0; k < sizeof exact / sizeof *exact; k++)
    if (strlen(exact[k]) == len && memcmp(exact[k], name, len) == 0) return 1;
  for (size_t k = 0; k < sizeof endings / sizeof *endings; k++) {
    size_t e = strlen(endings[k]);
    if (len > e && memcmp(name + len - e, endings[k], e) == 0) return 1;
  }
  return 0;
}

/* ?name=value or &name=value at i: the value, if the name is a credential's. */
static int match_query_secret(bytes p, size_t n, size_t i, size_t *start, size_t *end) {
  char name[64];
  size_t pos = i + 1, len = 0;
  for (; pos < n && (is_word(p[pos]) || p[pos] == '-' || p[pos] == '.'); pos++) {
    if (len == sizeof name) return 0;
    unsigned c = p[pos];
    name[len++] = (char)(c == '-' ? '_' : is_upper(c) ? c | 0x20u : c);
  }
  if (pos >= n || p[pos] != '=' || !secret_param(name, len)) return 0;
  size_t v = ++pos;
  while (pos < n && !url_stop(p[pos]) && p[pos] != '&' && p[pos] != '#') pos++;
  if (pos == v) return 0;
  *start = v;
  *end = pos;
  return 1;
}

static int match_url(bytes p, size_t n, size_t i, size_t *start, size_t *end) {
  return p[i] == ':' ? match_userinfo(p, n, i, start, end) : match_query_secret(p, n, i, start, end);
}

static int match_pem(bytes p, size_t n, size_t i, size_t *end) {
  static const char begin[] = "-----BEGIN ", dashes[] = "-----", end_line[] = "-----END ";
  if (!starts_with(p, n, i, begin, sizeof begin - 1)) return 0;
  size_t ls = i + sizeof begin - 1, le = ls;
  while (le < n && le - ls <= 64 && (is_upper(p[le]) || is_digit(p[le]) || p[le] == ' ')) le++;
  size_t ll = le - ls;
  if (ll > 64 || !starts_with(p, n, le, dashes, 5)) return 0;
  /* The label ends in "PRIVATE KEY" (or "PRIVATE KEY BLOCK"), as a whole word. */
  size_t core = ll;
  if (core >= 6 && memcmp(p + le - 6, " BLOCK", 6) == 0) core -= 6;
  if (core < 11 || memcmp(p + ls + core - 11, "PRIVATE KEY", 11) != 0) return 0;
  if (core > 11 && p[ls + core - 12] != ' ') return 0;
  /* Through "-----END <label>-----", or to the end of the value. */
  const size_t el = sizeof end_line - 1;
  size_t q = le + 5;
  *end = n;
  while (q < n) {
    const unsigned char *hit = memchr(p + q, '-', n - q);
    if (!hit) break;
    q = (size_t)(hit - p);
    if (starts_with(p, n, q, end_line, el) && n - q - el >= ll + 5 &&
        memcmp(p + q + el, p + ls, ll) == 0 && memcmp(p + q + el + ll, dashes, 5) == 0) {
      *end = q + el + ll + 5;
      break;
    }
    q++;
  }
  return 1;
}

/* ---- e-mail addresses, found at their '@' ---- */

/* The address around the '@' at i, starting no earlier than lo. */
static int match_email(bytes p, size_t n, size_t i, size_t lo, size_t *start, size_t *end) {
  size_t ls = i;
  while (ls > lo && is_email_local(p[ls - 1])) {
    if (i - ls == 64) return 0; /* a local part longer than 64 bytes */
    ls--;
  }
  while (ls < i && p[ls] == '.') ls++;
  if (ls == i || p[i - 1] == '.') return 0;
  /* The domain: labels of letters, digits and '-', the last one 2+ letters. A '.' or '-'
     after it ("mail me at a@b.com.") is not part of it. */
  size_t ds = i + 1, de = ds;
  while (de < n && is_domain(p[de]) && de - ds <= 253) de++;
  if (de - ds > 253) return 0;
  while (de > ds && (p[de - 1] == '.' || p[de - 1] == '-')) de--;
  int labels = 0, tld_letters = 0;
  size_t label_start = ds, len = 0;
  for (size_t k = ds; k <= de; k++) {
    if (k < de && p[k] != '.') continue;
    len = k - label_start;
    if (len == 0 || len > 63 || p[label_start] == '-' || p[k - 1] == '-') return 0;
    tld_letters = 1;
    for (size_t m = label_start; m < k; m++) tld_letters &= is_alpha(p[m]);
    labels++;
    label_start = k + 1;
  }
  if (labels < 2 || !tld_letters || len < 2) return 0; /* len: the last label's */
  *start = ls;
  *end = de;
  return 1;
}

/* ---- the pass ---- */

static const char *const markers[10] = {
    "[EMAIL]", "[PHONE]", "[SSN]", "[CARD]", "[BEARER]", "[JWT]", "[AWS_KEY]", "[PRIVATE_KEY]",
    "[API_KEY]", "[REDACTED]",
};

const char *sl_scrub_marker(unsigned kind) {
  for (unsigned b = 0; b < 10; b++)
    if (kind == 1u << b) return markers[b];
  return NULL;
}

static unsigned kind_bit(unsigned kind) {
  unsigned b = 0;
  while (!(kind & 1u)) kind >>= 1, b++;
  return b;
}

/* The kinds that may start at i; on a match, its kind, start and end. lo: where the
   previous match ended (an e-mail's local part may not reach back past it). */
static unsigned match_at(bytes p, size_t n, size_t i, size_t lo, unsigned kinds, size_t *start,
                         size_t *end) {
  *start = i;
  if ((kinds & SL_SCRUB_PEM) && match_pem(p, n, i, end)) return SL_SCRUB_PEM;
  if ((kinds & SL_SCRUB_BEARER) && match_bearer(p, n, i, end)) return SL_SCRUB_BEARER;
  if ((kinds & SL_SCRUB_JWT) && match_jwt(p, n, i, end)) return SL_SCRUB_JWT;
  if ((kinds & SL_SCRUB_AWS_KEY) && match_aws_key(p, n, i, end)) return SL_SCRUB_AWS_KEY;
  if ((kinds & SL_SCRUB_API_KEY) && match_api_key(p, n, i, end)) return SL_SCRUB_API_KEY;
  if ((kinds & SL_SCRUB_URL) && match_url(p, n, i, start, end)) return SL_SCRUB_URL;
  if ((kinds & SL_SCRUB_EMAIL) && match_email(p, n, i, lo, start, end)) return SL_SCRUB_EMAIL;
  if (is_digit(p[i])) {
    if ((kinds & SL_SCRUB_CARD) && match_card(p, n, i, end)) return SL_SCRUB_CARD;
    if ((kinds & SL_SCRUB_SSN) && match_ssn(p, n, i, end)) return SL_SCRUB_SSN;
  }
  if (kinds & SL_SCRUB_PHONE) {
    if (p[i] == '+') {
      if (match_phone_intl(p, n, i, end)) return SL_SCRUB_PHONE;
    } else if (match_phone_nanp(p, n, i, end)) {
      return SL_SCRUB_PHONE;
    }
  }
  return 0;
}

/* The kinds a value of n bytes is long enough to hold: each has a shortest form ("a@b.cd",
   "+" and 7 digits, "ddd-dd-dddd", 13 card digits, "Bearer " and 8, a 10+3 byte JWT with
   its dots, 20 for an AWS key id, "-----BEGIN PRIVATE KEY-----", "xoxb-" and 10 for an
   API key, "&key=v" for a URL secret). Most values are
   shorter than most of them, and skip even the first pass. */
static unsigned kinds_that_fit(size_t n) {
  return (n >= 6 ? SL_SCRUB_EMAIL : 0u) | (n >= 8 ? SL_SCRUB_PHONE : 0u) | (n >= 11 ? SL_SCRUB_SSN : 0u) |
         (n >= 13 ? SL_SCRUB_CARD : 0u) | (n >= 15 ? SL_SCRUB_BEARER | SL_SCRUB_JWT : 0u) |
         (n >= 20 ? SL_SCRUB_AWS_KEY : 0u) | (n >= 27 ? SL_SCRUB_PEM : 0u) | (n >= 15 ? SL_SCRUB_API_KEY : 0u) |
         (n >= 6 ? SL_SCRUB_URL : 0u);
}

int sl_scrub(const char *s, size_t n, unsigned kinds, sl_buf *out) {
  bytes p = (bytes)s;
  kinds &= SL_SCRUB_ALL & kinds_that_fit(n);
  if (kinds == 0) return 0;

  /* First pass: drop the kinds whose trigger bytes the value does not hold. */
  unsigned seen = 0;
  for (size_t i = 0; i < n; i++) {
    seen |= trigger[p[i]];
    if ((i & 63) == 63 && (seen & kinds) == kinds) break;
  }
  kinds &= seen;
  if (kinds == 0) return 0;

  size_t base = out->len, copied = 0, i = 0;
  int count = 0;
  while (i < n) {
    unsigned here = starts[p[i]] & kinds;
    if (!here) {
      i++;
      continue;
    }
    size_t ms, me;
    unsigned kind = match_at(p, n, i, copied, here, &ms, &me);
    if (!kind) {
      i++;
      continue;
    }
    const char *marker = markers[kind_bit(kind)];
    if (count == 0 && sl_buf_reserve(out, n + 16)) goto oom;
    if (sl_buf_append(out, p + copied, ms - copied) || sl_buf_append(out, marker, strlen(marker)))
      goto oom;
    if (count < INT_MAX) count++;
    copied = i = me;
  }
  if (count == 0) return 0;
  if (sl_buf_append(out, p + copied, n - copied)) goto oom;
  return count;
oom:
  out->len = base;
  return -1;
}
