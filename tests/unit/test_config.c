/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configuration: the defaults are those of docs/metrics.md, `config init` output loads
 * back to exactly the defaults, a file changes only what it names, every kind of error is
 * reported at its line and column, and the settings reach the analysis (the golden data set
 * of tests/fixtures/analyze, whose numbers its README.md derives).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_report.h"
#include "test_util.h"

static revops_config *load_ok(const char *yaml)
{
    revops_config *c = NULL;
    int rc = revops_config_load_string(&c, yaml, strlen(yaml), "t.yaml", NULL);
    if (rc)
        fail_msg("load failed: %s:%ld:%ld: %s", revops_error_last()->file,
                 revops_error_last()->line, revops_error_last()->column,
                 revops_error_last()->message);
    return c;
}

/* The whole configuration as YAML text (malloc'd). */
static char *written(const revops_config *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(revops_config_write(c, fp), 0);
    fclose(fp);
    return buf;
}

static void assert_criteria_equal(const revops_config_criteria *a, const revops_config_criteria *b)
{
    assert_string_equal(a->text, b->text);
    assert_non_null(a->compiled);
    assert_non_null(b->compiled);
    assert_int_equal(revops_criteria_size(a->compiled), revops_criteria_size(b->compiled));
}

/* Every value of two configurations, field by field (criteria by text and program size). */
static void assert_config_equal(const revops_config *a, const revops_config *b)
{
    assert_int_equal(a->ngoals, b->ngoals);
    for (size_t i = 0; i < a->ngoals; i++) {
        assert_string_equal(a->goals[i].name, b->goals[i].name);
        /* Exactly: the writer's text reads back as the same doubles. */
        assert_true(a->goals[i].target == b->goals[i].target);
        assert_true(a->goals[i].excellent == b->goals[i].excellent);
        assert_true(a->goals[i].baseline == b->goals[i].baseline);
    }
    assert_memory_equal(a->metrics, b->metrics, sizeof(a->metrics));
    assert_memory_equal(a->lead_stages, b->lead_stages, sizeof(a->lead_stages));
    assert_int_equal(a->stages.n, b->stages.n);
    for (size_t i = 0; i < a->stages.n; i++) {
        assert_string_equal(a->stages.items[i].name, b->stages.items[i].name);
        assert_true(a->stages.items[i].probability == b->stages.items[i].probability);
        assert_int_equal(a->stages.items[i].outcome, b->stages.items[i].outcome);
        assert_int_equal(a->stages.items[i].target_days, b->stages.items[i].target_days);
        assert_memory_equal(&a->stage_owners[i], &b->stage_owners[i], sizeof(a->stage_owners[i]));
    }
    assert_int_equal(a->ntransitions, b->ntransitions);
    for (size_t i = 0; i < a->ntransitions; i++) {
        const revops_config_transition *x = &a->transitions[i], *y = &b->transitions[i];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->entity, y->entity);
        assert_int_equal(x->from, y->from);
        assert_int_equal(x->to, y->to);
        assert_criteria_equal(&x->criteria, &y->criteria);
    }
    assert_int_equal(a->nhandoffs, b->nhandoffs);
    for (size_t i = 0; i < a->nhandoffs; i++) {
        const revops_config_handoff *x = &a->handoffs[i], *y = &b->handoffs[i];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->from, y->from);
        assert_int_equal(x->to, y->to);
        assert_int_equal(x->entity, y->entity);
        assert_int_equal(x->stage, y->stage);
        assert_int_equal(x->response_seconds, y->response_seconds);
        assert_true(x->acceptance_target == y->acceptance_target);
        assert_criteria_equal(&x->criteria, &y->criteria);
    }
    assert_int_equal(a->routing_method, b->routing_method);
    assert_memory_equal(&a->routing_weights, &b->routing_weights, sizeof(a->routing_weights));
    for (size_t i = 0; i < 3; i++)
        assert_criteria_equal(&a->routing_tiers[i], &b->routing_tiers[i]);
    assert_string_equal(a->currency, b->currency);
    assert_int_equal(a->fiscal_year_start, b->fiscal_year_start);
    assert_int_equal(a->window_days, b->window_days);
    assert_int_equal(a->historical_probabilities, b->historical_probabilities);
    assert_true(a->stalled_factor == b->stalled_factor);
    assert_int_equal(a->stalled_days, b->stalled_days);
    assert_int_equal(a->inactive_days, b->inactive_days);
    assert_int_equal(a->response_sla_minutes, b->response_sla_minutes);
    assert_true(a->ramp_threshold == b->ramp_threshold);
    assert_true(a->coaching_gap == b->coaching_gap);
    assert_int_equal(a->nlead_rules, b->nlead_rules);
    for (size_t i = 0; i < a->nlead_rules; i++) {
        assert_string_equal(a->lead_rules[i].name, b->lead_rules[i].name);
        assert_true(a->lead_rules[i].points == b->lead_rules[i].points);
        assert_criteria_equal(&a->lead_rules[i].criteria, &b->lead_rules[i].criteria);
    }
    assert_memory_equal(&a->churn_weights, &b->churn_weights, sizeof(a->churn_weights));
    assert_memory_equal(&a->expansion_weights, &b->expansion_weights, sizeof(a->expansion_weights));
    assert_true(a->expansion_threshold == b->expansion_threshold);
    assert_memory_equal(&a->forecast_weights, &b->forecast_weights, sizeof(a->forecast_weights));
    assert_true(a->overdue_factor == b->overdue_factor);
    assert_int_equal(a->rep_shrinkage, b->rep_shrinkage);
    assert_int_equal(a->simulations, b->simulations);
    assert_memory_equal(&a->activity_targets, &b->activity_targets, sizeof(a->activity_targets));
}

