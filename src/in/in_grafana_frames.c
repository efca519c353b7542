/*
 * in_grafana_frames.c — the layouts of a Grafana CSV frame (series as
 * rows, series as columns, tables), the series they make, and the reading
 * of a long frame in chunks of rows once its header and first rows have
 * decided everything: memory follows what is kept, not the file. Part of
 * the importer (in/grafana_imp.h); owns nothing past the import.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "in/grafana_imp.h"
#include "in/import.h"
#include "model/run.h"
#include "util/hash.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/tz.h"
#include "util/xalloc.h"

/* ---- series ---------------------------------------------------------------- */

static struct slot *
map_find(struct imp *g, const char *key)
{
	size_t i;

	if (g->mapcap == 0)
		return NULL;
	for (i = fnv1a_str(key) & (g->mapcap - 1); g->map[i].key; i = (i + 1) & (g->mapcap - 1))
		if (strcmp(g->map[i].key, key) == 0)
			return &g->map[i];
	return &g->map[i];
}

static void
map_put(struct imp *g, char *key, size_t si)
{
	struct slot *old = g->map, *s;
	size_t oldcap = g->mapcap, i;

	if (2 * (g->mapn + 1) > g->mapcap) {
		g->mapcap = g->mapcap ? 2 * g->mapcap : 64;
		g->map = xcalloc(g->mapcap, sizeof *g->map);
		g->mapn = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].key) {
				s = map_find(g, old[i].key);
				*s = old[i];
				g->mapn++;
			}
		free(old);
	}
	s = map_find(g, key);
	s->key = key;
	s->si = si;
	g->mapn++;
}

/* Fills sel from a header: a selector, a Prometheus label set, else the whole text. */
void
gf_name_series(struct imp *g, struct selector *sel, const char *text)
{
	struct arena *a = &g->run->arena;
	size_t errpos, n = strlen(text), i;
	char *tmp;

	if (text[0] == '{') {
		/* Grafana 7+ names an unaliased Prometheus series by its labels only. */
		tmp = xmalloc(n + 2);
		tmp[0] = '_';
		memcpy(tmp + 1, text, n + 1);
		if (selector_parse(a, tmp, sel, &errpos) == 0) {
			free(tmp);
			sel->name = arena_strdup(a, text);
			for (i = 0; i < sel->nlabels; i++)
				if (strcmp(sel->labels[i].key, "__name__") == 0) {
					sel->name = sel->labels[i].value;
					memmove(&sel->labels[i], &sel->labels[i + 1],
					    (sel->nlabels - i - 1) * sizeof *sel->labels);
					sel->nlabels--;
					break;
				}
			return;
		}
		free(tmp);
	} else if (selector_parse(a, text, sel, &errpos) == 0) {
		return;
	}
	memset(sel, 0, sizeof *sel);
	sel->name = arena_strdup(a, text);
}

