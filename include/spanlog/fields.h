/* Typed key/value arguments of log calls, binds and spans.
 *
 * A value's type is taken at compile time: C11 _Generic in C, overloads in C++.
 * Integers of every width, float/double, strings (char * and const char *; NULL
 * renders as null), and three wrappers: SL_BOOL(x), SL_STRN(ptr, len) for counted
 * bytes (may hold NUL and any other byte), SL_RAW_JSON(text) for pre-rendered JSON.
 * Arrays (for span attributes such as gen_ai.response.finish_reasons, and in log
 * records too): SL_STRS(ptr, n), SL_INTS(ptr, n) (int64_t), SL_DOUBLES(ptr, n),
 * SL_BOOLS(ptr, n) (bool). Any other type, and a key that is not a string, stops the build. */
#ifndef SPANLOG_FIELDS_H
#define SPANLOG_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Value type tags; the values are part of the queue's wire format. */
enum {
  SL__T_NULL = 0,
  SL__T_I64 = 1,
  SL__T_U64 = 2,
  SL__T_F64 = 3,
  SL__T_STR = 4, /* NUL-terminated; NULL pointer renders as null */
  SL__T_STRN = 5,
  SL__T_BOOL = 6,
  SL__T_RAW = 7,
  SL__T_STRS = 8, /* arrays: len is the element count */
  SL__T_INTS = 9,
  SL__T_DOUBLES = 10,
  SL__T_BOOLS = 11,
  SL__T_JANSSON = 12 /* a jansson json_t *, rendered as JSON when the value is captured */
};

/* The key is a string literal (static storage, never changes): a record may refer to it
   instead of copying it. Set by the macros, which can tell (__builtin_constant_p). */
enum { SL__KEY_LITERAL = 1 };

/* One key/value argument as the macros build it on the caller's stack. A log record
   queues the members up to len as they are: keep them first. */
typedef struct sl_arg {
  const char *key;
  uint32_t key_len; /* bytes: measured where the call is made, a constant for a literal */
  uint16_t type;    /* SL__T_* */
  uint16_t flags;   /* SL__KEY_LITERAL */
  union {
    long long i;
    unsigned long long u;
    double d;
    const char *s;
    const void *p; /* arrays */
    int b;
  } v;
  size_t len; /* strings and raw JSON: bytes (measured like key_len); arrays: elements */
} sl_arg;

/* Wrapper types, so that _Generic and overloads can tell them apart. */
typedef struct sl_strn {
  const char *ptr;
  size_t len;
} sl_strn;
typedef struct sl_bool {
  int value;
} sl_bool;
typedef struct sl_raw_json {
  const char *text;
} sl_raw_json;
typedef struct sl_strs {
  const char *const *ptr;
  size_t n;
} sl_strs;
typedef struct sl_ints {
  const int64_t *ptr;
  size_t n;
} sl_ints;
typedef struct sl_doubles {
  const double *ptr;
  size_t n;
} sl_doubles;
typedef struct sl_bools {
  const bool *ptr;
  size_t n;
} sl_bools;

#ifdef __cplusplus
#define SL__LITERAL(type) type
#else
#define SL__LITERAL(type) (type)
#endif

#define SL_STRN(ptr, len) (SL__LITERAL(sl_strn){(ptr), (size_t)(len)})
#define SL_BOOL(x) (SL__LITERAL(sl_bool){(x) ? 1 : 0})
#define SL_RAW_JSON(text) (SL__LITERAL(sl_raw_json){(text)})
#define SL_STRS(ptr, n) (SL__LITERAL(sl_strs){(ptr), (size_t)(n)})
#define SL_INTS(ptr, n) (SL__LITERAL(sl_ints){(ptr), (size_t)(n)})
#define SL_DOUBLES(ptr, n) (SL__LITERAL(sl_doubles){(ptr), (size_t)(n)})
#define SL_BOOLS(ptr, n) (SL__LITERAL(sl_bools){(ptr), (size_t)(n)})

/* Bytes of a key or string, capped at the queue's 2^30 (a NULL string has none). Inline,
   so that the compiler counts a literal's bytes at compile time. */
static inline uint32_t sl__len(const char *s) {
  size_t n = s ? __builtin_strlen(s) : 0;
  return n < ((size_t)1 << 30) ? (uint32_t)n : (uint32_t)1 << 30;
}

/* An event or span name with its length, measured where the call is made (a constant for a
   literal); len is UINT32_MAX for a NULL name. literal: as SL__KEY_LITERAL for keys. */
