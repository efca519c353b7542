/*
 * capture_exec.c — running kubectl for `sloproof capture`: a child
 * process without a shell, with a timeout and bounded output, and the
 * records it leaves ("# captured_at: T" then the output). Owns its child
 * processes until they are reaped. Depends on buf, fsio, timeutil.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "util/buf.h"
#include "jobs/capture.h"
#include "jobs/capture_int.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "util/timeutil.h"

#define KUBECTL_TIMEOUT_MS	10000

/* ---- running kubectl ---------------------------------------------------- */

int
capture_exec(char *const argv[], int timeout_ms, struct buf *out, char *err, size_t errn)
{
	int op[2], ep[2], status, open_fds = 2, killed = 0, toobig = 0;
	struct buf eb;
	pid_t pid;
	int64_t deadline = capture_mono_ms() + timeout_ms;
	char chunk[8192];

	err[0] = '\0';
	if (pipe(op) == -1 || pipe(ep) == -1) {
		snprintf(err, errn, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(err, errn, "cannot fork: %s", strerror(errno));
		close(op[0]), close(op[1]), close(ep[0]), close(ep[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull != -1)
			dup2(devnull, 0);
		dup2(op[1], 1);
		dup2(ep[1], 2);
		close(op[0]), close(op[1]), close(ep[0]), close(ep[1]);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(op[1]);
	close(ep[1]);
	buf_init(&eb, 4096);
	while (open_fds > 0) {
		struct pollfd pf[2];
		int64_t left = deadline - capture_mono_ms();
		int k, r;

		pf[0].fd = op[0];
		pf[1].fd = ep[0];
		pf[0].events = pf[1].events = POLLIN;
		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		r = poll(pf, 2, (int)left);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			break;
		for (k = 0; k < 2; k++) {
			ssize_t n;

			if (pf[k].fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pf[k].fd, chunk, sizeof chunk);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pf[k].fd);
				if (k == 0)
					op[0] = -1;
				else
					ep[0] = -1;
				open_fds--;
				continue;
			}
			if (k == 0 && buf_add(out, chunk, (size_t)n) == -1 && !toobig) {
				toobig = 1;
				kill(pid, SIGKILL);
			}
			if (k == 1)
				buf_add(&eb, chunk, (size_t)n);
		}
	}
	if (op[0] != -1)
		close(op[0]);
	if (ep[0] != -1)
		close(ep[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (killed || toobig) {
		if (killed)
			snprintf(err, errn, "%s did not finish within %d s; killed", argv[0], timeout_ms / 1000);
		else
			snprintf(err, errn, "%s wrote more than %u bytes; killed", argv[0], LIM_CMD_OUTPUT);
		buf_release(&eb);
		return -1;
	}
	if (eb.len) {
		size_t n = strcspn(buf_str(&eb), "\r\n");

		snprintf(err, errn, "%.*s", (int)(n > 300 ? 300 : n), buf_str(&eb));
	}
	buf_release(&eb);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (err[0] == '\0')
		snprintf(err, errn, "%s was killed by signal %d", argv[0], WTERMSIG(status));
	return -1;
}

/* "# captured_at: T\n" + text (ending in a newline). */
int
capture_record(const char *path, int64_t now, const char *text, size_t n, int replace)
{
	struct buf b;
	char ts[40];
	int rc;

	time_fmt_utc(now, ts, sizeof ts);
	buf_init(&b, LIM_CMD_OUTPUT + 256);
	buf_printf(&b, "# captured_at: %s\n", ts);
	buf_add(&b, text, n);
	if (n > 0 && text[n - 1] != '\n')
		buf_addc(&b, '\n');
	rc = replace ? fsio_write_replace(path, b.data, b.len) : fsio_append(path, b.data, b.len);
	buf_release(&b);
	return rc;
}

int
capture_kubectl(const char *command, const char *ns, const char *verb, const char *hpa,
    struct buf *out, char *err, size_t errn)
{
	char *argv[12];
	int k = 0, st;

	argv[k++] = (char *)command;
	if (ns) {
		argv[k++] = (char *)"-n";
		argv[k++] = (char *)ns;
	}
	argv[k++] = (char *)verb;
	argv[k++] = (char *)"hpa";
	argv[k++] = (char *)hpa;
	if (strcmp(verb, "get") == 0) {
		argv[k++] = (char *)"-o";
		argv[k++] = (char *)"json";
	}
	argv[k] = NULL;
	buf_init(out, LIM_CMD_OUTPUT);
	st = capture_exec(argv, KUBECTL_TIMEOUT_MS, out, err, errn);
	if (st > 0 && err[0] == '\0')
		snprintf(err, errn, "%s exited with status %d", command, st);
	else if (st > 0) {
		char tmp[400];

		snprintf(tmp, sizeof tmp, "%s", err);
		snprintf(err, errn, "%s exited with status %d: %s", command, st, tmp);
	}
	return st == 0 ? 0 : -1;
}

int
capture_kubectl_get(const char *command, const char *ns, const char *hpa, const char *path,
    int64_t now, char *err, size_t errn)
{
	struct buf out, e;
	int ok, rc = 0;

	ok = capture_kubectl(command, ns, "get", hpa, &out, err, errn) == 0;
	if (ok && (out.len == 0 || capture_json_one_line(out.data, out.len) == -1)) {
		snprintf(err, errn, "%s get hpa %s -o json did not print JSON", command, hpa);
		ok = 0;
	}
	if (ok) {
		err[0] = '\0';		/* warnings on stderr do not make a success a failure */
		while (out.len > 0 && out.data[out.len - 1] == ' ')
			out.len--;
		if (capture_record(path, now, out.data, out.len, 0) == -1)
			rc = -1;
	} else {
		size_t k;

		buf_init(&e, 1024);
		buf_printf(&e, "# error: %s\n", err);
		for (k = 0; k + 1 < e.len; k++)
			if (e.data[k] == '\n' || e.data[k] == '\r')
				e.data[k] = ' ';
		if (capture_record(path, now, e.data, e.len, 0) == -1)
			err[0] = '\0';
		buf_release(&e);
		rc = -1;
	}
	buf_release(&out);
	return rc;
}

