/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lifecycle run and the SLA report in memory, on the hand-made set of
 * tests/fixtures/lifecycle (README.md there works out every change, task and number): the
 * transitions and their stamps, the handoff tasks created once, the task states, a second run
 * changing nothing, a run with an earlier now undoing nothing, a cycle of transitions that
 * stops, an opportunity moving with its stage_change, and the SLA report's counts, response
 * times, rates and breaches, as of two days.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/dataset.h"
#include "revops/revops.h"
#include "test_util.h"

#define FIXTURE REVOPS_SOURCE_DIR "/tests/fixtures/lifecycle"

static revops_dataset *load(void)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    if (revops_dataset_load_csv(&ds, FIXTURE, &io, &r) != 0)
        fail_msg("%s", revops_error_last()->message);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    return ds;
}

static revops_config *config(const char *yaml)
{
    revops_config *c = NULL;
    int rc = yaml ? revops_config_load_string(&c, yaml, strlen(yaml), "t.yaml", NULL)
                  : revops_config_default(&c);
    if (rc)
        fail_msg("%s", revops_error_last()->message);
    return c;
}

static revops_time at(const char *s)
{
    revops_time t;
    assert_int_equal(revops_time_parse(&t, s, strlen(s)), 0);
    return t;
}

static revops_lifecycle_run *apply(revops_dataset *ds, const revops_config *cfg, const char *now)
{
    revops_lifecycle_options o = REVOPS_LIFECYCLE_OPTIONS_INIT;
    o.now = at(now);
    revops_lifecycle_run *r;
    if (revops_lifecycle_apply(&r, ds, cfg, &o) != 0)
        fail_msg("%s", revops_error_last()->message);
    return r;
}

static const revops_lifecycle_task *find_task(const revops_lifecycle_task *t, size_t n,
                                              const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].id, id) == 0)
            return &t[i];
    fail_msg("no task %s", id);
    return NULL;
}

