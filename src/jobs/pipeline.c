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

/* Every input reads only the series the rules name, unless it names its own. */
static void
only_named(struct pipeline *p)
{
	size_t i;

	p->named = xcalloc(p->set.nrules + 1, sizeof *p->named);
	for (i = 0; i < p->set.nrules; i++)
		p->named[i] = p->set.rules[i].sel.name ? p->set.rules[i].sel.name : "";
	for (i = 0; i < p->ninputs; i++) {
		if (p->inputs[i].opts.want != NULL)
			continue;
		p->inputs[i].opts.want = p->named;
		p->inputs[i].opts.nwant = p->set.nrules;
	}
}

/*
 * Inputs read together, so that several k6 raw files (the runners of one
 * run) are read side by side: a run of inputs with the same confinement,
 * all drill entries or all command-line specs with the same options.
 */
static size_t
group_end(const struct pipeline *p, size_t from)
{
	const struct plan_input *a = &p->inputs[from];
	size_t i;

	if (p->want & PLAN_KEEP)
		return from + 1;
	for (i = from + 1; i < p->ninputs; i++) {
		const struct plan_input *b = &p->inputs[i];

		if (b->confined != a->confined || (b->spec == NULL) != (a->spec == NULL) ||
		    (a->spec && memcmp(&a->opts, &b->opts, sizeof a->opts) != 0))
			break;
	}
	return i;
}

static int
import_group(struct pipeline *p, size_t from, size_t to)
{
	unsigned flags = p->want & PLAN_HASH ? IMPORT_HASH : 0;
	struct import_opts *o, base;
	const char **paths;
	char **specs;
	size_t i, n = to - from;
	int rc;

	if (n == 1 && (p->want & PLAN_KEEP))
		return import_one(p, &p->inputs[from]);
	if (p->inputs[from].spec) {
		/* Command-line specs share their options; a bad spec is reported in its turn. */
		specs = xcalloc(n, sizeof *specs);
		for (i = 0; i < n; i++)
			specs[i] = (char *)p->inputs[from + i].spec;
		base = p->inputs[from].opts;
		base.flags |= flags;
		rc = import_specs(&p->run, &base, specs, n, (p->want & PLAN_ALL_ERRORS) != 0);
		free(specs);
		return rc;
	}
	o = xcalloc(n, sizeof *o);
	paths = xcalloc(n, sizeof *paths);
	for (i = 0; i < n; i++) {
		o[i] = p->inputs[from + i].opts;
		o[i].flags |= flags;
		paths[i] = p->inputs[from + i].path;
	}
	rc = import_files(&p->run, n, o, paths, paths, (p->want & PLAN_ALL_ERRORS) != 0);
	free(o);
	free(paths);
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
	size_t i, end;
	int rc = 0, confined;

	if (p->nslo) {
		if (slo_load_many_keep(&p->set, p->slo, p->nslo,
		    p->want & PLAN_KEEP ? p->slo_bytes : NULL) == -1)
			return -1;
		p->have_set = 1;
	}
	if ((p->want & PLAN_ONLY_NAMED) && p->have_set)
		only_named(p);
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
	for (i = 0; i < p->ninputs; i = end) {
		int want = p->roots && p->inputs[i].confined;

		if (want != confined) {
			if (fsio_confine(want ? p->roots : NULL, want ? p->nroots : 0, p->roots_what) == -1) {
				rc = -1;
				break;
			}
			confined = want;
		}
		end = group_end(p, i);
		if (import_group(p, i, end) == -1) {
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
	free(p->named);
	memset(p, 0, sizeof *p);
}
