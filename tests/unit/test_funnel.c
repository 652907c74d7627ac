/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The funnel section of `revops analyze` on the hand-made data set of tests/fixtures/funnel
 * (whose README.md derives every number) and on small edge-case sets written here. Every
 * expected value was worked out by hand; the comments show the working.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytics/analysis.h"
#include "analytics/stats_math.h"
#include "revops/revops.h"
#include "test_util.h"

#define FUNNEL REVOPS_SOURCE_DIR "/tests/fixtures/funnel"
#define NO_LEADS REVOPS_SOURCE_DIR "/tests/fixtures/analyze"

/* ---- a small reader of the compact JSON the report writes ---- */

/* The end of the JSON value at p. */
static const char *skip_value(const char *p)
{
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
                p++;
        return *p ? p + 1 : p;
    }
    if (*p == '{' || *p == '[') {
        int depth = 0;
        do {
            if (*p == '"') {
                p = skip_value(p);
                continue;
            }
            depth += *p == '{' || *p == '[';
            depth -= *p == '}' || *p == ']';
            p++;
        } while (*p && depth > 0);
        return p;
    }
    while (*p && *p != ',' && *p != '}' && *p != ']')
        p++;
    return p;
}

/* The value at a dotted path ("funnel.by_source.3.source": keys, and indexes in arrays). */
static const char *at(const char *json, const char *path)
{
    const char *p = json;
    char part[96];
    while (*path) {
        size_t n = strcspn(path, ".");
        assert_true(n < sizeof(part));
        memcpy(part, path, n);
        part[n] = '\0';
        path += n + (path[n] == '.');
        if (*p == '[') {
            long index = strtol(part, NULL, 10);
            p++;
            for (long i = 0; i < index && *p != ']'; i++) {
                p = skip_value(p);
                if (*p == ',')
                    p++;
            }
            if (*p == ']')
                fail_msg("no element %s", part);
            continue;
        }
        if (*p != '{')
            fail_msg("%s: not an object", part);
        p++;
        for (;;) {
            if (*p != '"')
                fail_msg("no key %s", part);
            const char *key = p + 1;
            p = skip_value(p);
            int hit = (size_t)(p - 1 - key) == n && strncmp(key, part, n) == 0;
            p++; /* ':' */
            if (hit)
                break;
            p = skip_value(p);
            if (*p != ',')
                fail_msg("no key %s", part);
            p++;
        }
    }
    return p;
}

static double num(const char *json, const char *path)
{
    const char *p = at(json, path);
    if (strncmp(p, "null", 4) == 0)
        fail_msg("%s is null", path);
    return strtod(p, NULL);
}

static int is_null(const char *json, const char *path)
{
    return strncmp(at(json, path), "null", 4) == 0;
}

static int str_is(const char *json, const char *path, const char *want)
{
    const char *p = at(json, path);
    size_t n = strlen(want);
    return p[0] == '"' && strncmp(p + 1, want, n) == 0 && p[n + 1] == '"';
}

static size_t array_len(const char *json, const char *path)
{
    const char *p = at(json, path);
    assert_true(*p == '[');
    size_t n = 0;
    for (p++; *p && *p != ']'; n++) {
        p = skip_value(p);
        if (*p == ',')
            p++;
    }
    return n;
}

#define assert_num(json, path, want) assert_true(fabs(num(json, path) - (want)) < 1e-12)

/* ---- running the section ---- */

typedef struct run {
    revops_dataset *ds;
    revops_kpi_values k;
    char *json;
} run;

static revops_dataset *load(const char *dir)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    return ds;
}

