/* Typed key/value arguments of log calls, binds and spans.
 *
 * A value's type is taken at compile time: C11 _Generic in C, overloads in C++.
 * Integers of every width, float/double, strings (char * and const char *; NULL
 * renders as null), void * (NULL renders as null, any other address as a string of
 * lower-case hex, "0x7ffd1234"), and three wrappers: SL_BOOL(x), SL_STRN(ptr, len) for
 * counted bytes (may hold NUL and any other byte), SL_RAW_JSON(text) for pre-rendered JSON.
 * Arrays (for span attributes such as gen_ai.response.finish_reasons, and in log
 * records too): SL_STRS(ptr, n) (char * or const char * elements), SL_INTS(ptr, n)
 * (int64_t elements), SL_DOUBLES(ptr, n) (double), SL_BOOLS(ptr, n) (bool); an array of
 * other elements (int, float) stops the build rather than being read as the wrong type.
 * In C++ also std::string and std::string_view (C++17; any bytes, counted), char (a
 * one-character string; signed and unsigned char stay numbers), nullptr (null) and enums
 * (their number). Any other type, and a key that is not a string, stops the build with a
 * message that says what to pass. */
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
  SL__T_JANSSON = 12, /* a jansson json_t *, rendered as JSON when the value is captured */
  SL__T_PTR = 13      /* a non-NULL void *: queued as the hex string of its address */
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

/* What the build says when a call is wrong. */
#ifdef __cplusplus
#define SL__MSG_UNSUPPORTED                                                               \
  "spanlog: unsupported value type: pass an integer, double, string (const char *, "      \
  "std::string, std::string_view), char, bool, nullptr, void *, SL_STRN(ptr, len), "      \
  "SL_RAW_JSON(text) or an array wrapper (SL_STRS, SL_INTS, SL_DOUBLES, SL_BOOLS)"
#else
#define SL__MSG_UNSUPPORTED                                                               \
  "spanlog: unsupported value type: pass an integer, double, string, NULL, void *, "      \
  "SL_BOOL(x), SL_STRN(ptr, len), SL_RAW_JSON(text) or an array wrapper (SL_STRS, "       \
  "SL_INTS, SL_DOUBLES, SL_BOOLS)"
#endif
#define SL__MSG_NO_NAME                                                                   \
  "spanlog: the event (or span) name is missing: log_event(\"what happened\", key, "    \
  "value, ...)"
#define SL__MSG_STRS "spanlog: SL_STRS(ptr, n) takes an array of char * or const char *"
#define SL__MSG_INTS                                                                      \
  "spanlog: SL_INTS(ptr, n) takes int64_t elements: copy int or long values into an "     \
  "int64_t array"
#define SL__MSG_DOUBLES                                                                   \
  "spanlog: SL_DOUBLES(ptr, n) takes double elements: copy float values into a double array"
#define SL__MSG_BOOLS "spanlog: SL_BOOLS(ptr, n) takes bool elements (a bool array)"

/* SL__CHECK(cond, msg): an expression that stops the build with msg unless the constant
   cond holds; it costs nothing at run time. */
#ifdef __cplusplus
#define SL__STATIC_ASSERT static_assert
#define SL__CHECK(cond, msg) static_cast<void>([] { static_assert(cond, msg); })
#else
#define SL__STATIC_ASSERT _Static_assert
/* A statement expression (a GNU C extension that gcc and clang have; __extension__ keeps
   -pedantic quiet): a struct declared in sizeof would do in ISO C, but clang then takes
   the initialiser it sits in for one of static storage. */
#define SL__CHECK(cond, msg) ((void)__extension__({ _Static_assert(cond, msg); 0; }))
#endif

#ifdef __cplusplus
/* C++: the element type is checked by a template (sl__ints_of and the others, below). */
#define SL_STRS(ptr, n) sl__strs_of((ptr), (size_t)(n))
#define SL_INTS(ptr, n) sl__ints_of((ptr), (size_t)(n))
#define SL_DOUBLES(ptr, n) sl__doubles_of((ptr), (size_t)(n))
#define SL_BOOLS(ptr, n) sl__bools_of((ptr), (size_t)(n))
#else
/* C: an array of another element type (int[] for SL_INTS, float[] for SL_DOUBLES) would
   be read as the wrong type. _Generic keeps the element types that are read right (and
   NULL); any other makes a value of a type of its own (sl__wrong_ints, ...), which the
   value check of the call (SL__CHECK_VALUE) turns into that wrapper's message. */
