/*
 * out_annot.h — a bundle's events as Grafana annotations (annotations.json,
 * docs/formats.md): a JSON array whose every element is the body of one
 * `POST /api/annotations` ({time, timeEnd, tags, text}, times in epoch ms).
 * Faults, alert episodes, scaling events and SLO breaches, in time order.
 * Reads the report; owns nothing.
 */
#ifndef OUT_ANNOT_H
#define OUT_ANNOT_H

#include "util/buf.h"

struct report;

/* Appends the array to out. 0, or -1 after a diagnostic (out of memory, out's limit). */
int	out_annotations(const struct report *, struct buf *out);

#endif
