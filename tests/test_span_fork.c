/* Trace and span ids after fork(): the parent and the child each make 1,000 spans, and
 * no id of one appears in the other (a child that kept the parent's generator state
 * would repeat the parent's ids). The child writes to a file of its own; its lines
 * parse, and none of the parent's records (those queued before the fork included) is
 * in it, nor is any of the child's in the parent's file. */
#define SPANLOG_LOGGER "fork"
#include <errno.h>
#include <spanlog.h>
#include <sys/wait.h>

#include "spanlines.h"

#include "forkchild.h"

#define N 1000
#define PREFORK 100
#define ID_BYTES (32 + 16)

typedef struct ids {
  char trace[N][33], span[N][17];
} ids;

static ids mine, theirs;

/* N spans, each with a log record inside, their ids kept. */
static void make_spans(ids *out, const char *who) {
  for (int i = 0; i < N; i++) {
    sl_span *s = sl_span_start("work", "who", who, "i", i);
    if (sl_span_ids(s, out->trace[i], out->span[i])) FAIL("%s: sl_span_ids failed", who);
    log_info("work.log", "who", who, "i", i);
    sl_span_end(s);
  }
}

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w, n -= (size_t)w;
  }
  return 0;
}

static int child_main(sl_sink *parents, const char *path, int to_parent) {
  in_fork_child = 1;
  check_current = "child";
  sl_sink_remove(parents); /* the parent's file is the parent's: write to our own */
  if (!sl_sink_add_file(path, SL_LEVEL_DEBUG)) FAIL("sl_sink_add_file(%s): %s", path, strerror(errno));
  make_spans(&mine, "child");
  char buf[ID_BYTES];
  for (int i = 0; i < N; i++) {
    memcpy(buf, mine.trace[i], 32);
    memcpy(buf + 32, mine.span[i], 16);
    if (write_all(to_parent, buf, sizeof buf)) {
      FAIL("write to the parent: %s", strerror(errno));
      break;
    }
  }
  close(to_parent);
  sl_flush();
  return check_exit();
}

