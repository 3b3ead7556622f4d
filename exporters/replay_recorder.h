/* The replay recorder: the exporter that writes tool I/O recordings (include/spanlog/
 * replay.h). It takes the REPLAY records (sl_record_view.internal) of each trace, keeps
 * them in memory until the trace's request span ends, then has the recording written by a
 * thread of its own, or discards it, by the trace's outcome and the sample share. */
#ifndef SL_REPLAY_RECORDER_H
#define SL_REPLAY_RECORDER_H

#include <stddef.h>

#include "exporters/exporter.h"

/* Where recordings go and the share of traces without error to record; asked when a
   trace's recording closes (the lifecycle hands down the capture side's settings). */
typedef void (*sl_replay_settings_fn)(char *dir, size_t dir_size, double *sample);

/* The process's recorder (made on the first call; settings from the first call). */
sl_exporter *sl_replay_recorder(sl_replay_settings_fn settings);

/* Memory bounds: a trace's buffered recording, all buffered recordings, recordings
   waiting for the writer, open traces. Past the first two a trace is not recorded (said
   once on stderr); past the last, the trace idle longest is dropped. */
#define SL_REPLAY_TRACE_MAX ((size_t)4 << 20)
#define SL_REPLAY_TOTAL_MAX ((size_t)64 << 20)
#define SL_REPLAY_PENDING_MAX ((size_t)64 << 20)
#define SL_REPLAY_OPEN_MAX 4096

#endif
