/* Redaction (include/spanlog/redact.h): key rules, value scrubbers and keyed hashing,
 * applied by the drainer to every field before user processors see it. */
#include "processors/redact.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/buf.h"
#include "base/json_text.h"
#include "base/parse.h"
#include "base/common.h"
#include "processors/keyed_hash.h"
#include "base/numfmt.h"
#include "base/locks.h"
#include "processors/redact_json.h"
#include "processors/scrub.h"
#include "spanlog/redact.h"

#define REDACTED "[REDACTED]"

/* Globs on normalised names (lower case; '-', '_' and '.' alike), so that the shapes of
   a credential's name are caught wherever they stand: X-Api-Key, OPENAI_API_KEY,
   session_token, aws_secret_access_key, credentials. Not "*token*" (gen_ai.usage.
   input_tokens, max_tokens count tokens) nor "*_key" (cache_key, partition_key name
   things): those two are a user's choice (keys+=*_key). */
static const char *const default_keys[] = {
    "*password*", "*passwd*", "*passphrase*", "*secret*", "*token", "*api_key", "*apikey",
    "*private_key", "*access_key", "*credential*", "*authorization", "*cookie"};

/* A glob: '*' stands for any run of characters (none included). */
typedef struct glob {
  char *pat;     /* normalised */
  uint64_t need; /* key_mask of its other characters: a key without them all cannot match */
} glob;

/* A list of key names, each a NUL-terminated copy, normalised (lower case, '_' for '-'
   and '.') so that a comparison is a length check and a memcmp, and of globs. */
typedef struct names {
  char **v;
  size_t *len;
  size_t n;
  uint64_t filter[4]; /* a bit per (length, first and last character) of the names: most
                        keys fail on it, before any comparison */
  glob *g;
  size_t ng;
} names;

typedef struct settings {
  names deny, hash, allow;
  int allow_on;
  unsigned scrub;
  uint8_t hash_key[16];
} settings;

/* Read by the drainer under the drain lock; replaced under the configuration lock, which moves
   the generation on (what the drainer redacted once, such as bound fields, is redone). */
static settings cur;
static uint64_t generation = 1;
static sl_once init_once = SL_ONCE_INIT;
static sl_buf scratch; /* the drainer's: a scrubbed value before it goes to the arena */

/* ---- names ---- */

static void names_free(names *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  for (size_t i = 0; i < l->ng; i++) free(l->g[i].pat);
  free(l->v);
  free(l->len);
  free(l->g);
  l->v = NULL;
  l->len = NULL;
  l->g = NULL;
  l->n = l->ng = 0;
  memset(l->filter, 0, sizeof l->filter);
}

/* Keys compare case-insensitively, with '-', '_' and '.' alike. */
static char key_char(unsigned char c) {
  return (char)(c == '-' || c == '.' ? '_' : c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); /* ASCII: no locale */
}

/* One bit per letter, digit and '_' (the rest share bits): which characters a key holds. */
static uint64_t char_bit(unsigned char c) {
  unsigned u = c, b = u - 'a' < 26u ? u - 'a' : u - '0' < 10u ? 26u + (u - '0') : u == '_' ? 36u : 37u + u % 27u;
  return (uint64_t)1 << b;
}

static uint64_t key_mask(const char *key, size_t len) {
  uint64_t m = 0;
  for (size_t i = 0; i < len; i++) m |= char_bit((unsigned char)key_char((unsigned char)key[i]));
  return m;
}

/* Whether the key, normalised as it is read, matches the glob; the classic scan with
   one backtracking point (the last '*'): linear in practice, len * pattern at worst. */
static int glob_eq(const char *pat, const char *key, size_t len) {
  size_t p = 0, k = 0, star = SIZE_MAX, mark = 0;
  while (k < len) {
    if (pat[p] == '*') {
      star = p++, mark = k;
    } else if (pat[p] && pat[p] == key_char((unsigned char)key[k])) {
      p++, k++;
    } else if (star != SIZE_MAX) {
      p = star + 1, k = ++mark;
    } else {
      return 0;
    }
  }
  while (pat[p] == '*') p++;
  return !pat[p];
}

static long globs_find(const names *l, const char *pat, size_t len) {
  for (size_t i = 0; i < l->ng; i++)
    if (strlen(l->g[i].pat) == len && memcmp(l->g[i].pat, pat, len) == 0) return (long)i;
  return -1;
}

