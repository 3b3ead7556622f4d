/* Levels, named loggers and the log calls. */
#ifndef SPANLOG_LOG_H
#define SPANLOG_LOG_H

#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sl_level {
  SL_LEVEL_DEBUG = 10,
  SL_LEVEL_INFO = 20,
  SL_LEVEL_WARNING = 30,
  SL_LEVEL_ERROR = 40,
  SL_LEVEL_CRITICAL = 50,
  SL_LEVEL_OFF = 100 /* as a threshold: nothing passes */
} sl_level;

/* A named logger; lives until the process ends (never freed). */
typedef struct sl_logger sl_logger;

/* Returns the logger of that name, creating it on first use. The name is copied.
   Its level comes from SPANLOG_LEVEL (the longest matching dotted prefix), until set. */
SL_API sl_logger *sl_logger_get(const char *name);
SL_API const char *sl_logger_name(const sl_logger *lg);
/* Sets one logger's threshold; SPANLOG_LEVEL no longer applies to it. */
SL_API void sl_logger_set_level(sl_logger *lg, sl_level level);
SL_API sl_level sl_logger_level(const sl_logger *lg);
/* True if a record of that level from this logger would be kept. */
SL_API int sl_logger_enabled(const sl_logger *lg, sl_level level);

/* Replaces the level configuration, in the grammar of SPANLOG_LEVEL:
   "info", "warning,agent.tools=debug", "agent=error". Returns 0, or -1 if the
   text does not parse (the configuration is then unchanged). */
SL_API int sl_set_levels(const char *spec);

/* Level names: "debug" ... "critical"; sl_level_parse returns -1 on unknown text. */
SL_API const char *sl_level_name(sl_level level);
SL_API int sl_level_parse(const char *text);

/* ---- internals of the macros below ---- */

/* One per log statement (static storage): caches whether its level is enabled, so
   that a disabled call costs one load and one compare. */
/* Where a log statement is, for records that show it (sl_set_callsite). */
typedef struct sl__location {
  const char *file;
  const char *func;
  int line;
} sl__location;

typedef struct sl__callsite {
  signed char interest; /* read with __atomic builtins: 0 unknown, 1 on, -1 off */
  unsigned char level;
  unsigned char registered;
  const char *logger_name;
  sl_logger *logger;
  struct sl__callsite *next;
  const sl__location *loc;
} sl__callsite;

/* Adds code.file.path, code.line.number and code.function.name (OpenTelemetry's names)
   to every record (also SPANLOG_CALLSITE=1). The location is captured at compile time
   either way: when off it costs nothing but a pointer in the queue. */
SL_API void sl_set_callsite(int on);

SL_API int sl__callsite_register(sl__callsite *cs);
SL_API void sl__emit(sl__callsite *cs, sl__text event, const sl_arg *args, int nargs);
SL_API void sl__emit_signal_safe(sl__callsite *cs, sl__text event, const sl_arg *args, int nargs);

static inline int sl__callsite_enabled(sl__callsite *cs) {
  signed char interest = __atomic_load_n(&cs->interest, __ATOMIC_ACQUIRE);
  return interest > 0 || (interest == 0 && sl__callsite_register(cs));
}

/* ---- Bound loggers ----
 * A bound logger is a value: a named logger plus key/value pairs, encoded once when the
 * value is made and added to every record logged through it (structlog's
 * `log = log.bind(request_id=...)`, zap's `logger.With(...)`). Pass it down a call chain,
 * derive from it to add pairs, share it between threads: it never changes once made.
 *
 *   sl_bound *log = sl_logger_with(sl_logger_get("agent"), "request_id", rid);
 *   sl_bound *tool_log = sl_bound_with(log, "tool", name);   // request_id and tool
 *   sl_bound_info(tool_log, "tool.start", "attempt", 1);
 *   sl_bound_free(tool_log);
 *   sl_bound_free(log);
 *
 * A record through it has the fields of the call, then those of the bound logger, then
 * those of the current context (log_bind, SL_SCOPE); a key appears once, the first of
 * those three to hold it winning (the call over the bound logger over the context). Its
 * level and logger name are those of the bound logger's sl_logger. */
typedef struct sl_bound sl_bound;

/* Every sl_bound returned by sl_logger_with, sl_bound_with or log_with is the caller's, to
   free with sl_bound_free once no thread uses it any more; it holds no reference to its
   parent (free them in any order), and records made through it carry a copy of its pairs
   (freeing it while they are still queued is safe). */
