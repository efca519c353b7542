/*
 * normalize.c — the cross-source pass (normalize.h). Each step is a function
 * of its own file under src/norm/, called here in a fixed order: anchoring
 * first (every later step works in UTC), then units, then the de-duplication
 * of facts that several sources witnessed.
 */
#include "norm/alerts.h"
#include "norm/domain.h"
#include "norm/hpa.h"
#include "norm/normalize.h"

int
normalize_run(struct run *run)
{
	if (norm_domain(run) == -1 || norm_alerts(run) == -1 || norm_hpa(run) == -1)
		return -1;
	return 0;
}
