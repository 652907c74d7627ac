/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Day numbers use the era-based algorithm of H. Hinnant ("chrono-Compatible Low-Level Date
 * Algorithms"): exact for the whole proleptic Gregorian calendar, no tables, no floating
 * point, no dependence on the C library's time zone state.
 */
#include "revops/date.h"

#include <string.h>

#include "core/error.h"

int revops_is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int revops_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && revops_is_leap_year(y) ? 29 : days[m - 1];
}

int revops_ymd_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= revops_days_in_month(y, m);
}

revops_day revops_day_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (revops_day)(era * 146097 + doe - 719468);
}

void revops_day_to_ymd(revops_day day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (mm <= 2);
    *m = mm;
    *d = dd;
}

int revops_day_weekday(revops_day day)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int w = (int)((day % 7 + 7) % 7); /* 0 = Thursday */
    return (w + 3) % 7 + 1;
}

void revops_day_iso_week(revops_day day, int *iso_year, int *week)
{
    /* The ISO week belongs to the year of its Thursday. */
    revops_day thursday = day - revops_day_weekday(day) + 4;
    int y, m, d;
    revops_day_to_ymd(thursday, &y, &m, &d);
    revops_day jan1 = revops_day_from_ymd(y, 1, 1);
    *iso_year = y;
    *week = (thursday - jan1) / 7 + 1;
}

