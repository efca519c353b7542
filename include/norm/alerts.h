/*
 * alerts.h — one set of alert episodes from all alert evidence of a run
 * (normalize step; docs/formats.md "Alert evidence"). Importers hand over
 * each input's episodes as that input saw them; this step joins the
 * episodes of one alert (same label set) that several inputs witnessed
 * and overlap in time, and gives each fire and resolve edge from the most
 * precise evidence that pins it, with its uncertainty: a webhook's or an
 * API's startsAt/endsAt is exact, an ALERTS range pins an edge to within
 * its step, API snapshots to between two captures. Adding coarser
 * evidence to a precise one never changes an episode. An alert seen in an
 * API snapshot and missing from a later snapshot resolved between them.
 */
#ifndef NORM_ALERTS_H
#define NORM_ALERTS_H

#include "model/run.h"

/* Reconciles run->alerts in place and sorts them by start and name. 0. */
int	norm_alerts(struct run *);

#endif
