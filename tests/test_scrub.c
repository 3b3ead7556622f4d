/* Tests for src/scrub.c: every kind with positive and negative cases, the values that must
   never match (UUIDs, trace and span ids, timestamps, numbers, IPv4 addresses, versions,
   paths, plain base64), boundaries, overlapping candidates, many matches, a 1 MiB value
   of mixed content (timed loosely, printed, never asserted), and 100,000 random
   mutations of matching values (run it under ASan: each input sits in a heap block of
   exactly its size, so a read past the end is caught). Standalone: prints each failure
   and exits non-zero. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "processors/scrub.h"
#include "check.h"

#define ALL SL_SCRUB_ALL

/* Prints a value with its control and non-ASCII bytes escaped. */
static void show(const char *label, const char *s, size_t n) {
  fprintf(stderr, "  %s \"", label);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '\\') fputc(c, stderr);
    else fprintf(stderr, "\\x%02x", c);
  }
  fprintf(stderr, "\"\n");
}

/* Scrubs in[0..n) (copied into a heap block of exactly n bytes) and compares the result
   with want; count < 0: any number of replacements. */
static void expect_bytes(int line, const char *in, size_t n, unsigned kinds, const char *want,
                         size_t want_len, int count) {
  char *copy = malloc(n ? n : 1);
  if (!copy) abort();
  if (n) memcpy(copy, in, n);
  sl_buf b = {0};
  int r = sl_scrub(copy, n, kinds, &b);
  const char *got = r > 0 ? b.data : copy;
  size_t got_len = r > 0 ? b.len : n;
  int bad = r < 0 || got_len != want_len || memcmp(got, want, want_len) != 0 || (count >= 0 && r != count) ||
            (r == 0 && b.len != 0);
  if (bad) {
    fprintf(stderr, "%s:%d: [%s] scrub (kinds 0x%x) returned %d (want %d)\n", __FILE__, line,
            check_current, kinds, r, count);
    show("input:", in, n);
    show("got:  ", got, got_len);
    show("want: ", want, want_len);
    check_failures++;
  }
  sl_buf_free(&b);
  free(copy);
}

static void expect_at(int line, const char *in, unsigned kinds, const char *want, int count) {
  expect_bytes(line, in, strlen(in), kinds, want, strlen(want), count);
}

/* EXPECT: in scrubs to want (one replacement per marker is not checked). */
#define EXPECT(in, kinds, want) expect_at(__LINE__, (in), (kinds), (want), -1)
#define EXPECT_N(in, kinds, want, n) expect_at(__LINE__, (in), (kinds), (want), (n))
/* CLEAN: nothing matches, with every kind on. */
#define CLEAN(in) expect_at(__LINE__, (in), ALL, (in), 0)
/* ONE: the whole value is one match of kind. */
#define ONE(in, kind) expect_at(__LINE__, (in), (kind), sl_scrub_marker(kind), 1)

/* ---- e-mail ---- */

static void test_email(void) {
  ONE("a@b.cc", SL_SCRUB_EMAIL);
  ONE("john.doe+tag@example.co.uk", SL_SCRUB_EMAIL);
  ONE("x_y%z-1@sub-domain.example.org", SL_SCRUB_EMAIL);
  ONE("UPPER.Case@Example.COM", SL_SCRUB_EMAIL);
  EXPECT("contact john@example.com now", SL_SCRUB_EMAIL, "contact [EMAIL] now");
  EXPECT("<jane@example.com>,", SL_SCRUB_EMAIL, "<[EMAIL]>,");
  EXPECT("mail me at bob@example.org.", SL_SCRUB_EMAIL, "mail me at [EMAIL].");
  EXPECT("mailto:bob@example.org?subject=x", SL_SCRUB_EMAIL, "mailto:[EMAIL]?subject=x");
  EXPECT("\"user\":\"ann@corp.io\"", SL_SCRUB_EMAIL, "\"user\":\"[EMAIL]\"");
  EXPECT("..lead@example.com", SL_SCRUB_EMAIL, "..[EMAIL]");
  EXPECT("a@b@c.com", SL_SCRUB_EMAIL, "a@[EMAIL]");
  EXPECT("host-name@example.com-", SL_SCRUB_EMAIL, "[EMAIL]-");
  EXPECT_N("a@b.com,c@d.org;e@f.net g@h.io", SL_SCRUB_EMAIL, "[EMAIL],[EMAIL];[EMAIL] [EMAIL]", 4);
  /* 64 bytes of local part is the limit. */
  char addr[128];
  memset(addr, 'a', 64);
  strcpy(addr + 64, "@example.com");
  ONE(addr, SL_SCRUB_EMAIL);
  memset(addr, 'a', 65);
  strcpy(addr + 65, "@example.com");
  EXPECT(addr, SL_SCRUB_EMAIL, addr);

  const char *no[] = {
      "user@localhost",   "pkg@1.2.3",         "a@b.c",        "@example.com", "john@",
      "john@-bad.com",    "john@bad-.com",     "name@sha256:abc", "x@y..com",   "foo@bar.123",
      "trailing.@x.com",  "@",                 "a@.com",       "a@com.",       "nginx@1.25.3",
      "image@sha256:e3b0c44298fc1c149afbf4c8996fb924",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_EMAIL, no[i]);
  /* A 300-byte domain is not one. */
  char longdom[400] = "a@";
  for (int i = 0; i < 60; i++) strcat(longdom, "abcd.");
  strcat(longdom, "com");
  EXPECT(longdom, SL_SCRUB_EMAIL, longdom);
}

