/*
 * out_inspect.h — a run as text for people debugging a capture: what each
 * input was detected as, and every metric, threshold and check imported.
 */
#ifndef OUT_INSPECT_H
#define OUT_INSPECT_H

struct buf;
struct run;

int	out_inspect(struct buf *out, const struct run *);

#endif
