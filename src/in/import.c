/*
 * import.c — reads an input once, records it as a source (size, SHA-256
 * of the bytes on disk, gzip or not) and hands its bytes to the importer
 * of its kind, named or sniffed from content; k6 raw NDJSON, recognised by
 * its first line, is handed the path instead and streams the file itself. Owns nothing past the call.
 * Depends on fsio, diag and the in_*.c importers; never on renderers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "in/import.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"

const char *const import_kinds[] = {"k6", "grafana", "alerts", "hpa", "prometheus", NULL};

static int
known_kind(const char *k, size_t n)
{
	size_t i;

	for (i = 0; import_kinds[i]; i++)
		if (strlen(import_kinds[i]) == n && strncmp(import_kinds[i], k, n) == 0)
			return 1;
	return 0;
}

static const char *
kinds_list(void)
{
	static char list[128];
	size_t i, off = 0;

	for (i = 0; import_kinds[i] && off < sizeof list; i++)
		off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
		    i ? ", " : "", import_kinds[i]);
	return list;
}

/* The input size limit; SLOPROOF_TEST_MAX_INPUT lowers it so tests need no huge files. */
static size_t
max_input(void)
{
	const char *e = getenv("SLOPROOF_TEST_MAX_INPUT");
	long long v;

	if (e && strnum_ll(e, strlen(e), &v) == 0 && v > 0 && (size_t)v < LIM_INPUT_BYTES)
		return (size_t)v;
	return LIM_INPUT_BYTES;
}

int
import_wants(const struct import_opts *o, const char *name)
{
	size_t i;

	if (o == NULL || o->want == NULL || o->series != NULL)
		return 1;
	for (i = 0; i < o->nwant; i++)
		if (strcmp(o->want[i], name) == 0)
			return 1;
	return 0;
}

/* A text file's head: the first 4096 bytes hold no NUL or control byte but space. */
static int
binary_at(const char *d, size_t len, size_t *at)
{
	size_t i, probe = len < 4096 ? len : 4096;

	/* UTF-16 with a BOM is text (Grafana's "Download for Excel"); its importer converts it. */
	if (len >= 2 && (((unsigned char)d[0] == 0xFF && (unsigned char)d[1] == 0xFE) ||
	    ((unsigned char)d[0] == 0xFE && (unsigned char)d[1] == 0xFF)))
		probe = 0;
	for (i = 0; i < probe; i++)
		if (d[i] == '\0' || ((unsigned char)d[i] < 0x20 && !isspace((unsigned char)d[i]))) {
			*at = i;
			return 1;
		}
	return 0;
}

int
import_file(struct run *run, const char *kind, const char *path, const char *display)
{
	struct import_opts o;

	memset(&o, 0, sizeof o);
	o.kind = kind;
	return import_file_opts(run, &o, path, display);
}

