/* The OTLP settings from the environment: every variable, good and bad values, the endpoint
 * rules and the header syntax, table-driven over a fake environment. */
#include <stdlib.h>
#include <string.h>

#include "exporters/otlp_config.h"
#include "../check.h"

#define MAXENV 8

typedef struct fake_env {
  const char *vars[MAXENV]; /* "NAME=value" */
  char warnings[4096];
  int n_warnings;
} fake_env;

static const char *fake_get(void *ctx, const char *name) {
  fake_env *f = ctx;
  size_t n = strlen(name);
  for (int i = 0; i < MAXENV && f->vars[i]; i++)
    if (strncmp(f->vars[i], name, n) == 0 && f->vars[i][n] == '=') return f->vars[i] + n + 1;
  return NULL;
}

static void fake_warn(void *ctx, const char *msg) {
  fake_env *f = ctx;
  size_t used = strlen(f->warnings);
  snprintf(f->warnings + used, sizeof f->warnings - used, "%s\n", msg);
  f->n_warnings++;
}

static int load(fake_env *f, sl_otlp_config *c) {
  sl_otlp_env env = {fake_get, fake_warn, f};
  f->warnings[0] = '\0';
  f->n_warnings = 0;
  return sl_otlp_config_load(c, &env);
}

/* ---- Exporter lists, endpoints, protocols: one table ---- */

typedef struct config_case {
  const char *name;
  const char *vars[MAXENV];
  int warnings;          /* how many messages */
  const char *warn_has;  /* a piece of them, or NULL */
  const char *warn_has2;
  unsigned t_exp, l_exp; /* exporter bits */
  int t_on, l_on;        /* OTLP usable */
  const char *t_url, *l_url;
  int t_proto, l_proto;
} config_case;

#define OTLP SL_EXPORTER_OTLP
#define BOTH "OTEL_TRACES_EXPORTER=otlp", "OTEL_LOGS_EXPORTER=otlp"
#define PB SL_OTLP_HTTP_PROTOBUF
#define JS SL_OTLP_HTTP_JSON

