/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The revenue-recognition engine (revrec.h): contracts from their lines, allocation by
 * relative standalone selling price, schedules, invoices matched to contracts, and the
 * month-end balances. The `revrec` section (revrec_section.c) and unit economics read it.
 */
#include "analytics/revrec.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "model/idmap.h"

/* ---- exact arithmetic ---- */

/* The product as two 64-bit halves, then long division bit by bit: for compilers without a
 * 128-bit integer type (and to check the fast path against). */
uint64_t revops_revrec__muldiv_portable(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem)
{
    uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    uint64_t lo = (ll & 0xffffffffu) | (mid << 32);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    uint64_t q = 0, r = 0;
    for (int i = 127; i >= 0; i--) {
        uint64_t bit = i >= 64 ? (hi >> (i - 64)) & 1 : (lo >> i) & 1;
        uint64_t carry = r >> 63;
        r = (r << 1) | bit;
        q <<= 1;
        if (carry || r >= c) {
            r -= c;
            q |= 1;
        }
    }
    *rem = r;
    return q;
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;

uint64_t revops_revrec__muldiv(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem)
{
    u128 p = (u128)a * b;
    *rem = (uint64_t)(p % c);
    return (uint64_t)(p / c);
}
#else
uint64_t revops_revrec__muldiv(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem)
{
    return revops_revrec__muldiv_portable(a, b, c, rem);
}
#endif

typedef struct remainder_rank {
    uint64_t remainder;
    size_t line;
} remainder_rank;

/* The largest remainder first, the earlier line first among equals: a total order. */
static int by_remainder(const void *a, const void *b)
{
    const remainder_rank *x = a, *y = b;
    if (x->remainder != y->remainder)
        return x->remainder > y->remainder ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* Lines up to which the units left are handed out by repeated scans: a contract's handful. */
#define SCAN_LINES 16

int revops_revrec__allocate(revops_rr_line *lines, size_t n, int64_t price, int64_t ssp_sum,
                            uint64_t *scratch)
{
    if (ssp_sum <= 0) {
        for (size_t i = 0; i < n; i++)
            lines[i].allocated = lines[i].price;
        return 0;
    }
    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        lines[i].allocated = (int64_t)revops_revrec__muldiv((uint64_t)price, (uint64_t)lines[i].ssp,
                                                            (uint64_t)ssp_sum, &scratch[i]);
        given += lines[i].allocated;
    }
    /* Fewer than n units are left (each floor lost less than one); the largest remainders
     * take them, the earlier line first among equals. */
    int64_t left = price - given;
    if (left <= 0)
        return 0;
    if (n <= SCAN_LINES) {
        for (; left > 0; left--) {
            size_t best = n;
            for (size_t i = 0; i < n; i++)
                if (scratch[i] != UINT64_MAX && (best == n || scratch[i] > scratch[best]))
                    best = i;
            lines[best].allocated++;
            scratch[best] = UINT64_MAX;
        }
        return 0;
    }
    /* Many lines (a month's cost over its deals): one sort instead of a scan per unit. */
    remainder_rank *rank = malloc(n * sizeof(*rank));
    if (!rank)
        return revops_error__oom();
    for (size_t i = 0; i < n; i++)
        rank[i] = (remainder_rank){scratch[i], i};
    qsort(rank, n, sizeof(*rank), by_remainder);
    for (size_t k = 0; k < (size_t)left && k < n; k++)
        lines[rank[k].line].allocated++;
    free(rank);
    return 0;
}

/* ---- schedules ---- */

int64_t revops_revrec__cumulative(const revops_rr_line *l, revops_month m)
{
    revops_day next = revops_month_first_day(m + 1);
    if (l->method != REVOPS_RR_RATABLE)
        return l->start < next ? l->allocated : 0;
    if (next <= l->start)
        return 0;
    if (next >= l->end)
        return l->allocated;
    uint64_t total = (uint64_t)(l->end - l->start), rem;
    uint64_t q =
        revops_revrec__muldiv((uint64_t)l->allocated, (uint64_t)(next - l->start), total, &rem);
    /* Half up: a remainder of at least half the days rounds the cumulative amount up. */
    return (int64_t)q + (rem >= total - rem);
}

void revops_revrec__line_months(const revops_rr_line *l, revops_month *from, revops_month *to)
{
    *from = revops_day_month(l->start);
    *to = revops_day_month(l->end - 1);
}

/* ---- building ---- */

typedef struct line_ref {
    const char *contract_text, *id_text;
    revops_str contract;
    uint32_t row;
} line_ref;

static int compare_lines(const void *a, const void *b)
{
    const line_ref *x = a, *y = b;
    int c = x->contract == y->contract ? 0 : strcmp(x->contract_text, y->contract_text);
    if (!c)
        c = strcmp(x->id_text, y->id_text);
    if (!c)
        c = x->row < y->row ? -1 : x->row > y->row;
    return c;
}

static revops_str intern(const revops_dataset *ds, const char *s)
{
    revops_str id = 0;
    if (revops_strpool__find(&ds->strings, s, strlen(s), &id))
        return 0;
    return id;
}

/* A line is known on D when its deal was won by D; a line without a deal in the data has no
 * signing day to judge by and is taken as known. `won` caches each deal's answer (-1: not
 * asked yet), as a contract's lines share their deal. */
static int line_known(const revops_actx *c, size_t row, int8_t *won)
{
    revops_str opp = c->ds->contract_line.opportunity_id[row];
    int64_t o = revops_idmap__get(&c->opp_by_id, opp);
    if (o < 0)
        return 1;
    if (won[o] < 0) {
        revops_deal d = c->now[(size_t)o];
        won[o] = (int8_t)d.won;
    }
    return won[o];
}

/* The line's method and dates; 0 when it lacks the date its method needs. */
static int line_dates(const revops_contract_line_table *t, size_t row, revops_str ratable,
                      revops_str milestone, revops_rr_line *l)
{
    l->row = (uint32_t)row;
    if (t->method[row] == ratable) {
        l->method = REVOPS_RR_RATABLE;
        l->start = t->start_date[row];
        l->end = t->end_date[row];
        return l->start != REVOPS_NO_DAY && l->end != REVOPS_NO_DAY && l->end > l->start;
    }
    l->method = t->method[row] == milestone ? REVOPS_RR_MILESTONE : REVOPS_RR_POINT_IN_TIME;
    l->start = l->method == REVOPS_RR_MILESTONE ? t->milestone_date[row] : t->start_date[row];
    l->end = l->start + 1;
    return l->start != REVOPS_NO_DAY;
}

static int add_checked(int64_t *sum, int64_t v)
{
    if (v > 0 && *sum > INT64_MAX - v)
        return revops_error__set(REVOPS_ETOOBIG, "a contract's amounts add up beyond 2^63");
    *sum += v;
    return 0;
}

static int build_contracts(revops_revrec *r, revops_actx *c)
{
    const revops_dataset *ds = c->ds;
    const revops_contract_line_table *t = &ds->contract_line;
    revops_str ratable = intern(ds, "ratable"), milestone = intern(ds, "milestone");
    line_ref *refs = malloc((t->n ? t->n : 1) * sizeof(*refs));
    revops_rr_line *dated = malloc((t->n ? t->n : 1) * sizeof(*dated));
    int8_t *won = malloc(ds->opportunity.n ? ds->opportunity.n : 1);
    uint64_t *scratch = NULL;
    int rc = 0;
    if (!refs || !dated || !won) {
        rc = revops_error__oom();
        goto done;
    }
    memset(won, -1, ds->opportunity.n);
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!line_known(c, i, won))
            continue;
        if (!line_dates(t, i, ratable, milestone, &dated[i])) {
            r->undated_lines++;
            continue;
        }
        refs[n++] = (line_ref){revops_dataset__str(ds, t->contract_id[i]),
                               revops_dataset__str(ds, t->id[i]), t->contract_id[i], (uint32_t)i};
    }
    qsort(refs, n, sizeof(*refs), compare_lines);
    size_t ncontracts = 0, most = 1;
    for (size_t i = 0, run = 0; i < n; i++) {
        run = i > 0 && refs[i].contract == refs[i - 1].contract ? run + 1 : 1;
        ncontracts += run == 1;
        if (run > most)
            most = run;
    }
    r->lines = malloc((n ? n : 1) * sizeof(*r->lines));
    r->contracts = calloc(ncontracts ? ncontracts : 1, sizeof(*r->contracts));
    scratch = malloc(most * sizeof(*scratch));
    if (!r->lines || !r->contracts || !scratch) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        r->lines[i] = dated[refs[i].row];
    r->nlines = n;
    for (size_t i = 0; i < n && !rc;) {
        size_t j = i;
        while (j < n && refs[j].contract == refs[i].contract)
            j++;
        revops_rr_contract *k = &r->contracts[r->ncontracts++];
        k->id = refs[i].contract;
        k->account = t->account_id[refs[i].row];
        k->first = i;
        k->n = j - i;
        k->day = r->lines[i].start;
        for (size_t x = i; x < j; x++)
            if (r->lines[x].start < k->day)
                k->day = r->lines[x].start;
        for (size_t x = i; x < j && !rc; x++) {
            revops_rr_line *l = &r->lines[x];
            l->ssp = revops_actx__money(c, t->ssp[l->row], t->currency[l->row], k->day);
            l->price = revops_actx__money(c, t->price[l->row], t->currency[l->row], k->day);
            if (!(rc = add_checked(&k->price, l->price)))
                rc = add_checked(&k->ssp, l->ssp);
        }
        if (!rc)
            rc = revops_revrec__allocate(r->lines + i, j - i, k->price, k->ssp, scratch);
        i = j;
    }
