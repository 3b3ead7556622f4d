/* Tool I/O recording, the caller's side: a request's input, its tool calls and its output
 * become REPLAY records in the calling thread's queue, like a log call's record. The
 * backend redacts and processes them and hands them to the replay recorder
 * (exporters/replay_recorder.c), which writes a trace's recording when its request span
 * ends. Nothing here allocates, formats or takes a lock.
 *
 * A JSON object (arguments, input, result, output) travels as one field per top-level
 * member, "args.<member>", after a field "args" holding {}: so that the redaction key
 * rules (`api_key`, `token`, ...) see each argument by its name. Other values, and
 * objects with more members (or longer keys) than fit, travel as one field. */
#include "capture/replay.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/common.h"
#include "base/json_read.h"
#include "capture/capture.h"
#include "capture/context.h"
#include "capture/propagation.h"
#include "record/record.h"
#include "spanlog/replay.h"

/* ---- settings ---- */

static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static char *dir_env, *dir_set;
static double sample_env = 1, sample_set = -1; /* -1: not set from code */
static sl_once settings_once = SL_ONCE_INIT;

static void settings_from_env(void) {
  const char *dir = getenv("SPANLOG_REPLAY_DIR");
  if (dir && *dir) dir_env = strdup(dir);
  const char *v = getenv("SPANLOG_REPLAY_SAMPLE");
  if (!v || !*v) return;
  char *end;
  double d = strtod(v, &end);
  if (*end == 0 && d >= 0 && d <= 1) sample_env = d;
  else sl_diag("spanlog: ignoring SPANLOG_REPLAY_SAMPLE=%s (expected a share from 0 to 1)", v);
}

void sl_replay_settings(char *dir, size_t dir_size, double *sample) {
  sl_call_once(&settings_once, settings_from_env);
  pthread_mutex_lock(&settings_lock);
  const char *d = dir_set ? dir_set : dir_env ? dir_env : "runs/replay";
  size_t n = strlen(d) < dir_size ? strlen(d) : dir_size - 1;
  memcpy(dir, d, n);
  dir[n] = 0;
  *sample = sample_set >= 0 ? sample_set : sample_env;
  pthread_mutex_unlock(&settings_lock);
}

void sl_replay_set_dir(const char *dir) {
  sl_call_once(&settings_once, settings_from_env);
  char *copy = dir ? strdup(dir) : NULL;
  pthread_mutex_lock(&settings_lock);
  free(dir_set);
  dir_set = copy;
  pthread_mutex_unlock(&settings_lock);
}

void sl_replay_set_sample(double share) {
  sl_call_once(&settings_once, settings_from_env);
  pthread_mutex_lock(&settings_lock);
  sample_set = isnan(share) || share < 0 ? 0 : share > 1 ? 1 : share;
  pthread_mutex_unlock(&settings_lock);
}

/* ---- the record ---- */

#define MAX_MEMBERS 32 /* per object split into fields */
#define MAX_PARTS (4 + 2 * (MAX_MEMBERS + 1))
#define KEY_BYTES 1024 /* decoded keys that had escapes */

typedef struct part {
  const char *prefix, *key; /* the field's key: prefix, then "." and key if key */
  size_t prefix_len, key_len;
  int type; /* SL__T_STRN or SL__T_RAW */
  const char *val;
  size_t val_len;
} part;

typedef struct item {
  uint8_t trace_id[16], span_id[8];
  uint32_t what;
  size_t n, keys_used;
  part parts[MAX_PARTS];
  char keys[KEY_BYTES];
} item;

static void add_part(item *it, const char *prefix, const char *key, size_t key_len, int type, const char *val,
                     size_t val_len) {
  it->parts[it->n++] = (part){prefix, key, strlen(prefix), key_len, type, val, val_len};
}

static void add_string(item *it, const char *key, const char *s) {
  if (s) add_part(it, key, NULL, 0, SL__T_STRN, s, strlen(s));
  else add_part(it, key, NULL, 0, SL__T_RAW, "null", 4);
}

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* A member's key (p at its opening quote, q after its closing one), decoded into the
   item's key space if it has escapes. NULL when that space is full. */
static const char *member_key(item *it, const char *p, const char *q, size_t *len) {
  size_t n = (size_t)(q - p) - 2;
  if (!memchr(p + 1, '\\', n)) return *len = n, p + 1;
  if (KEY_BYTES - it->keys_used < n) return NULL;
  char *k = it->keys + it->keys_used;
  *len = sl_json_unescape(p + 1, n, k);
  it->keys_used += *len;
  return k;
}

/* The members of the object at [p, end) (already checked) as fields "prefix.key"; 0, or
   -1 if they do not fit (the parts added are then taken back). */
