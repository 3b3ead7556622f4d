/* The public API of sinks (include/spanlog/output.h): each change takes effect for the
 * records made after it, so records queued before are written out first, and it is made
 * under the configuration lock, between two records of the drainer. */
#include <errno.h>
#include <stdio.h>

#include "base/locks.h"
#include "sinks/sink.h"
#include "spanlog/output.h"

static sl_sink *add(sl_sink *s) {
  if (!s) return NULL;
  sl_flush();
  sl_config_lock();
  sl_sink_link(s);
  sl_config_unlock();
  return s;
}

sl_sink *sl_sink_add_stdout(sl_level min_level) { return add(sl_sink_new_fd(1, 0, "stdout", min_level)); }
sl_sink *sl_sink_add_stderr(sl_level min_level) { return add(sl_sink_new_fd(2, 0, "stderr", min_level)); }

sl_sink *sl_sink_add_file(const char *path, sl_level min_level) {
  if (!path) return errno = EINVAL, NULL;
  return add(sl_sink_new_file(path, min_level));
}

sl_sink *sl_sink_add_fd(int fd, sl_level min_level) {
  char name[32];
  if (fd < 0) return errno = EBADF, NULL;
  snprintf(name, sizeof name, "fd %d", fd);
  return add(sl_sink_new_fd(fd, 0, name, min_level));
}

void sl_sink_remove(sl_sink *sink) {
  if (!sink) return;
  sl_flush();
  sl_config_lock();
  sl_sink_unlink_free(sink);
  sl_config_unlock();
}

void sl_sink_set_format(sl_sink *sink, sl_format format) {
  if (!sink || format < SL_FORMAT_AUTO || format > SL_FORMAT_CONSOLE) return;
  sl_flush();
  sl_config_lock();
  sl_sink_set_format_now(sink, format);
  sl_config_unlock();
}

void sl_sink_set_level(sl_sink *sink, sl_level min_level) {
  if (!sink) return;
  sl_flush();
  sl_config_lock();
  sink->min_level = min_level;
  sl_config_unlock();
}

int sl_sink_reopen(sl_sink *sink) {
  sl_config_lock();
  int rc = sink ? sl_sink_reopen_now(sink) : -EINVAL;
  sl_config_unlock();
  return rc;
}

int sl_reopen(void) {
  sl_config_lock();
  int rc = sl_sinks_reopen_all();
  sl_config_unlock();
  return rc;
}