done:
    free(refs);
    free(dated);
    free(won);
    free(scratch);
    return rc;
}

typedef struct inv_ref {
    size_t contract;
    revops_time at;
    uint32_t row;
} inv_ref;

static int compare_invoices(const void *a, const void *b)
{
    const inv_ref *x = a, *y = b;
    if (x->contract != y->contract)
        return x->contract < y->contract ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Invoices issued by the end of D and not void, each matched to its contract by
 * contract_id; those naming no known contract are counted apart. */
static int match_invoices(revops_revrec *r, revops_actx *c)
{
    const revops_invoice_table *t = &c->ds->invoice;
    revops_str voided = intern(c->ds, "void");
    revops_time end = revops_actx__day_end(c->as_of);
    revops_str *ids = malloc((r->ncontracts ? r->ncontracts : 1) * sizeof(*ids));
    inv_ref *refs = malloc((t->n ? t->n : 1) * sizeof(*refs));
    revops_idmap by_id = {0};
    int rc = 0;
    if (!ids || !refs) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < r->ncontracts; i++)
        ids[i] = r->contracts[i].id;
    if ((rc = revops_idmap__build(&by_id, ids, r->ncontracts)))
        goto done;
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->issued_at[i] > end || (voided && t->status[i] == voided))
            continue;
        int64_t k = revops_idmap__get(&by_id, t->contract_id[i]);
        if (k < 0) {
            r->unmatched_invoices++;
            r->unmatched_billed += revops_actx__money(c, t->amount[i], t->currency[i],
                                                      revops_time_day(t->issued_at[i]));
            continue;
        }
        refs[n++] = (inv_ref){(size_t)k, t->issued_at[i], (uint32_t)i};
    }
    /* Grouped by contract with a counting sort, then each contract's few invoices by time. */
    r->inv_rows = malloc((n ? n : 1) * sizeof(*r->inv_rows));
    inv_ref *sorted = malloc((n ? n : 1) * sizeof(*sorted));
    if (!r->inv_rows || !sorted) {
        free(sorted);
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        r->contracts[refs[i].contract].ninv++;
    size_t at = 0;
    for (size_t k = 0; k < r->ncontracts; k++) {
        r->contracts[k].inv_first = at;
        at += r->contracts[k].ninv;
        r->contracts[k].ninv = 0;
    }
    for (size_t i = 0; i < n; i++) {
        revops_rr_contract *k = &r->contracts[refs[i].contract];
        sorted[k->inv_first + k->ninv++] = refs[i];
    }
    for (size_t k = 0; k < r->ncontracts; k++) {
        revops_rr_contract *x = &r->contracts[k];
        inv_ref *g = sorted + x->inv_first;
        for (size_t i = 1; i < x->ninv; i++) {
            inv_ref v = g[i];
            size_t j = i;
            while (j > 0 && compare_invoices(&g[j - 1], &v) > 0) {
                g[j] = g[j - 1];
                j--;
            }
            g[j] = v;
        }
        for (size_t i = 0; i < x->ninv; i++) {
            r->inv_rows[x->inv_first + i] = g[i].row;
            x->billed += revops_actx__money(c, t->amount[g[i].row], t->currency[g[i].row], x->day);
        }
    }
    free(sorted);
done:
    revops_idmap__free(&by_id);
    free(ids);
    free(refs);
    return rc;
}