/* The defaults, checked against the numbers written in docs/metrics.md. */
static void test_config_defaults_are_the_documented_ones(void **state)
{
    (void)state;
    revops_config *c;
    assert_int_equal(revops_config_default(&c), 0);
    /* METRICS.md "KPI scorecard": target / excellent / baseline. */
    static const struct {
        const char *name;
        double t, e, b;
    } kpis[] = {
        {"velocity", 35, 30, 45},
        {"conversion", 0.32, 0.35, 0.25},
        {"forecast_accuracy", .9, .95, .75},
        {"coverage", 4.5, 5.0, 3.0},
        {"quota_attainment", 1.05, 1.15, .9},
        {"activity_efficiency", .85, .9, .7},
        {"deal_size_growth", .15, .25, .05},
        {"ramp", 60, 45, 90},
        {"arr_growth", .25, .35, .15},
        {"grr", .95, .98, .9},
        {"nrr", 1.15, 1.25, 1.05},
        {"cac_payback", 12, 9, 18},
        {"lead_response", 5, 2, 15},
        {"data_quality", .95, .98, .85},
    };
    assert_int_equal(c->ngoals, 14);
    for (size_t i = 0; i < 14; i++) {
        assert_string_equal(c->goals[i].name, kpis[i].name);
        assert_true(c->goals[i].target == kpis[i].t);
        assert_true(c->goals[i].excellent == kpis[i].e);
        assert_true(c->goals[i].baseline == kpis[i].b);
    }
    /* SCHEMA.md stages and their probabilities. */
    revops_stages st;
    revops_stages_default(&st);
    assert_memory_equal(&c->stages, &st, sizeof(st));
    /* METRICS.md: routing 0.25 / 0.30 / 0.20 / 0.15 / 0.10; churn 0.30 / 0.25 / 0.25 / 0.20;
     * expansion 0.30 / 0.25 / 0.25 / 0.20 above 0.7; ensemble 0.40 / 0.25 / 0.20 / 0.15. */
    assert_true(c->routing_weights.geographic == 0.25 && c->routing_weights.expertise == 0.30 &&
                c->routing_weights.workload == 0.20 && c->routing_weights.tier == 0.15 &&
                c->routing_weights.performance == 0.10);
    assert_true(c->churn_weights.usage_decline == 0.30 && c->churn_weights.payment_delays == 0.20);
    assert_true(c->expansion_weights.feature_adoption == 0.30 && c->expansion_threshold == 0.7);
    assert_true(c->forecast_weights.pipeline_weighted == 0.40 &&
                c->forecast_weights.time_series == 0.15);
    /* The analysis settings equal the library's own defaults, so a missing file changes
     * nothing; the marketing-to-sales handoff is the 24-hour SLA. */
    revops_analysis_options def = REVOPS_ANALYSIS_OPTIONS_INIT, o = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_config_analysis_options(c, &o);
    assert_int_equal(o.fiscal_start_month, def.fiscal_start_month);
    assert_null(o.currency);
    assert_int_equal(o.window_days, def.window_days);
    assert_true(o.stalled_factor == def.stalled_factor);
    assert_int_equal(o.stalled_days, def.stalled_days);
    assert_int_equal(o.inactive_days, def.inactive_days);
    assert_int_equal(o.response_sla_minutes, def.response_sla_minutes);
    assert_int_equal(o.handoff_sla_hours, 24);
    assert_true(o.ramp_threshold == def.ramp_threshold);
    assert_true(o.coaching_gap == def.coaching_gap);
    assert_int_equal(o.historical_probabilities, 0);
    assert_ptr_equal(o.stages, &c->stages);
    assert_int_equal(o.nkpi_levels, 14);
    /* The forecast's: REVOPS_FORECAST_OPTIONS_INIT, which follows METRICS.md. */
    revops_forecast_options fdef = REVOPS_FORECAST_OPTIONS_INIT, fo = REVOPS_FORECAST_OPTIONS_INIT;
    memset(fo.method_weights, 0, sizeof(fo.method_weights));
    fo.overdue_factor = -1;
    fo.rep_shrinkage = -1;
    fo.simulations = 0;
    revops_config_forecast_options(c, &fo);
    assert_memory_equal(fo.method_weights, fdef.method_weights, sizeof(fo.method_weights));
    assert_true(fo.overdue_factor == 0.5 && fdef.overdue_factor == 0.5);
    assert_int_equal(fo.rep_shrinkage, 10);
    assert_int_equal(fo.simulations, 10000);
    /* The team's activity targets: METRICS.md's, as the team section has them by default. */
    revops_activity_targets targets;
    revops_activity_targets_default(&targets);
    assert_memory_equal(&c->activity_targets, &targets, sizeof(targets));
    assert_ptr_equal(o.activity_targets, &c->activity_targets);
    assert_true(targets.target[0][0] == 50 && targets.target[0][1] == 100 &&
                targets.target[0][5] == 20 && targets.target[0][2] == 2 &&
                targets.per_month[0] == 0);
    assert_true(targets.target[1][0] == 40 && targets.target[1][4] == 15 &&
                targets.target[1][3] == 25 && targets.target[1][2] == 30 &&
                targets.per_month[1] == 1);
    revops_config_free(c);
}