/* Runs the funnel section alone as of y-m-d with the given SLAs. */
static void analyse(run *out, const char *dir, int y, int m, int d, int sla_min, int handoff_h)
{
    memset(out, 0, sizeof(*out));
    out->ds = load(dir);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = revops_day_from_ymd(y, m, d);
    o.response_sla_minutes = sla_min;
    o.handoff_sla_hours = handoff_h;
    revops_actx c;
    assert_int_equal(revops_actx__init(&c, out->ds, &o), 0);
    revops_rt *rt;
    assert_int_equal(revops_rt__new(&rt, c.currency, c.exponent), 0);
    revops_kpi__na(&out->k.lead_response_minutes, "not set by the section");
    assert_int_equal(revops_analytics__funnel(&c, revops_rt__root(rt), &out->k), 0);
    revops_json *j;
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_rt__write_json(rt, j), 0);
    const char *text = revops_json_text(j, NULL);
    out->json = malloc(strlen(text) + 1);
    assert_non_null(out->json);
    memcpy(out->json, text, strlen(text) + 1);
    revops_json_free(j);
    revops_rt__free(rt);
    revops_actx__free(&c);
}

static void run_free(run *r)
{
    free(r->json);
    revops_dataset_free(r->ds);
}

/* ---- the fixture as of 2026-06-30 (README.md) ---- */

static void test_totals_count_skipped_stages_and_ignore_the_future(void **state)
{
    (void)state;
    run r;
    analyse(&r, FUNNEL, 2026, 6, 30, 5, 24);
    const char *j = r.json;
    /* L-17 (created 07-02) is not there; L-04 skipped MQL but reached SQL, so it counts for
     * MQL; L-12's SQL (07-03) and O-7's win (07-10) come after the day. */
    assert_num(j, "funnel.reached.lead", 16);
    assert_num(j, "funnel.reached.mql", 11);
    assert_num(j, "funnel.reached.sql", 7);
    assert_num(j, "funnel.reached.opportunity", 6);
    assert_num(j, "funnel.reached.won", 3);
    assert_num(j, "funnel.conversion.lead_to_mql", 11.0 / 16);
    assert_num(j, "funnel.conversion.mql_to_sql", 7.0 / 11);
    assert_num(j, "funnel.conversion.sql_to_opportunity", 6.0 / 7);
    assert_num(j, "funnel.conversion.opportunity_to_won", 0.5);
    assert_num(j, "funnel.conversion.lead_to_won", 3.0 / 16);
    /* lead->MQL days 0.25, .5, .5, 1, 1, 2, 2, 2, 2, 3: median (1 + 2) / 2; MQL->SQL .5, 1, 1,
     * 2, 2, 3 (L-04 has no MQL time); SQL->opp 1, 3, 3, 4, 4, 5 (L-11's from O-11's
     * creation); opp->won 14, 40, 60. */
    assert_num(j, "funnel.median_days.lead_to_mql", 1.5);
    assert_num(j, "funnel.median_days.mql_to_sql", 1.5);
    assert_num(j, "funnel.median_days.sql_to_opportunity", 3.5);
    assert_num(j, "funnel.median_days.opportunity_to_won", 40);
    run_free(&r);
}

