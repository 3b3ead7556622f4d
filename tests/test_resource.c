/* Tests for src/resource.c: service.name precedence, OTEL_RESOURCE_ATTRIBUTES parsing
   (percent-decoding, OWS, duplicates, whole-variable discard on errors) and the order of the
   attributes. Standalone: prints each failure and exits non-zero. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/resource.h"

static int failures;

static int warnings;
static char last_warning[512];
static void on_warn(const char *msg) {
  warnings++;
  snprintf(last_warning, sizeof last_warning, "%s", msg);
}

/* The whole resource as "k=v|k=v|...", so one comparison checks keys, values and order. */
static void dump(const sl_resource *r, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < r->n && used < size; i++)
    used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", i ? "|" : "", r->keys[i],
                             r->values[i]);
}

#define SDK "|telemetry.sdk.name=spanlog|telemetry.sdk.language=c|telemetry.sdk.version=1.2.3"

/* Builds a resource and compares its dump and the number of warnings. */
static void expect_at(int line, const char *service, const char *attrs, const char *program,
                      const char *version, const char *want, int want_warnings) {
  sl_resource r;
  char got[2048];
  warnings = 0;
  last_warning[0] = '\0';
  if (sl_resource_from_strings(&r, service, attrs, program, version, on_warn) != 0) {
    fprintf(stderr, "%s:%d: sl_resource_from_strings failed\n", __FILE__, line);
    failures++;
    return;
  }
  dump(&r, got, sizeof got);
  if (strcmp(got, want) != 0) {
    fprintf(stderr, "%s:%d: attrs \"%s\":\n  got:  %s\n  want: %s\n", __FILE__, line,
            attrs ? attrs : "(null)", got, want);
    failures++;
  }
  if (warnings != want_warnings) {
    fprintf(stderr, "%s:%d: attrs \"%s\": %d warnings, want %d (last: %s)\n", __FILE__, line,
            attrs ? attrs : "(null)", warnings, want_warnings, last_warning);
    failures++;
  }
  if (warnings && (strchr(last_warning, '\n') || strchr(last_warning, '\r') ||
                   !strstr(last_warning, "OTEL_RESOURCE_ATTRIBUTES"))) {
    fprintf(stderr, "%s:%d: bad warning: %s\n", __FILE__, line, last_warning);
    failures++;
  }
  sl_resource_free(&r);
  if (r.n != 0 || r.keys || r.values) {
    fprintf(stderr, "%s:%d: sl_resource_free left the resource non-empty\n", __FILE__, line);
    failures++;
  }
}

#define EXPECT(service, attrs, want, nwarn) \
  expect_at(__LINE__, service, attrs, "/usr/local/bin/agentd", "1.2.3", want, nwarn)

#define DEFAULT_SERVICE "service.name=unknown_service:agentd"

static void test_defaults(void) {
  EXPECT(NULL, NULL, DEFAULT_SERVICE SDK, 0);
  EXPECT("", "", DEFAULT_SERVICE SDK, 0); /* empty is unset */
  expect_at(__LINE__, NULL, NULL, "agentd", "1.2.3", DEFAULT_SERVICE SDK, 0);
  expect_at(__LINE__, NULL, NULL, NULL, "1.2.3", "service.name=unknown_service" SDK, 0);
  expect_at(__LINE__, NULL, NULL, "", "1.2.3", "service.name=unknown_service" SDK, 0);
  expect_at(__LINE__, NULL, NULL, "/weird/dir/", "1.2.3", "service.name=unknown_service" SDK, 0);
  expect_at(__LINE__, NULL, NULL, "agentd", NULL,
            DEFAULT_SERVICE "|telemetry.sdk.name=spanlog|telemetry.sdk.language=c", 0);
  /* Freeing an empty resource, and twice, is fine. */
  sl_resource r = {0, NULL, NULL};
  sl_resource_free(&r);
  sl_resource_free(&r);
}

