#include "lifecycle/runtime.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "base/common.h"
#include "base/ids.h"
#include "base/locks.h"
#include "base/thread.h"
#include "capture/context.h"
#include "capture/logger.h"
#include "capture/replay.h"
#include "capture/span_internal.h"
#include "exporters/otlp_config.h"
#include "exporters/otlp_exporter.h"
#include "exporters/replay_recorder.h"
#include "lifecycle/config.h"
#include "record/queues.h"
#include "sinks/sink.h"
#include "sinks/writer.h"
#include "spanlog/output.h"

static void at_exit(void) { sl_shutdown(); }

static void read_environment(void) {
  sl_config_from_env();
  atexit(at_exit);
}

/* Tool I/O recordings (spanlog/replay.h): the recorder takes the REPLAY records, with the
   capture side's settings handed down. Once per process: a forked child keeps it. */
static void install_replay_recorder(void) {
  static int installed;
  sl_exporter *e = installed ? NULL : sl_replay_recorder(sl_replay_settings);
  if (e) sl_backend_add_exporter(e), installed = 1;
}

/* OTLP export (OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER, off while unset), from the
   environment once per process: a forked child keeps the exporters, which start a thread
   of their own there on their first item. */
/* The exporters' settings: "NAME=value" strings given from code first, then the
   environment. */
static const char *setting(void *given, const char *name) {
  size_t n = strlen(name);
  for (const char *const *s = given; s && *s; s++)
    if (strncmp(*s, name, n) == 0 && (*s)[n] == '=') return *s + n + 1;
  return getenv(name);
}

static int otlp_installed; /* some exporter runs; under the settings lock */

/* From the environment at start, or from sl_export_start: once some exporter runs, the
   settings do not change (-1). Settings lock held. */
static int install_otlp_exporters(const char *const *given) {
  sl_otlp_config c;
  sl_otlp_env env = {setting, NULL, (void *)given};
  if (otlp_installed) return -1;
  if (sl_otlp_config_load(&c, &env)) return -1;
  sl_drain_lock(); /* the backend may be walking the exporters */
  otlp_installed = sl_otlp_exporters_from_config(&c, setting((void *)given, "SPANLOG_OTLP_FILE"),
                                                 sl_backend_add_exporter) > 0;
  sl_drain_unlock();
  sl_otlp_config_free(&c);
  return 0;
}

int sl_export_start(const char *const *settings) {
  sl_settings_lock();
  int rc = install_otlp_exporters(settings);
  sl_settings_unlock();
  return rc;
}

/* The queues' consumer, on the first record (and again in a forked child): the default
   sink, then the backend thread; without a thread, each producer writes its own records. */
static void start(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, read_environment);
  sl_logger_init();
  sl_settings_lock();
  if (sl_queues_mode() == SL_QUEUES_IDLE) {
    sl_drain_lock();
    sl_sinks_start();
    sl_drain_unlock();
    install_replay_recorder();
    install_otlp_exporters(NULL);
    int rc = sl_backend_start();
    if (rc) sl_diag("spanlog: cannot start the background thread (%s); writing synchronously", strerror(rc));
    sl_queues_set_mode(rc ? SL_QUEUES_SYNC : SL_QUEUES_ASYNC);
  }
  sl_settings_unlock();
}

/* ---- fork ----
 * The locks that short critical sections hold are taken across fork(), in the one order
 * every path takes them, so the child gets them unheld and consistent. The child has one
 * thread and a copy of every queue: the records in them are the parent's to write, so the
 * child drops them all and starts afresh on its first record. */

static void fork_prepare(void) {
  sl_locks_fork_prepare();
  sl_queues_fork_prepare();
  sl_logger_fork_prepare();
  sl_spans_fork_prepare();
  sl_writer_fork_prepare();
  sl_ids_fork_prepare();
}

static void fork_parent(void) {
  sl_writer_fork_parent();
  sl_spans_fork_parent();
  sl_logger_fork_parent();
  sl_queues_fork_parent();
  sl_locks_fork_parent();
}

static void exporters_fork_child(void) {
  for (sl_exporter *e = sl_backend_exporters(); e; e = e->next)
    if (e->fork_child) e->fork_child(e);
}

static void fork_child(void) {
  sl_locks_fork_child();
  sl_queues_fork_child();
  sl_context_fork_child();
  sl_writer_fork_child();
  sl_sinks_fork_child();
  sl_logger_fork_child();
  sl_spans_fork_child();
  sl_ids_after_fork();
  sl_backend_fork_child();
  exporters_fork_child();
}

/* At load time, before any record can be made: the queues learn who drains them, and
   the fork handlers cover every lock from the start. */
__attribute__((constructor(101))) static void wire(void) {
  static const sl_queue_consumer consumer = {start, sl_backend_drain_here, sl_backend_attach_ring,
                                             sl_backend_forget_ring};
  sl_queues_set_consumer(&consumer);
  pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* ---- public: flush, shutdown, settings ---- */

/* Exporters get one bounded attempt at what they hold: their own export timeout. */
static void flush_exporters(void) {
  for (sl_exporter *e = sl_backend_exporters(); e; e = e->next)
    if (e->flush) e->flush(e, 0);
}

void sl_flush(void) {
  int mode = sl_queues_mode();
  if (mode == SL_QUEUES_IDLE || sl_thread_is_own()) return;
  if (mode == SL_QUEUES_ASYNC) sl_backend_flush();
  /* Shut down (maybe meanwhile): what the backend's last pass left, this thread writes. */
  if (sl_queues_mode() == SL_QUEUES_SYNC) sl_backend_drain_here();
  flush_exporters();
}

void sl_shutdown(void) {
  if (sl_thread_is_own()) return;
  sl_settings_lock();
  if (sl_queues_mode() == SL_QUEUES_ASYNC) {
    sl_backend_stop();
    sl_queues_set_mode(SL_QUEUES_SYNC);
    sl_backend_release_flushers();
    sl_queues_wake_producers();
  }
  sl_settings_unlock();
  /* Records that raced with the backend's last pass are still queued: write them. */
  if (sl_queues_mode() == SL_QUEUES_SYNC) sl_backend_drain_here();
  flush_exporters();
  /* What the exporters could not deliver is reported by a drain: one more, the last. */
  if (sl_backend_exporters()) sl_backend_drain_here();
}

void sl_set_overflow(sl_overflow policy) { sl_queues_set_overflow((int)policy); }

uint64_t sl_dropped_total(void) { return sl_queues_lost_total(); }

void sl_set_queue_bytes(size_t bytes) {
  uint64_t cap = 4096;
  while (cap < bytes && cap < ((uint64_t)1 << 30)) cap <<= 1;
  sl_queues_set_queue_bytes(cap);
}
