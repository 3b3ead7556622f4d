/* Runs a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so that every compiler's
 * `meson test` exercises the targets (suite 'fuzz'):
 *
 *   replay [-m MUTATIONS] [-r RANDOM] [-s SEED] CORPUS_DIR_OR_FILE...
 *
 * For each corpus file, in name order: the whole file, each of its truncations, and
 * MUTATIONS (default 64) deterministic mutants (bit flips, bytes inserted, deleted,
 * overwritten with bytes that parsers treat specially, chunks duplicated). Then RANDOM
 * (default 0) inputs drawn from the bytes the corpus uses. Everything follows from SEED, so
 * a failure repeats; the input that failed is saved as replay-crash.bin in the working
 * directory, to hand to the libFuzzer binary or a debugger. A target reports a
 * failure by aborting. Exits 1 if no corpus file could be read. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Beyond this many bytes a file's truncations are taken at a stride, so that one large
   corpus file does not dominate the run time. */
enum { MAX_PREFIXES = 2048, MAX_MUTANT_GROWTH = 64 };

typedef struct input {
  uint8_t *data;
  size_t len;
} input;

typedef struct options {
  unsigned long mutations, randoms;
  uint64_t seed;
} options;

static unsigned long runs;
static uint8_t seen[256]; /* bytes that occur in the corpus: the alphabet of random inputs */

/* xorshift64*: small, and the same sequence on every platform. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s >> 12, *s ^= *s << 25, *s ^= *s >> 27;
  return *s * 2685821657736338717u;
}

static size_t below(uint64_t *s, size_t n) { return n ? (size_t)(next_random(s) % n) : 0; }

/* The input being run, for the crash handler to save. */
static const uint8_t *current;
static size_t current_len;

/* Saves the input that failed where the user can hand it to the libFuzzer binary or a
   debugger. Runs in a signal handler or a sanitizer's death callback: open and write only. */
static void save_current(void) {
  int fd = open("replay-crash.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  for (size_t at = 0; at < current_len;) {
    ssize_t n = write(fd, current + at, current_len - at);
    if (n <= 0) break;
    at += (size_t)n;
  }
  close(fd);
}

static void on_crash(int sig) {
  save_current();
  signal(sig, SIG_DFL); /* then die of the same signal, as the test harness expects */
  raise(sig);
}

/* ASan and UBSan end the process without a signal: they call this instead, if linked. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void catch_crashes(void) {
  const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) signal(sigs[i], on_crash);
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(save_current);
}

static void run(const uint8_t *data, size_t len) {
  /* A fresh copy of exactly len bytes: ASan then sees any read past the end. */
  uint8_t *copy = malloc(len ? len : 1);
  if (!copy) abort();
  if (len) memcpy(copy, data, len);
  current = copy, current_len = len;
  LLVMFuzzerTestOneInput(copy, len);
  current = NULL, current_len = 0;
  free(copy);
  runs++;
}

static int read_file(const char *path, input *in) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 4096;
  in->len = 0;
  in->data = malloc(cap);
  for (size_t n; in->data && (n = fread(in->data + in->len, 1, cap - in->len, f)) > 0;) {
    in->len += n;
    if (in->len < cap) continue;
    uint8_t *more = realloc(in->data, cap *= 2);
    if (!more) free(in->data);
    in->data = more;
  }
  fclose(f);
  return in->data ? 0 : -1;
}

/* Bytes that parsers of text treat specially: quotes, escapes, separators, NUL, and the
   bytes that start or break UTF-8 sequences. */