static void test_service_name(void) {
  EXPECT("checkout", NULL, "service.name=checkout" SDK, 0);
  /* OTEL_SERVICE_NAME wins over the variable, and the variable's copy is not repeated. */
  EXPECT("checkout", "service.name=other,a=1", "service.name=checkout|a=1" SDK, 0);
  EXPECT("checkout", "a=1,service.name=other", "service.name=checkout|a=1" SDK, 0);
  /* Without OTEL_SERVICE_NAME the variable's service.name is used, moved to the front. */
  EXPECT(NULL, "a=1,service.name=other", "service.name=other|a=1" SDK, 0);
  EXPECT("", "service.name=other", "service.name=other" SDK, 0);
  /* Repeated: the last value. */
  EXPECT(NULL, "service.name=x,a=1,service.name=y", "service.name=y|a=1" SDK, 0);
  /* An empty service.name identifies nothing: the default. */
  EXPECT(NULL, "service.name=,a=1", DEFAULT_SERVICE "|a=1" SDK, 0);
  EXPECT(NULL, "service.name=%41%42", "service.name=AB" SDK, 0);
  EXPECT("with space", NULL, "service.name=with space" SDK, 0);
}

static void test_decoding(void) {
  EXPECT(NULL, "a%2Cb=c%3Dd", DEFAULT_SERVICE "|a,b=c=d" SDK, 0);
  EXPECT(NULL, "a%2cb=c%3dd", DEFAULT_SERVICE "|a,b=c=d" SDK, 0); /* lowercase hex */
  EXPECT(NULL, "%6B=%76", DEFAULT_SERVICE "|k=v" SDK, 0);
  EXPECT(NULL, "k=caf%C3%A9", DEFAULT_SERVICE "|k=caf\xc3\xa9" SDK, 0);
  EXPECT(NULL, "k=%25", DEFAULT_SERVICE "|k=%" SDK, 0); /* decoded once, not twice */
  EXPECT(NULL, "k=%2525", DEFAULT_SERVICE "|k=%25" SDK, 0);
  EXPECT(NULL, "k=%20x%20", DEFAULT_SERVICE "|k= x " SDK, 0); /* encoded spaces stay */
  EXPECT(NULL, "k=a+b", DEFAULT_SERVICE "|k=a+b" SDK, 0);     /* '+' is not a space here */
  EXPECT(NULL, "k=a=b", DEFAULT_SERVICE "|k=a=b" SDK, 0);     /* only the first '=' splits */
  EXPECT(NULL, "k=a;p=1", DEFAULT_SERVICE "|k=a;p=1" SDK, 0); /* no Baggage properties */
  EXPECT(NULL, "host.name=web-1,deployment.environment.name=prod",
         DEFAULT_SERVICE "|host.name=web-1|deployment.environment.name=prod" SDK, 0);
}

