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
#include "in/import.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/tz.h"
#include "util/xalloc.h"

struct cell {
	uint32_t	off, len;	/* into imp.cb; cells are NUL-terminated there */
};

struct row {
	uint32_t	line;
	uint32_t	frame;
	size_t		first;		/* index of the first cell */
	size_t		n;
	size_t		raw, rawlen;	/* the row's first physical line in the text */
};

/* What one import keeps per series it made, beside struct series. */
struct sstate {
	double		factor;		/* for plain numbers: seconds -> ms ... */
	enum unit	unit;		/* of plain numbers */
	int		known;
	int		have_cell_unit;	/* a cell said its unit */
	int		warned_units;
	int		skip;		/* no rule reads it (import_opts.want): values are not read */
};

struct slot {
	char		*key;
	size_t		 si;		/* index into run->series */
};

/*
 * The decisions about the frame being read (layout, time column, names,
 * column kinds), made once from its header and first rows, so that a long
 * frame is read in chunks of rows that are dropped once their values are
 * in the model: memory follows what is kept, not the file.
 */
struct fstate {
	int		 active;
	int		 by_rows;	/* Series;Time;Value */
	size_t		 idx[3];	/* by_rows: series, time, value columns */
	size_t		 next;		/* the first row not yet read, in the buffered frame */
	size_t		 tcol, ncols;
	char		**names;
	int		*kind;
	size_t		*colsi;		/* series as columns: each value column's series */
	struct label	*lab;
	struct buf	 key;
	int		 table;
	char		*prev;		/* by_rows: the current block's series name */
	size_t		 si;
};

struct imp {
	struct run			*run;
	int				 src;
	const struct import_opts	*o;
	const char			*path;
	const char			*text;
	size_t				 tlen;
	unsigned char			 delim;
	/* what libcsv gave */
	char		*cb;
	size_t		 cblen, cbcap;
	struct cell	*cells;
	size_t		 ncells, capcells;
	struct row	*rows;
	size_t		 nrows, caprows;
	size_t		 rowfirst;
	uint32_t	 line, rowline, frame;
	size_t		 raw, rawlen, rowraw, rowrawlen;
	int		 in_row, brk, overflow;
	/* zones */
	struct tz	*tz;
	int		 warned_nozone, warned_ambig, warned_gap;
	int		 have_last;
	int64_t		 last_t;
	int		 order;		/* dotted dates: 1 year.month.day, 2 year.day.month */
	/* series */
	struct slot	*map;
	size_t		 mapcap, mapn;
	struct sstate	*ss;		/* parallel to run->series */
	size_t		 capss, first_series;
	size_t		 npoints;
	double		 ofactor;	/* opts->unit */
	enum unit	 ounit;
	int		 have_ounit;
	const char	*layout;
	int		 excel, utf16, headerless;
	/* streaming */
	struct fstate	 fs;
	size_t		 flush_at;	/* rows buffered before they are read into series */
	int		 mapped;	/* text is a file mapping: read pages may be given back */
	size_t		 dropped;	/* text before this offset was given back */
	size_t		 rows_seen;
};

/* Rows buffered before a frame's decisions are made and its rows read. */
#define GRAFANA_CHUNK_ROWS 4096

/* ---- units ------------------------------------------------------------- */

static const struct {
	const char	*w;
	double		 f;
	enum unit	 u;
} unit_words[] = {
	{"ms", 1, UNIT_MS}, {"milliseconds", 1, UNIT_MS}, {"s", 1000, UNIT_MS},
	{"sec", 1000, UNIT_MS}, {"seconds", 1000, UNIT_MS}, {"us", 1e-3, UNIT_MS},
	{"\xc2\xb5s", 1e-3, UNIT_MS}, {"ns", 1e-6, UNIT_MS}, {"min", 60000, UNIT_MS},
	{"m", 60000, UNIT_MS}, {"h", 3600000, UNIT_MS},
	{"%", 0.01, UNIT_RATIO}, {"percent", 0.01, UNIT_RATIO},
	{"percentunit", 1, UNIT_RATIO}, {"ratio", 1, UNIT_RATIO},
	{"B", 1, UNIT_BYTES}, {"bytes", 1, UNIT_BYTES}, {"kB", 1e3, UNIT_BYTES},
	{"KB", 1e3, UNIT_BYTES}, {"KiB", 1024, UNIT_BYTES}, {"MB", 1e6, UNIT_BYTES},
	{"MiB", 1048576, UNIT_BYTES}, {"GB", 1e9, UNIT_BYTES},
	{"GiB", 1073741824, UNIT_BYTES}, {"TB", 1e12, UNIT_BYTES},
	{"TiB", 1099511627776.0, UNIT_BYTES},
};

