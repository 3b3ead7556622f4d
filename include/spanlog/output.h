/* Where records go, and the logger's lifetime.
 *
 * Without any call here, the first record starts spanlog with JSON lines to stdout
 * (or to SPANLOG_OUTPUT: "stdout", "stderr" or a file path). The first sink added
 * from code replaces that default sink; later ones are added beside it. Every sink
 * has its own threshold level. */
#ifndef SPANLOG_OUTPUT_H
#define SPANLOG_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_sink sl_sink;

/* Each returns the new sink (owned by spanlog until sl_sink_remove), or NULL with errno set. */
SL_API sl_sink *sl_sink_add_stdout(sl_level min_level);
SL_API sl_sink *sl_sink_add_stderr(sl_level min_level);
/* Appends to path (created 0644 if missing, opened O_APPEND so copytruncate is safe). */
SL_API sl_sink *sl_sink_add_file(const char *path, sl_level min_level);
/* Writes to fd, which stays the caller's: spanlog never closes it. Close it only after
   sl_sink_remove: a fd closed and reused for another file before is not written to (the
   lines are counted as lost). */
SL_API sl_sink *sl_sink_add_fd(int fd, sl_level min_level);
/* Writes out what the sink holds, removes and frees it (closing a file it opened). */
SL_API void sl_sink_remove(sl_sink *sink);
SL_API void sl_sink_set_level(sl_sink *sink, sl_level min_level);

/* How a sink renders records. AUTO (what sinks start with): SPANLOG_FORMAT if set, else
   CONSOLE on a terminal (in colour, unless NO_COLOR is set) and JSON anywhere else. */
typedef enum sl_format {
  SL_FORMAT_AUTO = 0,
  SL_FORMAT_JSON = 1,   /* one JSON object per line */
  SL_FORMAT_LOGFMT = 2, /* key=value pairs */
  SL_FORMAT_CONSOLE = 3 /* a readable view for people at a terminal */
} sl_format;
SL_API void sl_sink_set_format(sl_sink *sink, sl_format format);

/* Reopens a file sink's path (log rotation). The new file is opened first: on failure
   the old one stays in use and -errno is returned. Other sinks: no-op, 0. */
SL_API int sl_sink_reopen(sl_sink *sink);
/* Reopens every file sink; returns 0 or the first failure's -errno. */
SL_API int sl_reopen(void);
/* Opt-in: SIGHUP makes the backend reopen every file sink. A handler that was
   installed before is still called. Returns 0 or -errno. */
SL_API int sl_reopen_on_sighup(void);

/* What a producer does when its queue is full. BLOCK (default): it waits for room,
   nothing is lost. DROP: the record is dropped and counted; the count is written as
   a record of its own, event "spanlog.dropped" with field "count". */
typedef enum sl_overflow { SL_OVERFLOW_BLOCK = 0, SL_OVERFLOW_DROP = 1 } sl_overflow;
SL_API void sl_set_overflow(sl_overflow policy);
/* Records dropped since the start (DROP policy only). */
SL_API uint64_t sl_dropped_total(void);

/* Size in bytes of each thread's queue, for queues created after the call
   (default 256 KiB, or SPANLOG_QUEUE_BYTES). Rounded up to a power of two, >= 4 KiB. */
SL_API void sl_set_queue_bytes(size_t bytes);

/* Returns when every record made before the call is written to its sinks. */
SL_API void sl_flush(void);
/* Writes everything out and stops the background thread; also runs at normal exit.
   Logging afterwards still works: each record is then written synchronously on the
   calling thread. Idempotent. */
SL_API void sl_shutdown(void);

/* Opt-in: on SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT, the records queued so far are
   written before the process dies: the handler asks spanlog's background thread to write
   them and waits (at most about a second, async-signal-safe calls only), then restores
   the previous handler and raises the signal again (same exit status, core dump and
   previous handler). Not saved: a crash on spanlog's own thread, a background thread that
   cannot finish in time, the record the crashing call was making. Once per process (later
   calls do nothing); 0 or -errno. */
SL_API int sl_install_crash_handler(void);

#ifdef __cplusplus
}
#endif

#endif
