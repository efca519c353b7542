/*
 * gen_k6raw.c — writes a deterministic, realistic k6 raw output file
 * (`k6 run --out json`) for the benchmark: N requests over 15 minutes,
 * the playbook's channel mix (web 40 %, Instagram 25 %, Telegram 15 %,
 * WhatsApp 10 %, automation 10 %), 14 lines per request as k6 v0.5x+
 * writes them, and a latency fault (x4, 3 % errors) from minute 6 to 8.
 * The exact P95 of http_req_duration per channel (k6's interpolation over
 * every value written) goes to a side file, to check the histograms.
 *
 *	gen_k6raw N OUT.ndjson EXACT.txt
 *
 * Not part of sloproof: a test tool, built by `make bench` only.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545f4914f6cdd1dull;

static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static double
normal(void)
{
	double u = urand() + 1e-12, v = urand();

	return sqrt(-2 * log(u)) * cos(2 * 3.14159265358979323846 * v);
}

static const char *const chan[5] = {"web", "instagram", "telegram", "whatsapp", "automation"};
static const double share[5] = {0.40, 0.25, 0.15, 0.10, 0.10};
static const double base_ms[5] = {180, 420, 350, 380, 900};
static const char *const path[5] = {"/api/widget/message", "/webhooks/instagram",
	"/webhooks/telegram", "/webhooks/whatsapp", "/api/automation/run"};

static double *vals[6];
static size_t nvals[6], capvals[6];

static void
keep(int c, double v)
{
	if (nvals[c] == capvals[c]) {
		capvals[c] = capvals[c] ? capvals[c] * 2 : 1024;
		vals[c] = realloc(vals[c], capvals[c] * sizeof *vals[c]);
		if (vals[c] == NULL)
			exit(4);
	}
	vals[c][nvals[c]++] = v;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
p95(double *v, size_t n)
{
	double pos = 0.95 * (double)(n - 1);
	size_t i = (size_t)pos;

	qsort(v, n, sizeof *v, cmp);
	return i + 1 < n ? v[i] + (v[i + 1] - v[i]) * (pos - (double)i) : v[i];
}

/* "2026-11-28T13:30:00.123456+03:30" for ms µs since the start. */
static void
stamp(char *dst, size_t n, int64_t us)
{
	int64_t s = us / 1000000;
	int h = 13 + (int)(s / 3600), m = 30 + (int)(s / 60 % 60), sec = (int)(s % 60);

	h += m / 60;
	m %= 60;
	snprintf(dst, n, "2026-11-28T%02d:%02d:%02d.%06lld+03:30", h, m, sec,
	    (long long)(us % 1000000));
}

static int declared[32];

static void
metric(FILE *f, int id, const char *name, const char *type, const char *contains)
{
	if (declared[id])
		return;
	declared[id] = 1;
	fprintf(f, "{\"type\":\"Metric\",\"data\":{\"name\":\"%s\",\"type\":\"%s\",\"contains\":\"%s\","
	    "\"thresholds\":[%s],\"submetrics\":null},\"metric\":\"%s\"}\n", name, type, contains,
	    id == 1 ? "\"p(95)\\u003c1500\"" : "", name);
}

static void
point(FILE *f, const char *name, const char *t, double v, const char *tags)
{
	fprintf(f, "{\"metric\":\"%s\",\"type\":\"Point\",\"data\":{\"time\":\"%s\",\"value\":%.6g,"
	    "\"tags\":%s}}\n", name, t, v, tags);
}

