/*
 * diag.h — diagnostics, the one way library code reports trouble:
 *
 *	sloproof: FILE:LINE:COL: error: message
 *
 * lowercase, no full stop, the bad value quoted (diag_q). LINE and COL are
 * 1-based; 0 leaves them out. Library functions print through here and
 * return -1; only main.c and cmd_*.c turn the worst class seen into an exit
 * status (diag_status): 3 for bad input, 4 for a system error.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>
#include <stdio.h>

#define PF(a, b) __attribute__((format(printf, a, b)))

/* Bad input: the user's file is wrong. Exit status 3. */
void	diag_error(const char *file, long line, long col, const char *fmt, ...) PF(4, 5);
/* The machine failed us (I/O, out of memory). Exit status 4. */
void	diag_syserr(const char *file, const char *fmt, ...) PF(2, 3);
/* Worth knowing, changes no status. */
void	diag_warning(const char *file, long line, long col, const char *fmt, ...) PF(4, 5);

/* 0 when no error was reported since diag_reset, else 3 or 4 (the worst). */
int	diag_status(void);
size_t	diag_warnings(void);
void	diag_reset(void);
/* Where messages go (stderr by default); unit tests capture them. */
void	diag_set_stream(FILE *);

/*
 * Work done ahead on another thread (k6 raw files read in parallel) keeps
 * its messages apart, so that they appear in input order: diag_capture
 * sends the calling thread's messages to f and counts them apart;
 * diag_capture_end stops that and hands back the counts; diag_replay,
 * later on the main thread, prints what was captured and counts it as if
 * it had happened then.
 */
struct diag_held {
	int	 worst;
	size_t	 nwarn;
};
void	diag_capture(FILE *f);
void	diag_capture_end(struct diag_held *);
void	diag_replay(const char *text, size_t n, const struct diag_held *);

/*
 * The first n bytes of s (n = (size_t)-1: up to the NUL) as a double-quoted,
 * escaped, length-bounded string for a message. Four calls' results stay
 * valid at once, per thread.
 */
const char *diag_q(const char *s, size_t n);

#undef PF
#endif
