/*
 * jsonpos.h — a validating JSON scanner that knows where things are. It
 * checks the syntax with an exact line:col for every error (cJSON says
 * neither what nor where) and records, for each value in document order,
 * where its key and the value start and where its subtree ends, so an
 * importer walking cJSON's tree can cite positions. The scanner owns its
 * position list (jscan_release); it borrows the text and never copies it.
 */
#ifndef JSONPOS_H
#define JSONPOS_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;

/* Where one JSON value is: its key (the value itself in an array) and its subtree. */
struct jpos {
	uint32_t	kline, kcol;
	uint32_t	vline, vcol;
	uint32_t	end;		/* index just past the value's subtree */
};

struct jscan {
	const char	*path;		/* for diagnostics */
	const char	*s;
	size_t		 n, i;		/* the text and the cursor */
	size_t		 coff;		/* line:col cursor; cheapest when asked in order */
	uint32_t	 cline, ccol;
	struct jpos	*pos;
	size_t		 npos, cappos;
	size_t		 maxpos;	/* LIM_JSON_VALUES, or what the environment raised it to */
};

void	jscan_init(struct jscan *, const char *path, const char *s, size_t n);
void	jscan_release(struct jscan *);

/*
 * One value from the cursor (after white space), which is left just past
 * it; positions are appended. 0, or -1 after a diagnostic.
 */
int	jscan_value(struct jscan *);
/* The whole text is one value and white space: resets, then scans. 0, or -1. */
int	jscan_doc(struct jscan *);
void	jscan_ws(struct jscan *);

/* The 1-based line and column (in UTF-8 characters) of byte offset off. */
void	jscan_at(struct jscan *, size_t off, uint32_t *line, uint32_t *col);
/* The same for one offset of s, without a scanner: 1-based line and column (code points). */
void	json_line_col(const char *s, size_t off, long *line, long *col);
/* Reports an error at byte offset off; returns -1. */
int	jscan_fail(struct jscan *, size_t off, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The character at off (all bytes of a UTF-8 sequence), quoted by diag_q. */
const char *jscan_found(const struct jscan *, size_t off);

/* The position of value i (a zeroed one when i is out of range). */
const struct jpos *jscan_pos(const struct jscan *, uint32_t i);
/*
 * The first member of obj (at position oi) named key, case-sensitive,
 * with its position index in *idx; NULL when obj is no object or has none.
 */
const struct cJSON *jscan_member(const struct jscan *, const struct cJSON *obj, uint32_t oi,
	    const char *key, uint32_t *idx);
/* The next sibling's position index after child ci. */
uint32_t jscan_next(const struct jscan *, uint32_t ci);
/* "a string", "an object", ... for messages. */
const char *jscan_type(const struct cJSON *);

/* Whether the n bytes at s contain the quoted "key" (for sniffing: no parse). */
int	jscan_has_key(const char *s, size_t n, const char *key);

#endif