int
import_file_opts(struct run *run, const struct import_opts *o, const char *path,
    const char *display)
{
	const char *kind = o->kind;
	struct buf b;
	struct source *s;
	struct stat st;
	size_t i;
	int src, gz, rc = -1;
	char sha[65];

	if (kind && !known_kind(kind, strlen(kind))) {
		diag_error(display, 0, 0, "unknown input kind %s; expected one of: %s",
		    diag_q(kind, (size_t)-1), kinds_list());
		return -1;
	}
	if (run->nsources >= LIM_SOURCES) {
		diag_error(display, 0, 0, "more than %d inputs", LIM_SOURCES);
		return -1;
	}
	/* k6 raw output may be gigabytes: sniff its head, and let it stream. */
	buf_init(&b, LIM_SNIFF_BYTES);
	if (fsio_read_head(path, LIM_SNIFF_BYTES, &b, &gz) == -1)
		goto out;
	if (in_k6raw_sniff(b.data, b.len) && (kind == NULL || strcmp(kind, "k6") == 0)) {
		src = (int)run->nsources;
		s = run_add_source(run);
		s->path = arena_strdup(&run->arena, display);
		s->kind = arena_strdup(&run->arena, "k6");
		s->gzipped = gz;
		rc = in_k6raw_import_path(run, src, o, path, display);
		goto out;
	}
	/*
	 * A plain Grafana CSV may be large too: it is mapped and read in chunks,
	 * keeping only the series the rules read. UTF-16 and gzip are read whole.
	 */
	if (!gz && b.len > 0 && !binary_at(b.data, b.len, &i) && !o->hash &&
	    (kind ? strcmp(kind, "grafana") == 0 : !in_k6sum_sniff(b.data, b.len) &&
	    !in_alerts_sniff(b.data, b.len) && in_grafana_sniff(b.data, b.len))) {
		src = (int)run->nsources;
		s = run_add_source(run);
		s->path = arena_strdup(&run->arena, display);
		s->kind = arena_strdup(&run->arena, "grafana");
		rc = in_grafana_import_path(run, src, o, path, display);
		goto out;
	}
	buf_release(&b);
	buf_init(&b, max_input());
	sha[0] = '\0';
	if (fsio_read(path, b.max, &b, &gz, o->hash ? sha : NULL) == -1)
		goto out;
	if (b.len == 0) {
		diag_error(display, 0, 0, "empty file; expected %s evidence",
		    kind ? kind : "k6 summary JSON or other");
		goto out;
	}
	if (binary_at(b.data, b.len, &i)) {
		diag_error(display, 0, 0, "binary data at byte %zu; expected a text "
		    "file (k6 summary JSON, ...)", i + 1);
		goto out;
	}
	if (kind == NULL) {
		if (in_k6sum_sniff(b.data, b.len))
			kind = "k6";
		else if (in_alerts_sniff(b.data, b.len))
			kind = "alerts";
		else if (in_grafana_sniff(b.data, b.len))
			kind = "grafana";
		else if (in_hpa_sniff(b.data, b.len))
			kind = "hpa";
		else if (in_prom_sniff(b.data, b.len))
			kind = "prometheus";
		else {
			diag_error(display, 0, 0, "cannot tell what kind of evidence this is; "
			    "name it as KIND:PATH, with KIND one of: %s", kinds_list());
			goto out;
		}
	}
	src = (int)run->nsources;
	s = run_add_source(run);
	s->path = arena_strdup(&run->arena, display);
	s->kind = arena_strdup(&run->arena, kind);
	s->gzipped = gz;
	memcpy(s->sha256, sha, sizeof sha);
	s->size = stat(path, &st) == 0 ? (size_t)st.st_size : b.len;
	if (strcmp(kind, "k6") == 0)
		rc = in_k6sum_import(run, src, display, b.data, b.len);
	else if (strcmp(kind, "alerts") == 0)
		rc = in_alerts_import(run, src, o, display, b.data, b.len);
	else if (strcmp(kind, "grafana") == 0)
		rc = in_grafana_import(run, src, o, display, b.data, b.len);
	else if (strcmp(kind, "hpa") == 0)
		rc = in_hpa_import(run, src, o, display, b.data, b.len);
	else if (strcmp(kind, "prometheus") == 0)
		rc = in_prom_import(run, src, display, o, b.data, b.len);
out:
	buf_release(&b);
	return rc;
}

int
import_spec(struct run *run, const char *spec)
{
	struct import_opts o;

	memset(&o, 0, sizeof o);
	return import_spec_opts(run, &o, spec);
}

int
import_spec_opts(struct run *run, const struct import_opts *base, const char *spec)
{
	const char *colon = strchr(spec, ':');
	struct import_opts o = *base;
	char kind[32];
	size_t n;

	o.kind = NULL;
	if (colon != NULL) {
		n = (size_t)(colon - spec);
		/* "k6:run.json"; a path that merely has a colon in it stays a path. */
		if (n > 0 && n < sizeof kind && known_kind(spec, n)) {
			memcpy(kind, spec, n);
			kind[n] = '\0';
			o.kind = kind;
			return import_file_opts(run, &o, colon + 1, colon + 1);
		}
		if (n > 0 && n < sizeof kind && strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789") == n &&
		    !fsio_exists(spec)) {
			diag_error(spec, 0, 0, "unknown input kind %s; expected one of: %s",
			    diag_q(spec, n), kinds_list());
			return -1;
		}
	}
	return import_file_opts(run, &o, spec, spec);
}
