/* The public API of captures (include/spanlog/testing.h): a capture holds the records
 * made after it starts; reading it first writes out everything queued before. */
#include "base/locks.h"
#include "sinks/memory_sink.h"
#include "sinks/sink.h"

sl_capture *sl_capture_start(sl_level min_level) {
  sl_capture *cap = sl_memory_capture_new(min_level);
  if (!cap) return NULL;
  sl_flush();
  sl_config_lock();
  sl_sink_link(cap->sink);
  sl_config_unlock();
  return cap;
}

size_t sl_capture_count(sl_capture *cap) {
  if (!cap) return 0;
  sl_flush();
  sl_config_lock();
  size_t n = cap->n;
  sl_config_unlock();
  return n;
}

const char *sl_capture_line(sl_capture *cap, size_t i) {
  if (!cap) return NULL;
  sl_flush();
  sl_config_lock();
  const char *line = i < cap->n ? cap->lines[i] : NULL;
  sl_config_unlock();
  return line;
}

const char *sl_capture_field(sl_capture *cap, size_t i, const char *key, size_t *len) {
  if (!cap || !key) return NULL;
  sl_flush();
  sl_config_lock();
  const char *value = sl_memory_capture_field(cap, i, key, len);
  sl_config_unlock();
  return value;
}

void sl_capture_clear(sl_capture *cap) {
  if (!cap) return;
  sl_flush();
  sl_config_lock();
  sl_memory_capture_clear(cap);
  sl_config_unlock();
}

void sl_capture_stop(sl_capture *cap) {
  if (!cap) return;
  sl_flush();
  sl_config_lock();
  sl_sink_unlink_free(cap->sink);
  sl_sinks_restore_default(); /* records after the last capture go where they went before */
  sl_config_unlock();
  sl_memory_capture_free(cap);
}
