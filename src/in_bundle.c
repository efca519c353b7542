/*
 * in_bundle.c — reads the summary.json of existing bundles. Tolerant of
 * bundles written by newer versions (unknown keys are ignored) but says
 * which file it could not read. Depends on cJSON, fsio, diag.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "diag.h"
#include "fsio.h"
#include "in_bundle.h"
#include "splimits.h"
#include "xalloc.h"

static char *
get(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	return xstrdup(cJSON_IsString(j) ? j->valuestring : "");
}

static long long
num(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(j) ? (long long)j->valuedouble : 0;
}

static int
read_one(const char *datedir, const char *slug, struct bundle_meta *m)
{
	char path[4096], tally[128];
	struct buf b;
	cJSON *root;
	const cJSON *drill, *t;

	snprintf(path, sizeof path, "%s/%s/summary.json", datedir, slug);
	if (!fsio_exists(path))
		return -1;
	buf_init(&b, LIM_INPUT_BYTES);
	if (fsio_read(path, LIM_INPUT_BYTES, &b, NULL, NULL) == -1) {
		buf_release(&b);
		return -1;
	}
	root = cJSON_ParseWithLength(buf_str(&b), b.len);
	buf_release(&b);
	drill = cJSON_GetObjectItemCaseSensitive(root, "drill");
	if (!cJSON_IsObject(drill)) {
		cJSON_Delete(root);
		diag_warning(path, 0, 0, "not a sloproof summary; left out of index.md");
		return -1;
	}
	m->slug = xstrdup(slug);
	m->title = get(drill, "title");
	m->environment = get(drill, "environment");
	m->verdict = get(root, "verdict");
	t = cJSON_GetObjectItemCaseSensitive(root, "tally");
	snprintf(tally, sizeof tally, "%lld pass, %lld warn, %lld fail, %lld nodata",
	    num(t, "pass"), num(t, "warn"), num(t, "fail"), num(t, "nodata"));
	m->tally = xstrdup(tally);
	cJSON_Delete(root);
	return 0;
}

static int
by_slug(const void *a, const void *b)
{
	return strcmp(((const struct bundle_meta *)a)->slug, ((const struct bundle_meta *)b)->slug);
}

int
in_bundle_scan_day(const char *datedir, struct bundle_meta **out, size_t *n)
{
	struct bundle_meta *v = NULL;
	size_t cap = 0, len = 0;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*n = 0;
	if ((d = opendir(datedir)) == NULL) {
		diag_syserr(datedir, "cannot read directory: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct bundle_meta m;

		if (de->d_name[0] == '.')
			continue;
		memset(&m, 0, sizeof m);
		if (read_one(datedir, de->d_name, &m) == 0)
			*VEC_PUSH(v, len, cap) = m;
	}
	closedir(d);
	if (len)
		qsort(v, len, sizeof *v, by_slug);
	*out = v;
	*n = len;
	return 0;
}

void
in_bundle_free(struct bundle_meta *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].slug);
		free(v[i].title);
		free(v[i].verdict);
		free(v[i].tally);
		free(v[i].environment);
	}
	free(v);
}
