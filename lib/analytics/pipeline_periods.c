/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pipeline over the period (docs/metrics.md "Pipeline"): how much of what was due slipped
 * past it, and how the open pipeline moved from the period's start to its end.
 */
#include <stdio.h>

#include "analytics/pipeline_periods.h"

void revops_pipeline__slippage(revops_actx *c, revops_rt_node *n)
{
    const revops_period *per = &c->period;
    if (per->start > c->as_of) {
        revops_rt__na(n, "slippage_rate", "Slippage", "the period starts after the as-of day");
        return;
    }
    revops_day before = per->start - 1;
    revops_day last = per->end - 1 < c->as_of ? per->end - 1 : c->as_of;
    int64_t due = 0, slipped = 0;
    revops_deal d0, d1;
    for (size_t i = 0; i < c->ds->opportunity.n; i++) {
        revops_actx__deal(c, i, before, &d0);
        if (!d0.open || d0.close_date < per->start || d0.close_date >= per->end)
            continue;
        due++;
        revops_actx__deal(c, i, last, &d1);
        slipped += d1.open && d1.close_date >= per->end;
    }
    revops_rt_node *s = revops_rt__section(n, "slippage", NULL);
    revops_rt__count(s, "due_in_period", NULL, due);
    revops_rt__count(s, "slipped", NULL, slipped);
    revops_rt__day(s, "measured_on", NULL, last);
    if (due == 0)
        revops_rt__na(n, "slippage_rate", "Slippage", "no deal was due in the period");
    else
        revops_rt__ratio(n, "slippage_rate", "Slippage", (double)slipped / (double)due);
}

/*
 * Movement of the open pipeline through the period, exact by construction: per deal, the
 * amounts open at the start and end, created during, and won or lost during are taken as
 * they stood, and what remains of the difference is an increase or a decrease (amount
 * changes, and deals reopened after a loss). Every term is converted at the rate of the
 * period's last day, so the identity start + created + increased - decreased - won - lost =
 * end holds to the minor unit.
 */
void revops_pipeline__movement(revops_actx *c, revops_rt_node *n)
{
    const revops_period *per = &c->period;
    const revops_opportunity_table *o = &c->ds->opportunity;
    if (per->start > c->as_of) {
        revops_rt__na(n, "pipeline_movement", "Pipeline movement",
                      "the period starts after the as-of day");
        return;
    }
    revops_day before = per->start - 1;
    revops_day last = per->end - 1 < c->as_of ? per->end - 1 : c->as_of;
    int64_t start = 0, created = 0, increased = 0, decreased = 0, won = 0, lost = 0, end = 0;
    revops_deal d0, d1;
    for (size_t i = 0; i < o->n; i++) {
        revops_actx__deal(c, i, before, &d0);
        revops_actx__deal(c, i, last, &d1);
        if (!d1.exists)
            continue;
        revops_str cur = o->currency[i];
        int64_t a0 = d0.open ? revops_actx__money(c, d0.amount, cur, last) : 0;
        int64_t a1 = d1.open ? revops_actx__money(c, d1.amount, cur, last) : 0;
        int64_t cr = !d0.exists ? revops_actx__money(c, d1.first_amount, cur, last) : 0;
        int closed_now = (d1.won || d1.lost) && !(d0.won || d0.lost);
        int64_t closing = closed_now ? revops_actx__money(c, d1.amount, cur, last) : 0;
        int64_t w = d1.won && closed_now ? closing : 0;
        int64_t l = d1.lost && closed_now ? closing : 0;
        int64_t delta = a1 + w + l - a0 - cr;
        start += a0;
        end += a1;
        created += cr;
        won += w;
        lost += l;
        if (delta > 0)
            increased += delta;
        else
            decreased -= delta;
    }
    revops_rt_node *m = revops_rt__section(n, "pipeline_movement", "Pipeline movement");
    char label[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(per, label);
    revops_rt__text(m, "period", "Period", label);
    revops_rt__day(m, "through", "Through", last);
    revops_rt__money(m, "start", "Open at the start", start);
    revops_rt__money(m, "created", "+ created", created);
    revops_rt__money(m, "increased", "+ increased", increased);
    revops_rt__money(m, "decreased", "- decreased", decreased);
    revops_rt__money(m, "won", "- won", won);
    revops_rt__money(m, "lost", "- lost", lost);
    revops_rt__money(m, "end", "= open at the end", end);
}
