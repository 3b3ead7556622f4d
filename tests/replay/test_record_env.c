/* The recording settings from the environment: SPANLOG_REPLAY_DIR=replay-env-test and
 * SPANLOG_REPLAY_SAMPLE=0 (set by the test's definition): only the error trace is written,
 * into that directory. */
#include <spanlog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check.h"

static void request(int fails, char id[33]) {
  sl_span *root = sl_span_start("request");
  char tp[56];
  sl_traceparent_format(root, tp);
  snprintf(id, 33, "%.32s", tp + 3);
  sl_replay_record_input("{\"n\":1}");
  sl_replay_record_call("c1", "t", "{}", "true", NULL);
  if (fails) sl_span_error(root, "boom", "failed");
  sl_span_end(root);
}

int main(void) {
  char ok[33], bad[33], path[128];
  char devnull[] = "/dev/null";
  sl_sink_add_file(devnull, SL_LEVEL_DEBUG);
  request(0, ok);
  request(1, bad);
  sl_flush();
  snprintf(path, sizeof path, "replay-env-test/%s.jsonl", ok);
  CHECK(access(path, F_OK) != 0);
  snprintf(path, sizeof path, "replay-env-test/%s.jsonl", bad);
  FILE *f = fopen(path, "r");
  char line[256] = "";
  CHECK(f && fgets(line, sizeof line, f));
  CHECK(strstr(line, bad) != NULL);
  if (f) fclose(f);
  return check_exit();
}
