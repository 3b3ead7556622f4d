/* Replay of a recording (include/spanlog/replay.h): the file is read and checked whole
 * when opened, so a damaged recording fails at once with the line at fault; tool calls
 * of the replayed run are then matched against the recorded ones. Each replay is an object
 * of its own with its own lock: concurrent replays share nothing. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_read.h"
#include "capture/replay.h"
#include "spanlog/fields.h"
#include "spanlog/log.h"
#include "spanlog/replay.h"
#include "spanlog/span.h"

typedef struct rcall {
  char *call_id, *tool; /* call_id NULL when recorded as null */
  const sl_json *args;  /* in the replay's parsed lines */
  char *result_json, *error;
  int used;
} rcall;

struct sl_replay {
  pthread_mutex_t lock;
  char *text; /* the file */
  sl_json **lines;
  size_t nlines;
  char *trace_id, *input, *output;
  rcall *calls;
  size_t ncalls, unused;
  char **stubs; /* stub error messages handed out */
  size_t nstubs;
};

static void say(char *error, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *error, size_t size, const char *fmt, ...) {
  if (!error || !size) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(error, size, fmt, ap);
  va_end(ap);
}

static int is_trace_id(const char *s) {
  if (strlen(s) != 32) return 0;
  for (int i = 0; i < 32; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  return 1;
}

/* A trace id names <dir>/<id>.jsonl; anything else is a path. */
static char *recording_path(const char *id) {
  if (!is_trace_id(id)) return strdup(id);
  char dir[4096];
  double sample;
  sl_replay_settings(dir, sizeof dir, &sample);
  size_t n = strlen(dir) + 1 + 32 + 7 + 1;
  char *path = malloc(n);
  if (path) snprintf(path, n, "%s/%s.jsonl", dir, id);
  return path;
}

static char *read_file(const char *path, size_t *len, char *error, size_t size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    say(error, size, "%s: no such recording (%s)", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *text = malloc(cap);
  while (text) {
    n += fread(text + n, 1, cap - n, f);
    if (n < cap) break;
    char *more = realloc(text, cap *= 2);
    if (!more) free(text);
    text = more;
  }
  int bad = ferror(f);
  fclose(f);
  if (!text || bad) {
    free(text);
    say(error, size, "%s: cannot read the recording", path);
    return NULL;
  }
  *len = n;
  return text;
}

static char *dup_json(const sl_json *v) {
  sl_buf b = {0};
  if (sl_json_write_compact(v, &b) || sl_buf_append(&b, "", 1)) {
    sl_buf_free(&b);
    return NULL;
  }
  return b.data;
}

static char *dup_string(const sl_json *v) { return v && v->type == SL_JSON_STRING ? strdup(v->str) : NULL; }

/* Splits the file into lines and parses each; every line must end with a newline. */
static int parse_lines(sl_replay *r, size_t len, const char *path, char *error, size_t size) {
  if (len == 0) return say(error, size, "%s: empty recording", path), -1;
  if (r->text[len - 1] != '\n')
    return say(error, size, "%s: truncated recording (the last line has no newline)", path), -1;
  size_t count = 0;
  for (size_t i = 0; i < len; i++) count += r->text[i] == '\n';
  if (!(r->lines = calloc(count, sizeof *r->lines))) return say(error, size, "out of memory"), -1;
  const char *p = r->text, *end = r->text + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p)), *why = NULL;
    sl_json *v = sl_json_parse(p, (size_t)(nl - p), &why);
    if (!v || v->type != SL_JSON_OBJECT) {
      sl_json_free(v);
      return say(error, size, "%s:%zu: truncated or damaged recording (%s)", path, r->nlines + 1,
                 why ? why : "not a JSON object"), -1;
    }
    r->lines[r->nlines++] = v;
    p = nl + 1;
  }
  return 0;
}

