/* Bound context: key/value pairs carried on every later record of the current context.
 *
 * Each thread has a context of its own. A context object (sl_context) makes the
 * context follow a unit of work instead: a coroutine, an event-loop task, a job handed
 * to a thread pool. Swap it in while the work runs, swap the previous one back after.
 * A context object is used by one thread at a time. */
#ifndef SPANLOG_CONTEXT_H
#define SPANLOG_CONTEXT_H

#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_context sl_context;

/* Returns a new empty context (no bindings, no current span). Caller owns it. */
SL_API sl_context *sl_context_new(void);
/* Returns a copy of the current context: its bindings and its current span. Caller owns it. */
SL_API sl_context *sl_context_fork(void);
/* Makes c current on this thread (NULL: the thread's own context); returns the one
   that was current, to be swapped back later. Ownership does not move. */
SL_API sl_context *sl_context_swap(sl_context *c);
/* Frees a context made by sl_context_new/fork. It must not be current on any thread. */
SL_API void sl_context_free(sl_context *c);

/* ---- internals of the macros below ---- */
SL_API void sl__bind(const sl_arg *args, int nargs);
SL_API void sl__unbind(const char *const *keys, int nkeys);
SL_API void sl__clear(void);

/* What an SL_SCOPE block undoes when it is left. */
typedef struct sl__scope {
  sl_context *context;
  void *saved; /* the bindings before the block, to restore its keys from */
  int active;
} sl__scope;

SL_API sl__scope sl__scope_begin(const sl_arg *args, int nargs);
SL_API void sl__scope_end(sl__scope *scope);

#ifdef __cplusplus
} /* extern "C" */
#endif

#define SL__SCOPE_BEGIN(...)                                                              \
  sl__scope_begin(SL__ARGV(SL__NARG(__VA_ARGS__) / 2,                                     \
                           SL__CAT(SL__PAIRS_, SL__NARG(__VA_ARGS__))(__VA_ARGS__)),      \
                  SL__NARG(__VA_ARGS__) / 2)

/* One full expression, so that a C++ temporary value lives until sl__bind copied it. */
#define sl_log_bind(...)                                                                  \
  sl__bind(SL__ARGV(SL__NARG(__VA_ARGS__) / 2, SL__CAT(SL__PAIRS_, SL__NARG(__VA_ARGS__))(__VA_ARGS__)), \
           SL__NARG(__VA_ARGS__) / 2)

#define sl_log_unbind(...)                                                                \
  do {                                                                                    \
    const char *const sl__keys[] = {SL__CAT(SL__KEYS_, SL__NARG(__VA_ARGS__))(__VA_ARGS__)}; \
    sl__unbind(sl__keys, (int)(sizeof sl__keys / sizeof sl__keys[0]));                    \
  } while (0)

#define sl_log_clear() sl__clear()

/* SL_SCOPE(key, value, ...) { ... }: the pairs are bound inside the block only. Leaving
   the block in any way (its end, break, continue, return, goto, in C++ an exception)
   restores those keys to what they were before.
   break and continue: in C++17 and later the block is the else branch of an if statement
   that holds the scope as an object, so a break or continue inside binds to the loop
   around SL_SCOPE, as in any other block. In C (and C++ before 17) SL_SCOPE is a for
   statement that runs its block once: a break or continue inside leaves the block (the
   keys are restored) and execution goes on after it; neither reaches a loop around it.
   In a loop's body, use SL_SCOPE_HERE instead.

   SL_SCOPE_HERE(key, value, ...);: a declaration that binds the pairs from where it stands
   to the end of the enclosing block, restoring them however the block is left. A break or
   continue there acts on the loop as in any block, the keys restored first, in C and C++
   alike (GCC and Clang: the cleanup attribute in C). Being a declaration, it cannot be the
   only statement of an if or a loop, nor follow a label directly before C23. */
#if defined(__cplusplus) && __cplusplus >= 201703L
struct sl__scope_guard {
  sl__scope scope;
  explicit sl__scope_guard(sl__scope s) : scope(s) {}
  sl__scope_guard(const sl__scope_guard &) = delete;
  sl__scope_guard &operator=(const sl__scope_guard &) = delete;
  ~sl__scope_guard() { sl__scope_end(&scope); }
};
#define SL_SCOPE(...)                                                                     \
  if (sl__scope_guard SL__CAT(sl__scope_, __LINE__){SL__SCOPE_BEGIN(__VA_ARGS__)}; false) { \
  } else
#define SL_SCOPE_HERE(...) sl__scope_guard SL__CAT(sl__scope_here_, __COUNTER__){SL__SCOPE_BEGIN(__VA_ARGS__)}
#else
#define SL_SCOPE_HERE(...)                                                                \
  sl__scope SL__CAT(sl__scope_here_, __COUNTER__) __attribute__((cleanup(sl__scope_end), unused)) = \
      SL__SCOPE_BEGIN(__VA_ARGS__)
#define SL_SCOPE(...)                                                                     \
  for (sl__scope SL__CAT(sl__scope_, __LINE__) __attribute__((cleanup(sl__scope_end))) =  \
           SL__SCOPE_BEGIN(__VA_ARGS__);                                                  \
       SL__CAT(sl__scope_, __LINE__).active; SL__CAT(sl__scope_, __LINE__).active = 0)
#endif

#endif
