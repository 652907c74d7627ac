/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Calendar arithmetic: ISO 8601 dates and timestamps, civil day numbers, months, quarters
 * with a configurable fiscal-year start, and ISO weeks. All times are UTC.
 */
#ifndef REVOPS_DATE_H
#define REVOPS_DATE_H

#include <stddef.h>
#include "revops/common.h"
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t revops_day;   /* days since 1970-01-01 (negative before) */
typedef int64_t revops_time;  /* seconds since 1970-01-01T00:00:00Z */
typedef int32_t revops_month; /* year * 12 + (month - 1) */

#define REVOPS_NO_DAY INT32_MIN
#define REVOPS_NO_TIME INT64_MIN
#define REVOPS_NO_MONTH INT32_MIN

#define REVOPS_DAY_TEXT_MAX 11  /* "YYYY-MM-DD" + NUL */
#define REVOPS_TIME_TEXT_MAX 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define REVOPS_MONTH_TEXT_MAX 8 /* "YYYY-MM" + NUL */
#define REVOPS_PERIOD_TEXT_MAX 16

/* 1 when y-m-d is a real calendar date with year 1..9999, else 0. */
int revops_ymd_valid(int y, int m, int d);
int revops_days_in_month(int y, int m);
int revops_is_leap_year(int y);

/* Day number of a valid y-m-d (proleptic Gregorian calendar). */
revops_day revops_day_from_ymd(int y, int m, int d);
void revops_day_to_ymd(revops_day day, int *y, int *m, int *d);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int revops_day_weekday(revops_day day);
/* ISO 8601 week: the week-numbering year and the week 1..53 that contain `day`. */
void revops_day_iso_week(revops_day day, int *iso_year, int *week);

/*
 * Parses "YYYY-MM-DD". Returns 0, or REVOPS_EINVALID with a message naming what was
 * expected (the caller adds file/line context).
 */
int revops_day_parse(revops_day *out, const char *s, size_t len);

/*
 * Parses a date ("2026-03-01", meaning midnight UTC) or a timestamp: date, 'T' or ' ', hh:mm,
 * optional :ss, optional fraction (dropped), optional 'Z' or +hh:mm / -hh:mm / +hhmm offset.
 */
int revops_time_parse(revops_time *out, const char *s, size_t len);

/* Writes "YYYY-MM-DD"; returns the length (10). */
size_t revops_day_format(revops_day day, char out[REVOPS_DAY_TEXT_MAX]);
/* Writes "YYYY-MM-DDTHH:MM:SSZ", or just the date when the time is midnight. */
size_t revops_time_format(revops_time t, char out[REVOPS_TIME_TEXT_MAX]);

static inline revops_day revops_time_day(revops_time t)
{
    /* Floor division, so times before 1970 fall on the right day. */
    return (revops_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

static inline revops_time revops_day_time(revops_day d)
{
    return (revops_time)d * 86400;
}

static inline revops_month revops_month_from_ym(int y, int m)
{
    return (revops_month)(y * 12 + (m - 1));
}

revops_month revops_day_month(revops_day day);
revops_day revops_month_first_day(revops_month m);
/* The last day of the month (inclusive). */
revops_day revops_month_last_day(revops_month m);
/* Parses "YYYY-MM"; a full date "YYYY-MM-DD" is accepted and names its month. */
int revops_month_parse(revops_month *out, const char *s, size_t len);
size_t revops_month_format(revops_month m, char out[REVOPS_MONTH_TEXT_MAX]);

typedef enum revops_period_kind {
    REVOPS_PERIOD_MONTH,
    REVOPS_PERIOD_QUARTER,
    REVOPS_PERIOD_YEAR
} revops_period_kind;

/*
 * A reporting period: a calendar month, a fiscal quarter or a fiscal year. A fiscal year that
 * starts in a month other than January is named after the calendar year in which it ends
 * (fiscal start February: FY2027 runs 2026-02-01 to 2027-01-31), as most companies name them.
 */
typedef struct revops_period {
    revops_period_kind kind;
    int year;               /* calendar year (month) or fiscal year (quarter, year) */
    int index;              /* month 1..12, quarter 1..4, 0 for a year */
    int fiscal_start_month; /* 1..12 */
    revops_day start;       /* first day */
    revops_day end;         /* first day after the period */
} revops_period;

/* Parses "2026-07", "2026-Q3" (or "2026-q3") or "2026". */
int revops_period_parse(revops_period *out, const char *s, size_t len, int fiscal_start_month);
/* The period of the given kind that contains `day`. */
void revops_period_containing(revops_period *out, revops_period_kind kind, revops_day day,
                              int fiscal_start_month);
/* The period `n` periods after `p` (n may be negative). */
void revops_period_shift(revops_period *out, const revops_period *p, int n);
size_t revops_period_format(const revops_period *p, char out[REVOPS_PERIOD_TEXT_MAX]);

#ifdef __cplusplus
}
#endif

#endif
