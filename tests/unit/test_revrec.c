/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Revenue recognition's arithmetic: allocation by relative standalone selling price with the
 * largest-remainder rounding (the public worked example, remainders, ties, zero SSPs, amounts
 * near the int64 limit), ratable schedules that start mid-month, span a leap day or end on a
 * month's last day, half-up rounding, point-in-time and milestone lines, and the 128-bit
 * multiply-divide. The expected numbers are worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytics/revrec.h"
#include "model/dataset.h"
#include "revops/revops.h"
#include "test_util.h"

static revops_day ymd(int y, int m, int d)
{
    return revops_day_from_ymd(y, m, d);
}

static revops_month ym(int y, int m)
{
    return revops_month_from_ym(y, m);
}

static void allocate(revops_rr_line *lines, size_t n, int64_t price)
{
    uint64_t *scratch = malloc((n ? n : 1) * sizeof(*scratch));
    assert_non_null(scratch);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lines[i].ssp;
    assert_int_equal(revops_revrec__allocate(lines, n, price, sum, scratch), 0);
    free(scratch);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += lines[i].allocated;
    assert_int_equal(total, price);
}

/* SSP 90,000 / 44,000 / 66,000, price 190,000 -> 85,500 / 41,800 / 62,700 (in kopecks). */
static void test_worked_example(void **state)
{
    (void)state;
    revops_rr_line l[3] = {{.ssp = 9000000}, {.ssp = 4400000}, {.ssp = 6600000}};
    allocate(l, 3, 19000000);
    assert_int_equal(l[0].allocated, 8550000);
    assert_int_equal(l[1].allocated, 4180000);
    assert_int_equal(l[2].allocated, 6270000);
}

/* 1.00 over SSPs 1 : 2 : 4 (sum 7): exact shares 14.29, 28.57, 57.14 kopecks; floors 14, 28,
 * 57 = 99, remainders 2/7, 4/7, 1/7: the one kopeck left goes to the second line. */
static void test_largest_remainder(void **state)
{
    (void)state;
    revops_rr_line l[3] = {{.ssp = 1}, {.ssp = 2}, {.ssp = 4}};
    allocate(l, 3, 100);
    assert_int_equal(l[0].allocated, 14);
    assert_int_equal(l[1].allocated, 29);
    assert_int_equal(l[2].allocated, 57);
}

/* 1.00 over three equal SSPs: 33 each with equal remainders; the earlier line takes the
 * kopeck left. 0.02 over the same: 0 each, remainder 2/3 each, the first two get one. */
static void test_ties_go_to_the_earlier_line(void **state)
{
    (void)state;
    revops_rr_line l[3] = {{.ssp = 500}, {.ssp = 500}, {.ssp = 500}};
    allocate(l, 3, 100);
    assert_int_equal(l[0].allocated, 34);
    assert_int_equal(l[1].allocated, 33);
    assert_int_equal(l[2].allocated, 33);
    allocate(l, 3, 2);
    assert_int_equal(l[0].allocated, 1);
    assert_int_equal(l[1].allocated, 1);
    assert_int_equal(l[2].allocated, 0);
}

/* 0.39 over 20 equal SSPs: 1 each (20), remainders all 19/20; the 19 kopecks left go to the
 * first 19 lines, so 2 each and 1 for the last. More lines than a contract has, so the units
 * left are handed out by one sort of the remainders. */
static void test_many_lines_ties(void **state)
{
    (void)state;
    revops_rr_line l[20];
    memset(l, 0, sizeof(l));
    for (int i = 0; i < 20; i++)
        l[i].ssp = 7;
    allocate(l, 20, 39);
    for (int i = 0; i < 19; i++)
        assert_int_equal(l[i].allocated, 2);
    assert_int_equal(l[19].allocated, 1);
}

/* 128-bit products for the reference below (gcc and clang have them; -Wpedantic is told). */
__extension__ typedef unsigned __int128 u128;

/* Many lines of varied SSPs against the definition, worked out here the plain way (a scan for
 * the largest remainder per unit left, exact 128-bit products), the reference. */