int
main(int argc, char **argv)
{
	static const char *const trend[6] = {"http_req_blocked", "http_req_connecting",
		"http_req_tls_handshaking", "http_req_sending", "http_req_waiting", "http_req_receiving"};
	FILE *f, *x;
	long long n, i;
	int64_t dur_us = 900LL * 1000000, t_us, last_vus = -1;
	char t[64], tags[768], itags[256];
	double d, r;
	int c, k, fault, fail;

	if (argc != 4 || (n = atoll(argv[1])) <= 0) {
		fprintf(stderr, "usage: gen_k6raw N OUT.ndjson EXACT.txt\n");
		return 2;
	}
	if ((f = fopen(argv[2], "w")) == NULL || (x = fopen(argv[3], "w")) == NULL) {
		perror("gen_k6raw");
		return 4;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	for (i = 0; i < n; i++) {
		t_us = dur_us * i / n;
		if (t_us / 1000000 != last_vus) {
			last_vus = t_us / 1000000;
			stamp(t, sizeof t, t_us);
			metric(f, 20, "vus", "gauge", "default");
			point(f, "vus", t, 250, "{}");
			metric(f, 21, "vus_max", "gauge", "default");
			point(f, "vus_max", t, 250, "{}");
		}
		r = urand();
		for (c = 0; c < 4 && r >= share[c]; c++)
			r -= share[c];
		fault = t_us >= 360LL * 1000000 && t_us < 480LL * 1000000;
		fail = urand() < (fault ? 0.03 : 0.002);
		d = base_ms[c] * exp(0.45 * normal()) * (fault ? 4 : 1);
		d = round(d * 1000) / 1000;
		if (d < 0.001)
			d = 0.001;
		keep(c, d);
		keep(5, d);
		stamp(t, sizeof t, t_us + (int64_t)(d * 1000));
		snprintf(tags, sizeof tags, "{\"channel\":\"%s\",\"expected_response\":\"%s\",\"group\":\"\","
		    "\"method\":\"POST\",\"name\":\"https://gw.example.com%s\",\"proto\":\"HTTP/1.1\","
		    "\"scenario\":\"%s\",\"status\":\"%s\",\"url\":\"https://gw.example.com%s\"}",
		    chan[c], fail ? "false" : "true", path[c], chan[c], fail ? "503" : "200", path[c]);
		snprintf(itags, sizeof itags, "{\"group\":\"\",\"scenario\":\"%s\"}", chan[c]);
		metric(f, 0, "http_reqs", "counter", "default");
		point(f, "http_reqs", t, 1, tags);
		metric(f, 1, "http_req_duration", "trend", "time");
		fprintf(f, "{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":\"%s\","
		    "\"value\":%.3f,\"tags\":%s}}\n", t, d, tags);
		for (k = 0; k < 6; k++) {
			double v = k == 4 ? d * 0.97 : k < 3 ? (i % 50 == 0 ? 2.5 * urand() : 0) :
			    0.01 + 0.05 * urand();

			metric(f, 2 + k, trend[k], "trend", "time");
			point(f, trend[k], t, round(v * 1000) / 1000, tags);
		}
		metric(f, 8, "http_req_failed", "rate", "default");
		point(f, "http_req_failed", t, fail, tags);
		metric(f, 9, "data_sent", "counter", "data");
		point(f, "data_sent", t, 420 + (double)(i % 97), itags);
		metric(f, 10, "data_received", "counter", "data");
		point(f, "data_received", t, 1800 + (double)(i % 331), itags);
		metric(f, 11, "iteration_duration", "trend", "time");
		point(f, "iteration_duration", t, round((d + 1000.5) * 1000) / 1000, itags);
		metric(f, 12, "iterations", "counter", "default");
		point(f, "iterations", t, 1, itags);
		metric(f, 13, "checks", "rate", "default");
		snprintf(itags, sizeof itags, "{\"check\":\"status is 200\",\"group\":\"\",\"scenario\":\"%s\"}",
		    chan[c]);
		point(f, "checks", t, !fail, itags);
	}
	if (fclose(f) != 0) {
		perror("gen_k6raw");
		return 4;
	}
	for (c = 0; c < 6; c++)
		if (nvals[c])
			fprintf(x, "%s %.17g %zu\n", c < 5 ? chan[c] : "all", p95(vals[c], nvals[c]), nvals[c]);
	return fclose(x) == 0 ? 0 : 4;
}
