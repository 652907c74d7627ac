/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the live operations (ops.h).
 */
#include "ops/ops.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void revops_ops__value_ids(const revops_dataset *ds, const char *const *values, revops_str *out,
                           size_t cap)
{
    for (size_t i = 0; i < cap; i++) {
        out[i] = 0;
        if (!values[i])
            break;
        revops_str id;
        if (revops_strpool__find(&ds->strings, values[i], strlen(values[i]), &id) == 0)
            out[i] = id;
    }
}

int revops_ops__lead_open(const revops_dataset *ds, size_t row, revops_time now,
                          const revops_str *stage_ids)
{
    const revops_lead_table *t = &ds->lead;
    if (t->created_at[row] == REVOPS_NO_TIME || t->created_at[row] > now)
        return 0;
    revops_time conv = t->converted_at[row], dq = t->disqualified_at[row];
    if ((conv != REVOPS_NO_TIME && conv <= now) || (dq != REVOPS_NO_TIME && dq <= now))
        return 0;
    if (conv != REVOPS_NO_TIME || dq != REVOPS_NO_TIME)
        return 1; /* closed, but later than now */
    int stage = revops_ops__index(stage_ids, OPS_LEAD_STAGES, t->stage[row]);
    return stage != OPS_OPPORTUNITY && stage != OPS_CUSTOMER && stage != OPS_DISQUALIFIED;
}

void revops_ops__row(const revops_dataset *ds, int e, size_t row, revops_value *out)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    const char *table = (const char *)ds + def->table_offset;
    for (size_t f = 0; f < def->nfields; f++) {
        const revops_field_def *fd = &def->fields[f];
        const void *col = *(void *const *)(table + fd->column_offset);
        revops_value *v = &out[f];
        memset(v, 0, sizeof(*v));
        switch (fd->type) {
        case REVOPS_FT_DATE:
        case REVOPS_FT_MONTH: {
            int32_t x = ((const int32_t *)col)[row];
            v->present = x != INT32_MIN;
            v->i = x;
            break;
        }
        case REVOPS_FT_TIME:
        case REVOPS_FT_INT:
        case REVOPS_FT_MONEY: {
            int64_t x = ((const int64_t *)col)[row];
            v->present = x != INT64_MIN;
            v->i = x;
            break;
        }
        case REVOPS_FT_REAL:
            v->d = ((const double *)col)[row];
            v->present = !isnan(v->d);
            break;
        case REVOPS_FT_BOOL: {
            int8_t x = ((const int8_t *)col)[row];
            v->present = x >= 0;
            v->i = x;
            break;
        }
        default: {
            revops_str id = ((const revops_str *)col)[row];
            v->present = id != 0;
            v->s = revops_dataset__str(ds, id);
            v->len = revops_strpool__len(&ds->strings, id);
            break;
        }
        }
    }
}

uint64_t revops_ops__next_number(const revops_dataset *ds, int e, const char *prefix)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    const revops_table_header *h =
        (const revops_table_header *)((const char *)ds + def->table_offset);
    const revops_str *ids =
        *(revops_str *const *)((const char *)ds + def->table_offset + def->fields[0].column_offset);
    size_t plen = strlen(prefix);
    uint64_t max = 0;
    for (size_t r = 0; r < h->n; r++) {
        const char *id = revops_dataset__str(ds, ids[r]);
        if (strncmp(id, prefix, plen) != 0 || !id[plen])
            continue;
        uint64_t n = 0;
        const char *p = id + plen;
        while (*p >= '0' && *p <= '9' && n < UINT64_MAX / 10 - 10)
            n = n * 10 + (uint64_t)(*p++ - '0');
        if (!*p && n > max)
            max = n;
    }
    return max + 1;
}

size_t revops_ops__fold(const char *s, size_t len, char *buf, size_t cap)
{
    size_t n = len < cap - 1 ? len : cap - 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        buf[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    buf[n] = '\0';
    return n;
}

const char *revops_ops__span(double minutes, char *buf, size_t cap)
{
    long long total = (long long)floor(minutes);
    long long d = total / 1440, h = total % 1440 / 60, mm = total % 60;
    if (d)
        snprintf(buf, cap, "%lldd %lldh %lldm", d, h, mm);
    else if (h)
        snprintf(buf, cap, "%lldh %lldm", h, mm);
    else
        snprintf(buf, cap, "%lldm", mm);
    return buf;
}