typedef struct sl__wrong_strs {
  const void *ptr;
  size_t n;
} sl__wrong_strs;
typedef struct sl__wrong_ints {
  const void *ptr;
  size_t n;
} sl__wrong_ints;
typedef struct sl__wrong_doubles {
  const void *ptr;
  size_t n;
} sl__wrong_doubles;
typedef struct sl__wrong_bools {
  const void *ptr;
  size_t n;
} sl__wrong_bools;
#define SL__RIGHT(wrapper, pointer, ptr, n) ((sl_##wrapper){(pointer)(ptr), (size_t)(n)})
#define SL__WRONG(wrapper, ptr, n) ((sl__wrong_##wrapper){(ptr), (size_t)(n)})
#define SL_STRS(ptr, n)                                                                   \
  _Generic((ptr), char **: SL__RIGHT(strs, const char *const *, ptr, n),                  \
           const char **: SL__RIGHT(strs, const char *const *, ptr, n),                   \
           char *const *: SL__RIGHT(strs, const char *const *, ptr, n),                   \
           const char *const *: SL__RIGHT(strs, const char *const *, ptr, n),             \
           void *: SL__RIGHT(strs, const char *const *, ptr, n),                          \
           default: SL__WRONG(strs, ptr, n))
#define SL_INTS(ptr, n)                                                                   \
  _Generic((ptr), int64_t *: SL__RIGHT(ints, const int64_t *, ptr, n),                    \
           const int64_t *: SL__RIGHT(ints, const int64_t *, ptr, n),                     \
           void *: SL__RIGHT(ints, const int64_t *, ptr, n), default: SL__WRONG(ints, ptr, n))
#define SL_DOUBLES(ptr, n)                                                                \
  _Generic((ptr), double *: SL__RIGHT(doubles, const double *, ptr, n),                   \
           const double *: SL__RIGHT(doubles, const double *, ptr, n),                    \
           void *: SL__RIGHT(doubles, const double *, ptr, n),                            \
           default: SL__WRONG(doubles, ptr, n))
#define SL_BOOLS(ptr, n)                                                                  \
  _Generic((ptr), bool *: SL__RIGHT(bools, const bool *, ptr, n),                         \
           const bool *: SL__RIGHT(bools, const bool *, ptr, n),                          \
           void *: SL__RIGHT(bools, const bool *, ptr, n), default: SL__WRONG(bools, ptr, n))
#endif

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
/* An address: the caller stores the pointer, and the hex text ("0x7ffd1234") is written
   when the record is queued, by the code that copies every value. NULL is null. */
static inline sl_arg sl__a_ptr(const char *k, const void *v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = v ? SL__T_PTR : SL__T_NULL, a.len = 0, a.v.p = v;
  return a;
}

/* jansson values: include <jansson.h> before spanlog.h, and a json_t * is a value like any
   other, rendered as nested JSON (a library built without jansson renders null). */
#ifdef JANSSON_H
static inline sl_arg sl__a_jansson(const char *k, const json_t *v) {
  sl_arg a;
  a.key = k, a.key_len = sl__len(k), a.flags = 0, a.type = v ? SL__T_JANSSON : SL__T_NULL, a.len = 0, a.v.p = v;
  return a;
}
#define SL__JANSSON_TYPES(X) X(json_t *, sl__a_jansson) X(const json_t *, sl__a_jansson)
#else
#define SL__JANSSON_TYPES(X)
#endif

#ifdef __cplusplus
} /* extern "C" */

#if __cplusplus >= 201703L
#include <string>
#include <string_view>
#endif

/* C++: one overload per supported type; anything else hits the template below: an enum
   is its number (as in C), any other type stops the build with a message that says what
   to pass. */
template <class T> struct sl__false {
  enum { value = 0 };
};
template <bool B> struct sl__is {};
template <class T> sl_arg sl__enum_arg(const char *k, const T &v, sl__is<true>) {
  return sl__a_i64(k, static_cast<long long>(v));
}
template <class T> sl_arg sl__enum_arg(const char *k, const T &, sl__is<false>) {
  static_assert(sl__false<T>::value, SL__MSG_UNSUPPORTED);
  return sl__a_str(k, nullptr);
}
template <class T> sl_arg sl__arg(const char *k, const T &v) { return sl__enum_arg(k, v, sl__is<__is_enum(T)>()); }
/* A one-character string: the character is read from this table, which outlives every
   record (the argument holds a pointer, not the character). */