/* `revops config init` output loads back to exactly the defaults, and writes the same. */
static void test_config_init_loads_back_to_the_defaults(void **state)
{
    (void)state;
    revops_config *def, *back;
    assert_int_equal(revops_config_default(&def), 0);
    char *text = written(def);
    back = load_ok(text);
    assert_config_equal(def, back);
    char *again = written(back);
    assert_string_equal(text, again);
    free(text);
    free(again);
    revops_config_free(back);
    revops_config_free(def);
}

/* A changed file: written and read again, it keeps every value. */
static void test_config_round_trip_of_a_changed_file(void **state)
{
    (void)state;
    const char *yaml = "revops:\n"
                       "  alignment:\n"
                       "    goals:\n"
                       "      conversion: {target: 0.3, excellent: 33.3%, baseline: 0.1%}\n"
                       "      velocity: {target: 40.5}\n"
                       "    metrics:\n"
                       "      marketing: [data_quality]\n"
                       "  process_alignment:\n"
                       "    end_to_end_process:\n"
                       "      stages:\n"
                       "        - {name: intro, probability: 0.2, target_days: 5}\n"
                       "        - {name: pitch, probability: 55%, department: marketing}\n"
                       "        - {name: won, outcome: won, owner_role: csm}\n"
                       "        - {name: lost, outcome: lost}\n"
                       "      transitions:\n"
                       "        - name: push\n"
                       "          entity: opportunity\n"
                       "          from: intro\n"
                       "          to: pitch\n"
                       "          criteria: \"amount >= 1000 EUR and\\n\\tname != 'x'\"\n"
                       "    handoffs:\n"
                       "      - {name: h1, from: sales, to: customer_success, entity: opportunity,"
                       " stage: won, sla: {response_time: 1h30m, acceptance_rate_target: 0.5}}\n"
                       "    workflows: {routing: {method: round_robin, tiers: {mid: 'employees "
                       ">= 50'}}}\n"
                       "  analytics:\n"
                       "    currency: EUR\n"
                       "    fiscal_year_start: 4\n"
                       "    response_sla: 2h\n"
                       "    stage_probabilities: historical\n"
                       "    scoring:\n"
                       "      lead:\n"
                       "        rules:\n"
                       "          - {name: it, criteria: 'industry == ''it''', points: -2.5}\n";
    revops_config *c = load_ok(yaml);
    /* What the file says, worked out by hand. */
    assert_true(c->goals[1].target == 0.3);
    assert_true(c->goals[1].excellent == 0.333);
    assert_true(c->goals[1].baseline == 0.001);
    assert_true(c->goals[0].target == 40.5 && c->goals[0].excellent == 30);
    assert_int_equal(c->metrics[REVOPS_DEPT_MARKETING], 1u << 13);
    assert_int_equal(c->stages.n, 4);
    assert_true(c->stages.items[1].probability == 0.55);
    assert_int_equal(c->stages.items[0].target_days, 5);
    assert_int_equal(c->stage_owners[1].department, REVOPS_DEPT_MARKETING);
    assert_int_equal(c->stage_owners[2].owner_role, REVOPS_ROLE_CSM);
    assert_true(c->stages.items[2].probability == 1.0 && c->stages.items[3].probability == 0.0);
    assert_int_equal(c->ntransitions, 1);
    assert_int_equal(c->transitions[0].from, 1u);
    assert_int_equal(c->transitions[0].to, 1);
    assert_string_equal(c->transitions[0].criteria.text, "amount >= 1000 EUR and\n\tname != 'x'");
    assert_int_equal(c->nhandoffs, 1);
    assert_int_equal(c->handoffs[0].response_seconds, 5400);
    assert_int_equal(c->handoffs[0].stage, 2);
    assert_int_equal(c->routing_method, REVOPS_ROUTING_ROUND_ROBIN);
    /* The tier named replaces its default; the others keep theirs. */
    assert_string_equal(c->routing_tiers[1].text, "employees >= 50");
    assert_string_equal(c->routing_tiers[2].text,
                        "estimated_value >= 3000000 RUB or employees >= 1000");
    assert_string_equal(c->currency, "EUR");
    assert_int_equal(c->fiscal_year_start, 4);
    assert_int_equal(c->response_sla_minutes, 120);
    assert_int_equal(c->historical_probabilities, 1);
    assert_int_equal(c->nlead_rules, 1);
    assert_string_equal(c->lead_rules[0].criteria.text, "industry == 'it'");
    assert_true(c->lead_rules[0].points == -2.5);
    /* Unnamed values keep their defaults. */
    assert_int_equal(c->window_days, 365);
    assert_true(c->routing_weights.expertise == 0.30);
    char *text = written(c);
    revops_config *back = load_ok(text);
    assert_config_equal(c, back);
    free(text);
    revops_config_free(back);
    revops_config_free(c);
}

