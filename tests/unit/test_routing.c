/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lead routing, factor by factor, on small data sets written by each test: geographic and
 * expertise matching (case, empty values), workload and capacity, tiers from the configured
 * criteria (with an exchange rate), performance min-max scaling, ties, no eligible rep,
 * round robin, a batch that fills a rep's capacity, and the errors of a bad JSON lead or an
 * unknown lead. Every expected number is worked out in the comment beside it. The hand-made
 * set of tests/fixtures/routing (README.md there) is checked end to end by golden.sh.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_util.h"

/* now = 2026-03-15T12:00:00Z for every test. */
static revops_time now(void)
{
    revops_time t;
    assert_int_equal(revops_time_parse(&t, "2026-03-15T12:00:00Z", 20), 0);
    return t;
}

typedef struct world {
    char *dir;
    revops_dataset *ds;
    revops_config *cfg;
    revops_router *router;
} world;

#define REP_HEADER "id,name,role,region,specializations,tiers,capacity,hired_at,active\n"
#define LEAD_HEADER                                                                                \
    "id,created_at,industry,region,employees,estimated_value,currency,stage,owner_id,"             \
    "converted_at,disqualified_at\n"

/* Writes the files (NULL: none), loads them and builds a router with `yaml` (NULL: the
 * defaults) and `opts` (NULL: now as above). */
static void build(world *w, const char *reps, const char *leads, const char *opps, const char *fx,
                  const char *yaml, revops_route_options *opts)
{
    memset(w, 0, sizeof(*w));
    w->dir = test_tmpdir();
    test_write(w->dir, "rep.csv", reps);
    test_write(w->dir, "lead.csv", leads);
    if (opps)
        test_write(w->dir, "opportunity.csv", opps);
    if (fx)
        test_write(w->dir, "fx_rate.csv", fx);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    io.default_currency = "RUB";
    revops_import_report r;
    if (revops_dataset_load_csv(&w->ds, w->dir, &io, &r) != 0)
        fail_msg("%s", revops_error_last()->message);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    if (yaml) {
        if (revops_config_load_string(&w->cfg, yaml, strlen(yaml), "t.yaml", NULL) != 0)
            fail_msg("%s", revops_error_last()->message);
    } else {
        assert_int_equal(revops_config_default(&w->cfg), 0);
    }
    revops_route_options o = REVOPS_ROUTE_OPTIONS_INIT;
    if (!opts)
        opts = &o;
    if (opts->now == REVOPS_NO_TIME)
        opts->now = now();
    if (revops_router_new(&w->router, w->ds, w->cfg, opts) != 0)
        fail_msg("%s", revops_error_last()->message);
}

static void teardown(world *w)
{
    revops_router_free(w->router);
    revops_config_free(w->cfg);
    revops_dataset_free(w->ds);
    test_rmdir(w->dir);
}

static revops_route_decision *route(world *w, const char *lead)
{
    revops_route_decision *d;
    if (revops_router_route(w->router, lead, &d) != 0)
        fail_msg("%s", revops_error_last()->message);
    return d;
}

static const revops_route_candidate *candidate(const revops_route_decision *d, const char *rep)
{
    for (size_t i = 0; i < d->ncandidates; i++)
        if (strcmp(d->candidates[i].rep, rep) == 0)
            return &d->candidates[i];
    fail_msg("no candidate %s", rep);
    return NULL;
}

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-12)

static void test_geographic_ignores_case_and_empty_regions(void **state)
{
    (void)state;
    world w;
    build(&w,
          REP_HEADER "R-1,A,sdr,MOSCOW,,,10,,true\n"
                     "R-2,B,sdr,Kazan,,,10,,true\n"
                     "R-3,C,sdr,,,,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,moscow,,,,lead,,,\n"
                      "L-2,2026-03-01,,,,,,lead,,,\n"
                      "L-3,2026-03-01,,Mosc,,,,lead,,,\n",
          NULL, NULL, NULL, NULL);
    revops_route_decision *d = route(&w, "L-1");
    /* Only R-1 matches, ignoring case: 0.25 + workload 0.20 x (1 - 0/10) = 0.45; the others
     * 0.20. */
    assert_true(candidate(d, "R-1")->factors.geographic == 1);
    assert_true(candidate(d, "R-2")->factors.geographic == 0);
    assert_true(candidate(d, "R-3")->factors.geographic == 0);
    CLOSE(d->score, 0.45);
    assert_string_equal(d->chosen, "R-1");
    revops_route_decision_free(d);
    /* A lead without a region matches nobody (an empty rep region included); a region is
     * matched whole, not as a prefix. */
    const char *leads[] = {"L-2", "L-3"};
    for (int k = 0; k < 2; k++) {
        d = route(&w, leads[k]);
        for (size_t i = 0; i < d->ncandidates; i++)
            assert_true(d->candidates[i].factors.geographic == 0);
        if (k == 0)
            assert_null(d->region);
        else
            assert_string_equal(d->region, "Mosc");
        revops_route_decision_free(d);
    }
    teardown(&w);
}

