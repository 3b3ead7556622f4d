/* Errors as fields, with the OpenTelemetry names error.type and error.message:
 *
 *   if (fd < 0) log_error("open failed", SL_ERRNO(errno), "path", path);
 *     → "error.type":"ENOENT","error.message":"No such file or directory","path":…
 *   log_error("fetch failed", SL_ERROR("timeout", "upstream took 30 s"),
 *             SL_CAUSE("connect: Connection refused"));
 *     → "error.type":"timeout","error.message":"upstream took 30 s","error.cause":…
 *
 * On a span, sl_span_error(span, type, message) sets error.type and the error status, and
 * adds an "exception" event with exception.type and exception.message. */
#ifndef SPANLOG_ERROR_H
#define SPANLOG_ERROR_H

#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The symbolic name of an errno value ("ENOENT"): a static string; for a value without a
   name, "E<number>", valid until the calling thread's next call. */
SL_API const char *sl_errno_name(int err);
/* The text of an errno value ("No such file or directory"), in English whatever the
   locale; a static string. */
SL_API const char *sl_errno_message(int err);

#ifdef __cplusplus
}
#endif

/* Pairs to put among a call's key/value pairs. */
#define SL_ERRNO(err) "error.type", sl_errno_name(err), "error.message", sl_errno_message(err)
#define SL_ERROR(type, message) "error.type", (type), "error.message", (message)
#define SL_CAUSE(cause) "error.cause", (cause)

#endif