/* Nothing, comments, an empty `revops:` and empty sections are all the defaults. */
static void test_config_empty_files_are_the_defaults(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "",
        "# nothing here\n",
        "revops:\n",
        "revops:\n  alignment:\n  process_alignment:\n  analytics:\n",
        "---\nrevops: {}\n...\n",
    };
    revops_config *def;
    assert_int_equal(revops_config_default(&def), 0);
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        revops_config *c = load_ok(texts[i]);
        assert_config_equal(def, c);
        revops_config_free(c);
    }
    revops_config_free(def);
}

typedef struct bad_case {
    const char *yaml;
    long line, column;
    const char *says;
} bad_case;

static void expect_errors(const bad_case *cases, size_t n, int code)
{
    int wrong = 0;
    for (size_t i = 0; i < n; i++) {
        const bad_case *b = &cases[i];
        revops_config *c = NULL;
        int rc = revops_config_load_string(&c, b->yaml, strlen(b->yaml), "bad.yaml", NULL);
        const revops_error *e = revops_error_last();
        if (rc != code || e->line != b->line || e->column != b->column ||
            !strstr(e->message, b->says) || strcmp(e->file, "bad.yaml") != 0) {
            print_error("case %zu: got %d at %s:%ld:%ld '%s'; expected %d at %ld:%ld '%s'\n", i, rc,
                        e->file, e->line, e->column, e->message, code, b->line, b->column, b->says);
            wrong++;
        }
        assert_null(c);
    }
    assert_int_equal(wrong, 0);
}

#define PA "revops:\n  process_alignment:\n"
#define E2E PA "    end_to_end_process:\n"
#define AN "revops:\n  analytics:\n"