static const config_case cases[] = {
  {"nothing set: no exporter, no message", {NULL}, 0, NULL, NULL, 0, 0, 0, 0, NULL, NULL, PB, PB},
  {"traces otlp: defaults", {"OTEL_TRACES_EXPORTER=otlp"}, 0, NULL, NULL, OTLP, 0, 1, 0,
   "http://localhost:4318/v1/traces", NULL, PB, PB},
  {"logs otlp: defaults", {"OTEL_LOGS_EXPORTER=otlp"}, 0, NULL, NULL, 0, OTLP, 0, 1, NULL,
   "http://localhost:4318/v1/logs", PB, PB},
  {"a list, spaces and case", {"OTEL_TRACES_EXPORTER= OTLP , Console ,"}, 0, NULL, NULL,
   OTLP | SL_EXPORTER_CONSOLE, 0, 1, 0, "http://localhost:4318/v1/traces", NULL, PB, PB},
  {"file exporters", {"OTEL_TRACES_EXPORTER=otlp_file", "OTEL_LOGS_EXPORTER=otlp/stdout,otlp/file"},
   0, NULL, NULL, SL_EXPORTER_OTLP_FILE, SL_EXPORTER_OTLP_STDOUT | SL_EXPORTER_OTLP_FILE, 0, 0,
   NULL, NULL, PB, PB},
  {"an unknown name is reported, the rest kept", {"OTEL_TRACES_EXPORTER=otlp,zipkin"}, 1,
   "\"zipkin\" in OTEL_TRACES_EXPORTER=otlp,zipkin: unknown exporter", NULL, OTLP, 0, 1, 0,
   "http://localhost:4318/v1/traces", NULL, PB, PB},
  {"none", {"OTEL_TRACES_EXPORTER=none", "OTEL_LOGS_EXPORTER=NONE"}, 0, NULL, NULL, 0, 0, 0, 0,
   NULL, NULL, PB, PB},
  {"none with others", {"OTEL_TRACES_EXPORTER=none,otlp"}, 1, "none cannot be combined", NULL,
   0, 0, 0, 0, NULL, NULL, PB, PB},
  {"base endpoint without slash", {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318"}, 0, NULL,
   NULL, OTLP, OTLP, 1, 1, "http://c:4318/v1/traces", "http://c:4318/v1/logs", PB, PB},
  {"base endpoint with slash", {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318/"}, 0, NULL,
   NULL, OTLP, OTLP, 1, 1, "http://c:4318/v1/traces", "http://c:4318/v1/logs", PB, PB},
  {"base endpoint with a path and slash",
   {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318/mycollector/"}, 0, NULL, NULL, OTLP, OTLP,
   1, 1, "http://c:4318/mycollector/v1/traces", "http://c:4318/mycollector/v1/logs", PB, PB},
  {"base endpoint with a path, no slash",
   {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318/api/public/otel"}, 0, NULL, NULL, OTLP,
   OTLP, 1, 1, "http://c:4318/api/public/otel/v1/traces", "http://c:4318/api/public/otel/v1/logs",
   PB, PB},
  {"base endpoint with a query", {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=http://c/x?k=v"}, 0, NULL,
   NULL, OTLP, OTLP, 1, 1, "http://c/x/v1/traces?k=v", "http://c/x/v1/logs?k=v", PB, PB},
  {"base endpoint IPv6", {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=http://[::1]:4318"}, 0, NULL, NULL,
   OTLP, OTLP, 1, 1, "http://[::1]:4318/v1/traces", "http://[::1]:4318/v1/logs", PB, PB},
  {"signal endpoint as given", {BOTH, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://t:1/custom/in",
   "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://l:2"}, 0, NULL, NULL, OTLP, OTLP, 1, 1,
   "http://t:1/custom/in", "http://l:2/", PB, PB},
  {"signal endpoint wins over the base", {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=http://base:4318",
   "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://l:2/v1/logs"}, 0, NULL, NULL, OTLP, OTLP, 1, 1,
   "http://base:4318/v1/traces", "http://l:2/v1/logs", PB, PB},
  {"https base refused", {BOTH, "OTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318"}, 1,
   "TLS is not built into spanlog", "OpenTelemetry Collector", OTLP, OTLP, 0, 0, NULL, NULL, PB,
   PB},
  {"https for one signal", {BOTH, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://c/v1/traces"}, 1,
   "ignoring OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://c/v1/traces: https", "traces off", OTLP,
   OTLP, 0, 1, NULL, "http://localhost:4318/v1/logs", PB, PB},
  {"bad port", {"OTEL_TRACES_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_ENDPOINT=http://c:99999"}, 1,
   "bad port", NULL, OTLP, 0, 0, 0, NULL, NULL, PB, PB},
  {"port not a number", {"OTEL_TRACES_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_ENDPOINT=http://c:ab/"},
   1, "bad port", NULL, OTLP, 0, 0, 0, NULL, NULL, PB, PB},
  {"userinfo", {"OTEL_LOGS_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://u:p@c/"}, 1,
   "user:password@", NULL, 0, OTLP, 0, 0, NULL, NULL, PB, PB},
  {"no scheme", {"OTEL_LOGS_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318"}, 1,
   "not an http:// URL", NULL, 0, OTLP, 0, 0, NULL, NULL, PB, PB},
  {"fragment", {"OTEL_LOGS_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_ENDPOINT=http://c/#x"}, 1,
   "fragment", NULL, 0, OTLP, 0, 0, NULL, NULL, PB, PB},
  {"http/json", {BOTH, "OTEL_EXPORTER_OTLP_PROTOCOL=HTTP/JSON"}, 0, NULL, NULL, OTLP, OTLP, 1, 1,
   "http://localhost:4318/v1/traces", "http://localhost:4318/v1/logs", JS, JS},
  {"per-signal protocol", {BOTH, "OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
   "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL=http/protobuf"}, 0, NULL, NULL, OTLP, OTLP, 1, 1,
   "http://localhost:4318/v1/traces", "http://localhost:4318/v1/logs", JS, PB},
  {"grpc refused", {BOTH, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc"}, 1,
   "ignoring OTEL_EXPORTER_OTLP_PROTOCOL=grpc: gRPC is not built into spanlog; set it to "
   "http/protobuf", "OpenTelemetry Collector", OTLP, OTLP, 0, 0,
   "http://localhost:4318/v1/traces", "http://localhost:4318/v1/logs", PB, PB},
  {"grpc for traces only", {BOTH, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc"}, 1,
   "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc", "traces off", OTLP, OTLP, 0, 1,
   "http://localhost:4318/v1/traces", "http://localhost:4318/v1/logs", PB, PB},
  {"generic grpc, per-signal http", {BOTH, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
   "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json"}, 1, "gRPC", NULL, OTLP, OTLP, 1, 0,
   "http://localhost:4318/v1/traces", "http://localhost:4318/v1/logs", JS, PB},
  {"unknown protocol keeps the default", {"OTEL_TRACES_EXPORTER=otlp",
   "OTEL_EXPORTER_OTLP_PROTOCOL=http/xml"}, 1, "expected http/protobuf or http/json", NULL,
   OTLP, 0, 1, 0, "http://localhost:4318/v1/traces", NULL, PB, PB},
  {"OTLP variables not judged without an OTLP exporter", {"OTEL_TRACES_EXPORTER=console",
   "OTEL_EXPORTER_OTLP_PROTOCOL=grpc", "OTEL_EXPORTER_OTLP_ENDPOINT=https://x"}, 0, NULL, NULL,
   SL_EXPORTER_CONSOLE, 0, 0, 0, NULL, NULL, PB, PB},
  {"sdk disabled", {BOTH, "OTEL_SDK_DISABLED=TRUE", "OTEL_EXPORTER_OTLP_PROTOCOL=grpc"}, 0, NULL,
   NULL, 0, 0, 0, 0, NULL, NULL, PB, PB},
  {"sdk disabled: not a boolean", {"OTEL_TRACES_EXPORTER=otlp", "OTEL_SDK_DISABLED=yes"}, 1,
   "ignoring OTEL_SDK_DISABLED=yes", NULL, OTLP, 0, 1, 0, "http://localhost:4318/v1/traces",
   NULL, PB, PB},
  {"sdk disabled=false", {"OTEL_TRACES_EXPORTER=otlp", "OTEL_SDK_DISABLED=false"}, 0, NULL, NULL,
   OTLP, 0, 1, 0, "http://localhost:4318/v1/traces", NULL, PB, PB},
  {"empty means unset", {"OTEL_TRACES_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_ENDPOINT=",
   "OTEL_EXPORTER_OTLP_PROTOCOL="}, 0, NULL, NULL, OTLP, 0, 1, 0,
   "http://localhost:4318/v1/traces", NULL, PB, PB},
};

static void check_case(const config_case *k) {
  fake_env f = {{NULL}, "", 0};
  sl_otlp_config c;
  memcpy(f.vars, k->vars, sizeof f.vars);
  check_current = k->name;
  CHECK_INT(load(&f, &c), 0);
  CHECK_INT(f.n_warnings, k->warnings);
  CHECK_HAS(f.warnings, k->warn_has);
  CHECK_HAS(f.warnings, k->warn_has2);
  if (k->warnings) CHECK_HAS(f.warnings, "spanlog: ignoring ");
  const sl_otlp_signal_config *t = &c.signal[SL_OTLP_TRACES], *l = &c.signal[SL_OTLP_LOGS];
  CHECK_INT(t->exporters, k->t_exp);
  CHECK_INT(l->exporters, k->l_exp);
  CHECK_INT(t->otlp_on, k->t_on);
  CHECK_INT(l->otlp_on, k->l_on);
  if (k->t_url) CHECK_STR(t->endpoint, k->t_url);
  if (k->l_url) CHECK_STR(l->endpoint, k->l_url);
  if (k->t_on) CHECK_INT(t->protocol, k->t_proto);
  if (k->l_on) CHECK_INT(l->protocol, k->l_proto);
  sl_otlp_config_free(&c);
}

static void table(void) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_case(&cases[i]);
}

/* ---- The other values, case by case ---- */

static void defaults(void) {
  fake_env f = {{BOTH}, "", 0};
  sl_otlp_config c;
  CHECK_INT(load(&f, &c), 0);
  const sl_otlp_signal_config *t = &c.signal[0], *l = &c.signal[1];
  CHECK_INT(t->timeout_ms, 10000);
  CHECK_INT(t->compression, SL_OTLP_COMPRESS_NONE);
  CHECK_INT(t->headers.n, 0);
  CHECK_INT(t->batch.schedule_delay_ms, 5000);
  CHECK_INT(t->batch.export_timeout_ms, 30000);
  CHECK_INT(t->batch.max_queue_size, 2048);
  CHECK_INT(t->batch.max_export_batch_size, 512);
  CHECK_INT(l->batch.schedule_delay_ms, 1000);
  CHECK_INT(l->batch.export_timeout_ms, 30000);
  CHECK_INT(l->batch.max_queue_size, 2048);
  CHECK_INT(l->batch.max_export_batch_size, 512);
  CHECK_INT(c.queue_full, SL_OTLP_QUEUE_DROP);
  CHECK_INT(c.profile, SL_OTLP_PROFILE_NONE);
  CHECK_INT(f.n_warnings, 0);
  sl_otlp_config_free(&c);
}

static void timeouts_and_compression(void) {
  fake_env f = {{BOTH, "OTEL_EXPORTER_OTLP_TIMEOUT=2500", "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT=0",
                 "OTEL_EXPORTER_OTLP_COMPRESSION=GZIP",
                 "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION=none"},
                "", 0};
  sl_otlp_config c;
  CHECK_INT(load(&f, &c), 0);
  CHECK_INT(c.signal[0].timeout_ms, 2500);
  CHECK_INT(c.signal[1].timeout_ms, 0); /* the spec: 0 is no limit */
  CHECK_INT(c.signal[0].compression, SL_OTLP_COMPRESS_NONE);
  CHECK_INT(c.signal[1].compression, SL_OTLP_COMPRESS_GZIP);
  CHECK_INT(f.n_warnings, 0);
  sl_otlp_config_free(&c);
}

static void bad_timeouts_and_compression(void) {
  fake_env f = {{BOTH, "OTEL_EXPORTER_OTLP_TIMEOUT=-1", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=3s",
                 "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT=700", "OTEL_EXPORTER_OTLP_COMPRESSION=zstd"},
                "", 0};
  sl_otlp_config c;
  CHECK_INT(load(&f, &c), 0);
  CHECK_INT(c.signal[0].timeout_ms, 10000);
  CHECK_INT(c.signal[1].timeout_ms, 700);
  CHECK_INT(c.signal[0].compression, SL_OTLP_COMPRESS_NONE);
  CHECK_INT(c.signal[0].otlp_on, 1);
  CHECK_INT(f.n_warnings, 3);
  CHECK_HAS(f.warnings, "ignoring OTEL_EXPORTER_OTLP_TIMEOUT=-1: expected a whole number");
  CHECK_HAS(f.warnings, "ignoring OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=3s");
  CHECK_HAS(f.warnings, "ignoring OTEL_EXPORTER_OTLP_COMPRESSION=zstd: expected gzip or none");
  sl_otlp_config_free(&c);
}

static void batch_variables(void) {
  fake_env f = {{"OTEL_TRACES_EXPORTER=console", "OTEL_LOGS_EXPORTER=otlp",
                 "OTEL_BSP_SCHEDULE_DELAY=200", "OTEL_BSP_EXPORT_TIMEOUT=0",
                 "OTEL_BSP_MAX_QUEUE_SIZE=100", "OTEL_BLRP_MAX_QUEUE_SIZE=64",
                 "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE=65", "OTEL_BLRP_SCHEDULE_DELAY=0"},
                "", 0};
  sl_otlp_config c;
  CHECK_INT(load(&f, &c), 0);
  const sl_otlp_batch *t = &c.signal[0].batch, *l = &c.signal[1].batch;
  CHECK_INT(t->schedule_delay_ms, 200);
  CHECK_INT(t->export_timeout_ms, 0);
  CHECK_INT(t->max_queue_size, 100);
  CHECK_INT(t->max_export_batch_size, 100); /* the default 512 shrinks to the queue, silently */
  CHECK_INT(l->max_queue_size, 64);
  CHECK_INT(l->max_export_batch_size, 64);
  CHECK_INT(l->schedule_delay_ms, 1000);
  CHECK_INT(f.n_warnings, 2);
  CHECK_HAS(f.warnings, "ignoring OTEL_BLRP_MAX_EXPORT_BATCH_SIZE=65: larger than the queue "
                        "(OTEL_BLRP_MAX_QUEUE_SIZE=64); using 64");
  CHECK_HAS(f.warnings, "ignoring OTEL_BLRP_SCHEDULE_DELAY=0: expected a whole number from 1");
  sl_otlp_config_free(&c);
}

static void batch_bad_values(void) {
  fake_env f = {{"OTEL_TRACES_EXPORTER=otlp", "OTEL_BSP_MAX_QUEUE_SIZE=0",
                 "OTEL_BSP_MAX_EXPORT_BATCH_SIZE=abc", "OTEL_BSP_EXPORT_TIMEOUT=99999999999",
                 "OTEL_BLRP_MAX_QUEUE_SIZE=5"},
                "", 0};
  sl_otlp_config c;
  CHECK_INT(load(&f, &c), 0);
  const sl_otlp_batch *t = &c.signal[0].batch;
  CHECK_INT(t->max_queue_size, 2048);
  CHECK_INT(t->max_export_batch_size, 512);
  CHECK_INT(t->export_timeout_ms, 30000);
  CHECK_INT(f.n_warnings, 3); /* BLRP is not read: logs have no exporter */
  CHECK_HAS(f.warnings, "ignoring OTEL_BSP_MAX_QUEUE_SIZE=0");
  CHECK_HAS(f.warnings, "ignoring OTEL_BSP_MAX_EXPORT_BATCH_SIZE=abc");
  CHECK_HAS(f.warnings, "ignoring OTEL_BSP_EXPORT_TIMEOUT=99999999999");
  sl_otlp_config_free(&c);
}

static void spanlog_variables(void) {
  static const struct {
    const char *queue, *profile;
    int want_queue, want_profile, warnings;
  } t[] = {
    {"SPANLOG_OTLP_QUEUE_FULL=block", "SPANLOG_OTLP_PROFILE=langfuse", SL_OTLP_QUEUE_BLOCK,
     SL_OTLP_PROFILE_LANGFUSE, 0},
    {"SPANLOG_OTLP_QUEUE_FULL=Drop", "SPANLOG_OTLP_PROFILE=OpenInference", SL_OTLP_QUEUE_DROP,
     SL_OTLP_PROFILE_OPENINFERENCE, 0},
    {"SPANLOG_OTLP_QUEUE_FULL=wait", "SPANLOG_OTLP_PROFILE=phoenix", SL_OTLP_QUEUE_DROP,
     SL_OTLP_PROFILE_NONE, 2},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    fake_env f = {{"OTEL_TRACES_EXPORTER=otlp", t[i].queue, t[i].profile}, "", 0};
    sl_otlp_config c;
    CHECK_INT(load(&f, &c), 0);
    CHECK_INT(c.queue_full, t[i].want_queue);
    CHECK_INT(c.profile, t[i].want_profile);
    CHECK_INT(f.n_warnings, t[i].warnings);
    if (t[i].warnings) {
      CHECK_HAS(f.warnings, "ignoring SPANLOG_OTLP_QUEUE_FULL=wait: expected drop or block");
      CHECK_HAS(f.warnings, "ignoring SPANLOG_OTLP_PROFILE=phoenix");
    }
    sl_otlp_config_free(&c);
  }
}

/* ---- Headers ---- */

/* "name=value;" for each header, for comparing. */
static const char *render(const sl_otlp_headers *h, char *buf, size_t n) {
  buf[0] = '\0';
  for (size_t i = 0; i < h->n; i++) {
    size_t used = strlen(buf);
    snprintf(buf + used, n - used, "%s=%s;", h->v[i].name, h->v[i].value);
  }
  return buf;
}

static void header_syntax(void) {
  static const struct {
    const char *in;
    int rc;
    const char *want;     /* rendered, for rc 0 */
    const char *why_has;  /* for rc -1 */
  } t[] = {
    {"a=b,c=d", 0, "a=b;c=d;", NULL},
    {" Authorization = Basic%20dXNlcjpwYXNz ", 0, "Authorization=Basic dXNlcjpwYXNz;", NULL},
    {",a=b,, ,c=,", 0, "a=b;c=;", NULL},
    {"k=v=w", 0, "k=v=w;", NULL},
    {"x-key=%2C%3d%25", 0, "x-key=,=%;", NULL},
    {"a=1,A=2", 0, "A=2;", NULL}, /* the last one, spelling and all */
    {"", 0, "", NULL},
    {"a", -1, NULL, "member 1 has no '='"},
    {"a=1,b", -1, NULL, "member 2 has no '='"},
    {"a=%zz", -1, NULL, "member 1 (a) has a bad percent-escape"},
    {"a=%4", -1, NULL, "bad percent-escape"},
    {"a=%00", -1, NULL, "bad percent-escape"},
    {"a b=c", -1, NULL, "member 1 is not a valid HTTP header"},
    {"=v", -1, NULL, "member 1 is not a valid HTTP header"},
    {"x=a%0d%0aHost: evil", -1, NULL, "member 1 (x) is not a valid HTTP header"},
    {"Content-Type=text/plain", -1, NULL, "names a header the exporter sets itself"},
    {"content-length=5", -1, NULL, "sets itself"},
    {"Host=h", -1, NULL, "sets itself"},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    sl_otlp_headers h;
    char why[200] = "", buf[300];
    check_current = t[i].in;
    int rc = sl_otlp_headers_parse(t[i].in, &h, why, sizeof why);
    CHECK_INT(rc, t[i].rc);
    if (rc == 0) CHECK_STR(render(&h, buf, sizeof buf), t[i].want);
    else CHECK_INT(h.n, 0);
    CHECK_HAS(why, t[i].why_has);
    sl_otlp_headers_free(&h);
  }
}

static void headers_from_env(void) {
  fake_env f = {{BOTH, "OTEL_EXPORTER_OTLP_HEADERS=a=1,b=2,Authorization=Basic%20eA%3D%3D",
                 "OTEL_EXPORTER_OTLP_TRACES_HEADERS=B=3, c = 4 "},
                "", 0};
  sl_otlp_config c;
  char buf[300];
  CHECK_INT(load(&f, &c), 0);
  /* The signal's own headers win name by name; the shared ones stay. */
  CHECK_STR(render(&c.signal[0].headers, buf, sizeof buf),
            "a=1;B=3;Authorization=Basic eA==;c=4;");
  CHECK_STR(render(&c.signal[1].headers, buf, sizeof buf), "a=1;b=2;Authorization=Basic eA==;");
  CHECK_INT(f.n_warnings, 0);
  sl_otlp_config_free(&c);
}

static void bad_headers_turn_export_off(void) {
  fake_env f = {{BOTH, "OTEL_EXPORTER_OTLP_LOGS_HEADERS=Authorization=Bearer s3cr3t,broken"}, "",
                0};
  sl_otlp_config c;
  CHECK_INT(load(&f, &c), 0);
  CHECK_INT(c.signal[0].otlp_on, 1);
  CHECK_INT(c.signal[1].otlp_on, 0);
  CHECK_INT(f.n_warnings, 1);
  CHECK_HAS(f.warnings, "ignoring OTEL_EXPORTER_OTLP_LOGS_HEADERS (value not shown");
  CHECK_HAS(f.warnings, "member 2 has no '='; OTLP export of logs off");
  CHECK(strstr(f.warnings, "s3cr3t") == NULL); /* never echo a key */
  sl_otlp_config_free(&c);

  fake_env g = {{BOTH, "OTEL_EXPORTER_OTLP_HEADERS=x=%GG"}, "", 0};
  CHECK_INT(load(&g, &c), 0);
  CHECK_INT(c.signal[0].otlp_on, 0);
  CHECK_INT(c.signal[1].otlp_on, 0);
  CHECK_INT(g.n_warnings, 1); /* judged once for both signals */
  sl_otlp_config_free(&c);
}

/* ---- Endpoints directly ---- */

static void endpoint_function(void) {
  static const struct {
    const char *base, *own;
    int sig;
    const char *want, *why_has;
  } t[] = {
    {NULL, NULL, SL_OTLP_TRACES, "http://localhost:4318/v1/traces", NULL},
    {NULL, NULL, SL_OTLP_LOGS, "http://localhost:4318/v1/logs", NULL},
    {"http://h", NULL, SL_OTLP_LOGS, "http://h/v1/logs", NULL},
    {"http://h:80/a//", NULL, SL_OTLP_LOGS, "http://h:80/a//v1/logs", NULL},
    {"HTTP://H:1", NULL, SL_OTLP_TRACES, "HTTP://H:1/v1/traces", NULL},
    {"http://ignored", "http://own:9/x?y=1", SL_OTLP_TRACES, "http://own:9/x?y=1", NULL},
    {NULL, "http://own:9?y=1", SL_OTLP_TRACES, "http://own:9/?y=1", NULL},
    {NULL, "http://[::1]", SL_OTLP_TRACES, "http://[::1]/", NULL},
    {"https://h", NULL, SL_OTLP_TRACES, NULL, "TLS is not built into spanlog"},
    {NULL, "ftp://h", SL_OTLP_TRACES, NULL, "not an http:// URL"},
    {NULL, "http://h:0", SL_OTLP_TRACES, NULL, "bad port"},
    {NULL, "http://h:/", SL_OTLP_TRACES, NULL, "bad port"},
    {NULL, "http://[::1/", SL_OTLP_TRACES, NULL, "bad IPv6 literal"},
    {NULL, "http://[fe80::1%25eth0]/", SL_OTLP_TRACES, NULL, "zone"},
    {NULL, "http:///x", SL_OTLP_TRACES, NULL, "no host"},
    {NULL, "http://h/a b", SL_OTLP_TRACES, NULL, "spaces or control bytes"},
    {NULL, "http://h o/", SL_OTLP_TRACES, NULL, "bad character in the host"},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    char why[300] = "";
    check_current = t[i].own ? t[i].own : t[i].base ? t[i].base : "(default)";
    char *got = sl_otlp_endpoint(t[i].base, t[i].own, (sl_otlp_signal)t[i].sig, why, sizeof why);
    if (t[i].want) CHECK_STR(got, t[i].want);
    else CHECK(got == NULL);
    CHECK_HAS(why, t[i].why_has);
    free(got);
  }
}

/* With no lookup given, the process environment is read. */
static void real_environment(void) {
  sl_otlp_config c;
  setenv("OTEL_LOGS_EXPORTER", "otlp", 1);
  setenv("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://127.0.0.1:4318/v1/logs", 1);
  CHECK_INT(sl_otlp_config_load(&c, NULL), 0);
  CHECK_INT(c.signal[1].otlp_on, 1);
  CHECK_STR(c.signal[1].endpoint, "http://127.0.0.1:4318/v1/logs");
  sl_otlp_config_free(&c);
  unsetenv("OTEL_LOGS_EXPORTER");
  unsetenv("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");
}

int main(void) {
  RUN(table);
  RUN(defaults);
  RUN(timeouts_and_compression);
  RUN(bad_timeouts_and_compression);
  RUN(batch_variables);
  RUN(batch_bad_values);
  RUN(spanlog_variables);
  RUN(header_syntax);
  RUN(headers_from_env);
  RUN(bad_headers_turn_export_off);
  RUN(endpoint_function);
  RUN(real_environment);
  return check_exit();
}
