/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dates, timestamps, months, fiscal periods and ISO weeks. Reference values come from
 * Python's datetime module (date.toordinal differences, isocalendar, timestamp), noted beside
 * each, and from an independent day counter written in this file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "revops/date.h"

static revops_day parse_day(const char *s)
{
    revops_day d = 0;
    assert_int_equal(revops_day_parse(&d, s, strlen(s)), 0);
    return d;
}

static void test_day_numbers_match_python(void **state)
{
    (void)state;
    /* (date(y, m, d) - date(1970, 1, 1)).days */
    assert_int_equal(parse_day("1970-01-01"), 0);
    assert_int_equal(parse_day("2024-02-29"), 19782);
    assert_int_equal(parse_day("1900-03-01"), -25508);
    assert_int_equal(parse_day("2000-02-29"), 11016);
    assert_int_equal(parse_day("1969-12-31"), -1);
    assert_int_equal(parse_day("0001-01-01"), -719162);
    assert_int_equal(parse_day("9999-12-31"), 2932896);
    assert_int_equal(parse_day("2026-11-23"), 20780);
}

/* Counts days from 0001-01-01 one month at a time: slow, simple, independent. */
static long slow_day(int y, int m, int d)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long n = 0;
    for (int yy = 1; yy < y; yy++)
        n += ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0) ? 366 : 365;
    for (int mm = 1; mm < m; mm++)
        n += dim[mm - 1] + (mm == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return n + d - 1 - 719162;
}

static void test_round_trip_against_an_independent_count(void **state)
{
    (void)state;
    /* Every day of 1890-2110 and of the years around 1600 and 2400 (century rules). */
    const int ranges[][2] = {{1890, 2110}, {1596, 1604}, {2396, 2404}};
    for (size_t r = 0; r < 3; r++) {
        for (int y = ranges[r][0]; y <= ranges[r][1]; y++) {
            for (int m = 1; m <= 12; m++) {
                int dim = revops_days_in_month(y, m);
                for (int d = 1; d <= dim; d++) {
                    revops_day day = revops_day_from_ymd(y, m, d);
                    if (day != slow_day(y, m, d))
                        fail_msg("%04d-%02d-%02d: %d, expected %ld", y, m, d, day,
                                 slow_day(y, m, d));
                    int yy, mm, dd;
                    revops_day_to_ymd(day, &yy, &mm, &dd);
                    assert_true(yy == y && mm == m && dd == d);
                }
            }
        }
    }
}

static void test_leap_years_and_month_lengths(void **state)
{
    (void)state;
    assert_false(revops_is_leap_year(1900));
    assert_true(revops_is_leap_year(2000));
    assert_true(revops_is_leap_year(2024));
    assert_false(revops_is_leap_year(2026));
    assert_int_equal(revops_days_in_month(2024, 2), 29);
    assert_int_equal(revops_days_in_month(2100, 2), 28);
    assert_int_equal(revops_days_in_month(2026, 4), 30);
    assert_int_equal(revops_days_in_month(2026, 13), 0);
    assert_false(revops_ymd_valid(2026, 2, 29));
    assert_true(revops_ymd_valid(2028, 2, 29));
    assert_false(revops_ymd_valid(0, 1, 1));
}

static void test_weekdays_and_iso_weeks(void **state)
{
    (void)state;
    /* date.isoweekday() and date.isocalendar() */
    assert_int_equal(revops_day_weekday(0), 4);                       /* 1970-01-01 Thu */
    assert_int_equal(revops_day_weekday(parse_day("1969-12-31")), 3); /* Wed */
    assert_int_equal(revops_day_weekday(parse_day("2026-11-23")), 1); /* Mon */
    assert_int_equal(revops_day_weekday(parse_day("0001-01-01")), 1);
    const struct {
        const char *day;
        int year, week;
    } weeks[] = {{"2021-01-03", 2020, 53}, {"2026-12-31", 2026, 53}, {"2020-12-31", 2020, 53},
                 {"2024-12-30", 2025, 1},  {"2027-01-01", 2026, 53}, {"2008-12-29", 2009, 1},
                 {"2026-11-23", 2026, 48}, {"1969-12-31", 1970, 1}};
    for (size_t i = 0; i < sizeof(weeks) / sizeof(weeks[0]); i++) {
        int y, w;
        revops_day_iso_week(parse_day(weeks[i].day), &y, &w);
        if (y != weeks[i].year || w != weeks[i].week)
            fail_msg("%s: %d-W%02d, expected %d-W%02d", weeks[i].day, y, w, weeks[i].year,
                     weeks[i].week);
    }
}

