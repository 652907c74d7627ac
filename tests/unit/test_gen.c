/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generator: same options, same bytes; linear scaling; everything it writes passes the
 * importer; and the data have the shape of a real business (the ranges the generator is built
 * to hit: lead -> MQL about 30 %, MQL -> SQL about 60 %, win rates 25-35 % by product, reps
 * near their activity targets and quotas, customers who churn and come back).
 *
 * Two data sets are generated once for the whole group: a small one (scale 2,000 over 12
 * months, which keeps the sanitizer runs quick) for the byte and import checks, and a larger
 * one (scale 4,000 over 24 months, long enough for subscriptions to renew, churn and come
 * back) loaded as a dataset for the shape checks, large enough that the shares below are not
 * at the mercy of a few draws.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "model/dataset.h"
#include "revops/revops.h"
#include "test_util.h"

#define SMALL_SCALE 2000
#define SMALL_SEED 42
#define SMALL_MONTHS 12
#define SHAPE_SCALE 4000
#define SHAPE_MONTHS 24
#define SHAPE_SEED 7
/* The last day of the shape set's history (2023-07-01 + 24 months - 1 day). */
#define HISTORY_END 20269 /* 2025-06-30 */

typedef struct fixture {
    char *root;
    char small[1024]; /* SMALL_* */
    char shape[1024]; /* SHAPE_* */
    revops_gen_report small_report;
    revops_dataset *ds; /* the shape data set */
} fixture;

typedef struct progress_log {
    unsigned calls;
    int went_backwards;
} progress_log;

static void on_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    progress_log *log = ctx;
    log->calls++;
    if (!what || !*what || (total > 0 && done > total))
        log->went_backwards = 1;
}

static void generate(const char *dir, uint64_t scale, uint64_t seed, int months,
                     revops_gen_report *r)
{
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = dir;
    go.scale = scale;
    go.seed = seed;
    go.months = months;
    int rc = revops_gen(&go, r);
    if (rc)
        fail_msg("revops_gen(scale %llu): %s", (unsigned long long)scale,
                 revops_error_last()->message);
}