static int split_members(item *it, const char *prefix, const char *p, const char *end) {
  size_t first = it->n, keys = it->keys_used;
  p = skip_ws(p + 1, end);
  while (p < end && *p == '"') {
    const char *q = sl_json_skip(p, end), *v, *w;
    size_t key_len;
    const char *key = member_key(it, p, q, &key_len);
    v = skip_ws(skip_ws(q, end) + 1, end); /* past ':' */
    w = sl_json_skip(v, end);
    if (!key || it->n - first >= MAX_MEMBERS) return it->n = first, it->keys_used = keys, -1;
    add_part(it, prefix, key, key_len, SL__T_RAW, v, (size_t)(w - v));
    p = skip_ws(w, end);
    if (p < end && *p == ',') p = skip_ws(p + 1, end);
  }
  return 0;
}

/* A JSON value (NULL: fallback) as fields under prefix; -1 if it is not JSON, or not an
   object when one is required. */
static int add_json(item *it, const char *prefix, const char *json, const char *fallback, int need_object) {
  if (!json) json = fallback;
  const char *end = json + strlen(json), *p = skip_ws(json, end);
  const char *q = sl_json_skip(p, end);
  if (!q || skip_ws(q, end) != end || (need_object && *p != '{')) return -1;
  /* the marker first, {} when the members follow, so the recorder can tell a split
     object from a whole value */
  part *marker = &it->parts[it->n];
  add_part(it, prefix, NULL, 0, SL__T_RAW, p, (size_t)(q - p));
  if (*p == '{' && split_members(it, prefix, p, q) == 0) marker->val = "{}", marker->val_len = 2;
  return 0;
}

static size_t part_size(const part *p) { return 1 + 4 + p->prefix_len + (p->key ? 1 + p->key_len : 0) + 4 + p->val_len; }

static void fill(unsigned char *o, const void *arg) {
  const item *it = arg;
  memcpy(o, it->trace_id, 16);
  memcpy(o + 16, it->span_id, 8);
  o = rec_put_u32(o + 24, it->what);
  o = rec_put_u32(o, (uint32_t)it->n);
  for (size_t i = 0; i < it->n; i++) {
    const part *p = &it->parts[i];
    *o++ = (unsigned char)p->type;
    o = rec_put_u32(o, (uint32_t)(p->prefix_len + (p->key ? 1 + p->key_len : 0)));
    memcpy(o, p->prefix, p->prefix_len), o += p->prefix_len;
    if (p->key) {
      *o++ = '.';
      memcpy(o, p->key, p->key_len), o += p->key_len;
    }
    o = rec_put_u32(o, (uint32_t)p->val_len);
    memcpy(o, p->val, p->val_len), o += p->val_len;
  }
}

/* The current span's ids, if it is ours and sampled: a trace whose spans are not written
   never closes its recording (its request span's end never reaches the recorder). */
static int current_ids(item *it) {
  const sl_span_slot *s = &sl_context_current()->span;
  if (!s->valid || s->remote || !(s->trace_flags & SL_TRACE_FLAG_SAMPLED)) return -1;
  memcpy(it->trace_id, s->trace_id, 16);
  memcpy(it->span_id, s->span_id, 8);
  return 0;
}

static int queue(item *it) {
  size_t payload = REC_REPLAY_HEAD;
  for (size_t i = 0; i < it->n; i++) payload += part_size(&it->parts[i]);
  if (payload > REC_MAX_STRING) return -1;
  return sl_capture_record(REC_REPLAY, sl_record_ns(), payload, fill, it);
}

/* The input or the output: one JSON value under `name`. */
static int record_value(uint32_t what, const char *name, const char *json) {
  item it;
  it.n = it.keys_used = 0;
  it.what = what;
  if (!json || current_ids(&it)) return -1;
  if (add_json(&it, name, json, NULL, 0)) return -1;
  return queue(&it);
}

int sl_replay_record_input(const char *input_json) { return record_value(REC_REPLAY_INPUT, "input", input_json); }

int sl_replay_record_output(const char *output_json) {
  return record_value(REC_REPLAY_OUTPUT, "output", output_json);
}

int sl_replay_record_call(const char *call_id, const char *tool, const char *args_json, const char *result_json,
                          const char *error) {
  item it;
  it.n = it.keys_used = 0;
  it.what = REC_REPLAY_CALL;
  if (current_ids(&it)) return -1;
  add_string(&it, "call_id", call_id);
  add_string(&it, "tool", tool);
  if (add_json(&it, "args", args_json, "{}", 1)) return -1;
  if (error) add_string(&it, "error", error);
  else if (add_json(&it, "result", result_json, "null", 0)) return -1;
  return queue(&it);
}
