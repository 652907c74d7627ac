/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Churn risk and expansion of paying accounts as weighted signals (docs/scoring.md "Churn
 * risk and expansion"; docs/metrics.md "Scores"). Every signal is in [0, 1] and read as known
 * at the end of the as-of day D:
 *
 * Churn risk (weights revops.analytics.scoring.churn.weights):
 *   usage_decline         clamp(1 - usage of the last 3 months / usage of the 3 before), per
 *                         usage metric, averaged over the metrics used in the earlier months
 *   ticket_increase       clamp((tickets opened in the last 90 days - in the 90 before)
 *                         / max(the 90 before, 1))
 *   engagement_reduction  clamp(1 - activities in the last 90 days / max(in the 90 before, 1))
 *   payment_delays        clamp(mean days late of the invoices issued in the last 180 days / 30)
 * Expansion (weights revops.analytics.scoring.expansion.weights):
 *   feature_adoption      the share of the usage metrics in the data that the account used in
 *                         the last 3 months
 *   user_growth           clamp(MRR on D / MRR 90 days before - 1)
 *   success_metrics       1 - the churn risk
 *   timing                clamp(days since its latest subscription item started / 365)
 *
 * Decisions a reader cannot see from the code:
 * - Usage is monthly: "the last 3 months" are the three complete months up to D (the month of D
 *   counts when D is its last day), "the 3 before" the three months before those.
 * - An invoice is late by (paid - due) days when paid by D, by (D - due) when still unpaid and
 *   due by D; an unpaid invoice not yet due, a void one, or one without a due date says
 *   nothing. Paid early counts as 0 days.
 * - Tickets and activities are compared only for an account that was already paying 180 days
 *   before D: before that the earlier 90 days are those of a prospect, whose tickets were none
 *   and whose activities were the sales team's, and every new customer would look at risk.
 * - A signal that cannot be computed (no earlier usage, not paying 180 days ago, no invoice
 *   that says anything, no MRR 90 days ago) is left out and the others' weights renormalised,
 *   as the forecast does with its methods; with none left the account has no score.
 * - MRR is that of the subscription items active on the day (start_date <= day < end_date),
 *   each converted at the rate of its start_date, as in the recurring-revenue sections.
 * - Evaluation: an account churned when it had MRR on D and none on D + 90; it expanded when
 *   its MRR on D + 90 is above that of D. Items are read as the data hold them on their latest
 *   day: that is the future the score is measured against.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/context.h"
#include "core/buf.h"
#include "core/error.h"
#include "revops/score_accounts.h"
#include "scoring/learn.h"

#define HORIZON 90

static const char *const churn_names[REVOPS_ACCOUNT_SIGNALS] = {
    "usage_decline", "ticket_increase", "engagement_reduction", "payment_delays"};
static const char *const expansion_names[REVOPS_ACCOUNT_SIGNALS] = {
    "feature_adoption", "user_growth", "success_metrics", "timing"};

const char *revops_account_signal_name(revops_account_score_kind kind, int k)
{
    if (k < 0 || k >= REVOPS_ACCOUNT_SIGNALS)
        return "?";
    return kind == REVOPS_ACCOUNT_CHURN ? churn_names[k] : expansion_names[k];
}

/* Rows of a table by account: rows[start[a] .. start[a + 1]). */
typedef struct by_account {
    size_t *start;
    uint32_t *rows;
} by_account;

typedef struct acx {
    revops_actx *c;
    size_t naccounts;
    by_account items, usage, tickets, acts, invoices;
    revops_month recent_last; /* the last complete month on D */
    size_t nmetrics;          /* usage metrics seen up to recent_last */
    revops_str void_str;      /* the invoice status "void" (0: no invoice has it) */
    double weights[2][REVOPS_ACCOUNT_SIGNALS];
} acx;

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static int index_by_account(by_account *b, const revops_idmap *m, const revops_str *acc, size_t n,
                            size_t naccounts)
{
    b->start = calloc(naccounts + 2, sizeof(*b->start));
    b->rows = malloc((n ? n : 1) * sizeof(*b->rows));
    int32_t *owner = malloc((n ? n : 1) * sizeof(*owner));
    if (!b->start || !b->rows || !owner) {
        free(owner);
        return revops_error__oom();
    }
    for (size_t r = 0; r < n; r++) {
        int64_t a = revops_idmap__get(m, acc[r]);
        owner[r] = (int32_t)a;
        if (a >= 0)
            b->start[a + 2]++;
    }
    for (size_t i = 2; i < naccounts + 2; i++)
        b->start[i] += b->start[i - 1];
    for (size_t r = 0; r < n; r++)
        if (owner[r] >= 0)
            b->rows[b->start[owner[r] + 1]++] = (uint32_t)r;
    free(owner);
    return 0;
}

static void by_account_free(by_account *b)
{
    free(b->start);
    free(b->rows);
}

/* The account's MRR on `day` in reporting minor units. */
static int64_t mrr_on(acx *x, size_t a, revops_day day)
{
    const revops_subscription_item_table *t = &x->c->ds->subscription_item;
    int64_t sum = 0;
    for (size_t k = x->items.start[a]; k < x->items.start[a + 1]; k++) {
        uint32_t r = x->items.rows[k];
        if (t->start_date[r] == REVOPS_NO_DAY || t->start_date[r] > day)
            continue;
        if (t->end_date[r] != REVOPS_NO_DAY && t->end_date[r] <= day)
            continue;
        sum += revops_actx__money(x->c, t->mrr[r], t->currency[r], t->start_date[r]);
    }
    return sum;
}

/* Events of the account's rows at times `at` in the windows (D - 90, D] and (D - 180, D - 90]. */
static void count_windows(const by_account *b, size_t a, const revops_time *at, revops_day day,
                          double *recent, double *prior)
{
    revops_time end = revops_actx__day_end(day), mid = end - HORIZON * 86400LL,
                start = mid - HORIZON * 86400LL;
    size_t r1 = 0, r0 = 0;
    for (size_t k = b->start[a]; k < b->start[a + 1]; k++) {
        revops_time t = at[b->rows[k]];
        if (t == REVOPS_NO_TIME || t > end || t <= start)
            continue;
        if (t > mid)
            r1++;
        else
            r0++;
    }
    *recent = (double)r1;
    *prior = (double)r0;
}

typedef struct metric_sum {
    revops_str metric;
    double recent, prior;
} metric_sum;

/* Usage per metric in the recent and prior three months; returns how many metrics (up to
 * cap; more are rare and ignored). */
static size_t usage_sums(acx *x, size_t a, metric_sum *out, size_t cap)
{
    const revops_usage_table *u = &x->c->ds->usage;
    size_t n = 0;
    for (size_t k = x->usage.start[a]; k < x->usage.start[a + 1]; k++) {
        uint32_t r = x->usage.rows[k];
        revops_month m = u->period[r];
        if (m == REVOPS_NO_MONTH || m > x->recent_last || m <= x->recent_last - 6 ||
            isnan(u->value[r]))
            continue;
        size_t i = 0;
        while (i < n && out[i].metric != u->metric[r])
            i++;
        if (i == n) {
            if (n == cap)
                continue;
            out[n++] = (metric_sum){u->metric[r], 0, 0};
        }
        if (m > x->recent_last - 3)
            out[i].recent += u->value[r];
        else
            out[i].prior += u->value[r];
    }
    return n;
}

static void set_na(revops_account_signal *s, const char *reason)
{
    s->value = NAN;
    s->reason = reason;
}

/* The four churn signals of account a on day D. */
static void churn_signals(acx *x, size_t a, revops_day day, revops_account_signal *s)
{
    const revops_dataset *ds = x->c->ds;
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++) {
        s[k] = (revops_account_signal){churn_names[k], NAN, NULL, x->weights[0][k], 0, NAN, NAN};
    }
    metric_sum ms[32];
    size_t nm = usage_sums(x, a, ms, 32);
    double decline = 0, recent = 0, prior = 0;
    size_t used = 0;
    for (size_t i = 0; i < nm; i++) {
        recent += ms[i].recent;
        prior += ms[i].prior;
        if (ms[i].prior > 0) {
            decline += clamp01(1.0 - ms[i].recent / ms[i].prior);
            used++;
        }
    }
    s[0].recent = recent;
    s[0].prior = prior;
    if (used)
        s[0].value = decline / (double)used;
    else
        set_na(&s[0], "no usage in the three months before the last three");
    count_windows(&x->tickets, a, ds->ticket.opened_at, day, &s[1].recent, &s[1].prior);
    count_windows(&x->acts, a, ds->activity.at, day, &s[2].recent, &s[2].prior);
    if (mrr_on(x, a, day - 2 * HORIZON) > 0) {
        s[1].value = clamp01((s[1].recent - s[1].prior) / fmax(s[1].prior, 1.0));
        s[2].value = clamp01(1.0 - s[2].recent / fmax(s[2].prior, 1.0));
    } else {
        set_na(&s[1], "not a customer 180 days before: no earlier 90 days to compare");
        set_na(&s[2], "not a customer 180 days before: no earlier 90 days to compare");
    }
    /* Payment delays over the invoices issued in the last 180 days. */
    const revops_invoice_table *inv = &ds->invoice;
    revops_time end = revops_actx__day_end(day), from = end - 2 * HORIZON * 86400LL;
    double late = 0;
    size_t counted = 0;
    revops_str void_str = x->void_str;
    for (size_t k = x->invoices.start[a]; k < x->invoices.start[a + 1]; k++) {
        uint32_t r = x->invoices.rows[k];
        if (inv->issued_at[r] == REVOPS_NO_TIME || inv->issued_at[r] > end ||
            inv->issued_at[r] <= from || inv->due_at[r] == REVOPS_NO_TIME ||
            (void_str && inv->status[r] == void_str))
            continue;
        revops_day due = revops_time_day(inv->due_at[r]);
        if (inv->paid_at[r] != REVOPS_NO_TIME && inv->paid_at[r] <= end) {
            revops_day paid = revops_time_day(inv->paid_at[r]);
            late += paid > due ? (double)(paid - due) : 0.0;
        } else if (due <= day) {
            late += (double)(day - due);
        } else {
            continue; /* unpaid, not due yet */
        }
        counted++;
    }
    s[3].recent = counted ? late / (double)counted : NAN;
    s[3].prior = (double)counted;
    if (counted)
        s[3].value = clamp01(late / (double)counted / 30.0);
    else
        set_na(&s[3], "no invoice of the last 180 days was due or paid");
}

