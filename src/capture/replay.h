/* Tool I/O recording and replay, the capture side (include/spanlog/replay.h): the
 * settings the recorder reads when a trace's recording closes. */
#ifndef SL_CAPTURE_REPLAY_H
#define SL_CAPTURE_REPLAY_H

#include <stddef.h>

/* The recording directory (sl_replay_set_dir, else SPANLOG_REPLAY_DIR, else
   "runs/replay"), cut to dir_size, and the share of traces without error that are
   recorded (sl_replay_set_sample, else SPANLOG_REPLAY_SAMPLE, else 1). Any thread. */
void sl_replay_settings(char *dir, size_t dir_size, double *sample);

#endif
