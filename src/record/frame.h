/* Frames: the bound key/value pairs of a context, as an immutable, reference-counted,
 * pre-encoded field list (the queue's field encoding, see record.h).
 *
 * Binding never changes a frame: it makes a new one, so a frame can be shared by forked
 * contexts and read by the backend without locks. Keys are unique within a frame. The
 * empty frame is NULL, with id 0. */
#ifndef SL_FRAME_H
#define SL_FRAME_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "spanlog/fields.h"

typedef struct sl_frame {
  _Atomic uint32_t refs;
  uint32_t nfields;
  uint64_t id; /* unique for the process' lifetime: the queue's "already sent" check */
  size_t size; /* bytes of data */
  unsigned char data[];
} sl_frame;

static inline uint64_t sl_frame_id(const sl_frame *f) { return f ? f->id : 0; }
sl_frame *sl_frame_ref(sl_frame *f);
void sl_frame_release(sl_frame *f);

/* Each makes *out a new frame (one reference, NULL when empty) and returns 0, or returns
   -1 if memory ran out (*out untouched). */

/* base with the pairs bound: an existing key keeps its place and takes the new value, new
   keys follow in call order; a key given twice takes its last value. */
int sl_frame_bind(sl_frame **out, const sl_frame *base, const sl_arg *args, int nargs);
/* base without those keys. */
int sl_frame_unbind(sl_frame **out, const sl_frame *base, const char *const *keys, int nkeys);
/* cur where every key of `keys` takes its value in `saved`, or goes if saved lacks it. */
int sl_frame_restore(sl_frame **out, const sl_frame *cur, const sl_frame *saved,
                     const sl_frame *keys);

#endif