inline const char *sl__char_text(char c) {
#define SL__C4(n) (n), (n) + 1, (n) + 2, (n) + 3
#define SL__C16(n) SL__C4(n), SL__C4((n) + 4), SL__C4((n) + 8), SL__C4((n) + 12)
#define SL__C64(n) SL__C16(n), SL__C16((n) + 16), SL__C16((n) + 32), SL__C16((n) + 48)
  static const unsigned char bytes[256] = {SL__C64(0), SL__C64(64), SL__C64(128), SL__C64(192)};
#undef SL__C64
#undef SL__C16
#undef SL__C4
  return reinterpret_cast<const char *>(bytes) + static_cast<unsigned char>(c);
}
inline sl_arg sl__arg(const char *k, bool v) { return sl__a_bool(k, sl_bool{v ? 1 : 0}); }
inline sl_arg sl__arg(const char *k, char v) { return sl__a_strn(k, sl_strn{sl__char_text(v), 1}); }
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
inline sl_arg sl__arg(const char *k, decltype(nullptr)) { return sl__a_str(k, nullptr); }
inline sl_arg sl__arg(const char *k, const void *v) { return sl__a_ptr(k, v); }
inline sl_arg sl__arg(const char *k, void *v) { return sl__a_ptr(k, v); }
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
#if __cplusplus >= 201703L
/* Counted: a string_view need not end in NUL, and either may hold any byte. The bytes are
   read before the call returns (a temporary lives that long). An empty one is "", not null. */
inline sl_arg sl__arg(const char *k, std::string_view v) {
  return sl__a_strn(k, sl_strn{v.data() ? v.data() : "", v.size()});
}
inline sl_arg sl__arg(const char *k, const std::string &v) { return sl__a_strn(k, sl_strn{v.data(), v.size()}); }
/* A std::string key: a named string (a temporary one would be gone before log_unbind
   reads it). */
inline const char *sl__key(const std::string &k) { return k.c_str(); }
const char *sl__key(const std::string &&k) = delete;
#endif

/* The array wrappers: P is a pointer to (or an array of) the element type E, const or not,
   or nullptr; any other element type stops the build with that wrapper's message. */
template <class T> struct sl__unconst {
  typedef T type;
};
template <class T> struct sl__unconst<const T> {
  typedef T type;
};
template <class A, class B> struct sl__same {
  enum { value = 0 };
};
template <class A> struct sl__same<A, A> {
  enum { value = 1 };
};
template <class P> struct sl__element {
  typedef void type;
};
template <class E> struct sl__element<E *> {
  typedef typename sl__unconst<E>::type type;
};
template <class E, size_t N> struct sl__element<E[N]> {
  typedef typename sl__unconst<E>::type type;
};
/* char * elements are strings as well as const char * ones */
template <class E> struct sl__string_element {
  typedef E type;
};
template <> struct sl__string_element<char *> {
  typedef const char *type;
};
template <class E, class P> struct sl__elements_are {
  enum {
    value = sl__same<typename sl__string_element<typename sl__element<P>::type>::type, E>::value ||
            sl__same<P, decltype(nullptr)>::value
  };
};
template <class P> sl_strs sl__strs_of(const P &p, size_t n) {
  static_assert(sl__elements_are<const char *, P>::value, SL__MSG_STRS);
  return sl_strs{p, n};
}
template <class P> sl_ints sl__ints_of(const P &p, size_t n) {
  static_assert(sl__elements_are<int64_t, P>::value, SL__MSG_INTS);
  return sl_ints{p, n};
}
template <class P> sl_doubles sl__doubles_of(const P &p, size_t n) {
  static_assert(sl__elements_are<double, P>::value, SL__MSG_DOUBLES);
  return sl_doubles{p, n};
}
template <class P> sl_bools sl__bools_of(const P &p, size_t n) {
  static_assert(sl__elements_are<bool, P>::value, SL__MSG_BOOLS);
  return sl_bools{p, n};
}

