/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Criteria: the small condition language of transitions, handoffs and scoring rules, such as
 *
 *     score > 50 and industry in ("ecommerce", "saas") and days_since(created_at) < 30
 *
 * A criteria is compiled once against an entity (field names and types are checked then, with
 * the column of each error) into a compact program, and evaluated against rows of a dataset
 * without allocating. The language is described in docs/criteria.md.
 */
#ifndef REVOPS_CRITERIA_H
#define REVOPS_CRITERIA_H

#include <stddef.h>
#include <stdint.h>

#include "revops/common.h"
#include "revops/dataset.h"
#include "revops/date.h"
#include "revops/stages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits that keep hostile input from eating the machine or the stack. */
#define REVOPS_CRITERIA_MAX_LEN 65536 /* bytes of criteria text */
#define REVOPS_CRITERIA_MAX_DEPTH 64  /* nesting of parentheses, not, minus and calls */
#define REVOPS_CRITERIA_MAX_NODES 16384
#define REVOPS_CRITERIA_MAX_RATES 32 /* currencies an evaluation environment converts */

typedef struct revops_criteria revops_criteria;

typedef struct revops_criteria_options {
    /* Opportunity stages for checking stage names in criteria on opportunities and stage
     * changes; NULL: revops_stages_default(). */
    const revops_stages *stages;
} revops_criteria_options;

#define REVOPS_CRITERIA_OPTIONS_INIT                                                               \
    {                                                                                              \
        NULL                                                                                       \
    }

/*
 * Compiles `text` (`len` bytes, UTF-8, not necessarily NUL-terminated) as a condition on rows
 * of entity `entity` ("lead", "opportunity", ...). On an error returns REVOPS_EINVALID (or
 * REVOPS_ETOOBIG for text beyond the limits) with revops_error_last() giving the line and
 * column (1-based, in characters) and saying what was expected. `opts` may be NULL. The
 * caller frees *out with revops_criteria_free().
 */
int revops_criteria_compile(revops_criteria **out, const char *entity, const char *text, size_t len,
                            const revops_criteria_options *opts);
void revops_criteria_free(revops_criteria *c);

/* The entity index (see revops_entity_at()) the criteria was compiled for. */
size_t revops_criteria_entity(const revops_criteria *c);

/* Instructions in the compiled program (for tests and the benchmark). */
size_t revops_criteria_size(const revops_criteria *c);

/*
 * What an evaluation needs besides the row: the dataset, the time "now" (functions such as
 * days_since count to it, and event times after it read as empty, so criteria evaluated as
 * of a past day see only what was known then), and exchange rates for comparing money in
 * different currencies. Fill it with revops_criteria_env_init(); it holds no pointers the
 * caller must free.
 */
typedef struct revops_criteria_rate {
    uint32_t code; /* the currency code's three letters, packed */
    int exponent;  /* its minor-unit exponent */
    double rate;   /* units of the common currency per unit of this one */
} revops_criteria_rate;

typedef struct revops_criteria_env {
    const revops_dataset *ds;
    revops_time now;
    uint32_t base; /* the packed code of the currency the rates convert into; 0: unknown */
    revops_criteria_rate rates[REVOPS_CRITERIA_MAX_RATES];
    size_t nrates;
} revops_criteria_env;

/*
 * Prepares an environment for evaluating against `ds` at time `now`. The exchange rates are
 * those of ds's fx_rate table: for each currency, its rate on or before the day of `now` (or
 * its first rate when all are later). `currency` names the currency those rates convert into
 * (the data's reporting currency); NULL means: the only currency of the data without rates,
 * and none when there are several. Money in two currencies compares after conversion; when
 * one of them has no rate and is not that currency, the evaluation fails. `ds` must outlive
 * the environment. Returns REVOPS_EINVALID for a bad `now` or `currency`, REVOPS_ETOOBIG when
 * the data have more currencies than REVOPS_CRITERIA_MAX_RATES.
 */
int revops_criteria_env_init(revops_criteria_env *env, const revops_dataset *ds, revops_time now,
                             const char *currency);

/*
 * Evaluates the criteria on row `row` of its entity in env->ds. Returns 1 when the row
 * matches, 0 when it does not, or a negative error code: REVOPS_EINVALID when the row is
 * out of range or money in two currencies must be compared without a rate between them (the
 * message names the row's id and both currencies). Never allocates; safe to call from
 * several threads at once on the same criteria and environment.
 */
int revops_criteria_eval(const revops_criteria *c, const revops_criteria_env *env, size_t row);

#ifdef __cplusplus
}
#endif

#endif
