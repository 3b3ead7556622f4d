/* The demo agent: serves N research-assistant requests, records every request's tool I/O,
 * and replays a recording by trace id.
 *
 *   agent [--requests N] [--threads N] [--out FILE]   serve; logs and spans to FILE
 *   agent --replay TRACE_ID                           replay one recording, print its tree
 *   agent --replay-all DIR                            replay every recording in DIR
 *
 * One of the requests fails silently: u_8821 asks about Q3 invoices, search_docs answers
 * with Q1's (a cache keyed without the quarter) and the agent states the Q1 total as Q3's.
 * Another times out fetching a document and retries; another cannot send an email. */
#define _GNU_SOURCE
#define SPANLOG_LOGGER "agent"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"

#define DEFAULT_OUT "runs/agent.jsonl"
#define REPLAY_OUT "runs/agent-replay.jsonl"

static const struct {
  const char *user, *message;
} scripted[] = {
    {"u_8821", "What is the total of my Q3 invoices?"},
    {"u_1042", "What is our refund policy?"},
    {"u_3310", "Email the Q2 revenue summary to finance@example.com"},
    {"u_7777", "Where is the onboarding checklist?"},
    {"u_5120", "What is the total of my Q3 invoices?"},
    {"u_2290", "What is our refund policy?"},
    {"u_6401", "Email the Q2 revenue summary to finance@exmaple.com"},
    {"u_9034", "Where is the onboarding checklist?"},
};
#define NSCRIPTED ((int)(sizeof scripted / sizeof *scripted))

static void no_wait(int ms) { (void)ms; }

static void usage(void) {
  fprintf(stderr, "usage: agent [--requests N] [--threads N] [--out FILE]\n"
                  "       agent --replay TRACE_ID\n"
                  "       agent --replay-all DIR\n");
  exit(2);
}

/* Logs and spans of this run go to path, rewritten each run (the directory made). */
static void log_to(const char *path) {
  char *dir = strdup(path);
  mkdir(dirname(dir), 0755);
  free(dir);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) close(fd);
  if (!sl_sink_add_file(path, SL_LEVEL_DEBUG)) fprintf(stderr, "agent: cannot write %s\n", path);
  if (!getenv("SPANLOG_LEVEL")) sl_set_levels("info,agent.tools=debug");
}

static void make_request(request *r, int i) {
  memset(r, 0, sizeof *r);
  r->index = i;
  r->record = 1;
  if (i < NSCRIPTED) {
    snprintf(r->user_id, sizeof r->user_id, "%s", scripted[i].user);
    snprintf(r->message, sizeof r->message, "%s", scripted[i].message);
    return;
  }
  snprintf(r->user_id, sizeof r->user_id, "u_%d", 10000 + i);
  snprintf(r->message, sizeof r->message, "%s", scripted[4 + i % 4].message); /* the ones that go well */
  if (i % 4 == 2) snprintf(r->message, sizeof r->message, "%s", scripted[2].message);
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void summary(const request *reqs, int n, int threads, double secs, const char *out) {
  char dir[256];
  const char *env = getenv("SPANLOG_REPLAY_DIR");
  snprintf(dir, sizeof dir, "%s", env && *env ? env : "runs/replay");
  fprintf(stderr, "agent: %d requests (%d on %d threads, %d as coroutines) in %.2f s\n", n, n - n / 2, threads,
          n / 2, secs);
  for (int i = 0; i < n && i < 12; i++)
    fprintf(stderr, "  %s  %-6s %s%s\n", reqs[i].trace_id, reqs[i].user_id, reqs[i].failed ? "[error] " : "",
            reqs[i].answer);
  if (n > 12) fprintf(stderr, "  ... and %d more\n", n - 12);
  fprintf(stderr, "logs and spans: %s   tool I/O recordings: %s/<trace_id>.jsonl\n", out, dir);
  fprintf(stderr, "next:\n  build/tools/spanlog-tree --summary %s\n  build/tools/spanlog-tree --trace %s %s\n"
                  "  build/examples/agent --replay %s\n",
          out, reqs[0].trace_id, out, reqs[0].trace_id);
}

static int serve_mode(int n, int threads, const char *out) {
  log_to(out);
  request *reqs = calloc((size_t)n, sizeof *reqs);
  for (int i = 0; i < n; i++) make_request(&reqs[i], i);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  serve(reqs, n, threads);
  sl_flush();
  summary(reqs, n, threads, seconds_since(&t0), out);
  free(reqs);
  return 0;
}

/* ---- replay ---- */

/* Runs the recorded request again with the recorded tool results; 1 if its answer
   differs from the recorded one. */
static int replay_one(sl_replay *r, request *req) {
  char answer[ANSWER_MAX * 2 + 3];
  memset(req, 0, sizeof *req);
  json_string(sl_replay_input(r), "user_id", req->user_id, sizeof req->user_id);
  json_string(sl_replay_input(r), "message", req->message, sizeof req->message);
  req->replay = r;
  req->wait = no_wait;
  req->runner = "replay";
  run_request(req);
  /* the recorded output is the answer as a JSON string */
  json_quote(req->answer, answer, sizeof answer);
  return !sl_replay_output(r) || strcmp(sl_replay_output(r), answer) != 0;
}

/* spanlog-tree beside this program's build directory, else on PATH. */
static void print_tree(const char *argv0, const char *file, const char *trace_id) {
  char *self = strdup(argv0), tree[4096];
  snprintf(tree, sizeof tree, "%s/../tools/spanlog-tree", dirname(self));
  free(self);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    const char *args[] = {"spanlog-tree", "--trace", trace_id, file, NULL};
    execv(tree, (char *const *)args);
    execvp("spanlog-tree", (char *const *)args);
    fprintf(stderr, "agent: spanlog-tree not found; the replay's lines are in %s\n", file);
    _exit(127);
  }
  if (pid > 0) waitpid(pid, NULL, 0);
}