static void test_cohorts_and_sources(void **state)
{
    (void)state;
    run r;
    analyse(&r, FUNNEL, 2026, 6, 30, 5, 24);
    const char *j = r.json;
    assert_int_equal(array_len(j, "funnel.by_cohort"), 3);
    /* April: L-01..L-05, 5 5 3 3 2; opp->won days 40 and 60. */
    assert_true(str_is(j, "funnel.by_cohort.0.cohort", "2026-04"));
    assert_num(j, "funnel.by_cohort.0.lead", 5);
    assert_num(j, "funnel.by_cohort.0.mql", 5);
    assert_num(j, "funnel.by_cohort.0.won", 2);
    assert_num(j, "funnel.by_cohort.0.mql_to_sql", 0.6);
    assert_num(j, "funnel.by_cohort.0.opportunity_to_won", 2.0 / 3);
    assert_num(j, "funnel.by_cohort.0.median_days_opportunity_to_won", 50);
    /* May: nothing won on the day (O-7 is won on 07-10): 0 of 2, and no days to won. */
    assert_true(str_is(j, "funnel.by_cohort.1.cohort", "2026-05"));
    assert_num(j, "funnel.by_cohort.1.opportunity_to_won", 0);
    assert_true(is_null(j, "funnel.by_cohort.1.median_days_opportunity_to_won"));
    /* June: L-12..L-16; lead->MQL days 2, 1, 0.25. */
    assert_true(str_is(j, "funnel.by_cohort.2.cohort", "2026-06"));
    assert_num(j, "funnel.by_cohort.2.lead", 5);
    assert_num(j, "funnel.by_cohort.2.mql_to_sql", 1.0 / 3);
    assert_num(j, "funnel.by_cohort.2.median_days_lead_to_mql", 1);
    /* Sources by leads: organic_search 7, webinar 4, outbound 3, (none) 2. */
    assert_int_equal(array_len(j, "funnel.by_source"), 4);
    assert_true(str_is(j, "funnel.by_source.0.source", "organic_search"));
    assert_num(j, "funnel.by_source.0.lead_to_mql", 4.0 / 7);
    assert_num(j, "funnel.by_source.0.median_days_mql_to_sql", 1);
    assert_true(str_is(j, "funnel.by_source.1.source", "webinar"));
    assert_num(j, "funnel.by_source.1.median_days_sql_to_opportunity", 2.5);
    assert_true(str_is(j, "funnel.by_source.2.source", "outbound"));
    assert_num(j, "funnel.by_source.2.mql", 2);
    assert_true(str_is(j, "funnel.by_source.3.source", "(none)"));
    assert_num(j, "funnel.by_source.3.lead", 2);
    assert_num(j, "funnel.by_source.3.mql_to_sql", 0);
    assert_true(is_null(j, "funnel.by_source.3.sql_to_opportunity"));   /* 0 of 0 */
    assert_num(j, "funnel.by_source.3.median_days_lead_to_mql", 1.125); /* (2 + 0.25) / 2 */
    run_free(&r);
}

static void test_response_and_slas(void **state)
{
    (void)state;
    run r;
    analyse(&r, FUNNEL, 2026, 6, 30, 5, 24);
    const char *j = r.json;
    /* Answered by the day: 1, 1, 2, 3, 4, 5, 10, 20, 30, 45, 60 minutes (L-10 answers only on
     * 07-02; L-16's answer predates it and is left out). Median the 6th, p90 at 10 x 0.9 = 9:
     * the 10th. */
    assert_num(j, "funnel.lead_response_minutes.answered", 11);
    assert_num(j, "funnel.lead_response_minutes.response_before_created", 1);
    assert_num(j, "funnel.lead_response_minutes.median", 5);
    assert_num(j, "funnel.lead_response_minutes.p90", 45);
    assert_true(r.k.lead_response_minutes.value == 5.0);
    /* Inbound 11: within 5 (5 minutes exactly counts), late 3, never or only later answered
     * 2, L-14 created 179 s before the day's end still pending. 5 / 10. */
    assert_num(j, "funnel.response_sla.inbound_leads", 11);
    assert_num(j, "funnel.response_sla.within_sla", 5);
    assert_num(j, "funnel.response_sla.answered_late", 3);
    assert_num(j, "funnel.response_sla.unanswered_overdue", 2);
    assert_num(j, "funnel.response_sla.pending", 1);
    assert_num(j, "funnel.sla_compliance", 0.5);
    /* MQLs with mql_at 10: taken up within 24 h 4, late 3, waiting past it 2, pending 1. */
    assert_num(j, "funnel.handoff_sla.mqls", 10);
    assert_num(j, "funnel.handoff_sla.within_sla", 4);
    assert_num(j, "funnel.handoff_sla.taken_up_late", 3);
    assert_num(j, "funnel.handoff_sla.waiting_overdue", 2);
    assert_num(j, "funnel.handoff_sla.pending", 1);
    assert_num(j, "funnel.handoff_sla_compliance", 4.0 / 9);
    run_free(&r);
}