/* Adds the glob (normalised already). */
static int globs_add(names *l, char *pat, size_t len) {
  if (globs_find(l, pat, len) >= 0) return free(pat), 0;
  glob *g = realloc(l->g, (l->ng + 1) * sizeof *g);
  if (!g) return free(pat), -1;
  l->g = g;
  uint64_t need = 0;
  for (size_t i = 0; i < len; i++) need |= pat[i] == '*' ? 0 : char_bit((unsigned char)pat[i]);
  l->g[l->ng++] = (glob){pat, need};
  return 0;
}

static void globs_remove(names *l, const char *name, size_t len) {
  char pat[256];
  if (len >= sizeof pat) return;
  for (size_t i = 0; i < len; i++) pat[i] = key_char((unsigned char)name[i]);
  long i = globs_find(l, pat, len);
  if (i < 0) return;
  free(l->g[i].pat);
  l->g[i] = l->g[--l->ng];
}

/* Whether key matches one of the globs; mask: key_mask(key). */
static int globs_match(const names *l, const char *key, size_t len, uint64_t mask) {
  for (size_t i = 0; i < l->ng; i++)
    if (!(l->g[i].need & ~mask) && glob_eq(l->g[i].pat, key, len)) return 1;
  return 0;
}

/* The filter bit of a key (as written) or a name (normalised): both map alike. */
static unsigned filter_bit(const char *key, size_t len) {
  if (!len) return 0;
  unsigned first = (unsigned char)key_char((unsigned char)key[0]);
  unsigned last = (unsigned char)key_char((unsigned char)key[len - 1]);
  return ((unsigned)len * 7919u + first * 31u + last) & 255u;
}

static void filter_add(names *l, const char *key, size_t len) {
  unsigned bit = filter_bit(key, len);
  l->filter[bit / 64] |= (uint64_t)1 << (bit % 64);
}

/* Whether key (as the application wrote it) is the normalised name. */
static int name_eq(const char *key, size_t len, const char *name, size_t name_len) {
  if (len != name_len) return 0;
  for (size_t i = 0; i < len; i++)
    if (key_char((unsigned char)key[i]) != name[i]) return 0;
  return 1;
}

static long names_find(const names *l, const char *key, size_t len) {
  unsigned bit = filter_bit(key, len);
  if (!(l->filter[bit / 64] >> (bit % 64) & 1)) return -1;
  for (size_t i = 0; i < l->n; i++)
    if (name_eq(key, len, l->v[i], l->len[i])) return (long)i;
  return -1;
}

static int names_has(const names *l, const char *key, size_t len) { return names_find(l, key, len) >= 0; }

static int names_add(names *l, const char *name, size_t len) {
  if (memchr(name, '*', len)) {
    char *pat = malloc(len + 1);
    if (!pat) return -1;
    for (size_t i = 0; i < len; i++) pat[i] = key_char((unsigned char)name[i]);
    pat[len] = 0;
    return globs_add(l, pat, len);
  }
  if (names_has(l, name, len)) return 0;
  char **v = realloc(l->v, (l->n + 1) * sizeof *v);
  if (v) l->v = v;
  size_t *lens = realloc(l->len, (l->n + 1) * sizeof *lens);
  if (lens) l->len = lens;
  char *copy = v && lens ? malloc(len + 1) : NULL;
  if (!copy) return -1;
  for (size_t i = 0; i < len; i++) copy[i] = key_char((unsigned char)name[i]);
  copy[len] = 0;
  l->v[l->n] = copy;
  l->len[l->n++] = len;
  filter_add(l, copy, len);
  return 0;
}

static void names_remove(names *l, const char *name, size_t len) {
  if (memchr(name, '*', len)) {
    globs_remove(l, name, len);
    return;
  }
  long i = names_find(l, name, len);
  if (i < 0) return;
  free(l->v[i]);
  l->n--;
  l->v[i] = l->v[l->n];
  l->len[i] = l->len[l->n];
  memset(l->filter, 0, sizeof l->filter);
  for (size_t j = 0; j < l->n; j++) filter_add(l, l->v[j], l->len[j]);
}

static int names_copy(names *dst, const names *src) {
  for (size_t i = 0; i < src->n; i++)
    if (names_add(dst, src->v[i], strlen(src->v[i]))) return -1;
  for (size_t i = 0; i < src->ng; i++)
    if (names_add(dst, src->g[i].pat, strlen(src->g[i].pat))) return -1;
  return 0;
}