static void test_run_on_the_fixture(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_config *cfg = config(NULL);
    revops_lifecycle_run *r = apply(ds, cfg, "2026-03-15T12:00:00Z");
    assert_int_equal(r->leads, 13);
    assert_int_equal(r->opportunities, 5);
    /* README "Transitions": twice, A-3, A-4, A-5. */
    static const char *const want[][5] = {
        {"LC-1", "A-1", "lead", "mql", "lead_to_mql"},
        {"LC-2", "A-2", "lead", "mql", "lead_to_mql"},
        {"LC-3", "A-2", "mql", "sql", "mql_to_sql"},
        {"LC-4", "A-3", "lead", "disqualified", "disqualify_stale"},
        {"LC-5", "A-4", "mql", "sql", "mql_to_sql"},
        {"LC-6", "A-5", "mql", "disqualified", "disqualify_stale"},
    };
    assert_int_equal(r->nchanges, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(r->changes[i].id, want[i][0]);
        assert_string_equal(r->changes[i].entity, "lead");
        assert_string_equal(r->changes[i].record, want[i][1]);
        assert_string_equal(r->changes[i].from, want[i][2]);
        assert_string_equal(r->changes[i].to, want[i][3]);
        assert_string_equal(r->changes[i].rule, want[i][4]);
    }
    assert_int_equal(r->by_transition[0], 2);
    assert_int_equal(r->by_transition[1], 2);
    assert_int_equal(r->by_transition[2], 2);
    /* The data changed with them: A-2 (row 1) at sql with both stamps, A-3 (row 2)
     * disqualified by the rule. */
    const revops_lead_table *l = &ds->lead;
    assert_string_equal(revops_dataset__str(ds, l->stage[1]), "sql");
    assert_true(l->mql_at[1] == at("2026-03-15T12:00:00Z"));
    assert_true(l->sql_at[1] == at("2026-03-15T12:00:00Z"));
    assert_string_equal(revops_dataset__str(ds, l->stage[2]), "disqualified");
    assert_true(l->disqualified_at[2] == at("2026-03-15T12:00:00Z"));
    assert_string_equal(revops_dataset__str(ds, l->disqualify_reason[2]), "disqualify_stale");
    /* A-4 (row 3) kept its mql_at and got sql_at. */
    assert_true(l->mql_at[3] == at("2026-03-02T09:00:00Z"));
    assert_true(l->sql_at[3] == at("2026-03-15T12:00:00Z"));
    assert_int_equal(revops_dataset_rows(ds, (size_t)revops_entity_find("lifecycle_change", 16)),
                     6);

    /* README "Handoff tasks created" and "Task states". */
    assert_int_equal(r->ncreated, 4);
    assert_int_equal(r->by_handoff[0], 3);
    assert_int_equal(r->by_handoff[1], 1);
    const revops_lifecycle_task *t = find_task(r->created, r->ncreated, "TASK-11");
    assert_string_equal(t->record, "A-2");
    assert_string_equal(t->owner, "R-2");
    assert_true(t->created_at == at("2026-03-15T12:00:00Z"));
    assert_true(t->due_at == at("2026-03-16T12:00:00Z"));
    assert_string_equal(t->status, "open");
    t = find_task(r->created, r->ncreated, "TASK-13");
    assert_string_equal(t->record, "A-13");
    assert_true(t->created_at == at("2026-03-12T09:00:00Z")); /* its sql_at: backfilled */
    assert_string_equal(t->status, "open"); /* AT-8 is by R-1, not the owner R-5 */
    t = find_task(r->created, r->ncreated, "TASK-14");
    assert_string_equal(t->record, "O-4");
    assert_string_equal(t->owner, "R-4"); /* the account's owner */
    assert_string_equal(t->status, "accepted");
    assert_true(t->first_response_at == at("2026-03-14T15:00:00Z"));

    assert_int_equal(r->nupdated, 7);
    t = find_task(r->updated, r->nupdated, "TASK-1");
    assert_string_equal(t->status, "accepted");
    assert_true(t->closed_at == at("2026-03-05T15:00:00Z")); /* AT-2 came before the task */
    t = find_task(r->updated, r->nupdated, "TASK-3");
    assert_string_equal(t->status, "rejected");
    assert_true(t->closed_at == at("2026-03-09T12:00:00Z"));
    assert_true(t->first_response_at == REVOPS_NO_TIME);
    t = find_task(r->updated, r->nupdated, "TASK-5");
    assert_string_equal(t->status, "accepted"); /* no owner: anyone's activity */
    t = find_task(r->updated, r->nupdated, "TASK-6");
    assert_true(t->first_response_at == at("2026-03-03T09:00:00Z")); /* on the account */
    t = find_task(r->updated, r->nupdated, "TASK-7");
    assert_string_equal(t->status, "open");
    revops_lifecycle_run_free(r);

    /* Again at the same time: nothing. */
    r = apply(ds, cfg, "2026-03-15T12:00:00Z");
    assert_int_equal(r->nchanges, 0);
    assert_int_equal(r->ncreated, 0);
    assert_int_equal(r->nupdated, 0);
    revops_lifecycle_run_free(r);

    /* Earlier: TASK-2 was accepted at 03-03, after 03-02; a run as of 03-02 must not reopen it
     * (stored decisions are final), and it finds no lead to move (A-1, A-2, A-12 do not exist
     * yet, A-3 and A-5 were disqualified, A-4 has been moved). */
    r = apply(ds, cfg, "2026-03-02T12:00:00Z");
    assert_int_equal(r->nchanges, 0);
    assert_int_equal(r->nupdated, 0);
    revops_lifecycle_run_free(r);
    revops_sla_report *s;
    revops_sla_options so = REVOPS_SLA_OPTIONS_INIT;
    so.as_of = revops_time_day(at("2026-03-15T00:00:00Z"));
    assert_int_equal(revops_sla_report_compute(&s, ds, cfg, &so), 0);
    assert_int_equal(s->tasks, 13);
    assert_int_equal(s->total_breaches, 4);
    revops_sla_report_free(s);
    revops_config_free(cfg);
    revops_dataset_free(ds);
}

