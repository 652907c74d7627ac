/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "model/dataset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int revops_dataset__new(revops_dataset **out)
{
    *out = NULL;
    revops_dataset *ds = calloc(1, sizeof(*ds));
    if (!ds)
        return revops_error__oom();
    int rc = revops_strpool__init(&ds->strings);
    if (rc) {
        free(ds);
        return rc;
    }
    *out = ds;
    return 0;
}

void revops_dataset_free(revops_dataset *ds)
{
    if (!ds)
        return;
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        const revops_entity_def *def = revops_entity_at(e);
        char *table = (char *)ds + def->table_offset;
        for (size_t f = 0; f < def->nfields; f++)
            free(*(void **)(table + def->fields[f].column_offset));
    }
    revops_strpool__free(&ds->strings);
    free(ds);
}

size_t revops_dataset_rows(const revops_dataset *ds, size_t entity)
{
    const revops_entity_def *def = revops_entity_at(entity);
    if (!def)
        return 0;
    return ((const revops_table_header *)((const char *)ds + def->table_offset))->n;
}

static int resize_table(revops_dataset *ds, int e, size_t cap)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    char *table = (char *)ds + def->table_offset;
    revops_table_header *h = (revops_table_header *)table;
    for (size_t f = 0; f < def->nfields; f++) {
        void **col = (void **)(table + def->fields[f].column_offset);
        size_t bytes;
        if (revops_size_mul(cap, revops_field__column_size(def->fields[f].type), &bytes))
            return revops_error__oom();
        void *p = realloc(*col, bytes);
        if (!p)
            return revops_error__oom();
        *col = p;
    }
    h->allocated = cap;
    return 0;
}

int revops_dataset__reserve(revops_dataset *ds, int e, size_t rows)
{
    revops_table_header *h = revops_dataset__table(ds, e);
    if (rows <= h->allocated)
        return 0;
    size_t cap = h->allocated ? h->allocated * 2 : 256;
    if (cap < rows)
        cap = rows;
    return resize_table(ds, e, cap);
}

void revops_dataset__set_cell(revops_field_type t, void *col, size_t i, const revops_value *v)
{
    switch (t) {
    case REVOPS_FT_DATE:
        ((revops_day *)col)[i] = v->present ? (revops_day)v->i : REVOPS_NO_DAY;
        break;
    case REVOPS_FT_TIME:
        ((revops_time *)col)[i] = v->present ? v->i : REVOPS_NO_TIME;
        break;
    case REVOPS_FT_MONTH:
        ((revops_month *)col)[i] = v->present ? (revops_month)v->i : REVOPS_NO_MONTH;
        break;
    case REVOPS_FT_INT:
    case REVOPS_FT_MONEY:
        ((int64_t *)col)[i] = v->present ? v->i : INT64_MIN;
        break;
    case REVOPS_FT_REAL:
        ((double *)col)[i] = v->present ? v->d : NAN;
        break;
    case REVOPS_FT_BOOL:
        ((int8_t *)col)[i] = v->present ? (int8_t)(v->i != 0) : -1;
        break;
    default:
        break; /* text: the caller interns it */
    }
}

int revops_dataset__append(revops_dataset *ds, int e, const revops_value *row)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    char *table = (char *)ds + def->table_offset;
    revops_table_header *h = (revops_table_header *)table;
    int rc;
    if (h->n == h->allocated && (rc = revops_dataset__reserve(ds, e, h->n + 1)))
        return rc;
    size_t i = h->n;
    for (size_t f = 0; f < def->nfields; f++) {
        const revops_field_def *fd = &def->fields[f];
        void *col = *(void **)(table + fd->column_offset);
        const revops_value *v = &row[f];
        if (!revops_field__is_text(fd->type)) {
            revops_dataset__set_cell(fd->type, col, i, v);
            continue;
        }
        revops_str id = 0;
        if (v->present && (rc = revops_strpool__intern(&ds->strings, v->s, v->len, &id)))
            return rc;
        ((revops_str *)col)[i] = id;
    }
    h->n++;
    return 0;
}

void revops_dataset__drop_last(revops_dataset *ds, int e)
{
    revops_table_header *h = revops_dataset__table(ds, e);
    if (h->n > 0)
        h->n--;
}

void revops_dataset__compact(revops_dataset *ds, int e, const uint8_t *keep)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    char *table = (char *)ds + def->table_offset;
    revops_table_header *h = (revops_table_header *)table;
    size_t kept = 0;
    for (size_t f = 0; f < def->nfields; f++) {
        char *col = *(char **)(table + def->fields[f].column_offset);
        size_t size = revops_field__column_size(def->fields[f].type);
        kept = 0;
        for (size_t i = 0; i < h->n; i++) {
            if (!keep[i])
                continue;
            if (kept != i)
                memcpy(col + kept * size, col + i * size, size);
            kept++;
        }
    }
    h->n = kept;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

