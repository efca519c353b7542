/*
 * out_json.h — verdicts as JSON for machines (`sloproof check --json FILE`).
 * The caller owns the verdicts, the run and the buffer; nothing returned
 * points into them. The document is specified field by field in
 * docs/json.md: keys in a fixed order, canonical units (durations in ms,
 * ratios as fractions), 2-space indentation, a final newline, and the same
 * bytes for the same verdicts.
 */
#ifndef OUT_JSON_H
#define OUT_JSON_H

#include "util/buf.h"
#include "eval/eval.h"
#include "model/run.h"

/*
 * Appends {"slos":[...]} for `sloproof check --json FILE` to out: one
 * object per verdict, in the order given; every verdict's rule must be
 * set. 0, or -1 after a diagnostic (out's limit passed, out of memory),
 * with nothing appended.
 */
int	out_json_check(const struct verdicts *, const struct run *, struct buf *out);

struct report;
/*
 * A bundle's summary.json: drill metadata, the overall verdict, the SLOs
 * (as above), faults, inputs with checksums, attachments, k6's own
 * thresholds, checks, interventions, follow-ups and every metric's
 * figures. 0, or -1 after a diagnostic.
 */
int	out_json_summary(const struct report *, struct buf *out);
/* `sloproof inspect --json`: the imported model. 0, or -1. */
int	out_json_inspect(const struct run *, struct buf *out);

/* A comparison (compare.h): docs/json.md, "compare". */
struct cmp_report;
int	out_json_compare(const struct cmp_report *, struct buf *out);

#endif
