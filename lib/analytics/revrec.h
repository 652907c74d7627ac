/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Revenue recognition (ASC 606 / IFRS 15; docs/metrics-saas.md "Revenue recognition"): the
 * contracts known on the as-of day, their price allocated to the performance obligations
 * (contract lines) by relative standalone selling price, each line's schedule, and per month
 * what was recognized and billed and what is deferred or unbilled at the month's end.
 *
 * A contract's amounts (its lines' ssp and price, and its invoices) are converted into the
 * reporting currency at the rates of one day, the contract's first day (the earliest date of
 * its lines), so that allocation and schedules are exact in reporting minor units and an
 * exchange-rate move creates no deferred revenue.
 */
#ifndef REVOPS_ANALYTICS_REVREC_H
#define REVOPS_ANALYTICS_REVREC_H

#include <stddef.h>
#include <stdint.h>

#include "analytics/context.h"

typedef enum revops_rr_method {
    REVOPS_RR_RATABLE,
    REVOPS_RR_POINT_IN_TIME,
    REVOPS_RR_MILESTONE
} revops_rr_method;

typedef struct revops_rr_line {
    uint32_t row; /* contract_line row */
    revops_rr_method method;
    revops_day start, end; /* ratable: [start, end); the others: the day, and the day after */
    int64_t ssp, price;    /* converted */
    int64_t allocated;     /* the contract's price allocated to the line */
} revops_rr_line;

typedef struct revops_rr_contract {
    revops_str id;
    revops_str account;
    size_t first, n;  /* its lines: lines[first .. first + n), ordered by line id */
    revops_day day;   /* the day whose rates convert its amounts */
    int64_t price;    /* transaction price: the sum of its lines' prices */
    int64_t ssp;      /* the sum of its lines' standalone selling prices */
    size_t inv_first; /* its invoices: invoice rows inv_rows[inv_first .. inv_first + ninv) */
    size_t ninv;
    int64_t billed;    /* the sum of those invoices, converted */
    revops_month from; /* the first and last months with recognition or billing */
    revops_month to;
} revops_rr_contract;

typedef struct revops_revrec {
    revops_rr_contract *contracts; /* ordered by contract id */
    size_t ncontracts;
    revops_rr_line *lines;
    size_t nlines;
    uint32_t *inv_rows;          /* the matched invoices, grouped by contract, by issue time */
    revops_month first;          /* the months with any recognition or billing, first .. last */
    size_t nmonths;              /* 0 when there is none */
    int64_t *recognized;         /* by month: the schedule's amounts in the month */
    int64_t *billed;             /* invoices of known contracts issued in the month, up to D */
    int64_t *deferred;           /* at the month's end, summed over contracts */
    int64_t *unbilled;           /* the same */
    uint64_t unmatched_invoices; /* invoices known on D that name no known contract */
    int64_t unmatched_billed;    /* their amounts, converted at their issue day */
    uint64_t undated_lines;      /* lines without the date their method needs: left out */
} revops_revrec;

/* Builds everything as known at the end of c->as_of. Free it with revops_revrec__free(). */
int revops_revrec__build(revops_revrec *r, revops_actx *c);
void revops_revrec__free(revops_revrec *r);

/* The recognition a section reads: the context's shared one (c->revrec), else one built into
 * `own`. Give it back with revops_revrec__release(*out, own). */
int revops_revrec__use(const revops_revrec **out, revops_revrec *own, revops_actx *c);
void revops_revrec__release(const revops_revrec *r, revops_revrec *own);

/* What a line has recognized by the end of month m: for a ratable line, allocated x the
 * days of [start, end) before the next month / all its days, rounded half up; for the
 * others, all of it from the month of its day. */
int64_t revops_revrec__cumulative(const revops_rr_line *l, revops_month m);

/* What a line recognizes in month m. */
static inline int64_t revops_revrec__in_month(const revops_rr_line *l, revops_month m)
{
    return revops_revrec__cumulative(l, m) - revops_revrec__cumulative(l, m - 1);
}

/* The first and last months of a line's schedule. */
void revops_revrec__line_months(const revops_rr_line *l, revops_month *from, revops_month *to);

/*
 * Sets lines[i].allocated: `price` (>= 0) shared in proportion to lines[i].ssp (>= 0, summing
 * to `ssp_sum`): each gets floor(price x ssp / ssp_sum), and the minor units left go one each
 * to the largest remainders (ties: the earlier line), so the shares add up to the price
 * exactly. When ssp_sum is 0 each line keeps its own price. `scratch` holds n values. Returns
 * 0, or REVOPS_ENOMEM for the sort of many lines' remainders.
 */
int revops_revrec__allocate(revops_rr_line *lines, size_t n, int64_t price, int64_t ssp_sum,
                            uint64_t *scratch);

/* floor(a x b / c) and its remainder, for c > 0 and b <= c, in 128 bits; the portable
 * version is the fallback of compilers without a 128-bit integer. */
uint64_t revops_revrec__muldiv(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem);
uint64_t revops_revrec__muldiv_portable(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem);

#endif
