/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rule-based lead score on the hand-made leads of tests/fixtures/criteria (README.md
 * there): points summed per lead, clamped to 0..100, ranked with ties by id, as of a day, with
 * the factors that make each score. Every expected number is worked out in the comments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_util.h"

#define FIXTURE REVOPS_SOURCE_DIR "/tests/fixtures/criteria"

static revops_dataset *load(void)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, FIXTURE, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    return ds;
}

static revops_config *rules(const char *yaml_rules)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml),
             "revops:\n  analytics:\n    currency: RUB\n    scoring:\n      lead:\n"
             "        rules:\n%s",
             yaml_rules);
    revops_config *c = NULL;
    if (revops_config_load_string(&c, yaml, strlen(yaml), "t.yaml", NULL) != 0)
        fail_msg("%s", revops_error_last()->message);
    return c;
}

static const char *const five_rules =
    "          - {name: hot, criteria: score > 50, points: 30}\n"
    "          - {name: fit, criteria: 'industry in (\"ecommerce\", \"saas\")', points: 40}\n"
    "          - {name: recent, criteria: days_since(created_at) < 30, points: 50}\n"
    "          - {name: unanswered, criteria: is_empty(first_response_at), points: -20}\n"
    "          - {name: large, criteria: employees >= 1000, points: 10}\n";

static revops_day day(const char *s)
{
    revops_day d;
    assert_int_equal(revops_day_parse(&d, s, strlen(s)), 0);
    return d;
}

static void expect_lead(const revops_lead_scores *s, size_t rank, const char *id, double score,
                        double points, const char *factors)
{
    const revops_lead_score *l = &s->leads[rank];
    assert_string_equal(l->lead, id);
    assert_true(l->score == score);
    assert_true(l->points == points);
    char got[256] = "";
    size_t used = 0;
    for (size_t k = 0; k < l->n; k++)
        used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s", k ? " " : "",
                                 s->factors[l->first + k].rule);
    assert_string_equal(got, factors);
}

/* As of 2026-03-15 (days since creation 14, 33, 5, 69, 3; L-4's first response comes on
 * 03-20, so it is still unanswered):
 *   L-1: hot 30 + fit 40 + recent 50 = 120 -> 100
 *   L-2: fit 40 = 40
 *   L-3: recent 50 - unanswered 20 = 30
 *   L-4: hot 30 - unanswered 20 + large 10 = 20
 *   L-5: recent 50 = 50
 * Ranked: L-1 100, L-5 50, L-2 40, L-3 30, L-4 20; mean (100 + 40 + 30 + 20 + 50) / 5 = 48. */
static void test_score_leads_by_rules(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_config *c = rules(five_rules);
    revops_lead_score_options o = REVOPS_LEAD_SCORE_OPTIONS_INIT;
    o.as_of = day("2026-03-15");
    o.top = 0;
    revops_lead_scores *s;
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    assert_int_equal(s->scored, 5);
    assert_int_equal(s->nleads, 5);
    assert_true(s->mean_score == 48.0);
    expect_lead(s, 0, "L-1", 100, 120, "hot fit recent");
    expect_lead(s, 1, "L-5", 50, 50, "recent");
    expect_lead(s, 2, "L-2", 40, 40, "fit");
    expect_lead(s, 3, "L-3", 30, 30, "recent unanswered");
    expect_lead(s, 4, "L-4", 20, 20, "hot unanswered large");
    /* Leads each rule gave points to: hot L-1 L-4; fit L-1 L-2; recent L-1 L-3 L-5;
     * unanswered L-3 L-4; large L-4. */
    size_t matches[] = {2, 2, 3, 2, 1};
    for (size_t r = 0; r < 5; r++)
        assert_int_equal(s->rule_matches[r], matches[r]);
    revops_lead_scores_free(s);
    /* --top 2 lists the two best; the counts are still over every lead. */
    o.top = 2;
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    assert_int_equal(s->nleads, 2);
    assert_int_equal(s->scored, 5);
    expect_lead(s, 1, "L-5", 50, 50, "recent");
    revops_lead_scores_free(s);
    revops_config_free(c);
    revops_dataset_free(ds);
}

/* As of 2026-03-11: L-5 (created 03-12) does not exist yet; L-2 is 29 days old, so recent;
 * L-4 is still unanswered.
 *   L-1 120 -> 100; L-2 fit 40 + recent 50 = 90; L-3 30; L-4 20. */
static void test_score_leads_as_of_a_past_day(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_config *c = rules(five_rules);
    revops_lead_score_options o = REVOPS_LEAD_SCORE_OPTIONS_INIT;
    o.as_of = day("2026-03-11");
    revops_lead_scores *s;
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    assert_int_equal(s->scored, 4);
    expect_lead(s, 0, "L-1", 100, 120, "hot fit recent");
    expect_lead(s, 1, "L-2", 90, 90, "fit recent");
    expect_lead(s, 2, "L-3", 30, 30, "recent unanswered");
    expect_lead(s, 3, "L-4", 20, 20, "hot unanswered large");
    revops_lead_scores_free(s);
    /* Before the first lead: nothing to score, and no mean. */
    o.as_of = day("2025-12-31");
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    assert_int_equal(s->scored, 0);
    assert_int_equal(s->nleads, 0);
    assert_true(isnan(s->mean_score));
    revops_lead_scores_free(s);
    revops_config_free(c);
    revops_dataset_free(ds);
}