/* Each contract's first and last months of recognition or billing, and the overall span,
 * which reaches at least the month of D. */
static void spans(revops_revrec *r, revops_actx *c)
{
    const revops_invoice_table *t = &c->ds->invoice;
    revops_month lo = REVOPS_NO_MONTH, hi = REVOPS_NO_MONTH;
    for (size_t i = 0; i < r->ncontracts; i++) {
        revops_rr_contract *k = &r->contracts[i];
        k->from = k->to = REVOPS_NO_MONTH;
        for (size_t x = k->first; x < k->first + k->n; x++) {
            revops_month a, b;
            revops_revrec__line_months(&r->lines[x], &a, &b);
            if (k->from == REVOPS_NO_MONTH || a < k->from)
                k->from = a;
            if (k->to == REVOPS_NO_MONTH || b > k->to)
                k->to = b;
        }
        for (size_t x = k->inv_first; x < k->inv_first + k->ninv; x++) {
            revops_month a = revops_day_month(revops_time_day(t->issued_at[r->inv_rows[x]]));
            if (a < k->from)
                k->from = a;
            if (a > k->to)
                k->to = a;
        }
        if (lo == REVOPS_NO_MONTH || k->from < lo)
            lo = k->from;
        if (hi == REVOPS_NO_MONTH || k->to > hi)
            hi = k->to;
    }
    if (lo == REVOPS_NO_MONTH)
        return;
    revops_month now = revops_day_month(c->as_of);
    if (hi < now)
        hi = now;
    r->first = lo;
    r->nmonths = (size_t)(hi - lo) + 1;
}

