/* Timestamps: nanoseconds since the Unix epoch, read from and written as ISO-8601 UTC. */
#ifndef TREE_TIMEFMT_H
#define TREE_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "2026-03-14T10:42:13.421337Z" (any fraction, 'Z' or a +hh:mm offset). */
bool time_parse_iso(const char *s, size_t n, int64_t *ns);
/* Writes "2026-03-14T10:42:13.421337Z" (the buffer is larger than the 28 bytes it needs) into out. */
void time_format_iso(int64_t ns, char out[40]);
/* Writes "10:42:13.421337" into out. */
void time_format_clock(int64_t ns, char out[24]);
/* to - from in nanoseconds. Two times a line may hold (the years 1677 to 2262) can lie
   further apart than 64-bit nanoseconds reach: the difference is a double for that. */
double time_ns_between(int64_t from, int64_t to);
/* The same in milliseconds of whole microseconds, as spanlog writes durations. */
double time_ms_between(int64_t from, int64_t to);
/* t plus ms >= 0 milliseconds, INT64_MAX past the last time 64-bit nanoseconds hold. */
int64_t time_plus_ms(int64_t t, double ms);

#endif