/* ---- phone numbers ---- */

static void test_phone(void) {
  const char *yes[] = {
      "+1 (555) 123-4567", "+44 20 7946 0958", "+15551234567", "+49-30-123456",
      "+33 1 23 45 67 89", "+1.555.123.4567",  "+1(555)123-4567", "+44 (0)20 7946 0958",
      "+2901234",          "(555) 123-4567",   "(555)123-4567",  "555-123-4567",
      "555.123.4567",      "1-800-555-0199",   "1 800-555-0199", "1.800.555.0199",
      "+861012345678901",
  };
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) ONE(yes[i], SL_SCRUB_PHONE);
  EXPECT("call 212-555-0100.", SL_SCRUB_PHONE, "call [PHONE].");
  EXPECT("tel:+1-212-555-0100;ext=2", SL_SCRUB_PHONE, "tel:[PHONE];ext=2");
  EXPECT("phones: (212) 555-0100, +44 20 7946 0958", SL_SCRUB_PHONE, "phones: [PHONE], [PHONE]");
  EXPECT("+1 555 123 4567 1234567890", SL_SCRUB_PHONE, "[PHONE] 1234567890");

  const char *no[] = {
      "1234567890",          "12345678901",        "123-456-7890", /* area code 1xx */
      "+0123456789",         "+123456",            "+1234.5678",    "+1234567890123456",
      "2024-01-15T10:30:00+05:00", "1.0.0+20130313144700", "10.100.1000", "555-123-45678",
      "555-123-4567-89",     "x555-123-4567",      "192.168.100.200", "555-1234",
      "555 123 4567",        "1+2345678",          "a+15551234567",  "(555) 12-34567",
      "(155) 123-4567",      "555-123.4567",       "0.555.123.4567", "v555.123.4567",
      "+12 345",             "++15551234567",      "9:555-123-4567",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_PHONE, no[i]);
}

/* ---- US social security numbers ---- */

static void test_ssn(void) {
  ONE("123-45-6789", SL_SCRUB_SSN);
  ONE("078-05-1120", SL_SCRUB_SSN);
  ONE("899-99-9999", SL_SCRUB_SSN);
  EXPECT("ssn=078-05-1120;", SL_SCRUB_SSN, "ssn=[SSN];");
  EXPECT("(123-45-6789)", SL_SCRUB_SSN, "([SSN])");
  EXPECT("SSN: 123-45-6789.", SL_SCRUB_SSN, "SSN: [SSN].");
  const char *no[] = {
      "000-12-3456", "666-12-3456",  "900-12-3456",   "999-12-3456",  "123-00-4567",
      "123-45-0000", "123-45-67890", "1123-45-6789",  "123-45-6789-1", "123 45 6789",
      "123456789",   "a123-45-6789", "123-45-6789b",  "12-345-6789",   "2024-01-15",
      "1.123-45-6789",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_SSN, no[i]);
}

/* ---- payment cards ---- */

static void test_card(void) {
  const char *yes[] = {
      "4111111111111111",  "4012888888881881",    "4222222222222",       "4111111111111111110",
      "5555555555554444",  "5105105105105100",    "2223003122003222",    "378282246310005",
      "371449635398431",   "6011111111111117",    "6011000990139424",    "6500000000000002",
      "62212612345678904", "3530111333300000",    "3566002020360505",    "30569309025904",
      "38520000023237",    "30951234567897",      "6200000000000005",    "2200123456789019",
      "6759649826438453",  "501812345678900",     "4111 1111 1111 1111", "4111-1111-1111-1111",
      "3782 822463 10005", "3782-822463-10005",   "4111 1111 1111 1111 110",
  };
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) ONE(yes[i], SL_SCRUB_CARD);
  EXPECT("card 4111 1111 1111 1111 exp 12/27", SL_SCRUB_CARD, "card [CARD] exp 12/27");
  EXPECT("4111 1111 1111 1111 2027", SL_SCRUB_CARD, "[CARD] 2027");
  EXPECT("cards=4111111111111111,5555555555554444", SL_SCRUB_CARD, "cards=[CARD],[CARD]");
  EXPECT("(4111111111111111)", SL_SCRUB_CARD, "([CARD])");
  EXPECT("pan:4111111111111111.", SL_SCRUB_CARD, "pan:[CARD].");
  EXPECT("card-4111111111111111", SL_SCRUB_CARD, "card-[CARD]");
  EXPECT("\"4111-1111-1111-1111\"", SL_SCRUB_CARD, "\"[CARD]\"");

  const char *no[] = {
      "4111111111111112",       /* Luhn */
      "1234567812345678",       /* no issuer */
      "2200123456789010",       /* Mir range, Luhn fails */
      "41111111111111111",      /* Visa at 17 digits */
      "5555555555554444000",    /* Mastercard at 19 */
      "378282246310005000",     /* Amex at 18 */
      "a4111111111111111",      /* inside a hex run */
      "4111111111111111f",
      "deadbeef4111111111111111",
      "41111111111111111111",   /* 20 digits */
      "0.4111111111111111",     /* decimal */
      "4111111111111111.5",
      "12.4111111111111111",
      "-4111111111111111",      /* negative number */
      "4111 1111-1111 1111",    /* mixed separators */
      "4111  1111 1111 1111",   /* double space */
      "411 1111 1111 11111",
      "4111 11 1111 1111 111",
      "4111-1111-1111-1111-1",
      "4111111111111111@example.com",
      "_4111111111111111",
      "9999999999999999",
      "1700000000123456789",    /* epoch ns */
      "0000000000000000",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_CARD, no[i]);
}