/* The series for key (made, named from text, on first sight); NULL after a diagnostic. */
static struct series *
get_series(struct imp *g, const char *key, const char *text, const struct label *extra,
    size_t nextra, long line, long col, size_t *sip)
{
	struct slot *sl = map_find(g, key);
	struct series *s;
	struct sstate *st;
	struct label *lab;
	size_t i, j, si;
	char buf[LIM_NAME + 64];

	if (sl && sl->key) {
		*sip = sl->si;
		return &g->run->series[sl->si];
	}
	if (g->run->nseries - g->first_series >= LIM_SERIES) {
		diag_error(g->path, line, col, "more than %d series", LIM_SERIES);
		return NULL;
	}
	si = g->run->nseries;
	s = run_add_series(g->run);
	s->name = arena_strdup(&g->run->arena, text);
	gf_name_series(g, &s->sel, text);
	if (nextra) {
		/* Table exports: the row's text cells label each numeric column. */
		lab = arena_alloc(&g->run->arena, (s->sel.nlabels + nextra) * sizeof *lab);
		if (s->sel.nlabels)
			memcpy(lab, s->sel.labels, s->sel.nlabels * sizeof *lab);
		for (i = 0; i < nextra; i++) {
			for (j = s->sel.nlabels; j > 0 && strcmp(lab[j - 1].key, extra[i].key) > 0; j--)
				lab[j] = lab[j - 1];
			lab[j].key = arena_strdup(&g->run->arena, extra[i].key);
			lab[j].value = arena_strdup(&g->run->arena, extra[i].value);
			s->sel.nlabels++;
		}
		s->sel.labels = lab;
		selector_fmt(&s->sel, buf, sizeof buf);
		s->name = arena_strdup(&g->run->arena, buf);
	}
	s->origin.src = g->src;
	s->origin.line = line;
	s->origin.col = col;
	xgrow((void **)&g->ss, &g->capss, si + 1, sizeof *g->ss);
	st = &g->ss[si];
	memset(st, 0, sizeof *st);
	st->factor = 1;
	if (g->have_ounit) {
		st->factor = g->ofactor;
		st->unit = g->ounit;
		st->known = 1;
	} else if (gf_name_unit(s->sel.name, &st->factor, &st->unit) == 0 ||
	    gf_name_unit(text, &st->factor, &st->unit) == 0) {
		st->known = 1;
	}
	s->unit = st->unit;
	s->unit_known = st->known;
	s->unit_scale = st->factor;
	st->skip = !import_wants(g->o, s->sel.name);
	map_put(g, arena_strdup(&g->run->arena, key), si);
	*sip = si;
	return s;
}

/* ---- times of rows -------------------------------------------------------- */

static int
row_time(struct imp *g, const struct row *r, size_t k, int64_t *t)
{
	size_t n;
	const char *s = gf_cell(g, r, k, &n);
	int64_t local, early, late;
	int kind, clock, m;
	long o1, o2;
	char a[32], b[32];

	/* The column of a diagnostic is found only when one is written: every row has a time. */
	kind = gf_time(s, n, g->order, &local, &clock);
	if (kind == T_BAD) {
		diag_error(g->path, r->line, gf_field_col(g, r, k), "time %s is not a time Grafana writes; "
		    "expected epoch ms or YYYY-MM-DD HH:MM:SS", diag_q(s, n));
		return -1;
	}
	if (kind == T_UTC) {
		*t = local;
	} else if (g->tz == NULL) {
		if (!g->warned_nozone++)
			diag_warning(g->path, r->line, gf_field_col(g, r, k), "times have no time zone (%s); read as UTC "
			    "since no timezone was given", diag_q(s, n));
		*t = local;
	} else {
		m = tz_local_to_utc(g->tz, local, &early, &late);
		*t = early;
		if (m == 2) {
			if (g->have_last && early < g->last_t)
				*t = late;
			if (!g->warned_ambig++) {
				gf_fmt_off(tz_offset_at(g->tz, early), a, sizeof a);
				gf_fmt_off(tz_offset_at(g->tz, late), b, sizeof b);
				diag_warning(g->path, r->line, gf_field_col(g, r, k), "local time %s occurs twice in %s "
				    "(clocks went back); read in file order: first as %s, then as %s",
				    diag_q(s, n), g->o->timezone, a, b);
			}
		} else if (m == 0 && !g->warned_gap++) {
			o1 = tz_offset_at(g->tz, early - 86400000);
			o2 = tz_offset_at(g->tz, early + 86400000);
			gf_fmt_off(o1, a, sizeof a);
			gf_fmt_off(o2, b, sizeof b);
			diag_warning(g->path, r->line, gf_field_col(g, r, k), "local time %s does not exist in %s "
			    "(clocks went forward from %s to %s); read as %s", diag_q(s, n),
			    g->o->timezone, a, b, a);
		}
	}
	g->have_last = 1;
	g->last_t = *t;
	return 0;
}

