/* jsonl_check: validates JSON-lines output with jsonl.c, for shell tests.
 *
 *   jsonl_check [--expect N] [--field KEY] [FILE...]
 *
 * Reads the files (or stdin; "-" is stdin too) and checks every line. On
 * success prints "lines=N" (the total) and exits 0; with --field, prints
 * instead, per record, KEY's decoded string value, its raw text if it is not
 * a string, or "<absent>" (a decoded value holding '\n' spans several output
 * lines). The first invalid line ends the run with
 * "[FILE: ]line N: <error>" on stderr and exit status 1, as does a line count
 * other than --expect's. Usage and I/O errors exit with status 2. */
#include "jsonl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *field; /* --field KEY, or NULL */
static size_t total;      /* valid lines so far, over all inputs */

/* Reports an invalid line; name is NULL for stdin. */
static void report(const char *name, size_t lineno, const char *msg) {
  fprintf(stderr, "%s%sline %zu: %s\n", name ? name : "", name ? ": " : "", lineno, msg);
}

/* Checks one line; name is NULL for stdin. Returns 0, or the exit status. */
static int check_line(const char *name, size_t lineno, const char *s, size_t len) {
  char err[256];
  jl_doc *d = jl_parse(s, len, err, sizeof err);
  if (!d) {
    report(name, lineno, err);
    return 1;
  }
  total++;
  if (field) {
    long i = jl_find(d, field);
    size_t n = 0;
    const char *v = i < 0 ? "<absent>" : jl_str(d, (size_t)i, &n);
    if (i < 0) n = strlen(v);
    else if (!v) v = jl_raw(d, (size_t)i, &n);
    fwrite(v, 1, n, stdout);
    putchar('\n');
  }
  jl_free(d);
  return 0;
}

/* Checks every line of f. Lines may be of any length: the buffer grows until
 * it holds the longest one. */
static int check_stream(FILE *f, const char *name) {
  static char *buf;
  static size_t cap;
  size_t start = 0; /* the current line's first byte */
  size_t scan = 0;  /* buf[start..scan) holds no '\n': no need to search it again */
  size_t len = 0;   /* bytes in buf */
  size_t lineno = 0;
  for (;;) {
    char *nl = buf ? memchr(buf + scan, '\n', len - scan) : NULL;
    if (nl) {
      int r = check_line(name, ++lineno, buf + start, (size_t)(nl - buf) - start);
      if (r) return r;
      start = scan = (size_t)(nl + 1 - buf);
      continue;
    }
    /* No whole line left: move the partial one to the front, then read more. */
    if (start) memmove(buf, buf + start, len - start);
    len -= start;
    start = 0;
    scan = len;
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : (size_t)1 << 20;
      char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
      if (!nb) {
        report(name, lineno + 1, "out of memory");
        return 2;
      }
      buf = nb;
      cap = ncap;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got) continue;
    if (ferror(f)) {
      fprintf(stderr, "%s: read error: %s\n", name ? name : "<stdin>", strerror(errno));
      return 2;
    }
    if (len == 0) return 0;
    /* The library always ends its lines: a partial one means a torn write. */
    report(name, lineno + 1, "last line not terminated");
    return 1;
  }
}

static int usage(void) {
  fputs("usage: jsonl_check [--expect N] [--field KEY] [FILE...]\n", stderr);
  return 2;
}

int main(int argc, char **argv) {
  long long expect = -1;
  int i = 1;
  while (i < argc && !strncmp(argv[i], "--", 2)) {
    const char *opt = argv[i++], *arg = argv[i++];
    if (!strcmp(opt, "--")) {
      i--;
      break;
    }
    if (!arg) return usage();
    if (!strcmp(opt, "--expect")) {
      char *end;
      errno = 0;
      expect = strtoll(arg, &end, 10);
      if (errno || end == arg || *end || expect < 0) return usage();
    } else if (!strcmp(opt, "--field")) {
      field = arg;
    } else {
      return usage();
    }
  }
  int r = 0;
  if (i == argc) r = check_stream(stdin, NULL);
  for (; i < argc && !r; i++) {
    if (!strcmp(argv[i], "-")) {
      r = check_stream(stdin, NULL);
      continue;
    }
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
      return 2;
    }
    r = check_stream(f, argv[i]);
    fclose(f);
  }
  if (r) return r;
  if (expect >= 0 && total != (unsigned long long)expect) {
    fprintf(stderr, "expected %lld lines, got %zu\n", expect, total);
    return 1;
  }
  if (!field) printf("lines=%zu\n", total);
  if (fflush(stdout) || ferror(stdout)) {
    fprintf(stderr, "write error: %s\n", strerror(errno));
    return 2;
  }
  return 0;
}