static void test_expertise_matches_a_whole_specialization(void **state)
{
    (void)state;
    world w;
    build(&w,
          REP_HEADER "R-1,A,sdr,,saas;E-Commerce,,10,,true\n"
                     "R-2,B,sdr,,saasy,,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,e-commerce,,,,,lead,,,\n"
                      "L-2,2026-03-01,saas,,,,,lead,,,\n"
                      "L-3,2026-03-01,,,,,,lead,,,\n",
          NULL, NULL, NULL, NULL);
    revops_route_decision *d = route(&w, "L-1");
    assert_true(candidate(d, "R-1")->factors.expertise == 1);
    assert_true(candidate(d, "R-2")->factors.expertise == 0);
    revops_route_decision_free(d);
    /* "saas" is R-1's, not a part of R-2's "saasy". */
    d = route(&w, "L-2");
    assert_true(candidate(d, "R-1")->factors.expertise == 1);
    assert_true(candidate(d, "R-2")->factors.expertise == 0);
    revops_route_decision_free(d);
    d = route(&w, "L-3");
    assert_true(candidate(d, "R-1")->factors.expertise == 0);
    revops_route_decision_free(d);
    teardown(&w);
}

static void test_workload_and_capacity(void **state)
{
    (void)state;
    world w;
    /* R-1 holds 1 open lead of 4 (L-2; L-3 converted, L-4 disqualified after now is still
     * open, L-5 is created after now): open 2, workload 1 - 2/4 = 0.5. R-2 holds 2 of 2: at
     * capacity, not eligible, workload shown as 0. R-3 has capacity 0, R-4 none. */
    build(&w,
          REP_HEADER "R-1,A,sdr,,,,4,,true\n"
                     "R-2,B,sdr,,,,2,,true\n"
                     "R-3,C,sdr,,,,0,,true\n"
                     "R-4,D,sdr,,,,,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,,,,,lead,,,\n"
                      "L-2,2026-03-01,,,,,,mql,R-1,,\n"
                      "L-3,2026-03-01,,,,,,opportunity,R-1,2026-03-05,\n"
                      "L-4,2026-03-01,,,,,,disqualified,R-1,,2026-03-20\n"
                      "L-5,2026-03-16,,,,,,lead,R-1,,\n"
                      "L-6,2026-03-01,,,,,,lead,R-2,,\n"
                      "L-7,2026-03-01,,,,,,sql,R-2,,\n",
          NULL, NULL, NULL, NULL);
    revops_route_decision *d = route(&w, "L-1");
    const revops_route_candidate *c = candidate(d, "R-1");
    assert_int_equal(c->open_leads, 2);
    CLOSE(c->factors.workload, 0.5);
    assert_true(c->eligible);
    c = candidate(d, "R-2");
    assert_false(c->eligible);
    assert_string_equal(c->not_eligible, "at capacity");
    assert_true(c->factors.workload == 0);
    assert_true(isnan(c->score));
    assert_string_equal(candidate(d, "R-3")->not_eligible, "capacity 0");
    assert_string_equal(candidate(d, "R-4")->not_eligible, "no capacity set");
    assert_true(isnan(candidate(d, "R-4")->factors.workload));
    /* Eligible first, then the others by id. */
    assert_string_equal(d->candidates[0].rep, "R-1");
    assert_string_equal(d->candidates[1].rep, "R-2");
    assert_int_equal(d->neligible, 1);
    assert_string_equal(d->reason, "the only eligible rep of 4 candidates");
    revops_route_decision_free(d);
    /* Routing R-2's own lead does not count it: 1 of 2 open, workload 0.5, eligible. */
    d = route(&w, "L-6");
    c = candidate(d, "R-2");
    assert_int_equal(c->open_leads, 1);
    assert_true(c->eligible);
    revops_route_decision_free(d);
    teardown(&w);
}

