/*
 * drill.h — the drill file (DESIGN.md §3): what was rehearsed, when, with
 * which faults, which evidence and what people added by hand (attachments,
 * manual interventions, follow-up tickets, notes). Paths in it are
 * relative to the drill file; drill_load resolves them. The drill owns
 * everything reachable from it (its arena and arrays).
 */
#ifndef DRILL_H
#define DRILL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "run.h"

struct evidence_ref {
	char	*path;		/* as written in the drill file */
	char	*resolved;	/* relative to the current directory */
	char	*kind;		/* NULL: sniffed from content */
	char	*series;	/* the name of the file's single unnamed series */
	char	*unit;		/* the unit of its plain values */
	int	 have_captured_at;
	int64_t	 captured_at;
	long	 line, col;
};

struct attachment {
	char	*path;
	char	*resolved;
	long	 line, col;
};

struct intervention {
	int	 have_at;
	int64_t	 at;
	char	*what;
};

struct followup {
	char	*id, *title, *owner, *link;	/* owner and link may be NULL */
	int	 have_due;
	int64_t	 due;
};

struct drill {
	struct arena		 arena;
	char			*path;		/* the drill file, as given */
	char			*title;
	int			 have_date;
	int64_t			 date;		/* midnight UTC of the drill's date */
	char			*environment;	/* may be NULL */
	char			*timezone;	/* may be NULL */
	char			**slo;		/* resolved paths of the SLO files */
	size_t			 nslo;
	long			 slo_line, slo_col;
	char			*notes;		/* may be NULL */
	struct fault		*faults;
	size_t			 nfaults;
	struct evidence_ref	*evidence;
	size_t			 nevidence;
	struct attachment	*attachments;
	size_t			 nattachments;
	struct intervention	*interventions;
	size_t			 ninterventions;
	struct followup		*followups;
	size_t			 nfollowups;
};

/* Reads and validates path; 0, or -1 after diagnostics at path:line:col. */
int	drill_load(struct drill *, const char *path);
int	drill_parse(struct drill *, const char *path, const char *text, size_t len);
void	drill_release(struct drill *);

/*
 * A folder name from a title: lowercase ASCII letters and digits, every
 * other run of bytes one '-', at most LIM_SLUG bytes, never empty ("drill"),
 * never "." or "..": always safe as one path component.
 */
void	drill_slug(const char *title, char *out, size_t n);

#endif