/* Removes a folder of generated files (and the import's leftovers beside them). */
static void remove_tree(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    f->root = test_tmpdir();
    test_path(f->small, sizeof(f->small), f->root, "small");
    test_path(f->shape, sizeof(f->shape), f->root, "shape");
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = f->small;
    go.scale = SMALL_SCALE;
    go.seed = SMALL_SEED;
    go.months = SMALL_MONTHS;
    revops_gen_report shape_report;
    if (revops_gen(&go, &f->small_report) != 0)
        return -1;
    go.out_dir = f->shape;
    go.scale = SHAPE_SCALE;
    go.seed = SHAPE_SEED;
    go.months = SHAPE_MONTHS;
    if (revops_gen(&go, &shape_report) != 0)
        return -1;
    revops_import_report r;
    int rc = revops_dataset_load_csv(&f->ds, f->shape, NULL, &r);
    uint64_t rejected = r.rejected;
    revops_import_report_free(&r);
    if (rc != 0 || rejected != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    revops_dataset_free(f->ds);
    remove_tree(f->root);
    free(f->root);
    free(f);
    return 0;
}

static int same_file(const char *a, const char *b)
{
    char *x = test_read(a), *y = test_read(b);
    int same = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

static void test_same_seed_same_bytes_other_seed_other_bytes(void **state)
{
    fixture *f = *state;
    char *b = test_tmpdir(), *c = test_tmpdir();
    revops_gen_report rb, rc;
    generate(b, SMALL_SCALE, SMALL_SEED, SMALL_MONTHS, &rb);
    generate(c, SMALL_SCALE, SMALL_SEED + 1, SMALL_MONTHS, &rc);
    assert_true(f->small_report.bytes == rb.bytes);
    int differs = 0;
    uint64_t on_disk = 0;
    for (size_t e = 0; e < revops_entity_count(); e++) {
        char pa[1100], pb[1100], pc[1100], name[64];
        snprintf(name, sizeof(name), "%s.csv", revops_entity_at(e)->name);
        test_path(pa, sizeof(pa), f->small, name);
        test_path(pb, sizeof(pb), b, name);
        test_path(pc, sizeof(pc), c, name);
        if (!same_file(pa, pb))
            fail_msg("%s differs between two runs with the same seed", name);
        differs += !same_file(pa, pc);
        assert_int_equal(f->small_report.rows[e], rb.rows[e]);
        struct stat st;
        assert_int_equal(stat(pa, &st), 0);
        on_disk += (uint64_t)st.st_size;
    }
    /* The deals, leads and everything drawn from them change with the seed. */
    assert_true(differs >= 15);
    assert_true(on_disk == f->small_report.bytes);
    int opp = revops_entity_find("opportunity", 11);
    assert_int_equal(f->small_report.rows[opp], SMALL_SCALE); /* exactly the scale */
    assert_int_equal(rc.rows[opp], SMALL_SCALE);
    test_rmdir(b);
    test_rmdir(c);
}

static void test_rows_grow_linearly_with_the_scale(void **state)
{
    (void)state;
    char *a = test_tmpdir(), *b = test_tmpdir();
    revops_gen_report small, big;
    generate(a, 1000, 5, SMALL_MONTHS, &small);
    generate(b, 4000, 5, SMALL_MONTHS, &big);
    int opp = revops_entity_find("opportunity", 11);
    assert_int_equal(small.rows[opp], 1000);
    assert_int_equal(big.rows[opp], 4000);
    /* Entities driven by the deals grow four-fold, give or take the draws. (Activities and
     * the people grow by whole reps, with a floor of a few per role at small scales.) */
    const char *driven[] = {"account", "contact",       "lead",    "stage_change",
                            "touch",   "contract_line", "invoice", "subscription_item",
                            "usage",   "assignment",    "ticket"};
    for (size_t i = 0; i < sizeof(driven) / sizeof(driven[0]); i++) {
        int e = revops_entity_find(driven[i], strlen(driven[i]));
        double ratio = (double)big.rows[e] / (double)small.rows[e];
        if (ratio < 3.3 || ratio > 4.8)
            fail_msg("%s grew %.2f times for 4 times the deals", driven[i], ratio);
    }
    test_rmdir(a);
    test_rmdir(b);
}

static void test_everything_generated_imports_without_rejects(void **state)
{
    fixture *f = *state;
    char db[1100];
    test_path(db, sizeof(db), f->root, "store.db");
    revops_store *s;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    assert_int_equal(revops_store_open(&s, db, &so), 0);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.default_currency = "RUB";
    revops_import_report r;
    const char *paths[1] = {f->small};
    assert_int_equal(revops_import(s, paths, 1, &io, &r), 0);
    for (size_t i = 0; i < r.nfiles; i++)
        if (r.files[i].rejects_path[0])
            fail_msg("rows were rejected: see %s", r.files[i].rejects_path);
    assert_int_equal(r.rejected, 0);
    uint64_t generated = 0;
    for (size_t e = 0; e < revops_entity_count(); e++)
        generated += f->small_report.rows[e];
    assert_int_equal(r.inserted, generated);
    revops_import_report_free(&r);
    revops_store_close(s);
}

static int is(const revops_dataset *ds, revops_str id, const char *s)
{
    return strcmp(revops_dataset__str(ds, id), s) == 0;
}

static double share(size_t part, size_t whole)
{
    return whole ? (double)part / (double)whole : 0.0;
}

/* Funnel: lead -> MQL -> SQL in the target ranges, the response SLA met for some leads. */
static void test_the_funnel_converts_like_a_real_one(void **state)
{
    fixture *f = *state;
    const revops_dataset *ds = f->ds;
    size_t leads = ds->lead.n, mql = 0, sql = 0, answered = 0, fast = 0, converted = 0;
    size_t linked = 0, disqualified = 0, with_reason = 0;
    for (size_t i = 0; i < leads; i++) {
        mql += ds->lead.mql_at[i] != REVOPS_NO_TIME;
        sql += ds->lead.sql_at[i] != REVOPS_NO_TIME;
        if (ds->lead.first_response_at[i] != REVOPS_NO_TIME) {
            answered++;
            fast += ds->lead.first_response_at[i] - ds->lead.created_at[i] <= 300;
        }
        if (ds->lead.opportunity_id[i]) {
            converted++;
            linked += ds->lead.converted_at[i] != REVOPS_NO_TIME && ds->lead.account_id[i] != 0;
        }
        if (is(ds, ds->lead.stage[i], "disqualified")) {
            disqualified++;
            with_reason +=
                ds->lead.disqualified_at[i] != REVOPS_NO_TIME && ds->lead.disqualify_reason[i] != 0;
        }
    }
    double to_mql = share(mql, leads), to_sql = share(sql, mql);
    if (to_mql < 0.25 || to_mql > 0.35 || to_sql < 0.5 || to_sql > 0.7)
        fail_msg("funnel lead->MQL %.3f, MQL->SQL %.3f", to_mql, to_sql);
    /* The five-minute SLA is met for some inbound leads, not all. */
    double sla = share(fast, answered);
    if (sla < 0.08 || sla > 0.5)
        fail_msg("share answered within 5 minutes %.3f", sla);
    assert_true(converted > 0 && linked == converted);
    assert_true(disqualified > 0 && with_reason == disqualified);
    /* Every converted lead's deal points back at it. */
    size_t back = 0;
    for (size_t i = 0; i < ds->opportunity.n; i++)
        back += ds->opportunity.lead_id[i] != 0;
    assert_int_equal(back, converted);
    assert_true(back < ds->opportunity.n); /* and not every deal came from a lead */
}

/* Deals: win rate by product, other currencies, open and overdue deals at the end. */
static void test_the_deals_win_and_slip_like_real_ones(void **state)
{
    fixture *f = *state;
    const revops_dataset *ds = f->ds;
    const char *products[3] = {"technical_audit", "content_strategy", "enterprise_seo"};
    size_t won[3] = {0}, closed[3] = {0}, usd = 0, eur = 0, open = 0, overdue = 0;
    size_t renewals = 0, expansions = 0;
    for (size_t i = 0; i < ds->opportunity.n; i++) {
        int is_open = is(ds, ds->opportunity.outcome[i], "open");
        for (int p = 0; p < 3; p++) {
            if (!is(ds, ds->opportunity.product[i], products[p]))
                continue;
            closed[p] += !is_open;
            won[p] += is(ds, ds->opportunity.outcome[i], "won");
        }
        usd += is(ds, ds->opportunity.currency[i], "USD");
        eur += is(ds, ds->opportunity.currency[i], "EUR");
        renewals += is(ds, ds->opportunity.type[i], "renewal");
        expansions += is(ds, ds->opportunity.type[i], "expansion");
        if (is_open) {
            open++;
            overdue += ds->opportunity.close_date[i] < HISTORY_END;
            assert_true(ds->opportunity.closed_at[i] == REVOPS_NO_TIME);
        } else {
            assert_true(ds->opportunity.closed_at[i] != REVOPS_NO_TIME);
        }
    }
    for (int p = 0; p < 3; p++) {
        double rate = share(won[p], closed[p]);
        if (rate < 0.22 || rate > 0.38)
            fail_msg("%s win rate %.3f", products[p], rate);
    }
    /* About one account in ten pays in dollars or euros. */
    double foreign = share(usd + eur, ds->opportunity.n);
    if (usd == 0 || eur == 0 || foreign < 0.05 || foreign > 0.2)
        fail_msg("USD %zu, EUR %zu deals: %.3f of all", usd, eur, foreign);
    assert_true(open > ds->opportunity.n / 50);
    assert_true(overdue > open / 10 && overdue < open);
    assert_true(renewals > 0 && expansions > 0);
    /* Every rate an amount needs is there: the series covers the whole history. */
    size_t usd_rates = 0;
    for (size_t i = 0; i < ds->fx_rate.n; i++)
        usd_rates += is(ds, ds->fx_rate.currency[i], "USD");
    assert_true(usd_rates >= (size_t)(HISTORY_END - REVOPS_GEN_DEFAULT_START + 1));
}

typedef struct span {
    revops_str account;
    revops_day start, end;
} span;

static int by_account_then_start(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->account != y->account)
        return x->account < y->account ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

/* Subscriptions: some accounts churn (every item ends) and some of those come back. */
static void test_customers_churn_and_come_back(void **state)
{
    fixture *f = *state;
    const revops_dataset *ds = f->ds;
    size_t n = ds->subscription_item.n;
    assert_true(n > 0);
    span *items = calloc(n, sizeof(*items));
    assert_non_null(items);
    for (size_t i = 0; i < n; i++) {
        items[i].account = ds->subscription_item.account_id[i];
        items[i].start = ds->subscription_item.start_date[i];
        items[i].end = ds->subscription_item.end_date[i];
    }
    qsort(items, n, sizeof(*items), by_account_then_start);
    size_t accounts = 0, churned = 0, returned = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        revops_day covered = items[i].end; /* paying until (exclusive); NO_DAY = still paying */
        int churn = 0, back = 0;
        for (j = i + 1; j < n && items[j].account == items[i].account; j++) {
            if (covered != REVOPS_NO_DAY && items[j].start > covered) {
                churn = back = 1; /* a gap without any item, then a new one */
            }
            if (covered != REVOPS_NO_DAY &&
                (items[j].end == REVOPS_NO_DAY || items[j].end > covered))
                covered = items[j].end;
        }
        churn |= covered != REVOPS_NO_DAY;
        accounts++;
        churned += churn;
        returned += back;
        i = j;
    }
    free(items);
    if (churned < accounts / 20 || churned > accounts * 3 / 4 || returned == 0)
        fail_msg("%zu subscribing accounts, %zu churned, %zu came back", accounts, churned,
                 returned);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n ? v[n / 2] : 0.0;
}

static size_t working_days(revops_day from, revops_day to)
{
    size_t n = 0;
    for (revops_day d = from; d <= to; d++)
        n += revops_day_weekday(d) <= 5;
    return n;
}

/* The sales floor: reps log activities near the targets and reach their quotas in a spread
 * around 100 %; SDRs hold fewer open leads than their capacity. */
static void test_reps_work_near_their_targets(void **state)
{
    fixture *f = *state;
    const revops_dataset *ds = f->ds;
    size_t nstr = ds->strings.count;
    /* Rep by interned id: ids are dense, so a plain array indexes them. */
    int32_t *rep_of = malloc(nstr * sizeof(*rep_of));
    double *calls = calloc(ds->rep.n, sizeof(*calls));
    size_t *open_leads = calloc(ds->rep.n, sizeof(*open_leads));
    assert_true(rep_of && calls && open_leads);
    for (size_t i = 0; i < nstr; i++)
        rep_of[i] = -1;
    for (size_t r = 0; r < ds->rep.n; r++)
        rep_of[ds->rep.id[r]] = (int32_t)r;
    for (size_t i = 0; i < ds->activity.n; i++)
        if (is(ds, ds->activity.type[i], "call"))
            calls[rep_of[ds->activity.rep_id[i]]]++;

    /* Calls per working day: SDR target 50 a day, AE target 40 a month. */
    size_t nsdr = 0, nae = 0;
    double sdr_rates[4096], ae_rates[4096];
    for (size_t r = 0; r < ds->rep.n; r++) {
        revops_day hired = revops_time_day(ds->rep.hired_at[r]);
        revops_day from = hired > REVOPS_GEN_DEFAULT_START ? hired : REVOPS_GEN_DEFAULT_START;
        size_t days = working_days(from, HISTORY_END);
        if (days < 120 || ds->rep.active[r] != 1 || nsdr >= 4096 || nae >= 4096)
            continue;
        if (is(ds, ds->rep.role[r], "sdr"))
            sdr_rates[nsdr++] = calls[r] / (double)days;
        else if (is(ds, ds->rep.role[r], "ae"))
            ae_rates[nae++] = calls[r] / (double)days * 21.7;
    }
    assert_true(nsdr >= 1 && nae >= 10);
    /* A rep's skill spreads the rates over 60-130 % of the target; the median AE is close to
     * it, and so is an SDR (at this scale there may be only one). */
    double sdr = median(sdr_rates, nsdr), ae = median(ae_rates, nae);
    if (sdr < 30 || sdr > 65 || ae < 32 || ae > 48)
        fail_msg("median calls: SDR %.1f a day (target 50), AE %.1f a month (target 40)", sdr, ae);

    /* Quarterly attainment of AEs: won with closed_at in the quarter / quota (dollars and
     * euros at 90 roubles, near enough to the rate series for a spread check). */
    size_t nq = 0;
    double *att = calloc(ds->quota.n ? ds->quota.n : 1, sizeof(*att));
    assert_non_null(att);
    for (size_t q = 0; q < ds->quota.n; q++) {
        int32_t r = rep_of[ds->quota.rep_id[q]];
        assert_true(r >= 0);
        assert_true(ds->quota.period_end[q] >= ds->quota.period_start[q]);
        double sum = 0;
        for (size_t i = 0; i < ds->opportunity.n; i++) {
            if (ds->opportunity.owner_id[i] != ds->rep.id[r] ||
                !is(ds, ds->opportunity.outcome[i], "won"))
                continue;
            revops_day d = revops_time_day(ds->opportunity.closed_at[i]);
            if (d < ds->quota.period_start[q] || d > ds->quota.period_end[q])
                continue;
            double amount = (double)ds->opportunity.amount[i];
            sum += is(ds, ds->opportunity.currency[i], "RUB") ? amount : amount * 90.0;
        }
        if (is(ds, ds->rep.role[r], "ae"))
            att[nq++] = sum / (double)ds->quota.amount[q];
    }
    assert_true(nq >= 40);
    qsort(att, nq, sizeof(*att), cmp_double);
    double p10 = att[nq / 10], p50 = att[nq / 2], p90 = att[nq * 9 / 10];
    if (p10 < 0.25 || p50 < 0.75 || p50 > 1.15 || p90 > 1.9)
        fail_msg("AE attainment p10 %.2f, median %.2f, p90 %.2f", p10, p50, p90);
    free(att);

    /* Open leads per SDR at the end stay under the SDR's capacity, mostly. */
    for (size_t i = 0; i < ds->lead.n; i++) {
        if (!ds->lead.owner_id[i])
            continue;
        if (is(ds, ds->lead.stage[i], "lead") || is(ds, ds->lead.stage[i], "mql") ||
            is(ds, ds->lead.stage[i], "sql"))
            open_leads[rep_of[ds->lead.owner_id[i]]]++;
    }
    size_t sdrs = 0, under = 0;
    for (size_t r = 0; r < ds->rep.n; r++) {
        if (!is(ds, ds->rep.role[r], "sdr") || ds->rep.active[r] != 1)
            continue;
        sdrs++;
        under += (int64_t)open_leads[r] < ds->rep.capacity[r];
    }
    assert_true(sdrs > 0 && under * 2 >= sdrs);
    free(rep_of);
    free(calls);
    free(open_leads);
}

/* The smallest scale still makes exactly that many deals, and valid ones. */
/* Nothing has happened after the history's last day: the latest event of the data is on it
 * (planned times such as invoice due dates may lie ahead). */
static void test_no_event_after_the_history_ends(void **state)
{
    fixture *f = *state;
    assert_int_equal(revops_dataset_latest_day(f->ds), HISTORY_END);
}

static void test_tiny_scales_work(void **state)
{
    (void)state;
    for (uint64_t scale = 1; scale <= 3; scale++) {
        char *dir = test_tmpdir();
        revops_gen_report r;
        progress_log log = {0, 0};
        revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
        go.out_dir = dir;
        go.scale = scale;
        go.seed = 3;
        go.months = 12;
        go.progress = on_progress;
        go.progress_ctx = &log;
        assert_int_equal(revops_gen(&go, &r), 0);
        assert_int_equal(r.rows[revops_entity_find("opportunity", 11)], scale);
        assert_true(log.calls > 0 && !log.went_backwards);
        revops_dataset *ds;
        revops_import_report ir;
        assert_int_equal(revops_dataset_load_csv(&ds, dir, NULL, &ir), 0);
        assert_int_equal(ir.rejected, 0);
        revops_import_report_free(&ir);
        revops_dataset_free(ds);
        test_rmdir(dir);
    }
}

/* A history may start on any day: here a leap day, so that it touches one calendar month
 * more than its length (every monthly series must cover that last, partial month). */
static void test_a_history_may_start_mid_month(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    revops_gen_report r;
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = dir;
    go.scale = 300;
    go.seed = 11;
    go.months = 2;
    go.start = 18321; /* 2020-02-29 */
    assert_int_equal(revops_gen(&go, &r), 0);
    revops_dataset *ds;
    revops_import_report ir;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, NULL, &ir), 0);
    assert_int_equal(ir.rejected, 0);
    revops_import_report_free(&ir);
    /* Costs for February, March and April 2020 (the history ends on 28 April). */
    size_t months = 0;
    revops_month seen[8];
    for (size_t i = 0; i < ds->cost.n; i++) {
        size_t k = 0;
        while (k < months && seen[k] != ds->cost.period[i])
            k++;
        if (k == months && months < 8)
            seen[months++] = ds->cost.period[i];
    }
    assert_int_equal(months, 3);
    revops_dataset_free(ds);
    test_rmdir(dir);
}