static uint8_t special_byte(uint64_t *s) {
  static const uint8_t bytes[] = {0,   '"', '\\', ',', ';', '=', '-', ':', '{', '}', '[', ']',
                                  '%', ' ', '\t', '\n', '\r', '0', '9', 'f', 'u', 0x7f, 0x80, 0xbf,
                                  0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  return bytes[below(s, sizeof bytes)];
}

/* One edit of m (room for MAX_MUTANT_GROWTH more bytes than the original). */
static void mutate_once(uint8_t *m, size_t *len, size_t cap, uint64_t *s) {
  size_t n = *len, at = below(s, n + 1);
  switch (below(s, 6)) {
  case 0: /* flip a bit */
    if (n) m[below(s, n)] ^= (uint8_t)(1u << below(s, 8));
    break;
  case 1: /* insert a byte */
  case 2:
    if (n < cap) memmove(m + at + 1, m + at, n - at), m[at] = special_byte(s), (*len)++;
    break;
  case 3: { /* delete up to 8 bytes */
    size_t k = below(s, 8) + 1;
    if (at + k > n) k = n - at;
    memmove(m + at, m + at + k, n - at - k), *len -= k;
    break;
  }
  case 4: /* overwrite a byte */
    if (n) m[below(s, n)] = special_byte(s);
    break;
  default: { /* duplicate a chunk of up to 16 bytes in place */
    size_t k = below(s, 16) + 1;
    if (at + k > n) k = n - at;
    if (n + k > cap) k = cap - n;
    memmove(m + at + k, m + at, n - at), *len += k;
    break;
  }
  }
}

static void run_mutants(const input *in, const options *o, uint64_t s) {
  size_t cap = in->len + MAX_MUTANT_GROWTH;
  uint8_t *m = malloc(cap);
  if (!m) abort();
  for (unsigned long i = 0; i < o->mutations; i++) {
    size_t len = in->len;
    if (len) memcpy(m, in->data, len);
    for (size_t edits = below(&s, 4) + 1; edits > 0; edits--) mutate_once(m, &len, cap, &s);
    run(m, len);
  }
  free(m);
}

static uint64_t hash_bytes(const uint8_t *p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u; /* FNV-1a */
  return h ? h : 1;
}

static int replay_file(const char *path, const options *o) {
  input in;
  if (read_file(path, &in)) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    return -1;
  }
  for (size_t i = 0; i < in.len; i++) seen[in.data[i]] = 1;
  run(in.data, in.len);
  size_t stride = in.len / MAX_PREFIXES + 1;
  for (size_t k = 0; k < in.len; k += stride) run(in.data, k);
  /* Each file's mutants depend on its bytes, not on which files came before it. */
  run_mutants(&in, o, hash_bytes(in.data, in.len, o->seed ^ 14695981039346656037u));
  free(in.data);
  return 0;
}

static int skip_hidden(const struct dirent *e) { return e->d_name[0] != '.'; }

/* Every file of a folder, in name order (readdir's order differs between filesystems). */
static int replay_dir(const char *dir, const options *o, int *files) {
  struct dirent **names;
  int n = scandir(dir, &names, skip_hidden, alphasort), bad = n < 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      bad |= replay_file(path, o) != 0;
      (*files)++;
    }
    free(names[i]);
  }
  free(names);
  return bad;
}

static void run_randoms(const options *o) {
  uint8_t alphabet[256], buf[512];
  size_t na = 0;
  for (int c = 0; c < 256; c++)
    if (seen[c]) alphabet[na++] = (uint8_t)c;
  if (!na) return;
  uint64_t s = o->seed | 1;
  for (unsigned long i = 0; i < o->randoms; i++) {
    size_t len = below(&s, sizeof buf);
    for (size_t k = 0; k < len; k++) buf[k] = below(&s, 8) ? alphabet[below(&s, na)] : special_byte(&s);
    run(buf, len);
  }
}

static int parse_options(int argc, char **argv, options *o, int *first) {
  *o = (options){64, 0, 20260314};
  int i = 1;
  for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] && !argv[i][2]; i += 2) {
    char *end;
    unsigned long long v = strtoull(argv[i + 1], &end, 0);
    if (*end || end == argv[i + 1]) return -1;
    if (argv[i][1] == 'm') o->mutations = (unsigned long)v;
    else if (argv[i][1] == 'r') o->randoms = (unsigned long)v;
    else if (argv[i][1] == 's') o->seed = v;
    else return -1;
  }
  *first = i;
  return i < argc ? 0 : -1;
}

int main(int argc, char **argv) {
  options o;
  int first, files = 0, bad = 0;
  catch_crashes();
  if (parse_options(argc, argv, &o, &first)) {
    fprintf(stderr, "usage: %s [-m MUTATIONS] [-r RANDOM] [-s SEED] CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  for (int i = first; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      bad |= replay_dir(argv[i], &o, &files);
    } else {
      bad |= replay_file(argv[i], &o) != 0;
      files++;
    }
  }
  run_randoms(&o);
  printf("replay: %d corpus files, %lu inputs, seed %llu\n", files, runs, (unsigned long long)o.seed);
  return bad || files == 0;
}
