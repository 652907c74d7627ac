/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generator: same options, same bytes; linear scaling; everything it writes passes the
 * importer; and the shape of the data is that of a real funnel (the ranges the generator is
 * built to hit: lead -> MQL about 30 %, MQL -> SQL about 60 %, win rates 25-35 % by product).
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

static void generate(const char *dir, uint64_t scale, uint64_t seed, revops_gen_report *r)
{
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = dir;
    go.scale = scale;
    go.seed = seed;
    assert_int_equal(revops_gen(&go, r), 0);
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
    (void)state;
    char *a = test_tmpdir(), *b = test_tmpdir(), *c = test_tmpdir();
    revops_gen_report ra, rb, rc;
    generate(a, 600, 42, &ra);
    generate(b, 600, 42, &rb);
    generate(c, 600, 43, &rc);
    assert_true(ra.bytes == rb.bytes);
    int differs = 0;
    for (size_t e = 0; e < revops_entity_count(); e++) {
        char pa[1024], pb[1024], pc[1024], name[64];
        snprintf(name, sizeof(name), "%s.csv", revops_entity_at(e)->name);
        test_path(pa, sizeof(pa), a, name);
        test_path(pb, sizeof(pb), b, name);
        test_path(pc, sizeof(pc), c, name);
        if (!same_file(pa, pb))
            fail_msg("%s differs between two runs with the same seed", name);
        differs += !same_file(pa, pc);
        assert_int_equal(ra.rows[e], rb.rows[e]);
    }
    /* The deals, leads and everything drawn from them change with the seed. */
    assert_true(differs >= 15);
    assert_int_equal(ra.rows[6], 600); /* opportunity: exactly the scale */
    assert_int_equal(rc.rows[6], 600);
    test_rmdir(a);
    test_rmdir(b);
    test_rmdir(c);
}

