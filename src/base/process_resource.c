#include "base/process_resource.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/json_text.h"
#include "spanlog/version.h"

static sl_resource resource;
static sl_buf json;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The resource parser formats whole messages, "spanlog: " included. */
static void warn(const char *msg) { sl_diag("%s", msg); }

static void render_json(void) {
  int rc = sl_buf_lit(&json, "{");
  for (size_t i = 0; i < resource.n && !rc; i++) {
    rc = sl_json_put_key(&json, resource.keys[i], strlen(resource.keys[i]), i == 0) ||
         sl_json_put_string(&json, resource.values[i], strlen(resource.values[i]));
  }
  if (rc || sl_buf_lit(&json, "}")) json.len = 0;
}

static void read_env(void) {
  extern char *program_invocation_short_name;
  if (sl_resource_from_strings(&resource, getenv("OTEL_SERVICE_NAME"), getenv("OTEL_RESOURCE_ATTRIBUTES"),
                               program_invocation_short_name, SPANLOG_VERSION_STRING, warn) == 0)
    render_json();
}

const sl_resource *sl_process_resource(void) {
  pthread_once(&once, read_env);
  return &resource;
}

const char *sl_process_resource_json(size_t *len) {
  pthread_once(&once, read_env);
  *len = json.len;
  return json.len ? json.data : "";
}