/* Reads exactly `n` digits at s[*pos]; returns -1 when they are not all digits. */
static int digits(const char *s, size_t len, size_t *pos, int n)
{
    if (*pos + (size_t)n > len)
        return -1;
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = s[*pos + (size_t)i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *pos += (size_t)n;
    return v;
}

/* Parses YYYY-MM-DD at the start of s; sets *used to the bytes consumed. */
static int parse_ymd(const char *s, size_t len, size_t *used, int *y, int *m, int *d)
{
    size_t pos = 0;
    *y = digits(s, len, &pos, 4);
    if (*y < 0 || pos >= len || s[pos] != '-')
        return -1;
    pos++;
    *m = digits(s, len, &pos, 2);
    if (*m < 0 || pos >= len || s[pos] != '-')
        return -1;
    pos++;
    *d = digits(s, len, &pos, 2);
    if (*d < 0)
        return -1;
    *used = pos;
    return 0;
}

static int bad_date(const char *s, size_t len, const char *expected)
{
    if (len > 40)
        return revops_error__set(REVOPS_EINVALID, "'%.40s...' is not %s", s, expected);
    return revops_error__set(REVOPS_EINVALID, "'%.*s' is not %s", (int)len, s, expected);
}

int revops_day_parse(revops_day *out, const char *s, size_t len)
{
    int y, m, d;
    size_t used;
    if (parse_ymd(s, len, &used, &y, &m, &d) || used != len)
        return bad_date(s, len, "a date (expected YYYY-MM-DD)");
    if (!revops_ymd_valid(y, m, d))
        return bad_date(s, len, "a calendar date");
    *out = revops_day_from_ymd(y, m, d);
    return 0;
}

int revops_time_parse(revops_time *out, const char *s, size_t len)
{
    static const char *expected =
        "a date or timestamp (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])";
    int y, m, d;
    size_t pos;
    if (parse_ymd(s, len, &pos, &y, &m, &d))
        return bad_date(s, len, expected);
    if (!revops_ymd_valid(y, m, d))
        return bad_date(s, len, "a calendar date");
    revops_time t = revops_day_time(revops_day_from_ymd(y, m, d));
    if (pos == len) {
        *out = t;
        return 0;
    }
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
        return bad_date(s, len, expected);
    pos++;
    int hh = digits(s, len, &pos, 2);
    if (hh < 0 || pos >= len || s[pos] != ':')
        return bad_date(s, len, expected);
    pos++;
    int mi = digits(s, len, &pos, 2);
    int ss = 0;
    if (mi < 0)
        return bad_date(s, len, expected);
    if (pos < len && s[pos] == ':') {
        pos++;
        ss = digits(s, len, &pos, 2);
        if (ss < 0)
            return bad_date(s, len, expected);
        if (pos < len && (s[pos] == '.' || s[pos] == ',')) {
            pos++;
            size_t start = pos;
            while (pos < len && s[pos] >= '0' && s[pos] <= '9')
                pos++;
            if (pos == start)
                return bad_date(s, len, expected);
        }
    }
    if (hh > 23 || mi > 59 || ss > 59)
        return bad_date(s, len, "a valid time of day");
    t += hh * 3600 + mi * 60 + ss;
    if (pos < len) {
        if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == len) {
            pos++;
        } else if (s[pos] == '+' || s[pos] == '-') {
            int sign = s[pos] == '+' ? 1 : -1;
            pos++;
            int oh = digits(s, len, &pos, 2);
            if (oh < 0)
                return bad_date(s, len, expected);
            if (pos < len && s[pos] == ':')
                pos++;
            int om = pos < len ? digits(s, len, &pos, 2) : 0;
            if (om < 0 || oh > 23 || om > 59)
                return bad_date(s, len, "a valid UTC offset");
            /* Local time = UTC + offset, so UTC = local - offset. */
            t -= sign * (oh * 3600 + om * 60);
        }
    }
    if (pos != len)
        return bad_date(s, len, expected);
    *out = t;
    return 0;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

static void put4(char *p, int v)
{
    p[0] = (char)('0' + v / 1000 % 10);
    p[1] = (char)('0' + v / 100 % 10);
    p[2] = (char)('0' + v / 10 % 10);
    p[3] = (char)('0' + v % 10);
}

size_t revops_day_format(revops_day day, char out[REVOPS_DAY_TEXT_MAX])
{
    int y, m, d;
    revops_day_to_ymd(day, &y, &m, &d);
    put4(out, y);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = '\0';
    return 10;
}

size_t revops_time_format(revops_time t, char out[REVOPS_TIME_TEXT_MAX])
{
    revops_day day = revops_time_day(t);
    int secs = (int)(t - revops_day_time(day));
    size_t n = revops_day_format(day, out);
    if (secs == 0)
        return n;
    out[10] = 'T';
    put2(out + 11, secs / 3600);
    out[13] = ':';
    put2(out + 14, secs / 60 % 60);
    out[16] = ':';
    put2(out + 17, secs % 60);
    out[19] = 'Z';
    out[20] = '\0';
    return 20;
}

revops_month revops_day_month(revops_day day)
{
    int y, m, d;
    revops_day_to_ymd(day, &y, &m, &d);
    return revops_month_from_ym(y, m);
}

static void month_split(revops_month mo, int *y, int *m)
{
    int yy = mo >= 0 ? mo / 12 : -((-mo + 11) / 12);
    *y = yy;
    *m = mo - yy * 12 + 1;
}

revops_day revops_month_first_day(revops_month mo)
{
    int y, m;
    month_split(mo, &y, &m);
    return revops_day_from_ymd(y, m, 1);
}

revops_day revops_month_last_day(revops_month mo)
{
    return revops_month_first_day(mo + 1) - 1;
}

int revops_month_parse(revops_month *out, const char *s, size_t len)
{
    size_t pos = 0;
    int y = digits(s, len, &pos, 4);
    if (y < 1 || pos >= len || s[pos] != '-')
        return bad_date(s, len, "a month (expected YYYY-MM)");
    pos++;
    int m = digits(s, len, &pos, 2);
    if (m < 1 || m > 12)
        return bad_date(s, len, "a month (expected YYYY-MM)");
    if (pos != len) {
        revops_day day;
        if (revops_day_parse(&day, s, len))
            return bad_date(s, len, "a month (expected YYYY-MM)");
    }
    *out = revops_month_from_ym(y, m);
    return 0;
}

size_t revops_month_format(revops_month mo, char out[REVOPS_MONTH_TEXT_MAX])
{
    int y, m;
    month_split(mo, &y, &m);
    put4(out, y);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '\0';
    return 7;
}

/* First month (as revops_month) of fiscal year `fy`. */
static revops_month fiscal_year_start(int fy, int fiscal_start_month)
{
    /* FY N starts in calendar year N - 1 unless the fiscal year is the calendar year. */
    int y = fiscal_start_month == 1 ? fy : fy - 1;
    return revops_month_from_ym(y, fiscal_start_month);
}

static void period_fill(revops_period *p)
{
    revops_month first, after;
    switch (p->kind) {
    case REVOPS_PERIOD_MONTH:
        first = revops_month_from_ym(p->year, p->index);
        after = first + 1;
        break;
    case REVOPS_PERIOD_QUARTER:
        first = fiscal_year_start(p->year, p->fiscal_start_month) + 3 * (p->index - 1);
        after = first + 3;
        break;
    default:
        first = fiscal_year_start(p->year, p->fiscal_start_month);
        after = first + 12;
        break;
    }
    p->start = revops_month_first_day(first);
    p->end = revops_month_first_day(after);
}

int revops_period_parse(revops_period *out, const char *s, size_t len, int fiscal_start_month)
{
    static const char *expected = "a period (expected YYYY-MM, YYYY-Qn or YYYY)";
    if (fiscal_start_month < 1 || fiscal_start_month > 12)
        return revops_error__set(REVOPS_EINVALID, "fiscal year start month %d is not 1..12",
                                 fiscal_start_month);
    size_t pos = 0;
    int y = digits(s, len, &pos, 4);
    if (y < 2 || y > 9998)
        return bad_date(s, len, expected);
    revops_period p;
    memset(&p, 0, sizeof(p));
    p.year = y;
    p.fiscal_start_month = fiscal_start_month;
    if (pos == len) {
        p.kind = REVOPS_PERIOD_YEAR;
    } else if (s[pos] == '-' && pos + 1 < len && (s[pos + 1] == 'Q' || s[pos + 1] == 'q')) {
        pos += 2;
        int q = digits(s, len, &pos, 1);
        if (q < 1 || q > 4 || pos != len)
            return bad_date(s, len, expected);
        p.kind = REVOPS_PERIOD_QUARTER;
        p.index = q;
    } else if (s[pos] == '-') {
        pos++;
        int m = digits(s, len, &pos, 2);
        if (m < 1 || m > 12 || pos != len)
            return bad_date(s, len, expected);
        p.kind = REVOPS_PERIOD_MONTH;
        p.index = m;
    } else {
        return bad_date(s, len, expected);
    }
    period_fill(&p);
    *out = p;
    return 0;
}

void revops_period_containing(revops_period *out, revops_period_kind kind, revops_day day,
                              int fiscal_start_month)
{
    if (fiscal_start_month < 1 || fiscal_start_month > 12)
        fiscal_start_month = 1;
    revops_month mo = revops_day_month(day);
    int y, m;
    month_split(mo, &y, &m);
    memset(out, 0, sizeof(*out));
    out->kind = kind;
    out->fiscal_start_month = fiscal_start_month;
    if (kind == REVOPS_PERIOD_MONTH) {
        out->year = y;
        out->index = m;
    } else {
        /* Months since the fiscal year started, and the fiscal year's name. */
        int into = (m - fiscal_start_month + 12) % 12;
        int start_year = m >= fiscal_start_month ? y : y - 1;
        out->year = fiscal_start_month == 1 ? start_year : start_year + 1;
        out->index = kind == REVOPS_PERIOD_QUARTER ? into / 3 + 1 : 0;
    }
    period_fill(out);
}

void revops_period_shift(revops_period *out, const revops_period *p, int n)
{
    revops_period r = *p;
    if (p->kind == REVOPS_PERIOD_MONTH) {
        revops_month mo = revops_month_from_ym(p->year, p->index) + n;
        month_split(mo, &r.year, &r.index);
    } else if (p->kind == REVOPS_PERIOD_QUARTER) {
        int q = p->year * 4 + (p->index - 1) + n;
        r.year = q >= 0 ? q / 4 : -((-q + 3) / 4);
        r.index = q - r.year * 4 + 1;
    } else {
        r.year = p->year + n;
    }
    period_fill(&r);
    *out = r;
}

size_t revops_period_format(const revops_period *p, char out[REVOPS_PERIOD_TEXT_MAX])
{
    put4(out, p->year);
    if (p->kind == REVOPS_PERIOD_YEAR) {
        out[4] = '\0';
        return 4;
    }
    out[4] = '-';
    if (p->kind == REVOPS_PERIOD_QUARTER) {
        out[5] = 'Q';
        out[6] = (char)('0' + p->index);
        out[7] = '\0';
        return 7;
    }
    put2(out + 5, p->index);
    out[7] = '\0';
    return 7;
}
