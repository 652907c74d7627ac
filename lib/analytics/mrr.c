/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MRR grid (mrr.h): items grouped by account, each added to the months in which it is
 * active on the measuring day, then the movements of every account from month to month.
 */
#include "analytics/mrr.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

typedef struct item_ref {
    const char *account_text;
    revops_str account;
    uint32_t row;
} item_ref;

static int compare_items(const void *a, const void *b)
{
    const item_ref *x = a, *y = b;
    int c = x->account == y->account ? 0 : strcmp(x->account_text, y->account_text);
    if (c)
        return c;
    return x->row < y->row ? -1 : x->row > y->row;
}

revops_day revops_mrr__day(const revops_mrr *m, size_t k)
{
    revops_day last = revops_month_last_day(m->first + (revops_month)k);
    return last < m->as_of ? last : m->as_of;
}

revops_move revops_mrr__classify(int64_t prev, int64_t cur, int paid_before)
{
    if (prev == cur)
        return REVOPS_MOVE_NONE;
    if (prev == 0)
        return paid_before ? REVOPS_MOVE_REACTIVATION : REVOPS_MOVE_NEW;
    if (cur == 0)
        return REVOPS_MOVE_CHURN;
    return cur > prev ? REVOPS_MOVE_EXPANSION : REVOPS_MOVE_CONTRACTION;
}

/*
 * The months index range [from, to) in which an item is active on the measuring day. A month
 * before the last is measured on its last day e: active when start <= e < end, that is from
 * the start's month up to, not including, the end's month (e < end holds exactly for the
 * months before the end's month, whatever its day). The last month is measured on D instead,
 * so an item ending in D's month after D is still active in it.
 */
static void active_months(const revops_mrr *m, revops_day start, revops_day end, size_t *from,
                          size_t *to)
{
    revops_month last = m->first + (revops_month)m->nmonths - 1;
    *from = (size_t)(revops_day_month(start) - m->first);
    if (end == REVOPS_NO_DAY) {
        *to = m->nmonths;
        return;
    }
    revops_month em = revops_day_month(end);
    if (em > last || (em == last && end > m->as_of))
        *to = m->nmonths;
    else if (em < m->first)
        *to = 0;
    else
        *to = (size_t)(em - m->first);
}

static void totals(revops_mrr *m)
{
    for (size_t a = 0; a < m->naccounts; a++) {
        const int64_t *row = m->mrr + a * m->nmonths;
        int64_t prev = 0;
        int paid = 0;
        for (size_t k = 0; k < m->nmonths; k++) {
            int64_t cur = row[k];
            revops_mrr_month *t = &m->months[k];
            t->mrr += cur;
            t->customers += cur > 0;
            switch (revops_mrr__classify(prev, cur, paid)) {
            case REVOPS_MOVE_NEW:
                t->new_mrr += cur;
                t->new_customers++;
                break;
            case REVOPS_MOVE_REACTIVATION:
                t->reactivation += cur;
                t->reactivated++;
                break;
            case REVOPS_MOVE_EXPANSION:
                t->expansion += cur - prev;
                t->expanded++;
                break;
            case REVOPS_MOVE_CONTRACTION:
                t->contraction += cur - prev;
                t->contracted++;
                break;
            case REVOPS_MOVE_CHURN:
                t->churn -= prev;
                t->churned++;
                break;
            case REVOPS_MOVE_NONE:
                break;
            }
            paid |= cur > 0;
            prev = cur;
        }
    }
}

int revops_mrr__build(revops_mrr *m, revops_actx *c)
{
    const revops_dataset *ds = c->ds;
    const revops_subscription_item_table *s = &ds->subscription_item;
    memset(m, 0, sizeof(*m));
    m->as_of = c->as_of;
    item_ref *items = malloc((s->n ? s->n : 1) * sizeof(*items));
    if (!items)
        return revops_error__oom();
    int rc = 0;
    revops_month first = REVOPS_NO_MONTH;
    for (size_t i = 0; i < s->n; i++) {
        /* An item that starts after D is not known on D. */
        if (s->start_date[i] == REVOPS_NO_DAY || s->start_date[i] > c->as_of)
            continue;
        items[m->nitems++] =
            (item_ref){revops_dataset__str(ds, s->account_id[i]), s->account_id[i], (uint32_t)i};
        revops_month sm = revops_day_month(s->start_date[i]);
        if (first == REVOPS_NO_MONTH || sm < first)
            first = sm;
    }
    if (m->nitems == 0)
        goto done;
    m->first = first;
    m->nmonths = (size_t)(revops_day_month(c->as_of) - first) + 1;
    qsort(items, m->nitems, sizeof(*items), compare_items);
    for (size_t i = 0; i < m->nitems; i++)
        m->naccounts += i == 0 || items[i].account != items[i - 1].account;
    size_t cells;
    if (revops_size_mul(m->naccounts, m->nmonths, &cells)) {
        rc = revops_error__set(REVOPS_ETOOBIG, "too many accounts and months for the MRR grid");
        goto done;
    }
    m->account = malloc(m->naccounts * sizeof(*m->account));
    m->mrr = calloc(cells, sizeof(*m->mrr));
    m->months = calloc(m->nmonths, sizeof(*m->months));
    if (!m->account || !m->mrr || !m->months) {
        rc = revops_error__oom();
        goto done;
    }
    /* Each item adds its MRR where it starts and takes it away where it stops; a running sum
     * along the months then gives every month's MRR. */
    size_t a = 0;
    for (size_t i = 0; i < m->nitems; i++) {
        if (i > 0 && items[i].account != items[i - 1].account)
            a++;
        m->account[a] = items[i].account;
        uint32_t r = items[i].row;
        size_t from, to;
        active_months(m, s->start_date[r], s->end_date[r], &from, &to);
        if (to <= from)
            continue;
        int64_t v = revops_actx__money(c, s->mrr[r], s->currency[r], s->start_date[r]);
        int64_t *row = m->mrr + a * m->nmonths;
        row[from] += v;
        if (to < m->nmonths)
            row[to] -= v;
    }
    for (size_t k = 0; k < m->naccounts; k++) {
        int64_t *row = m->mrr + k * m->nmonths;
        for (size_t j = 1; j < m->nmonths; j++)
            row[j] += row[j - 1];
    }
    totals(m);
done:
    free(items);
    if (rc)
        revops_mrr__free(m);
    return rc;
}

void revops_mrr__free(revops_mrr *m)
{
    free(m->account);
    free(m->mrr);
    free(m->months);
    memset(m, 0, sizeof(*m));
}
