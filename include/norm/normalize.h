/*
 * normalize.h — the pass between import and evaluation that owns everything
 * spanning sources: the unit rule, alert episodes reconciled across webhook
 * logs, ranges and snapshots, HPA events seen by several kubectl outputs,
 * k6 derived metrics and time-zone anchoring. Importers translate one format
 * each and nothing else; after this pass no source format is visible in the
 * model. It may include model/ and util/ only.
 */
#ifndef NORM_NORMALIZE_H
#define NORM_NORMALIZE_H

#include "model/run.h"

/*
 * Normalize a fully imported run in place. Called once by every pipeline
 * (check, bundle, chart, compare) after the last input is imported and
 * before any rule is evaluated. 0, or -1 after a diagnostic (bad input).
 */
int	normalize_run(struct run *);

#endif
