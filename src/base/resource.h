/* The process' resource attributes as OpenTelemetry defines them (SPEC-NOTES §5, from
   SPEC resource/sdk.md and configuration/sdk-environment-variables.md). Libc only, no state. */
#ifndef SL_RESOURCE_H
#define SL_RESOURCE_H

#include <stddef.h>

/* n pairs; keys[i] and values[i] are NUL-terminated strings owned by the resource. */
typedef struct sl_resource {
  size_t n;
  char **keys;
  char **values;
} sl_resource;

/* Builds the resource from OTEL_SERVICE_NAME (service_name) and OTEL_RESOURCE_ATTRIBUTES
   (resource_attributes); NULL or "" means unset.
   - service.name: service_name if set, else a non-empty service.name from the attributes, else
     "unknown_service:<basename of program_name>" ("unknown_service" without a program name).
   - resource_attributes is "k1=v1,k2=v2": keys and values percent-decoded, spaces and tabs
     around them trimmed, empty members (",,", a trailing ",") skipped, a value may be empty and
     may contain a raw '='. A member without '=', an empty key, a bad escape ("%zz", "%4") or
     "%00" (no place in a C string) discards the whole variable and calls warn once.
   - telemetry.sdk.name="spanlog", telemetry.sdk.language="c", telemetry.sdk.version=sdk_version
     (left out when sdk_version is NULL). As in OpenTelemetry Python, a key given in the
     variable takes precedence over these defaults.
   Order: service.name, the attribute pairs in their order (a repeated key keeps its first
   position with the last value), then the telemetry.sdk.* keys not already present.
   warn (may be NULL) receives one line without a trailing newline.
   Returns 0, or -1 when out of memory (r is then empty and needs no sl_resource_free). */
int sl_resource_from_strings(sl_resource *r, const char *service_name,
                             const char *resource_attributes, const char *program_name,
                             const char *sdk_version, void (*warn)(const char *msg));

/* Frees every string and the arrays, and leaves r empty. Safe on an empty resource. */
void sl_resource_free(sl_resource *r);

#endif
