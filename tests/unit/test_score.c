/* Unit tests: the score (weights, key SLOs, pass and warn levels) and its SLO file keys. */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "eval/score.h"
#include "in/slo.h"
#include "t.h"

static char errbuf[4096];

static int
parse(struct slo_set *set, const char *text)
{
	FILE *f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	int rc;

	memset(errbuf, 0, sizeof errbuf);
	diag_set_stream(f);
	rc = slo_parse(set, "slo.yaml", text, strlen(text));
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	return rc;
}

#define RULES \
	"  - {name: a, metric: m, below: 1, weight: 4, key: true}\n" \
	"  - {name: b, metric: m, below: 1, weight: 2}\n" \
	"  - {name: c, metric: m, below: 1, weight: 3}\n" \
	"  - {name: d, metric: m, below: 1}\n"

/* Sets the states of the four rules above and scores them. */
static void
score_states(const struct slo_set *set, struct verdicts *vs, const enum verdict_state *st)
{
	size_t i;
	static struct verdict v[4];

	memset(v, 0, sizeof v);
	vs->v = v;
	vs->n = set->nrules;
	for (i = 0; i < vs->n; i++) {
		v[i].rule = &set->rules[i];
		v[i].state = st[i];
	}
	score_compute(set, vs);
}

static void
test_parse(void)
{
	struct slo_set set;

	T_OK(parse(&set, "score: {pass: 90%, warn: 75}\nslos:\n" RULES) == 0, "score keys parse");
	T_OK(set.score.have && set.score.pass == 90 && set.score.warn == 75,
	    "pass 90%% and warn 75 are read as percentages");
	T_OK(set.rules[0].key && set.rules[0].weight == 4, "weight and key are read");
	T_OK(!set.rules[3].have_weight && set.rules[3].weight == 1, "a rule without weight weighs 1");
	slo_release(&set);
	T_OK(parse(&set, "score: {pass: 90}\nslos:\n" RULES) == 0 && set.score.warn == 90,
	    "without warn: the warn band is empty");
	slo_release(&set);

	T_OK(parse(&set, "slos:\n  - {name: a, metric: m, below: 1, weight: 0}\n") == -1,
	    "weight 0 is refused");
	T_EQ_STR(errbuf, "sloproof: slo.yaml:2:44: error: weight: expected a number above 0 and "
	    "at most 1000, found \"0\"\n", "the bad weight is quoted at its column");
	T_OK(parse(&set, "slos:\n  - {name: a, metric: m, below: 1, key: maybe}\n") == -1,
	    "key must be a boolean");
	T_EQ_STR(errbuf, "sloproof: slo.yaml:2:41: error: key: expected true or false, found "
	    "\"maybe\"\n", "key's error says what it expects");
	T_OK(parse(&set, "score: {pass: 70, warn: 80}\nslos:\n" RULES) == -1, "warn above pass is refused");
	T_EQ_STR(errbuf, "sloproof: slo.yaml:1:25: error: score: warn: \"80\" is above pass: \"70\"; "
	    "the warn band lies below pass\n", "warn above pass says why");
	T_OK(parse(&set, "score: {pass: 190}\nslos:\n" RULES) == -1, "pass above 100 is refused");
	T_OK(parse(&set, "score: {warn: 50}\nslos:\n" RULES) == -1, "score needs pass");
	T_EQ_STR(errbuf, "sloproof: slo.yaml:1:8: error: score: needs `pass:`, the total score "
	    "(0-100) a run must reach to pass\n", "a missing pass is named");
	T_OK(parse(&set, "score: {pass: 90, fail: 3}\nslos:\n" RULES) == -1, "unknown score key is refused");
}

static void
test_compute(void)
{
	struct slo_set set;
	struct verdicts vs;
	static const enum verdict_state all_pass[] = {V_PASS, V_PASS, V_PASS, V_PASS};
	static const enum verdict_state b_fails[] = {V_PASS, V_FAIL, V_PASS, V_PASS};
	static const enum verdict_state c_fails[] = {V_PASS, V_PASS, V_FAIL, V_WARN};
	static const enum verdict_state key_warn[] = {V_WARN, V_PASS, V_PASS, V_PASS};
	static const enum verdict_state key_nodata[] = {V_NODATA, V_PASS, V_PASS, V_PASS};

	memset(&vs, 0, sizeof vs);
	T_OK(parse(&set, "score: {pass: 80, warn: 60}\nslos:\n" RULES) == 0, "rules parse");
	score_states(&set, &vs, all_pass);
	T_OK(fabs(vs.score.total - 100) < 1e-9 && vs.score.state == V_PASS, "all pass: 100, pass");
	score_states(&set, &vs, b_fails);
	/* (4 + 0 + 3 + 1) / 10 = 80: exactly at pass is a pass */
	T_OK(fabs(vs.score.total - 80) < 1e-9, "a failed weight-2 rule of 10 costs 20 points");
	T_EQ_INT(vs.score.state, V_PASS, "80 at a pass level of 80 passes");
	T_OK(verdicts_ok(&vs), "a non-key failure above the pass level does not fail the run");
	score_states(&set, &vs, c_fails);
	/* (4 + 2 + 0 + 0.5) / 10 = 65 */
	T_OK(fabs(vs.score.total - 65) < 1e-9, "a warn earns half its weight");
	T_EQ_INT(vs.score.state, V_WARN, "65 between warn 60 and pass 80 is a warn");
	T_OK(verdicts_ok(&vs), "a warn score still lets the run pass");
	score_states(&set, &vs, key_warn);
	T_EQ_INT(vs.score.state, V_PASS, "a key rule on a warn is no failure (score 80)");
	score_states(&set, &vs, key_nodata);
	T_OK(fabs(vs.score.total - 60) < 1e-9, "no data earns nothing");
	T_EQ_INT(vs.score.state, V_FAIL, "a key rule without data fails the drill at any score");
	T_EQ_INT(vs.score.nkey_failed, 1, "one key rule failed");
	T_EQ_STR(vs.score.first_key_failed, "a", "the failed key rule is named");
	T_OK(!verdicts_ok(&vs), "so the run is not ok");
	slo_release(&set);

	/* Weights without `score:`: reported, but every rule must still pass. */
	T_OK(parse(&set, "slos:\n" RULES) == 0, "rules without score parse");
	score_states(&set, &vs, b_fails);
	T_OK(vs.score.have && !vs.score.policy, "weights alone ask for a score, not a policy");
	T_EQ_INT(vs.score.state, V_FAIL, "without score: any failure fails");
	T_OK(!verdicts_ok(&vs), "and the run is not ok");
	slo_release(&set);
	T_OK(parse(&set, "slos:\n  - {name: a, metric: m, below: 1}\n") == 0, "a plain rule parses");
	score_states(&set, &vs, all_pass);
	T_OK(!vs.score.have, "plain rules ask for no score");
	slo_release(&set);
}

int
main(void)
{
	test_parse();
	test_compute();
	return t_done();
}
