/* libFuzzer target: the SLO rules parser (slo.yaml). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/diag.h"
#include "in/slo.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct slo_set set;

	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	diag_set_stream(devnull);
	if (slo_parse(&set, "fuzz.yaml", (const char *)data, size) == 0)
		slo_release(&set);
	diag_reset();
	return 0;
}