static int
unit_word(const char *s, size_t n, double *f, enum unit *u)
{
	size_t i;

	for (i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++)
		if (strlen(unit_words[i].w) == n && memcmp(unit_words[i].w, s, n) == 0) {
			*f = unit_words[i].f;
			*u = unit_words[i].u;
			return 0;
		}
	return -1;
}

/* The unit a series name implies: Prometheus suffixes, or "(s)" at the end. */
static int
name_unit(const char *name, double *f, enum unit *u)
{
	static const struct {
		const char	*suf;
		double		 f;
		enum unit	 u;
	} sufs[] = {
		{"_seconds", 1000, UNIT_MS}, {"_milliseconds", 1, UNIT_MS}, {"_ms", 1, UNIT_MS},
		{"_bytes", 1, UNIT_BYTES}, {"_ratio", 1, UNIT_RATIO},
	};
	size_t n = strlen(name), i, k;
	const char *open;

	for (i = 0; i < sizeof sufs / sizeof sufs[0]; i++) {
		k = strlen(sufs[i].suf);
		if (n > k && strcmp(name + n - k, sufs[i].suf) == 0) {
			*f = sufs[i].f;
			*u = sufs[i].u;
			return 0;
		}
	}
	if (n > 2 && name[n - 1] == ')' && (open = strrchr(name, '(')) != NULL && open > name)
		return unit_word(open + 1, (size_t)(name + n - 1 - open - 1), f, u);
	return -1;
}

