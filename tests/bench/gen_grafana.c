/*
 * gen_grafana.c — writes a deterministic Grafana 7+ "Inspect → Data →
 * Download CSV" export for the benchmark: a quoted header "Time" and
 * NSERIES series joined by time, one row per second from
 * 2026-11-28 00:00:00 (times without a zone, as Grafana formats them),
 * values with Grafana's plain decimal text, the odd empty cell where a
 * series has no sample. 1M rows x 8 series is about 77 MB.
 *
 *	gen_grafana ROWS NSERIES OUT.csv
 *
 * Not part of sloproof: a test tool, built by `make bench` only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static const char *const names[] = {"api_latency_p95", "api_latency_p99", "error_ratio",
	"automation_queue_depth", "redis_connected_clients", "cpu_usage", "gateway_rps",
	"llm_latency_p95", "series_9", "series_10", "series_11", "series_12"};
/* 0 seconds, 1 a ratio, 2 a small count, 3 a larger quantity */
static const int kinds[] = {0, 0, 1, 2, 3, 1, 3, 0, 3, 3, 3, 3};

int
main(int argc, char **argv)
{
	long rows, ns, i, k;
	time_t t0 = 1795824000;	/* 2026-11-28T00:00:00Z */
	struct tm tm;
	char ts[32];
	FILE *f;
	double v;

	if (argc != 4 || (rows = strtol(argv[1], NULL, 10)) <= 0 ||
	    (ns = strtol(argv[2], NULL, 10)) <= 0 || ns > 12) {
		fprintf(stderr, "usage: gen_grafana ROWS NSERIES(1-12) OUT.csv\n");
		return 2;
	}
	if ((f = fopen(argv[3], "w")) == NULL) {
		perror(argv[3]);
		return 4;
	}
	fputs("\"Time\"", f);
	for (k = 0; k < ns; k++)
		fprintf(f, ",\"%s\"", names[k]);
	fputc('\n', f);
	for (i = 0; i < rows; i++) {
		time_t t = t0 + i;

		gmtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
		fputs(ts, f);
		for (k = 0; k < ns; k++) {
			v = urand();
			if (v < 0.001) {	/* a missing sample */
				fputc(',', f);
				continue;
			}
			switch (kinds[k]) {
			case 0: fprintf(f, ",%.4f", 0.2 + v * 0.8); break;	/* seconds */
			case 1: fprintf(f, ",%.5f", v * 0.02); break;	/* a ratio */
			case 2: fprintf(f, ",%d", (int)(v * 80)); break;	/* a count */
			default: fprintf(f, ",%.2f", 100 + v * 900); break;
			}
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		perror(argv[3]);
		return 4;
	}
	return 0;
}
