/*
 * out_table.h — the verdict table people read in a terminal and paste
 * into a ticket: aligned columns, one row per SLO, the reasons for every
 * verdict that is not a pass, and a one-line tally.
 */
#ifndef OUT_TABLE_H
#define OUT_TABLE_H

#include <stddef.h>

struct buf;
struct run;
struct verdicts;

/* Appends the table to out; color adds ANSI colours to the verdicts. 0, or -1 (buf limit). */
int	out_table(struct buf *out, const struct verdicts *, const struct run *, int color);
/* "3 pass, 1 warn, 1 fail, 0 nodata" into out. */
int	out_tally(struct buf *out, const struct verdicts *);
struct score;
/* "83.3/100 (pass at 90, warn at 75): warn; key SLO "X" failed" into dst. */
void	out_score_text(const struct score *, char *dst, size_t n);
struct verdict;
/* A value of the verdict's kind as people read it: "1.742 s", "0.62 %", "2m05s". */
void	out_value_text(const struct verdict *, double, char *dst, size_t n);
/* The limit as people read it, "< 1.5 s", in dst. */
void	out_limit_text(const struct verdict *, char *dst, size_t n);
/* The evidence as "path:line", or "-" when there is none. */
void	out_evidence_text(const struct verdict *, const struct run *, char *dst, size_t n);

#endif
