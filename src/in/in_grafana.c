/*
 * in_grafana.c — Grafana panel CSV downloads into a run: the legacy
 * "Export CSV" of Grafana 2–6 (series as rows, series as columns, table
 * panels, the Excel dialect) and Inspect → Data → Download CSV of 7+
 * (shared corpus FORMATS.md §5; docs/formats.md lists every quirk).
 *
 * Three steps. The bytes are made UTF-8 text (UTF-16 with a BOM is
 * converted, a UTF-8 BOM and an Excel "sep=X" line are dropped). libcsv
 * then reads the text, fed one physical line at a time (LF, CRLF, CR CR LF
 * or a lone CR end a line) so that every row knows the line it starts on;
 * an empty line between rows ends a frame. Last, each frame is read as one
 * of three layouts: series as rows (Series;Time;Value), series as columns
 * (a Time column first) or a table (the time column found by its values;
 * text columns become labels of the numeric ones).
 *
 * Split in three (include/in/grafana_imp.h): this file reads rows (a
 * fast split for lines without quotes, libcsv for the rest) and holds
 * the entry points; in_grafana_text.c reads single cells;
 * in_grafana_frames.c decides layouts and reads frames into series.
 *
 * Owns nothing past a call: the text, the cells and the libcsv state are
 * freed before returning; every string kept is copied into run->arena.
 * Depends on run, diag, strnum, timeutil, tz, units, xalloc and libcsv;
 * must not depend on other importers, evaluation or renderers.
 */
#define _GNU_SOURCE	/* madvise */
#include <sys/mman.h>
#include <sys/stat.h>

#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "util/buf.h"
#include "util/diag.h"
#include "in/grafana_imp.h"
#include "in/import.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/tz.h"
#include "util/tzname.h"
#include "util/xalloc.h"

/* ---- positions ----------------------------------------------------------- */

/* The 1-based column (in characters) where field k of row r starts; 0 if not on its line. */
long
gf_field_col(const struct imp *g, const struct row *r, size_t k)
{
	const char *p = g->text + r->raw;
	size_t i = 0, f = 0, j;
	int q = 0;
	long col = 1;

	while (f < k && i < r->rawlen) {
		if (q) {
			if (p[i] == '"') {
				if (i + 1 < r->rawlen && p[i + 1] == '"')
					i++;
				else
					q = 0;
			}
		} else if (p[i] == '"') {
			q = 1;
		} else if ((unsigned char)p[i] == g->delim) {
			f++;
		}
		i++;
	}
	if (f < k)
		return k == 0 ? 1 : 0;
	for (j = 0; j < i; j++)
		if (((unsigned char)p[j] & 0xC0) != 0x80)
			col++;
	return col;
}

void
gf_field_cols(const struct imp *g, const struct row *r, long *out, size_t n)
{
	const char *p = g->text + r->raw;
	size_t i, f = 0;
	int q = 0;
	long col = 1;

	if (n == 0)
		return;
	out[0] = 1;
	for (i = 0; i < r->rawlen && f + 1 < n; i++) {
		if (q) {
			if (p[i] == '"') {
				if (i + 1 < r->rawlen && p[i + 1] == '"') {
					i++;
					col++;
				} else {
					q = 0;
				}
			}
		} else if (p[i] == '"') {
			q = 1;
		} else if ((unsigned char)p[i] == g->delim) {
			out[++f] = col + 1;
		}
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			col++;
	}
	while (++f < n)
		out[f] = 0;
}

const char *
gf_cell(const struct imp *g, const struct row *r, size_t k, size_t *n)
{
	const struct cell *c = &g->cells[r->first + k];

	*n = c->len;
	return g->cb + c->off;
}

/* ---- libcsv callbacks ---------------------------------------------------- */

static void
on_field(void *s, size_t len, void *data)
{
	struct imp *g = data;
	struct cell *c;

	if (g->overflow)
		return;
	if (g->ncells - g->rowfirst >= LIM_CSV_FIELDS) {
		g->overflow = 1;
		return;
	}
	if (g->ncells >= LIM_CSV_CELLS || len > LIM_INPUT_BYTES ||
	    g->cblen + len + 1 > (size_t)UINT32_MAX) {
		g->overflow = 2;
		return;
	}
	xgrow((void **)&g->cb, &g->cbcap, g->cblen + len + 1, 1);
	if (len)
		memcpy(g->cb + g->cblen, s, len);
	g->cb[g->cblen + len] = '\0';
	c = VEC_PUSH(g->cells, g->ncells, g->capcells);
	c->off = (uint32_t)g->cblen;
	c->len = (uint32_t)len;
	g->cblen += len + 1;
}