static void test_everyone_at_capacity_or_inactive(void **state)
{
    (void)state;
    world w;
    build(&w,
          REP_HEADER "R-1,A,sdr,,,,1,,true\n"
                     "R-2,B,sdr,,,,5,,false\n"
                     "R-3,C,sdr,,,,5,2026-04-01,true\n"
                     "R-4,D,ae,,,,5,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,,,,,lead,,,\n"
                      "L-2,2026-03-01,,,,,,lead,R-1,,\n",
          NULL, NULL, NULL, NULL);
    revops_route_decision *d = route(&w, "L-1");
    assert_null(d->chosen);
    assert_true(isnan(d->score));
    assert_int_equal(d->ncandidates, 3); /* R-4 is an ae, not a candidate for a lead */
    assert_int_equal(d->neligible, 0);
    assert_string_equal(d->reason, "no eligible rep: of 3 candidates with role sdr, 1 inactive, "
                                   "1 not hired yet, 1 at capacity");
    revops_route_decision_free(d);
    teardown(&w);
}

static void test_tier_from_criteria_and_exchange_rates(void **state)
{
    (void)state;
    world w;
    /* Default tiers: 40,000 USD x 90 = 3,600,000 RUB >= 3,000,000 -> enterprise; 600,000 RUB
     * -> mid; 12 employees -> smb; nothing -> no tier. */
    build(&w,
          REP_HEADER "R-1,A,sdr,,,enterprise,10,,true\n"
                     "R-2,B,sdr,,,smb;mid,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,,,40000,USD,lead,,,\n"
                      "L-2,2026-03-01,,,,600000,RUB,lead,,,\n"
                      "L-3,2026-03-01,,,12,,,lead,,,\n"
                      "L-4,2026-03-01,,,,,,lead,,,\n",
          NULL, "date,currency,rate\n2026-01-01,USD,90\n", NULL, NULL);
    static const struct {
        const char *lead, *tier;
        double r1, r2;
    } cases[] = {{"L-1", "enterprise", 1, 0},
                 {"L-2", "mid", 0, 1},
                 {"L-3", "smb", 0, 1},
                 {NULL, NULL, 0, 0}};
    for (int k = 0; cases[k].lead; k++) {
        revops_route_decision *d = route(&w, cases[k].lead);
        assert_string_equal(d->tier, cases[k].tier);
        assert_true(candidate(d, "R-1")->factors.tier == cases[k].r1);
        assert_true(candidate(d, "R-2")->factors.tier == cases[k].r2);
        revops_route_decision_free(d);
    }
    revops_route_decision *d = route(&w, "L-4");
    assert_null(d->tier);
    assert_true(candidate(d, "R-1")->factors.tier == 0 && candidate(d, "R-2")->factors.tier == 0);
    revops_route_decision_free(d);
    teardown(&w);
}

static void test_tier_without_exchange_rate_is_an_error(void **state)
{
    (void)state;
    world w;
    build(&w, REP_HEADER "R-1,A,sdr,,,,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,,,5000,GBP,lead,,,\n"
                      "L-2,2026-03-01,,,,5000,RUB,lead,,,\n",
          NULL, NULL, NULL, NULL);
    revops_route_decision *d = NULL;
    assert_int_equal(revops_router_route(w.router, "L-1", &d), REVOPS_EINVALID);
    assert_null(d);
    const char *msg = revops_error_last()->message;
    assert_non_null(strstr(msg, "lead L-1: routing tier 'enterprise'"));
    assert_non_null(strstr(msg, "GBP"));
    teardown(&w);
}

