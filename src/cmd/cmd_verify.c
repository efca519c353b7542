/*
 * cmd_verify.c — `sloproof verify BUNDLE...`: re-hashes every file a
 * bundle's MANIFEST.sha256 lists and looks for files it does not list.
 * Exit 0 when everything matches, 1 on any difference, 3 when a bundle has
 * no readable manifest.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "jobs/bundle.h"
#include "util/termsafe.h"
#include "cmd/cmd.h"

enum { OPT_ALLOWED = 256 };

static const struct opt verify_opts[] = {
	{"allowed-signers", OPT_ALLOWED, "FILE", "require a good SSH signature by a key FILE allows (ssh-keygen ALLOWED SIGNERS format)"},
	{NULL, 0, NULL, NULL}
};

static int cmd_verify(int, char **);

const struct cmd cmd_verify_spec = {
	"verify", cmd_verify,
	"[--allowed-signers FILE] BUNDLE...",
	"re-check every checksum in a bundle's manifest",
	"Re-hashes every file listed in BUNDLE/MANIFEST.sha256 and reports, one line\n"
	"each, what is wrong, its kind first:\n\n"
	"  changed: FILE       its bytes differ from the manifest's checksum\n"
	"  missing: FILE       listed (or every bundle has one) but not there\n"
	"  extra: FILE         in the bundle but not in the manifest\n"
	"  not in the manifest: FILE   summary.json, report.md or drill.yaml unlisted\n"
	"  empty manifest      the manifest lists nothing\n"
	"  listed twice: FILE  a manifest line repeats a file\n"
	"  not a regular file: FILE    a symlink, FIFO or device inside the bundle\n"
	"  missing evidence: FILE      summary.json names it, the bundle lacks it\n"
	"  evidence differs from summary.json: FILE   not the bytes that were judged\n"
	"  unreadable: summary.json    its evidence list cannot be checked\n"
	"  not signed / bad signature  with --allowed-signers\n\n"
	"A consistent edit of a file and the manifest passes the checksums; only a\n"
	"signature catches it. Bundles made with `bundle --sign KEY` carry\n"
	"MANIFEST.sha256.sig, checked with `ssh-keygen -Y verify` in the namespace\n"
	"\"sloproof\" against FILE, one line per signer:\n\n"
	"  sre@example.com namespaces=\"sloproof\" ssh-ed25519 AAAAC3Nza...\n\n"
	"Exit 0 when the bundle is whole, 1 when anything is wrong, 3 when BUNDLE\n"
	"has no readable manifest.",
	verify_opts,
	"  sloproof verify docs/demos/perf/2026-11-28/redis-outage\n"
	"  sloproof verify --allowed-signers allowed_signers BUNDLE\n",
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
	struct buf out, signer;
	struct verify_opts vo;
	const char *arg;
	int key, r, status = EXIT_MET, i;

	memset(&vo, 0, sizeof vo);
	vo.signer = &signer;
	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_verify_spec, &key, &arg)) == 1) {
		if (key == 'h') {
			cmd_help(&cmd_verify_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		}
		if (key == OPT_ALLOWED)
			vo.allowed_signers = arg;
	}
	if (r == -1 || st.npos == 0) {
		opts_release(&st);
		return r == -1 ? EXIT_USAGE :
		    cmd_usage_error(&cmd_verify_spec, "no bundle; name a bundle directory");
	}
	for (i = 0; i < st.npos; i++) {
		char name[1024];

		buf_init(&out, 1u << 24);
		buf_init(&signer, 4096);
		term_safe(st.pos[i], (size_t)-1, name, sizeof name);
		r = bundle_verify(st.pos[i], &vo, &out);
		if (r == -1) {
			status = cmd_error_status();
		} else if (r == 1) {
			printf("%s: FAILED\n%s", name, buf_str(&out));
			if (status == EXIT_MET)
				status = EXIT_SLO;
		} else if (signer.len) {
			char who[512];

			term_safe(buf_str(&signer), signer.len, who, sizeof who);
			printf("%s: OK, signed by %s\n", name, who);
		} else {
			printf("%s: OK\n", name);
		}
		buf_release(&signer);
		buf_release(&out);
	}
	opts_release(&st);
	return status;
}
