/*
 * jsonlim.c — cJSON within bounds (see jsonlim.h). Owns nothing.
 * Depends on diag, splimits, xalloc and cJSON.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/diag.h"
#include "util/jsonlim.h"
#include "util/splimits.h"
#include "util/xalloc.h"

static void *
json_malloc(size_t n)
{
	return xmalloc(n);
}

void
json_init(void)
{
	static int done;
	cJSON_Hooks h;

	if (done)
		return;
	h.malloc_fn = json_malloc;
	h.free_fn = free;
	cJSON_InitHooks(&h);
	done = 1;
}

int
json_values_ok(const char *path, const char *s, size_t n)
{
	size_t i, count = 1, max = lim_env("SLOPROOF_MAX_JSON_VALUES", LIM_JSON_VALUES);
	int instr = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
		} else if (c == '"') {
			instr = 1;
		} else if (c == ',' || c == '[' || c == '{') {
			if (++count > max) {
				diag_error(path, 0, 0, "more than %zu JSON values; a parsed document "
				    "this large would take gigabytes of memory (limit "
				    "SLOPROOF_MAX_JSON_VALUES=%zu; set it higher for a genuine file)",
				    max, max);
				return -1;
			}
		}
	}
	return 0;
}

cJSON *
json_parse(const char *path, const char *s, size_t n, const char **end, int *reported)
{
	const char *e = NULL;
	cJSON *root;

	json_init();
	*reported = 0;
	if (json_values_ok(path, s, n) == -1) {
		*reported = 1;
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(s, n, &e, 0);
	if (end)
		*end = e;
	return root;
}


cJSON *
json_parse_all(const char *path, const char *s, size_t n, const char **end, int *reported)
{
	const char *e = NULL;
	cJSON *root = json_parse(path, s, n, &e, reported);

	if (root != NULL && e != NULL) {
		while (e < s + n && (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r'))
			e++;
		if (e < s + n) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	if (end)
		*end = e;
	return root;
}
