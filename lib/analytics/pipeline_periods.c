/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pipeline over the period (docs/metrics.md "Pipeline"): how much of what was due slipped
 * past it, and how the open pipeline moved from the period's start to its end.
 */
#include <stdio.h>
#include <string.h>

#include "analytics/pipeline_periods.h"

typedef struct period_sums {
    int64_t due, slipped;
    int64_t start, created, increased, decreased, won, lost, end;
} period_sums;

/*
 * Slippage: of the deals open before the period with a close date in it, those still open on
 * its last known day with a close date after it.
 *
 * Movement of the open pipeline through the period, exact by construction: per deal, the
 * amounts open at the start and end, created during, and won or lost during are taken as
 * they stood, and what remains of the difference is an increase or a decrease (amount
 * changes, and deals reopened after a loss). Every term is converted at the rate of the
 * period's last day, so the identity start + created + increased - decreased - won - lost =
 * end holds to the minor unit.
 *
 * Both in one pass over the deals as they stood the day before the period and on its last
 * known day (the as-of day's view is the context's).
 */
static void sum_period(revops_actx *c, revops_day before, revops_day last, period_sums *t)
{
    const revops_period *per = &c->period;
    const revops_opportunity_table *o = &c->ds->opportunity;
    revops_deal d0, d1;
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < o->n; i++) {
        const revops_deal *now = NULL;
        if (last == c->as_of) {
            now = &c->now[i];
        } else {
            revops_actx__deal(c, i, last, &d1);
            now = &d1;
        }
        if (!now->exists)
            continue;
        revops_actx__deal(c, i, before, &d0);
        if (d0.open && d0.close_date >= per->start && d0.close_date < per->end) {
            t->due++;
            t->slipped += now->open && now->close_date >= per->end;
        }
        revops_str cur = o->currency[i];
        int64_t a0 = d0.open ? revops_actx__money(c, d0.amount, cur, last) : 0;
        int64_t a1 = now->open ? revops_actx__money(c, now->amount, cur, last) : 0;
        int64_t cr = !d0.exists ? revops_actx__money(c, now->first_amount, cur, last) : 0;
        int closed_now = (now->won || now->lost) && !(d0.won || d0.lost);
        int64_t closing = closed_now ? revops_actx__money(c, now->amount, cur, last) : 0;
        int64_t w = now->won && closed_now ? closing : 0;
        int64_t l = now->lost && closed_now ? closing : 0;
        int64_t delta = a1 + w + l - a0 - cr;
        t->start += a0;
        t->end += a1;
        t->created += cr;
        t->won += w;
        t->lost += l;
        if (delta > 0)
            t->increased += delta;
        else
            t->decreased -= delta;
    }
}

void revops_pipeline__periods(revops_actx *c, revops_rt_node *n)
{
    const revops_period *per = &c->period;
    if (per->start > c->as_of) {
        revops_rt__na(n, "slippage_rate", "Slippage", "the period starts after the as-of day");
        revops_rt__na(n, "pipeline_movement", "Pipeline movement",
                      "the period starts after the as-of day");
        return;
    }
    revops_day before = per->start - 1;
    revops_day last = per->end - 1 < c->as_of ? per->end - 1 : c->as_of;
    period_sums t;
    sum_period(c, before, last, &t);
    revops_rt_node *s = revops_rt__section(n, "slippage", NULL);
    revops_rt__count(s, "due_in_period", NULL, t.due);
    revops_rt__count(s, "slipped", NULL, t.slipped);
    revops_rt__day(s, "measured_on", NULL, last);
    if (t.due == 0)
        revops_rt__na(n, "slippage_rate", "Slippage", "no deal was due in the period");
    else
        revops_rt__ratio(n, "slippage_rate", "Slippage", (double)t.slipped / (double)t.due);
    revops_rt_node *m = revops_rt__section(n, "pipeline_movement", "Pipeline movement");
    char label[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(per, label);
    revops_rt__text(m, "period", "Period", label);
    revops_rt__day(m, "through", "Through", last);
    revops_rt__money(m, "start", "Open at the start", t.start);
    revops_rt__money(m, "created", "+ created", t.created);
    revops_rt__money(m, "increased", "+ increased", t.increased);
    revops_rt__money(m, "decreased", "- decreased", t.decreased);
    revops_rt__money(m, "won", "- won", t.won);
    revops_rt__money(m, "lost", "- lost", t.lost);
    revops_rt__money(m, "end", "= open at the end", t.end);
}
