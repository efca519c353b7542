/*
 * grafana_imp.h — what the three files of the Grafana CSV importer share
 * (in_grafana.c: reading rows and the entry points; in_grafana_text.c:
 * values, units, times and encodings of single cells; in_grafana_frames.c:
 * layouts, series and the chunked reading of long frames). Private to
 * them: nothing else includes it.
 */
#ifndef GRAFANA_IMP_H
#define GRAFANA_IMP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "in/import.h"
#include "model/run.h"

struct tz;

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
	long		*hcol;		/* each header column's position, found in one pass */
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

enum { T_BAD = -1, T_UTC = 1, T_LOCAL = 2 };

/* in_grafana_text.c: one cell's text */
int	gf_unit_word(const char *s, size_t n, double *f, enum unit *u);
/* The unit a series name implies: Prometheus suffixes, or "(s)" at the end. */
int	gf_name_unit(const char *name, double *f, enum unit *u);
int	gf_is_missing(const char *s, size_t n);
/*
 * A cell's value: 1 and *v (canonical when the cell had a known unit,
 * unit, known and *scale, the factor it was multiplied by, set; an
 * unknown unit's text in ut and utn), 0 for a missing sample, -1 when it
 * is no number.
 */
int	gf_parse_value(const char *s, size_t n, double *v, enum unit *u, int *known,
	    const char **ut, size_t *utn, double *scale);
int	gf_num_at(const char *s, size_t n, size_t *i, int min, int max, int *out);
/* A time cell: T_UTC, T_LOCAL (wall time as if UTC) or T_BAD; *clock: a time of day was written. */
int	gf_time(const char *s, size_t n, int order, int64_t *ms, int *clock);
void	gf_fmt_off(long secs, char *dst, size_t n);
/* UTF-16 with a BOM into UTF-8; NULL after a diagnostic. */
char	*gf_from_utf16(const char *path, const unsigned char *d, size_t len, int be, size_t *outlen);
/* The delimiter a header line uses: the most common of ; TAB , outside quotes; 0 for none. */
unsigned char gf_guess_delim(const char *s, size_t n);

/* in_grafana.c: cells and positions of buffered rows */
long	gf_field_col(const struct imp *, const struct row *, size_t k);
/* gf_field_col of fields 0..n-1 of a row, in one pass over it. */
void	gf_field_cols(const struct imp *, const struct row *, long *out, size_t n);
const char *gf_cell(const struct imp *, const struct row *, size_t k, size_t *n);

/* in_grafana_frames.c */
/* Reads buffered rows into series (all of them when final); 0, or -1 after a diagnostic. */
int	gf_flush_rows(struct imp *, int final);
/* Frees the decisions about the frame being read. */
void	gf_frame_end(struct imp *);
void	gf_name_series(struct imp *, struct selector *, const char *text);

#endif
