/* Replaces malloc and its kin for a test that watches or refuses allocations, forwarding
 * to glibc's __libc_* entry points. The including test defines, before the include:
 *   static int alloc_hook(const char *what, size_t size);  non-zero: the call fails (ENOMEM)
 *   static void free_hook(void *p);
 * A sanitizer that replaces malloc itself cannot run such a test (CHECK_SANITIZED). */
#ifndef SPANLOG_TEST_MALLOC_HOOK_H
#define SPANLOG_TEST_MALLOC_HOOK_H

#include <errno.h>
#include <stddef.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t n);

static int alloc_hook(const char *what, size_t size);
static void free_hook(void *p);

static inline void *refused(void) {
  errno = ENOMEM;
  return NULL;
}

void *malloc(size_t n) { return alloc_hook("malloc", n) ? refused() : __libc_malloc(n); }
void *calloc(size_t n, size_t size) {
  return alloc_hook("calloc", n * size) ? refused() : __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) { return alloc_hook("realloc", n) ? refused() : __libc_realloc(p, n); }
void free(void *p) {
  free_hook(p);
  __libc_free(p);
}
void *aligned_alloc(size_t align, size_t n) {
  return alloc_hook("aligned_alloc", n) ? refused() : __libc_memalign(align, n);
}
void *memalign(size_t align, size_t n) { return alloc_hook("memalign", n) ? refused() : __libc_memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) {
  void *p = alloc_hook("posix_memalign", n) ? NULL : __libc_memalign(align, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

#endif