static void test_a_cycle_of_transitions_stops(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    /* up: lead -> mql and down: mql -> lead, both always. A lead goes up, and down would take
     * it back to a stage of this run: it stops at mql. An mql lead goes down and stops at
     * lead. Leads in lead at 03-15T12:00; in mql. */
    revops_config *cfg = config("revops:\n  process_alignment:\n    end_to_end_process:\n"
                                "      transitions:\n"
                                "        - {name: up, from: [lead], to: mql, criteria: 'true'}\n"
                                "        - {name: down, from: [mql], to: lead, criteria: 'true'}\n"
                                "    handoffs: []\n");
    revops_lifecycle_run *r = apply(ds, cfg, "2026-03-15T12:00:00Z");
    assert_int_equal(r->nchanges, 6);
    assert_int_equal(r->by_transition[0], 4);
    assert_int_equal(r->by_transition[1], 2);
    assert_int_equal(r->ncreated, 0);
    revops_lifecycle_run_free(r);
    revops_config_free(cfg);
    revops_dataset_free(ds);
}

static void test_an_opportunity_moves_with_its_history(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_config *cfg = config("revops:\n  process_alignment:\n    end_to_end_process:\n"
                                "      transitions:\n"
                                "        - name: stale_proposal\n"
                                "          entity: opportunity\n"
                                "          from: [proposal]\n"
                                "          to: closed_lost\n"
                                "          criteria: days_since(created_at) > 30\n");
    size_t sc = revops_dataset_rows(ds, (size_t)revops_entity_find("stage_change", 12));
    revops_lifecycle_run *r = apply(ds, cfg, "2026-03-15T12:00:00Z");
    /* O-3 (proposal since 02-01, 42 days); O-4 left proposal on 03-14. */
    assert_int_equal(r->nchanges, 1);
    assert_string_equal(r->changes[0].entity, "opportunity");
    assert_string_equal(r->changes[0].record, "O-3");
    assert_string_equal(r->changes[0].from, "proposal");
    assert_string_equal(r->changes[0].to, "closed_lost");
    assert_int_equal(revops_dataset_rows(ds, (size_t)revops_entity_find("stage_change", 12)),
                     sc + 1);
    revops_lifecycle_run_free(r);
    /* Lost now, it is no longer in proposal: a second run does nothing. */
    r = apply(ds, cfg, "2026-03-15T12:00:00Z");
    assert_int_equal(r->nchanges, 0);
    revops_lifecycle_run_free(r);
    revops_config_free(cfg);
    revops_dataset_free(ds);
}

