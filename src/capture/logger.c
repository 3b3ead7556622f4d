#include "capture/logger.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/levels.h"
#include "base/parse.h"
#include "base/common.h"

/* One "name=level" item of a level specification; name NULL for the default. */
typedef struct level_rule {
  char *name;
  size_t name_len;
  int level;
} level_rule;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sl_logger *loggers;
static sl__callsite *callsites;
static level_rule *rules;
static size_t nrules;
static int default_level = SL_LEVEL_INFO;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* The level SPANLOG_LEVEL gives a logger: the rule of the longest dotted prefix of its
   name ("agent" covers "agent" and "agent.tools"), else the default. */
static int level_for(const char *name, size_t len) {
  int level = default_level;
  size_t best = 0;
  for (size_t i = 0; i < nrules; i++) {
    size_t n = rules[i].name_len;
    if (n > len || n < best || memcmp(rules[i].name, name, n) != 0) continue;
    if (n < len && name[n] != '.') continue;
    best = n, level = rules[i].level;
  }
  return level;
}

/* Renews every logger's level and every callsite's cached answer. Lock held. */
static void relevel(void) {
  for (sl_logger *lg = loggers; lg; lg = lg->next)
    if (!lg->level_is_explicit) atomic_store(&lg->level, level_for(lg->name, lg->head.name_len));
  for (sl__callsite *cs = callsites; cs; cs = cs->next) {
    int on = cs->level >= atomic_load(&cs->logger->level);
    __atomic_store_n(&cs->interest, (signed char)(on ? 1 : -1), __ATOMIC_RELEASE);
  }
}

static const char *skip_space(const char *p, const char *end) {
  while (p < end && isspace((unsigned char)*p)) p++;
  return p;
}

static const char *trim_end(const char *start, const char *end) {
  while (end > start && isspace((unsigned char)end[-1])) end--;
  return end;
}

static void free_rules(level_rule *rs, size_t n) {
  for (size_t i = 0; i < n; i++) free(rs[i].name);
  free(rs);
}

/* Parses one item, "level" or "name=level", into *rule (name NULL for a bare level). */
static int parse_item(const char *p, const char *end, level_rule *rule) {
  p = skip_space(p, end);
  end = trim_end(p, end);
  const char *eq = memchr(p, '=', (size_t)(end - p));
  const char *lv = eq ? skip_space(eq + 1, end) : p;
  rule->level = sl_level_from_name(lv, (size_t)(end - lv));
  rule->name = NULL;
  if (rule->level < 0) return -1;
  if (!eq) return 0;
  const char *name_end = trim_end(p, eq);
  if (name_end == p) return -1;
  rule->name_len = (size_t)(name_end - p);
  rule->name = malloc(rule->name_len + 1);
  if (!rule->name) return -1;
  memcpy(rule->name, p, rule->name_len);
  rule->name[rule->name_len] = 0;
  return 0;
}

int sl_set_levels(const char *spec) {
  if (!spec) return -1;
  size_t cap = 1;
  for (const char *c = spec; *c; c++) cap += *c == ',';
  level_rule *rs = calloc(cap, sizeof *rs);
  if (!rs) return -1;
  size_t n = 0;
  int dflt = SL_LEVEL_INFO;
  for (const char *p = spec;;) {
    const char *comma = strchr(p, ',');
    const char *end = comma ? comma : p + strlen(p);
    if (skip_space(p, end) != end) {
      level_rule r;
      if (parse_item(p, end, &r)) return free_rules(rs, n), -1;
      if (r.name) rs[n++] = r;
      else dflt = r.level;
    }
    if (!comma) break;
    p = comma + 1;
  }
  pthread_mutex_lock(&lock);
  free_rules(rules, nrules);
  rules = rs, nrules = n, default_level = dflt;
  relevel();
  pthread_mutex_unlock(&lock);
  return 0;
}

void sl_logger_fork_prepare(void) { pthread_mutex_lock(&lock); }
void sl_logger_fork_parent(void) { pthread_mutex_unlock(&lock); }
void sl_logger_fork_child(void) { pthread_mutex_init(&lock, NULL); }

static void init_fn(void) {
  const char *spec = getenv("SPANLOG_LEVEL");
  if (spec && *spec && sl_set_levels(spec))
    sl_diag("spanlog: ignoring SPANLOG_LEVEL=%s (expected e.g. \"info\" or \"warning,agent.tools=debug\")", spec);
}

