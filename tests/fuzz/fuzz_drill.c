/* libFuzzer target: the drill file parser (drill.yaml). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/diag.h"
#include "in/drill.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct drill d;
	char slug[80];

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	diag_set_stream(devnull);
	if (drill_parse(&d, "fuzz/drill.yaml", (const char *)data, size) == 0) {
		drill_slug(d.title, slug, sizeof slug);
		drill_release(&d);
	}
	diag_reset();
	return 0;
}
