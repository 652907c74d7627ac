/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `revrec` section (docs/metrics-saas.md "Revenue recognition"): per month, the revenue
 * recognized, what was billed, and the deferred and unbilled revenue at the month's end; and,
 * for a contract asked for by id, its allocation line by line, each line's schedule, its
 * invoices and its own month-end balances.
 */
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/revrec.h"
#include "analytics/saas.h"
#include "core/error.h"

static const char *method_name(revops_rr_method m)
{
    static const char *const names[] = {"ratable", "point_in_time", "milestone"};
    return names[m];
}

static const char *status_of(revops_month m, revops_month now)
{
    return m < now ? "actual" : m == now ? "current" : "scheduled";
}

static const revops_rt_column month_cols[] = {
    {"month", "month", REVOPS_RT_TEXT, 0, 0},
    {"recognized", "recognized", REVOPS_RT_MONEY, 0, 0},
    {"billed", "billed", REVOPS_RT_MONEY, 0, 0},
    {"deferred_revenue", "deferred revenue", REVOPS_RT_MONEY, 0, 0},
    {"unbilled", "unbilled", REVOPS_RT_MONEY, 0, 0},
    {"status", "status", REVOPS_RT_TEXT, 0, 0},
};
#define NMONTH_COLS (sizeof(month_cols) / sizeof(month_cols[0]))

static void month_row(revops_rt_table *t, revops_month m, revops_month now, int64_t recognized,
                      int64_t billed, int64_t deferred, int64_t unbilled)
{
    char text[REVOPS_MONTH_TEXT_MAX];
    revops_month_format(m, text);
    revops_rt__row(t);
    revops_rt__cell_text(t, text);
    revops_rt__cell_money(t, recognized);
    revops_rt__cell_money(t, billed);
    revops_rt__cell_money(t, deferred);
    revops_rt__cell_money(t, unbilled);
    revops_rt__cell_text(t, status_of(m, now));
}

/* ---- one contract in detail ---- */

static void line_item(const revops_actx *c, const revops_rr_line *l, revops_rt_list *lines)
{
    const revops_contract_line_table *t = &c->ds->contract_line;
    const char *id = revops_dataset__str(c->ds, t->id[l->row]);
    char title[160];
    snprintf(title, sizeof(title), "Line %s", id);
    revops_rt_node *n = revops_rt__item(lines, title);
    revops_rt__text(n, "id", "Line", id);
    revops_rt__text(n, "obligation", "Obligation",
                    revops_dataset__str(c->ds, t->obligation[l->row]));
    revops_rt__text(n, "method", "Method", method_name(l->method));
    if (l->method == REVOPS_RR_RATABLE) {
        revops_rt__day(n, "start_date", "From", l->start);
        revops_rt__day(n, "end_date", "To (first day without)", l->end);
        revops_rt__count(n, "days", "Days", l->end - l->start);
    } else {
        revops_rt__day(n, "date", "Recognized on", l->start);
    }
    revops_rt__money(n, "ssp", "Standalone selling price", l->ssp);
    revops_rt__money(n, "price", "Price on the line", l->price);
    revops_rt__money(n, "allocated", "Allocated", l->allocated);
    static const revops_rt_column cols[] = {
        {"month", "month", REVOPS_RT_TEXT, 0, 0},
        {"amount", "recognized", REVOPS_RT_MONEY, 0, 0},
        {"cumulative", "cumulative", REVOPS_RT_MONEY, 0, 0},
    };
    revops_rt_table *s = revops_rt__table(n, "schedule", "Schedule", cols, 3);
    revops_month from, to;
    revops_revrec__line_months(l, &from, &to);
    for (revops_month m = from; m <= to; m++) {
        char text[REVOPS_MONTH_TEXT_MAX];
        revops_month_format(m, text);
        revops_rt__row(s);
        revops_rt__cell_text(s, text);
        revops_rt__cell_money(s, revops_revrec__in_month(l, m));
        revops_rt__cell_money(s, revops_revrec__cumulative(l, m));
    }
}