/* A temporary array of arguments for expression macros (C has compound literals). It lives
   until the end of the call it is passed to, and so do temporaries in its values. */
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

/* The value types and their argument makers, as X(type, maker). */
#define SL__VALUE_TYPES(X)                                                                \
  X(_Bool, sl__a_i64_bool)                                                                \
  X(char, sl__a_i64)                                                                      \
  X(signed char, sl__a_i64)                                                               \
  X(unsigned char, sl__a_u64)                                                             \
  X(short, sl__a_i64)                                                                     \
  X(unsigned short, sl__a_u64)                                                            \
  X(int, sl__a_i64)                                                                       \
  X(unsigned, sl__a_u64)                                                                  \
  X(long, sl__a_i64)                                                                      \
  X(unsigned long, sl__a_u64)                                                             \
  X(long long, sl__a_i64)                                                                 \
  X(unsigned long long, sl__a_u64)                                                        \
  X(float, sl__a_f64)                                                                     \
  X(double, sl__a_f64)                                                                    \
  X(long double, sl__a_ldbl)                                                              \
  X(char *, sl__a_str)                                                                    \
  X(const char *, sl__a_str)                                                              \
  X(void *, sl__a_ptr)                                                                    \
  X(const void *, sl__a_ptr)                                                              \
  X(sl_strn, sl__a_strn)                                                                  \
  X(sl_bool, sl__a_bool)                                                                  \
  X(sl_raw_json, sl__a_raw)                                                               \
  X(sl_strs, sl__a_strs)                                                                  \
  X(sl_ints, sl__a_ints)                                                                  \
  X(sl_doubles, sl__a_doubles)                                                            \
  X(sl_bools, sl__a_bools)                                                                \
  SL__JANSSON_TYPES(X)
#define SL__MAKER_OF(type, maker) type: maker,
#define SL__SUPPORTED(type, maker) type: 0,

/* A value of an unsupported type, or an array wrapper around the wrong elements, stops
   the build with the message that says what to pass (and selects sl__a_unsupported, so
   that the message is the only error). _Generic tells which, at no cost at run time (an enum
   would spell it once, but clang then takes compound literals in v for static ones). */
#define SL__KIND(v)                                                                       \
  _Generic((v), SL__VALUE_TYPES(SL__SUPPORTED) sl__wrong_strs: 2, sl__wrong_ints: 3,      \
           sl__wrong_doubles: 4, sl__wrong_bools: 5, default: 1)
#define SL__CHECK_VALUE(v)                                                                \
  ((void)__extension__({                                                                  \
    _Static_assert(SL__KIND(v) != 1, SL__MSG_UNSUPPORTED);                                \
    _Static_assert(SL__KIND(v) != 2, SL__MSG_STRS);                                       \
    _Static_assert(SL__KIND(v) != 3, SL__MSG_INTS);                                       \
    _Static_assert(SL__KIND(v) != 4, SL__MSG_DOUBLES);                                    \
    _Static_assert(SL__KIND(v) != 5, SL__MSG_BOOLS);                                      \
    0;                                                                                    \
  }))
#define SL__ARG(k, v) (SL__CHECK_VALUE(v), sl__key_literal(SL__ARG_OF_TYPE(k, v), __builtin_constant_p(k)))
#define SL__ARG_OF_TYPE(k, v)                                                             \
  _Generic((v), SL__VALUE_TYPES(SL__MAKER_OF) default: sl__a_unsupported)(SL__KEY(k), (v))

/* A temporary array of arguments for expression macros. */
#define SL__ARGV(n, ...) ((const sl_arg[]){__VA_ARGS__})

/* A C _Bool variable is a bool too (a bare `true` is an int in C: use SL_BOOL). */
static inline sl_arg sl__a_i64_bool(const char *k, _Bool v) {
  sl_bool b = {v ? 1 : 0};
  return sl__a_bool(k, b);
}
/* Never called: SL__ARG's check stops the build first. */
static inline sl_arg sl__a_unsupported(const char *k, ...) { return sl__a_str(k, NULL); }

#define SL__ODD_PAIRS                                                                     \
  (*(const sl_arg *)sizeof(struct {                                                       \
    _Static_assert(0, "spanlog: a key without a value (calls take key/value pairs)");    \
    int sl__unused;                                                                       \
  }))

#endif /* __cplusplus */

#include "argmacros.h"

#endif
