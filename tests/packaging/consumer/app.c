/* A program that uses spanlog as any project would: the public header, one event. The
   build says how it found spanlog (CONSUMER_VIA), and with CONSUMER_JANSSON the event
   also carries a json_t value; consumers.sh reads the line back. */
#ifdef CONSUMER_JANSSON
#include <jansson.h> /* before spanlog.h: json_t values become a value type */
#endif
#include <spanlog.h>

#ifndef CONSUMER_VIA
#error "build with -DCONSUMER_VIA=\"...\""
#endif

int main(void) {
#ifdef CONSUMER_JANSSON
  json_t *detail = json_pack("{s:i}", "answer", 42);
  log_info("consumer.started", "via", CONSUMER_VIA, "version", sl_version(), "detail", detail);
  json_decref(detail);
#else
  log_info("consumer.started", "via", CONSUMER_VIA, "version", sl_version());
#endif
  return 0;
}