/* Adds one cell's value to series si; -1 after a diagnostic. */
static int
add_value(struct imp *g, size_t si, const struct row *r, size_t k, int64_t t)
{
	struct series *s = &g->run->series[si];
	struct sstate *st = &g->ss[si];
	const char *c, *ut;
	size_t n, utn;
	double v, scale = 1;
	enum unit u;
	int known, rc;

	if (st->skip)
		return 0;
	c = gf_cell(g, r, k, &n);
	rc = gf_parse_value(c, n, &v, &u, &known, &ut, &utn, &scale);
	if (rc == 0)
		return 0;
	if (rc == -1) {
		diag_error(g->path, r->line, gf_field_col(g, r, k), "value %s of %s is not a number; "
		    "expected a number, null or empty", diag_q(c, n), diag_q(s->name, (size_t)-1));
		return -1;
	}
	if (known || ut) {
		/* The cell says its unit ("250 ms", "45%", "13.7 °C"): it wins over a guess. */
		int differs = st->have_cell_unit && (known ? !s->unit_known || s->unit != u :
		    s->unit_known || s->unit_text == NULL || strlen(s->unit_text) != utn ||
		    memcmp(s->unit_text, ut, utn) != 0);

		if (known && st->have_cell_unit && s->unit_known && scale != s->unit_scale)
			s->unit_mixed = 1;
		if (differs && !st->warned_units++)
			diag_warning(g->path, r->line, gf_field_col(g, r, k), "units differ inside "
			    "series %s: %s; values are kept as their cells say",
			    diag_q(s->name, (size_t)-1), diag_q(c, n));
		if (!st->have_cell_unit) {
			st->have_cell_unit = 1;
			s->unit = known ? u : UNIT_NONE;
			s->unit_known = known;
			s->unit_scale = known ? scale : 1;
			s->unit_text = ut ? arena_strndup(&g->run->arena, ut, utn) : NULL;
		}
	} else {
		v *= st->factor;
	}
	if (g->npoints >= LIM_POINTS) {
		diag_error(g->path, r->line, gf_field_col(g, r, k), "more than %d points", LIM_POINTS);
		return -1;
	}
	g->npoints++;
	series_add_point(s, t, v, r->line);
	return 0;
}

/* ---- frames ----------------------------------------------------------------- */

static int
eqi(const char *s, size_t n, const char *w)
{
	size_t i;

	str_trim(&s, &n, " \t");
	if (n != strlen(w))
		return 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) != w[i])
			return 0;
	return 1;
}

static int
hname_is(const struct imp *g, const struct row *h, size_t k, const char *w)
{
	size_t n;
	const char *s = gf_cell(g, h, k, &n);

	return eqi(s, n, w);
}

/* A row repeating the header, or the header written once more with another delimiter. */
static int
repeats_header(struct imp *g, const struct row *h, const struct row *r)
{
	size_t i, n, m, k;
	const char *a, *b, *p;

	if (r->n == h->n) {
		for (i = 0; i < h->n; i++) {
			a = gf_cell(g, h, i, &n);
			b = gf_cell(g, r, i, &m);
			if (n != m || memcmp(a, b, n) != 0)
				return 0;
		}
		return 1;
	}
	if (r->n != 1 || h->n < 2)
		return 0;
	b = gf_cell(g, r, 0, &m);
	for (i = 0, p = b; i < h->n; i++) {
		a = gf_cell(g, h, i, &n);
		if ((size_t)(b + m - p) < n || memcmp(p, a, n) != 0)
			return 0;
		p += n;
		if (i + 1 < h->n) {
			if (p >= b + m || !strchr(",;\t", *p))
				return 0;
			p++;
		}
	}
	k = (size_t)(p - b);
	return k == m;
}

static int
check_width(struct imp *g, const struct row *h, const struct row *r)
{
	long col;

	if (r->n == h->n)
		return 0;
	col = r->n > h->n ? gf_field_col(g, r, h->n) : (long)r->rawlen + 1;
	diag_error(g->path, r->line, col, "%zu fields, expected %zu as in the header on line %u",
	    r->n, h->n, (unsigned)h->line);
	return -1;
}

