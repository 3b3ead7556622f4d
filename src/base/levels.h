/* Level names, both ways: what records show and what settings spell. The public
 * sl_level_name and sl_level_parse (spanlog/log.h) are defined here. */
#ifndef SL_LEVELS_H
#define SL_LEVELS_H

#include <stddef.h>

#include "spanlog/log.h"

/* The level that text[0..len) names, case-insensitively ("warn" too), or -1. */
int sl_level_from_name(const char *text, size_t len);

#endif
