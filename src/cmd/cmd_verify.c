/*
 * cmd_verify.c — `sloproof verify BUNDLE...`: re-hashes every file a
 * bundle's MANIFEST.sha256 lists and looks for files it does not list.
 * Exit 0 when everything matches, 1 on any difference, 3 when a bundle has
 * no readable manifest.
 */
#include <stdio.h>

#include "util/buf.h"
#include "jobs/bundle.h"
#include "cmd/cmd.h"

static const struct opt verify_opts[] = {
	{NULL, 0, NULL, NULL}
};

static int cmd_verify(int, char **);

const struct cmd cmd_verify_spec = {
	"verify", cmd_verify,
	"BUNDLE...",
	"re-check every checksum in a bundle's manifest",
	"Re-hashes every file listed in BUNDLE/MANIFEST.sha256 and reports, one line\n"
	"each, files that changed, are missing, or are in the bundle but not in the\n"
	"manifest. The same check as `sha256sum -c MANIFEST.sha256` inside the\n"
	"bundle, plus the files added since.",
	verify_opts,
	"  sloproof verify docs/demos/perf/2026-11-28/redis-outage\n",
	"0\tevery file matches its checksum, none is missing, none was added\n"
	"1\ta file changed, is missing, or is not in the manifest\n"
	"2\tusage error\n"
	"3\tno readable MANIFEST.sha256: not a bundle\n"
	"4\tsystem error (I/O, out of memory)\n",
};

static int
cmd_verify(int argc, char **argv)
{
	struct opts_state st;
	struct buf out;
	const char *arg;
	int key, r, status = EXIT_MET, i;

	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_verify_spec, &key, &arg)) == 1)
		if (key == 'h') {
			cmd_help(&cmd_verify_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		}
	if (r == -1 || st.npos == 0) {
		opts_release(&st);
		return r == -1 ? EXIT_USAGE :
		    cmd_usage_error(&cmd_verify_spec, "no bundle; name a bundle directory");
	}
	for (i = 0; i < st.npos; i++) {
		buf_init(&out, 1u << 24);
		r = bundle_verify(st.pos[i], &out);
		if (r == -1) {
			status = cmd_error_status();
		} else if (r == 1) {
			printf("%s: FAILED\n%s", st.pos[i], buf_str(&out));
			if (status == EXIT_MET)
				status = EXIT_SLO;
		} else {
			printf("%s: OK\n", st.pos[i]);
		}
		buf_release(&out);
	}
	opts_release(&st);
	return status;
}
