/*
 * yamlr.h — the YAML reader: one document into a small tree of scalars,
 * mappings and sequences, each node knowing its 1-based line and column.
 * A stream of several documents (`---` between them) is read only when
 * asked for (ydoc_load_stream: OpenSLO files are such streams).
 * The tree lives in the document's arena; nothing points into libyaml's
 * memory. Depth and node count are bounded (splimits.h). Anchors, aliases
 * and tags other than the core ones are refused: rule and drill files do
 * not need them and they make errors hard to place.
 */
#ifndef YAMLR_H
#define YAMLR_H

#include <stddef.h>

#include "util/arena.h"

enum ynode_type {
	Y_SCALAR,
	Y_MAP,
	Y_SEQ
};

struct ypair;

struct ynode {
	enum ynode_type	 type;
	long		 line, col;	/* 1-based */
	char		*value;		/* Y_SCALAR: the text, NUL-terminated */
	size_t		 len;
	int		 plain;		/* Y_SCALAR: unquoted (so `null` means null) */
	struct ynode	**items;	/* Y_SEQ */
	struct ypair	*pairs;		/* Y_MAP, in file order */
	size_t		 n;		/* items or pairs */
};

struct ypair {
	struct ynode	*key;		/* always a scalar */
	struct ynode	*value;
};

struct ydoc {
	struct arena	 arena;
	struct ynode	*root;		/* NULL for an empty document; a stream's first */
	struct ynode	**docs;		/* ydoc_load_stream: each document's root (NULL: empty) */
	size_t		 ndocs;
	const char	*path;		/* for diagnostics; not owned */
};

/* Parses text; 0, or -1 after a diagnostic at path:line:col. */
int		 ydoc_load(struct ydoc *, const char *path, const char *text, size_t len);
/* Every document of a stream into docs/ndocs; 0, or -1 after a diagnostic. */
int		 ydoc_load_stream(struct ydoc *, const char *path, const char *text, size_t len);
void		 ydoc_release(struct ydoc *);

/* The value under key in a mapping, or NULL. */
const struct ynode *ymap_get(const struct ynode *map, const char *key);
/* "a mapping", "a sequence", "a scalar": for messages. */
const char	*ynode_what(const struct ynode *);
/* Reports any key of map not in allowed (NULL-terminated); 0, or -1. */
int		 ymap_check_keys(const char *path, const struct ynode *map,
		    const char *const allowed[], const char *context);
/* A plain scalar that YAML reads as null (`~`, `null`, empty). */
int		 ynode_is_null(const struct ynode *);

#endif