static void test_config_errors_have_line_and_column(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        /* YAML syntax, as libyaml finds it. */
        {"revops: [\n", 2, 1, "did not find expected node content"},
        {"revops:\n  a: 1\n b: 2\n", 3, 2, "did not find expected key"},
        {"revops:\n\tanalytics: {}\n", 2, 1, "found character that cannot start any token"},
        {"revops: 'open\n", 2, 1, "found unexpected end of stream"},
        /* Structure: unknown and repeated keys, a mapping or list where it does not belong. */
        {"revop: {}\n", 1, 1, "unknown key 'revop' in the file: expected revops"},
        {"revops:\n  analytic: {}\n", 2, 3, "expected alignment, process_alignment, analytics"},
        {AN "    window_day: 5\n", 3, 5, "unknown key 'window_day' in revops.analytics"},
        {AN "    window_days: 5\n    window_days: 6\n", 4, 5, "given twice"},
        {"- revops\n", 1, 1, "the file must be a mapping"},
        {"revops: 5\n", 1, 9, "revops must be a mapping (key: value lines), not a value"},
        {AN "    scoring: [1]\n", 3, 14, "revops.analytics.scoring must be a mapping"},
        {E2E "      stages: {name: x}\n", 4, 15, "must be a list"},
        {"revops:\n  ? [a]\n  : 1\n", 2, 5, "a key must be a plain name, not a list"},
        /* Types and ranges of values. */
        {AN "    window_days: \"365\"\n", 3, 18, "found the string \"365\""},
        {AN "    window_days: 36601\n", 3, 18, "from 1 to 36600"},
        {AN "    window_days: 3.5\n", 3, 18, "expected a whole number"},
        {AN "    window_days: {a: 1}\n", 3, 18, "found a mapping"},
        {AN "    window_days:\n", 3, 17, "found nothing"},
        {AN "    stalled_factor: 1e3\n", 3, 21, "expected a number from 0.1 to 100"},
        {AN "    stalled_factor: .nan\n", 3, 21, "found '.nan'"},
        {AN "    ramp_threshold: 0%\n", 3, 21, "expected a share from 1% to 1000%"},
        {AN "    coaching_gap: 10 %\n", 3, 19, "such as 0.8 or 80%"},
        {AN "    response_sla: 5\n", 3, 19, "expected a duration with a unit"},
        {AN "    response_sla: 90s\n", 3, 19, "whole minutes"},
        {AN "    stage_probabilities: history\n", 3, 26, "expected one of configured, historical"},
        {AN "    currency: rub\n", 3, 15, "expected an ISO 4217 code"},
        {AN "    fiscal_year_start: 13\n", 3, 24, "from 1 to 12"},
        {"revops:\n  alignment:\n    goals:\n      velocity: {target: 50}\n", 4, 7,
         "excellent <= target <= baseline (here 30, 50, 45)"},
        {"revops:\n  alignment:\n    goals:\n      conversion: {target: 32}\n", 4, 28,
         "expected a share from 0% to 100%"},
        {"revops:\n  alignment:\n    goals:\n      speed: {}\n", 4, 7, "unknown key 'speed'"},
        {"revops:\n  alignment:\n    metrics:\n      sales: [velocity, sped]\n", 4, 25,
         "expected one of velocity, conversion"},
        {"revops:\n  alignment:\n    metrics:\n      legal: []\n", 4, 7, "unknown key 'legal'"},
        /* Stages. */
        {E2E "      stages:\n        - {name: a, outcome: won}\n        - {name: b, outcome: "
             "lost}\n",
         5, 9, "needs at least one open, one won and one lost stage (it has 0, 1, 1)"},
        {E2E "      stages:\n        - {name: a}\n", 5, 11, "open stage 'a' needs a probability"},
        {E2E "      stages:\n        - {name: a, probability: 1.5}\n", 5, 34, "from 0% to 100%"},
        {E2E "      stages:\n        - {name: w, outcome: won, probability: 0.5}\n", 5, 48,
         "a won stage has probability 100%"},
        {E2E "      stages:\n        - {name: a, probability: 0.1}\n        - {name: a, "
             "probability: 0.2}\n",
         6, 18, "stage 'a' is listed twice"},
        {E2E "      stages:\n        - {name: w, outcome: won}\n        - {name: a, "
             "probability: 0.2}\n",
         6, 11, "comes after a closed one"},
        {E2E "      stages:\n        - {name: 'a b', probability: 0.2}\n", 5, 18,
         "expected a name of letters"},
        {E2E "      stages:\n        - {probability: 0.2}\n", 5, 11, "needs a name"},
        {E2E "      stages:\n        - {name: a, probability: 0.2, outcome: maybe}\n", 5, 48,
         "expected one of open, won, lost"},
        {E2E "      stages:\n        - {name: a, probability: 0.2}\n        - {name: w, "
             "outcome: won}\n        - {name: l, outcome: lost}\n",
         5, 9, "the default handoff 'sales_to_customer_success' starts at a stage"},
        {E2E "      lead_stages:\n        - {name: prospect}\n", 5, 18,
         "expected one of lead, mql, sql"},
        {E2E "      lead_stages:\n        - {name: mql, department: legal}\n", 5, 35,
         "expected one of marketing, sales, customer_success"},
        {E2E "      lead_stages:\n        - {name: mql}\n        - {name: mql}\n", 6, 18,
         "listed twice"},
        /* Transitions and their criteria, at the criteria's own column. */
        {E2E "      transitions:\n        - {name: t, to: mqll, criteria: 'true'}\n", 5, 25,
         "expected one of lead, mql"},
        {E2E "      transitions:\n        - {name: t, criteria: 'true'}\n", 5, 11, "needs 'to'"},
        {E2E "      transitions:\n        - {name: t, to: mql}\n", 5, 11, "needs criteria"},
        {E2E "      transitions:\n        - {name: t, to: mql, from: [lead, won], criteria: "
             "'true'}\n",
         5, 43, "transitions[1].from: expected one of lead"},
        {E2E "      transitions:\n        - {name: t, entity: account, to: a, criteria: x}\n", 5,
         29, "expected one of lead, opportunity"},
        {E2E "      transitions:\n        - name: t\n          to: mql\n          criteria: "
             "scroe > 50\n",
         7, 21, "no field 'scroe' in lead: did you mean 'score'?"},
        {E2E "      transitions:\n        - name: t\n          to: mql\n          criteria: "
             "'source == ''x'' and scroe > 50'\n",
         7, 42, "no field 'scroe'"},
        {E2E "      transitions:\n        - name: t\n          to: mql\n          criteria: "
             "\"source == \\\"x\\\" and scroe > 50\"\n",
         7, 42, "no field 'scroe'"},
        {E2E "      transitions:\n        - name: t\n          to: mql\n          criteria: |\n"
             "            score > 50 and\n              stage == \"mqll\"\n",
         9, 24, "'mqll' is not one of them"},
        {E2E "      transitions:\n        - name: t\n          to: mql\n          criteria: >\n"
             "            score > 50 and\n            stage = 'x'\n",
         7, 21, "(line 1, column 22 of the criteria): '=' is not an operator"},
        {E2E "      transitions:\n        - {name: t, entity: opportunity, to: closed_won, "
             "criteria: amount > 5}\n",
         5, 75, "write an amount with its currency"},
        {E2E "      transitions:\n        - {name: t, to: mql, criteria: 'true'}\n"
             "        - {name: t, to: sql, criteria: 'true'}\n",
         6, 18, "the name 't' is taken by item 1 (line 5)"},
        /* Handoffs. */
        {PA "    handoffs:\n      - {name: h, from: sales, to: sales, stage: sql}\n", 4, 36,
         "from one department to another"},
        {PA "    handoffs:\n      - {name: h, from: sales, to: marketing}\n", 4, 9,
         "needs 'from' and 'to'"},
        {PA "    handoffs:\n      - {name: h, from: marketing, to: sales, stage: sql, sla: "
            "{response_time: 90m}}\n",
         4, 80, "measured in whole hours"},
        {PA "    handoffs:\n      - {name: h, from: marketing, to: sales, stage: sql, sla: "
            "{respond: 1h}}\n",
         4, 65, "unknown key 'respond' in revops.process_alignment.handoffs[1].sla"},
        {PA "    handoffs:\n      - {name: h, from: marketing, to: sales, entity: opportunity, "
            "stage: sql}\n",
         4, 75, "expected an opportunity stage (qualification, discovery"},
        /* Routing and weights. */
        {PA "    workflows:\n      routing:\n        method: random\n", 5, 17,
         "expected one of weighted, round_robin"},
        {PA "    workflows:\n      routing:\n        weights: {geographic: 0, expertise: 0, "
            "workload: 0, tier: 0, performance: 0}\n",
         5, 18, "the weights add up to 0"},
        {PA "    workflows:\n      routing:\n        weights: {geographic: -0.1}\n", 5, 31,
         "from 0% to 100%"},
        {PA "    workflows:\n      routing:\n        tiers: {large: 'true'}\n", 5, 17,
         "unknown key 'large' in revops.process_alignment.workflows.routing.tiers: expected smb, "
         "mid, enterprise"},
        {PA "    workflows:\n      routing:\n        tiers: {mid: 'employes > 5'}\n", 5, 23,
         "routing.tiers.mid: no field 'employes' in lead: did you mean 'employees'?"},
        /* Scoring rules. */
        {AN "    scoring:\n      lead:\n        rules:\n          - {name: r, criteria: 'true'}\n",
         6, 13, "needs points"},
        {AN "    scoring:\n      lead:\n        rules:\n          - {name: r, criteria: 'true', "
            "points: 101}\n",
         6, 49, "from -100 to 100"},
        {AN "    scoring:\n      lead:\n        rules:\n          - {name: r, points: 5, criteria: "
            "'amount > 1 RUB'}\n",
         6, 45, "no field 'amount' in lead"},
        {AN "    scoring:\n      lead:\n        rules:\n          - {name: r, criteria: 'true', "
            "points: 1}\n          - {name: r, criteria: 'true', points: 2}\n",
         7, 20, "the name 'r' is taken"},
        /* Hostile input. */
        {"revops: &a {}\nother: *a\n", 2, 8, "aliases (*name) are not supported"},
        {"revops: {}\n---\nrevops: {}\n", 2, 1, "a second YAML document"},
        {"revops: \"a\\0b\"\n", 1, 9, "a NUL character"},
        {"revops:\n  analytics:\n    currency: \"\xff\"\n", 3, 16, "invalid"},
    };
    expect_errors(cases, sizeof(cases) / sizeof(cases[0]), REVOPS_EINVALID);
}