/* ---- Bearer tokens ---- */

static const char jwt[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"
    "aWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

static void test_bearer(void) {
  EXPECT("Authorization: Bearer abc123.def-456_ghi~jkl+mno/pqr==", SL_SCRUB_BEARER,
         "Authorization: [BEARER]");
  ONE("bearer  0123456789abcdef", SL_SCRUB_BEARER);
  ONE("BEARER\tmF_9.B5f-4.1JqM", SL_SCRUB_BEARER);
  ONE("Bearer abcdefghijklmnopqrstu", SL_SCRUB_BEARER);
  EXPECT("Bearer mF_9.B5f-4.1JqM, next", SL_SCRUB_BEARER, "[BEARER], next");
  EXPECT("{\"h\":\"Bearer 9f86d081884c7d65\"}", SL_SCRUB_BEARER, "{\"h\":\"[BEARER]\"}");
  EXPECT("Authorization:Bearer 9f86d081884c7d65", SL_SCRUB_BEARER, "Authorization:[BEARER]");
  char with_jwt[512];
  snprintf(with_jwt, sizeof with_jwt, "Bearer %s", jwt);
  ONE(with_jwt, SL_SCRUB_BEARER);
  const char *no[] = {
      "Bearer realm=\"example\"",
      "Bearer error=\"invalid_token\", error_description=\"The access token expired\"",
      "Bearer error_description=\"x\"",
      "Bearer error=invalid_token",
      "invalid bearer token",
      "forbearer 12345678",
      "x_bearer 12345678",
      "Bearer",
      "Bearer ",
      "Bearer abc1",
      "Bearer authentication",
      "Bearer\n12345678abcd",
      "Bearer: 12345678abcd",
      "Bearerabc12345678",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_BEARER, no[i]);
}

/* ---- JWTs ---- */

static void test_jwt(void) {
  char buf[1024];
  ONE(jwt, SL_SCRUB_JWT);
  snprintf(buf, sizeof buf, "token=%s&x=1", jwt);
  EXPECT(buf, SL_SCRUB_JWT, "token=[JWT]&x=1");
  snprintf(buf, sizeof buf, "the token was %s.", jwt);
  EXPECT(buf, SL_SCRUB_JWT, "the token was [JWT].");
  snprintf(buf, sizeof buf, "\"%s\",\"%s\"", jwt, jwt);
  EXPECT_N(buf, SL_SCRUB_JWT, "\"[JWT]\",\"[JWT]\"", 2);
  /* Unsecured (alg none): an empty signature. */
  ONE("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", SL_SCRUB_JWT);
  EXPECT("t=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. ok", SL_SCRUB_JWT, "t=[JWT] ok");
  /* JWE: five segments, the encrypted key empty for "dir". */
  ONE("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6U"
      ".XFBoMYUZodetZdvTiFvSkQ",
      SL_SCRUB_JWT);
  ONE("eyJhbGciOiJSU0EtT0FFUCJ9.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe"
      ".48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6U.XFBoMYUZodetZdvTiFvSkQ",
      SL_SCRUB_JWT);
  const char *no[] = {
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",                        /* base64 of JSON, no dots */
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",                   /* short signature */
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36P.extra", /* 4 segments */
      "eyJhbGc.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",  /* short header */
      "eyJhbGciOiJIUzI1NiJ9.ab.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",  /* short payload */
      "x-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
      "keyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV+abc/d==",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",                       /* two segments */
      "SGVsbG8gd29ybGQhIFRoaXMgaXMgYmFzZTY0Lg==",
      "a.b.c.eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
      "eyJ", "eyJ.", "eyJ..", "eyJhbGciOiJIUzI1NiJ9..",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_JWT, no[i]);
}

/* ---- AWS access key ids ---- */

static void test_aws_key(void) {
  ONE("AKIAIOSFODNN7EXAMPLE", SL_SCRUB_AWS_KEY);
  ONE("ASIAY34FZKBOKMUTVV7A", SL_SCRUB_AWS_KEY);
  EXPECT("key=ASIAY34FZKBOKMUTVV7A,", SL_SCRUB_AWS_KEY, "key=[AWS_KEY],");
  EXPECT("\"AKIAIOSFODNN7EXAMPLE\"", SL_SCRUB_AWS_KEY, "\"[AWS_KEY]\"");
  EXPECT("id_AKIAIOSFODNN7EXAMPLE_x", SL_SCRUB_AWS_KEY, "id_[AWS_KEY]_x");
  EXPECT("AKIAIOSFODNN7EXAMPLE AKIAI44QH8DHBEXAMPLE", SL_SCRUB_AWS_KEY, "[AWS_KEY] [AWS_KEY]");
  const char *no[] = {
      "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "xAKIAIOSFODNN7EXAMPLE", "AKIAiosfodnn7example",
      "AKIDIOSFODNN7EXAMPLE", "AKIA", "ASIA-IOSFODNN7EXAMPLE", "7AKIAIOSFODNN7EXAMPLE",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_AWS_KEY, no[i]);
}

/* ---- PEM private keys ---- */

static void test_pem(void) {
  ONE("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n"
      "aFDrBz9vFqU4yQ==\n-----END RSA PRIVATE KEY-----",
      SL_SCRUB_PEM);
  ONE("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", SL_SCRUB_PEM);
  ONE("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIO\n-----END EC PRIVATE KEY-----", SL_SCRUB_PEM);
  ONE("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
      SL_SCRUB_PEM);
  ONE("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w\n-----END ENCRYPTED PRIVATE KEY-----",
      SL_SCRUB_PEM);
  ONE("-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQ\n-----END DSA PRIVATE KEY-----", SL_SCRUB_PEM);
  ONE("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----", SL_SCRUB_PEM);
  EXPECT("key: -----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\\n, next", SL_SCRUB_PEM,
         "key: [PRIVATE_KEY]\\n, next");
  /* Without its END line (a cut value): to the end. */
  EXPECT("key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", SL_SCRUB_PEM, "key: [PRIVATE_KEY]");
  EXPECT("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\ntail", SL_SCRUB_PEM, "[PRIVATE_KEY]");
  EXPECT("a -----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY----- b -----BEGIN EC PRIVATE KEY-----\nY\n"
         "-----END EC PRIVATE KEY----- c",
         SL_SCRUB_PEM, "a [PRIVATE_KEY] b [PRIVATE_KEY] c");
  /* Everything inside the block goes with it: nothing else is looked for there. */
  EXPECT_N("-----BEGIN PRIVATE KEY-----\nAKIAIOSFODNN7EXAMPLE a@b.com\n-----END PRIVATE KEY-----", ALL,
           "[PRIVATE_KEY]", 1);
  const char *no[] = {
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----",
      "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq\n-----END CERTIFICATE-----",
      "-----BEGIN NOTPRIVATE KEY-----\nX\n-----END NOTPRIVATE KEY-----",
      "-----BEGIN PRIVATE KEYS-----\nX",
      "-----BEGIN private key-----\nX",
      "----BEGIN PRIVATE KEY-----\nX",
      "-----BEGIN PRIVATE KEY----",
      "-----BEGIN -----",
      "-----END PRIVATE KEY-----",
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) EXPECT(no[i], SL_SCRUB_PEM, no[i]);
}

/* ---- what must never match, with every kind on ---- */

static uint64_t rng_state = 0x5c7b5eed0badf00du;
static uint64_t rng(void) { return check_splitmix64(&rng_state); }

static void random_hex(char *out, size_t digits) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < digits; i++) out[i] = hex[rng() & 15];
  out[digits] = '\0';
}

