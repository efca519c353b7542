/*
 * hpa.h — one row per autoscaler event (normalize step). kubectl shows the
 * same scaling in several outputs: `get hpa -w` as a change of REPLICAS,
 * `describe hpa` as a SuccessfulRescale event, `-o yaml` as its
 * lastScaleTime. Events of one HPA to the same replica count whose times
 * agree within their error bounds are one event: it keeps the most
 * precise time (the overlap of the bounds), the old size from whichever
 * output knew it, the reason from describe, and cites the evidence that
 * pinned its time.
 */
#ifndef NORM_HPA_H
#define NORM_HPA_H

#include "model/run.h"

/* De-duplicates run->scale_events in place, keeping their order. 0. */
int	norm_hpa(struct run *);

#endif
