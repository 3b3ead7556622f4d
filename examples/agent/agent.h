/* A simulated research-assistant agent: a scripted model, three tools, and a dispatcher
 * that records every tool call (or replays recorded ones). Deterministic: the same input
 * and the same tool results give the same answer, byte for byte. */
#ifndef AGENT_H
#define AGENT_H

#include <spanlog.h>
#include <stddef.h>

#define ANSWER_MAX 512
#define RESULT_MAX 1024
#define MAX_TOOL_CALLS 4
#define MAX_STEPS 6

/* How a request waits for its tools: a thread sleeps, a coroutine yields. */
typedef void (*wait_fn)(int ms);

/* One request and what became of it. */
typedef struct request {
  int index;
  char user_id[32];
  char message[160];
  sl_replay *replay; /* replaying: the recording to take tool results from */
  int record;        /* recording tool I/O */
  wait_fn wait;
  const char *runner; /* "thread" or "coroutine" */
  /* results */
  char trace_id[33];
  char answer[ANSWER_MAX];
  int failed;
  int tool_calls, matched_calls;
  char replay_notes[1024]; /* per replayed call: its replay.matched and replay.match */
} request;

/* A tool call the model asks for. */
typedef struct tool_call {
  char id[40];
  char name[24];
  char args[512]; /* a JSON object */
} tool_call;

/* What the model has seen so far and says next. */
typedef struct conversation {
  const request *req;
  int step;
  char results[MAX_STEPS][RESULT_MAX]; /* the tool results (or errors) of each step */
  int failed[MAX_STEPS];
} conversation;

typedef struct turn {
  const char *finish_reason; /* "tool_use" or "end_turn" */
  tool_call calls[MAX_TOOL_CALLS];
  int ncalls;
  char text[ANSWER_MAX];
  long input_tokens, output_tokens;
  int gave_up; /* the answer says the request failed */
} turn;

/* model.c */
void model_next(const conversation *c, turn *t);
/* The string value of "key" in flat JSON the agent made itself (0, or -1 if absent). */
int json_string(const char *json, const char *key, char *out, size_t size);

/* tools.c: runs one tool call (recording or replaying it) inside its execute_tool span;
   the result or the error message goes to out. Returns 0, or -1 if the tool failed. */
int dispatch_tool(request *req, const tool_call *call, int attempt, char *out, size_t size);

/* serve.c */
/* s as a JSON string literal (our own texts: quotes and backslashes escaped). */
void json_quote(const char *s, char *out, size_t size);
void run_request(request *req);
/* Serves reqs[0..n): even ones on a pool of `threads` threads, odd ones as coroutines. */
void serve(request *reqs, int n, int threads);

#endif
