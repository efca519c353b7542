/*
 * k6raw_imp.h — what the files of the k6 raw importer share: in_k6raw.c
 * (tables, merging parts and files, entry points), in_k6raw_scan.c (the
 * line scanner), in_k6raw_read.c (reading a mapped file in parallel parts
 * or a stream, gzip and zstd) and in_k6raw_derive.c (summaries and series
 * from the histograms). Private to them.
 */
#ifndef K6RAW_IMP_H
#define K6RAW_IMP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "model/hist.h"
#include "model/run.h"
#include "util/splimits.h"

struct import_opts;

#define FORMAT		"k6-raw-ndjson"
#define NBAD		5		/* bad lines reported by number */
#define MAXPARTS	8
#define STREAM_BUF	(4u * 1024 * 1024)
#define DROP_BEHIND	(4u * 1024 * 1024)	/* unmap parsed bytes this often: flat RSS */

enum why { BAD_JSON, BAD_TRUNCATED, BAD_LONG, BAD_TIME, BAD_VALUE, BAD_TYPE, BAD_FIELDS, NWHY };

struct conf {
	int64_t		 window_ms;
	int		 nsplit;
	const char	*split[LIM_K6RAW_SPLIT];
	size_t		 splitlen[LIM_K6RAW_SPLIT];
};

struct metric {
	char		*name;		/* decoded */
	size_t		 len;
	uint64_t	 hash;
	int		 declared;
	enum metric_type type;
	int		 contains;	/* 0 default/unknown, 1 time, 2 data */
	char		**thr;		/* thresholds, decoded */
	size_t		 nthr;
	uint64_t	 decl_line;
	uint32_t	 c_tagset;	/* the last histogram used: most points hit it again */
	int64_t		 c_win;
	uint32_t	 c_hent;
};

/* A split-tag value set: per split tag a uint32 length (UINT32_MAX: absent) and the bytes. */
struct tagset {
	char		*key;
	size_t		 len;
	uint64_t	 hash;
};

struct hent {
	uint32_t	 metric, tagset;
	int64_t		 win;
	uint64_t	 line;		/* first point's line, relative to the part */
	int		 src;		/* the source it came from */
	struct hist	 h;
};

struct table {			/* open addressing over indices + 1 */
	uint32_t	*slot;
	size_t		 cap;
};

struct bad {
	uint64_t	 line;
	enum why	 why;
};

struct part {
	const struct conf *conf;
	int		 src;
	struct metric	*m;
	size_t		 nm, capm;
	struct table	 mt;
	struct tagset	*ts;
	size_t		 nts, capts;
	struct table	 tt;
	struct hent	*he;
	size_t		 nhe, caphe;
	struct table	 ht;

	uint64_t	 lines, points, nbad, bywhy[NWHY];
	struct bad	 bad[NBAD];
	uint64_t	 dropped_points;	/* past LIM_K6RAW_METRICS or LIM_K6RAW_HISTS */
	int		 tag_overflow;		/* tag sets past LIM_K6RAW_TAGSETS were folded */
	int		 exploded;		/* the split tag with the most values then */
	int		 have_t;
	int64_t		 tmin, tmax;
	int		 skip_first;		/* streaming: the chunk starts inside a long line */

	char		 prev_tags[2048];	/* the last tags object, byte for byte */
	size_t		 prev_tags_len;
	uint32_t	 prev_tagset;
	char		 prev_time[48];
	size_t		 prev_time_len;
	int64_t		 prev_time_ms;
	char		 hour_key[13];		/* "YYYY-MM-DDTHH" of the last time */
	int64_t		 hour_ms;

	/* what one line said (parse scratch) */
	const char	*sv[LIM_K6RAW_SPLIT];
	size_t		 sl[LIM_K6RAW_SPLIT];

	/* mapped-file mode */
	const char	*base;
	size_t		 from, to;
	uint64_t	 line0;			/* lines before this part: set after the join */
	_Atomic uint64_t done;			/* bytes and lines parsed, for the progress line */
	_Atomic uint64_t done_lines;
};


/* Set on a thread that reads a file ahead: no progress line on the terminal. */
extern _Thread_local int k6r_quiet;

uint64_t	k6r_hash_bytes(const void *p, size_t n, uint64_t h);
void	k6r_part_init(struct part *p, const struct conf *c);
void	k6r_part_release(struct part *p);
long	k6r_metric_intern(struct part *p, const char *s, size_t n);
long	k6r_tagset_find(const struct part *p, const char *key, size_t n, uint64_t h);
uint32_t	k6r_tagset_add(struct part *p, const char *key, size_t n, uint64_t h);
void	k6r_key_values(const struct conf *c, const char *key, const char **v, size_t *l);
uint32_t	k6r_tagset_intern(struct part *p);
struct hist *k6r_hent_get(struct part *p, uint32_t m, uint32_t t, int64_t w, uint64_t line);
void	k6r_builtin(const char *name, enum metric_type *type, int *contains);
char *k6r_str_decode(const char *s, size_t n, size_t *outlen);
void	k6r_bad_line(struct part *p, uint64_t line, enum why why);
void	k6r_parse_chunk(struct part *p, const char *s, size_t n);
int	k6r_read_mapped(struct part *parts, int *nparts, int fd, size_t size, const char *display, char *sha);
int	k6r_read_stream(struct part *p, int fd, int codec, uint64_t size_hint, const char *display, char *sha, size_t *nbytes);
void	k6r_derive(struct run *run, struct part *g);
void	k6r_store(struct run *run, struct part *g);

#endif
