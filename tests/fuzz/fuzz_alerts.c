/* libFuzzer target: the Alertmanager importer (JSON shapes, NDJSON, amtool tables). */
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
	s->kind = arena_strdup(&run.arena, "alerts");
	(void)in_alerts_sniff((const char *)data, size);
	/* Twice into one run: the second import exercises the merge across inputs. */
	if (in_alerts_import(&run, 0, NULL, "fuzz.json", (const char *)data, size) == 0) {
		s = run_add_source(&run);
		s->path = arena_strdup(&run.arena, "fuzz2.json");
		(void)in_alerts_import(&run, 1, NULL, "fuzz2.json", (const char *)data, size);
	}
	run_release(&run);
	diag_reset();
	return 0;
}