/* Decides year.month.day or year.day.month for dotted dates in column k. */
static void
date_order(struct imp *g, const struct row *rows, size_t nrows, size_t k)
{
	size_t i, n, j;
	const char *s;
	int a, b, ydm = 0, dotted = 0;
	long col = 0, line = 0;

	g->order = 1;
	for (i = 0; i < nrows; i++) {
		if (k >= rows[i].n)
			continue;
		s = gf_cell(g, &rows[i], k, &n);
		str_trim(&s, &n, " \t");
		j = 4;
		if (n < 8 || (s[4] != '.' && s[4] != '/'))
			continue;
		j = 5;
		if (gf_num_at(s, n, &j, 1, 2, &a) == -1 || j >= n || s[j] != s[4])
			continue;
		j++;
		if (gf_num_at(s, n, &j, 1, 2, &b) == -1)
			continue;
		if (!dotted++) {
			line = rows[i].line;
			col = gf_field_col(g, &rows[i], k);
		}
		if (a > 12 && b <= 12) {
			ydm = 1;
			line = rows[i].line;
			col = gf_field_col(g, &rows[i], k);
			break;
		}
	}
	if (ydm) {
		g->order = 2;
		diag_warning(g->path, line, col, "dates are written year.day.month (Grafana's "
		    "custom date format); read that way");
	} else if (dotted) {
		diag_warning(g->path, line, col, "dates like %s could be year.month.day or "
		    "year.day.month; read as year.month.day", diag_q(s, n));
	}
}

/* Whether any time cell of column k is a dotted or slashed date (whose order date_order decides). */
static int
has_dotted(struct imp *g, const struct row *rows, size_t nrows, size_t k)
{
	size_t i, n;
	const char *s;

	for (i = 0; i < nrows; i++) {
		if (k >= rows[i].n)
			continue;
		s = gf_cell(g, &rows[i], k, &n);
		str_trim(&s, &n, " \t");
		if (n >= 8 && (s[4] == '.' || s[4] == '/'))
			return 1;
	}
	return 0;
}

/* Series as rows: Series;Time;Value, one block per series. */
static void
begin_rows(struct imp *g, const struct row *rows, size_t nrows, const size_t idx[3])
{
	g->layout = "grafana-series-as-rows";
	g->fs.by_rows = 1;
	memcpy(g->fs.idx, idx, sizeof g->fs.idx);
	g->fs.next = 1;
	date_order(g, rows + 1, nrows - 1, idx[1]);
}

static int
data_rows(struct imp *g, const struct row *rows, size_t nrows)
{
	struct fstate *fs = &g->fs;
	const struct row *h = &rows[0];
	size_t i, n;
	const char *name;
	int64_t t;

	for (i = fs->next; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (repeats_header(g, h, r))
			continue;
		if (check_width(g, h, r) == -1)
			return -1;
		name = gf_cell(g, r, fs->idx[0], &n);
		if (fs->prev == NULL || strcmp(fs->prev, name) != 0) {
			/* A new block: ambiguous local times are ordered within a series. */
			g->have_last = 0;
			free(fs->prev);
			fs->prev = xmalloc(n + 1);
			memcpy(fs->prev, name, n + 1);
			if (get_series(g, fs->prev, *name ? name : "Value", NULL, 0, r->line,
			    gf_field_col(g, r, fs->idx[0]), &fs->si) == NULL)
				return -1;
		}
		if (row_time(g, r, fs->idx[1], &t) == -1 || add_value(g, fs->si, r, fs->idx[2], t) == -1)
			return -1;
	}
	fs->next = nrows;
	return 0;
}

enum { COL_VALUE, COL_TIME, COL_TEXT, COL_IGNORED };