/* A key matches a list by its whole name or by its last dotted part, or by a glob on its
   whole name. mask: key_mask(key), or 0 when no list has globs. */
static int key_listed(const names *l, const char *key, size_t len, uint64_t mask) {
  if (l->ng && globs_match(l, key, len, mask)) return 1;
  if (!l->n) return 0;
  if (names_has(l, key, len)) return 1;
  size_t start = len;
  while (start > 0 && key[start - 1] != '.') start--;
  return start > 0 && names_has(l, key + start, len - start);
}

/* ---- the lists a key is in, decided once per key ----
 * A program logs under a few keys, the same ones record after record, and which lists a
 * key is in depends on its bytes and the settings alone: the answer is kept in a small
 * table by the key's bytes (keys of up to 32 bytes), emptied when the settings change.
 * Only the drainer uses it (under the drain lock; the settings change under the
 * configuration lock, which holds the drain lock). */

enum { IN_DENY = 1, IN_HASH = 2, IN_ALLOW = 4, KNOWN = 8 };

#define KNOWN_SETS 128 /* of two keys each; a power of two */
#define KNOWN_KEY_MAX 32

typedef struct known_key {
  uint64_t w[4]; /* the key's bytes as key_words reads them */
  uint8_t len;
  uint8_t lists; /* KNOWN | IN_*; 0 for an empty entry */
} known_key;

static known_key known[KNOWN_SETS][2]; /* the most recently added of a set first */

