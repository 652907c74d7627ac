/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Statistics and data quality on the hand-made data set of tests/fixtures/small, every
 * expected number counted by hand from those files (see the comments).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytics/stats_math.h"
#include "revops/revops.h"
#include "test_util.h"

#define SMALL REVOPS_SOURCE_DIR "/tests/fixtures/small"

static const revops_quality_check *check(const revops_stats *st, const char *entity,
                                         const char *name)
{
    for (size_t i = 0; i < st->nchecks; i++)
        if (strcmp(st->checks[i].entity, entity) == 0 && strcmp(st->checks[i].name, name) == 0)
            return &st->checks[i];
    fail_msg("no check %s.%s", entity, name);
    return NULL;
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

static void test_counts_range_and_clean_data(void **state)
{
    (void)state;
    revops_dataset *ds = load(SMALL);
    revops_stats *st;
    assert_int_equal(revops_stats_compute(&st, ds, REVOPS_NO_DAY), 0);
    assert_int_equal(st->rows[1], 3);  /* rep */
    assert_int_equal(st->rows[7], 7);  /* stage_change */
    assert_int_equal(st->rows[16], 2); /* fx_rate */
    /* Events run from R-1's hire (2022-01-10, day 19002) to O-3's loss (2026-03-10, day
     * 20522); fx_rate.date is a date, not an event, and stays out. */
    assert_int_equal(st->first_day, 19002);
    assert_int_equal(st->latest_day, 20522);
    assert_int_equal(st->as_of, 20522);
    /* Open deal O-2 closes 2026-03-31, after the as-of day: nothing is stale. */
    assert_int_equal(check(st, "opportunity", "stale_close_date")->checked, 1);
    assert_int_equal(check(st, "opportunity", "stale_close_date")->failed, 0);
    assert_int_equal(check(st, "opportunity", "closed_without_closed_at")->checked, 2);
    assert_int_equal(check(st, "opportunity", "without_history")->checked, 3);
    assert_int_equal(check(st, "opportunity", "without_history")->failed, 0);
    assert_int_equal(check(st, "lead", "funnel_out_of_order")->checked, 2);
    assert_int_equal(check(st, "lead", "stage_without_timestamp")->checked, 2);
    assert_int_equal(check(st, "lead", "duplicate_email")->checked, 3);
    /* Checked records: 3 deals + 3 leads (L-3 only through its email). */
    assert_int_equal(st->records_checked, 6);
    assert_int_equal(st->records_with_issues, 0);
    assert_true(st->data_quality == 1.0);
    /* 15 fill rates over entities with rows (contact has none): 13 full, lead.industry and
     * lead.region 2 of 3. */
    assert_true(fabs(st->completeness - (13.0 + 2.0 / 3 + 2.0 / 3) / 15.0) < 1e-12);
    revops_stats_free(st);
    revops_dataset_free(ds);
}

static void test_as_of_makes_a_close_date_stale(void **state)
{
    (void)state;
    revops_dataset *ds = load(SMALL);
    revops_stats *st;
    assert_int_equal(revops_stats_compute(&st, ds, 20558 /* 2026-04-15 */), 0);
    assert_int_equal(check(st, "opportunity", "stale_close_date")->failed, 1);
    assert_int_equal(st->records_with_issues, 1);
    assert_true(fabs(st->data_quality - 5.0 / 6.0) < 1e-12);
    revops_json *j;
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_stats_write_json(st, j), 0);
    const char *text = revops_json_text(j, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"as_of\":\"2026-04-15\""));
    assert_non_null(strstr(text, "\"counts\":{\"team\":2,\"rep\":3,"));
    assert_non_null(strstr(text, "{\"name\":\"stale_close_date\",\"entity\":\"opportunity\","));
    assert_non_null(strstr(text, "\"checked\":1,\"failed\":1,\"share\":1}"));
    revops_json_free(j);
    revops_stats_free(st);
    revops_dataset_free(ds);
}

/* Added rows that each break one rule. */
static void test_broken_records_are_counted(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    const char *files[] = {"team.csv",        "rep.csv",          "account.csv",
                           "opportunity.csv", "stage_change.csv", "fx_rate.csv"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", SMALL, files[i]);
        char *text = test_read(path);
        assert_non_null(text);
        test_write(dir, files[i], text);
        free(text);
    }
    test_write(dir, "lead.csv",
               "id,created_at,email,stage,mql_at,sql_at,first_response_at\n"
               "L-1,2026-01-10T10:00:00Z,a@x.example,mql,2026-01-09T10:00:00Z,,\n"
               "L-2,2026-01-10T10:00:00Z,A@X.example,sql,2026-01-11T10:00:00Z,,"
               "2026-01-10T09:00:00Z\n"
               "L-3,2026-01-10T10:00:00Z,b@x.example,lead,,,\n");
    test_write(dir, "activity.csv",
               "id,at,type,rep_id,lead_id\n"
               "ACT-1,2026-01-12T10:00:00Z,call,R-3,L-1\n"
               "ACT-2,2026-01-12T11:00:00Z,email,R-3,\n");
    revops_dataset *ds = load(dir);
    revops_stats *st;
    assert_int_equal(revops_stats_compute(&st, ds, REVOPS_NO_DAY), 0);
    /* L-1: mql_at before created_at. */
    assert_int_equal(check(st, "lead", "funnel_out_of_order")->failed, 1);
    /* L-2: stage sql without sql_at. */
    assert_int_equal(check(st, "lead", "stage_without_timestamp")->failed, 1);
    /* L-2: answered an hour before it was created. */
    assert_int_equal(check(st, "lead", "response_before_created")->failed, 1);
    /* L-2's email is L-1's in another case. */
    assert_int_equal(check(st, "lead", "duplicate_email")->checked, 3);
    assert_int_equal(check(st, "lead", "duplicate_email")->failed, 1);
    assert_int_equal(check(st, "activity", "unlinked")->failed, 1);
    /* Checked: 3 deals + 3 leads + 2 activities; with issues: L-1, L-2, ACT-2. */
    assert_int_equal(st->records_checked, 8);
    assert_int_equal(st->records_with_issues, 3);
    revops_stats_free(st);
    revops_dataset_free(ds);
    test_rmdir(dir);
}

