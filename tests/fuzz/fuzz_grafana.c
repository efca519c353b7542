/* libFuzzer target: the Grafana CSV importer (every layout, UTF-16, zones). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "in/import.h"
#include "model/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct import_opts o;
	struct run run;
	struct source *s;

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	diag_set_stream(devnull);
	memset(&o, 0, sizeof o);
	/* The first byte picks a zone, so DST paths are fuzzed too. */
	if (size > 0 && data[0] == '!')
		o.timezone = "Europe/Berlin";
	run_init(&run);
	s = run_add_source(&run);
	s->path = arena_strdup(&run.arena, "fuzz.csv");
	s->kind = arena_strdup(&run.arena, "grafana");
	(void)in_grafana_sniff((const char *)data, size);
	(void)in_grafana_import(&run, 0, &o, "fuzz.csv", (const char *)data, size);
	run_release(&run);
	diag_reset();
	return 0;
}