static void test_no_false_positives(void) {
  const char *clean[] = {
      /* UUIDs */
      "123e4567-e89b-12d3-a456-426614174000", "550e8400-e29b-41d4-a716-446655440000",
      "00000000-0000-0000-0000-000000000000", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      /* trace context */
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736",
      "00f067aa0ba902b7",
      /* ISO-8601 timestamps */
      "2024-01-15T10:30:00Z", "2024-01-15T10:30:00.123456789+05:30", "2024-01-15 10:30:00,123",
      "2024-01-15T10:30:00-08:00", "20240115T103000Z", "2024-W03-1", "T10:30:00.000000001Z",
      /* plain integers and decimals */
      "0", "42", "1234567890", "1234567890123456789", "-9223372036854775808", "18446744073709551615",
      "1700000000", "1700000000123", "1700000000123456", "1700000000123456789",
      "3.14159265358979323846", "0.4111111111111111", "-4111111111111111", "1e-10", "6.02214076e23",
      "1,234,567,890,123", "99.99", "+1.5", "+42",
      /* IPv4 addresses */
      "192.168.100.200", "10.0.0.1:8080", "255.255.255.255", "127.0.0.1", "::ffff:192.168.1.1",
      /* versions */
      "1.2.3", "v10.15.3-rc.1", "1.0.0+20130313144700", "2.6.32-754.35.1.el6.x86_64", "10.100.1000",
      "go1.21.5", "Python/3.11.4",
      /* paths and URLs */
      "/usr/lib/x86_64-linux-gnu/libssl.so.3", "C:\\Users\\bob\\file.txt", "./a/b/../c.txt",
      "https://example.com/api/v2/users?page=2&limit=100", "/var/log/app/2024-01-15.log",
      /* base64 that is not a JWT */
      "SGVsbG8gd29ybGQhIFRoaXMgaXMgYmFzZTY0Lg==", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
      "dGhpcyBpcyBub3QgYSBqd3Q=", "aGVsbG8.d29ybGQ.Zm9vYmFyYmF6cXV4cXV1eA",
      /* ordinary text */
      "The quick brown fox jumps over the lazy dog.", "bearer of bad news", "Bearer realm=\"api\"",
      "user logged in from 10.1.2.3 after 3 attempts", "order #12345 shipped", "AKIA", "-----BEGIN",
      "e-mail: (none)", "ids=[1,2,3]", "size=1048576 bytes", "elapsed 1234.5678 ms", "@user mention",
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "git commit 9fceb02d0ae598e95dc970b74767f19372d61af8", "port 5432", "HTTP/1.1 200 OK",
      "", "x", "(", "+", "@", "-", "e", "b", "A", "\xff\xfe\x00\x01",
  };
  for (size_t i = 0; i < sizeof clean / sizeof *clean; i++) CLEAN(clean[i]);
  /* NUL bytes and invalid UTF-8 are bytes like any other. */
  static const char raw[] = "\0\xff\xc0\x80 4bf92f3577b34da6a3ce929d0e0e4736\0\xed\xa0\x80";
  expect_bytes(__LINE__, raw, sizeof raw - 1, ALL, raw, sizeof raw - 1, 0);

  /* Random ids as the library renders them: 10,000 of each kind. */
  char id[64];
  int all_digits = 0;
  for (int i = 0; i < 10000; i++) {
    random_hex(id, 32);
    CLEAN(id);
    random_hex(id, 16);
    /* A span id of decimal digits only (1 in 1,900) can be a card number: the limit that
       scrub.h documents, shown below. */
    if (strspn(id, "0123456789") == 16) all_digits++;
    else CLEAN(id);
    random_hex(id, 8);
    id[8] = '-';
    random_hex(id + 9, 4);
    id[13] = '-';
    random_hex(id + 14, 4);
    id[18] = '-';
    random_hex(id + 19, 4);
    id[23] = '-';
    random_hex(id + 24, 12);
    CLEAN(id);
  }
  printf("scrub: %d of 10000 random span ids were decimal digits only\n", all_digits);
  EXPECT("span_id=4111111111111111", ALL, "span_id=[CARD]");
  CLEAN("span_id=4111111111111112");
  /* Random timestamps, decimals and IPv4 addresses. */
  for (int i = 0; i < 10000; i++) {
    uint64_t r = rng();
    snprintf(id, sizeof id, "%04u-%02u-%02uT%02u:%02u:%02u.%09uZ", (unsigned)(1970 + r % 200),
             (unsigned)(1 + (r >> 8) % 12), (unsigned)(1 + (r >> 12) % 28), (unsigned)((r >> 17) % 24),
             (unsigned)((r >> 22) % 60), (unsigned)((r >> 28) % 60), (unsigned)((r >> 34) % 1000000000));
    CLEAN(id);
    snprintf(id, sizeof id, "%u.%u.%u.%u", (unsigned)(r & 255), (unsigned)(r >> 8 & 255),
             (unsigned)(r >> 16 & 255), (unsigned)(r >> 24 & 255));
    CLEAN(id);
    snprintf(id, sizeof id, "%llu.%llu", (unsigned long long)(r >> 20), (unsigned long long)rng());
    CLEAN(id);
    snprintf(id, sizeof id, "v%u.%u.%u", (unsigned)(r % 100), (unsigned)(r >> 7) % 1000, (unsigned)(r >> 17) % 10000);
    CLEAN(id);
  }
}