typedef struct sl__text {
  const char *ptr;
  uint32_t len;
  uint32_t literal;
} sl__text;
static inline sl__text sl__literal_text(const char *s, int literal) {
  sl__text t = {s, s ? sl__len(s) : UINT32_MAX, (uint32_t)(literal != 0)};
  return t;
}
static inline sl__text sl__text_of(const char *s) { return sl__literal_text(s, 0); }

/* a, marked as having a literal key or not */
static inline sl_arg sl__key_literal(sl_arg a, int literal) {
  a.flags = (uint16_t)(literal ? SL__KEY_LITERAL : 0);
  return a;
}

static inline sl_arg sl__a_i64(const char *k, long long v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = SL__T_I64, a.len = 0, a.v.i = v;
  return a;
}
static inline sl_arg sl__a_u64(const char *k, unsigned long long v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = SL__T_U64, a.len = 0, a.v.u = v;
  return a;
}
static inline sl_arg sl__a_f64(const char *k, double v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = SL__T_F64, a.len = 0, a.v.d = v;
  return a;
}
static inline sl_arg sl__a_ldbl(const char *k, long double v) { return sl__a_f64(k, (double)v); }
static inline sl_arg sl__a_str(const char *k, const char *v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = v ? SL__T_STR : SL__T_NULL, a.len = sl__len(v), a.v.s = v;
  return a;
}
static inline sl_arg sl__a_strn(const char *k, sl_strn v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = v.ptr ? SL__T_STRN : SL__T_NULL, a.len = v.ptr ? v.len : 0, a.v.s = v.ptr;
  return a;
}
static inline sl_arg sl__a_bool(const char *k, sl_bool v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = SL__T_BOOL, a.len = 0, a.v.b = v.value;
  return a;
}
static inline sl_arg sl__a_raw(const char *k, sl_raw_json v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = v.text ? SL__T_RAW : SL__T_NULL, a.len = sl__len(v.text), a.v.s = v.text;
  return a;
}
static inline sl_arg sl__a_array(const char *k, int type, const void *p, size_t n) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = p || !n ? type : SL__T_NULL, a.len = p ? n : 0, a.v.p = p;
  return a;
}
static inline sl_arg sl__a_strs(const char *k, sl_strs v) { return sl__a_array(k, SL__T_STRS, v.ptr, v.n); }
static inline sl_arg sl__a_ints(const char *k, sl_ints v) { return sl__a_array(k, SL__T_INTS, v.ptr, v.n); }
static inline sl_arg sl__a_doubles(const char *k, sl_doubles v) {
  return sl__a_array(k, SL__T_DOUBLES, v.ptr, v.n);
}
static inline sl_arg sl__a_bools(const char *k, sl_bools v) { return sl__a_array(k, SL__T_BOOLS, v.ptr, v.n); }

/* jansson values: include <jansson.h> before spanlog.h, and a json_t * is a value like any
   other, rendered as nested JSON (a library built without jansson renders null). */
#ifdef JANSSON_H
static inline sl_arg sl__a_jansson(const char *k, const json_t *v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = v ? SL__T_JANSSON : SL__T_NULL, a.len = 0, a.v.p = v;
  return a;
}
#define SL__JANSSON_CASE(fn) json_t * : fn, const json_t * : fn,
#else
#define SL__JANSSON_CASE(fn)
#endif

#ifdef __cplusplus
} /* extern "C" */