static int cmp_str(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

/* How many of a's n strings (sorted, each `size` bytes) are also in b's. */
static size_t common(const char *a, const char *b, size_t n, size_t size) {
  size_t i = 0, j = 0, k = 0;
  while (i < n && j < n) {
    int c = strcmp(a + i * size, b + j * size);
    if (c == 0) k++, i++, j++;
    else if (c < 0) i++;
    else j++;
  }
  return k;
}

/* How many adjacent equal strings in sorted a. */
static size_t repeats(const char *a, size_t n, size_t size) {
  size_t k = 0;
  for (size_t i = 1; i < n; i++) k += strcmp(a + (i - 1) * size, a + i * size) == 0;
  return k;
}

static int id_in(const char *id, const char *sorted, size_t n, size_t size) {
  return id && strlen(id) == size - 1 && bsearch(id, sorted, n, size, cmp_str) != NULL;
}

/* One process' file: every line parses; spans and logs are the `who` side's and carry
   its ids; the records made before the fork are counted in *prefork. */
static void check_file(const char *path, const char *who, const ids *sorted, size_t *prefork, size_t *spans,
                       size_t *logs) {
  size_t len;
  char *text = slurp(path, &len);
  if (!text) {
    FAIL("%s: cannot read %s", who, path);
    return;
  }
  doc_list docs = {0};
  PARSE_LINES(text, len, &docs);
  for (size_t k = 0; k < docs.n; k++) {
    const jl_doc *d = docs.d[k];
    const char *trace = doc_str(d, "trace_id"), *span = doc_str(d, "span_id");
    const char *event = doc_str(d, "event"), *name = doc_str(d, "name");
    if ((event && strcmp(event, "prefork") == 0) || (name && strcmp(name, "prefork") == 0)) {
      ++*prefork;
      continue;
    }
    const char *line_who;
    jl_doc *attrs = NULL;
    if (is_span(d)) {
      ++*spans;
      attrs = sub_object(d, "attributes");
      line_who = doc_str(attrs, "who");
    } else {
      ++*logs;
      line_who = doc_str(d, "who");
    }
    if (!line_who || strcmp(line_who, who) != 0) FAIL("%s's file holds a record of %s", who, line_who ? line_who : "?");
    if (!id_in(trace, sorted->trace[0], N, 33) || !id_in(span, sorted->span[0], N, 17))
      FAIL("%s's file: a record with ids %s/%s not made by %s", who, trace ? trace : "-", span ? span : "-", who);
    jl_free(attrs);
  }
  docs_free(&docs);
  free(text);
}

int main(void) {
  check_current = "parent";
  char dir[] = "/tmp/spanlog-spanfork-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  char parent_path[64], child_path[64];
  snprintf(parent_path, sizeof parent_path, "%s/parent.log", dir);
  snprintf(child_path, sizeof child_path, "%s/child.log", dir);
  sl_sink *parents = sl_sink_add_file(parent_path, SL_LEVEL_DEBUG);
  CHECK(parents != NULL);

  /* ids are made before the fork (the generator is seeded), and records are queued */
  for (int i = 0; i < PREFORK; i++) {
    sl_span *s = sl_span_start("prefork");
    log_info("prefork", "i", i);
    sl_span_end(s);
  }
  CHECK(sl_span_current() == NULL); /* no span for the child to continue */

  int fds[2];
  if (pipe(fds)) {
    perror("pipe");
    return 1;
  }
  fflush(NULL);
#ifdef CHECK_SANITIZED
  /* The sanitizers' allocators are not fork-safe in these compiler versions: a child
     whose parent's backend thread was inside malloc at the fork hangs in its first
     malloc. Let the backend go idle first (the records are then written already). */
  sl_flush();
#endif
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 1;
  }
  if (pid == 0) {
    close(fds[0]);
    exit(child_main(parents, child_path, fds[1]));
  }
  close(fds[1]);
  make_spans(&mine, "parent");

  /* the child's ids, over the pipe */
  char buf[ID_BYTES];
  size_t got = 0, have = 0;
  ssize_t r;
  while (got < N && (r = read(fds[0], buf + have, sizeof buf - have)) != 0) {
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    have += (size_t)r;
    if (have == sizeof buf) {
      memcpy(theirs.trace[got], buf, 32);
      theirs.trace[got][32] = 0;
      memcpy(theirs.span[got], buf + 32, 16);
      theirs.span[got][16] = 0;
      got++;
      have = 0;
    }
  }
  close(fds[0]);
  int status = 0;
  CHECK_INT(waitpid(pid, &status, 0), pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) FAIL("child ended with status %#x", status);
  CHECK_INT(got, N);
  sl_flush();

  qsort(mine.trace, N, 33, cmp_str);
  qsort(mine.span, N, 17, cmp_str);
  qsort(theirs.trace, got, 33, cmp_str);
  qsort(theirs.span, got, 17, cmp_str);
  CHECK_INT(repeats(mine.trace[0], N, 33), 0);
  CHECK_INT(repeats(theirs.trace[0], got, 33), 0);
  CHECK_INT(repeats(mine.span[0], N, 17), 0);
  CHECK_INT(repeats(theirs.span[0], got, 17), 0);
  size_t shared_traces = got == N ? common(mine.trace[0], theirs.trace[0], N, 33) : 0;
  size_t shared_spans = got == N ? common(mine.span[0], theirs.span[0], N, 17) : 0;
  if (shared_traces) FAIL("%zu trace ids made by both the parent and the child", shared_traces);
  if (shared_spans) FAIL("%zu span ids made by both the parent and the child", shared_spans);

  /* the files: each holds its own process' records only, and every line parses */
  size_t prefork = 0, spans = 0, logs = 0;
  check_current = "parent file";
  check_file(parent_path, "parent", &mine, &prefork, &spans, &logs);
  CHECK_INT(prefork, 2 * PREFORK); /* written once, by the parent */
  CHECK_INT(spans, N);
  CHECK_INT(logs, N);
  prefork = spans = logs = 0;
  check_current = "child file";
  if (got == N) check_file(child_path, "child", &theirs, &prefork, &spans, &logs);
  CHECK_INT(prefork, 0);
  CHECK_INT(spans, N);
  CHECK_INT(logs, N);

  unlink(parent_path);
  unlink(child_path);
  rmdir(dir);
  return check_exit();
}
