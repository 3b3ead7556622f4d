/* Tool I/O recording and replay: an agent's tool dispatcher records each request's input
 * and every tool call (arguments, result or error); spanlog writes them per trace to
 * <dir>/<trace_id>.jsonl, and a later run replays the recorded results by trace id.
 *
 * Recording (on the request's thread; the cost of a log call: the calls are queued like
 * records, redacted on the background thread, and written by spanlog's own thread):
 *
 *   sl_span *agent = sl_genai_invoke_agent("research-assistant", NULL);
 *   sl_replay_record_input("{\"user_id\":\"u_8821\",\"message\":\"my Q3 invoices\"}");
 *   ...  sl_replay_record_call(call_id, "search_docs", args_json, result_json, NULL);
 *   sl_replay_record_output("\"Your Q3 invoices total ...\"");
 *   sl_span_end(agent);          // the recording is written, or discarded, now
 *
 * The file: a first line {"trace_id":…,"input":…[,"output":…]}, then one line per call
 * {"call_id":…,"tool":…,"args":{…},"result":…} (or "error":"…" instead of "result").
 * Which traces are written: every trace whose request span (the span current at
 * sl_replay_record_input) ends with error status, and of the others a share
 * (SPANLOG_REPLAY_SAMPLE, default 1: all), decided from the trace id so that every
 * process decides alike. Directory: SPANLOG_REPLAY_DIR, default "runs/replay".
 *
 * Replay (a run of its own, isolated from any other replay):
 *
 *   sl_replay *r = sl_replay_open(trace_id, err, sizeof err);
 *   ... in the dispatcher, inside the tool's execute_tool span:
 *   sl_replay_result res;
 *   if (sl_replay_tool(r, span, call_id, tool, args_json, flags, &res) == SL_REPLAY_EXECUTE)
 *     run the tool for real;            // an unmatched read-only tool
 *   sl_replay_close(r); */
#ifndef SPANLOG_REPLAY_H
#define SPANLOG_REPLAY_H

#include <stddef.h>

#include "span.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- recording ---- */

/* Records the request's input (one JSON value) for the current span's trace; call it
   inside the request's root span (e.g. invoke_agent): the recording is closed when that
   span ends. 0, or -1 (no current span, the span is not sampled, the text is not JSON).
   Copies input_json; ownership stays with the caller. */
SL_API int sl_replay_record_input(const char *input_json);
/* Records one tool call of the current trace: its id, the tool's name, its arguments (a
   JSON object; NULL is {}), and either its result (JSON; NULL is null) or, when error is
   not NULL, the error message. 0, or -1 (no current span or trace not sampled, args not a
   JSON object, result not JSON). Copies everything; ownership stays with the caller. */
SL_API int sl_replay_record_call(const char *call_id, const char *tool, const char *args_json,
                                 const char *result_json, const char *error);
/* Records the request's output (one JSON value, e.g. the answer as a JSON string), so
   that a replay can tell whether it changed. 0 or -1 as above. Copies output_json. */
SL_API int sl_replay_record_output(const char *output_json);

/* The directory recordings are written to (made when missing); NULL restores
   SPANLOG_REPLAY_DIR or "runs/replay". Copies dir. Applies to traces closed from now on. */
SL_API void sl_replay_set_dir(const char *dir);
/* The share of traces that do not end in error that are recorded: 0 none, 1 (the
   default) all, in between decided by trace id. Traces ending in error are always
   recorded. */
SL_API void sl_replay_set_sample(double share);

/* ---- replay ---- */

typedef struct sl_replay sl_replay;

/* A tool that changes state (sends, writes, pays): never executed during a replay. */
#define SL_TOOL_STATE_CHANGING 1

typedef enum sl_replay_outcome {
  SL_REPLAY_RECORDED = 0, /* matched: use res.result_json, or res.error if it failed */
  SL_REPLAY_EXECUTE = 1,  /* no match, read-only tool: run it for real */
  SL_REPLAY_STUBBED = 2   /* no match, state-changing tool: not run; res.error says why */
} sl_replay_outcome;

typedef struct sl_replay_result {
  int matched;             /* 1 if a recorded call was used */
  const char *match;       /* "call_id", "arguments" or "none" */
  const char *call_id;     /* the recorded call's id when matched, else NULL */
  const char *result_json; /* the recorded result (compact JSON), or NULL */
  const char *error;       /* the recorded error, or the stub's, or NULL */
} sl_replay_result;

/* Opens the recording of a trace: a 32-hex-digit trace id (looked up in the recording
   directory) or a path to a .jsonl file. NULL on failure, with a message naming the file
   and the problem (missing, empty, truncated, not a recording) in error[0..error_size).
   The caller owns the handle: sl_replay_close. */
SL_API sl_replay *sl_replay_open(const char *trace_id_or_path, char *error, size_t error_size);
/* Frees a replay and every string it returned (NULL is fine). */
SL_API void sl_replay_close(sl_replay *r);

/* The recorded trace id, input and output (JSON text; output NULL when none was
   recorded). Owned by r. */
SL_API const char *sl_replay_trace_id(const sl_replay *r);
SL_API const char *sl_replay_input(const sl_replay *r);
SL_API const char *sl_replay_output(const sl_replay *r);
/* Recorded calls in all, and those no sl_replay_tool has used yet. */
SL_API size_t sl_replay_call_count(const sl_replay *r);
SL_API size_t sl_replay_unused_count(const sl_replay *r);

/* A tool call of the replayed run: matches it to an unused recorded call, by call id
   (same id and tool, same arguments), else by the same tool with the same canonical
   arguments (keys sorted, no whitespace; a recorded "[REDACTED]" matches any value), the
   earliest unused first. Sets replay.matched and replay.match on tool_span (may be
   NULL). flags: SL_TOOL_STATE_CHANGING or 0. *out's strings are owned by r. Safe to call
   from several threads on one replay. */
SL_API sl_replay_outcome sl_replay_tool(sl_replay *r, sl_span *tool_span, const char *call_id, const char *tool,
                                        const char *args_json, int flags, sl_replay_result *out);

#ifdef __cplusplus
}
#endif

#endif
