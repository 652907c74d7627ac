/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "revops/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/utf8.h"
#include "revops/money.h"

#define JSON_MAX_DEPTH 64

struct revops_json {
    revops_buf out;
    int pretty;
    int error;
    int depth;
    char kind[JSON_MAX_DEPTH];  /* 'o' object, 'a' array */
    long count[JSON_MAX_DEPTH]; /* values written at each level */
    int after_key;
    int done; /* the top-level value is complete */
};

int revops_json_new(revops_json **out, int pretty)
{
    revops_json *j = calloc(1, sizeof(*j));
    if (!j)
        return revops_error__oom();
    j->pretty = pretty;
    *out = j;
    return 0;
}

void revops_json_free(revops_json *j)
{
    if (!j)
        return;
    revops_buf__free(&j->out);
    free(j);
}

static int put(revops_json *j, const char *s, size_t n)
{
    if (j->error)
        return j->error;
    int rc = revops_buf__append(&j->out, s, n);
    if (rc)
        j->error = rc;
    return rc;
}

static int misuse(revops_json *j, const char *what)
{
    if (!j->error)
        j->error = revops_error__set(REVOPS_EINTERNAL, "JSON writer misuse: %s", what);
    return j->error;
}

static int newline(revops_json *j)
{
    if (!j->pretty)
        return 0;
    int rc = put(j, "\n", 1);
    for (int i = 0; i < j->depth && !rc; i++)
        rc = put(j, "  ", 2);
    return rc;
}

/* Writes what must come before a value: a comma and indentation, or nothing after a key. */
static int before_value(revops_json *j)
{
    if (j->error)
        return j->error;
    if (j->after_key) {
        j->after_key = 0;
        return 0;
    }
    if (j->depth == 0) {
        if (j->done)
            return misuse(j, "a second top-level value");
        return 0;
    }
    if (j->kind[j->depth - 1] == 'o')
        return misuse(j, "a value in an object without a key");
    int rc = 0;
    if (j->count[j->depth - 1] > 0)
        rc = put(j, ",", 1);
    j->count[j->depth - 1]++;
    return rc ? rc : newline(j);
}

static void after_value(revops_json *j)
{
    if (j->depth == 0)
        j->done = 1;
}

static int begin(revops_json *j, char kind)
{
    int rc = before_value(j);
    if (rc)
        return rc;
    if (j->depth == JSON_MAX_DEPTH)
        return misuse(j, "nesting too deep");
    rc = put(j, kind == 'o' ? "{" : "[", 1);
    j->kind[j->depth] = kind;
    j->count[j->depth] = 0;
    j->depth++;
    return rc;
}

static int end(revops_json *j, char kind)
{
    if (j->error)
        return j->error;
    if (j->depth == 0 || j->kind[j->depth - 1] != kind || j->after_key)
        return misuse(j, "unbalanced end");
    long n = j->count[j->depth - 1];
    j->depth--;
    int rc = 0;
    if (n > 0)
        rc = newline(j);
    if (!rc)
        rc = put(j, kind == 'o' ? "}" : "]", 1);
    after_value(j);
    return rc;
}

int revops_json_begin_object(revops_json *j)
{
    return begin(j, 'o');
}

int revops_json_end_object(revops_json *j)
{
    return end(j, 'o');
}

int revops_json_begin_array(revops_json *j)
{
    return begin(j, 'a');
}

int revops_json_end_array(revops_json *j)
{
    return end(j, 'a');
}

