/* libFuzzer target: the kubectl HPA importer (describe, get, -w, -o yaml|json). */
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
	/* Half the inputs with a capture time, so both age paths run. */
	o.have_captured_at = size > 0 && (data[0] & 1);
	o.captured_at = INT64_C(1795860000000);
	run_init(&run);
	s = run_add_source(&run);
	s->path = arena_strdup(&run.arena, "fuzz.txt");
	s->kind = arena_strdup(&run.arena, "hpa");
	(void)in_hpa_sniff((const char *)data, size);
	(void)in_hpa_import(&run, 0, &o, "fuzz.txt", (const char *)data, size);
	run_release(&run);
	diag_reset();
	return 0;
}