/* C++: one overload per supported type; anything else hits the deleted template. */
template <class T> sl_arg sl__arg(const char *k, T v) = delete;
inline sl_arg sl__arg(const char *k, bool v) { return sl__a_bool(k, sl_bool{v ? 1 : 0}); }
inline sl_arg sl__arg(const char *k, char v) { return sl__a_i64(k, v); }
inline sl_arg sl__arg(const char *k, signed char v) { return sl__a_i64(k, v); }
inline sl_arg sl__arg(const char *k, unsigned char v) { return sl__a_u64(k, v); }
inline sl_arg sl__arg(const char *k, short v) { return sl__a_i64(k, v); }
inline sl_arg sl__arg(const char *k, unsigned short v) { return sl__a_u64(k, v); }
inline sl_arg sl__arg(const char *k, int v) { return sl__a_i64(k, v); }
inline sl_arg sl__arg(const char *k, unsigned v) { return sl__a_u64(k, v); }
inline sl_arg sl__arg(const char *k, long v) { return sl__a_i64(k, v); }
inline sl_arg sl__arg(const char *k, unsigned long v) { return sl__a_u64(k, v); }
inline sl_arg sl__arg(const char *k, long long v) { return sl__a_i64(k, v); }
inline sl_arg sl__arg(const char *k, unsigned long long v) { return sl__a_u64(k, v); }
inline sl_arg sl__arg(const char *k, float v) { return sl__a_f64(k, v); }
inline sl_arg sl__arg(const char *k, double v) { return sl__a_f64(k, v); }
inline sl_arg sl__arg(const char *k, long double v) { return sl__a_ldbl(k, v); }
inline sl_arg sl__arg(const char *k, const char *v) { return sl__a_str(k, v); }
inline sl_arg sl__arg(const char *k, char *v) { return sl__a_str(k, v); }
inline sl_arg sl__arg(const char *k, sl_strn v) { return sl__a_strn(k, v); }
inline sl_arg sl__arg(const char *k, sl_bool v) { return sl__a_bool(k, v); }
inline sl_arg sl__arg(const char *k, sl_raw_json v) { return sl__a_raw(k, v); }
inline sl_arg sl__arg(const char *k, sl_strs v) { return sl__a_strs(k, v); }
inline sl_arg sl__arg(const char *k, sl_ints v) { return sl__a_ints(k, v); }
inline sl_arg sl__arg(const char *k, sl_doubles v) { return sl__a_doubles(k, v); }
inline sl_arg sl__arg(const char *k, sl_bools v) { return sl__a_bools(k, v); }
#ifdef JANSSON_H
inline sl_arg sl__arg(const char *k, const json_t *v) { return sl__a_jansson(k, v); }
inline sl_arg sl__arg(const char *k, json_t *v) { return sl__a_jansson(k, v); }
#endif
inline const char *sl__key(const char *k) { return k; }

/* A temporary array of arguments for expression macros (C has compound literals). */
template <int N> struct sl__argv {
  sl_arg a[N];
};
#define SL__ARGV(n, ...) (sl__argv<(n)>{{__VA_ARGS__}}.a)

#define SL__ARG(k, v) sl__key_literal(sl__arg(sl__key(k), (v)), __builtin_constant_p(k))
#define SL__KEY(k) sl__key(k)
#define SL__ODD_PAIRS                                                                     \
  []() -> sl_arg {                                                                        \
    static_assert(sizeof(int) == 0, "spanlog: a key without a value (calls take key/value pairs)"); \
    return sl_arg();                                                                      \
  }()

#else /* C */

/* Only strings are keys: anything else has no association and fails to build. */
#define SL__KEY(k) _Generic((k), char *: (k), const char *: (k))

#define SL__ARG(k, v) sl__key_literal(SL__ARG_OF_TYPE(k, v), __builtin_constant_p(k))
#define SL__ARG_OF_TYPE(k, v)                                                             \
  _Generic((v),                                                                           \
      _Bool: sl__a_i64_bool,                                                              \
      char: sl__a_i64,                                                                    \
      signed char: sl__a_i64,                                                             \
      unsigned char: sl__a_u64,                                                           \
      short: sl__a_i64,                                                                   \
      unsigned short: sl__a_u64,                                                          \
      int: sl__a_i64,                                                                     \
      unsigned: sl__a_u64,                                                                \
      long: sl__a_i64,                                                                    \
      unsigned long: sl__a_u64,                                                           \
      long long: sl__a_i64,                                                               \
      unsigned long long: sl__a_u64,                                                      \
      float: sl__a_f64,                                                                   \
      double: sl__a_f64,                                                                  \
      long double: sl__a_ldbl,                                                            \
      char *: sl__a_str,                                                                  \
      const char *: sl__a_str,                                                            \
      sl_strn: sl__a_strn,                                                                \
      sl_bool: sl__a_bool,                                                                \
      sl_raw_json: sl__a_raw,                                                             \
      sl_strs: sl__a_strs,                                                                \
      sl_ints: sl__a_ints,                                                                \
      sl_doubles: sl__a_doubles,                                                          \
      SL__JANSSON_CASE(sl__a_jansson)                                                     \
      sl_bools: sl__a_bools)(SL__KEY(k), (v))

/* A temporary array of arguments for expression macros. */
#define SL__ARGV(n, ...) ((const sl_arg[]){__VA_ARGS__})

/* A C _Bool variable is a bool too (a bare `true` is an int in C: use SL_BOOL). */
static inline sl_arg sl__a_i64_bool(const char *k, _Bool v) {
  sl_bool b = {v ? 1 : 0};
  return sl__a_bool(k, b);
}

#define SL__ODD_PAIRS                                                                     \
  (*(const sl_arg *)sizeof(struct {                                                       \
    _Static_assert(0, "spanlog: a key without a value (calls take key/value pairs)");    \
    int sl__unused;                                                                       \
  }))

#endif /* __cplusplus */

#include "argmacros.h"

#endif
