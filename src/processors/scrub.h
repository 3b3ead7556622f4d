/* Value scrubbers: find personal data and credentials inside a string value and replace
 * each occurrence by a typed marker (issue 5, §2 "Value scrubbers"). Hand-written scanners:
 * no regular expressions, linear time, no allocation except into the caller's sl_buf, any
 * bytes accepted (invalid UTF-8 and NUL bytes are just bytes that match nothing).
 *
 * What each kind matches, and its marker (the whole match is replaced by the marker):
 *   SL_SCRUB_EMAIL    [EMAIL]        local@domain.tld: local part [A-Za-z0-9._%+-], 1..64
 *                                    bytes, not starting or ending with '.'; a domain of two
 *                                    or more labels [A-Za-z0-9-] (1..63 bytes, no '-' at
 *                                    either end) whose last label is 2+ letters. ASCII only.
 *   SL_SCRUB_PHONE    [PHONE]        "+" and 7..15 digits in groups separated by one space,
 *                                    '-' or '.', an area code may be in parentheses
 *                                    (+1 (555) 123-4567, +44 20 7946 0958, +15551234567);
 *                                    North American (555) 123-4567, 555-123-4567,
 *                                    555.123.4567, optionally after "1-", "1." or "1 "
 *                                    (area code 2xx..9xx). Digits without a '+' or one of
 *                                    these shapes are never a phone number.
 *   SL_SCRUB_SSN      [SSN]          ddd-dd-dddd, area not 000, 666 or 9xx, group not 00,
 *                                    serial not 0000.
 *   SL_SCRUB_CARD     [CARD]         13..19 digits, either unbroken or in groups (first group
 *                                    of 4, then groups of 3..6) separated by single spaces or
 *                                    single dashes (one kind throughout), that pass the Luhn
 *                                    check and fall in a known issuer range at a length that
 *                                    issuer uses: Visa 4 (13, 16, 19), Mastercard 51-55 and
 *                                    2221-2720 (16), Amex 34, 37 (15), Discover 6011, 644-649,
 *                                    65, 622126-622925 (16-19), UnionPay 62 (16-19), JCB
 *                                    3528-3589 (16-19), Diners 300-305, 3095, 36, 38, 39
 *                                    (14-19), Mir 2200-2204 (16-19), Maestro 5018, 5020,
 *                                    5038, 5893, 6304, 6759, 6761-6763 (13-19).
 *   SL_SCRUB_BEARER   [BEARER]       "Bearer" (any case) + spaces or tabs + an RFC 6750
 *                                    b64token ([A-Za-z0-9-._~+/]+ "="*) of 8+ characters
 *                                    that has a digit or one of -._~+/ or is 20+ letters long;
 *                                    not an auth-param (realm="x", error=...). The scheme
 *                                    word goes too: "Authorization: Bearer abc...123" becomes
 *                                    "Authorization: [BEARER]".
 *   SL_SCRUB_JWT      [JWT]          a JWS (3 base64url segments separated by dots; header
 *                                    "eyJ..." of 10+ characters, payload 3+, signature 16+ or
 *                                    empty for an unsecured token "h.p.") or a JWE (5
 *                                    segments, header "eyJ...", IV and tag 16+ characters).
 *   SL_SCRUB_AWS_KEY  [AWS_KEY]      AKIA or ASIA + 16 of [A-Z0-9], no letter or digit on
 *                                    either side.
 *   SL_SCRUB_API_KEY  [API_KEY]      a provider's secret key by its documented prefix, with no
 *                                    letter, digit or '_' before it, and a run long enough
 *                                    after it: OpenAI sk-proj-, sk-svcacct-, sk-admin- (20+ of
 *                                    [A-Za-z0-9_-]) and legacy sk- (32+, with a digit);
 *                                    Anthropic sk-ant- (20+); GitHub ghp_, gho_, ghu_, ghs_,
 *                                    ghr_ (30+ of [A-Za-z0-9]) and github_pat_ (22+ of
 *                                    [A-Za-z0-9_]); Slack xoxb-, xoxp-, xoxa-, xoxr-, xoxs-,
 *                                    xoxe-, xapp- (10+ of [A-Za-z0-9-]); Google AIza (30+ of
 *                                    [A-Za-z0-9_-]); GitLab glpat- (20+); Stripe sk_live_,
 *                                    sk_test_, rk_live_, rk_test_, whsec_ (16+ of
 *                                    [A-Za-z0-9]); Hugging Face hf_ (30+ letters); npm npm_
 *                                    (36 of [A-Za-z0-9]); Groq gsk_ (40+).
 *   SL_SCRUB_URL      [REDACTED]     credentials in URLs: the userinfo of scheme://user:pass@
 *                                    (any userinfo with a ':', or of 16+ bytes), and the
 *                                    value of a query or form parameter after '?' or '&'
 *                                    whose name is a credential's (token, access_token,
 *                                    api_key, apikey, key, secret, client_secret, password,
 *                                    passwd, pwd, pass, auth, sig, signature, session,
 *                                    sessionid, code_verifier, or any name ending in token,
 *                                    _key, secret, password or signature; case-insensitive,
 *                                    '-' and '_' alike).
 *   SL_SCRUB_PEM      [PRIVATE_KEY]  "-----BEGIN <label>-----" where the label ends in
 *                                    "PRIVATE KEY" (RSA, EC, DSA, OPENSSH, ENCRYPTED, plain
 *                                    PKCS#8, "PGP PRIVATE KEY BLOCK"), through the matching
 *                                    "-----END <label>-----". Without its END line the block
 *                                    runs to the end of the value: a cut key is still a key.
 *
 * Digit-based kinds (card, SSN, phone) never match inside a longer run of letters, digits
 * or '_' (so not inside hex ids such as trace and span ids or UUIDs), nor as part of a
 * dotted, dashed, colon- or slash-joined number (decimals, versions, IPv4 addresses,
 * dates and times), nor after a minus sign, nor right before an '@' (there they are the
 * local part of an e-mail address). One known limit: an id made only of decimal
 * digits that happens to pass the card rules (issuer range, length and Luhn) cannot be
 * told from a card number.
 *
 * Matches never overlap. The text is read left to right and the first match found wins;
 * where two kinds could start at one position the order is PEM, Bearer, JWT, AWS key,
 * API key, URL, card, SSN, phone (an e-mail address is found at its '@', after the kinds
 * that start inside its local part have had their chance; a URL's userinfo is replaced
 * before its '@' could be taken for an address). */