/* ---- the shortest forms ---- */

/* Values shorter than a kind's shortest form skip its scan: each shortest form, exactly
   that long, is still found. */
static void test_shortest_forms(void) {
  ONE("a@b.cc", SL_SCRUB_EMAIL);
  ONE("+1234567", SL_SCRUB_PHONE);
  ONE("123-45-6789", SL_SCRUB_SSN);
  ONE("4222222222222", SL_SCRUB_CARD);
  ONE("Bearer 12345678", SL_SCRUB_BEARER);
  ONE("eyJ0000000.abc.", SL_SCRUB_JWT);
  ONE("AKIAIOSFODNN7EXAMPLE", SL_SCRUB_AWS_KEY);
  ONE("-----BEGIN PRIVATE KEY-----", SL_SCRUB_PEM);
  /* and one byte less is none of them */
  CLEAN("+123456");
  CLEAN("422222222222");
  CLEAN("Bearer 1234567");
}

/* ---- boundaries, overlaps, many matches, kinds ---- */

static void test_boundaries(void) {
  /* Start and end of the value, and a value that is exactly one match. */
  EXPECT("a@b.com tail", ALL, "[EMAIL] tail");
  EXPECT("head a@b.com", ALL, "head [EMAIL]");
  EXPECT("4111111111111111 x", ALL, "[CARD] x");
  EXPECT("x 4111111111111111", ALL, "x [CARD]");
  EXPECT("AKIAIOSFODNN7EXAMPLE.", ALL, "[AWS_KEY].");
  /* Adjacent punctuation and adjacent matches. */
  EXPECT("[a@b.com](mailto:c@d.com)", ALL, "[[EMAIL]](mailto:[EMAIL])");
  EXPECT("'123-45-6789','555-123-4567'", ALL, "'[SSN]','[PHONE]'");
  EXPECT("a@b.com;AKIAIOSFODNN7EXAMPLE;4111111111111111", ALL, "[EMAIL];[AWS_KEY];[CARD]");
  EXPECT("x=4111111111111111&y=a@b.com", ALL, "x=[CARD]&y=[EMAIL]");
  /* The markers do not match anything themselves. */
  CLEAN("[EMAIL] [PHONE] [SSN] [CARD] [BEARER] [JWT] [AWS_KEY] [PRIVATE_KEY]");
}