static void test_other_slas(void **state)
{
    (void)state;
    run r;
    analyse(&r, FUNNEL, 2026, 6, 30, 10, 48);
    const char *j = r.json;
    /* 10 minutes: L-02 (10) joins the within, L-08 30 and L-12 20 stay late; L-14 (179 s) is
     * still pending: 6 / (6 + 2 + 2). */
    assert_num(j, "funnel.response_sla.within_sla", 6);
    assert_num(j, "funnel.response_sla.answered_late", 2);
    assert_num(j, "funnel.response_sla.pending", 1);
    assert_num(j, "funnel.sla_compliance", 0.6);
    /* 48 hours: L-01 and L-09 (48 h exactly) join the within; L-07 (72 h) stays late; L-05
     * and L-12 wait past it; L-15 pending: 6 / 9. */
    assert_num(j, "funnel.handoff_sla.within_sla", 6);
    assert_num(j, "funnel.handoff_sla.taken_up_late", 1);
    assert_num(j, "funnel.handoff_sla.waiting_overdue", 2);
    assert_num(j, "funnel.handoff_sla_compliance", 6.0 / 9);
    run_free(&r);
}

/* As of 2026-05-31: L-01..L-11 exist; O-4 is still open, so L-04 stops at opportunity. */
static void test_an_earlier_as_of_day(void **state)
{
    (void)state;
    run r;
    analyse(&r, FUNNEL, 2026, 5, 31, 5, 24);
    const char *j = r.json;
    assert_num(j, "funnel.reached.lead", 11);
    assert_num(j, "funnel.reached.mql", 8);         /* 01 02 03 04 05 07 09 11 */
    assert_num(j, "funnel.reached.sql", 6);         /* 01 02 04 07 09 11 */
    assert_num(j, "funnel.reached.opportunity", 5); /* 01 02 04 07 11 */
    assert_num(j, "funnel.reached.won", 1);         /* O-1, 05-17 */
    assert_num(j, "funnel.conversion.opportunity_to_won", 0.2);
    assert_num(j, "funnel.median_days.sql_to_opportunity", 3); /* 1, 3, 3, 4, 5 */
    assert_num(j, "funnel.median_days.opportunity_to_won", 40);
    /* Answers 1, 2, 3, 4, 5, 10, 30, 60: median 4.5; p90 at 7 x 0.9 = 6.3: 30 + 0.3 x 30. */
    assert_num(j, "funnel.lead_response_minutes.answered", 8);
    assert_num(j, "funnel.lead_response_minutes.median", 4.5);
    assert_true(fabs(num(j, "funnel.lead_response_minutes.p90") - 39.0) < 1e-9);
    assert_true(r.k.lead_response_minutes.value == 4.5);
    /* Inbound 01 02 03 06 07 08 10 11: within 01 03 07 11, late 02 08, overdue 06 10. */
    assert_num(j, "funnel.response_sla.inbound_leads", 8);
    assert_num(j, "funnel.sla_compliance", 0.5);
    /* MQLs 01 02 03 05 07 09 11: within 02 03 11, late 01 07 09, overdue 05. */
    assert_num(j, "funnel.handoff_sla.mqls", 7);
    assert_num(j, "funnel.handoff_sla_compliance", 3.0 / 7);
    assert_int_equal(array_len(j, "funnel.by_cohort"), 2);
    run_free(&r);
}

/* ---- no leads: n/a with reasons, never a number ---- */

