/* The program tracestate_test.py drives: spans of a trace continued from an incoming
 * traceparent and tracestate, with links that have a tracestate of their own or none,
 * and a trace started here with a link to a span of the continued trace, exported by the exporters the environment configures. It
 * prints the ids it made as one JSON object on stdout, then shuts down (which exports
 * everything). */
#include <spanlog.h>
#include <stdio.h>

/* The incoming request's headers, as a server gets them. */
#define TRACEPARENT "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
#define TRACESTATE " congo=t61rcWkgMzE ,, rojo=00f067aa0ba902b7"
/* Spans of other traces, linked to. */
#define LINKED_WITH_STATE "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
#define LINKED_STATE "vendor=linked,other=1"
#define LINKED_PLAIN "00-11111111111111111111111111111111-2222222222222222-01"

static void print_ids(const char *name, sl_span *s, int last) {
  char trace_id[33], span_id[17];
  sl_span_ids(s, trace_id, span_id);
  printf("\"%s\":{\"trace_id\":\"%s\",\"span_id\":\"%s\"}%s", name, trace_id, span_id, last ? "}\n" : ",");
}

int main(void) {
  printf("{");
  sl_trace_continue(TRACEPARENT, TRACESTATE);
  sl_span *server = sl_span_start_kind(SL_SPAN_SERVER, "server");
  sl_span_link_tracestate(server, LINKED_STATE, LINKED_WITH_STATE, "link.kind", "with_state");
  sl_span_link(server, LINKED_PLAIN, "link.kind", "plain");
  sl_span_link_tracestate(server, "bad key=1", LINKED_PLAIN, "link.kind", "invalid_state");
  sl_span *child = sl_span_start("child");
  print_ids("server", server, 0);
  print_ids("child", child, 0);

  /* a trace of its own, in another context, linked to the server span of this process */
  sl_context *fresh = sl_context_new(), *prev = sl_context_swap(fresh);
  sl_span *root = sl_span_start("root");
  sl_span_link_span(root, server, "link.kind", "local");
  print_ids("root", root, 1);
  sl_span_end(root);
  sl_context_swap(prev);
  sl_context_free(fresh);

  sl_span_end(child);
  sl_span_end(server);
  fflush(stdout);
  sl_shutdown();
  return 0;
}
