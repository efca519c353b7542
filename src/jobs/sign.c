/*
 * sign.c — `ssh-keygen -Y` as a child process: signing a manifest and
 * checking a signature (see sign.h). Owns nothing beyond one call.
 * Depends on buf, diag and fsio.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/termsafe.h"
#include "jobs/sign.h"

/*
 * Runs argv[0] (found on PATH) with stdin from in_path (or /dev/null) and
 * stdout plus stderr collected into out (bounded). Returns its exit
 * status, 127 when it could not be started, or -1 after a diagnostic.
 */
static int
run(const char *const argv[], const char *in_path, struct buf *out)
{
	int pfd[2], status, in;
	pid_t pid;
	char chunk[4096];
	ssize_t r;

	if (pipe(pfd) == -1) {
		diag_syserr(NULL, "cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		diag_syserr(NULL, "cannot start %s: %s", argv[0], strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		in = open(in_path ? in_path : "/dev/null", O_RDONLY | O_NOFOLLOW);
		if (in == -1)
			_exit(126);
		dup2(in, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		close(in);
		execvp(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		r = read(pfd[0], chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out->len < 8192)
			buf_add(out, chunk, (size_t)r);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			diag_syserr(NULL, "%s: %s", argv[0], strerror(errno));
			return -1;
		}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The first line of ssh-keygen's output, safe for a terminal. */
static const char *
first_line(struct buf *b, char *out, size_t n)
{
	const char *s = buf_str(b), *nl = strchr(s, '\n');
	size_t len = nl ? (size_t)(nl - s) : strlen(s);

	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	term_safe(s, len, out, n);
	return out[0] ? out : "no output";
}

int
sign_manifest(const char *key, const char *dir)
{
	char man[4096], line[512];
	struct buf out;
	int r;
	const char *argv[] = {"ssh-keygen", "-q", "-Y", "sign", "-f", key,
		"-n", SIGN_NAMESPACE, man, NULL};

	snprintf(man, sizeof man, "%s/MANIFEST.sha256", dir);
	if (access(key, R_OK) == -1) {
		diag_error(key, 0, 0, "--sign: cannot read the key: %s", strerror(errno));
		return -1;
	}
	if (fsio_fault() != 0) {
		diag_syserr(man, "cannot sign: %s", strerror(ENOSPC));
		return -1;
	}
	buf_init(&out, 16384);
	r = run(argv, NULL, &out);
	if (r == 127)
		diag_syserr(NULL, "--sign needs ssh-keygen (Debian package openssh-client) on PATH");
	else if (r != 0 && r != -1)
		diag_error(key, 0, 0, "--sign: ssh-keygen -Y sign failed: %s",
		    first_line(&out, line, sizeof line));
	buf_release(&out);
	return r == 0 ? 0 : -1;
}

int
sign_verify(const char *allowed, const char *dir, struct buf *who)
{
	char man[4096], sig[4096], line[512], *nl;
	struct buf out;
	int r;
	const char *find[] = {"ssh-keygen", "-Y", "find-principals", "-s", sig, "-f", allowed, NULL};
	const char *verify[] = {"ssh-keygen", "-Y", "verify", "-f", allowed, "-I", NULL,
		"-n", SIGN_NAMESPACE, "-s", sig, NULL};

	snprintf(man, sizeof man, "%s/MANIFEST.sha256", dir);
	snprintf(sig, sizeof sig, "%s/" SIGN_FILE, dir);
	if (access(allowed, R_OK) == -1) {
		diag_error(allowed, 0, 0, "--allowed-signers: cannot read: %s", strerror(errno));
		return -1;
	}
	buf_init(&out, 16384);
	r = run(find, NULL, &out);
	if (r == 127) {
		diag_syserr(NULL, "--allowed-signers needs ssh-keygen (Debian package openssh-client) on PATH");
		buf_release(&out);
		return -1;
	}
	if (r != 0) {
		buf_reset(who);
		buf_printf(who, " (no key in %s made it)", allowed);
		buf_release(&out);
		return r == -1 ? -1 : 1;
	}
	/* The first principal the key is allowed for. */
	nl = strchr(buf_str(&out), '\n');
	if (nl)
		*nl = '\0';
	buf_reset(who);
	buf_addstr(who, buf_str(&out));
	verify[6] = who->data;
	buf_reset(&out);
	r = run(verify, man, &out);
	if (r != 0) {
		first_line(&out, line, sizeof line);
		buf_reset(who);
		buf_printf(who, " (ssh-keygen: %s)", line);
		buf_release(&out);
		return r == -1 ? -1 : 1;
	}
	buf_release(&out);
	return 0;
}