/* The weighted mean of the known signals, with each one's contribution. */
static double combine(revops_account_signal *s)
{
    double wsum = 0, sum = 0;
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++)
        if (!isnan(s[k].value))
            wsum += s[k].weight;
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++) {
        if (isnan(s[k].value) || !(wsum > 0)) {
            s[k].contribution = 0;
            continue;
        }
        s[k].contribution = s[k].weight * s[k].value / wsum;
        sum += s[k].contribution;
    }
    return wsum > 0 ? sum : NAN;
}

static void expansion_signals(acx *x, size_t a, revops_day day, double risk, int64_t mrr,
                              revops_account_signal *s)
{
    const revops_subscription_item_table *t = &x->c->ds->subscription_item;
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++)
        s[k] =
            (revops_account_signal){expansion_names[k], NAN, NULL, x->weights[1][k], 0, NAN, NAN};
    metric_sum ms[32];
    size_t nm = usage_sums(x, a, ms, 32), adopted = 0;
    for (size_t i = 0; i < nm; i++)
        adopted += ms[i].recent > 0;
    s[0].recent = (double)adopted;
    s[0].prior = (double)x->nmetrics;
    if (x->nmetrics)
        s[0].value = clamp01((double)adopted / (double)x->nmetrics);
    else
        set_na(&s[0], "the data hold no usage up to the last complete month");
    int64_t before = mrr_on(x, a, day - HORIZON);
    s[1].recent = (double)mrr;
    s[1].prior = (double)before;
    if (before > 0)
        s[1].value = clamp01((double)mrr / (double)before - 1.0);
    else
        set_na(&s[1], "no MRR 90 days before");
    s[2].recent = risk;
    if (!isnan(risk))
        s[2].value = 1.0 - risk;
    else
        set_na(&s[2], "no churn risk");
    revops_day latest = REVOPS_NO_DAY;
    for (size_t k = x->items.start[a]; k < x->items.start[a + 1]; k++) {
        revops_day st = t->start_date[x->items.rows[k]];
        if (st != REVOPS_NO_DAY && st <= day && (latest == REVOPS_NO_DAY || st > latest))
            latest = st;
    }
    if (latest != REVOPS_NO_DAY) {
        s[3].recent = (double)(day - latest);
        s[3].value = clamp01((double)(day - latest) / 365.0);
    } else {
        set_na(&s[3], "no subscription item started");
    }
}

