/*
 * drillrun.h — the drill file a bundle keeps, so that `sloproof check
 * drill.yaml` inside it re-derives its verdicts (a drill's evidence is
 * read the one way, pipeline_load_drill in jobs/pipeline.h).
 */
#ifndef JOBS_DRILLRUN_H
#define JOBS_DRILLRUN_H

#include <stddef.h>

#include "util/buf.h"
#include "in/drill.h"
#include "model/run.h"

/*
 * The bundle's own drill file: the drill d as read (faults with capture
 * marks, every evidence entry with its options) with paths inside the
 * bundle: the run's sources (already renamed to evidence/NAME) and the
 * bundle's SLO file names. 0, or -1 when it does not fit.
 */
int	drill_write_bundled(struct buf *, const struct drill *, const struct run *,
	    const char *date, const char *const *slo_names, size_t nslo);

#endif