static int
is_missing(const char *s, size_t n)
{
	return n == 0 || (n == 4 && memcmp(s, "null", 4) == 0) ||
	    (n == 3 && (memcmp(s, "NaN", 3) == 0 || memcmp(s, "nan", 3) == 0)) ||
	    (n == 9 && memcmp(s, "undefined", 9) == 0);
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/*
 * A plain decimal of at most 15 digits, without an exponent, as strtod
 * reads it: the digits and the power of ten are both exact doubles, so
 * their quotient is the correctly rounded value. -1 for anything else.
 */
static int
fast_decimal(const char *num, size_t k, double *v)
{
	static const double p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
		1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	uint64_t m = 0;
	size_t i = 0, nd = 0, fd = 0;
	int neg = 0, dot = 0;

	if (k > 0 && (num[0] == '-' || num[0] == '+')) {
		neg = num[0] == '-';
		i++;
	}
	for (; i < k; i++) {
		if (num[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (num[i] < '0' || num[i] > '9' || ++nd > 15)
			return -1;
		m = m * 10 + (uint64_t)(num[i] - '0');
		fd += (size_t)dot;
	}
	if (nd == 0)
		return -1;
	*v = (double)m / p10[fd];
	if (neg)
		*v = -*v;
	return 0;
}

/*
 * A cell's value: 1 and *v (canonical when the cell had a known unit,
 * unit and known set; an unknown unit's text in ut and utn), 0 for a
 * missing sample, -1 when it is no number.
 */
static int
parse_value(const char *s, size_t n, double *v, enum unit *u, int *known, const char **ut,
    size_t *utn)
{
	char num[128];
	size_t i = 0, k = 0, digits = 0, group = 0, sp;
	int commas = 0;
	double f;

	*known = 0;
	*ut = NULL;
	*utn = 0;
	trim(&s, &n);
	if (is_missing(s, n))
		return 0;
	/* Excel dialect (Grafana 6.2–6.3): "'-0.007" keeps Excel from reading a formula. */
	if (s[0] == '\'') {
		s++;
		n--;
	}
	if (i < n && (s[i] == '-' || s[i] == '+'))
		num[k++] = s[i++];
	for (; i < n && k < sizeof num - 8; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			num[k++] = s[i];
			digits++;
			group++;
		} else if (s[i] == ',' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
			/* Locale thousands separators (Grafana 5.4): 1,721,992,142.283 */
			if ((commas == 0 ? group < 1 || group > 3 : group != 3))
				return -1;
			commas++;
			group = 0;
		} else {
			break;
		}
	}
	if (commas && group != 3)
		return -1;
	if (i < n && s[i] == '.') {
		num[k++] = s[i++];
		for (; i < n && s[i] >= '0' && s[i] <= '9' && k < sizeof num - 8; i++, digits++)
			num[k++] = s[i];
	}
	if (digits == 0 || k >= sizeof num - 8)
		return -1;
	if (i + 1 < n && (s[i] == 'e' || s[i] == 'E') && (isdigit((unsigned char)s[i + 1]) ||
	    (i + 2 < n && (s[i + 1] == '-' || s[i + 1] == '+') && isdigit((unsigned char)s[i + 2])))) {
		num[k++] = s[i++];
		if (s[i] == '-' || s[i] == '+')
			num[k++] = s[i++];
		for (; i < n && isdigit((unsigned char)s[i]) && k < sizeof num - 1; i++)
			num[k++] = s[i];
	}
	if (fast_decimal(num, k, v) == -1 && strnum_double(num, k, v) == -1)
		return -1;
	for (sp = i; sp < n && s[sp] == ' '; sp++)
		;
	if (sp == n)
		return 1;
	if (unit_word(s + sp, n - sp, &f, u) == 0) {
		*v *= f;
		*known = 1;
		return 1;
	}
	/* "13.7 °C", "12 req/s": a unit we do not convert; the number stands. */
	if (sp == i || n - sp > 16)
		return -1;
	for (k = sp; k < n; k++)
		if (isdigit((unsigned char)s[k]) || s[k] == ' ' || s[k] == '\'' || s[k] == '"')
			return -1;
	*u = UNIT_NONE;
	*ut = s + sp;
	*utn = n - sp;
	return 1;
}

/* ---- times ------------------------------------------------------------- */

enum { T_BAD = -1, T_UTC = 1, T_LOCAL = 2 };

static int
num_at(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
	int v = 0, c = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && c < max) {
		v = v * 10 + (s[(*i)++] - '0');
		c++;
	}
	if (c < min)
		return -1;
	*out = v;
	return 0;
}

static int
mdays(int64_t y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

/*
 * A Grafana time cell. T_UTC with *ms for epoch numbers and times with a
 * zone; T_LOCAL with the wall time counted as if UTC for zone-less ones;
 * T_BAD. *clock says a time of day was written (a date alone has none).
 * order tells dotted dates apart: 2 reads 2019.29.09 as year.day.month.
 */
static int
gtime(const char *s, size_t n, int order, int64_t *ms, int *clock)
{
	size_t i = 0, nd;
	int y, a, b, mo, d, h = 0, mi = 0, sec = 0, frac = 0, fd = 0, oh, om = 0;
	int64_t off = 0;
	char sep;
	int zoned = 0;
	double x;

	*clock = 0;
	trim(&s, &n);
	for (nd = 0; nd < n && isdigit((unsigned char)s[nd]); nd++)
		;
	if (nd > 0 && (nd == n || s[nd] == '.') && nd != 4) {
		/* Epoch: 13 digits are ms (7.0, 8+), 10 are seconds; a fraction is dropped. */
		if (nd < n && (nd + 1 == n || strspn(s + nd + 1, "0123456789") < n - nd - 1))
			return T_BAD;
		if (nd < 10 || nd > 14 || strnum_double(s, nd, &x) == -1)
			return T_BAD;
		*ms = nd == 10 ? (int64_t)x * 1000 : (int64_t)x;
		if (nd == 10 && nd < n)
			for (i = nd + 1, fd = 100; i < n && fd > 0; i++, fd /= 10)
				*ms += (s[i] - '0') * fd;
		*clock = 1;
		return T_UTC;
	}
	if (num_at(s, n, &i, 4, 4, &y) == -1 || i >= n || !strchr("-./", s[i]))
		return T_BAD;
	sep = s[i++];
	if (num_at(s, n, &i, 1, 2, &a) == -1 || i >= n || s[i] != sep)
		return T_BAD;
	i++;
	if (num_at(s, n, &i, 1, 2, &b) == -1)
		return T_BAD;
	mo = sep != '-' && order == 2 ? b : a;
	d = sep != '-' && order == 2 ? a : b;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo))
		return T_BAD;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return T_BAD;
		i++;
		if (num_at(s, n, &i, 2, 2, &h) == -1 || h > 23 || i >= n || s[i++] != ':' ||
		    num_at(s, n, &i, 2, 2, &mi) == -1 || mi > 59)
			return T_BAD;
		*clock = 1;
		if (i < n && s[i] == ':') {
			i++;
			if (num_at(s, n, &i, 2, 2, &sec) == -1 || sec > 60)
				return T_BAD;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				i++;
				if (i >= n || !isdigit((unsigned char)s[i]))
					return T_BAD;
				for (; i < n && isdigit((unsigned char)s[i]); i++, fd++)
					if (fd < 3)
						frac = frac * 10 + (s[i] - '0');
				for (; fd < 3; fd++)
					frac *= 10;
			}
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			zoned = 1;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			char sign = s[i++];

			if (num_at(s, n, &i, 2, 2, &oh) == -1 || oh > 23)
				return T_BAD;
			if (i < n && s[i] == ':')
				i++;
			if (i < n && num_at(s, n, &i, 2, 2, &om) == -1)
				return T_BAD;
			if (om > 59)
				return T_BAD;
			off = (int64_t)(oh * 60 + om) * 60000;
			if (sign == '+')
				off = -off;
			zoned = 1;
		}
		if (i != n)
			return T_BAD;
	}
	if (sec == 60) {
		sec = 59;
		frac = 999;
	}
	*ms = ((time_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + frac + off;
	return zoned ? T_UTC : T_LOCAL;
}

static void
fmt_off(long secs, char *dst, size_t n)
{
	int a = (int)((secs < 0 ? -secs : secs) % 86400);

	snprintf(dst, n, "%c%02d:%02d", secs < 0 ? '-' : '+', a / 3600 % 24, a / 60 % 60);
}

/* ---- positions ----------------------------------------------------------- */

/* The 1-based column (in characters) where field k of row r starts; 0 if not on its line. */
static long
field_col(const struct imp *g, const struct row *r, size_t k)
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

static const char *
cell(const struct imp *g, const struct row *r, size_t k, size_t *n)
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

static int flush_rows(struct imp *, int);

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
			if (flush_rows(g, 0) == -1)
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
			    field_col(g, &r, 0) + (long)got, "malformed CSV quoting; expected "
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

/* ---- the text ------------------------------------------------------------- */

/* UTF-16 with a BOM (Grafana's "Download for Excel") into UTF-8; NULL after a diagnostic. */
static char *
from_utf16(const char *path, const unsigned char *d, size_t len, int be, size_t *outlen)
{
	char *o;
	size_t i, k = 0;
	uint32_t c, c2;

	if (len % 2) {
		diag_error(path, 0, 0, "UTF-16 text with an odd number of bytes (%zu)", len);
		return NULL;
	}
	o = xmalloc(len / 2 * 3 + 1);
	for (i = 2; i < len; i += 2) {
		c = be ? (uint32_t)d[i] << 8 | d[i + 1] : (uint32_t)d[i + 1] << 8 | d[i];
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < len) {
			c2 = be ? (uint32_t)d[i + 2] << 8 | d[i + 3] : (uint32_t)d[i + 3] << 8 | d[i + 2];
			if (c2 < 0xDC00 || c2 > 0xDFFF)
				goto bad;
			c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
			i += 2;
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			goto bad;
		}
		if (c == 0)
			goto bad;
		if (c < 0x80) {
			o[k++] = (char)c;
		} else if (c < 0x800) {
			o[k++] = (char)(0xC0 | c >> 6);
			o[k++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			o[k++] = (char)(0xE0 | c >> 12);
			o[k++] = (char)(0x80 | (c >> 6 & 0x3F));
			o[k++] = (char)(0x80 | (c & 0x3F));
		} else {
			/* A surrogate pair makes 4 UTF-8 bytes of 4 UTF-16 bytes: fits. */
			o[k++] = (char)(0xF0 | c >> 18);
			o[k++] = (char)(0x80 | (c >> 12 & 0x3F));
			o[k++] = (char)(0x80 | (c >> 6 & 0x3F));
			o[k++] = (char)(0x80 | (c & 0x3F));
		}
	}
	o[k] = '\0';
	*outlen = k;
	return o;
bad:
	diag_error(path, 0, 0, "invalid UTF-16 at byte %zu; expected UTF-16 text after its BOM", i + 1);
	free(o);
	return NULL;
}

/* The delimiter a header line uses: the most common of ; TAB , outside quotes. */
static unsigned char
guess_delim(const char *s, size_t n)
{
	size_t i, semi = 0, tab = 0, comma = 0;
	int q = 0;

	for (i = 0; i < n && s[i] != '\n' && s[i] != '\r'; i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && s[i] == ';')
			semi++;
		else if (!q && s[i] == '\t')
			tab++;
		else if (!q && s[i] == ',')
			comma++;
	}
	if (semi == 0 && tab == 0 && comma == 0)
		return 0;
	if (semi >= tab && semi >= comma)
		return ';';
	return tab >= comma ? '\t' : ',';
}

