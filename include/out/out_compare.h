/*
 * out_compare.h — a comparison (compare.h) as an aligned text table for
 * the terminal or as Markdown. Reads the report; owns nothing.
 */
#ifndef OUT_COMPARE_H
#define OUT_COMPARE_H

struct buf;
struct cmp_report;

/* Text: a heading line, the SLO table, the metric table, a closing line. 0, or -1 when out is full. */
int	out_compare_text(struct buf *out, const struct cmp_report *, int color);
/* The same as a Markdown section, ready to paste. */
int	out_compare_md(struct buf *out, const struct cmp_report *);

#endif
