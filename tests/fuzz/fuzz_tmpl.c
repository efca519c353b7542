/*
 * libFuzzer target for the template language: input is one format byte,
 * the template, then (after a NUL, which no template may hold) a value.
 * Each run compiles, checks the keys and renders against a small fixed
 * tree that holds that value, so both the compiler and every escaper see
 * fuzzed bytes. Diagnostics go to /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "out/tmpl.h"
#include "util/xalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const keys[] = {
	"v", "title", "ok", "no", "none", "tags", "drill.title", "drill.date",
	"checks.name", "checks.ok", "checks.links.url", NULL
};

static struct tval *
tree(struct tctx *c, const char *v)
{
	struct tval *root = tv_map(c), *l, *m, *d;

	tv_set_str(c, root, "v", v);
	tv_set_str(c, root, "title", "a|b `c` <script>x</script> _y_ 1. # \xff\x01");
	tv_set_bool(c, root, "ok", 1);
	tv_set_bool(c, root, "no", 0);
	tv_set_str(c, root, "none", NULL);
	l = tv_set_list(c, root, "tags");
	tv_push_str(c, l, v);
	tv_push_str(c, l, "- x\n\n  1. y");
	d = tv_set_map(c, root, "drill");
	tv_set_str(c, d, "title", v);
	tv_set_strf(c, d, "date", "%d-%02d", 2026, 11);
	l = tv_set_list(c, root, "checks");
	m = tv_push_map(c, l);
	tv_set_str(c, m, "name", v);
	tv_set_bool(c, m, "ok", 1);
	tv_push_str(c, tv_set_list(c, m, "links"), "x");
	m = tv_push_map(c, l);
	tv_set_str(c, m, "name", "p95");
	return root;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	const char *text = (const char *)data + 1, *nul;
	size_t tlen;
	struct tctx c;
	struct tmpl *t;
	struct buf out;
	char *v;

	if (size < 1)
		return 0;
	if (null == NULL && (null = fopen("/dev/null", "w")) != NULL)
		diag_set_stream(null);
	tlen = size - 1;
	nul = memchr(text, '\0', tlen);
	v = nul ? xstrndup(nul + 1, tlen - (size_t)(nul + 1 - text)) : xstrdup("");
	if (nul)
		tlen = (size_t)(nul - text);
	tctx_init(&c);
	buf_init(&out, 1 << 20);
	if (tmpl_compile(&t, "fuzz", text, tlen, (enum tmpl_format)(data[0] % 3)) == 0) {
		tmpl_check(t, keys);
		tmpl_render(t, tree(&c, v), &out);
		tmpl_free(t);
	}
	buf_release(&out);
	tctx_release(&c);
	free(v);
	diag_reset();
	return 0;
}
