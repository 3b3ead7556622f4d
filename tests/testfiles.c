/* Reading files and streams back, the temporary directory, the clock: see testfiles.h.
 * No check.h here (testfiles.h says why): failures are returned, not counted. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "testfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- text ---- */

void text_add(text *t, const char *p, size_t n) {
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 65536;
    while (cap < t->len + n + 1) cap *= 2;
    char *d = realloc(t->data, cap);
    if (!d) abort();
    t->data = d, t->cap = cap;
  }
  memcpy(t->data + t->len, p, n);
  t->len += n;
  t->data[t->len] = 0;
}

int text_read_file(text *t, const char *path) {
  char buf[65536];
  ssize_t n;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  text_add(t, "", 0);
  while ((n = read(fd, buf, sizeof buf)) > 0) text_add(t, buf, (size_t)n);
  close(fd);
  return 0;
}

void text_split(text *t) {
  if (!t->data) return;
  size_t cap = 64;
  t->line = malloc(cap * sizeof *t->line);
  if (!t->line) abort();
  for (char *p = t->data, *end = t->data + t->len; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (t->n == cap) {
      char **line = realloc(t->line, (cap *= 2) * sizeof *line);
      if (!line) abort();
      t->line = line;
    }
    t->line[t->n++] = p;
    if (!nl) {
      t->torn = 1;
      break;
    }
    *nl = 0;
    p = nl + 1;
  }
}

text read_text(const char *path) {
  text t = {0};
  if (text_read_file(&t, path) == 0) text_split(&t);
  return t;
}

void text_free(text *t) {
  free(t->data);
  free(t->line);
  memset(t, 0, sizeof *t);
}

/* ---- the temporary directory ---- */

static char tmpdir[64];

const char *tmpdir_make(const char *name) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/spanlog-%s-XXXXXX", name);
  return mkdtemp(tmpdir);
}

const char *in_dir(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", tmpdir, name);
  return out;
}

int tmpdir_remove(void) {
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  char p[512];
  while (d && (e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    unlink(in_dir(p, sizeof p, e->d_name));
  }
  if (d) closedir(d);
  return rmdir(tmpdir);
}

int tmpdir_done(int rc) {
  if (rc == 0) tmpdir_remove();
  else fprintf(stderr, "files kept in %s\n", tmpdir);
  return rc;
}

/* ---- time ---- */

double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void *pipe_reader_run(void *arg) {
  pipe_reader *r = arg;
  char buf[4096];
  ssize_t n;
  while ((n = read(r->fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    r->reads++;
    text_add(&r->got, buf, (size_t)n);
    if (r->pause_ms) sleep_ms(r->pause_ms);
  }
  return NULL;
}

int pipe_reader_start(pipe_reader *r, int fd, long pause_ms) {
  memset(r, 0, sizeof *r);
  r->fd = fd;
  r->pause_ms = pause_ms;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(&r->thread, NULL, pipe_reader_run, r) == 0 ? 0 : -1;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

void pipe_reader_finish(pipe_reader *r) {
  pthread_join(r->thread, NULL);
  close(r->fd);
  text_split(&r->got);
}
