/* What the test programs that write files (or read spanlog's output from a pipe) share:
 * a file's or a stream's bytes read into memory and split into lines, the program's
 * temporary directory, and a monotonic clock in milliseconds. The functions are in
 * testfiles.c.
 *
 * testfiles.c does not include check.h, and must not: check.h's failure count is
 * static, one per program file, so a check made in testfiles.c would be counted where
 * nobody looks. The checks on what a file holds (EXPECT_SEQ, EXPECT_FILE) are therefore
 * static inline, at the end of this header, and exist only in a program that includes
 * check.h before it. */
#ifndef TESTFILES_H
#define TESTFILES_H

#include <pthread.h>
#include <stddef.h>

/* Bytes read from a file or a stream (NUL-terminated, when data is not NULL); after
   text_split, also its lines. */
typedef struct text {
  char *data;
  size_t len, cap;
  char **line; /* after text_split: the lines, their newlines replaced by NULs */
  size_t n;
  int torn; /* the last line has no newline */
} text;

/* Appends p[0..n) to t (aborts if out of memory). */
void text_add(text *t, const char *p, size_t n);
/* Appends the whole content of path to t: 0, or -1 if it cannot be opened. After a 0,
   t->data is not NULL, even for an empty file. */
int text_read_file(text *t, const char *path);
/* Splits t's data into t->line[0..t->n), in place. */
void text_split(text *t);
/* The content of path split into lines; all zero if it cannot be opened. */
text read_text(const char *path);
void text_free(text *t);

/* Makes the program's temporary directory, /tmp/spanlog-NAME-XXXXXX: its path, or NULL
   (errno set). */
const char *tmpdir_make(const char *name);
/* Writes the path of name in that directory into out[0..size) and returns out. */
const char *in_dir(char *out, size_t size, const char *name);
/* Removes the files in the directory, then the directory: rmdir's result. */
int tmpdir_remove(void);
/* For the end of main: removes the directory if rc (check_exit's) is 0, else keeps it
   and says where it is. Returns rc. */
int tmpdir_done(int rc);

/* A thread that reads a pipe to its end into `got`, pausing pause_ms (0: not) after each
   read of at most 4 KiB, with every signal blocked (a timer's signals go to the threads
   that write). reads counts the reads that returned bytes. */
typedef struct pipe_reader {
  int fd;
  long pause_ms;
  long reads;
  text got;
  pthread_t thread;
} pipe_reader;
/* Starts it on fd: 0, or -1 if no thread. */
int pipe_reader_start(pipe_reader *r, int fd, long pause_ms);
/* Joins it (once every write end is closed), closes fd and splits what it read into lines. */
void pipe_reader_finish(pipe_reader *r);

/* CLOCK_MONOTONIC in milliseconds. */
double now_ms(void);
/* Sleeps ms milliseconds, a signal notwithstanding. */
void sleep_ms(long ms);

#endif

#if defined(CHECK_H) && !defined(TESTFILES_CHECKS)
#define TESTFILES_CHECKS

/* Lines first..t->n of t must be exactly the records of `event` with seq from..to-1, in
   order, each a valid line. Reports the first mismatch only, as file:line_no (the
   caller's) and `what`. */
static inline void expect_seq(const text *t, size_t first, const char *event, long from, long to,
                              const char *what, const char *file, int line_no) {
  if (t->torn) {
    fprintf(stderr, "%s:%d: [%s] %s: the last line has no newline\n", file, line_no,
            check_current, what);
    check_failures++;
  }
  size_t have = t->n >= first ? t->n - first : 0;
  if (have != (size_t)(to - from)) {
    fprintf(stderr, "%s:%d: [%s] %s: %zu lines, want %ld\n", file, line_no, check_current,
            what, have, to - from);
    check_failures++;
  }
  for (size_t i = 0; i < have && i < (size_t)(to - from); i++) {
    jl_doc *d = check_parse(t->line[first + i], file, line_no);
    const char *ev = doc_str(d, "event");
    long seq = doc_long(d, "seq");
    int same = ev && strcmp(ev, event) == 0;
    jl_free(d);
    if (!same || seq != from + (long)i) {
      fprintf(stderr, "%s:%d: [%s] %s: line %zu is %.200s, want event %s seq %ld\n", file,
              line_no, check_current, what, first + i, t->line[first + i], event,
              from + (long)i);
      check_failures++;
      return;
    }
  }
}
#define EXPECT_SEQ(t, first, event, from, to) \
  expect_seq((t), (first), (event), (from), (to), #t, __FILE__, __LINE__)

/* path must hold exactly the records of `event` with seq from..to-1, in order. */
static inline void expect_file(const char *path, const char *event, long from, long to,
                               const char *file, int line_no) {
  text t = read_text(path);
  expect_seq(&t, 0, event, from, to, path, file, line_no);
  text_free(&t);
}
#define EXPECT_FILE(path, event, from, to) \
  expect_file((path), (event), (from), (to), __FILE__, __LINE__)

#endif
