/*
 * domain.h — values outside their metric type's domain are bad input, not
 * data (normalize step): a k6 rate outside 0..1, a negative count, a
 * negative time (a trend of durations, a duration series). Each is an
 * error at the evidence's file:line, so check and bundle exit 3 and write
 * nothing, instead of judging a value no tool can have measured.
 */
#ifndef NORM_DOMAIN_H
#define NORM_DOMAIN_H

#include "model/run.h"

/* 0, or -1 after one diagnostic per offending metric or series. */
int	norm_domain(const struct run *);

#endif
