#include "sinks/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/common.h"
#include "base/fd_write.h"
#include "base/parse.h"
#include "base/thread.h"

sl_sink *sl_sinks;
/* Set once the application adds a sink of its own: the default sink is then not (or no
   longer) used. A capture does not set it: a test's capture only suspends the default
   sink while it is linked (sl_sinks_restore_default). */
static int sinks_from_code;

/* Lines are written in batches of about this many bytes. */
#define BATCH_BYTES (64 * 1024)

/* ---- writing ---- */

/* Blocks SIGPIPE on a thread that writes for spanlog but is not its own (after
   shutdown, producers write; spanlog's own threads block every signal already): a
   closed pipe must give EPIPE, not kill the process. */
typedef struct pipe_guard {
  int active;
  int was_pending;
  sigset_t old;
} pipe_guard;

static void pipe_guard_begin(pipe_guard *g) {
  g->active = !sl_thread_is_own();
  if (!g->active) return;
  sigset_t pipe, pending;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  sigpending(&pending);
  g->was_pending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, &g->old);
}

static void pipe_guard_end(pipe_guard *g, int got_epipe) {
  if (!g->active) return;
  if (got_epipe && !g->was_pending) {
    /* Take back the SIGPIPE our write raised, before unblocking it. */
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    struct timespec zero = {0, 0};
    sigtimedwait(&pipe, NULL, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

static uint64_t count_lines(const char *p, size_t n) {
  uint64_t k = 0;
  for (const char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) k++;
  return k;
}

/* A failing sink is reported once when it starts failing and once when it recovers,
   never per record: the program goes on either way. */
static void note_result(sl_sink *s, int err, const char *unwritten, size_t n) {
  if (err) {
    s->lost_lines += count_lines(unwritten, n);
    if (err != s->failing_errno && err == ESTALE)
      sl_diag("spanlog: %s now refers to another file (closed and its number reused?); its records are "
              "lost until it refers to its own file again or the sink is removed", s->name);
    else if (err != s->failing_errno)
      sl_diag("spanlog: cannot write to %s: %s; its records are lost until writing works again",
              s->name, strerror(err));
    s->failing_errno = err;
  } else if (s->failing_errno) {
    sl_diag("spanlog: writing to %s works again; %llu records were lost", s->name,
            (unsigned long long)s->lost_lines);
    s->failing_errno = 0;
    s->lost_lines = 0;
  }
}

/* Bytes from off that form whole lines and fit one write: a write to a pipe of at most
   PIPE_BUF bytes is atomic, so such lines never interleave with another writer's. A
   single line longer than that goes alone, and is not atomic: another process's write
   to the same pipe can land inside it. */
static size_t batch_end(const sl_sink *s, const char *data, size_t len, size_t off) {
  size_t left = len - off;
  if (left <= s->chunk) return left;
  const char *base = data + off;
  const char *nl = memrchr(base, '\n', s->chunk);
  if (!nl) nl = memchr(base + s->chunk, '\n', left - s->chunk); /* one long line: alone */
  return nl ? (size_t)(nl - base) + 1 : left;
}

/* A regular file that still ends where our torn write left it: cuts the fragment's
   frag bytes off again, so that the file holds whole lines only. 0, or -1 if the fd is
   not such a file (or another writer has appended since). */
static int truncate_back(int fd, size_t frag) {
  struct stat st;
  off_t end = lseek(fd, 0, SEEK_CUR);
  if (end < (off_t)frag || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != end) return -1;
  if (ftruncate(fd, end - (off_t)frag) != 0) return -1;
  /* Without O_APPEND the next write goes at the offset: back to the new end. */
  return lseek(fd, end - (off_t)frag, SEEK_SET) < 0 ? -1 : 0;
}

/* After a write failed with `written` bytes of data out: where the lines that were not
   written whole begin. A line cut short is taken back from a regular file (then lost,
   and counted); on a stream, its rest is kept for later and the line counts as written. */
static size_t mend_torn_line(sl_sink *s, const char *data, size_t len, size_t written) {
  const char *nl = written ? memrchr(data, '\n', written) : NULL;
  size_t line_start = nl ? (size_t)(nl - data) + 1 : 0;
  if (written == line_start || truncate_back(s->fd, written - line_start) == 0) return line_start;
  const char *end = memchr(data + written, '\n', len - written);
  size_t rest_end = end ? (size_t)(end - data) + 1 : len;
  if (sl_buf_append(&s->torn_rest, data + written, rest_end - written)) return line_start;
  return rest_end;
}

/* The rest of a line cut short before: 0 once it is out (or there is none), or an errno. */
static int finish_torn_line(sl_sink *s) {
  size_t done;
  if (!s->torn_rest.len) return 0;
  int err = sl_write_all(s->fd, s->torn_rest.data, s->torn_rest.len, &done);
  memmove(s->torn_rest.data, s->torn_rest.data + done, s->torn_rest.len - done);
  s->torn_rest.len -= done;
  return err;
}

/* The identity of the open file behind fd; all ones if fd is not open (no file has it). */
static void file_identity(int fd, unsigned long long *dev, unsigned long long *ino) {
  struct stat st;
  int ok = fstat(fd, &st) == 0;
  *dev = ok ? (unsigned long long)st.st_dev : ~0ull;
  *ino = ok ? (unsigned long long)st.st_ino : ~0ull;
}

/* Whether fd still refers to the file the sink was given. An application that closes a
   sink's fd and opens another file gets the same number back: writing there would put
   log lines into someone else's file (a database, a socket), so such a sink writes
   nothing and counts its lines as lost. One fstat per write, that is per batch of lines,
   not per record. A closed fd is left to write(2), which reports EBADF. */
static int still_its_file(const sl_sink *s) {
  unsigned long long dev, ino;
  if (s->follows_fd) return 1;
  file_identity(s->fd, &dev, &ino);
  return (dev == ~0ull && ino == ~0ull) || (dev == s->file_dev && ino == s->file_ino);
}

/* Writes whole lines: a line is on the sink whole or not at all (or, on a stream, its
   rest comes first when writing works again), and the lines that did not make it are
   counted exactly. */
static void write_bytes(sl_sink *s, const char *data, size_t len) {
  pipe_guard guard;
  pipe_guard_begin(&guard);
  int err = still_its_file(s) ? finish_torn_line(s) : ESTALE;
  size_t off = 0, done = 0;
  while (off < len && !err) {
    size_t n = batch_end(s, data, len, off);
    err = sl_write_all(s->fd, data + off, n, &done);
    off += done;
  }
  if (err && off < len) off = mend_torn_line(s, data, len, off);
  note_result(s, err, data + off, len - off);
  pipe_guard_end(&guard, err == EPIPE);
}

static void write_lines(sl_sink *s, sl_buf *b) {
  if (b->len == 0) return;
  write_bytes(s, b->data, b->len);
  b->len = 0;
}

/* Writes what is batched, once the batches the writer thread has in hand are written:
   lines keep their order, and nothing else touches a sink's fd or error state while the
   writer does. */
static void write_out(sl_sink *s) {
  if (s->kind != SINK_FD) return;
  sl_writer_wait();
  write_lines(s, &s->out);
}

static void write_batch(void *batch) {
  struct sl_batch *b = batch;
  write_lines(b->sink, &b->lines);
}

/* A full batch goes to the writer thread; the backend goes on with an empty buffer. The
   slot taken is free: its last batch was handed over SL_WRITER_DEPTH batches ago, and at
   most SL_WRITER_DEPTH - 1 are unfinished (drain lock held: one thread hands batches over
   at a time). */
static void hand_over(sl_sink *s) {
  sl_writer_wait_room();
  struct sl_batch *slot = &s->batches[s->next_batch++ % SL_WRITER_DEPTH];
  sl_buf full = s->out;
  s->out = slot->lines;
  s->out.len = 0;
  slot->lines = full;
  slot->sink = s;
  sl_writer_submit(write_batch, slot);
}

void sl_sinks_write_out(void) {
  for (sl_sink *s = sl_sinks; s; s = s->next) write_out(s);
}

int sl_sink_put(sl_sink *s, const char *line, size_t len) {
  if (s->kind == SINK_MEMORY) return sl_memory_capture_take(s->capture, line, len - 1);
  if (sl_buf_reserve(&s->out, len)) {
    /* No memory to batch: write what is batched, then this line on its own. */
    write_out(s);
    write_bytes(s, line, len);
    return 0;
  }
  sl_buf_put(&s->out, line, len);
  sl_sink_line_added(s);
  return 0;
}

sl_buf *sl_sink_line_buffer(sl_sink *s) { return s->kind == SINK_FD ? &s->out : NULL; }

void sl_sink_line_added(sl_sink *s) {
  if (s->out.len >= BATCH_BYTES) hand_over(s);
}

/* ---- making sinks ---- */

/* SPANLOG_FORMAT, read when a sink is made: 0 when unset (or not understood). */
static int format_from_env(void) {
  const char *v = getenv("SPANLOG_FORMAT");
  int format = 0;
  if (!v || !*v) return format;
  size_t n = strlen(v);
  if (sl_word_eq(v, n, "json")) format = SL_FORMAT_JSON;
  else if (sl_word_eq(v, n, "logfmt")) format = SL_FORMAT_LOGFMT;
  else if (sl_word_eq(v, n, "console")) format = SL_FORMAT_CONSOLE;
  else sl_diag("spanlog: ignoring SPANLOG_FORMAT=%s (expected json, logfmt or console)", v);
  return format;
}

/* AUTO: the environment's choice, else the console view for people at a terminal and
   JSON lines for everything else (files, pipes, log collectors). Colours only on a
   terminal, and never with NO_COLOR set (no-color.org). */
static void resolve_format(sl_sink *s, sl_format format) {
  int tty = s->kind == SINK_FD && isatty(s->fd);
  if (format == SL_FORMAT_AUTO) format = (sl_format)format_from_env();
  if (format == SL_FORMAT_AUTO) format = tty ? SL_FORMAT_CONSOLE : SL_FORMAT_JSON;
  s->format = format;
  const char *no_color = getenv("NO_COLOR");
  s->color = format == SL_FORMAT_CONSOLE && tty && !(no_color && *no_color);
}

static void init_fd(sl_sink *s, int fd, int owns_fd, const char *name, int min_level) {
  struct stat st;
  int shared_stream = fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
  s->kind = SINK_FD;
  s->fd = fd;
  s->owns_fd = owns_fd;
  s->follows_fd = !owns_fd && fd <= 2; /* stdin, stdout, stderr: redirecting them is deliberate */
  file_identity(fd, &s->file_dev, &s->file_ino);
  s->name = name;
  s->min_level = min_level;
  s->chunk = shared_stream ? PIPE_BUF : SIZE_MAX;
  resolve_format(s, SL_FORMAT_AUTO);
}

sl_sink *sl_sink_new_fd(int fd, int owns_fd, const char *name, int min_level) {
  sl_sink *s = calloc(1, sizeof *s);
  char *copy = strdup(name);
  if (!s || !copy) {
    free(s), free(copy);
    errno = ENOMEM;
    return NULL;
  }
  init_fd(s, fd, owns_fd, copy, min_level);
  return s;
}

/* The default sink when there is no memory to make one: in static storage, so that
   records are not lost for want of a few hundred bytes (without memory for its batches
   too, each line is written on its own: sl_sink_put). */
static sl_sink fallback_sink;

static sl_sink *fallback(int fd, int owns_fd, const char *name) {
  memset(&fallback_sink, 0, sizeof fallback_sink);
  init_fd(&fallback_sink, fd, owns_fd, name, SL_LEVEL_DEBUG);
  fallback_sink.is_static = 1;
  return &fallback_sink;
}

static int open_append(const char *path) {
  return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

sl_sink *sl_sink_new_file(const char *path, int min_level) {
  int fd = open_append(path);
  if (fd < 0) return NULL;
  sl_sink *s = sl_sink_new_fd(fd, 1, path, min_level);
  if (!s || !(s->path = strdup(path))) {
    int e = s ? ENOMEM : errno;
    if (s) free((char *)s->name), free(s);
    close(fd);
    errno = e;
    return NULL;
  }
  return s;
}

static void sink_free(sl_sink *s) {
  if (s->kind == SINK_FD && still_its_file(s)) (void)finish_torn_line(s); /* a last try: the line is then whole */
  if (s->failing_errno) /* still failing: the loss is reported now, as recovery would have */
    sl_diag("spanlog: %s removed while failing; %llu records were lost", s->name, (unsigned long long)s->lost_lines);
  if (s->owns_fd) close(s->fd);
  sl_buf_free(&s->out);
  sl_buf_free(&s->torn_rest);
  for (int i = 0; i < SL_WRITER_DEPTH; i++) sl_buf_free(&s->batches[i].lines);
  if (s->is_static) return;
  free(s->path);
  free((char *)s->name);
  free(s);
}

void sl_sink_unlink_free(sl_sink *s) {
  write_out(s);
  for (sl_sink **p = &sl_sinks; *p; p = &(*p)->next) {
    if (*p == s) {
      *p = s->next;
      break;
    }
  }
  sink_free(s);
}

/* The first sink from code (or capture) replaces the default one. */
void sl_sink_link(sl_sink *s) {
  if (s->kind != SINK_MEMORY) sinks_from_code = 1;
  for (sl_sink *d = sl_sinks, *next; d; d = next) {
    next = d->next;
    if (!d->from_code) sl_sink_unlink_free(d);
  }
  s->from_code = 1;
  sl_sink **p = &sl_sinks;
  while (*p) p = &(*p)->next;
  *p = s;
}

void sl_sink_set_format_now(sl_sink *s, sl_format format) {
  if (s->kind == SINK_FD) resolve_format(s, format);
}

/* The default sink: SPANLOG_OUTPUT is stdout (the default), stderr, or a file path. */
void sl_sinks_start(void) {
  if (!sinks_from_code && !sl_sinks) {
    const char *out = getenv("SPANLOG_OUTPUT");
    sl_sink *s = NULL;
    if (!out || !*out || strcmp(out, "stdout") == 0) {
      if (!(s = sl_sink_new_fd(1, 0, "stdout", SL_LEVEL_DEBUG))) s = fallback(1, 0, "stdout");
    } else if (strcmp(out, "stderr") == 0) {
      if (!(s = sl_sink_new_fd(2, 0, "stderr", SL_LEVEL_DEBUG))) s = fallback(2, 0, "stderr");
    } else if (!(s = sl_sink_new_file(out, SL_LEVEL_DEBUG))) {
      int fd = errno == ENOMEM ? open_append(out) : -1;
      if (fd >= 0) {
        s = fallback(fd, 1, "SPANLOG_OUTPUT");
      } else {
        sl_diag("spanlog: cannot open SPANLOG_OUTPUT=%s: %s; writing to stderr", out, strerror(errno));
        if (!(s = sl_sink_new_fd(2, 0, "stderr", SL_LEVEL_DEBUG))) s = fallback(2, 0, "stderr");
      }
    }
    sl_sinks = s;
  }
}

void sl_sinks_restore_default(void) { sl_sinks_start(); }

void sl_sinks_fork_child(void) {
  for (sl_sink *s = sl_sinks; s; s = s->next) {
    s->out.len = 0;
    s->torn_rest.len = 0; /* the parent completes its own line */
    for (int i = 0; i < SL_WRITER_DEPTH; i++) s->batches[i].lines.len = 0;
  }
}

/* ---- rotation ---- */

/* Opens the new file first: if that fails, the old one stays in use. */
static int reopen(sl_sink *s) {
  if (s->kind != SINK_FD || !s->path) return 0;
  int fd = open_append(s->path);
  if (fd < 0) {
    int e = errno;
    sl_diag("spanlog: cannot reopen %s: %s; still writing to the old file", s->path, strerror(e));
    return -e;
  }
  write_out(s);
  if (s->torn_rest.len) s->torn_rest.len = 0, s->lost_lines++; /* its head is in the old file */
  close(s->fd);
  s->fd = fd;
  file_identity(fd, &s->file_dev, &s->file_ino);
  return 0;
}

int sl_sinks_reopen_all(void) {
  int rc = 0;
  for (sl_sink *s = sl_sinks; s; s = s->next) {
    int r = reopen(s);
    if (r && !rc) rc = r;
  }
  return rc;
}

int sl_sink_reopen_now(sl_sink *s) { return reopen(s); }

/* Set by the SIGHUP handler; the backend reopens within its sleep time. */
static _Atomic int reopen_requested;

int sl_sinks_reopen_pending(void) { return atomic_load(&reopen_requested); }

void sl_sinks_reopen_if_requested(void) {
  if (atomic_exchange(&reopen_requested, 0)) sl_sinks_reopen_all();
}

static struct sigaction previous_hup;

static void on_sighup(int sig, siginfo_t *info, void *uctx) {
  atomic_store(&reopen_requested, 1);
  if (previous_hup.sa_flags & SA_SIGINFO) {
    if (previous_hup.sa_sigaction) previous_hup.sa_sigaction(sig, info, uctx);
  } else if (previous_hup.sa_handler != SIG_DFL && previous_hup.sa_handler != SIG_IGN) {
    previous_hup.sa_handler(sig);
  }
}

int sl_reopen_on_sighup(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sighup;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  struct sigaction old;
  if (sigaction(SIGHUP, &sa, &old) != 0) return -errno;
  if (old.sa_sigaction != on_sighup) previous_hup = old;
  return 0;
}
