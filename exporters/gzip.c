/* gzip and deflate (gzip.h). The whole input is in memory, so the LZ77 window needs no
 * buffer of its own: positions index the input, and the hash chains keep the last
 * position of each 3-byte hash (head) and, per window slot, the one before it (prev). */
#include "exporters/gzip.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ================= CRC-32, eight bytes per step ================= */

static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[0][i] = c;
  }
  /* table[k][i]: the CRC of byte i followed by k zero bytes */
  for (int k = 1; k < 8; k++)
    for (int i = 0; i < 256; i++) {
      uint32_t c = crc_table[k - 1][i];
      crc_table[k][i] = (c >> 8) ^ crc_table[0][c & 0xFF];
    }
}

uint32_t sl_crc32(uint32_t crc, const void *p, size_t n) {
  const unsigned char *s = p;
  pthread_once(&crc_once, crc_init);
  crc = ~crc;
  for (; n >= 8; n -= 8, s += 8) {
    uint32_t lo = crc ^ ((uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24);
    crc = crc_table[7][lo & 0xFF] ^ crc_table[6][lo >> 8 & 0xFF] ^ crc_table[5][lo >> 16 & 0xFF] ^
          crc_table[4][lo >> 24] ^ crc_table[3][s[4]] ^ crc_table[2][s[5]] ^ crc_table[1][s[6]] ^ crc_table[0][s[7]];
  }
  while (n--) crc = crc_table[0][(crc ^ *s++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

/* ================= deflate ================= */

#define WSIZE 32768u      /* the window: the farthest distance deflate can say */
#define WMASK (WSIZE - 1)
#define HASH_BITS 15
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 48      /* candidates tried per position: speed against ratio */
#define NICE_MATCH 128    /* a match this long is taken without looking further */
#define GOOD_MATCH 32     /* after one this long, the lazy look-ahead tries fewer */
#define BLOCK_TOKENS 16384
#define NLIT 286 /* literal/length symbols in use (286, 287 never occur) */
#define NDIST 30
#define NCL 19 /* code length symbols */

typedef struct bits {
  unsigned char *o;
  uint64_t acc;
  unsigned n;
} bits;

/* LSB first, as deflate packs them; n <= 32. */
static void put_bits(bits *w, uint32_t v, unsigned n) {
  w->acc |= (uint64_t)v << w->n;
  w->n += n;
  if (w->n >= 32) {
    for (int i = 0; i < 4; i++) *w->o++ = (unsigned char)(w->acc >> 8 * i);
    w->acc >>= 32;
    w->n -= 32;
  }
}

static void align_bits(bits *w) {
  while (w->n > 0) {
    *w->o++ = (unsigned char)w->acc;
    w->acc >>= 8;
    w->n = w->n > 8 ? w->n - 8 : 0;
  }
  w->acc = 0;
}

/* ---- length and distance symbols (RFC 1951 3.2.5), by arithmetic on the bit length ---- */

static unsigned log2u(uint32_t v) { return 31u - (unsigned)__builtin_clz(v); }

/* len 3..258 → symbol 0..28 (add 257), its extra bits and their value */
static unsigned len_sym(unsigned len, unsigned *nextra, unsigned *extra) {
  unsigned l = len - MIN_MATCH;
  if (l < 8 || len == MAX_MATCH) return *nextra = 0, *extra = 0, len == MAX_MATCH ? 28 : l;
  unsigned nb = log2u(l), sym = 4 * (nb - 1) + (l >> (nb - 2) & 3);
  *nextra = nb - 2;
  *extra = l & ((1u << (nb - 2)) - 1);
  return sym;
}

/* dist 1..32768 → symbol 0..29, its extra bits and their value */
static unsigned dist_sym(unsigned dist, unsigned *nextra, unsigned *extra) {
  unsigned x = dist - 1;
  if (x < 4) return *nextra = 0, *extra = 0, x;
  unsigned nb = log2u(x), sym = 2 * nb + (x >> (nb - 1) & 1);
  *nextra = nb - 1;
  *extra = x & ((1u << (nb - 1)) - 1);
  return sym;
}

/* ---- Huffman codes ---- */

#define NFIXED 288 /* the fixed code assigns 286 and 287 too: they shift the 9-bit codes */

typedef struct code {
  uint16_t bits[NFIXED]; /* bit-reversed canonical codes, ready for put_bits */
  uint8_t len[NFIXED];
} code;

typedef struct leaf {
  uint32_t freq;
  uint16_t sym;
} leaf;

static int by_freq(const void *a, const void *b) {
  const leaf *x = a, *y = b;
  if (x->freq != y->freq) return x->freq < y->freq ? -1 : 1;
  return x->sym < y->sym ? -1 : 1;
}

/* Depths of a Huffman tree over the sorted leaves (two queues: leaves, then the
   internal nodes, which are made in non-decreasing weight), counted per length. */
static void tree_depths(const leaf *lv, int m, unsigned count[32]) {
  uint32_t w[2 * NLIT];
  int parent[2 * NLIT], depth[2 * NLIT], i = 0, j = m;
  for (int k = 0; k < m; k++) w[k] = lv[k].freq;
  for (int k = m; k < 2 * m - 1; k++) {
    int a = i < m && (j >= k || w[i] <= w[j]) ? i++ : j++;
    int b = i < m && (j >= k || w[i] <= w[j]) ? i++ : j++;
    w[k] = w[a] + w[b];
    parent[a] = parent[b] = k;
  }
  depth[2 * m - 2] = 0;
  for (int k = 2 * m - 3; k >= 0; k--) depth[k] = depth[parent[k]] + 1;
  memset(count, 0, 32 * sizeof *count);
  for (int k = 0; k < m; k++) count[depth[k] < 31 ? depth[k] : 31]++;
}

/* Lengths past maxbits are pulled up to it, then leaves pushed down one level at a time
   until the code is complete again (the Kraft sum back to one). */
static void limit_lengths(unsigned count[32], unsigned maxbits) {
  uint32_t total = 0;
  for (unsigned l = maxbits + 1; l < 32; l++) count[maxbits] += count[l], count[l] = 0;
  for (unsigned l = 1; l <= maxbits; l++) total += count[l] << (maxbits - l);
  while (total > 1u << maxbits) {
    count[maxbits]--;
    for (unsigned l = maxbits - 1; l > 0; l--)
      if (count[l]) {
        count[l]--, count[l + 1] += 2;
        break;
      }
    total--;
  }
}

/* Canonical codes from lengths (RFC 1951 3.2.2), bit-reversed for LSB-first output. */
static void make_codes(code *c, int n) {
  unsigned count[16] = {0}, next[16];
  for (int s = 0; s < n; s++) count[c->len[s]]++;
  count[0] = 0;
  unsigned v = 0;
  for (int l = 1; l < 16; l++) next[l] = v = (v + count[l - 1]) << 1;
  for (int s = 0; s < n; s++) {
    unsigned l = c->len[s], k = l ? next[l]++ : 0, r = 0;
    for (unsigned b = 0; b < l; b++) r |= (k >> b & 1) << (l - 1 - b);
    c->bits[s] = (uint16_t)r;
  }
}

/* A length-limited Huffman code for freq[0..n). At least two symbols get a code, so
   that every code is complete (a lone symbol would need a one-bit code anyway). */
static void build_code(code *c, const uint32_t *freq, int n, unsigned maxbits) {
  leaf lv[NLIT];
  unsigned count[32];
  int m = 0;
  for (int s = 0; s < n; s++)
    if (freq[s]) lv[m].freq = freq[s], lv[m++].sym = (uint16_t)s;
  for (int s = 0; s < n && m < 2; s++)
    if (!freq[s]) lv[m].freq = 1, lv[m++].sym = (uint16_t)s; /* a phantom: never written */
  qsort(lv, (size_t)m, sizeof *lv, by_freq);
  tree_depths(lv, m, count);
  limit_lengths(count, maxbits);
  memset(c->len, 0, sizeof c->len);
  /* rarest symbols get the longest codes */
  int k = 0;
  for (unsigned l = maxbits; l > 0; l--)
    for (unsigned i = 0; i < count[l]; i++) c->len[lv[k++].sym] = (uint8_t)l;
  make_codes(c, n);
}

/* ---- blocks ---- */

typedef struct block {
  const uint32_t *tok; /* dist << 16 | length, or a literal byte with dist 0 */
  size_t ntok;
  const unsigned char *raw; /* the bytes the tokens stand for */
  size_t nraw;
} block;

typedef struct dyn {
  code lit, dist, cl;
  uint8_t rle[NLIT + NDIST]; /* code length symbols, then their extra value */
  uint8_t rle_extra[NLIT + NDIST];
  int nrle, hlit, hdist, hclen;
} dyn;

static const uint8_t cl_order[NCL] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

static void count_freqs(const block *bk, uint32_t lf[NLIT], uint32_t df[NDIST]) {
  unsigned ne, ev;
  memset(lf, 0, NLIT * sizeof *lf);
  memset(df, 0, NDIST * sizeof *df);
  for (size_t i = 0; i < bk->ntok; i++) {
    uint32_t t = bk->tok[i];
    if (t >> 16 == 0) {
      lf[t]++;
    } else {
      lf[257 + len_sym(t & 0xFFFF, &ne, &ev)]++;
      df[dist_sym(t >> 16, &ne, &ev)]++;
    }
  }
  lf[256] = 1; /* end of block */
}

/* The lengths of both codes, run-length coded with symbols 16, 17 and 18. */
static void rle_lengths(dyn *d) {
  uint8_t all[NLIT + NDIST];
  int n = d->hlit + d->hdist;
  memcpy(all, d->lit.len, (size_t)d->hlit);
  memcpy(all + d->hlit, d->dist.len, (size_t)d->hdist);
  d->nrle = 0;
  for (int i = 0; i < n;) {
    int run = 1;
    while (i + run < n && all[i + run] == all[i]) run++;
    if (all[i] == 0 && run >= 3) {
      run = run > 138 ? 138 : run;
      d->rle[d->nrle] = run >= 11 ? 18 : 17;
      d->rle_extra[d->nrle++] = (uint8_t)(run >= 11 ? run - 11 : run - 3);
    } else if (all[i] != 0 && run >= 4) {
      run = run > 7 ? 7 : run; /* the length itself, then 16 repeating it 3 to 6 times */
      d->rle[d->nrle] = all[i], d->rle_extra[d->nrle++] = 0;
      d->rle[d->nrle] = 16, d->rle_extra[d->nrle++] = (uint8_t)(run - 4);
    } else {
      run = 1;
      d->rle[d->nrle] = all[i], d->rle_extra[d->nrle++] = 0;
    }
    i += run;
  }
}

static const uint8_t cl_extra_bits[NCL] = {[16] = 2, [17] = 3, [18] = 7};

/* Builds the dynamic codes of a block; returns its size in bits. */
static size_t plan_dynamic(dyn *d, uint32_t lf[NLIT], uint32_t df[NDIST]) {
  uint32_t cf[NLIT] = {0};
  build_code(&d->lit, lf, NLIT, 15);
  build_code(&d->dist, df, NDIST, 15);
  for (d->hlit = NLIT; d->hlit > 257 && !d->lit.len[d->hlit - 1];) d->hlit--;
  for (d->hdist = NDIST; d->hdist > 1 && !d->dist.len[d->hdist - 1];) d->hdist--;
  rle_lengths(d);
  for (int i = 0; i < d->nrle; i++) cf[d->rle[i]]++;
  build_code(&d->cl, cf, NCL, 7);
  for (d->hclen = NCL; d->hclen > 4 && !d->cl.len[cl_order[d->hclen - 1]];) d->hclen--;
  size_t bitsz = 3 + 5 + 5 + 4 + 3 * (size_t)d->hclen;
  for (int i = 0; i < d->nrle; i++) bitsz += d->cl.len[d->rle[i]] + cl_extra_bits[d->rle[i]];
  return bitsz;
}

/* Bits of the block's symbols under the given lengths, extra bits included. */
static size_t symbol_bits(const uint32_t lf[NLIT], const uint32_t df[NDIST], const uint8_t *ll, const uint8_t *dl) {
  size_t n = 0;
  for (int s = 0; s < NLIT; s++) n += (size_t)lf[s] * (ll[s] + (s >= 265 && s < 285 ? (unsigned)(s - 261) / 4 : 0));
  for (int s = 0; s < NDIST; s++) n += (size_t)df[s] * (dl[s] + (s >= 4 ? (unsigned)s / 2 - 1 : 0));
  return n;
}

static void fixed_codes(code *lit, code *dist) {
  for (int s = 0; s < NFIXED; s++) lit->len[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
  for (int s = 0; s < NDIST; s++) dist->len[s] = 5;
  make_codes(lit, NFIXED);
  make_codes(dist, NDIST);
}

static void put_symbols(bits *w, const block *bk, const code *lit, const code *dist) {
  unsigned ne, ev;
  for (size_t i = 0; i < bk->ntok; i++) {
    uint32_t t = bk->tok[i];
    if (t >> 16 == 0) {
      put_bits(w, lit->bits[t], lit->len[t]);
      continue;
    }
    unsigned s = 257 + len_sym(t & 0xFFFF, &ne, &ev);
    put_bits(w, lit->bits[s], lit->len[s]);
    if (ne) put_bits(w, ev, ne);
    s = dist_sym(t >> 16, &ne, &ev);
    put_bits(w, dist->bits[s], dist->len[s]);
    if (ne) put_bits(w, ev, ne);
  }
  put_bits(w, lit->bits[256], lit->len[256]);
}

static void put_dynamic_header(bits *w, const dyn *d, int final) {
  put_bits(w, (unsigned)final | 2u << 1, 3);
  put_bits(w, (unsigned)(d->hlit - 257), 5);
  put_bits(w, (unsigned)(d->hdist - 1), 5);
  put_bits(w, (unsigned)(d->hclen - 4), 4);
  for (int i = 0; i < d->hclen; i++) put_bits(w, d->cl.len[cl_order[i]], 3);
  for (int i = 0; i < d->nrle; i++) {
    unsigned s = d->rle[i];
    put_bits(w, d->cl.bits[s], d->cl.len[s]);
    if (cl_extra_bits[s]) put_bits(w, d->rle_extra[i], cl_extra_bits[s]);
  }
}

static void put_stored(bits *w, const unsigned char *p, size_t n, int final) {
  do {
    size_t k = n > 65535 ? 65535 : n;
    n -= k;
    put_bits(w, final && n == 0 ? 1u : 0u, 3);
    align_bits(w);
    unsigned char hdr[4] = {(unsigned char)k, (unsigned char)(k >> 8), (unsigned char)~k, (unsigned char)(~k >> 8)};
    memcpy(w->o, hdr, 4);
    memcpy(w->o + 4, p, k);
    w->o += 4 + k, p += k;
  } while (n);
}

/* Writes the block the cheapest of the three ways. */
static void write_block(bits *w, const block *bk, int final, dyn *d) {
  uint32_t lf[NLIT], df[NDIST];
  code flit, fdist;
  count_freqs(bk, lf, df);
  fixed_codes(&flit, &fdist);
  size_t fixed = 3 + symbol_bits(lf, df, flit.len, fdist.len);
  size_t stored = 8 * (bk->nraw + 5 * (bk->nraw / 65535 + 1)) + 8;
  size_t dynamic = plan_dynamic(d, lf, df);
  dynamic += symbol_bits(lf, df, d->lit.len, d->dist.len);
  if (stored <= fixed && stored <= dynamic) {
    put_stored(w, bk->raw, bk->nraw, final);
  } else if (fixed <= dynamic) {
    put_bits(w, (unsigned)final | 1u << 1, 3);
    put_symbols(w, bk, &flit, &fdist);
  } else {
    put_dynamic_header(w, d, final);
    put_symbols(w, bk, &d->lit, &d->dist);
  }
}

/* ---- LZ77 ---- */

typedef struct lz {
  const unsigned char *in;
  size_t n;
  uint32_t head[1u << HASH_BITS]; /* last position + 1 of each hash, 0 for none */
  uint32_t prev[WSIZE];           /* per window slot: the position + 1 before it */
  uint32_t tok[BLOCK_TOKENS];
  dyn d;
} lz;

static uint32_t hash3(const unsigned char *p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
  return (v * 0x9E3779B1u) >> (32 - HASH_BITS);
}

static void insert(lz *z, size_t pos) {
  uint32_t h = hash3(z->in + pos);
  z->prev[pos & WMASK] = z->head[h];
  z->head[h] = (uint32_t)pos + 1;
}

/* Bytes that match at a and b, up to max; eight at a time. */
static unsigned match_len(const unsigned char *a, const unsigned char *b, unsigned max) {
  unsigned n = 0;
  while (n + 8 <= max) {
    uint64_t x, y;
    memcpy(&x, a + n, 8), memcpy(&y, b + n, 8);
    if (x != y) return n + (unsigned)__builtin_ctzll(x ^ y) / 8; /* little-endian: lowest byte first */
    n += 8;
  }
  while (n < max && a[n] == b[n]) n++;
  return n;
}

/* The longest match for pos among its chain's candidates within the window, longer
   than `better`; chain: how many to try. Returns its length (0 if none), *dist. */
static unsigned longest(const lz *z, size_t pos, unsigned better, unsigned chain, unsigned *dist) {
  size_t avail = z->n - pos;
  unsigned max = avail < MAX_MATCH ? (unsigned)avail : MAX_MATCH, best = better;
  uint32_t cand = z->prev[pos & WMASK]; /* pos itself is the head: start one back */
  if (best >= max) return 0;
  while (cand && chain--) {
    size_t c = cand - 1;
    if (pos - c >= WSIZE) break;
    /* the byte that would make it longer than the best first: most candidates end there */
    if (z->in[c + best] == z->in[pos + best]) {
      unsigned len = match_len(z->in + c, z->in + pos, max);
      if (len > best) {
        best = len, *dist = (unsigned)(pos - c);
        if (len >= NICE_MATCH || len == max) break;
      }
    }
    uint32_t next = z->prev[c & WMASK];
    if (next >= cand) break; /* the slot was reused by a newer position */
    cand = next;
  }
  return best > better && best >= MIN_MATCH ? best : 0;
}

/* Inserts the positions a match covers after its first (while 3 bytes remain). */
static void insert_run(lz *z, size_t from, size_t to) {
  size_t last = z->n >= MIN_MATCH ? z->n - MIN_MATCH : 0;
  for (size_t p = from; p < to && p <= last; p++) insert(z, p);
}

/* Tokens from *pos on until the block is full or the input ends; returns how many.
   Lazy by one step: a match is put off when the next position has a longer one. */
static size_t tokenize(lz *z, size_t *pos) {
  size_t nt = 0, p = *pos;
  while (nt + 2 <= BLOCK_TOKENS && p < z->n) { /* room for a literal and a match */
    unsigned len = 0, dist = 0;
    if (z->n - p >= MIN_MATCH) {
      insert(z, p);
      len = longest(z, p, MIN_MATCH - 1, MAX_CHAIN, &dist);
    }
    if (!len) {
      z->tok[nt++] = z->in[p++];
      continue;
    }
    size_t inserted = p + 1; /* positions below it are in the chains */
    if (len < NICE_MATCH && z->n - (p + 1) >= MIN_MATCH) {
      unsigned dist2 = 0, len2;
      insert(z, p + 1);
      inserted = p + 2;
      len2 = longest(z, p + 1, len, len >= GOOD_MATCH ? MAX_CHAIN / 4 : MAX_CHAIN, &dist2);
      if (len2) {
        z->tok[nt++] = z->in[p++]; /* a literal, then the longer match one byte on */
        len = len2, dist = dist2;
      }
    }
    z->tok[nt++] = (uint32_t)dist << 16 | len;
    insert_run(z, inserted, p + len);
    p += len;
  }
  *pos = p;
  return nt;
}

static void put_le32(unsigned char *o, uint32_t v) {
  for (int i = 0; i < 4; i++) o[i] = (unsigned char)(v >> 8 * i);
}

static void deflate(lz *z, bits *w) {
  size_t pos = 0;
  if (z->n == 0) {
    put_bits(w, 1u | 1u << 1, 3); /* one final fixed block holding only its end: code 0000000 */
    put_bits(w, 0, 7);
  }
  while (pos < z->n) {
    size_t start = pos;
    block bk = {z->tok, 0, z->in + start, 0};
    bk.ntok = tokenize(z, &pos);
    bk.nraw = pos - start;
    write_block(w, &bk, pos == z->n, &z->d);
  }
  align_bits(w);
}

int sl_gzip(const void *in, size_t n, sl_buf *out) {
  static const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  /* Each block costs at most its stored form: the input, 5 bytes per 64 KiB piece, one
     byte of alignment, and a block holds at least BLOCK_TOKENS bytes but for the last. */
  size_t blocks = n / BLOCK_TOKENS + 1, room = 10 + 8 + 16 + blocks * 16;
  if (n > SIZE_MAX - room - n / 4096 || n >= (size_t)1 << 40) return -1;
  room += n + n / 4096;
  lz *z = calloc(1, sizeof *z);
  if (!z || sl_buf_reserve(out, room)) return free(z), -1;
  z->in = in, z->n = n;
  unsigned char *o = (unsigned char *)out->data + out->len;
  memcpy(o, header, sizeof header);
  bits w = {o + sizeof header, 0, 0};
  deflate(z, &w);
  free(z);
  put_le32(w.o, sl_crc32(0, in, n));
  put_le32(w.o + 4, (uint32_t)n);
  out->len = (size_t)(w.o + 8 - (unsigned char *)out->data);
  return 0;
}