static void check_no_leads(const run *r)
{
    const char *j = r->json;
    assert_num(j, "funnel.reached.lead", 0);
    assert_num(j, "funnel.reached.won", 0);
    assert_true(is_null(j, "funnel.conversion.lead_to_mql"));
    assert_true(str_is(j, "funnel.conversion.lead_to_mql_reason",
                       "no lead was created on or before the as-of day"));
    assert_true(str_is(j, "funnel.conversion.mql_to_sql_reason", "no lead reached mql"));
    assert_true(is_null(j, "funnel.median_days.lead_to_mql"));
    assert_true(is_null(j, "funnel.lead_response_minutes.median"));
    assert_true(is_null(j, "funnel.sla_compliance"));
    assert_true(str_is(j, "funnel.sla_compliance_reason", "no inbound lead"));
    assert_true(str_is(j, "funnel.handoff_sla_compliance_reason", "no MQL"));
    assert_int_equal(array_len(j, "funnel.by_cohort"), 0);
    assert_int_equal(array_len(j, "funnel.by_source"), 0);
    assert_true(isnan(r->k.lead_response_minutes.value));
    assert_string_equal(r->k.lead_response_minutes.why,
                        "no lead was created on or before the as-of day");
}

static void test_a_data_set_without_leads(void **state)
{
    (void)state;
    run r;
    analyse(&r, NO_LEADS, 2026, 6, 30, 5, 24);
    check_no_leads(&r);
    run_free(&r);
}

static void test_an_as_of_day_before_every_lead(void **state)
{
    (void)state;
    run r;
    analyse(&r, FUNNEL, 2026, 3, 31, 5, 24);
    check_no_leads(&r);
    run_free(&r);
}

/* Leads but no answer by the day: the KPI is n/a with the reason. */
static void test_leads_never_answered(void **state)
{
    (void)state;
    run r;
    char *dir = test_tmpdir();
    test_write(dir, "lead.csv",
               "id,created_at,source,stage\n"
               "N-1,2026-02-01T10:00:00Z,webinar,lead\n"
               "N-2,2026-02-01T10:00:00Z,outbound,lead\n");
    analyse(&r, dir, 2026, 2, 1, 5, 24);
    const char *j = r.json;
    assert_num(j, "funnel.lead_response_minutes.answered", 0);
    assert_true(str_is(j, "funnel.lead_response_minutes.median_reason",
                       "no lead was answered on or before the as-of day"));
    assert_true(isnan(r.k.lead_response_minutes.value));
    assert_string_equal(r.k.lead_response_minutes.why,
                        "no lead was answered on or before the as-of day");
    /* N-1 (inbound, 10:00) waited past 5 minutes by the day's end; N-2 is outbound. */
    assert_num(j, "funnel.response_sla.inbound_leads", 1);
    assert_num(j, "funnel.response_sla.unanswered_overdue", 1);
    assert_num(j, "funnel.sla_compliance", 0);
    run_free(&r);
    test_rmdir(dir);
}