static void test_performance_is_min_max_scaled(void **state)
{
    (void)state;
    world w;
    /* Settled in the 365 days before now: R-1 1 won of 5 (0.2), R-2 3 of 5 (0.6), R-3 2 of 2
     * (1.0); R-4 none. Scaled over the eligible with a rate: R-1 0, R-2 (0.6 - 0.2) / 0.8 =
     * 0.5, R-3 1; R-4 0. R-2's 2024 disqualification lies outside the window. */
    char leads[4096] = LEAD_HEADER "L-0,2026-03-01,,,,,,lead,,,\n";
    char opps[2048] = "id,owner_id,created_at,stage,amount,currency,close_date,closed_at,lead_id\n";
    static const struct {
        const char *rep;
        int won, lost;
    } reps[] = {{"R-1", 1, 4}, {"R-2", 3, 2}, {"R-3", 2, 0}};
    int n = 0;
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < reps[k].won + reps[k].lost; i++, n++) {
            char row[256];
            int won = i < reps[k].won;
            snprintf(row, sizeof(row), "L-%d,2026-01-01,,,,,,%s,%s,%s,%s\n", 100 + n,
                     won ? "customer" : "disqualified", reps[k].rep, won ? "2026-01-10" : "",
                     won ? "" : "2026-02-01");
            strcat(leads, row);
            if (won) {
                snprintf(row, sizeof(row),
                         "O-%d,R-9,2026-01-10,closed_won,1000,RUB,2026-02-01,2026-02-01,L-%d\n", n,
                         100 + n);
                strcat(opps, row);
            }
        }
    }
    strcat(leads, "L-99,2024-01-01,,,,,,disqualified,R-2,,2024-06-01\n");
    build(&w,
          REP_HEADER "R-1,A,sdr,,,,10,,true\n"
                     "R-2,B,sdr,,,,10,,true\n"
                     "R-3,C,sdr,,,,10,,true\n"
                     "R-4,D,sdr,,,,10,,true\n"
                     "R-9,E,ae,,,,,,true\n",
          leads, opps, NULL, NULL, NULL);
    revops_route_decision *d = route(&w, "L-0");
    CLOSE(candidate(d, "R-1")->conversion, 0.2);
    assert_int_equal(candidate(d, "R-2")->settled, 5);
    CLOSE(candidate(d, "R-1")->factors.performance, 0);
    CLOSE(candidate(d, "R-2")->factors.performance, 0.5);
    CLOSE(candidate(d, "R-3")->factors.performance, 1);
    assert_true(isnan(candidate(d, "R-4")->conversion));
    assert_true(candidate(d, "R-4")->factors.performance == 0);
    /* All workloads are 1 (nobody holds an open lead): R-3 0.20 + 0.10 = 0.30 wins. */
    assert_string_equal(d->chosen, "R-3");
    CLOSE(d->score, 0.30);
    revops_route_decision_free(d);
    teardown(&w);
}

static void test_equal_conversion_gives_no_one_performance(void **state)
{
    (void)state;
    world w;
    build(&w,
          REP_HEADER "R-1,A,sdr,,,,10,,true\n"
                     "R-2,B,sdr,,,,10,,true\n",
          LEAD_HEADER "L-0,2026-03-01,,,,,,lead,,,\n"
                      "L-1,2026-01-01,,,,,,disqualified,R-1,,2026-02-01\n"
                      "L-2,2026-01-01,,,,,,disqualified,R-2,,2026-02-01\n",
          NULL, NULL, NULL, NULL);
    revops_route_decision *d = route(&w, "L-0");
    assert_true(candidate(d, "R-1")->factors.performance == 0);
    assert_true(candidate(d, "R-2")->factors.performance == 0);
    revops_route_decision_free(d);
    teardown(&w);
}