/* Emails compare lower-cased, on their first 256 bytes: whether the lower-cased text is
 * some record's email (D@Y after d@y), or no record's (c@Y.EXAMPLE after C@Y.example, both
 * c@y.example), and whether two long ones differ only past byte 256. */
static void test_duplicate_emails_ignore_case_and_tails(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char tail_a[300], tail_b[300];
    memset(tail_a, 'x', 280);
    memcpy(tail_b, tail_a, 280);
    memcpy(tail_a + 280, "@a.example", 11);
    memcpy(tail_b + 280, "@b.example", 11);
    char leads[2048];
    snprintf(leads, sizeof(leads),
             "id,created_at,email,stage\n"
             "L-1,2026-01-10T10:00:00Z,C@Y.example,lead\n"
             "L-2,2026-01-10T10:00:00Z,c@Y.EXAMPLE,lead\n"
             "L-3,2026-01-10T10:00:00Z,d@y.example,lead\n"
             "L-4,2026-01-10T10:00:00Z,D@Y.example,lead\n"
             "L-5,2026-01-10T10:00:00Z,%s,lead\n"
             "L-6,2026-01-10T10:00:00Z,%s,lead\n"
             "L-7,2026-01-10T10:00:00Z,e@y.example,lead\n",
             tail_a, tail_b);
    test_write(dir, "lead.csv", leads);
    revops_dataset *ds = load(dir);
    revops_stats *st;
    assert_int_equal(revops_stats_compute(&st, ds, REVOPS_NO_DAY), 0);
    /* Seven emails, of which L-2, L-4 and L-6 repeat an earlier one. */
    assert_int_equal(check(st, "lead", "duplicate_email")->checked, 7);
    assert_int_equal(check(st, "lead", "duplicate_email")->failed, 3);
    revops_stats_free(st);
    revops_dataset_free(ds);
    test_rmdir(dir);
}

/* Type-7 quantiles, worked by hand: of 1,2,3,4 the median is 2.5 and the 0.9-quantile
 * v[2] + 0.7 (v[3] - v[2]) = 3.7 (h = 3 x 0.9 = 2.7); of -500..499 (each once, given out of
 * order, enough to take the radix sort) the median is (-1 + 0) / 2 and the 0.9-quantile
 * 399 + 0.1 (h = 999 x 0.9 = 899.1). The sort is stable: of the two zeros, the one given
 * first comes first. */
static void test_quantiles_and_their_sort(void **state)
{
    (void)state;
    revops_sample s = {0};
    for (int i = 4; i >= 1; i--)
        assert_int_equal(revops_sample__add(&s, i), 0);
    assert_true(revops_sample__quantile(&s, 0.5) == 2.5);
    assert_true(fabs(revops_sample__quantile(&s, 0.9) - 3.7) < 1e-12);
    for (int order = 0; order < 2; order++) {
        revops_sample__clear(&s);
        for (int i = 0; i < 1000; i++) {
            double v = (double)((i * 7919) % 1000 - 500);
            if (v == 0)
                v = order ? -0.0 : 0.0;
            assert_int_equal(revops_sample__add(&s, v), 0);
        }
        /* A second zero, of the other sign, after the first. */
        assert_int_equal(revops_sample__add(&s, order ? 0.0 : -0.0), 0);
        assert_true(revops_sample__quantile(&s, 0.5) == 0);
        for (size_t i = 1; i < s.n; i++)
            assert_true(s.v[i - 1] <= s.v[i]);
        size_t zero = 0;
        while (s.v[zero] != 0)
            zero++;
        assert_int_equal(signbit(s.v[zero]) != 0, order);
        assert_int_equal(signbit(s.v[zero + 1]) != 0, !order);
    }
    revops_sample__clear(&s);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(revops_sample__add(&s, (double)((i * 7919) % 1000 - 500)), 0);
    assert_true(revops_sample__quantile(&s, 0.5) == -0.5);
    assert_true(fabs(revops_sample__quantile(&s, 0.9) - 399.1) < 1e-9);
    revops_sample__free(&s);
}

static void test_empty_dataset(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    test_write(dir, "team.csv", "id,name,department\n");
    revops_dataset *ds = load(dir);
    revops_stats *st;
    assert_int_equal(revops_stats_compute(&st, ds, REVOPS_NO_DAY), 0);
    assert_true(st->latest_day == REVOPS_NO_DAY);
    assert_int_equal(st->records_checked, 0);
    assert_true(isnan(st->data_quality));
    assert_true(isnan(st->completeness));
    revops_json *j;
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_stats_write_json(st, j), 0);
    assert_non_null(strstr(revops_json_text(j, NULL), "\"score\":null"));
    revops_json_free(j);
    revops_stats_free(st);
    revops_dataset_free(ds);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_range_and_clean_data),
        cmocka_unit_test(test_as_of_makes_a_close_date_stale),
        cmocka_unit_test(test_broken_records_are_counted),
        cmocka_unit_test(test_duplicate_emails_ignore_case_and_tails),
        cmocka_unit_test(test_quantiles_and_their_sort),
        cmocka_unit_test(test_empty_dataset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