/* Scores account a fully: its signals, score and MRR; returns 0 when it is no customer. */
static int score_account(acx *x, revops_account_score_kind kind, size_t a, revops_day day,
                         revops_account_score *out)
{
    int64_t mrr = mrr_on(x, a, day);
    if (mrr <= 0)
        return 0;
    memset(out, 0, sizeof(*out));
    out->mrr = mrr;
    churn_signals(x, a, day, out->signals);
    double risk = combine(out->signals);
    out->score = risk;
    if (kind == REVOPS_ACCOUNT_EXPANSION) {
        expansion_signals(x, a, day, risk, mrr, out->signals);
        out->score = combine(out->signals);
    }
    return 1;
}

typedef struct ranked {
    double score;
    const char *id;
    uint32_t account;
    int outcome;
    double signal[REVOPS_ACCOUNT_SIGNALS];
} ranked;

static int highest_first(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int xn = isnan(x->score), yn = isnan(y->score);
    if (xn != yn)
        return xn - yn; /* unscored last */
    if (!xn && x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int evaluate(revops_account_scores *s, const ranked *r, size_t n)
{
    double *v = malloc((n ? n : 1) * sizeof(*v));
    uint8_t *y = malloc((n ? n : 1) * sizeof(*y));
    int rc = 0;
    if (!v || !y) {
        rc = revops_error__oom();
        goto done;
    }
    for (int k = -1; k < REVOPS_ACCOUNT_SIGNALS && !rc; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            double val = k < 0 ? r[i].score : r[i].signal[k];
            if (isnan(val))
                continue;
            v[m] = val;
            y[m++] = (uint8_t)r[i].outcome;
        }
        rc = revops_eval__auc(k < 0 ? &s->auc : &s->signal_auc[k], v, y, m);
    }
done:
    free(v);
    free(y);
    return rc;
}

static void load_weights(acx *x, const revops_config *cfg)
{
    double cw[4] = {cfg->churn_weights.usage_decline, cfg->churn_weights.ticket_increase,
                    cfg->churn_weights.engagement_reduction, cfg->churn_weights.payment_delays};
    double ew[4] = {cfg->expansion_weights.feature_adoption, cfg->expansion_weights.user_growth,
                    cfg->expansion_weights.success_metrics, cfg->expansion_weights.timing};
    memcpy(x->weights[0], cw, sizeof(cw));
    memcpy(x->weights[1], ew, sizeof(ew));
}

/* The usage metrics seen in months up to the last complete one. */
static int count_metrics(acx *x)
{
    const revops_usage_table *u = &x->c->ds->usage;
    revops_str *seen = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (size_t r = 0; r < u->n && !rc; r++) {
        if (u->period[r] == REVOPS_NO_MONTH || u->period[r] > x->recent_last)
            continue;
        size_t i = 0;
        while (i < n && seen[i] != u->metric[r])
            i++;
        if (i < n)
            continue;
        if (n == 1024)
            break; /* more metrics than any product has: the share stays meaningful */
        if (!(rc = revops_array__grow((void **)&seen, &cap, n + 1, sizeof(*seen))))
            seen[n++] = u->metric[r];
    }
    free(seen);
    x->nmetrics = n;
    return rc;
}

int revops_score_accounts(revops_account_scores **out, const revops_dataset *ds,
                          const revops_config *cfg, const revops_account_score_options *opts)
{
    *out = NULL;
    revops_account_score_options def = REVOPS_ACCOUNT_SCORE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    revops_config *own = NULL;
    revops_account_scores *s = calloc(1, sizeof(*s));
    ranked *r = NULL;
    acx x;
    revops_actx c;
    int have_c = 0, rc = 0;
    memset(&x, 0, sizeof(x));
    if (!s)
        return revops_error__oom();
    if (!cfg) {
        if ((rc = revops_config_default(&own)))
            goto done;
        cfg = own;
    }
    s->kind = opts->kind;
    s->mean_score = NAN;
    s->auc = NAN;
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++)
        s->signal_auc[k] = NAN;
    s->threshold = cfg->expansion_threshold;
    revops_analysis_options ao = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_config_analysis_options(cfg, &ao);
    ao.as_of = opts->as_of;
    if (opts->currency)
        ao.currency = opts->currency;
    revops_day latest = revops_dataset_latest_day(ds);
    if (opts->evaluate && ao.as_of == REVOPS_NO_DAY && latest != REVOPS_NO_DAY)
        ao.as_of = latest - HORIZON;
    if ((rc = revops_actx__init_for(&c, ds, &ao, 0)))
        goto done;
    have_c = 1;
    revops_day day = c.as_of;
    s->as_of = day;
    snprintf(s->currency, sizeof(s->currency), "%s", c.currency);
    s->exponent = c.exponent;
    if (opts->evaluate) {
        s->evaluated = 1;
        s->horizon_days = HORIZON;
        if (latest == REVOPS_NO_DAY || latest < day + HORIZON) {
            char a[REVOPS_DAY_TEXT_MAX], b[REVOPS_DAY_TEXT_MAX] = "(none)";
            revops_day_format(day + HORIZON, a);
            if (latest != REVOPS_NO_DAY)
                revops_day_format(latest, b);
            rc = revops_error__set(REVOPS_EINVALID,
                                   "evaluating needs the data to reach %s, 90 days past the as-of "
                                   "day; they end on %s: give an earlier --as-of",
                                   a, b);
            goto done;
        }
    }
    x.c = &c;
    x.naccounts = ds->account.n;
    load_weights(&x, cfg);
    memcpy(s->weights, x.weights[s->kind == REVOPS_ACCOUNT_CHURN ? 0 : 1], sizeof(s->weights));
    if (revops_strpool__find(&ds->strings, "void", 4, &x.void_str))
        x.void_str = 0;
    revops_month m = revops_day_month(day);
    x.recent_last = day == revops_month_last_day(m) ? m : m - 1;
    if ((rc = index_by_account(&x.items, &c.account_by_id, ds->subscription_item.account_id,
                               ds->subscription_item.n, x.naccounts)) ||
        (rc = index_by_account(&x.usage, &c.account_by_id, ds->usage.account_id, ds->usage.n,
                               x.naccounts)) ||
        (rc = index_by_account(&x.tickets, &c.account_by_id, ds->ticket.account_id, ds->ticket.n,
                               x.naccounts)) ||
        (rc = index_by_account(&x.acts, &c.account_by_id, ds->activity.account_id, ds->activity.n,
                               x.naccounts)) ||
        (rc = index_by_account(&x.invoices, &c.account_by_id, ds->invoice.account_id, ds->invoice.n,
                               x.naccounts)) ||
        (rc = count_metrics(&x)))
        goto done;
    r = malloc((x.naccounts ? x.naccounts : 1) * sizeof(*r));
    if (!r) {
        rc = revops_error__oom();
        goto done;
    }
    double sum = 0;
    for (size_t a = 0; a < x.naccounts; a++) {
        revops_account_score sc;
        if (!score_account(&x, s->kind, a, day, &sc))
            continue;
        ranked *k = &r[s->customers++];
        k->score = sc.score;
        k->id = revops_dataset__str(ds, ds->account.id[a]);
        k->account = (uint32_t)a;
        for (int i = 0; i < REVOPS_ACCOUNT_SIGNALS; i++)
            k->signal[i] = sc.signals[i].value;
        k->outcome = 0;
        if (s->evaluated) {
            int64_t later = mrr_on(&x, a, day + HORIZON);
            k->outcome = s->kind == REVOPS_ACCOUNT_CHURN ? later <= 0 : later > sc.mrr;
            s->outcomes += (size_t)k->outcome;
        }
        if (!isnan(sc.score)) {
            s->scored++;
            sum += sc.score;
            s->flagged += s->kind == REVOPS_ACCOUNT_EXPANSION && sc.score > s->threshold;
        }
    }
    if (s->scored)
        s->mean_score = sum / (double)s->scored;
    if (s->evaluated && (rc = evaluate(s, r, s->customers)))
        goto done;
    qsort(r, s->customers, sizeof(*r), highest_first);
    s->naccounts = opts->top && opts->top < s->customers ? opts->top : s->customers;
    s->accounts = calloc(s->naccounts ? s->naccounts : 1, sizeof(*s->accounts));
    if (!s->accounts) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < s->naccounts; i++) {
        revops_account_score *o = &s->accounts[i];
        score_account(&x, s->kind, r[i].account, day, o);
        o->account = r[i].id;
        o->name = revops_dataset__str(ds, ds->account.name[r[i].account]);
        o->outcome = r[i].outcome;
        o->flagged =
            s->kind == REVOPS_ACCOUNT_EXPANSION && !isnan(o->score) && o->score > s->threshold;
    }
done:
    free(r);
    by_account_free(&x.items);
    by_account_free(&x.usage);
    by_account_free(&x.tickets);
    by_account_free(&x.acts);
    by_account_free(&x.invoices);
    if (have_c)
        revops_actx__free(&c);
    revops_config_free(own);
    if (rc) {
        revops_account_scores_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void revops_account_scores_free(revops_account_scores *s)
{
    if (!s)
        return;
    free(s->accounts);
    free(s);
}
