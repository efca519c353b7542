/* Every key a bundle template may use is documented in docs/templates.md. */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/fsio.h"
#include "out/report.h"
#include "t.h"

static void
documented(const char *doc, const char *key, const char *what)
{
	const char *dot = strrchr(key, '.');
	char name[128], msg[256];

	/* "slos.name" is documented as `name` in the slos row; top-level keys as `key`. */
	snprintf(name, sizeof name, "`%s`", dot ? dot + 1 : key);
	snprintf(msg, sizeof msg, "%s key %s is documented in docs/templates.md", what, key);
	T_OK(strstr(doc, name) != NULL, msg);
}

int
main(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1 << 20);
	if (fsio_read("docs/templates.md", b.max, &b, NULL, NULL) == -1) {
		T_OK(0, "docs/templates.md is readable (run from the repository root)");
		return t_done();
	}
	for (i = 0; report_keys[i]; i++)
		documented(buf_str(&b), report_keys[i], "report");
	for (i = 0; index_keys[i]; i++)
		documented(buf_str(&b), index_keys[i], "index");
	buf_release(&b);
	(void)t_corpus;
	return t_done();
}