static void test_a_criteria_error_names_the_record(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    test_write(dir, "lead.csv",
               "id,created_at,stage,estimated_value,currency\n"
               "L-1,2026-03-01,lead,500,GBP\n");
    test_write(dir, "fx_rate.csv", "date,currency,rate\n2026-01-01,USD,90\n");
    revops_dataset *ds = NULL;
    revops_import_report rep;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &rep), 0);
    revops_import_report_free(&rep);
    revops_config *cfg = config("revops:\n  analytics:\n    currency: RUB\n"
                                "  process_alignment:\n    end_to_end_process:\n"
                                "      transitions:\n"
                                "        - {name: big, to: sql, criteria: estimated_value > 1 "
                                "RUB}\n");
    revops_lifecycle_options o = REVOPS_LIFECYCLE_OPTIONS_INIT;
    o.now = at("2026-03-15T12:00:00Z");
    revops_lifecycle_run *r = NULL;
    assert_int_equal(revops_lifecycle_apply(&r, ds, cfg, &o), REVOPS_EINVALID);
    assert_null(r);
    const char *msg = revops_error_last()->message;
    assert_non_null(strstr(msg, "lead L-1: transition 'big'"));
    assert_non_null(strstr(msg, "GBP"));
    revops_config_free(cfg);
    revops_dataset_free(ds);
    test_rmdir(dir);
}

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_sla_report_as_of_two_days(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_config *cfg = config(NULL);
    revops_sla_report *s;
    revops_sla_options so = REVOPS_SLA_OPTIONS_INIT;
    so.as_of = revops_time_day(at("2026-03-15T00:00:00Z"));
    assert_int_equal(revops_sla_report_compute(&s, ds, cfg, &so), 0);
    /* README "sla". */
    assert_int_equal(s->tasks, 9);
    assert_int_equal(s->nhandoffs, 3);
    const revops_sla_handoff *h = &s->handoffs[0];
    assert_string_equal(h->name, "marketing_to_sales");
    const revops_sla_stats *t = &h->total;
    assert_int_equal(t->handoffs, 6);
    assert_int_equal(t->responded, 5);
    assert_int_equal(t->within, 3);
    assert_int_equal(t->late, 2);
    assert_int_equal(t->overdue, 0);
    assert_int_equal(t->pending, 1);
    CLOSE(t->compliance, 0.6);
    CLOSE(t->median_minutes, 360);
    CLOSE(t->p90_minutes, 2376);
    CLOSE(t->mean_minutes, 990);
    assert_int_equal(t->accepted, 3);
    assert_int_equal(t->rejected, 2);
    assert_int_equal(t->open, 1);
    CLOSE(t->acceptance_rate, 0.6);
    assert_int_equal(h->target_met, 0);
    /* Teams by id, "(none)" last. */
    assert_int_equal(h->nteams, 3);
    assert_string_equal(h->teams[0].key, "T-S1");
    CLOSE(h->teams[0].median_minutes, 195);
    CLOSE(h->teams[0].p90_minutes, 327);
    assert_string_equal(h->teams[1].key, "T-S2");
    CLOSE(h->teams[1].compliance, 0);
    assert_string_equal(h->teams[2].key, "(none)");
    assert_int_equal(h->nreps, 4);
    assert_string_equal(h->reps[2].key, "R-5");
    assert_true(isnan(h->reps[2].median_minutes) && isnan(h->reps[2].acceptance_rate));
    h = &s->handoffs[1];
    assert_string_equal(h->name, "sales_to_customer_success");
    assert_int_equal(h->total.overdue, 1);
    CLOSE(h->total.compliance, 0.5);
    CLOSE(h->total.acceptance_rate, 1);
    assert_int_equal(h->target_met, 1);
    h = &s->handoffs[2];
    assert_string_equal(h->name, "partner_referral");
    assert_null(h->stage);
    assert_int_equal(h->total.no_sla, 1);
    assert_true(isnan(h->total.compliance));
    assert_int_equal(h->target_met, -1);
    /* Breaches, most late first. */
    assert_int_equal(s->total_breaches, 3);
    assert_string_equal(s->breaches[0].task, "TASK-7");
    CLOSE(s->breaches[0].minutes_late, 5159.0 + 59.0 / 60.0);
    assert_null(s->breaches[0].response);
    assert_string_equal(s->breaches[1].task, "TASK-2");
    CLOSE(s->breaches[1].minutes_late, 1440);
    assert_string_equal(s->breaches[2].task, "TASK-3");
    CLOSE(s->breaches[2].minutes_late, 180);
    assert_string_equal(s->breaches[2].response, "rejection");
    revops_sla_report_free(s);

    /* README "sla-earlier": as of 03-09, four tasks; TASK-7 does not exist yet. */
    so.as_of = revops_time_day(at("2026-03-09T00:00:00Z"));
    so.top = 1;
    assert_int_equal(revops_sla_report_compute(&s, ds, cfg, &so), 0);
    assert_int_equal(s->tasks, 4);
    assert_int_equal(s->nhandoffs, 2);
    t = &s->handoffs[0].total;
    assert_int_equal(t->handoffs, 3);
    CLOSE(t->compliance, 1.0 / 3.0);
    CLOSE(t->median_minutes, 1620);
    CLOSE(t->p90_minutes, 2628);
    CLOSE(t->acceptance_rate, 2.0 / 3.0);
    assert_int_equal(s->total_breaches, 2);
    assert_int_equal(s->nbreaches, 1);
    assert_string_equal(s->breaches[0].task, "TASK-2");
    revops_sla_report_free(s);
    revops_config_free(cfg);
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_on_the_fixture),
        cmocka_unit_test(test_a_cycle_of_transitions_stops),
        cmocka_unit_test(test_an_opportunity_moves_with_its_history),
        cmocka_unit_test(test_a_criteria_error_names_the_record),
        cmocka_unit_test(test_sla_report_as_of_two_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