static int contract_detail(revops_actx *c, const revops_revrec *r, const revops_rr_contract *k,
                           revops_rt_list *list)
{
    const revops_dataset *ds = c->ds;
    const revops_invoice_table *inv = &ds->invoice;
    const char *id = revops_dataset__str(ds, k->id);
    revops_month now = revops_day_month(c->as_of);
    char title[160];
    snprintf(title, sizeof(title), "Contract %s", id);
    revops_rt_node *n = revops_rt__item(list, title);
    revops_rt__text(n, "contract_id", "Contract", id);
    revops_rt__text(n, "account_id", "Account", revops_dataset__str(ds, k->account));
    int64_t a = revops_idmap__get(&c->account_by_id, k->account);
    if (a >= 0)
        revops_rt__text(n, "account", "Account name", revops_dataset__str(ds, ds->account.name[a]));
    revops_rt__day(n, "converted_on", "Converted at the rates of", k->day);
    revops_rt__money(n, "ssp", "Standalone selling prices", k->ssp);
    revops_rt__money(n, "price", "Transaction price", k->price);
    revops_rt__money(n, "billed", "Billed to date", k->billed);
    revops_rt_list *lines = revops_rt__list(n, "lines");
    for (size_t x = k->first; x < k->first + k->n; x++)
        line_item(c, &r->lines[x], lines);
    static const revops_rt_column inv_cols[] = {
        {"id", "invoice", REVOPS_RT_TEXT, 0, 0},
        {"issued_on", "issued", REVOPS_RT_DAY, 0, 0},
        {"amount", "amount", REVOPS_RT_MONEY, 0, 0},
        {"status", "status", REVOPS_RT_TEXT, 0, 0},
    };
    revops_rt_table *ti = revops_rt__table(n, "invoices", "Invoices", inv_cols, 4);
    for (size_t x = k->inv_first; x < k->inv_first + k->ninv; x++) {
        uint32_t row = r->inv_rows[x];
        revops_rt__row(ti);
        revops_rt__cell_text(ti, revops_dataset__str(ds, inv->id[row]));
        revops_rt__cell_day(ti, revops_time_day(inv->issued_at[row]));
        revops_rt__cell_money(ti,
                              revops_actx__money(c, inv->amount[row], inv->currency[row], k->day));
        revops_rt__cell_text(ti, inv->status[row] ? revops_dataset__str(ds, inv->status[row]) : "");
    }
    /* The contract's own month-end balances, from its first month of recognition or billing
     * to its last (the balance stays as it is after it). */
    revops_month to = k->to;
    size_t nm = (size_t)(to - k->from) + 1;
    int64_t *billed = calloc(nm, sizeof(*billed));
    if (!billed)
        return revops_error__oom();
    for (size_t x = k->inv_first; x < k->inv_first + k->ninv; x++) {
        uint32_t row = r->inv_rows[x];
        revops_month m = revops_day_month(revops_time_day(inv->issued_at[row]));
        billed[m - k->from] += revops_actx__money(c, inv->amount[row], inv->currency[row], k->day);
    }
    revops_rt_table *tm = revops_rt__table(n, "months", "By month", month_cols, NMONTH_COLS);
    int64_t cum = 0; /* billed - recognized */
    for (revops_month m = k->from; m <= to; m++) {
        int64_t rec = 0;
        for (size_t x = k->first; x < k->first + k->n; x++)
            rec += revops_revrec__in_month(&r->lines[x], m);
        cum += billed[m - k->from] - rec;
        month_row(tm, m, now, rec, billed[m - k->from], cum > 0 ? cum : 0, cum < 0 ? -cum : 0);
    }
    free(billed);
    return 0;
}

