/* A growable byte buffer and the escapings the outputs need (JSON, HTML, terminal). */
#ifndef TREE_STRBUF_H
#define TREE_STRBUF_H

#include <stddef.h>

#include "json.h"

typedef struct strbuf {
  char *p;
  size_t len, cap;
} strbuf;

/* Allocation failure is fatal for a command-line tool: it reports and exits 1. */
void sb_reserve(strbuf *b, size_t more);
void sb_put(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_putc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sb_free(strbuf *b);
/* A NUL-terminated malloc'd copy; the buffer stays as it is. */
char *sb_strdup(const strbuf *b);

/* A JSON string literal, quotes included. Control characters, DEL, U+2028/9 and the
 * bidi controls come out as \u escapes, so the text is safe on a terminal too. */
void sb_json_str(strbuf *b, const char *s, size_t n);
/* A parsed value written back as compact JSON (numbers keep their text). */
void sb_json_val(strbuf *b, const jval *v);
/* A finite double in its shortest round-trip form; null when not finite. */
void sb_json_double(strbuf *b, double d);
/* Text for a terminal: control characters, DEL and bidi controls as \u escapes. */
void sb_safe(strbuf *b, const char *s, size_t n);
/* Text for HTML element content and attribute values. */
void sb_html(strbuf *b, const char *s, size_t n);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);

#endif