static void test_bad_options_are_refused(void **state)
{
    (void)state;
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = "/tmp/revops-gen-never";
    go.scale = 0;
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "scale"));
    go.scale = REVOPS_GEN_MAX_SCALE + 1;
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EINVALID);
    go.scale = 10;
    go.months = 0;
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "months"));
    go.months = 12;
    go.out_dir = NULL;
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EINVALID);
    assert_int_equal(revops_gen(NULL, NULL), REVOPS_EINVALID);
    struct stat st;
    assert_true(stat("/tmp/revops-gen-never", &st) != 0); /* nothing was created */
    /* A file where the folder should be. */
    char *dir = test_tmpdir();
    test_write(dir, "file", "x");
    char path[1100];
    go.out_dir = test_path(path, sizeof(path), dir, "file");
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EIO);
    /* A folder that cannot be made (root may write anywhere, so not a permissions test). */
    go.out_dir = "/dev/null/revops";
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EIO);
    assert_non_null(strstr(revops_error_last()->message, "/dev/null"));
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes_other_seed_other_bytes),
        cmocka_unit_test(test_rows_grow_linearly_with_the_scale),
        cmocka_unit_test(test_everything_generated_imports_without_rejects),
        cmocka_unit_test(test_the_funnel_converts_like_a_real_one),
        cmocka_unit_test(test_the_deals_win_and_slip_like_real_ones),
        cmocka_unit_test(test_customers_churn_and_come_back),
        cmocka_unit_test(test_reps_work_near_their_targets),
        cmocka_unit_test(test_no_event_after_the_history_ends),
        cmocka_unit_test(test_tiny_scales_work),
        cmocka_unit_test(test_a_history_may_start_mid_month),
        cmocka_unit_test(test_bad_options_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