static void test_ties_go_to_fewer_open_leads_then_id(void **state)
{
    (void)state;
    world w;
    /* Weights: workload only is switched off, so every rep scores geographic 0.5 + expertise
     * 0.5 = 1 for L-1; hold 1 open lead, R-1 2 (capacities 10). */
    const char *yaml = "revops:\n  process_alignment:\n    workflows:\n      routing:\n"
                       "        weights: {geographic: 0.5, expertise: 0.5, workload: 0, tier: 0, "
                       "performance: 0}\n";
    build(&w,
          REP_HEADER "R-1,A,sdr,Moscow,saas,,10,,true\n"
                     "R-3,C,sdr,Moscow,saas,,10,,true\n"
                     "R-2,B,sdr,Moscow,saas,,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,saas,Moscow,,,,lead,,,\n"
                      "L-2,2026-03-01,,,,,,lead,R-1,,\n"
                      "L-3,2026-03-01,,,,,,lead,R-1,,\n"
                      "L-4,2026-03-01,,,,,,lead,R-2,,\n"
                      "L-5,2026-03-01,,,,,,lead,R-3,,\n",
          NULL, NULL, yaml, NULL);
    revops_route_decision *d = route(&w, "L-1");
    assert_string_equal(d->chosen, "R-2");
    assert_string_equal(d->reason,
                        "tied on score 1.000 and open leads (1) with R-3; the first by rep id");
    assert_string_equal(d->candidates[0].rep, "R-2");
    assert_string_equal(d->candidates[1].rep, "R-3");
    assert_string_equal(d->candidates[2].rep, "R-1");
    revops_route_decision_free(d);
    teardown(&w);

    /* Fewer open leads break a tie of scores; scores that differ only in the last bits of a
     * double (0.1 + 0.2 against 0.3) are a tie. R-1: geographic 0.1 + expertise 0.2; R-2:
     * tier 0.3 (mid). R-2 holds one open lead, R-1 none. */
    yaml = "revops:\n  process_alignment:\n    workflows:\n      routing:\n"
           "        weights: {geographic: 0.1, expertise: 0.2, workload: 0, tier: 0.3, "
           "performance: 0}\n";
    build(&w,
          REP_HEADER "R-1,A,sdr,Moscow,saas,smb,10,,true\n"
                     "R-2,B,sdr,Kazan,media,mid,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,saas,Moscow,150,,,lead,,,\n"
                      "L-2,2026-03-01,,,,,,lead,R-2,,\n",
          NULL, NULL, yaml, NULL);
    d = route(&w, "L-1");
    assert_true(0.1 * 1 + 0.2 * 1 != 0.3); /* the premise */
    assert_string_equal(d->chosen, "R-1");
    assert_string_equal(d->reason, "tied on score 0.300 with R-2; fewer open leads (0 against 1)");
    revops_route_decision_free(d);
    teardown(&w);
}

static void test_roles_and_options(void **state)
{
    (void)state;
    world w;
    revops_route_options o = REVOPS_ROUTE_OPTIONS_INIT;
    o.role = "any";
    build(&w,
          REP_HEADER "R-1,A,ae,,,,10,,true\n"
                     "R-2,B,,,,,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,,,,,sql,,,\n", NULL, NULL, NULL, &o);
    revops_route_decision *d = route(&w, "L-1");
    assert_int_equal(d->ncandidates, 2);
    assert_string_equal(d->role, "any");
    revops_route_decision_free(d);
    teardown(&w);
    /* By stage: sql is owned by sdr (default lead_stages); nobody is one. */
    build(&w, REP_HEADER "R-1,A,ae,,,,10,,true\n", LEAD_HEADER "L-1,2026-03-01,,,,,,sql,,,\n", NULL,
          NULL, NULL, NULL);
    d = route(&w, "L-1");
    assert_int_equal(d->ncandidates, 0);
    assert_null(d->chosen);
    assert_string_equal(d->reason, "no rep has the role sdr, the owner role of lead stage sql");
    revops_route_decision_free(d);
    teardown(&w);
    /* A role that does not exist is an option error. */
    revops_dataset *ds = NULL;
    revops_config *cfg = NULL;
    revops_router *r = NULL;
    assert_int_equal(revops_config_default(&cfg), 0);
    char *dir = test_tmpdir();
    test_write(dir, "rep.csv", REP_HEADER);
    revops_import_report rep;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &rep), 0);
    revops_import_report_free(&rep);
    o.role = "wizard";
    assert_int_equal(revops_router_new(&r, ds, cfg, &o), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "no role 'wizard'"));
    /* Empty data give no "now" to default to. */
    o.role = NULL;
    o.now = REVOPS_NO_TIME;
    assert_int_equal(revops_router_new(&r, ds, cfg, &o), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "no events to take 'now' from"));
    assert_null(r);
    revops_dataset_free(ds);
    revops_config_free(cfg);
    test_rmdir(dir);
}