SL_API void sl_bound_free(sl_bound *b);
/* The named logger whose level and name its records take (NULL for NULL). */
SL_API sl_logger *sl_bound_logger(const sl_bound *b);

/* ---- internals of the bound-logger macros ---- */

/* How a bound logger begins: what the macros read for the level check. */
typedef struct sl__bound_head {
  sl_logger *logger;
  const int *level; /* the logger's threshold, read with __atomic builtins */
} sl__bound_head;

/* lg NULL: the default logger ("app"). Returns NULL without memory (reported once); a NULL
   bound logger lets nothing pass, as a NULL sl_logger does. */
SL_API sl_bound *sl__bound_new(sl_logger *lg, const sl_arg *args, int nargs);
SL_API sl_bound *sl__bound_derive(const sl_bound *parent, const sl_arg *args, int nargs);
SL_API void sl__emit_bound(sl__callsite *cs, const sl_bound *b, sl__text event, const sl_arg *args, int nargs);

static inline int sl__bound_enabled(const sl_bound *b, sl_level level) {
  const sl__bound_head *h = (const sl__bound_head *)(const void *)b;
  return h && (int)level >= __atomic_load_n(h->level, __ATOMIC_RELAXED);
}

#ifdef __cplusplus
} /* extern "C" */
#define SL__EVENT(e) static_cast<const char *>(e)
#else
#define SL__EVENT(e) _Generic((e), char *: (e), const char *: (e))
#endif

#ifndef SPANLOG_LOGGER
#define SPANLOG_LOGGER "app"
#endif

#define SL__EMIT_CALL(cs, event, args, nargs)                                             \
  sl__emit(cs, sl__literal_text(SL__EVENT(event), __builtin_constant_p(event)), args, nargs)
#define SL__EMIT(cs, ...) SL__CAT(SL__WITH_ARGS_, SL__NARG(__VA_ARGS__))(SL__EMIT_CALL, cs, __VA_ARGS__)

/* A log statement at a fixed level from the translation unit's logger. The static
   callsite keeps the level check to a load and a compare; arguments are evaluated
   only when the record is kept. */
#define SL__LOG(lvl, ...)                                                                 \
  do {                                                                                    \
    static const sl__location sl__loc = {__FILE__, __func__, __LINE__};                   \
    static sl__callsite sl__cs = {0, (unsigned char)(lvl), 0, SPANLOG_LOGGER, 0, 0, &sl__loc}; \
    if (sl__callsite_enabled(&sl__cs)) SL__EMIT(&sl__cs, __VA_ARGS__)                     \
  } while (0)

/* sl_log(logger, level, event, key, value, ...): through an explicit logger. */
#define sl_log(lg, lvl, ...)                                                              \
  do {                                                                                    \
    sl_logger *sl__lg = (lg);                                                             \
    sl_level sl__lvl = (lvl);                                                             \
    if (sl_logger_enabled(sl__lg, sl__lvl)) {                                             \
      static const sl__location sl__loc = {__FILE__, __func__, __LINE__};                 \
      sl__callsite sl__cs = {1, (unsigned char)sl__lvl, 1, 0, sl__lg, 0, &sl__loc};        \
      SL__EMIT(&sl__cs, __VA_ARGS__)                                                      \
    }                                                                                     \
  } while (0)

#define SL__EMIT_SIGNAL_SAFE_CALL(cs, event, args, nargs)                                 \
  sl__emit_signal_safe(cs, sl__literal_text(SL__EVENT(event), __builtin_constant_p(event)), args, nargs)

/* sl_log_signal_safe(level, event, key, value, ...): the one logging call that is
   async-signal-safe. It takes no lock, allocates nothing and never waits: the record goes
   into the calling thread's queue if the thread has logged before and the queue has room
   now; otherwise it is dropped and counted (spanlog.dropped). Its level is checked once
   the statement's logger is known (after an ordinary call registered it); until then it
   is kept and shows the default logger. */
#define sl_log_signal_safe(lvl, ...)                                                      \
  do {                                                                                    \
    static const sl__location sl__loc = {__FILE__, __func__, __LINE__};                   \
    static sl__callsite sl__cs = {0, (unsigned char)(lvl), 0, SPANLOG_LOGGER, 0, 0, &sl__loc}; \
    SL__CAT(SL__WITH_ARGS_, SL__NARG(__VA_ARGS__))(SL__EMIT_SIGNAL_SAFE_CALL, &sl__cs, __VA_ARGS__) \
  } while (0)

#define SL__BOUND_ARGS(...)                                                               \
  SL__ARGV(SL__NARG(__VA_ARGS__) / 2, SL__CAT(SL__PAIRS_, SL__NARG(__VA_ARGS__))(__VA_ARGS__)), \
      SL__NARG(__VA_ARGS__) / 2

