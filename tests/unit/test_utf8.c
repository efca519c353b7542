/*
 * test_utf8.c — strict UTF-8 decoding and repair, which decide whether a
 * rule name from any input can make a report ill-formed.
 */
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "t.h"
#include "util/utf8.h"

#define R	"\xEF\xBF\xBD"

static int
no_c0(uint32_t c)
{
	return c >= 0x20 || c == '\n';
}

static void
scrub(const char *in, size_t n, int (*keep)(uint32_t), const char *want, const char *what)
{
	struct buf b;

	buf_init(&b, 1024);
	if (utf8_scrub(&b, in, n, keep) == -1)
		buf_addstr(&b, "(failed)");
	T_EQ_STR(buf_str(&b), want, what);
	buf_release(&b);
}

int
main(void)
{
	uint32_t cp = 0;
	struct buf b;

	(void)t_corpus;	/* t.h's helper; these tests need no corpus */
	T_EQ_INT(utf8_decode("\xC3\xA9", 2, &cp), 2, "decode: é takes 2 bytes");
	T_EQ_INT(cp, 0xE9, "decode: é is U+00E9");
	T_EQ_INT(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4, "decode: an emoji takes 4 bytes");
	T_EQ_INT(cp, 0x1F600, "decode: the emoji is U+1F600");
	T_EQ_INT(utf8_decode("\xE2\x82", 2, &cp), 2, "decode: a cut sequence is one bad unit");
	T_EQ_INT(cp, UTF8_REPLACEMENT, "decode: a cut sequence gives U+FFFD");

	scrub("plain ascii", 11, NULL, "plain ascii", "scrub: ASCII passes as it is");
	scrub("caf\xC3\xA9 " R, 9, NULL, "caf\xC3\xA9 " R, "scrub: valid UTF-8 and U+FFFD itself pass");
	scrub("\xC0\xAF", 2, NULL, R R, "scrub: an overlong '/' is two bad bytes");
	scrub("\xED\xA0\x80", 3, NULL, R R R, "scrub: a UTF-8 surrogate is refused");
	scrub("\xF4\x90\x80\x80", 4, NULL, R R R R, "scrub: past U+10FFFF is refused");
	scrub("a\xE2\x82", 3, NULL, "a" R, "scrub: a sequence cut at the end is one U+FFFD");
	scrub("\xE2\x82z", 3, NULL, R "z", "scrub: a cut sequence does not eat the next character");
	scrub("a\x01" "b\nc", 5, no_c0, "a" R "b\nc", "scrub: keep() refuses characters");

	buf_init(&b, 4);
	buf_addstr(&b, "ab");
	T_EQ_INT(utf8_scrub(&b, "\xFF\xFF", 2, NULL), -1, "scrub: past the limit fails");
	T_EQ_STR(buf_str(&b), "ab", "scrub: and appends nothing");
	buf_release(&b);
	return t_done();
}