static void test_many_lines_match_the_definition(void **state)
{
    (void)state;
    enum { N = 1000 };
    revops_rr_line *l = calloc(N, sizeof(*l));
    int64_t want[N];
    u128 rem[N];
    assert_non_null(l);
    uint64_t x = 12345, sum = 0;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        l[i].ssp = (int64_t)(x >> 44) % 5000 + (i % 7 == 0 ? 0 : 1); /* some zero, some ties */
        sum += (uint64_t)l[i].ssp;
    }
    int64_t price = 987654321, given = 0;
    for (int i = 0; i < N; i++) {
        u128 p = (u128)price * (uint64_t)l[i].ssp;
        want[i] = (int64_t)(p / sum);
        rem[i] = p % sum;
        given += want[i];
    }
    for (int64_t left = price - given; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < N; i++)
            if (rem[i] != (u128)-1 && (best < 0 || rem[i] > rem[best]))
                best = i;
        want[best]++;
        rem[best] = (u128)-1;
    }
    allocate(l, N, price);
    for (int i = 0; i < N; i++)
        assert_int_equal(l[i].allocated, want[i]);
    free(l);
}

/* No SSP at all: nothing to allocate by, so each line keeps its own price. A line with a zero
 * SSP beside others gets nothing. */
static void test_zero_ssp(void **state)
{
    (void)state;
    revops_rr_line l[2] = {{.ssp = 0, .price = 700}, {.ssp = 0, .price = 300}};
    allocate(l, 2, 1000);
    assert_int_equal(l[0].allocated, 700);
    assert_int_equal(l[1].allocated, 300);
    revops_rr_line m[2] = {{.ssp = 0, .price = 700}, {.ssp = 5, .price = 300}};
    allocate(m, 2, 1000);
    assert_int_equal(m[0].allocated, 0);
    assert_int_equal(m[1].allocated, 1000);
}

/* Amounts whose products overflow 64 bits: price 9e15, SSPs 9e15 and 1. The second line's
 * exact share is 9e15 / (9e15 + 1) = 0.99999..., floor 0; the first's floor is 9e15 - 1 with
 * remainder 1 (9e15 x 9e15 = (9e15 - 1)(9e15 + 1) + 1), the second's remainder 9e15: the
 * largest, so the unit left goes to the second line. */
static void test_large_amounts(void **state)
{
    (void)state;
    int64_t big = 9000000000000000;
    revops_rr_line l[2] = {{.ssp = big}, {.ssp = 1}};
    allocate(l, 2, big);
    assert_int_equal(l[0].allocated, big - 1);
    assert_int_equal(l[1].allocated, 1);
}

static void test_muldiv(void **state)
{
    (void)state;
    uint64_t rem, rem2;
    /* (2^64 - 1) x 3 / 4: the product needs 66 bits; (2^64 - 1) x 3 = 4 x (3 x 2^62 - 1) + 1. */
    assert_int_equal(revops_revrec__muldiv(UINT64_MAX, 3, 4, &rem), UINT64_MAX / 4 * 3 + 2);
    assert_int_equal(rem, 1);
    assert_int_equal(revops_revrec__muldiv_portable(UINT64_MAX, 3, 4, &rem2),
                     UINT64_MAX / 4 * 3 + 2);
    assert_int_equal(rem2, 1);
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 1000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t a = x, c = (x >> 3) | 1, b = c - (x % c);
        uint64_t q = revops_revrec__muldiv(a, b, c, &rem);
        assert_int_equal(revops_revrec__muldiv_portable(a, b, c, &rem2), q);
        assert_int_equal(rem2, rem);
    }
}

static int64_t in_month(const revops_rr_line *l, int y, int m)
{
    return revops_revrec__in_month(l, ym(y, m));
}

/* 10,600.00 over [2025-11-15, 2026-03-01): starts mid-month, the service's last day is the
 * last day of February; 106 days, 100.00 a day: 1,600 / 3,100 / 3,100 / 2,800. */
static void test_ratable_mid_month_to_month_end(void **state)
{
    (void)state;
    revops_rr_line l = {.method = REVOPS_RR_RATABLE,
                        .start = ymd(2025, 11, 15),
                        .end = ymd(2026, 3, 1),
                        .allocated = 1060000};
    assert_int_equal(in_month(&l, 2025, 10), 0);
    assert_int_equal(in_month(&l, 2025, 11), 160000);
    assert_int_equal(in_month(&l, 2025, 12), 310000);
    assert_int_equal(in_month(&l, 2026, 1), 310000);
    assert_int_equal(in_month(&l, 2026, 2), 280000);
    assert_int_equal(in_month(&l, 2026, 3), 0);
    revops_month from, to;
    revops_revrec__line_months(&l, &from, &to);
    assert_int_equal(from, ym(2025, 11));
    assert_int_equal(to, ym(2026, 2));
}

