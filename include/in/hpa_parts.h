/*
 * in/hpa_parts.h — what in_hpa.c, in_hpa_text.c and in_hpa_tree.c share: the parse
 * context, the line and per-HPA trackers, and the helpers each part calls.
 * Private to src/in/in_hpa*.c.
 */
#ifndef IN_HPA_PARTS_H
#define IN_HPA_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "model/run.h"
#include "util/yamlr.h"

#define SEC	INT64_C(1000)
#define NOTHPA	"not kubectl hpa output: expected `Name:` (kubectl describe hpa), " \
		"a NAME REFERENCE TARGETS header (kubectl get hpa), or an " \
		"HorizontalPodAutoscaler object (-o yaml|json)"

struct line {
	const char	*s;
	size_t		 n;
	long		 no;
};

/* One HPA seen by `kubectl get`, across the rows that name it. */
struct tracker {
	char		*ns, *name;	/* arena */
	unsigned	 anchor_seq;	/* the anchor its reference row used */
	int		 have_ref;	/* a row with a known time and age */
	int64_t		 ref_t, ref_age, ref_res;
	int		 have_prev;
	int		 prev_replicas;
	int		 prev_have_t;
	int64_t		 prev_t, prev_err;
	size_t		 rows;
};

struct hctx {
	struct run		*run;
	int			 src;
	const char		*path;
	const char		*data;
	size_t			 len, off;
	long			 lineno;
	int			 fixed;		/* opts->captured_at: date lines are ignored */
	int			 have_anchor;
	int64_t			 anchor;
	unsigned		 anchor_seq;
	size_t			 records;
	struct tracker		*trk;
	size_t			 ntrk, captrk;
};


struct coll {
	struct hpa_state	 st;	/* strings in the arena; arrays below */
	struct hpa_metric	*m;
	size_t			 nm, capm;
	struct hpa_condition	*c;
	size_t			 nc, capc;
	int			 open;
};

struct gethdr {
	int	seen;
	int	ns;		/* a NAMESPACE column first */
};

int	hpa_is_ws(int c);
int	hpa_next_line(struct hctx *h, struct line *ln);
int	hpa_blank(const char *s, size_t n);
int	hpa_tok(const char *s, size_t n, size_t *i, size_t *ts, size_t *tn);
int	hpa_eq(const char *s, size_t n, const char *lit);
int	hpa_starts(const char *s, size_t n, const char *lit);
char *	hpa_dup(struct hctx *h, const char *s, size_t n);
const char *	hpa_mem_find(const char *s, size_t n, const char *lit);
int	hpa_all_digits(const char *s, size_t n);
int	hpa_parse_count(const char *s, size_t n, int *out);
int	hpa_bad_count(struct hctx *h, long line, long col, const char *s, size_t n, const char *what);
int	hpa_parse_age(const char *s, size_t n, int64_t *ms, int64_t *res);
int	hpa_age_unknown(const char *s, size_t n);
int	hpa_bad_age(struct hctx *h, long line, long col, const char *s, size_t n);
int	hpa_parse_value(const char *s, size_t n, double *v, int *percent);
int	hpa_parse_rfc1123z(const char *s, size_t n, int64_t *ms);
int	hpa_take_date(struct hctx *h, const struct line *ln);
int	hpa_count_record(struct hctx *h, long line);
struct scale_event *	hpa_add_event(struct hctx *h, const char *target, long line, long col);
struct hpa_metric *	hpa_coll_metric(struct hctx *h, struct coll *c, long line);
struct hpa_condition *	hpa_coll_cond(struct hctx *h, struct coll *c, long line);
void	hpa_coll_start(struct hctx *h, struct coll *c, long line);
int	hpa_coll_flush(struct hctx *h, struct coll *c);
void	hpa_coll_release(struct coll *c);
size_t	hpa_describe_label(const char *s, size_t n);
int	hpa_event_row(const char *s, size_t n);
int	hpa_import_describe(struct hctx *h);
int	hpa_get_header(const char *s, size_t n, struct gethdr *g);
int	hpa_get_row_shape(const char *s, size_t n, int ns);
int	hpa_import_get(struct hctx *h);
int	hpa_import_json(struct hctx *h, const char *text, size_t n);
int	hpa_import_yaml(struct hctx *h, const char *text, size_t n);

#endif