static void test_rows_grow_linearly_with_the_scale(void **state)
{
    (void)state;
    char *a = test_tmpdir(), *b = test_tmpdir();
    revops_gen_report small, big;
    generate(a, 3000, 5, &small);
    generate(b, 12000, 5, &big);
    assert_int_equal(small.rows[6], 3000);
    assert_int_equal(big.rows[6], 12000);
    /* Entities driven by the deals grow four-fold, give or take the draws. */
    const char *driven[] = {"account",       "contact",           "lead",   "stage_change", "touch",
                            "contract_line", "subscription_item", "invoice"};
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
    (void)state;
    char *dir = test_tmpdir();
    char data[1024], db[1024];
    test_path(data, sizeof(data), dir, "data");
    test_path(db, sizeof(db), dir, "store.db");
    revops_gen_report gr;
    generate(data, 1500, 7, &gr);
    revops_store *s;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    assert_int_equal(revops_store_open(&s, db, &so), 0);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.default_currency = "RUB";
    revops_import_report r;
    const char *paths[1] = {data};
    assert_int_equal(revops_import(s, paths, 1, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    uint64_t generated = 0;
    for (size_t e = 0; e < revops_entity_count(); e++)
        generated += gr.rows[e];
    assert_int_equal(r.inserted, generated);
    revops_import_report_free(&r);
    revops_store_close(s);
    char cmd[2100];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", data);
    assert_int_equal(system(cmd), 0);
    unlink(db);
    snprintf(cmd, sizeof(cmd), "rm -f '%s-wal' '%s-shm'", db, db);
    assert_int_equal(system(cmd), 0);
    test_rmdir(dir);
}

static int is(const revops_dataset *ds, revops_str id, const char *s)
{
    return strcmp(revops_dataset__str(ds, id), s) == 0;
}

/* The generated funnel, deals and subscriptions have the proportions of a real business. */
static void test_the_data_look_like_a_real_business(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    revops_gen_report gr;
    generate(dir, 8000, 7, &gr);
    revops_dataset *ds;
    revops_import_report r;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, NULL, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);

    /* Funnel: lead -> MQL and MQL -> SQL. */
    size_t leads = ds->lead.n, mql = 0, sql = 0, answered = 0, fast = 0;
    for (size_t i = 0; i < leads; i++) {
        mql += ds->lead.mql_at[i] != REVOPS_NO_TIME;
        sql += ds->lead.sql_at[i] != REVOPS_NO_TIME;
        if (ds->lead.first_response_at[i] != REVOPS_NO_TIME) {
            answered++;
            fast += ds->lead.first_response_at[i] - ds->lead.created_at[i] <= 300;
        }
    }
    double to_mql = (double)mql / (double)leads, to_sql = (double)sql / (double)mql;
    if (to_mql < 0.25 || to_mql > 0.35 || to_sql < 0.5 || to_sql > 0.7)
        fail_msg("funnel lead->MQL %.3f, MQL->SQL %.3f", to_mql, to_sql);
    /* The five-minute SLA is met for some inbound leads, not all. */
    double sla = (double)fast / (double)answered;
    if (sla < 0.08 || sla > 0.5)
        fail_msg("share answered within 5 minutes %.3f", sla);

    /* Win rate by product among closed deals; some deals open and overdue at the end. */
    const char *products[3] = {"technical_audit", "content_strategy", "enterprise_seo"};
    size_t won[3] = {0}, closed[3] = {0}, foreign = 0, open = 0, overdue = 0;
    revops_day end = 20634; /* 2026-06-30, the default history's last day */
    for (size_t i = 0; i < ds->opportunity.n; i++) {
        for (int p = 0; p < 3; p++) {
            if (!is(ds, ds->opportunity.product[i], products[p]))
                continue;
            if (!is(ds, ds->opportunity.outcome[i], "open"))
                closed[p]++;
            won[p] += is(ds, ds->opportunity.outcome[i], "won");
        }
        foreign += !is(ds, ds->opportunity.currency[i], "RUB");
        if (is(ds, ds->opportunity.outcome[i], "open")) {
            open++;
            overdue += ds->opportunity.close_date[i] < end;
        }
    }
    for (int p = 0; p < 3; p++) {
        double rate = (double)won[p] / (double)closed[p];
        if (rate < 0.22 || rate > 0.38)
            fail_msg("%s win rate %.3f", products[p], rate);
    }
    assert_true(foreign > ds->opportunity.n / 20); /* USD and EUR accounts */
    assert_true(open > ds->opportunity.n / 50);
    assert_true(overdue > 0);

    /* Subscriptions: some accounts churn (all items end) and some come back later. */
    size_t churned = 0, returned = 0;
    for (size_t a = 0; a < ds->account.n; a++) {
        revops_str id = ds->account.id[a];
        revops_day last_end = REVOPS_NO_DAY, first_start = REVOPS_NO_DAY;
        int running = 0, items = 0;
        for (size_t i = 0; i < ds->subscription_item.n; i++) {
            if (ds->subscription_item.account_id[i] != id)
                continue;
            items++;
            revops_day s = ds->subscription_item.start_date[i];
            revops_day e = ds->subscription_item.end_date[i];
            if (first_start == REVOPS_NO_DAY || s < first_start)
                first_start = s;
            if (e == REVOPS_NO_DAY)
                running = 1;
            else if (e > last_end)
                last_end = e;
        }
        if (items && !running)
            churned++;
        /* A later item that starts after an earlier one ended: a return. */
        for (size_t i = 0; items > 1 && i < ds->subscription_item.n; i++)
            if (ds->subscription_item.account_id[i] == id &&
                ds->subscription_item.start_date[i] > first_start + 400)
                returned++;
    }
    assert_true(churned > 20);
    assert_true(returned > 0);
    /* Activities keep the reps near their targets: SDRs log ~172 a working day. */
    assert_true(ds->activity.n > ds->opportunity.n * 10);
    revops_dataset_free(ds);
    char cmd[1100];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static void test_bad_options_are_refused(void **state)
{
    (void)state;
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = "/tmp/revops-gen-never";
    go.scale = 0;
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EINVALID);
    go.scale = 10;
    go.months = 0;
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EINVALID);
    go.months = 12;
    go.out_dir = NULL;
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EINVALID);
    /* A file where the folder should be. */
    char *dir = test_tmpdir();
    test_write(dir, "file", "x");
    char path[1024];
    go.out_dir = test_path(path, sizeof(path), dir, "file");
    assert_int_equal(revops_gen(&go, NULL), REVOPS_EIO);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes_other_seed_other_bytes),
        cmocka_unit_test(test_rows_grow_linearly_with_the_scale),
        cmocka_unit_test(test_everything_generated_imports_without_rejects),
        cmocka_unit_test(test_the_data_look_like_a_real_business),
        cmocka_unit_test(test_bad_options_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