#ifndef SL_SCRUB_H
#define SL_SCRUB_H

#include <stddef.h>

#include "base/buf.h"

enum {
  SL_SCRUB_EMAIL = 1,
  SL_SCRUB_PHONE = 2,
  SL_SCRUB_SSN = 4,
  SL_SCRUB_CARD = 8,
  SL_SCRUB_BEARER = 16,
  SL_SCRUB_JWT = 32,
  SL_SCRUB_AWS_KEY = 64,
  SL_SCRUB_PEM = 128,
  SL_SCRUB_API_KEY = 256,
  SL_SCRUB_URL = 512,
};

/* The credential-shaped kinds that are on by default (issue 5, §2), and all of them. */
#define SL_SCRUB_DEFAULT                                                                  \
  ((unsigned)(SL_SCRUB_CARD | SL_SCRUB_BEARER | SL_SCRUB_JWT | SL_SCRUB_AWS_KEY | SL_SCRUB_PEM | \
              SL_SCRUB_API_KEY | SL_SCRUB_URL))
#define SL_SCRUB_ALL 1023u

/* Scans s[0..n) for the kinds in `kinds` (a mask of SL_SCRUB_*; other bits are ignored).
 *
 * Returns the number of replacements. 0: nothing matched and out is untouched (the caller
 * keeps using the original; this is the cheap, common case). Above 0: the scrubbed copy
 * of the whole value has been appended to out (from out->len on, not NUL-terminated).
 * -1: memory ran out; out->len is as it was (its spare capacity may have changed).
 * The count saturates at INT_MAX. s may be NULL when n is 0. */
int sl_scrub(const char *s, size_t n, unsigned kinds, sl_buf *out);

/* The marker of one kind ("[EMAIL]", ...), or NULL for anything but a single SL_SCRUB_*. */
const char *sl_scrub_marker(unsigned kind);

#endif