static int replay_mode(const char *argv0, const char *id) {
  char error[512];
  sl_replay *r = sl_replay_open(id, error, sizeof error);
  if (!r) {
    fprintf(stderr, "agent: %s\n", error);
    return 1;
  }
  log_to(REPLAY_OUT);
  request req;
  int changed = replay_one(r, &req);
  sl_flush();
  printf("replayed trace %s (new trace %s): %d tool calls, %d matched the recording, %zu recorded calls unused\n",
         sl_replay_trace_id(r), req.trace_id, req.tool_calls, req.matched_calls, sl_replay_unused_count(r));
  fputs(req.replay_notes, stdout);
  printf("recorded answer: %s\nreplayed answer: \"%s\"\n%s\n\n", sl_replay_output(r) ? sl_replay_output(r) : "(none)",
         req.answer, changed ? "CHANGED" : "identical");
  print_tree(argv0, REPLAY_OUT, req.trace_id);
  sl_replay_close(r);
  return changed;
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }
static int is_recording(const struct dirent *d) {
  size_t n = strlen(d->d_name);
  return d->d_name[0] != '.' && n > 6 && strcmp(d->d_name + n - 6, ".jsonl") == 0;
}

static int replay_all_mode(const char *dir) {
  struct dirent **names;
  int n = scandir(dir, &names, is_recording, by_name), changed = 0, bad = 0;
  if (n < 0) {
    fprintf(stderr, "agent: %s: %s\n", dir, strerror(errno));
    return 2;
  }
  log_to(REPLAY_OUT);
  for (int i = 0; i < n; i++) {
    char path[4096], error[512];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    free(names[i]);
    sl_replay *r = sl_replay_open(path, error, sizeof error);
    if (!r) {
      printf("ERROR    %s\n", error);
      bad++;
      continue;
    }
    request req;
    int c = replay_one(r, &req);
    changed += c;
    printf("%-8s %s  %d/%d calls matched  %s\n", c ? "CHANGED" : "same", sl_replay_trace_id(r), req.matched_calls,
           req.tool_calls, req.answer);
    if (c) printf("         was %s\n", sl_replay_output(r) ? sl_replay_output(r) : "(no recorded answer)");
    sl_replay_close(r);
  }
  free(names);
  sl_flush();
  printf("%d recordings replayed: %d answers changed, %d unreadable\n", n, changed, bad);
  return changed || bad;
}

static int number(const char *s) {
  char *end;
  long v = s ? strtol(s, &end, 10) : 0;
  if (!s || *end || v < 1 || v > 100000) usage();
  return (int)v;
}

int main(int argc, char **argv) {
  int n = 8, threads = 4;
  const char *out = DEFAULT_OUT, *replay = NULL, *replay_all = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--requests") == 0) n = number(v), i++;
    else if (strcmp(a, "--threads") == 0) threads = number(v), i++;
    else if (strcmp(a, "--out") == 0 && v) out = v, i++;
    else if (strcmp(a, "--replay") == 0 && v) replay = v, i++;
    else if (strcmp(a, "--replay-all") == 0 && v) replay_all = v, i++;
    else usage();
  }
  if (replay) return replay_mode(argv[0], replay);
  if (replay_all) return replay_all_mode(replay_all);
  return serve_mode(n, threads, out);
}