static void test_round_robin_takes_turns_and_wraps(void **state)
{
    (void)state;
    world w;
    revops_route_options o = REVOPS_ROUTE_OPTIONS_INIT;
    o.method = REVOPS_ROUTING_ROUND_ROBIN;
    build(&w,
          REP_HEADER "R-2,B,sdr,,,,10,,true\n"
                     "R-1,A,sdr,,,,10,,true\n"
                     "R-3,C,sdr,,,,1,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,,,,,lead,,,\n"
                      "L-2,2026-03-02,,,,,,lead,,,\n"
                      "L-3,2026-03-03,,,,,,lead,,,\n"
                      "L-4,2026-03-04,,,,,,lead,,,\n",
          NULL, NULL, NULL, &o);
    revops_route_batch *b;
    assert_int_equal(revops_router_route_unassigned(w.router, &b), 0);
    /* No earlier routing: R-1 first; then R-2, R-3 (capacity 1, now full), back to R-1. */
    assert_int_equal(b->routed, 4);
    const char *want[] = {"R-1", "R-2", "R-3", "R-1"};
    for (int i = 0; i < 4; i++)
        assert_string_equal(b->assignments[i].chosen, want[i]);
    assert_string_equal(b->assignments[3].reason, "round robin: back to the first eligible rep "
                                                  "by id after R-3, who had the last lead");
    revops_route_batch_free(b);
    teardown(&w);
}

static void test_batch_fills_capacity_then_stops(void **state)
{
    (void)state;
    world w;
    /* R-1 (Moscow) has room for 2, R-2 for 1. Three Moscow leads: the first two go to R-1
     * (0.25 + workload), the third to R-2 (R-1 is full), the fourth to nobody. */
    build(&w,
          REP_HEADER "R-1,A,sdr,Moscow,,,2,,true\n"
                     "R-2,B,sdr,Kazan,,,1,,true\n",
          LEAD_HEADER "L-4,2026-03-04,,Moscow,,,,lead,,,\n"
                      "L-1,2026-03-01,,Moscow,,,,lead,,,\n"
                      "L-3,2026-03-02,,Moscow,,,,mql,,,\n"
                      "L-2,2026-03-02,,Moscow,,,,lead,,,\n"
                      "L-9,2026-03-02,,Moscow,,,,disqualified,,,2026-03-03\n",
          NULL, NULL, NULL, NULL);
    revops_route_batch *b;
    assert_int_equal(revops_router_route_unassigned(w.router, &b), 0);
    assert_int_equal(b->unassigned, 4);
    assert_int_equal(b->routed, 3);
    assert_int_equal(b->unroutable, 1);
    /* Oldest first; L-2 and L-3 share a time and go by id. */
    const char *leads[] = {"L-1", "L-2", "L-3", "L-4"};
    const char *reps[] = {"R-1", "R-1", "R-2", NULL};
    /* L-1: R-1 0.25 + 0.2 = 0.45; L-2: R-1 0.25 + 0.2 x 1/2 = 0.35; L-3: R-2 0.2. */
    const double scores[] = {0.45, 0.35, 0.20};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(b->assignments[i].lead, leads[i]);
        if (reps[i]) {
            assert_string_equal(b->assignments[i].chosen, reps[i]);
            CLOSE(b->assignments[i].score, scores[i]);
        } else {
            assert_null(b->assignments[i].chosen);
        }
    }
    assert_string_equal(b->assignments[3].reason,
                        "no eligible rep: of 2 candidates with role sdr, 2 at capacity");
    revops_route_batch_free(b);
    teardown(&w);
}

/* Routes `json`, expecting an error at line:column whose message contains `says`. */
static void bad_json(world *w, const char *json, long line, long column, const char *says)
{
    revops_route_decision *d = NULL;
    int rc = revops_router_route_json(w->router, json, strlen(json), "stdin", &d);
    const revops_error *e = revops_error_last();
    if (rc != REVOPS_EINVALID || e->line != line || e->column != column ||
        !strstr(e->message, says) || strcmp(e->file, "stdin") != 0)
        fail_msg("%s: got %d at %ld:%ld '%s'; expected %ld:%ld '%s'", json, rc, e->line, e->column,
                 e->message, line, column, says);
    assert_null(d);
}