static uint64_t load8(const char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static uint64_t load4(const char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* The key's bytes (len <= KNOWN_KEY_MAX) as words read from both ends, overlapping: with
   the length they tell any two keys apart, and nothing past the key is read. */
static void key_words(const char *k, size_t len, uint64_t w[4]) {
  w[0] = w[1] = w[2] = w[3] = 0;
  if (len > 16) {
    w[0] = load8(k), w[1] = load8(k + 8), w[2] = load8(k + len - 16), w[3] = load8(k + len - 8);
  } else if (len >= 8) {
    w[0] = load8(k), w[1] = load8(k + len - 8);
  } else if (len >= 4) {
    w[0] = load4(k) | load4(k + len - 4) << 32;
  } else if (len) {
    w[0] = (uint64_t)(unsigned char)k[0] | (uint64_t)(unsigned char)k[len / 2] << 8 |
           (uint64_t)(unsigned char)k[len - 1] << 16;
  }
}

static known_key *known_set(const uint64_t w[4], size_t len) {
  uint64_t h = (w[0] ^ (w[1] << 21 | w[1] >> 43) ^ (w[2] << 42 | w[2] >> 22) ^ w[3] ^ len) * 0x9E3779B97F4A7C15u;
  return known[h >> 57 & (KNOWN_SETS - 1)];
}

static int known_is(const known_key *e, const uint64_t w[4], size_t len) {
  return e->lists && e->len == len && e->w[0] == w[0] && e->w[1] == w[1] && e->w[2] == w[2] && e->w[3] == w[3];
}

static void forget_keys(void) { memset(known, 0, sizeof known); }

/* KNOWN | IN_* for the key, worked out from the lists: once per key. */
static SL_COLD unsigned lists_of(const char *key, size_t len) {
  uint64_t mask = cur.deny.ng || cur.hash.ng || cur.allow.ng ? key_mask(key, len) : 0;
  return KNOWN | (key_listed(&cur.deny, key, len, mask) ? IN_DENY : 0) |
         (key_listed(&cur.hash, key, len, mask) ? IN_HASH : 0) |
         (cur.allow_on && key_listed(&cur.allow, key, len, mask) ? IN_ALLOW : 0);
}

/* The lists the key is in (IN_*), from the table when the key has been seen. */
static inline unsigned key_lists(const char *key, size_t len) {
  if (len > KNOWN_KEY_MAX) return lists_of(key, len);
  uint64_t w[4];
  key_words(key, len, w);
  known_key *set = known_set(w, len);
  if (known_is(&set[0], w, len)) return set[0].lists;
  if (known_is(&set[1], w, len)) return set[1].lists;
  set[1] = set[0];
  set[0] = (known_key){{w[0], w[1], w[2], w[3]}, (uint8_t)len, (uint8_t)lists_of(key, len)};
  return set[0].lists;
}

/* ---- settings ---- */

static void settings_free(settings *s) {
  names_free(&s->deny);
  names_free(&s->hash);
  names_free(&s->allow);
}

static int settings_defaults(settings *s) {
  settings_free(s);
  s->allow_on = 0;
  s->scrub = SL_SCRUB_DEFAULT;
  for (size_t i = 0; i < sizeof default_keys / sizeof default_keys[0]; i++)
    if (names_add(&s->deny, default_keys[i], strlen(default_keys[i]))) return -1;
  return 0;
}

static int settings_copy(settings *dst, const settings *src) {
  *dst = (settings){{0}, {0}, {0}, src->allow_on, src->scrub, {0}};
  memset(&dst->deny, 0, sizeof dst->deny), memset(&dst->hash, 0, sizeof dst->hash);
  memset(&dst->allow, 0, sizeof dst->allow);
  memcpy(dst->hash_key, src->hash_key, 16);
  return names_copy(&dst->deny, &src->deny) || names_copy(&dst->hash, &src->hash) ||
         names_copy(&dst->allow, &src->allow);
}

static const struct {
  const char *name;
  unsigned kinds;
} scrub_names[] = {{"email", SL_SCRUB_EMAIL}, {"phone", SL_SCRUB_PHONE},   {"ssn", SL_SCRUB_SSN},
                   {"card", SL_SCRUB_CARD},   {"bearer", SL_SCRUB_BEARER}, {"jwt", SL_SCRUB_JWT},
                   {"aws", SL_SCRUB_AWS_KEY}, {"pem", SL_SCRUB_PEM},       {"apikey", SL_SCRUB_API_KEY},
                   {"url", SL_SCRUB_URL},     {"none", 0},
                   {"all", SL_SCRUB_ALL}};

static int scrub_kind(const char *w, size_t len, unsigned *kinds) {
  for (size_t i = 0; i < sizeof scrub_names / sizeof scrub_names[0]; i++)
    if (sl_word_eq(w, len, scrub_names[i].name)) return *kinds = scrub_names[i].kinds, 0;
  return -1;
}

static int hex_value(int c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int parse_hash_key(const char *v, size_t len, uint8_t key[16]) {
  if (len != 32) return -1;
  for (size_t i = 0; i < 16; i++) {
    int hi = hex_value(v[2 * i]), lo = hex_value(v[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    key[i] = (uint8_t)(hi << 4 | lo);
  }
  return 0;
}

/* Applies one operator ('=' replace, '+' add, '-' remove) with a comma list to a list of
   names. */
static int apply_names(names *l, char op, const char *v, size_t len) {
  if (op == '=') names_free(l);
  for (const char *p = v, *end = v + len; p < end;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *stop = comma ? comma : end;
    while (p < stop && isspace((unsigned char)*p)) p++;
    const char *e = stop;
    while (e > p && isspace((unsigned char)e[-1])) e--;
    if (e > p) {
      if (op == '-') names_remove(l, p, (size_t)(e - p));
      else if (names_add(l, p, (size_t)(e - p))) return -1;
    }
    p = stop + 1;
  }
  return 0;
}

static int apply_scrub(unsigned *scrub, char op, const char *v, size_t len) {
  unsigned kinds = 0;
  for (const char *p = v, *end = v + len; p < end;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *stop = comma ? comma : end;
    unsigned k;
    if (stop > p && scrub_kind(p, (size_t)(stop - p), &k)) return -1;
    if (stop > p) kinds |= k;
    p = stop + 1;
  }
  *scrub = op == '=' ? kinds : op == '+' ? *scrub | kinds : *scrub & ~kinds;
  return 0;
}

/* One directive: "name", or "name op value" with op one of = += -=. */
static int apply_directive(settings *s, const char *d, size_t len) {
  if (sl_word_eq(d, len, "off")) {
    settings_free(s);
    s->allow_on = 0, s->scrub = 0;
    return 0;
  }
  if (sl_word_eq(d, len, "defaults")) return settings_defaults(s);
  const char *eq = memchr(d, '=', len);
  if (!eq || eq == d) return -1;
  const char *name_end = eq;
  char op = '=';
  if (eq[-1] == '+' || eq[-1] == '-') op = eq[-1], name_end--;
  size_t nlen = (size_t)(name_end - d), vlen = len - (size_t)(eq + 1 - d);
  const char *v = eq + 1;
  if (sl_word_eq(d, nlen, "keys")) return apply_names(&s->deny, op, v, vlen);
  if (sl_word_eq(d, nlen, "scrub")) return apply_scrub(&s->scrub, op, v, vlen);
  if (sl_word_eq(d, nlen, "hash") && op != '-') return apply_names(&s->hash, op, v, vlen);
  if (sl_word_eq(d, nlen, "hash_key") && op == '=') return parse_hash_key(v, vlen, s->hash_key);
  if (sl_word_eq(d, nlen, "allow") && op == '=') {
    s->allow_on = vlen > 0;
    return apply_names(&s->allow, '=', v, vlen);
  }
  return -1;
}

static int apply_spec(settings *s, const char *spec) {
  for (const char *p = spec;;) {
    const char *semi = strchr(p, ';');
    const char *end = semi ? semi : p + strlen(p);
    while (p < end && isspace((unsigned char)*p)) p++;
    const char *e = end;
    while (e > p && isspace((unsigned char)e[-1])) e--;
    if (e > p && apply_directive(s, p, (size_t)(e - p))) return -1;
    if (!semi) return 0;
    p = semi + 1;
  }
}

static void init_fn(void) {
  if (settings_defaults(&cur)) sl_diag("spanlog: out of memory setting up redaction");
  const char *key = getenv("SPANLOG_HASH_KEY");
  if (!key || !*key || parse_hash_key(key, strlen(key), cur.hash_key)) {
    if (key && *key) sl_diag("spanlog: ignoring SPANLOG_HASH_KEY (expected 32 hex digits); using a random key");
    if (getrandom(cur.hash_key, 16, GRND_NONBLOCK) != 16) memset(cur.hash_key, 0x5a, 16);
  }
  /* Applied directly: nothing reads the settings before this once-only setup ends, and it
     may run on the drainer, which holds the locks sl_redact takes. */
  const char *spec = getenv("SPANLOG_REDACT");
  settings next;
  if (!spec || !*spec) return;
  if (settings_copy(&next, &cur) || apply_spec(&next, spec)) {
    settings_free(&next);
    sl_diag("spanlog: ignoring SPANLOG_REDACT=%s (see spanlog/redact.h for the grammar)", spec);
    return;
  }
  settings_free(&cur);
  cur = next;
}

int sl_redact(const char *spec) {
  sl_call_once(&init_once, init_fn);
  if (!spec) return -1;
  settings next;
  sl_config_lock();
  int rc = settings_copy(&next, &cur) || apply_spec(&next, spec);
  if (rc) {
    settings_free(&next);
  } else {
    settings_free(&cur);
    cur = next;
    generation++;
    forget_keys();
  }
  sl_config_unlock();
  return rc ? -1 : 0;
}

uint64_t sl_redact_generation(void) {
  sl_call_once(&init_once, init_fn);
  return generation;
}

/* ---- applying ---- */

/* The value's text for hashing: strings as they are, numbers in their JSON form. */
static size_t value_text(const sl_field *f, char *buf, const char **text) {
  switch (f->type) {
  case SL__T_STR:
  case SL__T_STRN:
  case SL__T_RAW: *text = f->str; return f->len;
  case SL__T_I64: *text = buf; return sl_fmt_i64(f->v.i, buf);
  case SL__T_U64: *text = buf; return sl_fmt_u64(f->v.u, buf);
  case SL__T_BOOL: *text = f->v.b ? "true" : "false"; return strlen(*text);
  default: *text = NULL; return 0;
  }
}

static void hash_value(sl_field *f, sl_arena *arena) {
  char num[32];
  const char *text;
  size_t len = value_text(f, num, &text);
  if (!text) return; /* null, doubles, arrays: nothing that names someone */
  char out[19];
  sl_hash_identifier(cur.hash_key, text, len, out);
  sl_field_set_string(f, out, 18, arena);
}

static void redact_value(sl_field *f) {
  f->type = SL__T_STR;
  f->str = REDACTED;
  f->len = sizeof REDACTED - 1;
}

/* Scrubs a string in place, through the drainer's scratch buffer into the arena. */
static void scrub_string(const char **str, size_t *len, sl_arena *arena) {
  scratch.len = 0;
  if (sl_scrub(*str, *len, cur.scrub, &scratch) <= 0) return;
  char *copy = sl_arena_alloc(arena, scratch.len ? scratch.len : 1);
  if (!copy) return;
  memcpy(copy, scratch.data, scratch.len);
  *str = copy;
  *len = scratch.len;
}

/* An array of strings, scrubbed element by element; re-encoded into the arena only when
   some element changed. */
static void scrub_strings(sl_field *f, sl_arena *arena) {
  const unsigned char *p = (const unsigned char *)f->str;
  size_t total = 0, changed = 0;
  for (size_t i = 0; i < f->len; i++) {
    uint32_t len = rec_get_u32(p);
    p += 4;
    if (len == UINT32_MAX) continue;
    scratch.len = 0;
    int hits = sl_scrub((const char *)p, len, cur.scrub, &scratch);
    total += 4 + (hits > 0 ? scratch.len : len);
    changed += hits > 0;
    p += len;
  }
  unsigned char *out = changed ? sl_arena_alloc(arena, total ? total : 1) : NULL;
  if (!out) return;
  unsigned char *o = out;
  p = (const unsigned char *)f->str;
  for (size_t i = 0; i < f->len; i++) {
    uint32_t len = rec_get_u32(p);
    p += 4;
    const char *text = (const char *)p;
    size_t n = len == UINT32_MAX ? 0 : len;
    if (len != UINT32_MAX) {
      scratch.len = 0;
      if (sl_scrub(text, n, cur.scrub, &scratch) > 0) text = scratch.data, n = scratch.len;
      p += len;
    }
    o = rec_put_u32(o, len == UINT32_MAX ? UINT32_MAX : (uint32_t)n);
    if (n) memcpy(o, text, n), o += n;
  }
  f->str = (const char *)out;
}

/* ---- inside JSON values ---- */

/* The allowlist names top-level fields only: below them, the deny and hash rules hold. */
static sl_json_rule json_rule(const char *key, size_t len) {
  unsigned in = key_lists(key, len);
  return in & IN_DENY ? SL_JSON_REDACT : in & IN_HASH ? SL_JSON_HASH : SL_JSON_KEEP;
}

static int json_string(const char *s, size_t n, sl_buf *out) {
  scratch.len = 0;
  int hits = cur.scrub ? sl_scrub(s, n, cur.scrub, &scratch) : 0;
  if (hits <= 0) return hits;
  return sl_json_put_string(out, scratch.data, scratch.len) ? -1 : 1;
}

static int json_hash(const char *text, size_t n, sl_buf *out) {
  char hashed[19];
  sl_hash_identifier(cur.hash_key, text, n, hashed);
  return sl_json_put_string(out, hashed, 18) ? -1 : 1;
}

static const sl_json_redactor json_rules = {json_rule, json_string, json_hash};
static sl_buf json_out; /* the drainer's: a re-rendered value before it goes to the arena */

/* Pre-rendered JSON: the rules at every depth. Text that is not JSON renders as a string,
   and is scrubbed as one. */
static void redact_json_value(sl_field *f, sl_arena *arena) {
  if (!cur.deny.n && !cur.deny.ng && !cur.hash.n && !cur.hash.ng && !cur.scrub) return;
  json_out.len = 0;
  int rc = sl_redact_json(f->str, f->len, &json_rules, &json_out);
  char *copy = rc > 0 ? sl_arena_alloc(arena, json_out.len) : NULL;
  if (copy) {
    memcpy(copy, json_out.data, json_out.len);
    f->str = copy;
    f->len = json_out.len;
  } else if (rc < 0 && cur.scrub) {
    scrub_string(&f->str, &f->len, arena);
  }
}

void sl_redact_fields(sl_field *fields, size_t n, sl_arena *arena) {
  sl_call_once(&init_once, init_fn);
  for (size_t i = 0; i < n; i++) {
    sl_field *f = &fields[i];
    unsigned in = key_lists(f->key, f->key_len);
    if (cur.allow_on && !(in & IN_ALLOW)) redact_value(f);
    else if (in & IN_DENY) redact_value(f);
    else if (in & IN_HASH) hash_value(f, arena);
    else if (f->type == SL__T_RAW) redact_json_value(f, arena);
    else if (cur.scrub && (f->type == SL__T_STR || f->type == SL__T_STRN))
      scrub_string(&f->str, &f->len, arena);
    else if (cur.scrub && f->type == SL__T_STRS)
      scrub_strings(f, arena);
  }
}

void sl_redact_text(const char **text, size_t *len, sl_arena *arena) {
  sl_call_once(&init_once, init_fn);
  if (cur.scrub && *text) scrub_string(text, len, arena);
}
