/* The backend's reading of queued records: the state it keeps per queue (the bound
 * context and span ids announced on it) and the processing of each kind of record. Drain
 * lock held. */
#ifndef SL_BACKEND_RECORDS_H
#define SL_BACKEND_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "record/record.h"

/* What the drainer knows of one queue. */
typedef struct sl_ring_consumer {
  uint64_t pos;   /* next record to read */
  uint64_t limit; /* committed when the pass began */
  uint64_t dropped; /* read lines up to here dropped from the drainer's cache */
  sl_buf frame;   /* the bound fields announced last, encoded */
  sl_field *raw;   /* ... decoded, pointing into frame */
  sl_field *bound; /* ... and redacted: what records get */
  size_t nbound, bound_cap;
  sl_arena arena;  /* the redacted values */
  uint64_t redacted; /* the redaction generation of `bound`; 0: to do */
  uint64_t bound_version; /* counts the changes of `bound` */
  int bound_alike;        /* two keys of `bound` came out equal (renamed, bad UTF-8 made good) */
  sl_buf bound_json;      /* `bound` as the JSON formatter writes it, ",\"k\":v..." */
  uint64_t json_version;  /* the bound_version it was rendered from; 0: none */
  size_t json_limit;      /* ... and the truncation limit */
  int has_span;           /* the span ids announced last (an IDS record), if any */
  uint8_t trace_id[16], span_id[8], trace_flags;
} sl_ring_consumer;

/* A FRAME record: the bound fields of the records that follow on c's queue. */
void sl_backend_apply_frame(sl_ring_consumer *c, const unsigned char *rec);
/* An IDS record: the span ids of the records that follow on c's queue, if any. */
void sl_backend_apply_ids(sl_ring_consumer *c, const unsigned char *rec);
/* A LOG record of c's queue, a SPAN record, a REPLAY record: processed and handed on. */
void sl_backend_process_log(sl_ring_consumer *c, const unsigned char *rec);
void sl_backend_process_span(const unsigned char *rec);
void sl_backend_process_replay(const unsigned char *rec);

#endif
