/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ingest/convert.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "revops/date.h"
#include "revops/money.h"

/* Ids longer than this are refused: no CRM makes them, and they would bloat every index. */
#define MAX_ID_LEN 255

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int invalid(const char *fmt, const char *text, size_t len)
{
    int shown = len > 60 ? 60 : (int)len;
    return revops_error__set(REVOPS_EINVALID, fmt, shown, text, len > 60 ? "..." : "");
}

/* Lower case, with spaces and hyphens as underscores: "Best Case" -> "best_case". */
static size_t normalise_enum(const char *s, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (c == ' ' || c == '-')
            c = '_';
        out[i] = c;
    }
    out[len] = '\0';
    return len;
}

static int in_values(const char *const *values, const char *s, size_t len)
{
    for (size_t i = 0; values[i]; i++)
        if (strlen(values[i]) == len && memcmp(values[i], s, len) == 0)
            return 1;
    return 0;
}

static int bad_value(const revops_field_def *f, const char *s, size_t len)
{
    char list[256];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; f->values[i] && used < sizeof(list); i++) {
        int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", f->values[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    int shown = len > 60 ? 60 : (int)len;
    return revops_error__set(REVOPS_EINVALID, "'%.*s' is not one of: %s", shown, s, list);
}

static int convert_stage(const revops_stages *stages, const char *s, size_t len, char *scratch,
                         revops_value *out)
{
    int idx = revops_stages_find(stages, s, len);
    if (idx < 0) {
        /* "Closed Won" from a CRM export names the stage closed_won. */
        normalise_enum(s, len, scratch);
        idx = revops_stages_find(stages, scratch, len);
    }
    if (idx < 0) {
        char list[REVOPS_MAX_STAGES * 24];
        revops_stages_list(stages, list, sizeof(list));
        int shown = len > 60 ? 60 : (int)len;
        return revops_error__set(REVOPS_EINVALID, "unknown stage '%.*s' (known stages: %s)", shown,
                                 s, list);
    }
    out->s = stages->items[idx].name;
    out->len = strlen(out->s);
    return 0;
}

static int convert_list(const revops_field_def *f, const char *s, size_t len, char *scratch,
                        revops_value *out)
{
    size_t used = 0;
    size_t start = 0;
    while (start <= len) {
        size_t end = start;
        while (end < len && s[end] != ';')
            end++;
        size_t a = start, b = end;
        while (a < b && is_space(s[a]))
            a++;
        while (b > a && is_space(s[b - 1]))
            b--;
        if (b > a) {
            if (used)
                scratch[used++] = ';';
            if (f->values) {
                normalise_enum(s + a, b - a, scratch + used);
                if (!in_values(f->values, scratch + used, b - a))
                    return bad_value(f, s + a, b - a);
            } else {
                memcpy(scratch + used, s + a, b - a);
            }
            used += b - a;
        }
        start = end + 1;
    }
    scratch[used] = '\0';
    out->s = scratch;
    out->len = used;
    out->present = used > 0;
    return 0;
}

static int convert_int(const char *s, size_t len, revops_value *out)
{
    size_t pos = 0;
    int negative = 0;
    if (s[0] == '-' || s[0] == '+') {
        negative = s[0] == '-';
        pos++;
    }
    if (pos == len)
        return invalid("'%.*s%s' is not a whole number", s, len);
    uint64_t v = 0;
    for (; pos < len; pos++) {
        if (s[pos] < '0' || s[pos] > '9')
            return invalid("'%.*s%s' is not a whole number", s, len);
        unsigned d = (unsigned)(s[pos] - '0');
        if (v > ((uint64_t)INT64_MAX - d) / 10)
            return invalid("'%.*s%s' is too large (beyond 64-bit range)", s, len);
        v = v * 10 + d;
    }
    out->i = negative ? -(int64_t)v : (int64_t)v;
    if (out->i < 0)
        return invalid("'%.*s%s' is negative; a count cannot be", s, len);
    return 0;
}

