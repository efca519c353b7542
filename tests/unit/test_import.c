/*
 * test_import.c — the front door (in/import.c): each input read once, the
 * bytes parsed, hashed and stored the same, hashing only when asked, and a
 * streamed file that changes before it is stored refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "in/import.h"
#include "model/run.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/sha256.h"
#include "t.h"

static char tmpdir[] = "/tmp/test_import.XXXXXX";

static const char *
tmp(const char *name)
{
	static char p[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
	return p[k];
}

static void
put(const char *name, const char *s, size_t n, const char *mode)
{
	FILE *f = fopen(tmp(name), mode);

	fwrite(s, 1, n, f);
	fclose(f);
}

static char *
slurp(const char *path, size_t *n)
{
	struct buf b;

	buf_init(&b, 1u << 20);
	if (fsio_read(path, 1u << 20, &b, NULL, NULL) == -1)
		return NULL;
	return buf_detach(&b, n);
}

static const char summary[] =
    "{\"metrics\":{\"http_reqs\":{\"type\":\"counter\",\"contains\":\"default\","
    "\"values\":{\"count\":10,\"rate\":1}}},\"thresholds\":{},"
    "\"root_group\":{\"name\":\"\",\"path\":\"\",\"id\":\"d41d8cd98f00b204e9800998ecf8427e\","
    "\"groups\":[],\"checks\":[]}}";

static const char raw1[] =
    "{\"type\":\"Metric\",\"data\":{\"name\":\"http_reqs\",\"type\":\"counter\",\"contains\":\"default\"},\"metric\":\"http_reqs\"}\n"
    "{\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:00Z\",\"value\":1,\"tags\":{}},\"metric\":\"http_reqs\"}\n";

static void
test_small(void)
{
	struct input in;
	struct run run;
	struct import_opts o;
	char want[65], *got;
	size_t n;

	put("s.json", summary, sizeof summary - 1, "w");
	sha256_hex(summary, sizeof summary - 1, want);
	T_EQ_INT(input_read(&in, tmp("s.json"), "s.json", NULL, 0), 0, "a summary is read");
	T_EQ_STR(in.sha256, "", "no hash unless asked");
	T_EQ_INT(in.fd, -1, "the file is closed once read");
	input_release(&in);

	T_EQ_INT(input_read(&in, tmp("s.json"), "s.json", NULL, IMPORT_HASH | IMPORT_KEEP), 0,
	    "read again, hashed and kept");
	T_EQ_STR(in.sha256, want, "the hash is of the bytes read");
	/* The file changes after it was read: the bundle still stores what was parsed. */
	put("s.json", "{}", 2, "w");
	memset(&o, 0, sizeof o);
	run_init(&run);
	T_EQ_INT(import_input(&run, &o, &in), 0, "the bytes read import (the file on disk is another)");
	T_EQ_STR(run.sources[0].kind, "k6", "sniffed as k6");
	T_EQ_STR(run.sources[0].sha256, want, "the source carries the hash of what was parsed");
	T_EQ_INT(input_store(&in, tmp("copy.json")), 0, "stored");
	got = slurp(tmp("copy.json"), &n);
	T_OK(got && n == sizeof summary - 1 && memcmp(got, summary, n) == 0,
	    "the stored bytes are the parsed bytes, not the file's new content");
	free(got);
	input_release(&in);
	run_release(&run);
}

static void
test_streamed(void)
{
	struct input in;
	struct run run;
	struct import_opts o;
	FILE *cap;
	char *msg = NULL;
	size_t msglen = 0;

	put("raw.ndjson", raw1, sizeof raw1 - 1, "w");
	T_EQ_INT(input_read(&in, tmp("raw.ndjson"), "raw.ndjson", NULL, IMPORT_HASH | IMPORT_KEEP), 0,
	    "k6 raw output is opened");
	T_EQ_INT(in.streamed, 1, "and streamed, not read whole");
	memset(&o, 0, sizeof o);
	run_init(&run);
	T_EQ_INT(import_input(&run, &o, &in), 0, "its importer reads the open descriptor");
	T_EQ_INT((int)strlen(in.sha256), 64, "hashed as it streamed");
	T_EQ_INT(input_store(&in, tmp("same.ndjson")), 0, "unchanged: stored");
	/* A load generator still writing: the file grows after it was parsed. */
	put("raw.ndjson", raw1 + 0, 10, "a");
	cap = open_memstream(&msg, &msglen);
	diag_set_stream(cap);
	T_EQ_INT(input_store(&in, tmp("grown.ndjson")), -1, "changed since it was parsed: refused");
	fclose(cap);
	diag_set_stream(NULL);
	T_OK(msg && strstr(msg, "changed while sloproof read it") != NULL, "and says why");
	free(msg);
	input_release(&in);
	run_release(&run);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_small();
	test_streamed();
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpdir);
	}
	return t_done();
}