/* Recognized and billed by month, and the balances at each month's end: per contract,
 * cumulative billed - cumulative recognized is deferred revenue when positive and unbilled
 * revenue when negative; the month's figures are the sums over contracts. */
static int balances(revops_revrec *r, revops_actx *c)
{
    const revops_invoice_table *t = &c->ds->invoice;
    size_t nm = r->nmonths;
    r->recognized = calloc(nm, sizeof(int64_t));
    r->billed = calloc(nm, sizeof(int64_t));
    r->deferred = calloc(nm, sizeof(int64_t));
    r->unbilled = calloc(nm, sizeof(int64_t));
    int64_t *rec = calloc(nm, sizeof(int64_t)), *bill = calloc(nm, sizeof(int64_t));
    int64_t *tail_deferred = calloc(nm, sizeof(int64_t));
    int64_t *tail_unbilled = calloc(nm, sizeof(int64_t));
    int rc = 0;
    if (!r->recognized || !r->billed || !r->deferred || !r->unbilled || !rec || !bill ||
        !tail_deferred || !tail_unbilled) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < r->ncontracts; i++) {
        const revops_rr_contract *k = &r->contracts[i];
        size_t a = (size_t)(k->from - r->first), b = (size_t)(k->to - r->first);
        for (size_t m = a; m <= b; m++)
            rec[m] = bill[m] = 0;
        for (size_t x = k->first; x < k->first + k->n; x++) {
            const revops_rr_line *l = &r->lines[x];
            revops_month lf, lt;
            revops_revrec__line_months(l, &lf, &lt);
            for (revops_month m = lf; m <= lt; m++)
                rec[m - r->first] += revops_revrec__in_month(l, m);
        }
        for (size_t x = k->inv_first; x < k->inv_first + k->ninv; x++) {
            uint32_t row = r->inv_rows[x];
            revops_month m = revops_day_month(revops_time_day(t->issued_at[row]));
            bill[m - r->first] += revops_actx__money(c, t->amount[row], t->currency[row], k->day);
        }
        int64_t cum = 0; /* billed - recognized */
        for (size_t m = a; m <= b; m++) {
            r->recognized[m] += rec[m];
            r->billed[m] += bill[m];
            cum += bill[m] - rec[m];
            if (cum > 0)
                r->deferred[m] += cum;
            else
                r->unbilled[m] -= cum;
        }
        /* After its last month the balance stays: carried to every later month below. */
        if (b + 1 < nm) {
            tail_deferred[b + 1] += cum > 0 ? cum : 0;
            tail_unbilled[b + 1] += cum < 0 ? -cum : 0;
        }
    }
    int64_t carry_deferred = 0, carry_unbilled = 0;
    for (size_t m = 0; m < nm; m++) {
        carry_deferred += tail_deferred[m];
        carry_unbilled += tail_unbilled[m];
        r->deferred[m] += carry_deferred;
        r->unbilled[m] += carry_unbilled;
    }
done:
    free(rec);
    free(bill);
    free(tail_deferred);
    free(tail_unbilled);
    return rc;
}

int revops_revrec__use(const revops_revrec **out, revops_revrec *own, revops_actx *c)
{
    *out = c->revrec;
    if (*out)
        return 0;
    int rc = revops_revrec__build(own, c);
    if (!rc)
        *out = own;
    return rc;
}

void revops_revrec__release(const revops_revrec *r, revops_revrec *own)
{
    if (r == own)
        revops_revrec__free(own);
}

int revops_revrec__build(revops_revrec *r, revops_actx *c)
{
    memset(r, 0, sizeof(*r));
    int rc = build_contracts(r, c);
    if (!rc)
        rc = match_invoices(r, c);
    if (!rc) {
        spans(r, c);
        if (r->nmonths)
            rc = balances(r, c);
    }
    if (rc)
        revops_revrec__free(r);
    return rc;
}

void revops_revrec__free(revops_revrec *r)
{
    free(r->contracts);
    free(r->lines);
    free(r->inv_rows);
    free(r->recognized);
    free(r->billed);
    free(r->deferred);
    free(r->unbilled);
    memset(r, 0, sizeof(*r));
}
