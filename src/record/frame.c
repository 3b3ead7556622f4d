#include "record/frame.h"

#include <stdlib.h>
#include <string.h>

#include "record/record.h"

static _Atomic uint64_t next_frame_id = 1;

sl_frame *sl_frame_ref(sl_frame *f) {
  if (f) atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
  return f;
}

void sl_frame_release(sl_frame *f) {
  if (f && atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) == 1) free(f);
}

/* One change to a frame: set `key` from an argument or from encoded field bytes, or
   remove it (neither). */
typedef struct patch {
  const char *key;
  size_t key_len;
  const sl_arg *arg;
  const unsigned char *bytes; /* an encoded field */
  size_t nbytes;
  int done; /* applied, or superseded by a later patch of the same key */
} patch;

static int key_eq(const char *a, size_t alen, const char *b, size_t blen) {
  return alen == blen && memcmp(a, b, alen) == 0;
}

static size_t patch_size(const patch *p) {
  uint32_t vlen = 0;
  if (p->arg) return rec_field_size(p->arg, &vlen);
  return p->nbytes;
}

static unsigned char *patch_put(unsigned char *o, const patch *p) {
  if (p->arg) {
    uint32_t vlen = 0;
    rec_field_size(p->arg, &vlen);
    return rec_put_field(o, p->arg, vlen);
  }
  memcpy(o, p->bytes, p->nbytes);
  return o + p->nbytes;
}

/* The last patch of each key wins: mark the earlier ones done. */
static void supersede(patch *ps, int n) {
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n && !ps[i].done; j++)
      if (key_eq(ps[i].key, ps[i].key_len, ps[j].key, ps[j].key_len)) ps[i].done = 1;
}

static patch *find_patch(patch *ps, int n, const char *key, size_t key_len) {
  for (int i = 0; i < n; i++)
    if (!ps[i].done && key_eq(ps[i].key, ps[i].key_len, key, key_len)) return &ps[i];
  return NULL;
}

static int is_removal(const patch *p) { return !p->arg && !p->bytes; }

/* Applies the patches to base: fields of base keep their order, new keys follow. */
static int apply(sl_frame **out, const sl_frame *base, patch *ps, int n) {
  supersede(ps, n);
  size_t cap = base ? base->size : 0;
  for (int i = 0; i < n; i++)
    if (!ps[i].done) cap += patch_size(&ps[i]);
  sl_frame *f = malloc(sizeof *f + cap);
  if (!f) return -1;
  unsigned char *o = f->data;
  uint32_t count = 0;
  const unsigned char *p = base ? base->data : NULL;
  for (uint32_t i = 0; base && i < base->nfields; i++) {
    sl_field fld;
    const unsigned char *start = p;
    p = rec_get_field(p, &fld);
    patch *hit = find_patch(ps, n, fld.key, fld.key_len);
    if (!hit) {
      memcpy(o, start, (size_t)(p - start));
      o += p - start, count++;
      continue;
    }
    hit->done = 1;
    if (!is_removal(hit)) o = patch_put(o, hit), count++;
  }
  for (int i = 0; i < n; i++)
    if (!ps[i].done && !is_removal(&ps[i])) o = patch_put(o, &ps[i]), count++;
  if (count == 0) {
    free(f);
    *out = NULL;
    return 0;
  }
  atomic_init(&f->refs, 1);
  f->nfields = count;
  f->size = (size_t)(o - f->data);
  f->id = atomic_fetch_add_explicit(&next_frame_id, 1, memory_order_relaxed);
  *out = f;
  return 0;
}

/* Patches are few (at most a call's pairs, or a frame's fields) but need not be: use the
   stack for the common case. */
#define STACK_PATCHES 64

static int with_patches(sl_frame **out, const sl_frame *base, int n,
                        void (*fill)(patch *ps, const void *src), const void *src) {
  patch stack[STACK_PATCHES];
  patch *ps = n <= STACK_PATCHES ? stack : malloc(sizeof *ps * (size_t)n);
  if (!ps) return -1;
  memset(ps, 0, sizeof *ps * (size_t)n);
  fill(ps, src);
  int rc = apply(out, base, ps, n);
  if (ps != stack) free(ps);
  return rc;
}

typedef struct {
  const sl_arg *args;
  int n;
} args_src;

static void fill_from_args(patch *ps, const void *src) {
  const args_src *a = src;
  for (int i = 0; i < a->n; i++) {
    ps[i].key = a->args[i].key ? a->args[i].key : "";
    ps[i].key_len = a->args[i].key_len;
    ps[i].arg = &a->args[i];
  }
}

int sl_frame_bind(sl_frame **out, const sl_frame *base, const sl_arg *args, int nargs) {
  args_src src = {args, nargs};
  return with_patches(out, base, nargs, fill_from_args, &src);
}

typedef struct {
  const char *const *keys;
  int n;
} keys_src;

static void fill_from_keys(patch *ps, const void *src) {
  const keys_src *k = src;
  for (int i = 0; i < k->n; i++) {
    ps[i].key = k->keys[i] ? k->keys[i] : "";
    ps[i].key_len = strlen(ps[i].key);
  }
}

int sl_frame_unbind(sl_frame **out, const sl_frame *base, const char *const *keys, int nkeys) {
  keys_src src = {keys, nkeys};
  return with_patches(out, base, nkeys, fill_from_keys, &src);
}

typedef struct {
  const sl_frame *saved, *keys;
} restore_src;

/* Finds key's encoded field in f. */
static const unsigned char *frame_find(const sl_frame *f, const char *key, size_t key_len,
                                       size_t *nbytes) {
  const unsigned char *p = f ? f->data : NULL;
  for (uint32_t i = 0; f && i < f->nfields; i++) {
    sl_field fld;
    const unsigned char *start = p;
    p = rec_get_field(p, &fld);
    if (key_eq(fld.key, fld.key_len, key, key_len)) {
      *nbytes = (size_t)(p - start);
      return start;
    }
  }
  return NULL;
}

static void fill_from_saved(patch *ps, const void *src) {
  const restore_src *r = src;
  const unsigned char *p = r->keys->data;
  for (uint32_t i = 0; i < r->keys->nfields; i++) {
    sl_field fld;
    p = rec_get_field(p, &fld);
    ps[i].key = fld.key;
    ps[i].key_len = fld.key_len;
    ps[i].bytes = frame_find(r->saved, fld.key, fld.key_len, &ps[i].nbytes);
  }
}

int sl_frame_restore(sl_frame **out, const sl_frame *cur, const sl_frame *saved,
                     const sl_frame *keys) {
  if (!keys) return *out = sl_frame_ref((sl_frame *)cur), 0;
  restore_src src = {saved, keys};
  return with_patches(out, cur, (int)keys->nfields, fill_from_saved, &src);
}