static void test_json_lead(void **state)
{
    (void)state;
    world w;
    build(&w,
          REP_HEADER "R-1,A,sdr,Moscow,ecommerce,mid,10,,true\n"
                     "R-2,B,sdr,Kazan,,smb,10,,true\n",
          LEAD_HEADER "L-1,2026-03-01,,,,,,lead,R-2,,\n", NULL, NULL, NULL, NULL);
    size_t leads_before = revops_dataset_rows(w.ds, (size_t)revops_entity_find("lead", 4));
    const char *json = "{\"company\":\"Acme\",\"industry\":\"ecommerce\",\"region\":\"Moscow\","
                       "\"estimated_value\":\"1200000 RUB\"}";
    revops_route_decision *d;
    assert_int_equal(revops_router_route_json(w.router, json, strlen(json), "stdin", &d), 0);
    /* 1,200,000 RUB is mid; R-1: 0.25 + 0.30 + 0.20 + 0.15 = 0.90; R-2 holds L-1: 0.2 x 0.9 =
     * 0.18. The lead is not kept in the data. */
    assert_string_equal(d->lead, "(input)");
    assert_string_equal(d->stage, "lead");
    assert_string_equal(d->tier, "mid");
    assert_string_equal(d->chosen, "R-1");
    CLOSE(d->score, 0.90);
    CLOSE(candidate(d, "R-2")->score, 0.18);
    assert_int_equal(revops_dataset_rows(w.ds, (size_t)revops_entity_find("lead", 4)),
                     leads_before);
    revops_route_decision_free(d);
    /* A number with "currency", an id, a stage and null values. */
    json = "{\"id\": \"W-7\", \"stage\": \"sql\", \"estimated_value\": 600000.5, \"currency\": "
           "\"RUB\", \"region\": null, \"employees\": 3}";
    assert_int_equal(revops_router_route_json(w.router, json, strlen(json), "stdin", &d), 0);
    assert_string_equal(d->lead, "W-7");
    assert_string_equal(d->stage, "sql");
    assert_string_equal(d->tier, "mid");
    revops_route_decision_free(d);

    bad_json(&w, "{\"company\": \"Acme\",}", 1, 20, "no trailing commas");
    bad_json(&w, "[1]", 1, 1, "expected a lead as an object of its fields");
    bad_json(&w, "{\n  \"compnay\": \"Acme\"}", 2, 3,
             "no lead field 'compnay': did you mean 'company'?");
    bad_json(&w, "{\"Company\": \"Acme\"}", 1, 2, "did you mean 'company'?");
    bad_json(&w, "{\"employees\": \"250\"}", 1, 15,
             "employees: expected a whole number of at least 0, found a string");
    bad_json(&w, "{\"employees\": 2.5}", 1, 15, "employees: expected a whole number");
    bad_json(&w, "{\"region\": 5}", 1, 12, "region: expected a string, found a number");
    bad_json(&w, "{\"stage\": \"won\"}", 1, 11, "stage: expected one of lead, mql, sql");
    bad_json(&w, "{\"created_at\": \"yesterday\"}", 1, 16, "created_at: expected a date or time");
    bad_json(&w, "{\"estimated_value\": 1200000}", 1, 21,
             "estimated_value needs its currency: write \"1200000 RUB\"");
    bad_json(&w, "{\"estimated_value\": \"1200000 RUR\"}", 1, 21,
             "expected an amount and an ISO 4217 code");
    bad_json(&w, "{\"estimated_value\": \"12.345 RUB\"}", 1, 21, "estimated_value:");
    bad_json(&w, "{\"estimated_value\": \"5 RUB\", \"currency\": \"USD\"}", 1, 21,
             "estimated_value is in RUB, but currency says USD");
    bad_json(&w, "{\"estimated_value\": \"-5 RUB\"}", 1, 21, "cannot be negative");
    bad_json(&w, "{\"currency\": \"rub\"}", 1, 14, "currency: expected an ISO 4217 code");
    assert_int_equal(revops_dataset_rows(w.ds, (size_t)revops_entity_find("lead", 4)),
                     leads_before);
    teardown(&w);
}