/* 29,333.04 over [2024-02-10, 2024-03-31): February 10..29 is 20 days in the leap year, March
 * 1..30 is 30 (the end date, March's last day, is the first day without service). February:
 * 2,933,304 x 20 / 50 = 1,173,321.6 -> 1,173,322; March the rest, 1,759,982. The same dates a
 * year earlier have 19 February days of 49: 2,933,304 x 19 / 49 = 1,137,403.59 -> 1,137,404. */
static void test_ratable_leap_day_and_last_day_end(void **state)
{
    (void)state;
    revops_rr_line l = {.method = REVOPS_RR_RATABLE,
                        .start = ymd(2024, 2, 10),
                        .end = ymd(2024, 3, 31),
                        .allocated = 2933304};
    assert_int_equal(in_month(&l, 2024, 2), 1173322);
    assert_int_equal(in_month(&l, 2024, 3), 1759982);
    assert_int_equal(in_month(&l, 2024, 4), 0);
    revops_rr_line k = l;
    k.start = ymd(2023, 2, 10);
    k.end = ymd(2023, 3, 31);
    assert_int_equal(in_month(&k, 2023, 2), 1137404);
    assert_int_equal(in_month(&k, 2023, 3), 2933304 - 1137404);
}

/* 62,700.00 over a year from 2026-01-01: January 6,270,000 x 31 / 365 = 532,520.55 -> 532,521;
 * by February's end 59 days: 1,013,506.85 -> 1,013,507, so February 480,986; the twelve months
 * add up to the whole. */
static void test_ratable_cumulative_rounding(void **state)
{
    (void)state;
    revops_rr_line l = {.method = REVOPS_RR_RATABLE,
                        .start = ymd(2026, 1, 1),
                        .end = ymd(2027, 1, 1),
                        .allocated = 6270000};
    assert_int_equal(in_month(&l, 2026, 1), 532521);
    assert_int_equal(in_month(&l, 2026, 2), 480986);
    int64_t sum = 0;
    for (int m = 1; m <= 12; m++)
        sum += in_month(&l, 2026, m);
    assert_int_equal(sum, 6270000);
    /* One kopeck over two days across a month end: half of it by January's end rounds up. */
    revops_rr_line h = {.method = REVOPS_RR_RATABLE,
                        .start = ymd(2026, 1, 31),
                        .end = ymd(2026, 2, 2),
                        .allocated = 1};
    assert_int_equal(in_month(&h, 2026, 1), 1);
    assert_int_equal(in_month(&h, 2026, 2), 0);
}

static void test_point_in_time_and_milestone(void **state)
{
    (void)state;
    revops_rr_line p = {.method = REVOPS_RR_POINT_IN_TIME,
                        .start = ymd(2025, 12, 31),
                        .end = ymd(2026, 1, 1),
                        .allocated = 8550000};
    assert_int_equal(in_month(&p, 2025, 11), 0);
    assert_int_equal(in_month(&p, 2025, 12), 8550000);
    assert_int_equal(in_month(&p, 2026, 1), 0);
    revops_rr_line m = {.method = REVOPS_RR_MILESTONE,
                        .start = ymd(2026, 1, 20),
                        .end = ymd(2026, 1, 21),
                        .allocated = 4180000};
    assert_int_equal(revops_revrec__cumulative(&m, ym(2025, 12)), 0);
    assert_int_equal(revops_revrec__cumulative(&m, ym(2026, 1)), 4180000);
    assert_int_equal(in_month(&m, 2026, 1), 4180000);
}

/*
 * What is known on the as-of day, 2026-02-15: K-1's deal was won on 2026-01-10 (known), K-2's
 * is still open (not known), K-3's was won after the day (not known), K-4 names no deal
 * (known). Invoices: INV-1 (K-1) counts; INV-2 is void; INV-3 is issued after the day; INV-4
 * bills K-2, which is not known: unmatched; INV-5 is a credit note of -100.00 on K-4.
 * K-1: 1,200.00 ratable over [2026-01-01, 2026-04-01) (90 days: 31 / 28 / 31), billed 1,200
 * in January: deferred 1,200 - 413.33 = 786.67 at January's end (120,000 x 31 / 90 =
 * 41,333.33 -> 41,333), 1,200 - 786.67 (x 59 / 90 = 78,666.67 -> 78,667) = 413.33 at
 * February's. K-4: 500.00 at a point on 2026-02-01, billed -100: unbilled 600.00 in February.
 */