static void test_config_hostile_sizes(void **state)
{
    (void)state;
    /* Nesting beyond REVOPS_CONFIG_MAX_DEPTH is refused at the level that breaks it. */
    char deep[256];
    size_t n = 0;
    for (int i = 0; i < REVOPS_CONFIG_MAX_DEPTH + 1; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    revops_config *c = NULL;
    assert_int_equal(revops_config_load_string(&c, deep, n, "deep.yaml", NULL), REVOPS_ETOOBIG);
    assert_int_equal(revops_error_last()->line, 1);
    assert_int_equal(revops_error_last()->column, REVOPS_CONFIG_MAX_DEPTH + 1);
    assert_non_null(strstr(revops_error_last()->message, "nesting deeper than 32"));
    /* Larger than the limit. */
    size_t big = REVOPS_CONFIG_MAX_BYTES + 1;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, '#', big);
    assert_int_equal(revops_config_load_string(&c, text, big, "big.yaml", NULL), REVOPS_ETOOBIG);
    /* A million bytes of comment just under the limit is fine. */
    text[big - 2] = '\n';
    assert_int_equal(revops_config_load_string(&c, text, big - 1, "big.yaml", NULL), 0);
    revops_config_free(c);
    free(text);
    /* A NUL byte in the text (not in a value) is a character YAML does not allow. */
    static const char nul[] = "revops: {}\n\0\n";
    assert_int_equal(revops_config_load_string(&c, nul, sizeof(nul) - 1, "nul.yaml", NULL),
                     REVOPS_EINVALID);
    assert_int_equal(revops_error_last()->line, 2);
    assert_int_equal(revops_error_last()->column, 1);
    assert_non_null(strstr(revops_error_last()->message, "control characters are not allowed"));
    /* A missing file is an I/O error naming it. */
    assert_int_equal(revops_config_load_file(&c, "/nonexistent/revops.yaml", NULL), REVOPS_EIO);
    assert_non_null(strstr(revops_error_last()->message, "/nonexistent/revops.yaml"));
}