static int take_header(sl_replay *r, const char *path, char *error, size_t size) {
  const sl_json *h = r->lines[0], *id = sl_json_member(h, "trace_id"), *in = sl_json_member(h, "input");
  const sl_json *out = sl_json_member(h, "output");
  if (!id || id->type != SL_JSON_STRING || !in)
    return say(error, size, "%s:1: not a recording (the first line needs trace_id and input)", path), -1;
  r->trace_id = strdup(id->str);
  r->input = dup_json(in);
  r->output = out ? dup_json(out) : NULL;
  return r->trace_id && r->input && (!out || r->output) ? 0 : (say(error, size, "out of memory"), -1);
}

static int take_call(rcall *c, const sl_json *line) {
  const sl_json *id = sl_json_member(line, "call_id"), *tool = sl_json_member(line, "tool");
  const sl_json *args = sl_json_member(line, "args"), *res = sl_json_member(line, "result");
  const sl_json *err = sl_json_member(line, "error");
  if (!tool || tool->type != SL_JSON_STRING || !args || args->type != SL_JSON_OBJECT || !!res == !!err ||
      (err && err->type != SL_JSON_STRING) || (id && id->type != SL_JSON_STRING && id->type != SL_JSON_NULL))
    return -1;
  c->call_id = dup_string(id);
  c->tool = strdup(tool->str);
  c->args = args;
  c->result_json = res ? dup_json(res) : NULL;
  c->error = dup_string(err);
  return 0;
}

static int take_calls(sl_replay *r, const char *path, char *error, size_t size) {
  if (!(r->calls = calloc(r->nlines, sizeof *r->calls))) return say(error, size, "out of memory"), -1;
  for (size_t i = 1; i < r->nlines; i++)
    if (take_call(&r->calls[r->ncalls++], r->lines[i]))
      return say(error, size, "%s:%zu: not a tool call (needs call_id, tool, args and result or error)", path,
                 i + 1), -1;
  r->unused = r->ncalls;
  return 0;
}

sl_replay *sl_replay_open(const char *trace_id_or_path, char *error, size_t error_size) {
  if (!trace_id_or_path || !*trace_id_or_path) return say(error, error_size, "no trace id or path"), NULL;
  char *path = recording_path(trace_id_or_path);
  sl_replay *r = path ? calloc(1, sizeof *r) : NULL;
  if (!r) {
    free(path);
    return say(error, error_size, "out of memory"), NULL;
  }
  pthread_mutex_init(&r->lock, NULL);
  size_t len = 0;
  int ok = (r->text = read_file(path, &len, error, error_size)) && !parse_lines(r, len, path, error, error_size) &&
           !take_header(r, path, error, error_size) && !take_calls(r, path, error, error_size);
  free(path);
  if (ok) return r;
  sl_replay_close(r);
  return NULL;
}

void sl_replay_close(sl_replay *r) {
  if (!r) return;
  for (size_t i = 0; i < r->ncalls; i++) {
    free(r->calls[i].call_id), free(r->calls[i].tool);
    free(r->calls[i].result_json), free(r->calls[i].error);
  }
  for (size_t i = 0; i < r->nlines; i++) sl_json_free(r->lines[i]);
  for (size_t i = 0; i < r->nstubs; i++) free(r->stubs[i]);
  free(r->stubs), free(r->calls), free(r->lines), free(r->text);
  free(r->trace_id), free(r->input), free(r->output);
  pthread_mutex_destroy(&r->lock);
  free(r);
}

const char *sl_replay_trace_id(const sl_replay *r) { return r ? r->trace_id : NULL; }
const char *sl_replay_input(const sl_replay *r) { return r ? r->input : NULL; }
const char *sl_replay_output(const sl_replay *r) { return r ? r->output : NULL; }
size_t sl_replay_call_count(const sl_replay *r) { return r ? r->ncalls : 0; }