/* sl_logger_with(logger, key, value, ...): a new bound logger on a named logger (NULL:
   the default one) with those pairs; a key given twice takes its last value. */
#define sl_logger_with(lg, ...) sl__bound_new((lg), SL__BOUND_ARGS(__VA_ARGS__))
/* sl_bound_with(parent, key, value, ...): a new bound logger with the parent's logger and
   pairs plus these; a key the parent has keeps its place and takes the new value. */
#define sl_bound_with(parent, ...) sl__bound_derive((parent), SL__BOUND_ARGS(__VA_ARGS__))
/* sl_log_with(key, value, ...) (short: log_with): a new bound logger on the translation
   unit's logger (SPANLOG_LOGGER). */
#define sl_log_with(...) sl__bound_new(sl_logger_get(SPANLOG_LOGGER), SL__BOUND_ARGS(__VA_ARGS__))

/* The bound logger is read through sl__b, a name the macros below give it. */
#define SL__EMIT_BOUND_CALL(cs, event, args, nargs)                                       \
  sl__emit_bound(cs, sl__b, sl__literal_text(SL__EVENT(event), __builtin_constant_p(event)), args, nargs)

/* A log statement at a fixed level through a bound logger: its argument b is evaluated
   once, the others only when the record is kept. */
#define SL__BLOG(lvl, b, ...)                                                             \
  do {                                                                                    \
    const sl_bound *sl__b = (b);                                                          \
    if (sl__bound_enabled(sl__b, lvl)) {                                                  \
      static const sl__location sl__loc = {__FILE__, __func__, __LINE__};                 \
      static sl__callsite sl__cs = {1, (unsigned char)(lvl), 1, 0, 0, 0, &sl__loc};        \
      SL__CAT(SL__WITH_ARGS_, SL__NARG(__VA_ARGS__))(SL__EMIT_BOUND_CALL, &sl__cs, __VA_ARGS__) \
    }                                                                                     \
  } while (0)

/* sl_bound_event(b, event, key, value, ...) and the levels: a record through b. */
#define sl_bound_event(b, ...) SL__BLOG(SL_LEVEL_INFO, b, __VA_ARGS__)
#define sl_bound_debug(b, ...) SL__BLOG(SL_LEVEL_DEBUG, b, __VA_ARGS__)
#define sl_bound_info(b, ...) SL__BLOG(SL_LEVEL_INFO, b, __VA_ARGS__)
#define sl_bound_warning(b, ...) SL__BLOG(SL_LEVEL_WARNING, b, __VA_ARGS__)
#define sl_bound_error(b, ...) SL__BLOG(SL_LEVEL_ERROR, b, __VA_ARGS__)
#define sl_bound_critical(b, ...) SL__BLOG(SL_LEVEL_CRITICAL, b, __VA_ARGS__)
/* sl_bound_log(b, level, event, key, value, ...): at a level known at run time. */
#define sl_bound_log(b, lvl, ...)                                                         \
  do {                                                                                    \
    const sl_bound *sl__b = (b);                                                          \
    sl_level sl__lvl = (lvl);                                                             \
    if (sl__bound_enabled(sl__b, sl__lvl)) {                                              \
      static const sl__location sl__loc = {__FILE__, __func__, __LINE__};                 \
      sl__callsite sl__cs = {1, (unsigned char)sl__lvl, 1, 0, 0, 0, &sl__loc};             \
      SL__CAT(SL__WITH_ARGS_, SL__NARG(__VA_ARGS__))(SL__EMIT_BOUND_CALL, &sl__cs, __VA_ARGS__) \
    }                                                                                     \
  } while (0)

#ifndef SPANLOG_NO_SHORT_NAMES
#define log_with(...) sl_log_with(__VA_ARGS__)
#endif

#define sl_log_event(...) SL__LOG(SL_LEVEL_INFO, __VA_ARGS__)
#define sl_log_debug(...) SL__LOG(SL_LEVEL_DEBUG, __VA_ARGS__)
#define sl_log_info(...) SL__LOG(SL_LEVEL_INFO, __VA_ARGS__)
#define sl_log_warning(...) SL__LOG(SL_LEVEL_WARNING, __VA_ARGS__)
#define sl_log_error(...) SL__LOG(SL_LEVEL_ERROR, __VA_ARGS__)
#define sl_log_critical(...) SL__LOG(SL_LEVEL_CRITICAL, __VA_ARGS__)

#endif