static void test_unknown_lead(void **state)
{
    (void)state;
    world w;
    build(&w, REP_HEADER "R-1,A,sdr,,,,10,,true\n", LEAD_HEADER "L-1,2026-03-01,,,,,,lead,,,\n",
          NULL, NULL, NULL, NULL);
    revops_route_decision *d = NULL;
    assert_int_equal(revops_router_route(w.router, "L-404", &d), REVOPS_ENOTFOUND);
    assert_string_equal(revops_error_last()->message, "no lead 'L-404' in the data");
    assert_null(d);
    teardown(&w);
}

/* A lead read from the store by id: one stored before the router was built routes as from
 * the data (tests/fixtures/routing: U-1 to R-1 at 0.80), and one stored after it is found
 * too; an id the store lacks is REVOPS_ENOTFOUND. */
static void test_route_a_lead_from_the_store(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char db[512];
    test_path(db, sizeof(db), dir, "r.db");
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    revops_store *store;
    assert_int_equal(revops_store_open(&store, db, &so), 0);
    const char *paths[] = {REVOPS_SOURCE_DIR "/tests/fixtures/routing"};
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    revops_import_report rep;
    assert_int_equal(revops_import(store, paths, 1, &io, &rep), 0);
    assert_int_equal(rep.rejected, 0);
    revops_import_report_free(&rep);
    revops_dataset *ds;
    assert_int_equal(revops_dataset_load_store(&ds, store, NULL, NULL), 0);
    revops_config *cfg;
    assert_int_equal(revops_config_default(&cfg), 0);
    revops_route_options ro = REVOPS_ROUTE_OPTIONS_INIT;
    ro.now = now();
    revops_router *r;
    assert_int_equal(revops_router_new(&r, ds, cfg, &ro), 0);
    size_t leads = revops_dataset_rows(ds, (size_t)revops_entity_find("lead", 4));
    revops_route_decision *d;
    assert_int_equal(revops_router_route_stored(r, store, "U-1", &d), 0);
    assert_string_equal(d->chosen, "R-1");
    CLOSE(d->score, 0.80);
    revops_route_decision_free(d);
    /* A new lead in Kazan, fintech, 2,000 employees (like U-2): R-2 at 0.96. */
    test_write(dir, "lead.csv",
               "id,created_at,industry,region,employees,stage\n"
               "W-1,2026-03-15T08:00:00Z,fintech,Kazan,2000,lead\n");
    paths[0] = dir;
    assert_int_equal(revops_import(store, paths, 1, &io, &rep), 0);
    revops_import_report_free(&rep);
    assert_int_equal(revops_router_route_stored(r, store, "W-1", &d), 0);
    assert_string_equal(d->lead, "W-1");
    assert_string_equal(d->chosen, "R-2");
    CLOSE(d->score, 0.96);
    revops_route_decision_free(d);
    d = NULL;
    assert_int_equal(revops_router_route_stored(r, store, "W-2", &d), REVOPS_ENOTFOUND);
    assert_null(d);
    assert_string_equal(revops_error_last()->message, "no lead 'W-2' in the store");
    assert_int_equal(revops_dataset_rows(ds, (size_t)revops_entity_find("lead", 4)), leads);
    revops_router_free(r);
    revops_config_free(cfg);
    revops_dataset_free(ds);
    revops_store_close(store);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geographic_ignores_case_and_empty_regions),
        cmocka_unit_test(test_expertise_matches_a_whole_specialization),
        cmocka_unit_test(test_workload_and_capacity),
        cmocka_unit_test(test_everyone_at_capacity_or_inactive),
        cmocka_unit_test(test_tier_from_criteria_and_exchange_rates),
        cmocka_unit_test(test_tier_without_exchange_rate_is_an_error),
        cmocka_unit_test(test_performance_is_min_max_scaled),
        cmocka_unit_test(test_equal_conversion_gives_no_one_performance),
        cmocka_unit_test(test_ties_go_to_fewer_open_leads_then_id),
        cmocka_unit_test(test_roles_and_options),
        cmocka_unit_test(test_round_robin_takes_turns_and_wraps),
        cmocka_unit_test(test_batch_fills_capacity_then_stops),
        cmocka_unit_test(test_json_lead),
        cmocka_unit_test(test_unknown_lead),
        cmocka_unit_test(test_route_a_lead_from_the_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