static void test_overlaps(void) {
  char buf[512];
  snprintf(buf, sizeof buf, "Authorization: Bearer %s", jwt);
  EXPECT_N(buf, ALL, "Authorization: [BEARER]", 1);
  EXPECT_N(buf, ALL & ~(unsigned)SL_SCRUB_BEARER, "Authorization: Bearer [JWT]", 1);
  /* Digits before an '@' are the local part of an address, not a card or phone number. */
  EXPECT("4111111111111111@example.com", ALL, "[EMAIL]");
  EXPECT("+15551234567@sms.example.net", ALL, "[EMAIL]");
  EXPECT("4111111111111111@example.com", SL_SCRUB_CARD, "4111111111111111@example.com");
  /* An AWS key id inside a Bearer token goes with the token. */
  EXPECT("Bearer AKIAIOSFODNN7EXAMPLE", ALL, "[BEARER]");
  /* A phone number cannot also be an SSN; an SSN-shaped part of a card number is not one. */
  EXPECT("4111-1111-1111-1111", ALL, "[CARD]");
  EXPECT("555-123-4567 123-45-6789", ALL, "[PHONE] [SSN]");
  /* An address whose local part ends where a previous match ended. */
  EXPECT("AKIAIOSFODNN7EXAMPLE.bob@example.com", ALL, "[AWS_KEY].[EMAIL]");
}

static void test_kinds(void) {
  const char *in = "a@b.com +44 20 7946 0958 123-45-6789 4111111111111111 Bearer 0123456789abcdef "
                   "AKIAIOSFODNN7EXAMPLE -----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----";
  EXPECT_N(in, ALL,
           "[EMAIL] [PHONE] [SSN] [CARD] [BEARER] [AWS_KEY] [PRIVATE_KEY]", 7);
  EXPECT_N(in, SL_SCRUB_DEFAULT,
           "a@b.com +44 20 7946 0958 123-45-6789 [CARD] [BEARER] [AWS_KEY] [PRIVATE_KEY]", 4);
  EXPECT_N(in, 0, in, 0);
  EXPECT_N(in, 0xfc00u, in, 0); /* unknown bits are ignored */
  EXPECT_N(in, SL_SCRUB_EMAIL | 0x400u, "[EMAIL] +44 20 7946 0958 123-45-6789 4111111111111111 Bearer "
           "0123456789abcdef AKIAIOSFODNN7EXAMPLE -----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----", 1);
  CHECK_STR(sl_scrub_marker(SL_SCRUB_EMAIL), "[EMAIL]");
  CHECK_STR(sl_scrub_marker(SL_SCRUB_PEM), "[PRIVATE_KEY]");
  CHECK(sl_scrub_marker(0) == NULL);
  CHECK(sl_scrub_marker(SL_SCRUB_EMAIL | SL_SCRUB_PHONE) == NULL);
  CHECK_STR(sl_scrub_marker(SL_SCRUB_API_KEY), "[API_KEY]");
  CHECK_STR(sl_scrub_marker(SL_SCRUB_URL), "[REDACTED]");
  CHECK(sl_scrub_marker(1024) == NULL);
}

/* The output contract: 0 leaves out alone; a match appends the whole scrubbed value. */
static void test_contract(void) {
  sl_buf b = {0};
  CHECK(sl_buf_lit(&b, "prefix:") == 0);
  CHECK_INT(sl_scrub("nothing here 1234", 17, ALL, &b), 0);
  CHECK_INT(b.len, 7);
  CHECK_INT(sl_scrub("mail a@b.com!", 13, ALL, &b), 1);
  CHECK_INT(b.len, 7 + 13);
  CHECK(memcmp(b.data, "prefix:mail [EMAIL]!", 20) == 0);
  CHECK_INT(sl_scrub(NULL, 0, ALL, &b), 0);
  CHECK_INT(b.len, 20);
  sl_buf_free(&b);
  /* Markers longer than what they replace. */
  CHECK_INT(sl_scrub("a@b.cc", 6, SL_SCRUB_EMAIL, &b), 1);
  CHECK_INT(b.len, 7);
  sl_buf_free(&b);
}

