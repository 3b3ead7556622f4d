#include "base/levels.h"

#include <string.h>

#include "base/parse.h"

static const struct {
  const char *name;
  int level;
} level_names[] = {
    {"debug", SL_LEVEL_DEBUG},       {"info", SL_LEVEL_INFO},   {"warning", SL_LEVEL_WARNING},
    {"warn", SL_LEVEL_WARNING},      {"error", SL_LEVEL_ERROR}, {"critical", SL_LEVEL_CRITICAL},
    {"off", SL_LEVEL_OFF},
};

const char *sl_level_name(sl_level level) {
  switch (level) {
  case SL_LEVEL_DEBUG: return "debug";
  case SL_LEVEL_INFO: return "info";
  case SL_LEVEL_WARNING: return "warning";
  case SL_LEVEL_ERROR: return "error";
  case SL_LEVEL_CRITICAL: return "critical";
  case SL_LEVEL_OFF: return "off";
  }
  return "unknown";
}

int sl_level_from_name(const char *text, size_t len) {
  for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++)
    if (sl_word_eq(text, len, level_names[i].name)) return level_names[i].level;
  return -1;
}

int sl_level_parse(const char *text) { return text ? sl_level_from_name(text, strlen(text)) : -1; }