static void
on_row(int c, void *data)
{
	struct imp *g = data;
	struct row *r;

	(void)c;
	if (g->overflow)
		return;
	r = VEC_PUSH(g->rows, g->nrows, g->caprows);
	r->line = g->rowline;
	r->frame = g->frame;
	r->first = g->rowfirst;
	r->n = g->ncells - g->rowfirst;
	r->raw = g->rowraw;
	r->rawlen = g->rowrawlen;
	g->rowfirst = g->ncells;
	g->in_row = 0;
	g->rows_seen++;
}

static int
is_space(unsigned char c)
{
	return c == ' ';
}

/*
 * A line without quotes, not inside a quoted field: its fields are what
 * lies between delimiters, less the spaces libcsv trims (is_space).
 */
static void
split_line(struct imp *g, const char *s, size_t n)
{
	const char *end = s + n, *d, *a, *b;

	for (;;) {
		d = memchr(s, g->delim, (size_t)(end - s));
		b = d ? d : end;
		for (a = s; a < b && *a == ' '; a++)
			;
		while (b > a && b[-1] == ' ')
			b--;
		on_field((void *)(uintptr_t)a, (size_t)(b - a), g);
		if (d == NULL)
			break;
		s = d + 1;
	}
	on_row(0, g);
}

/* A mapped file's pages before offset at are read: give them back (they fault in again if needed). */
static void
drop_read(struct imp *g, size_t at)
{
	size_t pg = 65536, to = at / pg * pg;
	uintptr_t base = (uintptr_t)g->text;

	if (!g->mapped || to <= g->dropped)
		return;
	/* The mapping is page aligned; 64 KiB is a multiple of every page size in use. */
	(void)madvise((void *)(base + g->dropped), to - g->dropped, MADV_DONTNEED);
	g->dropped = to;
}

/* Runs libcsv over the text from offset at, line by line, filling rows and cells. */
static int
read_rows(struct imp *g, size_t at, uint32_t line)
{
	struct csv_parser p;
	size_t e, next, got, j;
	const char *nl, *cr;
	int rc = -1, blank;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		diag_syserr(g->path, "cannot start the CSV parser");
		return -1;
	}
	csv_set_delim(&p, g->delim);
	csv_set_quote(&p, '"');
	csv_set_space_func(&p, is_space);
	for (g->line = line; at < g->tlen; at = next, g->line++) {
		if (!g->in_row && g->nrows >= g->flush_at) {
			if (gf_flush_rows(g, 0) == -1)
				goto out;
			drop_read(g, at);
		}
		/* The line ends at the first LF or CR: two memchr, not a loop over bytes. */
		nl = memchr(g->text + at, '\n', g->tlen - at);
		e = nl ? (size_t)(nl - g->text) : g->tlen;
		if ((cr = memchr(g->text + at, '\r', e - at)) != NULL)
			e = (size_t)(cr - g->text);
		for (next = e; next < g->tlen && g->text[next] == '\r'; next++)
			;
		if (next < g->tlen && g->text[next] == '\n')
			next++;
		if (g->line >= UINT32_MAX - 1) {
			diag_error(g->path, g->line, 0, "more than %u lines", UINT32_MAX - 2);
			goto out;
		}
		if (!g->in_row) {
			for (j = at, blank = 1; j < e && blank; j++)
				blank = g->text[j] == ' ';
			if (blank) {
				g->brk = 1;
				continue;
			}
			if (g->brk && g->nrows > 0)
				g->frame++;
			g->brk = 0;
			g->in_row = 1;
			g->rowline = g->line;
			g->rowraw = at;
			g->rowrawlen = e - at;
		}
		if (memchr(g->text + at, '"', e - at) == NULL) {
			/* No quote on the line: it is one row, split where libcsv would. */
			split_line(g, g->text + at, e - at);
			if (g->overflow)
				break;
			continue;
		}
		got = csv_parse(&p, g->text + at, e - at, on_field, on_row, g);
		if (got == e - at)
			got += csv_parse(&p, "\n", 1, on_field, on_row, g) == 1 ? 0 : 1;
		if (got != e - at) {
			struct row r;

			r.raw = at;
			r.rawlen = got;
			diag_error(g->path, g->line, got > e - at ? (long)(e - at) + 1 :
			    gf_field_col(g, &r, 0) + (long)got, "malformed CSV quoting; expected "
			    "a field either without quotes or wholly in \"...\" with inner quotes doubled");
			goto out;
		}
		if (g->overflow)
			break;
	}
	if (!g->overflow && csv_fini(&p, on_field, on_row, g) != 0) {
		diag_error(g->path, g->rowline, 0, "quoted field not closed before the end of the file");
		goto out;
	}
	if (g->overflow == 1) {
		diag_error(g->path, g->rowline, 0, "more than %d fields in a row", LIM_CSV_FIELDS);
		goto out;
	}
	if (g->overflow) {
		diag_error(g->path, g->rowline, 0, "more than %d cells", LIM_CSV_CELLS);
		goto out;
	}
	rc = 0;
