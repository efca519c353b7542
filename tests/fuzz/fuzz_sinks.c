/*
 * libFuzzer target: escaping for every sink (termsafe.h). Invariants:
 * term_safe output has no control character, escape or bidi control; a
 * shell word from sh_quote has no raw control character and, when quoted,
 * no unescaped single quote inside; a CSV cell never starts with a
 * formula character.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/termsafe.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[4096];
	struct buf b;
	size_t i;

	memcpy(s, data, size);
	s[size] = '\0';		/* the strings from input are NUL-terminated */
	term_safe(s, (size_t)-1, out, sizeof out);
	if (term_unsafe(out))
		abort();
	buf_init(&b, (size_t)-1);
	sh_quote(&b, s);
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20 || (unsigned char)b.data[i] == 0x7f)
			abort();
	buf_reset(&b);
	csv_cell(&b, s);
	if (b.len > 0 && strchr("=+-@\t\r", b.data[0]) != NULL && b.data[0] != '\0')
		abort();
	buf_release(&b);
	free(s);
	return 0;
}
