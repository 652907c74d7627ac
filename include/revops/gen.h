/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo-data generator: realistic CRM, subscription and finance data for a B2B services
 * and SaaS company (an SEO agency selling technical audits, content strategy and enterprise
 * SEO campaigns; amounts in RUB, some accounts in USD and EUR), written as native CSV files.
 * Deterministic: the same options give the same bytes.
 */
#ifndef REVOPS_GEN_H
#define REVOPS_GEN_H

#include <stdint.h>

#include "revops/date.h"
#include "revops/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct revops_gen_options {
    const char *out_dir; /* created when missing */
    uint64_t scale;      /* number of opportunities; other entities scale with it */
    uint64_t seed;
    revops_day start;            /* first day of the history */
    int months;                  /* length of the history */
    revops_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} revops_gen_options;

/* 20,000 opportunities, seed 1, 36 months from 2023-07-01 (so the history ends 2026-06-30). */
#define REVOPS_GEN_DEFAULT_START 19539 /* 2023-07-01 */
#define REVOPS_GEN_OPTIONS_INIT                                                                    \
    {                                                                                              \
        NULL, 20000, 1, REVOPS_GEN_DEFAULT_START, 36, NULL, NULL                                   \
    }

#define REVOPS_GEN_MAX_SCALE 100000000ULL

typedef struct revops_gen_report {
    uint64_t rows[32]; /* by entity index (see revops_entity_at()) */
    uint64_t bytes;    /* bytes written, all files */
} revops_gen_report;

/* Writes one `<entity>.csv` per entity into opts->out_dir. `report` may be NULL. */
int revops_gen(const revops_gen_options *opts, revops_gen_report *report);

#ifdef __cplusplus
}
#endif

#endif
