/* The current context's W3C baggage: the public API (spanlog/baggage.h) over the entry
 * list of baggage.h that each context owns. */
#include "capture/baggage_context.h"

#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "base/parse.h"
#include "capture/baggage.h"
#include "capture/context.h"
#include "spanlog/baggage.h"

static struct {
  sl_bag *env;     /* BAGGAGE of this process, the baggage of a context that set none */
  int fields;      /* SPANLOG_BAGGAGE_FIELDS: entries are bound as baggage.<key> */
} cfg;
static sl_once init_once = SL_ONCE_INIT;

static void init_fn(void) {
  const char *v = getenv("BAGGAGE");
  if (v && *v && sl_bag_parse(v, &cfg.env) < 0)
    sl_diag("spanlog: ignoring BAGGAGE (longer than %d bytes)", SL_BAGGAGE_MAX_BYTES);
  const char *f = getenv("SPANLOG_BAGGAGE_FIELDS");
  cfg.fields = f && *f && sl_parse_bool(f, strlen(f)) == 1;
}

static const sl_bag *current_bag(void) {
  sl_call_once(&init_once, init_fn);
  const sl_context *ctx = sl_context_current();
  return ctx->baggage ? ctx->baggage : cfg.env;
}

/* The bound field of an entry: "baggage." and the key. */
#define FIELD_PREFIX "baggage."

static char *field_key(const char *key) {
  size_t n = strlen(key);
  char *k = malloc(sizeof FIELD_PREFIX + n);
  if (k) memcpy(k, FIELD_PREFIX, sizeof FIELD_PREFIX - 1), memcpy(k + sizeof FIELD_PREFIX - 1, key, n + 1);
  return k;
}

/* Binds (value != NULL) or unbinds the field of key in the current context. */
static void bind_field(const char *key, const char *value) {
  if (!cfg.fields) return;
  char *k = field_key(key);
  if (!k) return;
  if (value) {
    sl_arg a = sl__a_str(k, value);
    sl__bind(&a, 1);
  } else {
    const char *keys[1] = {k};
    sl__unbind(keys, 1);
  }
  free(k);
}

static void bind_all(const sl_bag *b, int bind) {
  for (size_t i = 0; b && i < b->n; i++) bind_field(b->e[i].key, bind ? b->e[i].value : NULL);
}

/* Makes next (owned) the current context's baggage. */
static void replace_bag(sl_bag *next) {
  sl_context *ctx = sl_context_current();
  bind_all(current_bag(), 0);
  sl_bag_free(ctx->baggage);
  ctx->baggage = next;
  if (ctx == &sl_tls.own) sl_thread_hook_exit(); /* freed when the thread ends */
  bind_all(next, 1);
}

/* The current context's own baggage, to change; a copy of the process' BAGGAGE at first. */
static sl_bag *writable_bag(void) {
  sl_context *ctx = sl_context_current();
  if (ctx->baggage) return ctx->baggage;
  const sl_bag *env = current_bag();
  sl_bag *b = env ? sl_bag_copy(env) : calloc(1, sizeof *b);
  if (b) replace_bag(b);
  return b;
}

int sl_baggage_set(const char *key, const char *value) {
  sl_bag *b = writable_bag();
  if (!b || sl_bag_put(b, key, value, NULL)) return -1;
  bind_field(key, value);
  return 0;
}

const char *sl_baggage_get(const char *key) { return sl_bag_find(current_bag(), key); }

int sl_baggage_remove(const char *key) {
  if (!sl_bag_find(current_bag(), key)) return -1;
  sl_bag *b = writable_bag();
  if (!b || sl_bag_remove(b, key)) return -1;
  bind_field(key, NULL);
  return 0;
}

void sl_baggage_clear(void) {
  sl_bag *empty = calloc(1, sizeof *empty);
  if (empty) replace_bag(empty);
}

int sl_baggage_continue(const char *header) {
  sl_bag *next = NULL;
  int n = sl_bag_parse(header, &next);
  if (!next) next = calloc(1, sizeof *next); /* none: this request's baggage is empty */
  if (next) replace_bag(next);
  return next ? n : -1;
}

size_t sl_baggage_format(char *buf, size_t size) { return sl_bag_format(current_bag(), buf, size); }

char *sl_baggage_current_header(void) { return sl_bag_format_dup(current_bag()); }