static void test_many(void) {
  /* 10,000 matches in one value. */
  sl_buf in = {0}, want = {0}, out = {0};
  for (int i = 0; i < 10000; i++) {
    static const char *const items[] = {"u%d@example.com ", "4111111111111111 ", "AKIAIOSFODNN7EXAMPLE,",
                                        "(555) 123-4567;"};
    static const char *const marks[] = {"[EMAIL] ", "[CARD] ", "[AWS_KEY],", "[PHONE];"};
    char item[64];
    int k = i % 4, len = snprintf(item, sizeof item, items[k], i);
    CHECK(sl_buf_append(&in, item, (size_t)len) == 0);
    CHECK(sl_buf_append(&want, marks[k], strlen(marks[k])) == 0);
  }
  CHECK_INT(sl_scrub(in.data, in.len, ALL, &out), 10000);
  CHECK(out.len == want.len && memcmp(out.data, want.data, want.len) == 0);
  sl_buf_free(&in);
  sl_buf_free(&want);
  sl_buf_free(&out);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A 1 MiB value of mixed content: the expected output is built alongside the input. */
static void test_large_mixed(void) {
  static const char *const clean[] = {
      "request handled", "2024-01-15T10:30:00.123456789Z", "trace 4bf92f3577b34da6a3ce929d0e0e4736",
      "span 00f067aa0ba902b7", "id 550e8400-e29b-41d4-a716-446655440000", "from 192.168.100.200",
      "v1.2.3", "/usr/lib/libssl.so.3", "size 1048576", "elapsed 12.345 ms", "the bearer of news",
      "SGVsbG8gd29ybGQ=", "ünïcödé text", "a-b-c", "AKIA", "user @ host",
  };
  static const char *const secret[][2] = {
      {"jane.doe@example.com", "[EMAIL]"},
      {"+44 20 7946 0958", "[PHONE]"},
      {"078-05-1120", "[SSN]"},
      {"4111 1111 1111 1111", "[CARD]"},
      {"Bearer mF_9.B5f-4.1JqM", "[BEARER]"},
      {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "[JWT]"},
      {"AKIAIOSFODNN7EXAMPLE", "[AWS_KEY]"},
      {"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIO\n-----END EC PRIVATE KEY-----", "[PRIVATE_KEY]"},
  };
  sl_buf in = {0}, want = {0}, out = {0};
  int secrets = 0;
  while (in.len < ((size_t)1 << 20)) {
    uint64_t r = rng();
    const char *piece, *expect;
    if (r % 8 == 0) {
      piece = secret[(r >> 8) % 8][0];
      expect = secret[(r >> 8) % 8][1];
      secrets++;
    } else {
      piece = expect = clean[(r >> 8) % 16];
    }
    CHECK(sl_buf_append(&in, piece, strlen(piece)) == 0 && sl_buf_lit(&in, " | ") == 0);
    CHECK(sl_buf_append(&want, expect, strlen(expect)) == 0 && sl_buf_lit(&want, " | ") == 0);
  }
  double t0 = now_ms();
  int r = sl_scrub(in.data, in.len, ALL, &out);
  double t1 = now_ms();
  CHECK_INT(r, secrets);
  CHECK(out.len == want.len && memcmp(out.data, want.data, want.len) == 0);
  printf("scrub: %.2f MiB mixed, %d matches, %.1f ms\n", (double)in.len / (1 << 20), r, t1 - t0);

  /* Clean text: prose with no trigger bytes, then log-like text full of digits. */
  in.len = 0;
  while (in.len < ((size_t)1 << 20)) CHECK(sl_buf_lit(&in, "the quick fox jumps over the lazy dog; ") == 0);
  out.len = 0;
  t0 = now_ms();
  r = sl_scrub(in.data, in.len, ALL, &out);
  t1 = now_ms();
  CHECK_INT(r, 0);
  CHECK_INT(out.len, 0);
  printf("scrub: %.2f MiB without trigger bytes, %.1f ms\n", (double)in.len / (1 << 20), t1 - t0);
  in.len = 0;
  while (in.len < ((size_t)1 << 20))
    CHECK(sl_buf_lit(&in, "2024-01-15T10:30:00.123Z level=info trace=4bf92f3577b34da6a3ce929d0e0e4736 "
                          "span=00f067aa0ba902b7 from 10.0.0.1:8080 took 12.5ms bytes=1048576 Bob-A ") == 0);
  t0 = now_ms();
  r = sl_scrub(in.data, in.len, ALL, &out);
  t1 = now_ms();
  CHECK_INT(r, 0);
  printf("scrub: %.2f MiB of clean log text, %.1f ms\n", (double)in.len / (1 << 20), t1 - t0);

  /* Worst cases for scanners that read ahead: long runs that almost match. Linear time
     shows as these finishing in about the time of the others. */
  static const char *const runs[] = {"eyJ", "a", "1", "-", "@", "Bearer x", "+1 ", "a@", "e", "-----BEGIN "};
  for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
    in.len = 0;
    while (in.len < ((size_t)1 << 20)) CHECK(sl_buf_append(&in, runs[k], strlen(runs[k])) == 0);
    out.len = 0;
    t0 = now_ms();
    r = sl_scrub(in.data, in.len, ALL, &out);
    t1 = now_ms();
    CHECK(r >= 0);
    printf("scrub: 1 MiB of \"%s\" repeated, %d matches, %.1f ms\n", runs[k], r, t1 - t0);
  }
  sl_buf_free(&in);
  sl_buf_free(&want);
  sl_buf_free(&out);
}