size_t sl_replay_unused_count(const sl_replay *r) {
  if (!r) return 0;
  pthread_mutex_lock((pthread_mutex_t *)&r->lock);
  size_t n = r->unused;
  pthread_mutex_unlock((pthread_mutex_t *)&r->lock);
  return n;
}

/* ---- matching ---- */

static int str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* The recorded "[REDACTED]" stands for whatever the live argument is. */
static int same_args(const rcall *c, const sl_json *args) {
  return args && sl_json_equal(args, c->args, "[REDACTED]");
}

/* The earliest unused call with this id and tool, when its arguments are the same. */
static rcall *by_call_id(sl_replay *r, const char *call_id, const char *tool, const sl_json *args) {
  if (!call_id) return NULL;
  for (size_t i = 0; i < r->ncalls; i++) {
    rcall *c = &r->calls[i];
    if (!c->used && str_eq(c->call_id, call_id) && str_eq(c->tool, tool)) return same_args(c, args) ? c : NULL;
  }
  return NULL;
}

/* The earliest unused call of the same tool with the same arguments. */
static rcall *by_arguments(sl_replay *r, const char *tool, const sl_json *args) {
  for (size_t i = 0; i < r->ncalls; i++) {
    rcall *c = &r->calls[i];
    if (!c->used && str_eq(c->tool, tool) && same_args(c, args)) return c;
  }
  return NULL;
}

/* A stub's message, kept until the replay is closed. */
static const char *stub_error(sl_replay *r, const char *tool) {
  static const char fmt[] = "replay: %s changes state and no recorded call matched; not executed";
  size_t n = strlen(fmt) + (tool ? strlen(tool) : 6);
  char **more = realloc(r->stubs, (r->nstubs + 1) * sizeof *more);
  char *msg = more ? malloc(n) : NULL;
  if (more) r->stubs = more;
  if (!msg) return "replay: state-changing tool not executed";
  snprintf(msg, n, fmt, tool ? tool : "(null)");
  return r->stubs[r->nstubs++] = msg;
}

static sl_replay_outcome resolve(sl_replay *r, const char *call_id, const char *tool, const sl_json *args,
                                 int flags, sl_replay_result *out) {
  rcall *c = by_call_id(r, call_id, tool, args);
  out->match = "call_id";
  if (!c) c = by_arguments(r, tool, args), out->match = "arguments";
  if (c) {
    c->used = 1;
    r->unused--;
    *out = (sl_replay_result){1, out->match, c->call_id, c->result_json, c->error};
    return SL_REPLAY_RECORDED;
  }
  *out = (sl_replay_result){0, "none", NULL, NULL, NULL};
  if (!(flags & SL_TOOL_STATE_CHANGING)) return SL_REPLAY_EXECUTE;
  out->error = stub_error(r, tool);
  return SL_REPLAY_STUBBED;
}

sl_replay_outcome sl_replay_tool(sl_replay *r, sl_span *tool_span, const char *call_id, const char *tool,
                                 const char *args_json, int flags, sl_replay_result *out) {
  sl_replay_result ignored;
  if (!out) out = &ignored;
  const char *text = args_json ? args_json : "{}";
  sl_json *args = sl_json_parse(text, strlen(text), NULL);
  sl_replay_outcome rc;
  if (r) {
    pthread_mutex_lock(&r->lock);
    rc = resolve(r, call_id, tool, args, flags, out);
    pthread_mutex_unlock(&r->lock);
  } else {
    *out = (sl_replay_result){0, "none", NULL, NULL, NULL};
    rc = flags & SL_TOOL_STATE_CHANGING ? SL_REPLAY_STUBBED : SL_REPLAY_EXECUTE;
    if (rc == SL_REPLAY_STUBBED) out->error = "replay: no recording; state-changing tool not executed";
  }
  sl_json_free(args);
  sl_span_set(tool_span, "replay.matched", SL_BOOL(out->matched), "replay.match", out->match);
  return rc;
}