/* ---- series ---------------------------------------------------------------- */

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct slot *
map_find(struct imp *g, const char *key)
{
	size_t i;

	if (g->mapcap == 0)
		return NULL;
	for (i = hash(key) & (g->mapcap - 1); g->map[i].key; i = (i + 1) & (g->mapcap - 1))
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
static void
name_series(struct imp *g, struct selector *sel, const char *text)
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
	name_series(g, &s->sel, text);
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
	} else if (name_unit(s->sel.name, &st->factor, &st->unit) == 0 ||
	    name_unit(text, &st->factor, &st->unit) == 0) {
		st->known = 1;
	}
	s->unit = st->unit;
	s->unit_known = st->known;
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
	const char *s = cell(g, r, k, &n);
	int64_t local, early, late;
	int kind, clock, m;
	long o1, o2;
	char a[32], b[32];

	/* The column of a diagnostic is found only when one is written: every row has a time. */
	kind = gtime(s, n, g->order, &local, &clock);
	if (kind == T_BAD) {
		diag_error(g->path, r->line, field_col(g, r, k), "time %s is not a time Grafana writes; "
		    "expected epoch ms or YYYY-MM-DD HH:MM:SS", diag_q(s, n));
		return -1;
	}
	if (kind == T_UTC) {
		*t = local;
	} else if (g->tz == NULL) {
		if (!g->warned_nozone++)
			diag_warning(g->path, r->line, field_col(g, r, k), "times have no time zone (%s); read as UTC "
			    "since no timezone was given", diag_q(s, n));
		*t = local;
	} else {
		m = tz_local_to_utc(g->tz, local, &early, &late);
		*t = early;
		if (m == 2) {
			if (g->have_last && early < g->last_t)
				*t = late;
			if (!g->warned_ambig++) {
				fmt_off(tz_offset_at(g->tz, early), a, sizeof a);
				fmt_off(tz_offset_at(g->tz, late), b, sizeof b);
				diag_warning(g->path, r->line, field_col(g, r, k), "local time %s occurs twice in %s "
				    "(clocks went back); read in file order: first as %s, then as %s",
				    diag_q(s, n), g->o->timezone, a, b);
			}
		} else if (m == 0 && !g->warned_gap++) {
			o1 = tz_offset_at(g->tz, early - 86400000);
			o2 = tz_offset_at(g->tz, early + 86400000);
			fmt_off(o1, a, sizeof a);
			fmt_off(o2, b, sizeof b);
			diag_warning(g->path, r->line, field_col(g, r, k), "local time %s does not exist in %s "
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
	double v;
	enum unit u;
	int known, rc;

	if (st->skip)
		return 0;
	c = cell(g, r, k, &n);
	rc = parse_value(c, n, &v, &u, &known, &ut, &utn);
	if (rc == 0)
		return 0;
	if (rc == -1) {
		diag_error(g->path, r->line, field_col(g, r, k), "value %s of %s is not a number; "
		    "expected a number, null or empty", diag_q(c, n), diag_q(s->name, (size_t)-1));
		return -1;
	}
	if (known || ut) {
		/* The cell says its unit ("250 ms", "45%", "13.7 °C"): it wins over a guess. */
		int differs = st->have_cell_unit && (known ? !s->unit_known || s->unit != u :
		    s->unit_known || s->unit_text == NULL || strlen(s->unit_text) != utn ||
		    memcmp(s->unit_text, ut, utn) != 0);

		if (differs && !st->warned_units++)
			diag_warning(g->path, r->line, field_col(g, r, k), "units differ inside "
			    "series %s: %s; values are kept as their cells say",
			    diag_q(s->name, (size_t)-1), diag_q(c, n));
		if (!st->have_cell_unit) {
			st->have_cell_unit = 1;
			s->unit = known ? u : UNIT_NONE;
			s->unit_known = known;
			s->unit_text = ut ? arena_strndup(&g->run->arena, ut, utn) : NULL;
		}
	} else {
		v *= st->factor;
	}
	if (g->npoints >= LIM_POINTS) {
		diag_error(g->path, r->line, field_col(g, r, k), "more than %d points", LIM_POINTS);
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

	trim(&s, &n);
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
	const char *s = cell(g, h, k, &n);

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
			a = cell(g, h, i, &n);
			b = cell(g, r, i, &m);
			if (n != m || memcmp(a, b, n) != 0)
				return 0;
		}
		return 1;
	}
	if (r->n != 1 || h->n < 2)
		return 0;
	b = cell(g, r, 0, &m);
	for (i = 0, p = b; i < h->n; i++) {
		a = cell(g, h, i, &n);
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
	col = r->n > h->n ? field_col(g, r, h->n) : (long)r->rawlen + 1;
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
		s = cell(g, &rows[i], k, &n);
		trim(&s, &n);
		j = 4;
		if (n < 8 || (s[4] != '.' && s[4] != '/'))
			continue;
		j = 5;
		if (num_at(s, n, &j, 1, 2, &a) == -1 || j >= n || s[j] != s[4])
			continue;
		j++;
		if (num_at(s, n, &j, 1, 2, &b) == -1)
			continue;
		if (!dotted++) {
			line = rows[i].line;
			col = field_col(g, &rows[i], k);
		}
		if (a > 12 && b <= 12) {
			ydm = 1;
			line = rows[i].line;
			col = field_col(g, &rows[i], k);
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
		s = cell(g, &rows[i], k, &n);
		trim(&s, &n);
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
		name = cell(g, r, fs->idx[0], &n);
		if (fs->prev == NULL || strcmp(fs->prev, name) != 0) {
			/* A new block: ambiguous local times are ordered within a series. */
			g->have_last = 0;
			free(fs->prev);
			fs->prev = xmalloc(n + 1);
			memcpy(fs->prev, name, n + 1);
			if (get_series(g, fs->prev, *name ? name : "Value", NULL, 0, r->line,
			    field_col(g, r, fs->idx[0]), &fs->si) == NULL)
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
	double v;
	enum unit u;
	int known, clock, first = !g->headerless, table = fs->table;

	fs->ncols = ncols;
	fs->kind = xcalloc(ncols, sizeof *fs->kind);
	fs->lab = xcalloc(ncols, sizeof *fs->lab);
	fs->colsi = xcalloc(ncols, sizeof *fs->colsi);
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
				s = cell(g, &rows[i], k, &n);
				if (parse_value(s, n, &v, &u, &known, &ut, &nl) == -1)
					fs->kind[k] = gtime(s, n, 1, &x, &clock) != T_BAD ||
					    gtime(s, n, 2, &x, &clock) != T_BAD ? COL_IGNORED : COL_TEXT;
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
			diag_warning(g->path, h->line, field_col(g, h, tcol), "time column %s; other "
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
			if (get_series(g, names[k], names[k], NULL, 0, h->line, field_col(g, h, k),
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
				fs->lab[nl].value = (char *)cell(g, r, k, &n);
				nl++;
			}
		for (k = 0; k < ncols; k++) {
			if (fs->kind[k] != COL_VALUE)
				continue;
			s = cell(g, r, k, &n);
			trim(&s, &n);
			if (is_missing(s, n))
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
			    field_col(g, h, k), &si) == NULL || add_value(g, si, r, k, t) == -1)
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
			s = cell(g, &rows[i], k, &n);
			trim(&s, &n);
			if (is_missing(s, n))
				continue;
			kind = gtime(s, n, 1, &x, &clock);
			if (kind == T_BAD)
				kind = gtime(s, n, 2, &x, &clock);
			/* Epoch numbers only where the header says time: ids are numbers too. */
			if (kind != T_BAD && strspn(s, "0123456789.") == n) {
				const char *hn = cell(g, h, k, &n);

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
			diag_warning(g->path, h->line, field_col(g, h, v[i].idx), "duplicate column "
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

static void
frame_end(struct imp *g)
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
		s = cell(g, h, k, &n);
		trim(&s, &n);
		headerless = (gtime(s, n, 1, &x, &clock) != T_BAD && clock && n > 10) ||
		    gtime(s, n, 2, &x, &clock) == T_LOCAL;
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
			(void)buf_printf(&list, "%s%s", k ? ", " : "", diag_q(cell(g, h, k, &n), n));
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

		s = cell(g, h, k, &n);
		trim(&s, &n);
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
static int
flush_rows(struct imp *g, int final)
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
		frame_end(g);
		start = i;
	}
	g->nrows = g->ncells = g->rowfirst = g->cblen = 0;
	g->flush_at = GRAFANA_CHUNK_ROWS;
	return 0;
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
	if (n == 0 || *l == '{' || *l == '[' || guess_delim(l, n) == 0)
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
		if (unit_word(g.o->unit, strlen(g.o->unit), &g.ofactor, &g.ounit) == -1) {
			diag_error(path, 0, 0, "unit %s is not a unit sloproof knows; expected ms, s, "
			    "%%, ratio, bytes, kB, MiB ...", diag_q(g.o->unit, (size_t)-1));
			return -1;
		}
	}
	if (g.o->timezone && (g.tz = tz_open(g.o->timezone)) == NULL) {
		diag_error(path, 0, 0, "time zone %s is not in the time zone database "
		    "(/usr/share/zoneinfo); expected an IANA name like Asia/Tehran or UTC",
		    diag_q(g.o->timezone, (size_t)-1));
		return -1;
	}
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
	    ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
		if ((conv = from_utf16(path, (const unsigned char *)data, len,
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
		g.delim = (unsigned char)guess_delim(data + i, len - i);
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
	if (flush_rows(&g, 1) == -1)
		goto out;
	for (i = nseries0; i < run->nseries; i++)
		series_finish(&run->series[i]);
	nofound = run->nseries - nseries0;
	if (g.o->series && nofound == 1) {
		struct series *s = &run->series[nseries0];

		s->name = arena_strdup(&run->arena, g.o->series);
		name_series(&g, &s->sel, g.o->series);
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
	frame_end(&g);
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
in_grafana_import_path(struct run *run, int src, const struct import_opts *o,
    const char *path, const char *display)
{
	struct source *s = &run->sources[src];
	struct stat st;
	void *base;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || fstat(fd, &st) == -1) {
		diag_syserr(display, "cannot read");
		if (fd != -1)
			close(fd);
		return -1;
	}
	s->size = (size_t)st.st_size;
	if (st.st_size == 0) {
		close(fd);
		return grafana_text(run, src, o, display, "", 0, 0);
	}
	base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (base == MAP_FAILED) {
		diag_syserr(display, "cannot map");
		return -1;
	}
	(void)madvise(base, (size_t)st.st_size, MADV_SEQUENTIAL);
	rc = grafana_text(run, src, o, display, base, (size_t)st.st_size, 1);
	munmap(base, (size_t)st.st_size);
	return rc;
}
