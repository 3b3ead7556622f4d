/* Settings read from the environment (SPANLOG_*), and the parsers they share. */
#ifndef SL_CONFIG_H
#define SL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* Applies SPANLOG_OVERFLOW, SPANLOG_QUEUE_BYTES and SPANLOG_CALLSITE; reports bad values
   on stderr and keeps the defaults for them. */
void sl_config_from_env(void);

/* Parses a byte count such as "65536", "64k", "1M"; returns 0 or -1. */
int sl_parse_bytes(const char *text, uint64_t *out);

/* Case-insensitive comparison of text[0..len) with the NUL-terminated word. */
int sl_word_eq(const char *text, size_t len, const char *word);

#endif