/* Series as columns and tables: one time column, value columns, text columns as labels. */
static int
begin_cols(struct imp *g, const struct row *rows, size_t nrows)
{
	struct fstate *fs = &g->fs;
	const struct row *h = &rows[0];
	size_t i, k, n, ncols = h->n, nl, si, ign = 0, tcol = fs->tcol;
	char **names = fs->names;
	const char *s, *ut;
	int64_t x;
	double v, scale;
	enum unit u;
	int known, clock, first = !g->headerless, table = fs->table;

	fs->ncols = ncols;
	fs->kind = xcalloc(ncols, sizeof *fs->kind);
	fs->lab = xcalloc(ncols, sizeof *fs->lab);
	fs->colsi = xcalloc(ncols, sizeof *fs->colsi);
	/* Every header column's position, in one pass: asking gf_field_col per cell is quadratic in the width. */
	fs->hcol = xcalloc(ncols + 1, sizeof *fs->hcol);
	gf_field_cols(g, h, fs->hcol, ncols);
	buf_init(&fs->key, (size_t)-1);
	fs->next = (size_t)first;
	g->layout = table ? "grafana-table" : "grafana-series-as-columns";
	fs->kind[tcol] = COL_TIME;
	if (table) {
		/* A column is numeric when every cell is a number or missing. */
		for (k = 0; k < ncols; k++) {
			if (k == tcol)
				continue;
			for (i = first; i < nrows && fs->kind[k] == COL_VALUE; i++) {
				if (rows[i].n != ncols)
					continue;
				s = gf_cell(g, &rows[i], k, &n);
				if (gf_parse_value(s, n, &v, &u, &known, &ut, &nl, &scale) == -1)
					fs->kind[k] = gf_time(s, n, 1, &x, &clock) != T_BAD ||
					    gf_time(s, n, 2, &x, &clock) != T_BAD ? COL_IGNORED : COL_TEXT;
			}
			if (fs->kind[k] == COL_IGNORED)
				ign++;
		}
		if (ign) {
			struct buf list;

			buf_init(&list, 4096);
			for (k = 0; k < ncols; k++)
				if (fs->kind[k] == COL_IGNORED)
					(void)buf_printf(&list, "%s%s", list.len ? ", " : "",
					    diag_q(names[k], (size_t)-1));
			diag_warning(g->path, h->line, gf_field_col(g, h, tcol), "time column %s; other "
			    "time columns not read: %s", diag_q(names[tcol], (size_t)-1),
			    list.data ? list.data : "");
			buf_release(&list);
		}
	}
	date_order(g, rows + first, nrows - (size_t)first, tcol);
	if (table) {
		/* Text cells label a table's series; no real panel has more than a few. */
		size_t ntext = 0;

		for (k = 0; k < ncols; k++)
			ntext += fs->kind[k] == COL_TEXT;
		if (ntext > LIM_GRAFANA_LABELS) {
			diag_error(g->path, h->line, 1, "a table with %zu text columns; at most %d "
			    "can label its series", ntext, LIM_GRAFANA_LABELS);
			return -1;
		}
	}
	/* Series as columns: one series per column, in column order, even if all null. */
	for (k = 0; !table && k < ncols; k++)
		if (fs->kind[k] == COL_VALUE) {
			if (get_series(g, names[k], names[k], NULL, 0, h->line, fs->hcol[k],
			    &si) == NULL)
				return -1;
			fs->colsi[k] = si;
			/* A column no rule reads is not even trimmed. */
			if (g->ss[si].skip)
				fs->kind[k] = COL_IGNORED;
		}
	return 0;
}