/* Clamping at 0, ties by id, and no rules at all. */
static void test_score_leads_clamps_and_ties(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    /* Every lead: -30; L-1, L-2 (ecommerce, saas): +40 -> 10; others clamp to 0. Ties at 0:
     * L-3, L-4, L-5 by id. */
    revops_config *c =
        rules("          - {name: cold, criteria: 'true', points: -30}\n"
              "          - {name: fit, criteria: 'industry in (\"ecommerce\", \"saas\")', "
              "points: 40}\n");
    revops_lead_score_options o = REVOPS_LEAD_SCORE_OPTIONS_INIT;
    o.as_of = day("2026-03-15");
    revops_lead_scores *s;
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    expect_lead(s, 0, "L-1", 10, 10, "cold fit");
    expect_lead(s, 1, "L-2", 10, 10, "cold fit");
    expect_lead(s, 2, "L-3", 0, -30, "cold");
    expect_lead(s, 3, "L-4", 0, -30, "cold");
    expect_lead(s, 4, "L-5", 0, -30, "cold");
    assert_true(s->mean_score == 4.0); /* (10 + 10) / 5 */
    revops_lead_scores_free(s);
    revops_config_free(c);
    c = rules("          []\n");
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    assert_int_equal(s->scored, 5);
    expect_lead(s, 0, "L-1", 0, 0, "");
    revops_lead_scores_free(s);
    revops_config_free(c);
    revops_dataset_free(ds);
}

/* Money: L-5's 5,000 GBP has no exchange rate into RUB, so a money rule fails, naming the
 * rule and the lead, rather than guess. */
static void test_score_leads_refuses_money_without_a_rate(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_config *c =
        rules("          - {name: budget, criteria: estimated_value >= 1000000 RUB, points: 50}\n");
    revops_lead_score_options o = REVOPS_LEAD_SCORE_OPTIONS_INIT;
    o.as_of = day("2026-03-15");
    revops_lead_scores *s = NULL;
    assert_int_equal(revops_score_leads(&s, ds, c, &o), REVOPS_EINVALID);
    assert_null(s);
    const char *msg = revops_error_last()->message;
    assert_non_null(strstr(msg, "lead-scoring rule 'budget'"));
    assert_non_null(strstr(msg, "L-5"));
    assert_non_null(strstr(msg, "GBP"));
    /* As of 2026-03-11 L-5 does not exist yet: L-1's 1,200,000 RUB and L-2's 15,000 USD x 88
     * (the rate since 03-01) = 1,320,000 RUB reach the threshold; L-4's 9,000 EUR x 100 =
     * 900,000 RUB does not, and L-3 has no value. */
    o.as_of = day("2026-03-11");
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    expect_lead(s, 0, "L-1", 50, 50, "budget");
    expect_lead(s, 1, "L-2", 50, 50, "budget");
    expect_lead(s, 2, "L-3", 0, 0, "");
    expect_lead(s, 3, "L-4", 0, 0, "");
    revops_lead_scores_free(s);
    revops_config_free(c);
    revops_dataset_free(ds);
}

/* The JSON shape of docs/cli.md. */
static void test_score_leads_json(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_config *c = rules(five_rules);
    revops_lead_score_options o = REVOPS_LEAD_SCORE_OPTIONS_INIT;
    o.as_of = day("2026-03-15");
    o.top = 1;
    revops_lead_scores *s;
    assert_int_equal(revops_score_leads(&s, ds, c, &o), 0);
    revops_json *j;
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_lead_scores_write_json(s, c, j), 0);
    size_t len;
    const char *text = revops_json_text(j, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "{\"as_of\":\"2026-03-15\",\"leads_scored\":5,\"mean_score\":48,"
                                 "\"rules\":[{\"name\":\"hot\",\"criteria\":\"score > 50\","
                                 "\"points\":30,\"leads_matched\":2},"));
    assert_non_null(strstr(text, "\"leads\":[{\"lead\":\"L-1\",\"score\":100,\"points\":120,"
                                 "\"factors\":[{\"rule\":\"hot\",\"points\":30},{\"rule\":\"fit\","
                                 "\"points\":40},{\"rule\":\"recent\",\"points\":50}]}]}"));
    revops_json_free(j);
    revops_lead_scores_free(s);
    revops_config_free(c);
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_leads_by_rules),
        cmocka_unit_test(test_score_leads_as_of_a_past_day),
        cmocka_unit_test(test_score_leads_clamps_and_ties),
        cmocka_unit_test(test_score_leads_refuses_money_without_a_rate),
        cmocka_unit_test(test_score_leads_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