typedef struct collected {
    int n;
    long lines[8];
} collected;

static void collect(void *ctx, const revops_error *e)
{
    collected *c = ctx;
    if (c->n < 8)
        c->lines[c->n] = e->line;
    c->n++;
}

/* Every mistake of a file is reported, in the order of the file. */
static void test_config_reports_every_error_in_order(void **state)
{
    (void)state;
    const char *yaml = "revops:\n"
                       "  analytics:\n"
                       "    window_days: x\n"  /* 3 */
                       "    stalled_days: 0\n" /* 4 */
                       "    colour: blue\n"    /* 5 */
                       "  alignment:\n"
                       "    goals:\n"
                       "      velocity: {target: 99}\n" /* 8 */
                       "  process_alignment:\n"
                       "    end_to_end_process:\n"
                       "      transitions:\n"
                       "        - {name: t, to: sql, criteria: 'nope > 1'}\n"; /* 12 */
    collected got = {0, {0}};
    revops_config_load_options lo = REVOPS_CONFIG_LOAD_OPTIONS_INIT;
    lo.on_error = collect;
    lo.ctx = &got;
    revops_config *c = NULL;
    assert_int_equal(revops_config_load_string(&c, yaml, strlen(yaml), "x.yaml", &lo),
                     REVOPS_EINVALID);
    assert_int_equal(got.n, 5);
    long want[] = {3, 4, 5, 8, 12};
    for (int i = 0; i < 5; i++)
        assert_int_equal(got.lines[i], want[i]);
    /* The first one stays the last error. */
    assert_int_equal(revops_error_last()->line, 3);
    assert_null(c);
}

/* The configuration reaches the analysis: stage probabilities weight the pipeline and the
 * goals grade the scorecard. Golden data set of tests/fixtures/analyze as of 2026-06-30. */
