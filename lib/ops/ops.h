/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the live operations (routing, lifecycle, SLA) share: the lead stages as string ids,
 * when a lead is open, rows read back as values for writing to a store, and new ids.
 */
#ifndef REVOPS_OPS_OPS_H
#define REVOPS_OPS_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/dataset.h"
#include "model/value.h"

/* The lead stages of the data model, in its order (revops_values_lead_stage). */
enum {
    OPS_LEAD,
    OPS_MQL,
    OPS_SQL,
    OPS_OPPORTUNITY,
    OPS_CUSTOMER,
    OPS_DISQUALIFIED,
    OPS_LEAD_STAGES
};

/* The string ids of the values of an enum (0 for a value no row uses yet), so a column can
 * be compared as integers. `values` is NULL-terminated; at most `cap` are looked up. */
void revops_ops__value_ids(const revops_dataset *ds, const char *const *values, revops_str *out,
                           size_t cap);

/* The index of string id `s` among `ids` (n of them), or -1. */
static inline int revops_ops__index(const revops_str *ids, size_t n, revops_str s)
{
    for (size_t i = 0; s && i < n; i++)
        if (ids[i] == s)
            return (int)i;
    return -1;
}

/*
 * Whether lead `row` is open at time `now` (docs/routing.md "Workload"): created by then, and
 * neither converted nor disqualified by then. A lead is converted or disqualified at the
 * earlier of converted_at and disqualified_at; a lead whose stage is opportunity, customer or
 * disqualified without either time closed at a time nobody knows, so it counts as closed at
 * any time. `stage_ids` are the lead stages' string ids (revops_ops__value_ids).
 */
int revops_ops__lead_open(const revops_dataset *ds, size_t row, revops_time now,
                          const revops_str *stage_ids);

/* Reads row `row` of entity `e` back into one value per field (text borrowed from the
 * dataset's strings), the inverse of revops_dataset__append(). */
void revops_ops__row(const revops_dataset *ds, int e, size_t row, revops_value *out);

/* A text value (borrowed). */
static inline revops_value revops_ops__text(const char *s)
{
    revops_value v = {0};
    v.present = s && *s;
    v.s = s;
    v.len = s ? strlen(s) : 0;
    return v;
}

/*
 * The next free number for ids `<prefix><n>` of entity `e` (such as LC-1, LC-2): one more
 * than the largest n already used (1 when none), so ids stay unique however the rows came.
 */
uint64_t revops_ops__next_number(const revops_dataset *ds, int e, const char *prefix);

/* A span of minutes as a person reads it: "2d 14h 59m", "3h 5m", "42m" (whole minutes, cut
 * at cap - 1); returns buf. */
const char *revops_ops__span(double minutes, char *buf, size_t cap);

/* ASCII lower case of `s` into `buf` (cut at cap - 1); returns the length. */
size_t revops_ops__fold(const char *s, size_t len, char *buf, size_t cap);

#endif
