/*
 * out/tmpl_parts.h — what tmpl.c, tmpl_compile.c and tmpl_render.c share: the compiled form
 * of a template (nodes, paths, filters) and the helpers each part calls.
 * Private to src/out/tmpl*.c.
 */
#ifndef OUT_TMPL_PARTS_H
#define OUT_TMPL_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "out/tmpl.h"
#include "util/arena.h"

/* ------------------------------------------------------- compiled form */

enum filter {
	F_DEFAULT,
	F_BLOCK,
	F_CELL,
	F_CODE,
	F_HTML,
	F_RAW,
	F_TEXT,
	F_URL
};

/* Bits of enum tmpl_format. */
#define FMT_MD		(1 << TMPL_MARKDOWN)
#define FMT_HTML	(1 << TMPL_HTML)
#define FMT_TEXT	(1 << TMPL_TEXT)

static const struct {
	const char	*name;
	enum filter	 f;
	int		 formats;	/* where it may be used */
} filters[] = {
	{ "block",	F_BLOCK,	FMT_MD },
	{ "cell",	F_CELL,		FMT_MD },
	{ "code",	F_CODE,		FMT_MD },
	{ "html",	F_HTML,		FMT_MD | FMT_HTML },
	{ "raw",	F_RAW,		FMT_MD | FMT_HTML | FMT_TEXT },
	{ "text",	F_TEXT,		FMT_TEXT },
	{ "url",	F_URL,		FMT_MD | FMT_HTML | FMT_TEXT },
};

enum special {
	SP_NONE,
	SP_DOT,		/* .: the current item */
	SP_INDEX,	/* @index */
	SP_FIRST,	/* @first */
	SP_LAST		/* @last */
};

struct comp {
	const char	*s;
	size_t		 len;
	uint32_t	 hash;
};

struct path {
	const char	*text;		/* as written */
	size_t		 len;
	struct comp	*comp;
	size_t		 ncomp;
	enum special	 sp;
};

enum nkind {
	N_TEXT,
	N_VAR,
	N_SECTION,
	N_INVERTED
};

struct node {
	enum nkind	 kind;
	enum filter	 filter;	/* N_VAR */
	size_t		 off, len;	/* N_TEXT: bytes of the template text */
	struct path	 path;		/* N_VAR and sections */
	size_t		 end;		/* sections: the node after the body */
	long		 line, col;	/* of the tag's "{{" */
};

struct tmpl {
	char		*name;
	char		*text;
	size_t		 len;
	enum tmpl_format fmt;
	struct node	*nodes;
	size_t		 nnodes, cap;
	struct arena	 arena;		/* paths */
	char		*link_base;	/* prefix of relative links, or NULL */
};


/* Values (tmpl.c). */

/* Maps scan their entries while small; past this many keys they get a hash index. */
#define MAP_SMALL 8

struct tv_entry {
	const char	*key;
	size_t		 klen;
	uint32_t	 hash;
	struct tval	*val;
	struct tv_entry	*next;		/* insertion order */
};

struct tval {
	enum tv_type	 type;
	int		 b;		/* TV_BOOL */
	const char	*s;		/* TV_STR, NUL-terminated */
	size_t		 len;		/* TV_STR: bytes of s */
	size_t		 n;		/* TV_LIST: items; TV_MAP: entries */
	struct tval	*next;		/* the next item of the list holding this value */
	struct tval	*head, *tail;	/* TV_LIST */
	struct tv_entry	*ehead, *etail;	/* TV_MAP, in insertion order */
	struct tv_entry	**index;	/* TV_MAP: open addressing, NULL while small */
	size_t		 icap;		/* a power of two, at least twice n */
};

int	tmpl_is_digit(int c);
int	tmpl_is_alnum(int c);
int	tmpl_valid_name(const char *s, size_t n);
uint32_t	tmpl_hash(const char *s, size_t n);
struct tv_entry *	tmpl_map_find(const struct tval *m, const char *key, size_t klen, uint32_t h);
long	tmpl_cp_at(const unsigned char *s, size_t n, size_t i, size_t *len);
int	tmpl_is_control(long cp);
int	tmpl_is_space(int c);

#endif