static void test_config_settings_reach_the_analysis(void **state)
{
    (void)state;
    const char *yaml = "revops:\n"
                       "  alignment:\n"
                       "    goals:\n"
                       "      velocity: {target: 80, excellent: 70, baseline: 90}\n"
                       "      conversion: {target: 70%, excellent: 80%, baseline: 60%}\n"
                       "  process_alignment:\n"
                       "    end_to_end_process:\n"
                       "      stages:\n"
                       "        - {name: qualification, probability: 20%}\n"
                       "        - {name: discovery, probability: 25%}\n"
                       "        - {name: proposal, probability: 40%}\n"
                       "        - {name: negotiation, probability: 60%}\n"
                       "        - {name: closed_won, outcome: won}\n"
                       "        - {name: closed_lost, outcome: lost}\n";
    revops_config *c = load_ok(yaml);
    revops_dataset *ds;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    io.stages = &c->stages;
    assert_int_equal(
        revops_dataset_load_csv(&ds, REVOPS_SOURCE_DIR "/tests/fixtures/analyze", &io, &r), 0);
    revops_import_report_free(&r);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_config_analysis_options(c, &o);
    assert_int_equal(revops_day_parse(&o.as_of, "2026-06-30", 10), 0);
    o.period = "2026-Q2";
    o.sections = REVOPS_SECTION_PIPELINE | REVOPS_SECTION_SCORECARD;
    revops_analysis *a;
    assert_int_equal(revops_analyze(&a, ds, &o), 0);
    char *buf = test_analysis_json(a, 0);
    /* Open O-3 990,000 in negotiation, O-4 100,000 in qualification, O-8 50,000 in proposal:
     * 990,000 x 0.60 + 100,000 x 0.20 + 50,000 x 0.40 = 634,000 (777,500 with the defaults). */
    assert_non_null(strstr(buf, "\"pipeline_weighted\":\"634000.00\""));
    /* velocity 75 days: within the target 80, not the excellent 70 -> on_target (it is
     * below_baseline against the default 35 / 30 / 45). conversion 2/3: at least the baseline
     * 60 % but under the target 70 % -> below_target (excellent by default). */
    assert_non_null(strstr(buf, "\"name\":\"velocity\",\"value\":75,\"unit\":\"days\","
                                "\"grade\":\"on_target\",\"target\":80,\"excellent\":70,"
                                "\"baseline\":90"));
    assert_non_null(strstr(buf, "\"name\":\"conversion\",\"value\":0.6666666666666666,"
                                "\"unit\":\"percent\",\"grade\":\"below_target\",\"target\":0.7,"
                                "\"excellent\":0.8,\"baseline\":0.6"));
    free(buf);
    revops_analysis_free(a);
    /* A KPI name the scorecard does not know is refused. */
    revops_kpi_levels bogus = {"happiness", 1, 2, 0};
    o.kpi_levels = &bogus;
    o.nkpi_levels = 1;
    assert_int_equal(revops_analyze(&a, ds, &o), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "no KPI 'happiness'"));
    revops_dataset_free(ds);
    revops_config_free(c);
}

/* docs/config.md names every key `config init` writes. */
static void test_config_doc_names_every_key(void **state)
{
    (void)state;
    char *doc = test_read(REVOPS_SOURCE_DIR "/docs/config.md");
    assert_non_null(doc);
    revops_config *c;
    assert_int_equal(revops_config_default(&c), 0);
    char *text = written(c);
    size_t keys = 0;
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        char *p = line;
        while (*p == ' ' || *p == '-')
            p++;
        /* "key:" at the start of a line, or "{key: ..., key: ...}" inside one. */
        for (char *k = p; k && *k && *k != '#' && (!end || k < end);) {
            size_t n = 0;
            while ((k[n] >= 'a' && k[n] <= 'z') || k[n] == '_')
                n++;
            if (n > 0 && k[n] == ':') {
                /* `key`, or `parent.key` for a key inside a mapping. */
                char want[80], dotted[80];
                snprintf(want, sizeof(want), "`%.*s`", (int)n, k);
                snprintf(dotted, sizeof(dotted), ".%.*s`", (int)n, k);
                if (!strstr(doc, want) && !strstr(doc, dotted))
                    fail_msg("docs/config.md does not name the key %s", want);
                keys++;
            }
            char *next = strpbrk(k + (n ? n : 1), "{,");
            k = next && (!end || next < end) ? next + 1 : NULL;
            while (k && *k == ' ')
                k++;
        }
        line = end ? end + 1 : NULL;
    }
    assert_true(keys > 60);
    free(text);
    free(doc);
    revops_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults_are_the_documented_ones),
        cmocka_unit_test(test_config_init_loads_back_to_the_defaults),
        cmocka_unit_test(test_config_round_trip_of_a_changed_file),
        cmocka_unit_test(test_config_empty_files_are_the_defaults),
        cmocka_unit_test(test_config_errors_have_line_and_column),
        cmocka_unit_test(test_config_hostile_sizes),
        cmocka_unit_test(test_config_reports_every_error_in_order),
        cmocka_unit_test(test_config_settings_reach_the_analysis),
        cmocka_unit_test(test_config_doc_names_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
