/* For test programs whose children fork from a multi-threaded process. Under
 * sanitizers: TSan would end a child when it starts a thread (spanlog's backend does)
 * unless die_after_fork=0; LeakSanitizer would judge the child's heap, a copy of the
 * parent's whose threads are gone (false leaks). Set in_fork_child in the child. */
#ifndef FORKCHILD_H
#define FORKCHILD_H

#ifndef __has_feature
#define __has_feature(x) 0
#endif
static int in_fork_child;
#if defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
const char *__tsan_default_options(void);
const char *__tsan_default_options(void) { return "die_after_fork=0"; }
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void) { return in_fork_child; }
#endif

#endif