uint64_t revops_dataset_fingerprint(const revops_dataset *ds, size_t entity)
{
    const revops_entity_def *def = revops_entity_at(entity);
    if (!def)
        return 0;
    const char *table = (const char *)ds + def->table_offset;
    size_t n = ((const revops_table_header *)table)->n;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = 0x243f6a8885a308d3ULL;
        for (size_t f = 0; f < def->nfields; f++) {
            const revops_field_def *fd = &def->fields[f];
            const void *col = *(void *const *)(table + fd->column_offset);
            uint64_t v;
            switch (fd->type) {
            case REVOPS_FT_DATE:
            case REVOPS_FT_MONTH:
                v = (uint64_t)(int64_t)((const int32_t *)col)[i];
                break;
            case REVOPS_FT_TIME:
            case REVOPS_FT_INT:
            case REVOPS_FT_MONEY:
                v = (uint64_t)((const int64_t *)col)[i];
                break;
            case REVOPS_FT_REAL: {
                double d = ((const double *)col)[i];
                if (isnan(d))
                    d = NAN; /* every NaN hashes alike */
                memcpy(&v, &d, sizeof(v));
                break;
            }
            case REVOPS_FT_BOOL:
                v = (uint64_t)(int64_t)((const int8_t *)col)[i];
                break;
            default: {
                revops_str id = ((const revops_str *)col)[i];
                v = revops_hash_bytes(revops_strpool__get(&ds->strings, id),
                                      revops_strpool__len(&ds->strings, id));
                break;
            }
            }
            h = mix64(h ^ v ^ (f * 0x9e3779b97f4a7c15ULL));
        }
        /* Summing row hashes makes the digest independent of row order. */
        total += mix64(h);
    }
    return total;
}

size_t revops_dataset__time_columns(const revops_dataset *ds, revops_time_column *out, size_t cap)
{
    size_t n = 0;
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        const revops_entity_def *def = revops_entity_at(e);
        const char *table = (const char *)ds + def->table_offset;
        size_t rows = ((const revops_table_header *)table)->n;
        for (size_t f = 0; f < def->nfields; f++) {
            const revops_field_def *fd = &def->fields[f];
            if (fd->type != REVOPS_FT_TIME || (fd->flags & REVOPS_FIELD_PLANNED) || rows == 0)
                continue;
            if (n < cap)
                out[n] = (revops_time_column){
                    *(const revops_time *const *)(table + fd->column_offset), rows};
            n++;
        }
    }
    return n;
}

void revops_dataset__time_bounds(const revops_time *col, size_t n, revops_time *lo, revops_time *hi)
{
    /* REVOPS_NO_TIME is the least time: the latest is a plain maximum, the earliest a minimum
     * that skips it. Two of each, for the CPU to run side by side. */
    revops_time lo0 = *lo, lo1 = *lo, hi0 = *hi, hi1 = *hi;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        revops_time a = col[i], b = col[i + 1];
        hi0 = a > hi0 ? a : hi0;
        hi1 = b > hi1 ? b : hi1;
        a = a == REVOPS_NO_TIME ? INT64_MAX : a;
        b = b == REVOPS_NO_TIME ? INT64_MAX : b;
        lo0 = a < lo0 ? a : lo0;
        lo1 = b < lo1 ? b : lo1;
    }
    if (i < n) {
        revops_time a = col[i];
        hi0 = a > hi0 ? a : hi0;
        a = a == REVOPS_NO_TIME ? INT64_MAX : a;
        lo0 = a < lo0 ? a : lo0;
    }
    *lo = lo0 < lo1 ? lo0 : lo1;
    *hi = hi0 > hi1 ? hi0 : hi1;
}

void revops_dataset__bounds_days(revops_time lo, revops_time hi, revops_day *first,
                                 revops_day *latest)
{
    *first = lo == INT64_MAX ? REVOPS_NO_DAY : revops_time_day(lo);
    *latest = hi == REVOPS_NO_TIME ? REVOPS_NO_DAY : revops_time_day(hi);
}

void revops_dataset__event_days(const revops_dataset *ds, revops_day *first, revops_day *latest)
{
    revops_time_column cols[REVOPS_MAX_TIME_COLUMNS];
    size_t n = revops_dataset__time_columns(ds, cols, REVOPS_MAX_TIME_COLUMNS);
    revops_time lo = INT64_MAX, hi = REVOPS_NO_TIME;
    for (size_t i = 0; i < n; i++)
        revops_dataset__time_bounds(cols[i].at, cols[i].n, &lo, &hi);
    revops_dataset__bounds_days(lo, hi, first, latest);
}

int32_t revops_dataset_latest_day(const revops_dataset *ds)
{
    revops_day first, latest;
    revops_dataset__event_days(ds, &first, &latest);
    return latest;
}