static void test_known_on_the_as_of_day(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    test_write(dir, "rep.csv", "id,name\nR-1,Ann\n");
    test_write(dir, "account.csv", "id,name,created_at\nA-1,Alpha,2025-01-01\n");
    test_write(dir, "opportunity.csv",
               "id,account_id,owner_id,created_at,stage,amount,currency,close_date,closed_at\n"
               "O-1,A-1,R-1,2025-12-01,closed_won,1200.00,RUB,2026-01-10,2026-01-10\n"
               "O-2,A-1,R-1,2025-12-01,proposal,700.00,RUB,2026-03-10,\n"
               "O-3,A-1,R-1,2025-12-01,closed_won,900.00,RUB,2026-03-01,2026-03-01\n");
    test_write(dir, "contract_line.csv",
               "id,contract_id,account_id,opportunity_id,ssp,method,start_date,end_date,"
               "milestone_date,price,currency\n"
               "L-1,K-1,A-1,O-1,1000.00,ratable,2026-01-01,2026-04-01,,1200.00,RUB\n"
               "L-2,K-2,A-1,O-2,700.00,point_in_time,2026-02-01,,,700.00,RUB\n"
               "L-3,K-3,A-1,O-3,900.00,milestone,,,2026-01-15,900.00,RUB\n"
               "L-4,K-4,A-1,,500.00,point_in_time,2026-02-01,,,500.00,RUB\n");
    test_write(dir, "invoice.csv",
               "id,account_id,contract_id,issued_at,amount,currency,status\n"
               "INV-1,A-1,K-1,2026-01-05,1200.00,RUB,paid\n"
               "INV-2,A-1,K-1,2026-01-06,1200.00,RUB,void\n"
               "INV-3,A-1,K-1,2026-02-16,50.00,RUB,open\n"
               "INV-4,A-1,K-2,2026-02-01,700.00,RUB,open\n"
               "INV-5,A-1,K-4,2026-02-01,-100.00,RUB,open\n");
    revops_dataset *ds = NULL;
    revops_import_report rep;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &rep), 0);
    assert_int_equal(rep.rejected, 0);
    revops_import_report_free(&rep);
    test_rmdir(dir);

    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = ymd(2026, 2, 15);
    o.currency = "RUB";
    revops_actx c;
    assert_int_equal(revops_actx__init(&c, ds, &o), 0);
    revops_revrec r;
    assert_int_equal(revops_revrec__build(&r, &c), 0);
    assert_int_equal(r.ncontracts, 2);
    assert_string_equal(revops_dataset__str(ds, r.contracts[0].id), "K-1");
    assert_string_equal(revops_dataset__str(ds, r.contracts[1].id), "K-4");
    assert_int_equal(r.contracts[0].ninv, 1);
    assert_int_equal(r.contracts[0].billed, 120000);
    assert_int_equal(r.contracts[1].billed, -10000);
    assert_int_equal(r.unmatched_invoices, 1);
    assert_int_equal(r.unmatched_billed, 70000);
    assert_int_equal(r.first, ym(2026, 1));
    assert_int_equal(r.nmonths, 3); /* January .. March, K-1's last month */
    assert_int_equal(r.recognized[0], 41333);
    assert_int_equal(r.recognized[1], 78667 - 41333 + 50000);
    assert_int_equal(r.recognized[2], 120000 - 78667);
    assert_int_equal(r.billed[0], 120000);
    assert_int_equal(r.billed[1], -10000);
    assert_int_equal(r.deferred[0], 120000 - 41333);
    assert_int_equal(r.unbilled[0], 0);
    assert_int_equal(r.deferred[1], 120000 - 78667);
    assert_int_equal(r.unbilled[1], 60000);
    assert_int_equal(r.deferred[2], 0);
    assert_int_equal(r.unbilled[2], 60000);
    revops_revrec__free(&r);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_largest_remainder),
        cmocka_unit_test(test_ties_go_to_the_earlier_line),
        cmocka_unit_test(test_many_lines_ties),
        cmocka_unit_test(test_many_lines_match_the_definition),
        cmocka_unit_test(test_zero_ssp),
        cmocka_unit_test(test_large_amounts),
        cmocka_unit_test(test_muldiv),
        cmocka_unit_test(test_ratable_mid_month_to_month_end),
        cmocka_unit_test(test_ratable_leap_day_and_last_day_end),
        cmocka_unit_test(test_ratable_cumulative_rounding),
        cmocka_unit_test(test_point_in_time_and_milestone),
        cmocka_unit_test(test_known_on_the_as_of_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