void sl_logger_init(void) { pthread_once(&init_once, init_fn); }

static sl_logger *logger_get_locked(const char *name) {
  size_t len = strlen(name);
  for (sl_logger *lg = loggers; lg; lg = lg->next)
    if (lg->head.name_len == len && memcmp(lg->name, name, len) == 0) return lg;
  sl_logger *lg = malloc(sizeof *lg + len + 1);
  if (!lg) return NULL;
  memcpy(lg->name, name, len + 1);
  lg->head.name = lg->name;
  lg->head.name_len = len;
  lg->level_is_explicit = 0;
  atomic_init(&lg->level, level_for(name, len));
  lg->next = loggers;
  loggers = lg;
  return lg;
}

sl_logger *sl_logger_get(const char *name) {
  sl_logger_init();
  pthread_mutex_lock(&lock);
  sl_logger *lg = logger_get_locked(name ? name : "");
  pthread_mutex_unlock(&lock);
  return lg;
}

const char *sl_logger_name(const sl_logger *lg) { return lg ? lg->name : NULL; }

void sl_logger_set_level(sl_logger *lg, sl_level level) {
  if (!lg) return;
  pthread_mutex_lock(&lock);
  lg->level_is_explicit = 1;
  atomic_store(&lg->level, (int)level);
  relevel();
  pthread_mutex_unlock(&lock);
}

/* NULL (sl_logger_get out of memory) is a logger that lets nothing pass, as
   sl_logger_enabled and sl_log treat it. */
sl_level sl_logger_level(const sl_logger *lg) { return lg ? (sl_level)atomic_load(&lg->level) : SL_LEVEL_OFF; }

int sl_logger_enabled(const sl_logger *lg, sl_level level) {
  return lg && (int)level >= atomic_load_explicit(&lg->level, memory_order_relaxed);
}

/* First call of a log statement: resolve its logger, remember it for later level
   changes, and cache whether it is enabled. */
int sl__callsite_register(sl__callsite *cs) {
  sl_logger_init();
  pthread_mutex_lock(&lock);
  if (!cs->logger) cs->logger = logger_get_locked(cs->logger_name ? cs->logger_name : "app");
  int on;
  if (cs->logger) {
    if (!cs->registered) cs->next = callsites, callsites = cs, cs->registered = 1;
    on = cs->level >= atomic_load(&cs->logger->level);
    __atomic_store_n(&cs->interest, (signed char)(on ? 1 : -1), __ATOMIC_RELEASE);
  } else {
    /* No memory for the logger: the statement is judged by the level its name would get,
       and asked again next time; its records show the default logger meanwhile. */
    const char *name = cs->logger_name ? cs->logger_name : "app";
    on = cs->level >= level_for(name, strlen(name));
  }
  pthread_mutex_unlock(&lock);
  return on;
}

/* ---- bound loggers ---- */

static void report_bound_oom(void) {
  static _Atomic int reported;
  if (!atomic_exchange(&reported, 1)) sl_diag("spanlog: out of memory for a bound logger; its records are lost");
}

/* A bound logger on lg whose pairs are base's with args bound over them. */
static sl_bound *bound_make(sl_logger *lg, const sl_frame *base, const sl_arg *args, int nargs) {
  sl_bound *b = malloc(sizeof *b);
  if (!b || sl_frame_bind(&b->fields, base, args, nargs < 0 ? 0 : nargs)) {
    free(b);
    report_bound_oom();
    return NULL;
  }
  b->head.logger = lg;
  b->head.level = (const int *)&lg->level;
  return b;
}

sl_bound *sl__bound_new(sl_logger *lg, const sl_arg *args, int nargs) {
  if (!lg && !(lg = sl_logger_get("app"))) return report_bound_oom(), NULL;
  return bound_make(lg, NULL, args, nargs);
}

sl_bound *sl__bound_derive(const sl_bound *parent, const sl_arg *args, int nargs) {
  if (!parent) return NULL; /* a NULL parent (out of memory) makes a NULL child: nothing passes */
  return bound_make(parent->head.logger, parent->fields, args, nargs);
}

void sl_bound_free(sl_bound *b) {
  if (!b) return;
  sl_frame_release(b->fields);
  free(b);
}

sl_logger *sl_bound_logger(const sl_bound *b) { return b ? b->head.logger : NULL; }
