/*
 * pipeline.c — the plan every command runs (pipeline.h): inputs, import
 * through the front door, normalize, evaluate. Rendering is the caller's:
 * that is the only thing check, bundle, chart and inspect do differently.
 * Owns what it loads until pipeline_release. Depends on drill, slo,
 * import, normalize and eval; never on a renderer.
 */
#include <stdlib.h>
#include <string.h>

#include "jobs/pipeline.h"
#include "norm/normalize.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "util/xalloc.h"

void
pipeline_init(struct pipeline *p, unsigned want)
{
	size_t i;

	memset(p, 0, sizeof *p);
	p->want = want;
	run_init(&p->run);
	for (i = 0; i < LIM_SLO_FILES; i++)
		buf_init(&p->slo_bytes[i], LIM_RULES_BYTES);
}

static struct plan_input *
add(struct pipeline *p, const struct import_opts *o)
{
	struct plan_input *in = VEC_PUSH(p->inputs, p->ninputs, p->capinputs);

	memset(in, 0, sizeof *in);
	if (o)
		in->opts = *o;
	return in;
}

void
pipeline_add_spec(struct pipeline *p, const char *spec, const struct import_opts *base)
{
	add(p, base)->spec = spec;
}

int
pipeline_load_drill(struct pipeline *p, const char *drill_path)
{
	const struct drill *d = &p->drill;
	size_t i;

	if (drill_load(&p->drill, drill_path) == -1)
		return -1;
	p->drill_path = drill_path;
	p->run.faults = d->faults;
	p->run.nfaults = d->nfaults;
	for (i = 0; i < d->nevidence; i++) {
		struct plan_input *in = add(p, NULL);

		in->path = d->evidence[i].resolved;
		in->confined = 1;
		in->opts.kind = d->evidence[i].kind;
		in->opts.timezone = d->timezone;
		in->opts.series = d->evidence[i].series;
		in->opts.unit = d->evidence[i].unit;
		in->opts.have_captured_at = d->evidence[i].have_captured_at;
		in->opts.captured_at = d->evidence[i].captured_at;
	}
	return 0;
}

static int
import_one(struct pipeline *p, const struct plan_input *pi)
{
	struct import_opts o = pi->opts;
	struct input in;
	const char *path = pi->path;
	char kind[32];
	int rc;

	if (pi->spec) {
		if (import_spec_split(pi->spec, kind, &path) == -1)
			return -1;
		o.kind = kind[0] ? kind : NULL;
	}
	o.flags |= (p->want & PLAN_HASH ? IMPORT_HASH : 0) |
	    (p->want & PLAN_KEEP ? IMPORT_HASH | IMPORT_KEEP : 0);
	if (import_admit(&p->run, o.kind, path) == -1 ||
	    input_read(&in, path, path, o.kind, o.flags) == -1)
		return -1;
	rc = import_input(&p->run, &o, &in);
	if (rc == 0 && (p->want & PLAN_KEEP)) {
		*VEC_PUSH(p->read, p->nread, p->capread) = in;
		return 0;
	}
	input_release(&in);
	return rc;
}

int
pipeline_run(struct pipeline *p)
{
	return pipeline_import(p) == -1 || pipeline_evaluate(p) == -1 ? -1 : 0;
}

int
pipeline_import(struct pipeline *p)
{
	size_t i;
	int rc = 0, confined;

	if (p->nslo) {
		if (slo_load_many_keep(&p->set, p->slo, p->nslo,
		    p->want & PLAN_KEEP ? p->slo_bytes : NULL) == -1)
			return -1;
		p->have_set = 1;
	}
	if ((p->want & PLAN_NEED_INPUT) && p->ninputs == 0) {
		diag_error(p->drill_path, 0, 0, "no evidence: list the k6 summaries under `evidence:`");
		return -1;
	}
	/*
	 * A drill's evidence is read from under its roots (set even when it
	 * lists none, so a bad root is reported the same either way); inputs
	 * named on the command line are the user's choice there.
	 */
	if (p->roots && fsio_confine(p->roots, p->nroots, p->roots_what) == -1)
		return -1;
	confined = p->roots != NULL;
	for (i = 0; i < p->ninputs; i++) {
		int want = p->roots && p->inputs[i].confined;

		if (want != confined) {
			if (fsio_confine(want ? p->roots : NULL, want ? p->nroots : 0, p->roots_what) == -1) {
				rc = -1;
				break;
			}
			confined = want;
		}
		if (import_one(p, &p->inputs[i]) == -1) {
			rc = -1;
			if (!(p->want & PLAN_ALL_ERRORS))
				break;
		}
	}
	if (confined)
		fsio_confine(NULL, 0, NULL);
	return rc;
}

int
pipeline_evaluate(struct pipeline *p)
{
	if ((p->want & PLAN_NORMALIZE) && normalize_run(&p->run) == -1)
		return -1;
	return p->have_set ? eval_run(&p->run, &p->set, &p->vs) : 0;
}

void
pipeline_release(struct pipeline *p)
{
	size_t i;

	for (i = 0; i < p->nread; i++)
		input_release(&p->read[i]);
	free(p->read);
	for (i = 0; i < LIM_SLO_FILES; i++)
		buf_release(&p->slo_bytes[i]);
	verdicts_release(&p->vs);
	run_release(&p->run);
	if (p->have_set)
		slo_release(&p->set);
	if (p->drill_path)
		drill_release(&p->drill);
	free(p->inputs);
	memset(p, 0, sizeof *p);
}
