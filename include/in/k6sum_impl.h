/*
 * k6sum_impl.h — what the three files of the k6 summary importer share
 * (in_k6sum.c: the document and its meta; in_k6sum_metric.c: one metric's
 * stats, rates and thresholds; in_k6sum_v1.c: the v1.5+ machine-readable
 * summary, every shape of its schema 1.0.0). Private to those files: no
 * other module includes it. The cJSON tree and the position list belong
 * to in_k6sum_import(); nothing here outlives one call.
 */
#ifndef K6SUM_IMPL_H
#define K6SUM_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util/jsonpos.h"
#include "model/run.h"

#define K6SUM_PF(a, b) __attribute__((format(printf, a, b)))

/* A set of strings borrowed from the cJSON tree, for duplicate names. */
struct strset {
	const char	**slot;
	size_t		  cap, n;
};

struct imp {
	struct run	*run;
	int		 src;
	const char	*path;
	struct jscan	 sc;
	struct strset	 names;		/* metric names seen in this document */
	int		 typed;		/* metrics are {type, contains, values} */
	int		 v1;		/* the machine-readable summary */
};

/* 1 when s was added, 0 when it was there already. */
int	k6s_strset_add(struct strset *, const char *s);
void	k6s_strset_release(struct strset *);

const struct jpos *k6s_jp(const struct imp *, uint32_t i);
struct origin k6s_origin(const struct imp *, uint32_t i);
/* Errors about a value point at it (at_value 1); about a name, at its key. -1. */
int	k6s_err(struct imp *, uint32_t at, int at_value, const char *fmt, ...) K6SUM_PF(4, 5);
void	k6s_warn(struct imp *, uint32_t at, const char *fmt, ...) K6SUM_PF(3, 4);
const char *k6s_q(const char *s);
/* Warns about the later members of a repeated key (only `only` when not NULL). */
void	k6s_dup_members(struct imp *, const cJSON *obj, uint32_t oi, const char *only,
	    const char *where);
int	k6s_is_count(double v);

/* One metric e at ei, named name whose key (or "name" member) is at `at`. */
int	k6s_metric(struct imp *, const cJSON *e, uint32_t ei, const char *name, uint32_t at);
/* An object keyed by name, or an array of objects with a "name". */
int	k6s_metrics(struct imp *, const cJSON *m, uint32_t mi);

/* Checks: an object keyed by name, an array of {name, passes, fails}. */
int	k6s_checks(struct imp *, const cJSON *cs, uint32_t csi, char *group);
int	k6s_check_list(struct imp *, const cJSON *cs, uint32_t csi, char *group);
int	k6s_groups(struct imp *, const cJSON *gs, uint32_t gsi, const char *parent);
void	k6s_meta(struct imp *, const cJSON *root);

/* The v1.5+ machine-readable summary: root has "results". */
int	k6s_v1_doc(struct imp *, const cJSON *root);
/* v1 checks: an array, or an object of "metrics" and the per-check list. */
int	k6s_v1_checks(struct imp *, const cJSON *cs, uint32_t csi, char *group);

#endif
