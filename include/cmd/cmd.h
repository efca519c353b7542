/*
 * cmd.h — the command line: one table of subcommands (main.c), each with
 * its usage, options and function side by side (cmd_*.c). Every option is
 * declared once, in a struct opt, and that one declaration feeds both the
 * parser and --help. Only main.c and cmd_*.c decide exit statuses.
 */
#ifndef CMD_H
#define CMD_H

#include <stdint.h>
#include <stdio.h>

struct buf;
struct opts_state;

enum exit_status {
	EXIT_MET = 0,		/* all SLOs met (pass or warn) */
	EXIT_SLO = 1,		/* an SLO failed or had no data */
	EXIT_USAGE = 2,		/* the command line is wrong */
	EXIT_INPUT = 3,		/* bad input: nothing was written */
	EXIT_SYSTEM = 4		/* I/O error, out of memory */
};

struct opt {
	const char	*name;	/* long name without "--" */
	int		 key;	/* short letter or a value > 255 */
	const char	*arg;	/* argument name for help, NULL for a flag */
	const char	*help;
};

struct cmd {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;		/* after "sloproof NAME " */
	const char	*summary;	/* one line, for `sloproof --help` */
	const char	*description;	/* paragraphs for `sloproof NAME --help` */
	const struct opt *opts;		/* ends with a NULL name */
	const char	*examples;
	/*
	 * This command's own exit statuses, one "N\tmeaning\n" line each, for
	 * --help and the man page. NULL: the generic table (exit_generic).
	 */
	const char	*exits;
};

/*
 * After the option loop of a command that takes exactly one operand:
 * r is opts_next's last result. 0 when all is well; else st is released
 * and the exit status is returned (usage: many or none says what was wrong).
 */
int	opts_end_one(struct opts_state *, int r, const struct cmd *, const char *many,
	    const char *none);
/* Writes b to path (replaced whole), or to stdout when path is "-". 0, or -1 after a diagnostic. */
int	cmd_write_output(const char *path, const struct buf *b);

/* The exit statuses of the commands that gate on SLOs (check, bundle). */
extern const char exit_generic[];

struct opts_state {
	int		 argc;
	char		**argv;
	int		 i;		/* next argv index */
	char		**pos;		/* positional arguments, in order */
	int		 npos;
	int		 done;		/* "--" seen */
};

/* Starts parsing argv[1..] of a subcommand. */
void	opts_init(struct opts_state *, int argc, char **argv);
/*
 * The next option: 1 with *key and *arg set; 0 when argv is exhausted
 * (positional arguments are in st->pos); -1 after a usage message on
 * stderr. --help is returned as key 'h'.
 */
int	opts_next(struct opts_state *, const struct cmd *, int *key, const char **arg);
void	opts_release(struct opts_state *);

/* An option as --help shows it: "-o, --out ROOT" or "    --json FILE". */
void	opt_label(const struct opt *, char *dst, size_t n);
/* The man page, in roff, from the same tables as --help. */
void	cmd_man(FILE *f, const char *version);
/* Every command, in the order `sloproof --help` lists them (main.c). */
const struct cmd *const *cmd_all(size_t *n);
/* "unknown command X; did you mean Y?" on stderr; returns EXIT_USAGE. */
int	cmd_unknown_command(const char *name);
/* Prints the full help of a command to f. */
void	cmd_help(const struct cmd *, FILE *f);
/* The overview `sloproof --help` and `sloproof help` print: every command, one line each. */
void	cmd_list(FILE *f);
/* "sloproof NAME: error: MSG" + "usage: ..." on stderr; returns EXIT_USAGE. */
int	cmd_usage_error(const struct cmd *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Whether to colour output on stdout (a terminal, NO_COLOR unset, TERM not dumb). */
int	cmd_color(int flag_no_color);
/* The exit status for the errors reported so far (diag), at least EXIT_INPUT. */
int	cmd_error_status(void);
/*
 * --fault NAME=START..END (RFC 3339 times): the name's length in *namelen
 * (it is arg's first bytes), the times in ms. 0, or -1 when malformed; the
 * caller decides whether START == END may stand.
 */
int	opt_fault(const char *arg, size_t *namelen, int64_t *start, int64_t *end);

extern const struct cmd cmd_bundle_spec;
extern const struct cmd cmd_chart_spec;
extern const struct cmd cmd_capture_spec;
extern const struct cmd cmd_check_spec;
extern const struct cmd cmd_compare_spec;
extern const struct cmd cmd_digest_spec;
extern const struct cmd cmd_inspect_spec;
extern const struct cmd cmd_publish_spec;
extern const struct cmd cmd_verify_spec;
extern const struct cmd cmd_help_spec;
extern const struct cmd cmd_init_spec;

#endif
