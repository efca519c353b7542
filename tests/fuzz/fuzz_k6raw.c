/* libFuzzer target: the k6 raw NDJSON scanner and the derivation after it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/diag.h"
#include "in/import.h"
#include "model/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct import_opts o = {0};
	struct run run;
	struct source *s;

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	diag_set_stream(devnull);
	run_init(&run);
	s = run_add_source(&run);
	s->path = arena_strdup(&run.arena, "fuzz.ndjson");
	s->kind = arena_strdup(&run.arena, "k6");
	o.window_ms = 1000;
	(void)in_k6raw_sniff((const char *)data, size);
	/* Twice: the second merges into the first's histograms, as a second file would. */
	(void)in_k6raw_import_mem(&run, 0, &o, "fuzz.ndjson", (const char *)data, size);
	(void)in_k6raw_import_mem(&run, 0, &o, "fuzz.ndjson", (const char *)data, size);
	run_release(&run);
	diag_reset();
	return 0;
}
