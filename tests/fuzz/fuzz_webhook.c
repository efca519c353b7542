/*
 * libFuzzer target: what the capture's webhook receiver accepts as an
 * Alertmanager payload (and makes one line). Invariant: an accepted body
 * is one line, with no raw line break left.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "jobs/capture_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	char why[160], *p;

	if (devnull == NULL) {
		devnull = fopen("/dev/null", "w");
		setenv("SLOPROOF_MAX_JSON_VALUES", "20000", 1);
	}
	diag_set_stream(devnull);
	p = malloc(size + 1);
	memcpy(p, data, size);
	p[size] = '\0';
	if (capture_am_payload(p, size, why, sizeof why) == 0 && memchr(p, '\n', size) != NULL)
		abort();
	free(p);
	diag_reset();
	return 0;
}
