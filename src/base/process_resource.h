/* This process' resource (service.name, OTEL_RESOURCE_ATTRIBUTES, telemetry.sdk.*), read
 * from the environment once, on first use; what span lines and exporters describe the
 * process with. */
#ifndef SL_PROCESS_RESOURCE_H
#define SL_PROCESS_RESOURCE_H

#include <stddef.h>

#include "base/resource.h"

/* The resource; bad values of the variables are reported on stderr, once. Empty (n == 0)
   without memory. */
const sl_resource *sl_process_resource(void);
/* The resource as a JSON object, {"service.name":...}, rendered once; "" without memory. */
const char *sl_process_resource_json(size_t *len);

#endif
