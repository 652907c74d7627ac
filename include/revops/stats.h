/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dataset statistics: rows per entity and a data-quality summary (how complete the fields
 * analytics rely on are, and which records break consistency rules). The definitions are in
 * docs/metrics.md, section "Data quality".
 */
#ifndef REVOPS_STATS_H
#define REVOPS_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "revops/dataset.h"
#include "revops/json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How often one field that analytics rely on is filled. */
typedef struct revops_fill_rate {
    const char *entity;
    const char *field;
    uint64_t rows; /* rows the field applies to */
    uint64_t filled;
} revops_fill_rate;

/* One consistency rule and how many records break it. */
typedef struct revops_quality_check {
    const char *name; /* stable snake_case name */
    const char *entity;
    const char *description; /* what a failing record looks like */
    uint64_t checked;
    uint64_t failed;
} revops_quality_check;

typedef struct revops_stats {
    int32_t as_of;      /* day the checks were made for (stale close dates) */
    int32_t first_day;  /* earliest event day, REVOPS_NO_DAY when empty */
    int32_t latest_day; /* latest event day, REVOPS_NO_DAY when empty */
    uint64_t rows[32];  /* by entity index */
    size_t nentities;
    revops_fill_rate *fill;
    size_t nfill;
    revops_quality_check *checks;
    size_t nchecks;
    uint64_t records_checked;     /* records covered by at least one check */
    uint64_t records_with_issues; /* of those, records failing at least one check */
    double completeness;          /* mean fill rate over `fill`; NaN when no rows */
    double data_quality;          /* 1 - records_with_issues / records_checked; NaN when 0 */
} revops_stats;

/*
 * Computes the statistics of `ds` as of day `as_of` (REVOPS_NO_DAY: the latest event day of
 * the data). The caller frees *out with revops_stats_free().
 */
int revops_stats_compute(revops_stats **out, const revops_dataset *ds, int32_t as_of);
void revops_stats_free(revops_stats *st);

/* Writes the statistics as one JSON object value into `j` (see docs/cli.md for the shape). */
int revops_stats_write_json(const revops_stats *st, revops_json *j);

/* Writes the statistics as aligned text tables. */
int revops_stats_write_text(const revops_stats *st, FILE *fp);

#ifdef __cplusplus
}
#endif

#endif
