/* Input files as streams of lines, including a file that grows and gets rotated (--follow). */
#ifndef TREE_INPUT_H
#define TREE_INPUT_H

#include <stdbool.h>
#include <sys/types.h>

#include "strbuf.h"

/* Gets each complete line, NUL-terminated in place; line is NULL for a line too long to
 * keep (it is skipped whole). */
typedef void (*line_fn)(void *ctx, char *line, size_t len);

typedef struct source {
  const char *path;  /* NULL: standard input */
  int fd;
  bool regular;      /* a regular file: EOF may be followed by growth or rotation */
  bool closed;       /* a pipe or terminal that reached its end */
  dev_t dev;
  ino_t ino;
  off_t offset;      /* bytes read from the current file */
  strbuf buf;
  size_t scan;       /* bytes of buf already searched for a newline */
  bool overlong;     /* discarding the rest of a line past the limit */
} source;

/* Returns 0, or -1 with errno set. "-" and NULL are standard input. */
int source_open(source *s, const char *path);
void source_close(source *s);
/* One read(2): >0 bytes read, 0 at the end for now, -1 on an error (errno). */
long source_pump(source *s, line_fn fn, void *ctx);
/* A last line without its newline (a truncated file) is handed on too. */
void source_finish(source *s, line_fn fn, void *ctx);
/* With --follow, at the end of a regular file: reopens it when the path now names another
 * file (rotation) and rewinds when it shrank (copytruncate). Returns true when it did. */
bool source_check_rotation(source *s, line_fn fn, void *ctx);
/* Waits up to ms milliseconds for data on a pipe; true when a read will not block. */
bool source_wait(source *s, int ms);

#endif
