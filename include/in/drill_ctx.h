/*
 * drill_ctx.h — inside the drill reader only (drill.c, drill_capture.c):
 * the reading context and the checked scalar readers both files use. Each
 * reader reports at the node's line and column and returns -1, else 0.
 */
#ifndef DRILL_CTX_H
#define DRILL_CTX_H

#include <stdint.h>

#include "in/drill.h"
#include "util/yamlr.h"

struct ctx {
	struct drill	*d;
	const char	*path;
	char		*dir;	/* the drill file's directory, "" for the current one */
};

/* The keys a fault may have (faults: in the drill file and in faults.yaml). */
extern const char *const drill_fault_keys[];

int	drill_str(struct ctx *, const struct ynode *, const char *key, char **out);
int	drill_need(struct ctx *, const struct ynode *map, const char *key, const char *what,
	    const struct ynode **out);
int	drill_when(struct ctx *, const struct ynode *, const char *key, int64_t *ms);
int	drill_day(struct ctx *, const struct ynode *, const char *key, int64_t *ms);
/* A path as written, and resolved relative to the drill file. */
int	drill_resolve(struct ctx *, const struct ynode *, const char *key, char **as_written,
	    char **resolved);
int	drill_list(struct ctx *, const struct ynode *, const char *key);
int	drill_faults(struct ctx *, const struct ynode *seq);

/* drill_capture.c: the capture: block, and the capture folder's files. */
void	drill_output_dir(struct ctx *, const char *written);
int	drill_capture_block(struct ctx *, const struct ynode *);
int	drill_merge_faults(struct drill *);
int	drill_merge_evidence(struct drill *);

#endif
