/* Sinks: where rendered lines go. A sink knows bytes only. Every function here runs
 * with the drain lock held (by the drainer, or by a configuration change: base/locks.h);
 * the public API that changes sinks is lifecycle/output.c. */
#ifndef SL_SINK_H
#define SL_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "spanlog/output.h"
#include "sinks/writer.h"

enum { SINK_FD = 1, SINK_MEMORY = 2 };

struct sl_capture;

struct sl_sink {
  struct sl_sink *next;
  int kind;
  int min_level;
  int from_code; /* added by the application, not the default from the environment */
  int is_static; /* the default sink made without memory: not freed */
  const char *name; /* for diagnostics: "stdout", "stderr", the path, "fd N" */
  int format;       /* SL_FORMAT_JSON, _LOGFMT or _CONSOLE: AUTO is resolved when set */
  int color;        /* console format: ANSI colours */
  /* SINK_FD */
  int fd;
  int owns_fd;
  /* The open file fd referred to when the sink got it (st_dev, st_ino), checked before
     each write: a fd closed under the sink and reused for another file is not written
     to. follows_fd: the standard streams are followed wherever they are redirected. */
  int follows_fd;
  unsigned long long file_dev, file_ino;
  char *path;   /* file sinks, for reopening */
  size_t chunk; /* most bytes per write(2): PIPE_BUF for pipes and sockets */
  sl_buf out;   /* whole lines waiting to be written */
  struct sl_batch {
    struct sl_sink *sink; /* this sink: a batch is the writer's whole job */
    sl_buf lines;
  } batches[SL_WRITER_DEPTH]; /* full batches the writer thread writes, in turn */
  unsigned next_batch;
  int failing_errno; /* the error being reported, 0 while writes succeed */
  uint64_t lost_lines;
  /* The rest of a line a failed write cut short, on a stream that cannot take bytes
     back (a pipe): written first when writing works again, so the line ends whole and
     the next one starts clean. */
  sl_buf torn_rest;
  /* SINK_MEMORY */
  struct sl_capture *capture;
};

extern sl_sink *sl_sinks;

/* Takes one rendered line, ending in '\n'. Returns the number of lines lost for want of
   memory (0 or 1), for the caller to count: a sink that cannot write reports its own. */
int sl_sink_put(sl_sink *s, const char *line, size_t len);
/* The buffer a line for s may be rendered into in place (NULL if s takes lines through
   sl_sink_put only); sl_sink_line_added(s) after each line appended to it. */
sl_buf *sl_sink_line_buffer(sl_sink *s);
void sl_sink_line_added(sl_sink *s);
/* Writes out every sink's buffered lines. */
void sl_sinks_write_out(void);
/* At start: the default sink from SPANLOG_OUTPUT, unless the application added one.
   Configuration lock held. */
void sl_sinks_start(void);
/* After a capture is unlinked: the default sink again, if no sink is left and the
   application never added one. Configuration lock held. */
void sl_sinks_restore_default(void);
/* In a forked child: the buffered lines are the parent's to write. */
void sl_sinks_fork_child(void);
/* Reopens the file sinks if SIGHUP asked for it; whether it has asked. */
void sl_sinks_reopen_if_requested(void);
int sl_sinks_reopen_pending(void);
/* Reopens s (a file sink; others are left as they are), or every sink: 0 or -errno. The
   new file is opened first: if that fails, the old one stays in use. */
int sl_sink_reopen_now(sl_sink *s);
int sl_sinks_reopen_all(void);

/* A sink writing to fd (closed with the sink if owns_fd), or to a file opened for
   appending; NULL with errno set. Not linked yet. */
sl_sink *sl_sink_new_fd(int fd, int owns_fd, const char *name, int min_level);
sl_sink *sl_sink_new_file(const char *path, int min_level);
/* Sets the format (SL_FORMAT_AUTO resolved now: the environment, then the terminal). */
void sl_sink_set_format_now(sl_sink *s, sl_format format);

/* Adds a sink made by the caller (configuration lock held). */
void sl_sink_link(sl_sink *s);
/* Writes out, unlinks and frees s (configuration lock held). */
void sl_sink_unlink_free(sl_sink *s);

/* The capture sink's side (memory_sink.c): keeps a copy of the line; 0, or 1 if it was
   lost for want of memory. */
int sl_memory_capture_take(struct sl_capture *cap, const char *line, size_t len);

#endif
