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

#include "util/arena.h"
#include "model/run.h"

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

/* Where a secret comes from: never the drill file itself. All NULL: no auth. */
struct capture_auth {
	char	*bearer_token_env;	/* the NAME of an environment variable */
	char	*bearer_token_file;	/* resolved path of a file holding the token */
	char	*basic_user;		/* with basic_password_env */
	char	*basic_password_env;
};

struct capture_query {
	char	*name;		/* a safe file name: [A-Za-z0-9_.-], not starting with '.' */
	char	*expr;		/* PromQL */
	long	 line, col;
};

/* The drill's `capture:` block (DESIGN.md §3): what `sloproof capture` records. */
struct capture_cfg {
	int			 present;
	int64_t			 step;		/* ms, query_range resolution (default 15 s) */
	char			*prom_url;	/* NULL: no Prometheus */
	struct capture_query	*queries;
	size_t			 nqueries;
	struct capture_auth	 prom_auth;
	char			*am_url;	/* NULL: no Alertmanager polling */
	int64_t			 am_interval;	/* ms (default 5 s) */
	struct capture_auth	 am_auth;
	char			*webhook_host;	/* NULL: no webhook receiver; else a loopback address */
	int			 webhook_port;
	char			*kube_namespace;	/* may be NULL: kubectl's current namespace */
	char			**hpas;
	size_t			 nhpas;
	int64_t			 kube_interval;	/* ms (default 15 s) */
	char			*kube_command;	/* default "kubectl" */
	char			*output;	/* resolved: the capture folder (default capture/ beside the drill) */
	long			 line, col;
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
	struct capture_cfg	 capture;	/* output is set even without a capture: block */
	size_t			 ncaptured;	/* evidence entries that came from OUTPUT/evidence.yaml */
};

/*
 * Reads and validates path; 0, or -1 after diagnostics at path:line:col.
 * Also merges what `sloproof capture` wrote into the capture folder, when
 * present: OUTPUT/faults.yaml (fault marks; a fault also in the drill file
 * keeps the drill's times, with a warning) and OUTPUT/evidence.yaml (the
 * captured files; one the drill already lists is not added twice).
 */
int	drill_load(struct drill *, const char *path);
/* drill_parse reads the drill file alone: no capture folder is consulted. */
int	drill_parse(struct drill *, const char *path, const char *text, size_t len);
/*
 * The capture folder's files, parsed alone (for tests and `capture --mark`):
 * faults.yaml into a fresh array (*out, *n; free() it, strings in arena),
 * allowing a fault with a start and no end yet (end INT64_MAX) when open_ok.
 */
int	drill_parse_faults(struct arena *, const char *path, const char *text, size_t len,
	    int open_ok, struct fault **out, size_t *n);
void	drill_release(struct drill *);
/*
 * Whether every evidence and attachment file the drill file names is
 * there: 0, or -1 after one diagnostic per missing file, at the line that
 * names it (with the near names in its folder). bundle calls it; capture
 * does not, since a drill's files may not exist until it has run.
 */
int	drill_check_files(const struct drill *);

/*
 * A folder name from a title: lowercase ASCII letters and digits, every
 * other run of bytes one '-', at most LIM_SLUG bytes, never empty ("drill"),
 * never "." or "..": always safe as one path component.
 */
void	drill_slug(const char *title, char *out, size_t n);

#endif