static int
data_cols(struct imp *g, const struct row *rows, size_t nrows)
{
	struct fstate *fs = &g->fs;
	const struct row *h = &rows[0];
	size_t i, k, n, nl, si, ncols = fs->ncols;
	const char *s;
	int64_t t;

	for (i = fs->next; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (!g->headerless && repeats_header(g, h, r)) {
			diag_warning(g->path, r->line, 1, "the header repeated; line skipped");
			continue;
		}
		if (check_width(g, h, r) == -1)
			return -1;
		if (row_time(g, r, fs->tcol, &t) == -1)
			return -1;
		for (k = 0, nl = 0; fs->table && k < ncols; k++)
			if (fs->kind[k] == COL_TEXT) {
				fs->lab[nl].key = fs->names[k];
				fs->lab[nl].value = (char *)gf_cell(g, r, k, &n);
				nl++;
			}
		for (k = 0; k < ncols; k++) {
			if (fs->kind[k] != COL_VALUE)
				continue;
			s = gf_cell(g, r, k, &n);
			str_trim(&s, &n, " \t");
			if (gf_is_missing(s, n))
				continue;
			if (!fs->table) {
				if (add_value(g, fs->colsi[k], r, k, t) == -1)
					return -1;
				continue;
			}
			buf_reset(&fs->key);
			(void)buf_addstr(&fs->key, fs->names[k]);
			for (si = 0; si < nl; si++) {
				(void)buf_addc(&fs->key, '\x1f');
				(void)buf_addstr(&fs->key, fs->lab[si].value);
			}
			if (get_series(g, buf_str(&fs->key), fs->names[k], fs->lab, nl, h->line,
			    fs->hcol[k], &si) == NULL || add_value(g, si, r, k, t) == -1)
				return -1;
		}
	}
	fs->next = nrows;
	return 0;
}

/* The time column: one named Time, else the first whose values are date-times. */
static int
find_time(struct imp *g, const struct row *rows, size_t nrows, size_t *tcol)
{
	const struct row *h = &rows[0];
	size_t k, i, n, best = (size_t)-1;
	const char *s;
	int64_t x;
	int clock, kind, dateonly = -1;

	if (!g->headerless)
		for (k = 0; k < h->n; k++)
			if (hname_is(g, h, k, "time")) {
				*tcol = k;
				return 0;
			}
	for (k = 0; k < h->n && best == (size_t)-1; k++) {
		for (i = g->headerless ? 0 : 1; i < nrows; i++) {
			if (k >= rows[i].n)
				continue;
			s = gf_cell(g, &rows[i], k, &n);
			str_trim(&s, &n, " \t");
			if (gf_is_missing(s, n))
				continue;
			kind = gf_time(s, n, 1, &x, &clock);
			if (kind == T_BAD)
				kind = gf_time(s, n, 2, &x, &clock);
			/* Epoch numbers only where the header says time: ids are numbers too. */
			if (kind != T_BAD && strspn(s, "0123456789.") == n) {
				const char *hn = gf_cell(g, h, k, &n);

				if (!g->headerless && strstr(hn, "time") == NULL &&
				    strstr(hn, "Time") == NULL && strstr(hn, "_ts") == NULL)
					kind = T_BAD;
			}
			if (kind != T_BAD && clock)
				best = k;
			else if (kind != T_BAD && dateonly == -1)
				dateonly = (int)k;
			break;
		}
	}
	if (best == (size_t)-1 && dateonly >= 0)
		best = (size_t)dateonly;
	if (best == (size_t)-1)
		return -1;
	*tcol = best;
	return 0;
}

struct name_idx {
	const char	*name;
	size_t		 idx;
};

static int
cmp_name_idx(const void *a, const void *b)
{
	const struct name_idx *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int
cmp_name_only(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct name_idx *)elem)->name);
}

/*
 * Duplicate column names ("Time,Value,Value") become "Value 2", "Value 3",
 * skipping names the header already has: sorted once, so a header of
 * thousands of equal names costs n log n, not n^3.
 */