static int put_string(revops_json *j, const char *s, size_t len)
{
    int rc = put(j, "\"", 1);
    size_t run = 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len && !rc) {
        unsigned char c = u[i];
        const char *esc = NULL;
        char tmp[8];
        size_t seq = 1;
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20) {
            snprintf(tmp, sizeof(tmp), "\\u%04x", c);
            esc = tmp;
        } else if (c >= 0x80) {
            seq = revops_utf8__seq(u + i, len - i);
            if (seq == 0) {
                esc = "\\ufffd"; /* keep the output valid JSON even for bad input bytes */
                seq = 1;
            }
        }
        if (esc) {
            rc = put(j, s + run, i - run);
            if (!rc)
                rc = put(j, esc, strlen(esc));
            i += seq;
            run = i;
        } else {
            i += seq;
        }
    }
    if (!rc)
        rc = put(j, s + run, len - run);
    if (!rc)
        rc = put(j, "\"", 1);
    return rc;
}

int revops_json_key(revops_json *j, const char *key)
{
    if (j->error)
        return j->error;
    if (j->depth == 0 || j->kind[j->depth - 1] != 'o' || j->after_key)
        return misuse(j, "a key outside an object");
    int rc = 0;
    if (j->count[j->depth - 1] > 0)
        rc = put(j, ",", 1);
    j->count[j->depth - 1]++;
    if (!rc)
        rc = newline(j);
    if (!rc)
        rc = put_string(j, key, strlen(key));
    if (!rc)
        rc = put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
    j->after_key = 1;
    return rc;
}

int revops_json_string_n(revops_json *j, const char *s, size_t len)
{
    int rc = before_value(j);
    if (!rc)
        rc = put_string(j, s, len);
    after_value(j);
    return rc;
}

int revops_json_string(revops_json *j, const char *s)
{
    return revops_json_string_n(j, s, strlen(s));
}

static int put_raw_value(revops_json *j, const char *s, size_t len)
{
    int rc = before_value(j);
    if (!rc)
        rc = put(j, s, len);
    after_value(j);
    return rc;
}

int revops_json_int(revops_json *j, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    return put_raw_value(j, tmp, (size_t)n);
}

size_t revops_json_format_double(double v, char out[REVOPS_DOUBLE_TEXT_MAX])
{
    if (!isfinite(v)) {
        out[0] = '\0';
        return 0;
    }
    /* The shortest of %.15g, %.16g and %.17g that reads back as the same double. */
    int n = snprintf(out, REVOPS_DOUBLE_TEXT_MAX, "%.15g", v);
    if (strtod(out, NULL) != v)
        n = snprintf(out, REVOPS_DOUBLE_TEXT_MAX, "%.16g", v);
    if (strtod(out, NULL) != v)
        n = snprintf(out, REVOPS_DOUBLE_TEXT_MAX, "%.17g", v);
    return (size_t)n;
}

int revops_json_double(revops_json *j, double v)
{
    if (!isfinite(v))
        return revops_json_null(j);
    char tmp[REVOPS_DOUBLE_TEXT_MAX];
    size_t n = revops_json_format_double(v, tmp);
    return put_raw_value(j, tmp, n);
}

int revops_json_bool(revops_json *j, int v)
{
    return put_raw_value(j, v ? "true" : "false", v ? 4 : 5);
}

int revops_json_null(revops_json *j)
{
    return put_raw_value(j, "null", 4);
}

int revops_json_money(revops_json *j, int64_t minor, int exponent)
{
    char tmp[REVOPS_MONEY_TEXT_MAX];
    size_t n = revops_money_format(minor, exponent, tmp);
    return revops_json_string_n(j, tmp, n);
}

const char *revops_json_text(const revops_json *j, size_t *len)
{
    if (j->error || j->depth != 0 || !j->done)
        return NULL;
    if (len)
        *len = j->out.len;
    return j->out.data;
}

int revops_json_write(const revops_json *j, FILE *fp)
{
    size_t len;
    const char *text = revops_json_text(j, &len);
    if (!text)
        return j->error ? j->error
                        : revops_error__set(REVOPS_EINTERNAL, "JSON document is incomplete");
    if (fwrite(text, 1, len, fp) != len || fputc('\n', fp) == EOF)
        return revops_error__set(REVOPS_EIO, "writing JSON output failed");
    return 0;
}