static const revops_rr_contract *find_contract(const revops_actx *c, const revops_revrec *r,
                                               const char *id)
{
    for (size_t i = 0; i < r->ncontracts; i++)
        if (strcmp(revops_dataset__str(c->ds, r->contracts[i].id), id) == 0)
            return &r->contracts[i];
    return NULL;
}

int revops_analytics__revrec(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    (void)k;
    const revops_saas_options *so = revops_saas__options(c);
    revops_revrec own;
    const revops_revrec *r;
    int rc = revops_revrec__use(&r, &own, c);
    if (rc)
        return rc;
    revops_month now = revops_day_month(c->as_of);
    revops_rt_node *n = revops_rt__section(root, "revrec", "Revenue recognition");
    revops_rt__text(n, "currency", NULL, c->currency);
    revops_rt__day(n, "as_of", NULL, c->as_of);
    int64_t price = 0, allocated_left = 0;
    for (size_t i = 0; i < r->nlines; i++) {
        price += r->lines[i].allocated;
        allocated_left += r->lines[i].allocated - revops_revrec__cumulative(&r->lines[i], now);
    }
    revops_rt__count(n, "contract_count", "Contracts", (int64_t)r->ncontracts);
    revops_rt__count(n, "line_count", "Performance obligations", (int64_t)r->nlines);
    revops_rt__money(n, "transaction_price", "Transaction price, all contracts", price);
    if (r->nmonths == 0) {
        revops_rt__na(n, "recognized", "Recognized", "no contract known on the as-of day");
    } else {
        char month[REVOPS_MONTH_TEXT_MAX];
        revops_month_format(now, month);
        size_t i = (size_t)(now - r->first);
        revops_rt__text(n, "month", "Month", month);
        revops_rt__money(n, "recognized", "Recognized in the month", r->recognized[i]);
        revops_rt__money(n, "billed", "Billed in the month", r->billed[i]);
        revops_rt__money(n, "deferred_revenue", "Deferred revenue at the month's end",
                         r->deferred[i]);
        revops_rt__money(n, "unbilled", "Unbilled revenue at the month's end", r->unbilled[i]);
    }
    revops_rt__money(n, "remaining_performance_obligations", "Still to recognize after the month",
                     allocated_left);
    revops_rt__count(n, "unmatched_invoices", "Invoices of no known contract",
                     (int64_t)r->unmatched_invoices);
    revops_rt__money(n, "unmatched_billed", "Billed on them", r->unmatched_billed);
    revops_rt__count(n, "undated_lines", NULL, (int64_t)r->undated_lines);

    revops_rt_table *t = revops_rt__table(n, "months", "Recognized, billed, deferred and unbilled",
                                          month_cols, NMONTH_COLS);
    if (r->nmonths) {
        revops_month from = r->first, to = now;
        revops_month last = r->first + (revops_month)r->nmonths - 1;
        if (so->from_month != REVOPS_NO_MONTH && so->from_month > from)
            from = so->from_month;
        if (so->to_month != REVOPS_NO_MONTH)
            to = so->to_month;
        if (to > last)
            to = last;
        for (revops_month m = from; m <= to; m++) {
            size_t i = (size_t)(m - r->first);
            month_row(t, m, now, r->recognized[i], r->billed[i], r->deferred[i], r->unbilled[i]);
        }
    }
    if (so->contract) {
        const revops_rr_contract *one = find_contract(c, r, so->contract);
        if (!one) {
            char day[REVOPS_DAY_TEXT_MAX];
            revops_day_format(c->as_of, day);
            rc = revops_error__set(REVOPS_ENOTFOUND,
                                   "no contract '%s' is known on %s (none of its lines exist, "
                                   "or its deal was not won by then)",
                                   so->contract, day);
            goto done;
        }
        rc = contract_detail(c, r, one, revops_rt__list(n, "contracts"));
    }
done:
    revops_revrec__release(r, &own);
    return rc;
}
