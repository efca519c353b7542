/* libFuzzer target: RFC 3339 times, durations and units, selectors, stat names. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/arena.h"
#include "model/run.h"
#include "util/timeutil.h"
#include "model/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], out[64];
	struct quantity q;
	struct selector sel;
	struct arena a;
	int64_t ms;
	size_t col;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (time_parse_rfc3339(s, size, &ms, &col) == 0)
		time_fmt_utc(ms, out, sizeof out);
	(void)time_parse_date(s, size, &ms);
	if (unit_parse(s, &q) == 0)
		unit_fmt(out, sizeof out, q.v, q.unit);
	(void)stat_canonical(s, out, sizeof out);
	arena_init(&a);
	if (selector_parse(&a, s, &sel, &col) == 0)
		selector_fmt(&sel, out, sizeof out);
	arena_release(&a);
	return 0;
}