static revops_time parse_time(const char *s)
{
    revops_time t = 0;
    if (revops_time_parse(&t, s, strlen(s)) != 0)
        fail_msg("'%s' did not parse", s);
    return t;
}

static void test_timestamps(void **state)
{
    (void)state;
    /* datetime(2026, 3, 1, 14, 5, tzinfo=...).timestamp() */
    assert_int_equal(parse_time("2026-03-01T14:05:00Z"), 1772373900);
    assert_int_equal(parse_time("2026-03-01 14:05:00"), 1772373900);
    assert_int_equal(parse_time("2026-03-01t14:05Z"), 1772373900);
    assert_int_equal(parse_time("2026-03-01T14:05:00.999Z"), 1772373900);
    assert_int_equal(parse_time("2026-03-01T14:05:00+03:00"), 1772363100);
    assert_int_equal(parse_time("2026-03-01T14:05:00+0300"), 1772363100);
    assert_int_equal(parse_time("2026-03-01T14:05:00-05:00"), 1772391900);
    assert_int_equal(parse_time("2026-03-01"), 1772323200);
    assert_int_equal(parse_time("1969-12-31T23:59:59Z"), -1);
    assert_int_equal(revops_time_day(-1), -1);
    assert_int_equal(revops_time_day(-86400), -1);
    assert_int_equal(revops_time_day(-86401), -2);

    char buf[REVOPS_TIME_TEXT_MAX];
    assert_int_equal(revops_time_format(1772373900, buf), 20);
    assert_string_equal(buf, "2026-03-01T14:05:00Z");
    assert_int_equal(revops_time_format(1772323200, buf), 10);
    assert_string_equal(buf, "2026-03-01"); /* midnight prints as the date */
    revops_time_format(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void test_bad_dates_and_times_are_refused(void **state)
{
    (void)state;
    const char *bad_days[] = {"2026-02-30", "2026-13-01",          "2026-00-10", "2026-1-5",
                              "26-01-05",   "2026-01-05x",         "",           "2026/01/05",
                              "0000-01-01", "2026-01-05T10:00:00Z"};
    for (size_t i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
        revops_day d;
        if (revops_day_parse(&d, bad_days[i], strlen(bad_days[i])) != REVOPS_EINVALID)
            fail_msg("'%s' was accepted as a date", bad_days[i]);
    }
    const char *bad_times[] = {
        "2026-03-01T24:00:00Z",   "2026-03-01T10:60Z",  "2026-03-01T10",
        "2026-03-01T10:00:61",    "2026-03-01T10:00Zx", "2026-03-01T",
        "2026-03-01T10:00+25:00", "2026-03-01X10:00",   "2026-03-01T10:00:00."};
    for (size_t i = 0; i < sizeof(bad_times) / sizeof(bad_times[0]); i++) {
        revops_time t;
        if (revops_time_parse(&t, bad_times[i], strlen(bad_times[i])) != REVOPS_EINVALID)
            fail_msg("'%s' was accepted as a timestamp", bad_times[i]);
    }
}

static void test_months(void **state)
{
    (void)state;
    revops_month m;
    assert_int_equal(revops_month_parse(&m, "2026-07", 7), 0);
    assert_int_equal(m, 2026 * 12 + 6);
    assert_int_equal(revops_month_parse(&m, "2026-07-31", 10), 0); /* a date names its month */
    assert_int_equal(m, 2026 * 12 + 6);
    assert_int_equal(revops_month_parse(&m, "2026-13", 7), REVOPS_EINVALID);
    assert_int_equal(revops_month_parse(&m, "2026-07-32", 10), REVOPS_EINVALID);
    assert_int_equal(revops_month_first_day(2024 * 12 + 1), parse_day("2024-02-01"));
    assert_int_equal(revops_month_last_day(2024 * 12 + 1), parse_day("2024-02-29"));
    assert_int_equal(revops_month_last_day(2026 * 12 + 11), parse_day("2026-12-31"));
    assert_int_equal(revops_day_month(parse_day("1969-12-31")), 1969 * 12 + 11);
    char buf[REVOPS_MONTH_TEXT_MAX];
    revops_month_format(2026 * 12 + 0, buf);
    assert_string_equal(buf, "2026-01");
}

static void expect_period(const char *text, int fiscal, const char *start, const char *end)
{
    revops_period p;
    assert_int_equal(revops_period_parse(&p, text, strlen(text), fiscal), 0);
    assert_int_equal(p.start, parse_day(start));
    assert_int_equal(p.end, parse_day(end));
    char buf[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(&p, buf);
    if (strcmp(buf, text) != 0 && !(text[5] == 'q' && buf[5] == 'Q'))
        fail_msg("%s formats as %s", text, buf);
}

static void test_periods_and_fiscal_years(void **state)
{
    (void)state;
    expect_period("2026-07", 1, "2026-07-01", "2026-08-01");
    expect_period("2026-Q3", 1, "2026-07-01", "2026-10-01");
    expect_period("2026-q4", 1, "2026-10-01", "2027-01-01");
    expect_period("2026", 1, "2026-01-01", "2027-01-01");
    /* A fiscal year starting in February is named after the year it ends in:
     * FY2027 = 2026-02-01 .. 2027-01-31, its Q1 = February to April 2026. */
    expect_period("2027", 2, "2026-02-01", "2027-02-01");
    expect_period("2027-Q1", 2, "2026-02-01", "2026-05-01");
    expect_period("2027-Q4", 2, "2026-11-01", "2027-02-01");
    /* Fiscal start in April (as in the UK or Japan): FY2027-Q3 = October-December 2026. */
    expect_period("2027-Q3", 4, "2026-10-01", "2027-01-01");
    /* Months are calendar months whatever the fiscal start. */
    expect_period("2026-03", 4, "2026-03-01", "2026-04-01");

    revops_period p, q;
    revops_period_containing(&p, REVOPS_PERIOD_QUARTER, parse_day("2026-01-15"), 2);
    assert_int_equal(p.year, 2026); /* January 2026 is the last month of FY2026 */
    assert_int_equal(p.index, 4);
    revops_period_containing(&p, REVOPS_PERIOD_QUARTER, parse_day("2026-02-01"), 2);
    assert_int_equal(p.year, 2027);
    assert_int_equal(p.index, 1);
    revops_period_containing(&p, REVOPS_PERIOD_YEAR, parse_day("2026-06-30"), 1);
    assert_int_equal(p.year, 2026);
    revops_period_containing(&p, REVOPS_PERIOD_QUARTER, parse_day("2026-12-31"), 1);
    revops_period_shift(&q, &p, 1);
    assert_int_equal(q.year, 2027);
    assert_int_equal(q.index, 1);
    revops_period_shift(&q, &p, -4);
    assert_int_equal(q.year, 2025);
    assert_int_equal(q.index, 4);
    revops_period_containing(&p, REVOPS_PERIOD_MONTH, parse_day("2026-01-31"), 1);
    revops_period_shift(&q, &p, -1);
    assert_int_equal(q.start, parse_day("2025-12-01"));
    revops_period_shift(&q, &p, 13);
    assert_int_equal(q.start, parse_day("2027-02-01"));

    const char *bad[] = {"2026-Q5", "2026-Q0", "2026-13", "202", "2026-", "2026-Q3x", "Q3-2026"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (revops_period_parse(&p, bad[i], strlen(bad[i]), 1) != REVOPS_EINVALID)
            fail_msg("'%s' was accepted as a period", bad[i]);
    assert_int_equal(revops_period_parse(&p, "2026", 4, 13), REVOPS_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_numbers_match_python),
        cmocka_unit_test(test_round_trip_against_an_independent_count),
        cmocka_unit_test(test_leap_years_and_month_lengths),
        cmocka_unit_test(test_weekdays_and_iso_weeks),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_bad_dates_and_times_are_refused),
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_periods_and_fiscal_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
