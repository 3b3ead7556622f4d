/* The backend's hand-over of processed records: to the sinks (rendered), to the
 * exporters (as views), and the reports of what was lost. Drain lock held. */
#ifndef SL_BACKEND_DISPATCH_H
#define SL_BACKEND_DISPATCH_H

#include "exporters/exporter.h"
#include "record/record.h"

/* Renders item (an sl_record_view, or an sl_span_view if is_span) for every sink that
   takes its level, once per format, and hands each sink its line. */
void sl_backend_dispatch(int level, int is_span, const void *item);
/* Hands a view to every exporter. */
void sl_backend_export_log(const sl_record_view *v);
void sl_backend_export_span(const sl_span_view *v);
int sl_backend_has_exporters(void);
/* What was dropped or lost since the last report (queues, exporters): records of their own. */
void sl_backend_report_losses(void);
/* In a forked child: the parent reports its own losses. */
void sl_backend_dispatch_fork_child(void);

#endif