static int convert_real(const char *s, size_t len, char *scratch, revops_value *out)
{
    /* strtod needs a terminated string, and must not read a locale's decimal comma. */
    memcpy(scratch, s, len);
    scratch[len] = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = scratch[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return invalid("'%.*s%s' is not a number", s, len);
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(scratch, &end);
    if (end != scratch + len || !isfinite(d) || errno == ERANGE)
        return invalid("'%.*s%s' is not a number (or is out of range)", s, len);
    out->d = d;
    return 0;
}

static int convert_bool(const char *s, size_t len, char *scratch, revops_value *out)
{
    static const char *const yes[] = {"true", "yes", "y", "t", "1", NULL};
    static const char *const no[] = {"false", "no", "n", "f", "0", NULL};
    if (len > 5)
        return invalid("'%.*s%s' is not a boolean (expected true or false)", s, len);
    normalise_enum(s, len, scratch);
    if (in_values(yes, scratch, len))
        out->i = 1;
    else if (in_values(no, scratch, len))
        out->i = 0;
    else
        return invalid("'%.*s%s' is not a boolean (expected true or false)", s, len);
    return 0;
}

int revops_convert__field(const revops_field_def *f, const char *text, size_t len,
                          const revops_stages *stages, int text_checked, char *scratch,
                          revops_value *out)
{
    memset(out, 0, sizeof(*out));
    while (len > 0 && is_space(text[0])) {
        text++;
        len--;
    }
    while (len > 0 && is_space(text[len - 1]))
        len--;
    if (len == 0)
        return 0;
    size_t bad;
    if (!text_checked && !revops_utf8__valid(text, len, &bad)) {
        if (text[bad] == '\0')
            return revops_error__set(REVOPS_EINVALID, "contains a NUL byte at byte %zu", bad + 1);
        return revops_error__set(REVOPS_EINVALID,
                                 "not valid UTF-8 (byte 0x%02x at byte %zu); convert the file "
                                 "to UTF-8, e.g. iconv -f cp1252 -t utf-8",
                                 (unsigned char)text[bad], bad + 1);
    }
    out->present = 1;
    out->s = text;
    out->len = len;
    int rc = 0;
    switch (f->type) {
    case REVOPS_FT_ID:
    case REVOPS_FT_REF:
        if (len > MAX_ID_LEN)
            rc = revops_error__set(REVOPS_EINVALID, "id is %zu bytes long; the limit is %d", len,
                                   MAX_ID_LEN);
        break;
    case REVOPS_FT_TEXT:
        break;
    case REVOPS_FT_ENUM:
        normalise_enum(text, len, scratch);
        if (!in_values(f->values, scratch, len))
            rc = bad_value(f, text, len);
        out->s = scratch;
        break;
    case REVOPS_FT_STAGE:
        rc = convert_stage(stages, text, len, scratch, out);
        break;
    case REVOPS_FT_LIST:
        rc = convert_list(f, text, len, scratch, out);
        break;
    case REVOPS_FT_CURRENCY:
        for (size_t i = 0; i < len && i < 4; i++)
            scratch[i] = (text[i] >= 'a' && text[i] <= 'z') ? (char)(text[i] - 'a' + 'A') : text[i];
        if (revops_currency_exponent(scratch, len) < 0)
            rc = invalid("'%.*s%s' is not an ISO 4217 currency code (like USD, EUR, RUB)", text,
                         len);
        out->s = scratch;
        break;
    case REVOPS_FT_PERIOD: {
        revops_period p;
        if ((rc = revops_period_parse(&p, text, len, 1)))
            break;
        out->len = revops_period_format(&p, scratch);
        out->s = scratch;
        break;
    }
    case REVOPS_FT_DATE: {
        revops_day d = 0;
        rc = revops_day_parse(&d, text, len);
        if (rc) {
            /* Exports often write dates as midnight timestamps ("2023-05-11 00:00:00"). */
            revops_time t;
            if (revops_time_parse(&t, text, len) == 0) {
                d = revops_time_day(t);
                rc = 0;
            } else {
                rc = invalid("'%.*s%s' is not a date (expected YYYY-MM-DD)", text, len);
            }
        }
        out->i = d;
        break;
    }
    case REVOPS_FT_TIME:
        rc = revops_time_parse(&out->i, text, len);
        break;
    case REVOPS_FT_MONTH: {
        revops_month m = 0;
        rc = revops_month_parse(&m, text, len);
        out->i = m;
        break;
    }
    case REVOPS_FT_INT:
        rc = convert_int(text, len, out);
        break;
    case REVOPS_FT_REAL:
        rc = convert_real(text, len, scratch, out);
        break;
    case REVOPS_FT_BOOL:
        rc = convert_bool(text, len, scratch, out);
        break;
    case REVOPS_FT_MONEY:
        break; /* finished by revops_convert__money() */
    }
    if (rc)
        out->present = 0;
    return rc;
}

int revops_convert__money(const revops_field_def *f, revops_value *v, int exponent)
{
    int rc = revops_money_parse(&v->i, v->s, v->len, exponent);
    if (rc)
        return rc;
    if (v->i < 0 && !(f->flags & REVOPS_FIELD_SIGNED))
        return invalid("'%.*s%s' is negative; this amount cannot be", v->s, v->len);
    return 0;
}
