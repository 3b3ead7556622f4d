/* A chained hash of open traces plus a list in order of last touch, so the oldest
 * candidates for handing on are always at its head. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

struct store {
  store_policy policy;
  trace_sink sink;
  void *ctx;
  trace **buckets;
  size_t nbuckets, count;
  trace *head, *tail; /* least recently touched first */
  uint64_t seq;
};

/* Ids are random in real traces but not in hand-made or generated ones, whose varying
 * bytes may all sit at one end: mix every bit into the low ones the buckets use. */
static uint64_t id_hash(const uint8_t id[16]) {
  uint64_t a, b;
  memcpy(&a, id, 8);
  memcpy(&b, id + 8, 8);
  uint64_t h = a ^ (b * 0x9E3779B97F4A7C15u);
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9u;
  h ^= h >> 29;
  h *= 0x94D049BB133111EBu;
  return h ^ (h >> 32);
}

store *store_new(store_policy policy, trace_sink sink, void *ctx) {
  store *s = xcalloc(1, sizeof *s);
  s->policy = policy;
  s->sink = sink;
  s->ctx = ctx;
  s->nbuckets = 1024;
  s->buckets = xcalloc(s->nbuckets, sizeof *s->buckets);
  return s;
}

void store_free(store *s) {
  if (!s) return;
  for (trace *t = s->head, *n; t; t = n) {
    n = t->next;
    trace_free(t);
  }
  free(s->buckets);
  free(s);
}

size_t store_open_count(const store *s) { return s->count; }

static void list_unlink(store *s, trace *t) {
  if (t->prev) t->prev->next = t->next;
  else s->head = t->next;
  if (t->next) t->next->prev = t->prev;
  else s->tail = t->prev;
  t->prev = t->next = NULL;
}

static void list_append(store *s, trace *t) {
  t->prev = s->tail;
  t->next = NULL;
  if (s->tail) s->tail->next = t;
  else s->head = t;
  s->tail = t;
}

static void rehash(store *s) {
  size_t n = s->nbuckets * 2;
  trace **b = xcalloc(n, sizeof *b);
  for (size_t i = 0; i < s->nbuckets; i++) {
    for (trace *t = s->buckets[i], *next; t; t = next) {
      next = t->hnext;
      size_t h = (size_t)(id_hash(t->id) & (n - 1));
      t->hnext = b[h];
      b[h] = t;
    }
  }
  free(s->buckets);
  s->buckets = b;
  s->nbuckets = n;
}

static void hash_remove(store *s, trace *t) {
  trace **pp = &s->buckets[id_hash(t->id) & (s->nbuckets - 1)];
  while (*pp != t) pp = &(*pp)->hnext;
  *pp = t->hnext;
  t->hnext = NULL;
}

/* Takes the trace out of the store and gives it to the sink. */
static void hand_on(store *s, trace *t) {
  hash_remove(s, t);
  list_unlink(s, t);
  s->count--;
  s->sink(t, s->ctx);
}

static trace *touch(store *s, const uint8_t id[16], uint64_t line, double now) {
  size_t h = (size_t)(id_hash(id) & (s->nbuckets - 1));
  trace *t = s->buckets[h];
  while (t && memcmp(t->id, id, 16) != 0) t = t->hnext;
  if (!t) {
    t = xcalloc(1, sizeof *t);
    memcpy(t->id, id, 16);
    t->seq = s->seq++;
    t->hnext = s->buckets[h];
    s->buckets[h] = t;
    list_append(s, t);
    if (++s->count > s->nbuckets) rehash(s);
  } else if (t != s->tail) {
    list_unlink(s, t);
    list_append(s, t);
  }
  t->last_line = line;
  t->last_wall = now;
  return t;
}

/* The cap on open traces bounds memory whatever the input: the oldest goes first. */
static void enforce_cap(store *s, trace *keep) {
  while (s->policy.max_open && s->count > s->policy.max_open && s->head && s->head != keep)
    hand_on(s, s->head);
}

void store_add_span(store *s, const uint8_t trace_id[16], span *sp, uint64_t line, double now) {
  trace *t = touch(s, trace_id, line, now);
  if (t->nspans == t->scap) {
    t->scap = t->scap ? t->scap * 2 : 8;
    t->spans = xrealloc(t->spans, t->scap * sizeof *t->spans);
  }
  sp->seq = s->seq++;
  t->spans[t->nspans++] = *sp;
  if (!sp->has_parent) t->root_seen = true;
  memset(sp, 0, sizeof *sp);
  enforce_cap(s, t);
}

void store_add_log(store *s, const uint8_t trace_id[16], logrec *l, uint64_t line, double now) {
  trace *t = touch(s, trace_id, line, now);
  if (t->nlogs == t->lcap) {
    t->lcap = t->lcap ? t->lcap * 2 : 8;
    t->logs = xrealloc(t->logs, t->lcap * sizeof *t->logs);
  }
  l->seq = s->seq++;
  t->logs[t->nlogs++] = *l;
  l->json = NULL;
  enforce_cap(s, t);
}

static bool is_done(const store *s, const trace *t, uint64_t line, double now) {
  const store_policy *p = &s->policy;
  if (t->root_seen) {
    if (p->grace_lines && line - t->last_line >= p->grace_lines) return true;
    if (p->grace_seconds > 0 && now - t->last_wall >= p->grace_seconds) return true;
    return false;
  }
  return p->orphan_seconds > 0 && now - t->last_wall >= p->orphan_seconds;
}

/* Walks from the least recently touched end while traces are idle long enough; a trace
 * touched recently ends the walk, as everything after it was touched later still. */
void store_tick(store *s, uint64_t line, double now) {
  const store_policy *p = &s->policy;
  trace *t = s->head;
  while (t) {
    trace *next = t->next;
    bool idle_lines = p->grace_lines && line - t->last_line >= p->grace_lines;
    bool idle_time = (p->grace_seconds > 0 && now - t->last_wall >= p->grace_seconds) ||
                     (p->orphan_seconds > 0 && now - t->last_wall >= p->orphan_seconds);
    if (!idle_lines && !idle_time) break;
    if (is_done(s, t, line, now)) hand_on(s, t);
    t = next;
  }
}

static int by_start(const void *a, const void *b) {
  const trace *x = *(trace *const *)a, *y = *(trace *const *)b;
  int64_t sx = INT64_MAX, sy = INT64_MAX;
  for (size_t i = 0; i < x->nspans; i++)
    if (x->spans[i].start < sx) sx = x->spans[i].start;
  for (size_t i = 0; i < y->nspans; i++)
    if (y->spans[i].start < sy) sy = y->spans[i].start;
  if (sx != sy) return sx < sy ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void store_drain(store *s) {
  size_t n = s->count, i = 0;
  trace **all = xmalloc(n * sizeof *all);
  for (trace *t = s->head; t; t = t->next) all[i++] = t;
  qsort(all, n, sizeof *all, by_start);
  for (i = 0; i < n; i++) hand_on(s, all[i]);
  free(all);
}