out:
	csv_free(&p);
	return rc;
}

/* ---- entry points ----------------------------------------------------------- */

static const char *
first_line(const char *d, size_t len, size_t *n, size_t *skip)
{
	size_t i = 0;

	if (len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (len - i >= 5 && memcmp(d + i, "sep=", 4) == 0) {
		while (i < len && d[i] != '\n')
			i++;
		i += i < len;
	}
	*skip = i;
	for (*n = 0; i + *n < len && d[i + *n] != '\n' && d[i + *n] != '\r'; (*n)++)
		;
	return d + i;
}

static int
has_date(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 10 <= n; i++)
		if (isdigit((unsigned char)s[i]) && isdigit((unsigned char)s[i + 1]) &&
		    isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
		    strchr("-./", s[i + 4]) && isdigit((unsigned char)s[i + 5]) &&
		    (s[i + 7] == s[i + 4] || s[i + 6] == s[i + 4]))
			return 1;
	return 0;
}

int
in_grafana_sniff(const char *data, size_t len)
{
	char tmp[2048];
	size_t i, k, n, skip;
	const char *l;

	if (len >= 2 && (unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) {
		for (i = 2, k = 0; i + 1 < len && k < sizeof tmp; i += 2)
			tmp[k++] = data[i + 1] ? '?' : data[i];
		data = tmp;
		len = k;
	}
	l = first_line(data, len, &n, &skip);
	if (n == 0 || *l == '{' || *l == '[' || gf_guess_delim(l, n) == 0)
		return 0;
	for (i = 0; i + 4 <= n; i++)
		if (strncmp(l + i, "Time", 4) == 0 || strncmp(l + i, "time", 4) == 0 ||
		    strncmp(l + i, "Series", 6) == 0)
			return 1;
	if (has_date(l, n))
		return 1;
	i = skip + n;
	while (i < len && (data[i] == '\r' || data[i] == '\n'))
		i++;
	for (k = 0; i + k < len && data[i + k] != '\n' && k < 512; k++)
		;
	return has_date(data + i, k);
}

static int
grafana_text(struct run *run, int src, const struct import_opts *o, const char *path,
    const char *data, size_t len, int mapped)
{
	struct imp g;
	char *conv = NULL;
	size_t at = 0, i, nseries0 = run->nseries, nofound;
	uint32_t line = 1;
	int rc = -1;
	struct buf fmt;
	static const struct import_opts none;

	memset(&g, 0, sizeof g);
	g.run = run;
	g.src = src;
	g.o = o ? o : &none;
	g.path = path;
	g.mapped = mapped;
	g.first_series = run->nseries;
	for (i = 0; i < run->nseries; i++)
		g.npoints += run->series[i].npts;
	if (g.o->unit) {
		g.have_ounit = 1;
		if (gf_unit_word(g.o->unit, strlen(g.o->unit), &g.ofactor, &g.ounit) == -1) {
			diag_error(path, 0, 0, "unit %s is not a unit sloproof knows; expected ms, s, "
			    "%%, ratio, bytes, kB, MiB ...", diag_q(g.o->unit, (size_t)-1));
			return -1;
		}
	}
	if (g.o->timezone && (g.tz = tz_open(g.o->timezone)) == NULL) {
		char hint[1024];

		if (tzname_suggest(g.o->timezone, hint, sizeof hint))
			diag_error(path, 0, 0, "time zone %s is not in the time zone database; %s",
			    diag_q(g.o->timezone, (size_t)-1), hint);
		else
			diag_error(path, 0, 0, "time zone %s is not in the time zone database "
			    "(/usr/share/zoneinfo); expected an IANA name like Asia/Tehran or UTC",
			    diag_q(g.o->timezone, (size_t)-1));
		return -1;
	}
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
	    ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
		if ((conv = gf_from_utf16(path, (const unsigned char *)data, len,
		    (unsigned char)data[0] == 0xFE, &len)) == NULL)
			goto out;
		data = conv;
		g.utf16 = 1;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		at = 3;
	g.text = data;
	g.tlen = len;
	/* Excel dialect (Grafana 5–6): "sep=;" names the delimiter on the first line. */
	if (len - at >= 5 && memcmp(data + at, "sep=", 4) == 0 &&
	    (len - at == 5 || data[at + 5] == '\r' || data[at + 5] == '\n')) {
		g.delim = (unsigned char)data[at + 4];
		g.excel = 1;
		at += 5;
		while (at < len && data[at] == '\r')
			at++;
		at += at < len && data[at] == '\n';
		line = 2;
	}
	if (g.delim == 0) {
		for (i = at; i < len && (data[i] == '\r' || data[i] == '\n' || data[i] == ' '); i++)
			;
		g.delim = (unsigned char)gf_guess_delim(data + i, len - i);
	}
	if (g.delim == 0 || g.delim == '"' || g.delim == '\n' || g.delim == '\r') {
		diag_error(path, line, 1, "not a Grafana CSV export: no ',' ';' or TAB in the first "
		    "line; expected a header like Time,<series>...");
		goto out;
	}
	g.flush_at = GRAFANA_CHUNK_ROWS;
	if (read_rows(&g, at, line) == -1)
		goto out;
	if (g.rows_seen == 0) {
		diag_error(path, line, 1, "no rows; expected a Grafana CSV export with a header line");
		goto out;
	}
	if (gf_flush_rows(&g, 1) == -1)
		goto out;
	for (i = nseries0; i < run->nseries; i++)
		series_finish(&run->series[i]);
	nofound = run->nseries - nseries0;
	if (g.o->series && nofound == 1) {
		struct series *s = &run->series[nseries0];

		s->name = arena_strdup(&run->arena, g.o->series);
		gf_name_series(&g, &s->sel, g.o->series);
	} else if (g.o->series) {
		struct buf list;
		int match = 0;

		for (i = nseries0; i < run->nseries; i++)
			match |= strcmp(run->series[i].name, g.o->series) == 0;
		if (!match) {
			buf_init(&list, 4096);
			for (i = nseries0; i < run->nseries; i++)
				(void)buf_printf(&list, "%s%s", i > nseries0 ? ", " : "",
				    diag_q(run->series[i].name, (size_t)-1));
			diag_error(path, 0, 0, "series %s names one series but the file has %zu: %s; "
			    "name one of them", diag_q(g.o->series, (size_t)-1), nofound,
			    list.data ? list.data : "none");
			buf_release(&list);
			goto out;
		}
	}
	buf_init(&fmt, 256);
	(void)buf_addstr(&fmt, g.layout ? g.layout : "grafana");
	if (g.excel || g.utf16)
		(void)buf_printf(&fmt, " (%s%s%s)", g.excel ? "excel dialect" : "",
		    g.excel && g.utf16 ? ", " : "", g.utf16 ? "utf-16" : "");
	run->sources[src].format = arena_strdup(&run->arena, buf_str(&fmt));
	buf_release(&fmt);
	rc = 0;
out:
	free(g.cb);
	free(g.cells);
	free(g.rows);
	free(g.map);
	free(g.ss);
	free(conv);
	gf_frame_end(&g);
	tz_close(g.tz);
	return rc;
}

int
in_grafana_import(struct run *run, int src, const struct import_opts *o, const char *path,
    const char *data, size_t len)
{
	return grafana_text(run, src, o, path, data, len, 0);
}

int
in_grafana_import_mapped(struct run *run, int src, const struct import_opts *o, struct input *in)
{
	return grafana_text(run, src, o, in->display, in->text, in->len, 1);
}
