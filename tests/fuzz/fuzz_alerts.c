/*
 * libFuzzer target: the Alertmanager importer (JSON shapes, NDJSON, amtool
 * tables, whole-request HTTP logs, Prometheus /api/v1/alerts) and the
 * normalize pass that reconciles episodes across inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/diag.h"
#include "in/import.h"
#include "model/run.h"
#include "norm/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct run run;
	struct source *s;

	if (devnull == NULL) {
		devnull = fopen("/dev/null", "w");
		/* A low bound, so fuzzing reaches the refusal path (splimits.h). */
		setenv("SLOPROOF_MAX_JSON_VALUES", "20000", 1);
	}
	diag_set_stream(devnull);
	run_init(&run);
	s = run_add_source(&run);
	s->path = arena_strdup(&run.arena, "fuzz.json");
	s->kind = arena_strdup(&run.arena, "alerts");
	(void)in_alerts_sniff((const char *)data, size);
	/* Twice into one run: normalize then merges the two inputs' episodes. */
	if (in_alerts_import(&run, 0, NULL, "fuzz.json", (const char *)data, size) == 0) {
		s = run_add_source(&run);
		s->path = arena_strdup(&run.arena, "fuzz2.json");
		if (in_alerts_import(&run, 1, NULL, "fuzz2.json", (const char *)data, size) == 0)
			(void)normalize_run(&run);
	}
	run_release(&run);
	diag_reset();
	return 0;
}
