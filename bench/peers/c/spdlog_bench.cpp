// spdlog (Debian libspdlog-dev), JSON line = pattern (timestamp/level/logger flags)
// around a JSON body built with fmt in the call. Modes: -m async (thread pool, 1 worker,
// default queue 8192, overflow=block) or -m sync (basic_file_sink_mt).
// spdlog has no bound context: user_id/agent/trace_id/span_id are passed per call.
#include "common.h"
#include <memory>
#include <string>
#include <spdlog/spdlog.h>
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>

static args_t g_args;
static thr_result_t g_res[MAX_THREADS];
static std::shared_ptr<spdlog::logger> g_log;

static void *producer(void *arg) {
  int k = (int)(intptr_t)arg;
  thr_result_t *r = &g_res[k];
  ctx_init(&r->ctx, k, g_args.threads);  // bind context + open span, once
  const ctx_t &c = r->ctx;
  long n = g_args.n / g_args.threads;
  r->count = n;
  spdlog::logger *lg = g_log.get();
  pthread_barrier_wait(&g_start_barrier);
  r->t0 = now_ns();
  for (long i = 0; i < n; i++) {
    lg->info("\"event\":\"searching\",\"query\":\"{}\",\"top_k\":{},\"score\":{},"
             "\"user_id\":\"{}\",\"agent\":\"{}\",\"trace_id\":\"{}\",\"span_id\":\"{}\"",
             REC_QUERY, REC_TOPK, REC_SCORE, c.user_id, c.agent, c.trace_id, c.span_id);
  }
  r->t1 = now_ns();
  return nullptr;
}

int main(int argc, char **argv) {
  parse_args(argc, argv, &g_args);
  std::string mode = "async";
  for (int i = 1; i + 1 < argc; i += 2)
    if (!strcmp(argv[i], "-m")) mode = argv[i + 1];
  const char *peer;
  if (mode == "async") {
    spdlog::init_thread_pool(8192, 1);  // spdlog's defaults: queue 8192 msgs, 1 worker thread
    g_log = spdlog::create_async<spdlog::sinks::basic_file_sink_mt>("agent", g_args.out, true);
    peer = "spdlog-async";
  } else {
    g_log = spdlog::basic_logger_mt("agent", g_args.out, true);
    peer = "spdlog-sync";
  }
  g_log->set_pattern("{\"timestamp\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"level\":\"%l\",\"logger\":\"%n\",%v}",
                     spdlog::pattern_time_type::utc);
  g_log->set_level(spdlog::level::info);
  pthread_barrier_init(&g_start_barrier, nullptr, (unsigned)g_args.threads);
  pthread_t th[MAX_THREADS];
  for (int k = 0; k < g_args.threads; k++) pthread_create(&th[k], nullptr, producer, (void *)(intptr_t)k);
  for (int k = 0; k < g_args.threads; k++) pthread_join(th[k], nullptr);
  g_log.reset();
  spdlog::shutdown();  // drains the async queue, joins the worker, closes the file
  uint64_t t_end = now_ns();
  report(peer, &g_args, g_res, t_end);
  return 0;
}
