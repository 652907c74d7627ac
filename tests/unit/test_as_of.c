/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The as-of property of `revops analyze`: analysing the full data as of a day D gives the same
 * report, byte for byte, as analysing the data as a CRM export taken at the end of D would
 * have held it. The export is rebuilt here, independently of the analysis code, from the
 * rules of SCHEMA.md: rows created after D are gone, history after D is gone, a deal's stage,
 * amount, close date and outcome are those of its last stage change on or before D, lead
 * timestamps after D are empty, and exchange rates dated after D are unknown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/dataset.h"
#include "model/idmap.h"
#include "revops/revops.h"
#include "test_report.h"
#include "test_util.h"

typedef struct history_row {
    uint32_t opp;
    revops_time at;
    uint32_t row;
} history_row;

static int compare_history(const void *a, const void *b)
{
    const history_row *x = a, *y = b;
    if (x->opp != y->opp)
        return x->opp < y->opp ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static revops_str intern_known(const revops_dataset *ds, const char *text)
{
    revops_str id = 0;
    assert_int_equal(revops_strpool__find(&ds->strings, text, strlen(text), &id), 0);
    return id;
}

static revops_time blank_after(revops_time t, revops_time end)
{
    return t != REVOPS_NO_TIME && t > end ? REVOPS_NO_TIME : t;
}

/* Rewrites the opportunities as they stood at the end of the day `end` closes. */
static void truncate_deals(revops_dataset *ds, revops_time end, uint8_t *keep_history)
{
    revops_opportunity_table *o = &ds->opportunity;
    revops_stage_change_table *h = &ds->stage_change;
    revops_idmap opps = {0};
    assert_int_equal(revops_idmap__build(&opps, o->id, o->n), 0);
    history_row *rows = malloc((h->n + 1) * sizeof(*rows));
    assert_non_null(rows);
    for (size_t r = 0; r < h->n; r++) {
        int64_t i = revops_idmap__get(&opps, h->opportunity_id[r]);
        assert_true(i >= 0);
        rows[r] = (history_row){(uint32_t)i, h->at[r], (uint32_t)r};
        keep_history[r] = h->at[r] <= end;
    }
    qsort(rows, h->n, sizeof(*rows), compare_history);
    revops_str won = intern_known(ds, "closed_won"), lost = intern_known(ds, "closed_lost");
    revops_str outcome_open = intern_known(ds, "open"), outcome_won = intern_known(ds, "won");
    revops_str outcome_lost = intern_known(ds, "lost");
    for (size_t k = 0; k < h->n;) {
        size_t opp = rows[k].opp, last = SIZE_MAX;
        revops_time entered = REVOPS_NO_TIME;
        for (; k < h->n && rows[k].opp == opp; k++) {
            uint32_t r = rows[k].row;
            if (h->at[r] > end)
                continue;
            if (last == SIZE_MAX || h->to_stage[r] != h->to_stage[last])
                entered = h->at[r];
            last = r;
            if (h->amount[r] != REVOPS_NO_MONEY)
                o->amount[opp] = h->amount[r];
            if (h->close_date[r] != REVOPS_NO_DAY)
                o->close_date[opp] = h->close_date[r];
        }
        if (o->created_at[opp] > end)
            continue;
        /* Generated deals all start with a stage change at creation. */
        assert_true(last != SIZE_MAX);
        o->stage[opp] = h->to_stage[last];
        if (h->to_stage[last] == won || h->to_stage[last] == lost) {
            o->outcome[opp] = h->to_stage[last] == won ? outcome_won : outcome_lost;
            o->closed_at[opp] = entered;
        } else {
            o->outcome[opp] = outcome_open;
            o->closed_at[opp] = REVOPS_NO_TIME;
            o->loss_reason[opp] = 0;
        }
    }
    free(rows);
    revops_idmap__free(&opps);
}

/* Runs after truncate_deals(): a lead is a customer on the day when its deal was won by then. */
static void truncate_leads(revops_dataset *ds, revops_time end)
{
    revops_lead_table *l = &ds->lead;
    revops_idmap opps = {0};
    assert_int_equal(revops_idmap__build(&opps, ds->opportunity.id, ds->opportunity.n), 0);
    revops_str outcome_won = intern_known(ds, "won"), stage_customer = intern_known(ds, "customer");
    revops_str stage_lead = intern_known(ds, "lead"), stage_mql = intern_known(ds, "mql");
    revops_str stage_sql = intern_known(ds, "sql"), stage_opp = intern_known(ds, "opportunity");
    revops_str stage_dq = intern_known(ds, "disqualified");
    for (size_t i = 0; i < l->n; i++) {
        l->mql_at[i] = blank_after(l->mql_at[i], end);
        l->sql_at[i] = blank_after(l->sql_at[i], end);
        l->converted_at[i] = blank_after(l->converted_at[i], end);
        l->disqualified_at[i] = blank_after(l->disqualified_at[i], end);
        l->first_response_at[i] = blank_after(l->first_response_at[i], end);
        if (l->converted_at[i] == REVOPS_NO_TIME)
            l->opportunity_id[i] = 0;
        if (l->disqualified_at[i] == REVOPS_NO_TIME)
            l->disqualify_reason[i] = 0;
        int64_t deal = revops_idmap__get(&opps, l->opportunity_id[i]);
        if (l->disqualified_at[i] != REVOPS_NO_TIME)
            l->stage[i] = stage_dq;
        else if (l->converted_at[i] == REVOPS_NO_TIME)
            l->stage[i] = l->sql_at[i] != REVOPS_NO_TIME   ? stage_sql
                          : l->mql_at[i] != REVOPS_NO_TIME ? stage_mql
                                                           : stage_lead;
        else if (deal >= 0 && ds->opportunity.outcome[deal] == outcome_won)
            l->stage[i] = stage_customer;
        else
            l->stage[i] = stage_opp;
    }
    revops_idmap__free(&opps);
}

/* The dataset as exported at the end of `day`. */
static void truncate_at(revops_dataset *ds, revops_day day)
{
    revops_time end = revops_day_time(day) + 86399;
    size_t most = ds->stage_change.n;
    if (ds->activity.n > most)
        most = ds->activity.n;
    if (ds->lead.n > most)
        most = ds->lead.n;
    if (ds->opportunity.n > most)
        most = ds->opportunity.n;
    if (ds->subscription_item.n > most)
        most = ds->subscription_item.n;
    if (ds->contract_line.n > most)
        most = ds->contract_line.n;
    if (ds->invoice.n > most)
        most = ds->invoice.n;
    uint8_t *keep = malloc(most + ds->fx_rate.n + 1);
    assert_non_null(keep);

    truncate_deals(ds, end, keep);
    revops_dataset__compact(ds, REVOPS_ENTITY_STAGE_CHANGE, keep);
    truncate_leads(ds, end);
    for (size_t i = 0; i < ds->opportunity.n; i++)
        keep[i] = ds->opportunity.created_at[i] <= end;
    revops_dataset__compact(ds, REVOPS_ENTITY_OPPORTUNITY, keep);
    for (size_t i = 0; i < ds->lead.n; i++)
        keep[i] = ds->lead.created_at[i] <= end;
    revops_dataset__compact(ds, REVOPS_ENTITY_LEAD, keep);

    for (size_t i = 0; i < ds->activity.n; i++)
        keep[i] = ds->activity.at[i] <= end;
    revops_dataset__compact(ds, REVOPS_ENTITY_ACTIVITY, keep);

    for (size_t i = 0; i < ds->fx_rate.n; i++)
        keep[i] = ds->fx_rate.date[i] <= day;
    revops_dataset__compact(ds, REVOPS_ENTITY_FX_RATE, keep);

    /* Subscriptions that start after D are not in the export yet, nor cancellations that
     * take effect after D. */
    revops_subscription_item_table *s = &ds->subscription_item;
    for (size_t i = 0; i < s->n; i++) {
        keep[i] = s->start_date[i] <= day;
        if (s->end_date[i] != REVOPS_NO_DAY && s->end_date[i] > day)
            s->end_date[i] = REVOPS_NO_DAY;
    }
    revops_dataset__compact(ds, REVOPS_ENTITY_SUBSCRIPTION_ITEM, keep);

    /* A contract exists once its deal is won; invoices once issued. */
    revops_idmap opps = {0};
    assert_int_equal(revops_idmap__build(&opps, ds->opportunity.id, ds->opportunity.n), 0);
    revops_str won = intern_known(ds, "won");
    revops_contract_line_table *cl = &ds->contract_line;
    for (size_t i = 0; i < cl->n; i++) {
        int64_t o = revops_idmap__get(&opps, cl->opportunity_id[i]);
        keep[i] = !cl->opportunity_id[i] || (o >= 0 && ds->opportunity.outcome[o] == won);
    }
    revops_dataset__compact(ds, REVOPS_ENTITY_CONTRACT_LINE, keep);
    revops_idmap__free(&opps);
    for (size_t i = 0; i < ds->invoice.n; i++)
        keep[i] = ds->invoice.issued_at[i] <= end;
    revops_dataset__compact(ds, REVOPS_ENTITY_INVOICE, keep);
    free(keep);
}

/* The analysis as JSON text (malloc'd). */
static char *analysis_json(const revops_dataset *ds, revops_day day, const char *period)
{
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = day;
    o.period = period;
    o.currency = "RUB";
    o.at_risk_limit = 0;
    /* Everything but the scorecard, whose data-quality KPI is measured only on the latest
     * day of the data (and the truncated data end on the as-of day). */
    o.sections = REVOPS_SECTION_ALL & ~REVOPS_SECTION_SCORECARD;
    revops_analysis *a = NULL;
    assert_int_equal(revops_analyze(&a, ds, &o), 0);
    char *text = test_analysis_json(a, 1);
    revops_analysis_free(a);
    return text;
}

static void assert_same_text(const char *full, const char *cut, const char *what)
{
    if (strcmp(full, cut) == 0)
        return;
    size_t line = 1, i = 0;
    while (full[i] && full[i] == cut[i]) {
        line += full[i] == '\n';
        i++;
    }
    size_t from = i;
    while (from > 0 && full[from - 1] != '\n')
        from--;
    fail_msg("%s: the analyses differ at line %zu:\n  full data: %.120s\n  truncated: %.120s", what,
             line, full + from, cut + from);
}

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

static void check_day(const char *dir, const char *date, const char *period)
{
    revops_day day;
    assert_int_equal(revops_day_parse(&day, date, strlen(date)), 0);
    revops_dataset *ds = load(dir);
    char *full = analysis_json(ds, day, period);
    truncate_at(ds, day);
    char *cut = analysis_json(ds, day, period);
    char what[64];
    snprintf(what, sizeof(what), "as of %s, period %s", date, period);
    assert_same_text(full, cut, what);
    /* The property would hold vacuously on an empty report. */
    assert_non_null(strstr(full, "\"pipeline_total\""));
    assert_non_null(strstr(full, "\"saas\": {"));
    /* Subscriptions start a few months into the generated history. */
    if (day >= revops_day_from_ymd(2024, 6, 1))
        assert_non_null(strstr(full, "\"reactivation\""));
    free(full);
    free(cut);
    revops_dataset_free(ds);
}

static int make_data(void **state)
{
    char *dir = test_tmpdir();
    *state = dir;
    revops_gen_options g = REVOPS_GEN_OPTIONS_INIT;
    g.out_dir = dir;
    g.scale = 1500;
    g.seed = 11;
    return revops_gen(&g, NULL);
}

static int remove_data(void **state)
{
    test_rmdir(*state);
    return 0;
}

/* Mid-quarter, with the period running past the as-of day. */
static void test_mid_quarter(void **state)
{
    check_day(*state, "2025-08-14", "2025-Q3");
}

/* A quarter's last day, a month period, and a year period that is half over. */
static void test_period_ends(void **state)
{
    check_day(*state, "2025-03-31", "2025-Q1");
    check_day(*state, "2024-11-20", "2024-11");
    check_day(*state, "2025-06-30", "2025");
}

/* Early in the history, when few deals have closed. */
static void test_early_day(void **state)
{
    check_day(*state, "2023-09-15", "2023-Q3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mid_quarter),
        cmocka_unit_test(test_period_ends),
        cmocka_unit_test(test_early_day),
    };
    return cmocka_run_group_tests(tests, make_data, remove_data);
}
