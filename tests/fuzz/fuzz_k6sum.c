/* libFuzzer target: the k6 summary importer (all three JSON shapes). */
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
	struct run run;
	struct source *s;

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	diag_set_stream(devnull);
	run_init(&run);
	s = run_add_source(&run);
	s->path = arena_strdup(&run.arena, "fuzz.json");
	s->kind = arena_strdup(&run.arena, "k6");
	(void)in_k6sum_sniff((const char *)data, size);
	(void)in_k6sum_import(&run, 0, "fuzz.json", (const char *)data, size);
	run_release(&run);
	diag_reset();
	return 0;
}
