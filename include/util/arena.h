/*
 * arena.h — a bump allocator: everything allocated from an arena is freed
 * at once by arena_release. A run keeps its strings here, so nothing in the
 * model points into a parser's memory and nothing is freed piecemeal.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;
};

void	 arena_init(struct arena *);
void	 arena_release(struct arena *);
void	*arena_alloc(struct arena *, size_t);	/* zeroed, aligned for any type */
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
/* Moves every chunk of from into to; from is left empty. Pointers stay valid. */
void	 arena_adopt(struct arena *to, struct arena *from);

#endif
