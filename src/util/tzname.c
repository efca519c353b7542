/*
 * tzname.c — zone names of the zone folder (tzname.h). A zone is a file
 * starting with the TZif magic; the posix/ and right/ copies and the
 * tables beside the zones (zone.tab, leapseconds ...) are skipped. The
 * scan runs on the error path only: a correct name costs one open.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/suggest.h"
#include "util/tzname.h"

#define TZ_SCAN_MAX	4000	/* zone files looked at */

static const char *
zonedir(void)
{
	const char *dir = getenv("TZDIR");

	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

static int
is_tzif(const char *path)
{
	char magic[4];
	FILE *f = fopen(path, "rb");
	int ok;

	if (f == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

int
tzname_known(const char *name)
{
	char path[4096];
	struct stat st;

	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return 0;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", zonedir(), name) >= sizeof path)
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && is_tzif(path);
}

struct best {
	char	 name[3][512];
	int	 d[3];
	size_t	 n;
};

static void
consider(struct best *b, const char *want, const char *zone)
{
	const char *base = strrchr(zone, '/');
	int d = suggest_distance(want, zone), db;
	size_t k;

	base = base ? base + 1 : zone;
	/* "Berlin" is Europe/Berlin's last part: as near as a name can be. */
	db = suggest_distance(want, base);
	if (db < d && (db == 0 || suggest_near(want, base)))
		d = db;
	else if (!suggest_near(want, zone))
		return;
	for (k = b->n; k > 0 && b->d[k - 1] > d; k--)
		if (k < 3) {
			memcpy(b->name[k], b->name[k - 1], sizeof b->name[k]);
			b->d[k] = b->d[k - 1];
		}
	if (k < 3) {
		snprintf(b->name[k], sizeof b->name[k], "%s", zone);
		b->d[k] = d;
		if (b->n < 3)
			b->n++;
	}
}

static void
scan(const char *dir, const char *sub, int depth, const char *want, struct best *b, size_t *seen)
{
	char path[4096], rel[512];
	struct dirent *e;
	struct stat st;
	DIR *d;

	if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, sub[0] ? "/" : "", sub) >= sizeof path ||
	    (d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && *seen < TZ_SCAN_MAX) {
		if (e->d_name[0] == '.' || (depth == 0 && (strcmp(e->d_name, "posix") == 0 ||
		    strcmp(e->d_name, "right") == 0 || strcmp(e->d_name, "Etc") == 0 ||
		    strcmp(e->d_name, "SystemV") == 0)))
			continue;
		if ((size_t)snprintf(rel, sizeof rel, "%s%s%s", sub, sub[0] ? "/" : "", e->d_name) >=
		    sizeof rel ||
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path ||
		    stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < 2)
				scan(dir, rel, depth + 1, want, b, seen);
		} else if (S_ISREG(st.st_mode) && strchr(e->d_name, '.') == NULL) {
			(*seen)++;
			consider(b, want, rel);
		}
	}
	closedir(d);
}

int
tzname_suggest(const char *name, char *dst, size_t n)
{
	struct best b;
	size_t seen = 0, i, off;
	char path[4096];

	memset(&b, 0, sizeof b);
	dst[0] = '\0';
	scan(zonedir(), "", 0, name, &b, &seen);
	/* Only real zones are offered (a stray file in the folder is not one). */
	for (i = off = 0; i < b.n; i++) {
		/* Near ones only: a name two edits worse than the best is noise. */
		snprintf(path, sizeof path, "%s/%s", zonedir(), b.name[i]);
		if (b.d[i] > b.d[0] + 1 || !is_tzif(path))
			continue;
		off += (size_t)snprintf(dst + off, n > off ? n - off : 0, "%s%s", off == 0 ?
		    "did you mean " : i + 1 == b.n || b.d[i + 1] > b.d[0] + 1 ? " or " : ", ",
		    b.name[i]);
		if (off >= n)
			break;
	}
	if (off > 0 && off < n)
		snprintf(dst + off, n - off, "?");
	return off > 0;
}
