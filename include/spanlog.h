/* spanlog: structured logging with bound context and trace correlation.
 *
 *   log_event("searching", "query", q, "top_k", 5);
 *   log_bind("user_id", uid);
 *
 * Define SPANLOG_LOGGER before the include to name the logger of a translation unit
 * (default "app"), and SPANLOG_NO_SHORT_NAMES to keep only the sl_-prefixed names. */
#ifndef SPANLOG_H
#define SPANLOG_H

#include "spanlog/version.h"
#include "spanlog/fields.h"
#include "spanlog/log.h"
#include "spanlog/context.h"
#include "spanlog/error.h"
#include "spanlog/output.h"
#include "spanlog/export.h"
#include "spanlog/processor.h"
#include "spanlog/redact.h"
#include "spanlog/span.h"
#include "spanlog/baggage.h"
#include "spanlog/genai.h"
#include "spanlog/replay.h"

#ifndef SPANLOG_NO_SHORT_NAMES
#define log_event(...) sl_log_event(__VA_ARGS__)
#define log_debug(...) sl_log_debug(__VA_ARGS__)
#define log_info(...) sl_log_info(__VA_ARGS__)
#define log_warning(...) sl_log_warning(__VA_ARGS__)
#define log_error(...) sl_log_error(__VA_ARGS__)
#define log_critical(...) sl_log_critical(__VA_ARGS__)
#define log_signal_safe(...) sl_log_signal_safe(__VA_ARGS__)
#define log_bind(...) sl_log_bind(__VA_ARGS__)
#define log_unbind(...) sl_log_unbind(__VA_ARGS__)
#define log_clear() sl_log_clear()
#endif

#endif
