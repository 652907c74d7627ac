/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opportunity stages: their order, win probability and outcome. They come from the
 * configuration; revops_stages_default() gives the built-in list.
 */
#ifndef REVOPS_STAGES_H
#define REVOPS_STAGES_H

#include <stddef.h>
#include "revops/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define REVOPS_MAX_STAGES 32
#define REVOPS_STAGE_NAME_MAX 64

typedef enum revops_outcome {
    REVOPS_OUTCOME_OPEN = 0,
    REVOPS_OUTCOME_WON = 1,
    REVOPS_OUTCOME_LOST = 2
} revops_outcome;

typedef struct revops_stage_def {
    char name[REVOPS_STAGE_NAME_MAX];
    double probability;     /* 0..1; 1 for won, 0 for lost */
    revops_outcome outcome; /* open stages first, in order, then the closed ones */
    int target_days;        /* expected days in the stage; 0 when not set */
} revops_stage_def;

typedef struct revops_stages {
    revops_stage_def items[REVOPS_MAX_STAGES];
    size_t n;
} revops_stages;

/* qualification 0.10, discovery 0.25, proposal 0.50, negotiation 0.75, closed_won (won),
 * closed_lost (lost). */
void revops_stages_default(revops_stages *out);

/* Index of the stage named `name` (exact match), or -1. */
int revops_stages_find(const revops_stages *s, const char *name, size_t len);

/* The stage names joined with ", ", for messages ("qualification, discovery, ..."). */
void revops_stages_list(const revops_stages *s, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