static int
unique_names(struct imp *g, const struct row *h, char **names, size_t n)
{
	struct name_idx *v = xcalloc(n ? n : 1, sizeof *v);
	size_t i, m = 2, warned = 0;
	char *nm;

	for (i = 0; i < n; i++) {
		v[i].name = names[i];
		v[i].idx = i;
	}
	qsort(v, n, sizeof *v, cmp_name_idx);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i].name, v[i - 1].name) != 0) {
			m = 2;
			continue;
		}
		nm = xmalloc(strlen(v[i].name) + 32);
		do {
			snprintf(nm, strlen(v[i].name) + 32, "%s %zu", v[i].name, m++);
		} while (bsearch(nm, v, n, sizeof *v, cmp_name_only) != NULL);
		if (warned++ < 5)
			diag_warning(g->path, h->line, gf_field_col(g, h, v[i].idx), "duplicate column "
			    "name %s; read as %s", diag_q(v[i].name, (size_t)-1), diag_q(nm, (size_t)-1));
		names[v[i].idx] = nm;	/* the old string stays in v until the end */
	}
	if (warned > 5)
		diag_warning(g->path, h->line, 1, "%zu more duplicate column names renamed", warned - 5);
	/* Free the replaced originals: those whose slot now holds another string. */
	for (i = 0; i < n; i++)
		if (names[v[i].idx] != v[i].name)
			free((char *)v[i].name);
	free(v);
	return 0;
}

void
gf_frame_end(struct imp *g)
{
	struct fstate *fs = &g->fs;
	size_t k;

	if (fs->names)
		for (k = 0; k < fs->ncols; k++)
			free(fs->names[k]);
	free(fs->names);
	free(fs->kind);
	free(fs->lab);
	free(fs->colsi);
	free(fs->hcol);
	free(fs->prev);
	buf_release(&fs->key);
	memset(fs, 0, sizeof *fs);
}

/*
 * Decides a frame's layout from its header and first rows. With partial
 * (more rows of it are still to come) it decides only when no later row
 * could change the decision: a header naming Series;Time;Value or Time
 * first, and no dotted dates so far; else 0, and the whole frame is
 * buffered first. 1 when decided, -1 after a diagnostic.
 */
static int
frame_begin(struct imp *g, const struct row *rows, size_t nrows, int partial)
{
	struct fstate *fs = &g->fs;
	const struct row *h = &rows[0];
	size_t k, n, tcol, idx[3];
	const char *s;
	int64_t x;
	int clock, headerless = 0;
	struct buf list;

	/* Headerless (Grafana 4.5.2's Excel mode, or an excerpt): the first row holds a time. */
	for (k = 0; k < h->n && !headerless; k++) {
		s = gf_cell(g, h, k, &n);
		str_trim(&s, &n, " \t");
		headerless = (gf_time(s, n, 1, &x, &clock) != T_BAD && clock && n > 10) ||
		    gf_time(s, n, 2, &x, &clock) == T_LOCAL;
	}
	idx[0] = 0;
	idx[1] = 1;
	idx[2] = 2;
	if (!headerless && h->n == 3 && hname_is(g, h, 0, "series") && hname_is(g, h, 1, "time") &&
	    hname_is(g, h, 2, "value")) {
		if (partial && has_dotted(g, rows + 1, nrows - 1, idx[1]))
			return 0;
		g->headerless = 0;
		g->have_last = 0;
		fs->active = 1;
		begin_rows(g, rows, nrows, idx);
		return 1;
	}
	if (partial && (headerless || h->n == 0 || !hname_is(g, h, 0, "time") ||
	    has_dotted(g, rows + 1, nrows - 1, 0)))
		return 0;
	g->headerless = headerless;
	g->have_last = 0;
	if (find_time(g, rows, nrows, &tcol) == -1) {
		buf_init(&list, 4096);
		for (k = 0; k < h->n; k++)
			(void)buf_printf(&list, "%s%s", k ? ", " : "", diag_q(gf_cell(g, h, k, &n), n));
		diag_error(g->path, h->line, 1, "no time column; expected a column named Time or "
		    "one holding date-times, found: %s", list.data ? list.data : "");
		buf_release(&list);
		return -1;
	}
	fs->active = 1;
	fs->tcol = tcol;
	/* Names: position for a headerless frame; duplicates made unique ("Value 2"). */
	fs->ncols = h->n;
	fs->names = xcalloc(h->n ? h->n : 1, sizeof *fs->names);
	for (k = 0; k < h->n; k++) {
		char tmp[32];

		s = gf_cell(g, h, k, &n);
		str_trim(&s, &n, " \t");
		if (g->headerless || n == 0) {
			snprintf(tmp, sizeof tmp, "column %zu", k + 1);
			fs->names[k] = xstrdup(tmp);
		} else {
			fs->names[k] = xstrndup(s, n > LIM_NAME ? LIM_NAME : n);
		}
	}
	if (g->headerless)
		diag_warning(g->path, h->line, 1, "no header line; values named by column "
		    "(\"column 2\" ...)");
	if (unique_names(g, h, fs->names, h->n) == -1)
		return -1;
	fs->table = !(tcol == 0 && (g->headerless || eqi(fs->names[0], strlen(fs->names[0]), "time") ||
	    strncmp(fs->names[0], "column ", 7) == 0));
	return begin_cols(g, rows, nrows) == -1 ? -1 : 1;
}

