/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "report/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

const char *revops_text__count(uint64_t n, char buf[REVOPS_TEXT_NUM_MAX])
{
    char digits[24];
    int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
    size_t out = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[out++] = ',';
        buf[out++] = digits[i];
    }
    buf[out] = '\0';
    return buf;
}

const char *revops_text__percent(double ratio, char buf[REVOPS_TEXT_NUM_MAX])
{
    if (isnan(ratio))
        snprintf(buf, REVOPS_TEXT_NUM_MAX, "n/a");
    else
        snprintf(buf, REVOPS_TEXT_NUM_MAX, "%.1f %%", ratio * 100.0);
    return buf;
}

struct revops_text_table {
    size_t ncols;
    char **cells; /* row-major, the header first */
    size_t nrows;
    size_t cap;
    int *right;
};

static int add_row(revops_text_table *t, const char *const *cells)
{
    int rc = revops_array__grow((void **)&t->cells, &t->cap, (t->nrows + 1) * t->ncols,
                                sizeof(*t->cells));
    if (rc)
        return rc;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = cells[c] ? cells[c] : "";
        size_t len = strlen(s);
        char *copy = malloc(len + 1);
        if (!copy) {
            for (size_t k = 0; k < c; k++)
                free(t->cells[t->nrows * t->ncols + k]);
            return revops_error__oom();
        }
        memcpy(copy, s, len + 1);
        t->cells[t->nrows * t->ncols + c] = copy;
    }
    t->nrows++;
    return 0;
}

int revops_text_table__new(revops_text_table **out, size_t ncols, const char *const *headers,
                           const int *right)
{
    *out = NULL;
    revops_text_table *t = calloc(1, sizeof(*t));
    if (!t)
        return revops_error__oom();
    t->ncols = ncols;
    t->right = calloc(ncols ? ncols : 1, sizeof(*t->right));
    if (!t->right) {
        free(t);
        return revops_error__oom();
    }
    for (size_t c = 0; c < ncols && right; c++)
        t->right[c] = right[c];
    int rc = add_row(t, headers);
    if (rc) {
        revops_text_table__free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int revops_text_table__add(revops_text_table *t, const char *const *cells)
{
    return add_row(t, cells);
}

/* Display width of UTF-8 text: code points, which is right for the Latin and Cyrillic text
 * CRM data holds (wide CJK glyphs would need a wcwidth table). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

int revops_text_table__print(const revops_text_table *t, FILE *fp, const char *indent)
{
    size_t *widths = calloc(t->ncols ? t->ncols : 1, sizeof(*widths));
    if (!widths)
        return revops_error__oom();
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = width(t->cells[r * t->ncols + c]);
            if (w > widths[c])
                widths[c] = w;
        }
    revops_buf line = REVOPS_BUF_INIT;
    int rc = 0;
    for (size_t r = 0; r < t->nrows && !rc; r++) {
        revops_buf__clear(&line);
        rc = revops_buf__puts(&line, indent ? indent : "");
        for (size_t c = 0; c < t->ncols && !rc; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            size_t pad = widths[c] - width(cell);
            if (t->right[c])
                rc = revops_buf__printf(&line, "%*s%s", (int)pad, "", cell);
            else
                rc = revops_buf__printf(&line, "%s%*s", cell, (int)pad, "");
            if (!rc && c + 1 < t->ncols)
                rc = revops_buf__puts(&line, "  ");
        }
        /* No trailing blanks when the last cells are empty. */
        while (!rc && line.len > 0 && line.data[line.len - 1] == ' ')
            line.data[--line.len] = '\0';
        if (!rc) {
            fputs(line.data, fp);
            fputc('\n', fp);
        }
    }
    revops_buf__free(&line);
    if (rc) {
        free(widths);
        return rc;
    }
    free(widths);
    if (ferror(fp))
        return revops_error__set(REVOPS_EIO, "writing the report failed");
    return 0;
}

void revops_text_table__free(revops_text_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->right);
    free(t);
}