/* 100,000 random mutations of matching values and near-misses: no crash, no read outside
   the input, and the return value and output consistent. */
static void test_mutations(void) {
  static const char *const seeds[] = {
      "contact john.doe+tag@example.co.uk now", "+1 (555) 123-4567", "call 212-555-0100.", "123-45-6789",
      "4111 1111 1111 1111", "3782-822463-10005", "Authorization: Bearer abc123.def-456_ghi~jkl+mno/pqr==",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
      ("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6U"
       ".XFBoMYUZodetZdvTiFvSkQ"),
      "key=AKIAIOSFODNN7EXAMPLE,", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
      "123e4567-e89b-12d3-a456-426614174000", "2024-01-15T10:30:00.123456789+05:30", "+44 (0)20 7946 0958",
      "Bearer realm=\"x\"", "a@b.c@d.com", "(555)123-4567", "1-800-555-0199",
  };
  static const char alphabet[] = "0123456789 -.+()@:/_=eyJAKISBbr\"\n\t\0\xff";
  enum { MAX = 600 };
  unsigned char cur[MAX];
  size_t len = 0;
  sl_buf out = {0};
  long matched = 0;
  for (int iter = 0; iter < 100000; iter++) {
    uint64_t r = rng();
    if (iter % 50 == 0) { /* start again from a seed, or two seeds joined */
      const char *s = seeds[r % (sizeof seeds / sizeof *seeds)];
      len = strlen(s);
      memcpy(cur, s, len);
      if ((r >> 8) & 1) {
        const char *t = seeds[(r >> 9) % (sizeof seeds / sizeof *seeds)];
        size_t tl = strlen(t);
        if (len + tl <= MAX) memcpy(cur + len, t, tl), len += tl;
      }
      r = rng();
    }
    size_t pos = len ? (size_t)(r >> 16) % len : 0;
    switch (r % 6) {
    case 0: /* flip bits */
      if (len) cur[pos] ^= (unsigned char)(1u << ((r >> 8) % 8));
      break;
    case 1: /* set a byte from the interesting alphabet */
      if (len) cur[pos] = (unsigned char)alphabet[(r >> 8) % (sizeof alphabet - 1)];
      break;
    case 2: /* insert a byte */
      if (len < MAX) {
        memmove(cur + pos + 1, cur + pos, len - pos);
        cur[pos] = (r >> 8) & 1 ? (unsigned char)alphabet[(r >> 9) % (sizeof alphabet - 1)] : (unsigned char)(r >> 9);
        len++;
      }
      break;
    case 3: /* delete a byte */
      if (len) memmove(cur + pos, cur + pos + 1, len - pos - 1), len--;
      break;
    case 4: /* duplicate a slice */
      if (len) {
        size_t sl = 1 + (size_t)(r >> 40) % 24;
        if (sl > len - pos) sl = len - pos;
        if (len + sl <= MAX) memmove(cur + pos + sl, cur + pos, len - pos), len += sl;
      }
      break;
    default: /* truncate */
      len = pos;
      break;
    }
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy) abort();
    memcpy(copy, cur, len);
    out.len = 0;
    unsigned kinds = (r >> 56) & 1 ? ALL : (unsigned)(r >> 48) & 0xff;
    int n = sl_scrub((const char *)copy, len, kinds, &out);
    if (n < 0 || (n == 0 && out.len != 0) || (n > 0 && out.len == 0)) {
      FAIL("mutation %d: returned %d with %zu bytes out", iter, n, out.len);
      show("input:", (const char *)copy, len);
    }
    /* Scrubbing with more kinds never finds fewer matches' worth of text untouched: at
       least, all kinds on finds something where one kind did. */
    if (n > 0 && kinds != ALL) {
      sl_buf all = {0};
      int m = sl_scrub((const char *)copy, len, ALL, &all);
      if (m <= 0) {
        FAIL("mutation %d: kinds 0x%x matched %d, all kinds %d", iter, kinds, n, m);
        show("input:", (const char *)copy, len);
      }
      sl_buf_free(&all);
    }
    matched += n > 0;
    free(copy);
  }
  sl_buf_free(&out);
  printf("scrub: 100000 mutations, %ld with matches\n", matched);
}

int main(void) {
  RUN(test_email);
  RUN(test_phone);
  RUN(test_ssn);
  RUN(test_card);
  RUN(test_bearer);
  RUN(test_jwt);
  RUN(test_shortest_forms);
  RUN(test_aws_key);
  RUN(test_pem);
  RUN(test_no_false_positives);
  RUN(test_boundaries);
  RUN(test_overlaps);
  RUN(test_kinds);
  RUN(test_contract);
  RUN(test_many);
  RUN(test_large_mixed);
  RUN(test_mutations);
  return check_exit();
}