/* Reads the frame's rows from fs->next on into series. */
static int
frame_data(struct imp *g, const struct row *rows, size_t nrows)
{
	return g->fs.by_rows ? data_rows(g, rows, nrows) : data_cols(g, rows, nrows);
}

/*
 * Keeps row a and rows [b, nrows) of the buffer, moving them and their
 * cells to the front; the rest were read and are dropped.
 */
static void
keep_rows(struct imp *g, size_t a, size_t b)
{
	size_t i, k, nr = 0, nc = 0, nb = 0, j;
	struct row r;

	if (b <= a)
		b = a + 1;
	for (i = a; i < g->nrows; i = i == a ? b : i + 1) {
		r = g->rows[i];
		for (k = 0; k < r.n; k++) {
			struct cell c = g->cells[r.first + k];

			memmove(g->cb + nb, g->cb + c.off, c.len + 1);
			c.off = (uint32_t)nb;
			nb += c.len + 1;
			g->cells[nc + k] = c;
		}
		r.first = nc;
		nc += r.n;
		g->rows[nr++] = r;
	}
	/* Cells of a row not yet ended (none when called between rows) follow. */
	for (j = g->rowfirst; j < g->ncells; j++) {
		struct cell c = g->cells[j];

		memmove(g->cb + nb, g->cb + c.off, c.len + 1);
		c.off = (uint32_t)nb;
		nb += c.len + 1;
		g->cells[nc + j - g->rowfirst] = c;
	}
	g->ncells = nc + (g->ncells - g->rowfirst);
	g->rowfirst = nc;
	g->nrows = nr;
	g->cblen = nb;
}

/*
 * Reads the buffered rows into series: every complete frame, and of the
 * last one (more may follow unless final) what its decisions allow, so
 * that only the rows not yet read stay buffered. 0, or -1 after a diagnostic.
 */
int
gf_flush_rows(struct imp *g, int final)
{
	size_t start = 0, i;
	int rc;

	while (start < g->nrows) {
		for (i = start + 1; i < g->nrows && g->rows[i].frame == g->rows[start].frame; i++)
			;
		if (!g->fs.active) {
			rc = frame_begin(g, g->rows + start, i - start, i == g->nrows && !final);
			if (rc == -1)
				return -1;
			if (rc == 0) {
				/* Undecided: keep the frame whole, and look again at twice its size. */
				keep_rows(g, start, start + 1);
				g->flush_at = 2 * g->nrows;
				return 0;
			}
		}
		if (frame_data(g, g->rows + start, i - start) == -1)
			return -1;
		if (i == g->nrows && !final) {
			/* The frame goes on: keep its header only. */
			keep_rows(g, start, g->nrows);
			g->fs.next = 1;
			g->flush_at = g->nrows + GRAFANA_CHUNK_ROWS;
			return 0;
		}
		gf_frame_end(g);
		start = i;
	}
	g->nrows = g->ncells = g->rowfirst = g->cblen = 0;
	g->flush_at = GRAFANA_CHUNK_ROWS;
	return 0;
}

