/*
 * drillrun.c — the drill file a bundle keeps (drillrun.h). Owns nothing.
 */
#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"
#include "jobs/drillrun.h"

/* A YAML double-quoted scalar: every string goes out this way, so none is read as YAML. */
static int
q(struct buf *b, const char *s)
{
	int rc = buf_addc(b, '"');

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc |= buf_printf(b, "\\%c", c);
		else if (c == '\n')
			rc |= buf_addstr(b, "\\n");
		else if (c == '\t')
			rc |= buf_addstr(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			rc |= buf_printf(b, "\\x%02x", c);
		else
			rc |= buf_addc(b, c);
	}
	return rc | buf_addc(b, '"');
}

static int
t(struct buf *b, int64_t ms)
{
	char s[40];

	time_fmt_utc(ms, s, sizeof s);
	return buf_addstr(b, s);
}

int
drill_write_bundled(struct buf *b, const struct drill *d, const struct run *run, const char *date,
    const char *const *slo_names, size_t nslo)
{
	size_t i;
	int rc = 0;

	rc |= buf_addstr(b, "# The drill as this bundle read it, with paths inside the bundle.\n"
	    "# Re-check its verdicts from this folder:  sloproof check drill.yaml\n"
	    "# The drill file as it was written is drill.orig.yaml.\n");
	rc |= buf_addstr(b, "drill: ");
	rc |= q(b, d->title);
	rc |= buf_printf(b, "\ndate: %s\n", date);
	if (d->environment) {
		rc |= buf_addstr(b, "environment: ");
		rc |= q(b, d->environment);
		rc |= buf_addc(b, '\n');
	}
	if (d->timezone) {
		rc |= buf_addstr(b, "timezone: ");
		rc |= q(b, d->timezone);
		rc |= buf_addc(b, '\n');
	}
	rc |= buf_addstr(b, "slo:\n");
	for (i = 0; i < nslo; i++) {
		rc |= buf_addstr(b, "  - ");
		rc |= q(b, slo_names[i]);
		rc |= buf_addc(b, '\n');
	}
	if (d->nfaults)
		rc |= buf_addstr(b, "faults:\n");
	for (i = 0; i < d->nfaults; i++) {
		rc |= buf_addstr(b, "  - name: ");
		rc |= q(b, d->faults[i].name);
		if (d->faults[i].script) {
			rc |= buf_addstr(b, "\n    script: ");
			rc |= q(b, d->faults[i].script);
		}
		rc |= buf_addstr(b, "\n    start: ");
		rc |= t(b, d->faults[i].start);
		rc |= buf_addstr(b, "\n    end: ");
		rc |= t(b, d->faults[i].end);
		rc |= buf_addc(b, '\n');
	}
	rc |= buf_addstr(b, "evidence:\n");
	for (i = 0; i < run->nsources; i++) {
		const struct evidence_ref *e = i < d->nevidence ? &d->evidence[i] : NULL;

		rc |= buf_addstr(b, "  - path: ");
		rc |= q(b, run->sources[i].path);
		rc |= buf_addstr(b, "\n    kind: ");
		rc |= q(b, run->sources[i].kind);
		if (e && e->series) {
			rc |= buf_addstr(b, "\n    series: ");
			rc |= q(b, e->series);
		}
		if (e && e->unit) {
			rc |= buf_addstr(b, "\n    unit: ");
			rc |= q(b, e->unit);
		}
		if (e && e->have_captured_at) {
			rc |= buf_addstr(b, "\n    captured_at: ");
			rc |= t(b, e->captured_at);
		}
		rc |= buf_addc(b, '\n');
	}
	if (d->ninterventions)
		rc |= buf_addstr(b, "interventions:\n");
	for (i = 0; i < d->ninterventions; i++) {
		rc |= buf_addstr(b, "  - ");
		if (d->interventions[i].have_at) {
			rc |= buf_addstr(b, "at: ");
			rc |= t(b, d->interventions[i].at);
			rc |= buf_addstr(b, "\n    ");
		}
		rc |= buf_addstr(b, "what: ");
		rc |= q(b, d->interventions[i].what);
		rc |= buf_addc(b, '\n');
	}
	if (d->nfollowups)
		rc |= buf_addstr(b, "followups:\n");
	for (i = 0; i < d->nfollowups; i++) {
		const struct followup *f = &d->followups[i];

		rc |= buf_addstr(b, "  - id: ");
		rc |= q(b, f->id);
		rc |= buf_addstr(b, "\n    title: ");
		rc |= q(b, f->title);
		if (f->owner) {
			rc |= buf_addstr(b, "\n    owner: ");
			rc |= q(b, f->owner);
		}
		if (f->have_due) {
			char day[16];

			time_fmt_date(f->due, day, sizeof day);
			rc |= buf_printf(b, "\n    due: %s", day);
		}
		if (f->link) {
			rc |= buf_addstr(b, "\n    link: ");
			rc |= q(b, f->link);
		}
		rc |= buf_addc(b, '\n');
	}
	if (d->notes) {
		rc |= buf_addstr(b, "notes: ");
		rc |= q(b, d->notes);
		rc |= buf_addc(b, '\n');
	}
	return rc ? -1 : 0;
}