static void test_malformed(void) {
  /* Any bad member throws away the whole variable, with one warning. */
  const char *bad[] = {"k",      "=v",        "k=%zz",      "k=%4",        "k=%",
                       "%=v",    "k=%g0",     "k=%00",      "a=1,k",       "a=1,=v,b=2",
                       "a=1,b=%zz", " = v ",  "a=1,b=2,c", "service.name=x,k=%4",
                       "k=\n%zz\r"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_at(__LINE__, NULL, bad[i], "/usr/local/bin/agentd", "1.2.3", DEFAULT_SERVICE SDK, 1);
  /* OTEL_SERVICE_NAME still applies when the variable is dropped. */
  EXPECT("checkout", "a=1,k", "service.name=checkout" SDK, 1);
  /* The warning names the member. */
  EXPECT(NULL, "a=1,k=%zz", DEFAULT_SERVICE SDK, 1);
  if (!strstr(last_warning, "k=%zz")) {
    fprintf(stderr, "%s:%d: warning does not quote the member: %s\n", __FILE__, __LINE__,
            last_warning);
    failures++;
  }
  /* A NULL callback is allowed. */
  sl_resource r;
  if (sl_resource_from_strings(&r, NULL, "k", "p", "1", NULL) != 0 || r.n != 4) {
    fprintf(stderr, "%s:%d: NULL warn callback\n", __FILE__, __LINE__);
    failures++;
  }
  sl_resource_free(&r);
  /* A very long bad member gives a bounded one-line warning. */
  char *longattr = malloc(5000);
  if (longattr) {
    memset(longattr, 'x', 4999);
    longattr[4999] = '\0';
    EXPECT(NULL, longattr, DEFAULT_SERVICE SDK, 1);
    if (strlen(last_warning) > 300) {
      fprintf(stderr, "%s:%d: warning of %zu chars\n", __FILE__, __LINE__, strlen(last_warning));
      failures++;
    }
    free(longattr);
  }
}

static void test_ows_and_empty(void) {
  EXPECT(NULL, " a = 1 ,\tb\t=\t2\t", DEFAULT_SERVICE "|a=1|b=2" SDK, 0);
  EXPECT(NULL, "a=x y", DEFAULT_SERVICE "|a=x y" SDK, 0); /* inner spaces stay */
  EXPECT(NULL, "k=", DEFAULT_SERVICE "|k=" SDK, 0);       /* an empty value is a value */
  EXPECT(NULL, "k= ", DEFAULT_SERVICE "|k=" SDK, 0);
  EXPECT(NULL, "a=1,", DEFAULT_SERVICE "|a=1" SDK, 0);     /* empty members are skipped */
  EXPECT(NULL, ",,a=1,, ,b=2", DEFAULT_SERVICE "|a=1|b=2" SDK, 0);
  EXPECT(NULL, "   ", DEFAULT_SERVICE SDK, 0);
  EXPECT(NULL, ",", DEFAULT_SERVICE SDK, 0);
}

static void test_duplicates_and_order(void) {
  EXPECT(NULL, "a=1,b=2,a=3", DEFAULT_SERVICE "|a=3|b=2" SDK, 0);
  EXPECT(NULL, "z=1,y=2,x=3", DEFAULT_SERVICE "|z=1|y=2|x=3" SDK, 0); /* not sorted */
  EXPECT(NULL, "a=1, a =2", DEFAULT_SERVICE "|a=2" SDK, 0);          /* same key after OWS */
  EXPECT(NULL, "a%3D=1,a==2", DEFAULT_SERVICE "|a==1|a==2" SDK, 0);  /* "a=" vs "a" */
  EXPECT(NULL, "%61=1,a=2", DEFAULT_SERVICE "|a=2" SDK, 0);          /* same after decoding */
  /* A telemetry.sdk.* key from the variable wins over the SDK default and keeps its place. */
  EXPECT(NULL, "telemetry.sdk.language=cpp,a=1",
         DEFAULT_SERVICE "|telemetry.sdk.language=cpp|a=1|telemetry.sdk.name=spanlog"
                         "|telemetry.sdk.version=1.2.3",
         0);
  /* Many attributes: growth works and order is kept. */
  char attrs[4096] = "", want[8192] = DEFAULT_SERVICE;
  for (int i = 0; i < 100; i++) {
    char part[32];
    snprintf(part, sizeof part, "%sk%d=v%d", i ? "," : "", i, i);
    strcat(attrs, part);
    snprintf(part, sizeof part, "|k%d=v%d", i, i);
    strcat(want, part);
  }
  strcat(want, SDK);
  EXPECT(NULL, attrs, want, 0);
}

int main(void) {
  test_defaults();
  test_service_name();
  test_decoding();
  test_malformed();
  test_ows_and_empty();
  test_duplicates_and_order();
  if (failures) fprintf(stderr, "test_resource: %d check(s) failed\n", failures);
  else printf("test_resource: all checks passed\n");
  return failures != 0;
}