/* Out-of-order times, answers before creation and the spelling of outbound sources. */
static void test_bad_times_and_source_names(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    test_write(dir, "lead.csv",
               "id,created_at,source,stage,mql_at,sql_at,first_response_at\n"
               /* SQL two days before MQL: reaches SQL, no MQL->SQL days, no handoff. */
               "X-1,2026-01-01T00:00:00Z,Web,sql,2026-01-05T00:00:00Z,2026-01-03T00:00:00Z,"
               "2026-01-01T00:10:00Z\n"
               "X-2,2026-01-02T00:00:00Z,Outbound-Email,lead,,,2026-01-02T00:01:00Z\n"
               "X-3,2026-01-02T00:00:00Z,SDR,lead,,,\n"
               /* Answered an hour before it was created. */
               "X-4,2026-01-03T00:00:00Z,Web,lead,,,2026-01-02T23:00:00Z\n");
    run r;
    analyse(&r, dir, 2026, 1, 31, 5, 24);
    const char *j = r.json;
    assert_num(j, "funnel.reached.lead", 4);
    assert_num(j, "funnel.reached.mql", 1);
    assert_num(j, "funnel.reached.sql", 1);
    assert_num(j, "funnel.median_days.lead_to_mql", 4);
    assert_true(is_null(j, "funnel.median_days.mql_to_sql"));
    /* Answers of X-1 (10 min) and X-2 (1 min): median 5.5, p90 1 + 0.9 x 9 = 9.1. */
    assert_num(j, "funnel.lead_response_minutes.answered", 2);
    assert_num(j, "funnel.lead_response_minutes.response_before_created", 1);
    assert_num(j, "funnel.lead_response_minutes.median", 5.5);
    assert_true(fabs(num(j, "funnel.lead_response_minutes.p90") - 9.1) < 1e-9);
    /* Only X-1 is inbound (Outbound-Email and SDR are outbound; X-4 is left out), late. */
    assert_num(j, "funnel.response_sla.inbound_leads", 1);
    assert_num(j, "funnel.response_sla.answered_late", 1);
    assert_num(j, "funnel.sla_compliance", 0);
    assert_num(j, "funnel.handoff_sla.mqls", 1);
    assert_num(j, "funnel.handoff_sla.out_of_order", 1);
    assert_true(is_null(j, "funnel.handoff_sla_compliance"));
    assert_true(str_is(j, "funnel.handoff_sla_compliance_reason",
                       "no MQL could be timed (sql_at before mql_at)"));
    /* Sources: Web 2, then the ties by name: Outbound-Email before SDR. */
    assert_true(str_is(j, "funnel.by_source.0.source", "Web"));
    assert_true(str_is(j, "funnel.by_source.1.source", "Outbound-Email"));
    assert_true(str_is(j, "funnel.by_source.2.source", "SDR"));
    run_free(&r);
    test_rmdir(dir);
}

/* ---- the selection quantile is the sorting one ---- */

static void test_selection_quantile_equals_the_sorted_one(void **state)
{
    (void)state;
    static const double qs[] = {0.0, 0.1, 0.25, 0.5, 0.9, 0.99, 1.0};
    static const size_t sizes[] = {1, 2, 3, 10, 101, 1000, 5000};
    uint64_t x = 12345;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (int kind = 0; kind < 3; kind++) {
            size_t n = sizes[s];
            revops_sample sorted = {0};
            double *orig = malloc(n * sizeof(*orig));
            double *v = malloc(n * sizeof(*v));
            assert_non_null(orig);
            assert_non_null(v);
            for (size_t i = 0; i < n; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                /* Spread values, many repeats, or all equal. */
                orig[i] = kind == 0   ? (double)(x >> 11) / 9007199254740992.0
                          : kind == 1 ? (double)((x >> 33) % 5)
                                      : 7.0;
                assert_int_equal(revops_sample__add(&sorted, orig[i]), 0);
            }
            for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
                /* Both start from the same unsorted values each time. */
                memcpy(v, orig, n * sizeof(*v));
                memcpy(sorted.v, orig, n * sizeof(*v));
                double want = revops_sample__quantile(&sorted, qs[k]);
                double got = revops_quantile__select(v, n, qs[k]);
                if (want != got)
                    fail_msg("n %zu kind %d q %g: sort %.17g, select %.17g", n, kind, qs[k], want,
                             got);
            }
            free(v);
            free(orig);
            revops_sample__free(&sorted);
        }
    }
    double none = 0;
    assert_true(isnan(revops_quantile__select(&none, 0, 0.5)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_count_skipped_stages_and_ignore_the_future),
        cmocka_unit_test(test_cohorts_and_sources),
        cmocka_unit_test(test_response_and_slas),
        cmocka_unit_test(test_other_slas),
        cmocka_unit_test(test_an_earlier_as_of_day),
        cmocka_unit_test(test_a_data_set_without_leads),
        cmocka_unit_test(test_an_as_of_day_before_every_lead),
        cmocka_unit_test(test_leads_never_answered),
        cmocka_unit_test(test_bad_times_and_source_names),
        cmocka_unit_test(test_selection_quantile_equals_the_sorted_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
