/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The learned lead and deal scores (docs/scoring.md): snapshots, training, scoring and
 * evaluation. The decisions a reader cannot see from the code:
 *
 * - Snapshots are taken every step_days days, going back from the last day whose horizon is
 *   known (label day - horizon) to the first day a lead or deal was created. The label day is
 *   the as-of day, or the cut day when evaluating: no training label reads an event after it.
 * - Evaluation tests on the snapshots from the cut day to as-of - horizon (their labels are
 *   known on the as-of day), the same step apart. The default cut leaves 180 days of test
 *   snapshots: as-of - horizon - 180.
 * - The blend is the mean of the two models' logits (a geometric mean of their odds); its
 *   factors are each model's factors halved, so they still add up to its logit.
 * - The stage baseline of a deal is its stage's configured probability; leads have none
 *   configured, so theirs is the conversion rate of their stage in the training examples.
 * - A training (or test) set larger than max_examples is sampled down by a hash of row and
 *   day; the share kept is reported.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "revops/score_models.h"
#include "scoring/features.h"
#include "scoring/learn.h"

static const char *const model_names[3] = {"blend", "bayes", "logistic"};

const char *revops_score_model_name(revops_model_kind m)
{
    return (unsigned)m < 3 ? model_names[m] : "?";
}

int revops_score_model_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, model_names[i]) == 0)
            return i;
    return -1;
}

typedef struct models {
    revops_nb nb;
    revops_lr lr;
    double lead_stage_rate[4]; /* leads: the baseline by stage key */
} models;

/* The logit of example i under model `which`; contributions (q then p values) and the base
 * go to `contrib` and `base` when not NULL. */
static double predict(const models *m, revops_model_kind which, const revops_examples *e, size_t i,
                      double *contrib, double *base)
{
    double *cq = contrib, *cp = contrib ? contrib + e->q : NULL;
    const uint32_t *cat = e->c + i * e->q;
    const double *x = e->x + i * e->p;
    if (which == REVOPS_MODEL_BAYES) {
        if (base)
            *base = m->nb.base;
        if (cp)
            for (size_t j = 0; j < e->p; j++)
                cp[j] = 0;
        return revops_nb__logit(&m->nb, cat, cq);
    }
    if (which == REVOPS_MODEL_LOGISTIC) {
        if (base)
            *base = m->lr.intercept;
        if (cq)
            for (size_t f = 0; f < e->q; f++)
                cq[f] = 0;
        return revops_lr__logit(&m->lr, x, cp);
    }
    double a = revops_nb__logit(&m->nb, cat, cq), b = revops_lr__logit(&m->lr, x, cp);
    if (contrib)
        for (size_t k = 0; k < e->q + e->p; k++)
            contrib[k] *= 0.5;
    if (base)
        *base = 0.5 * (m->nb.base + m->lr.intercept);
    return 0.5 * (a + b);
}

static revops_day first_created(const revops_fctx *f)
{
    const revops_dataset *ds = f->c->ds;
    const revops_time *t =
        f->subject == REVOPS_SCORE_DEALS ? ds->opportunity.created_at : ds->lead.created_at;
    size_t n = f->subject == REVOPS_SCORE_DEALS ? ds->opportunity.n : ds->lead.n;
    revops_time first = REVOPS_NO_TIME;
    for (size_t i = 0; i < n; i++)
        if (t[i] != REVOPS_NO_TIME && (first == REVOPS_NO_TIME || t[i] < first))
            first = t[i];
    return first == REVOPS_NO_TIME ? REVOPS_NO_DAY : revops_time_day(first);
}

/*
 * The examples of the snapshots last, last - step, ... down to `first` (at most the cap, by
 * sampling), labelled over `horizon` days; fills the slice's counts.
 */
static int build_slice(revops_fctx *f, revops_examples *ex, revops_model_slice *sl,
                       revops_day first, revops_day last, int step, int horizon, size_t cap)
{
    memset(sl, 0, sizeof(*sl));
    sl->from = sl->to = REVOPS_NO_DAY;
    sl->labels_until = last + horizon;
    size_t total = 0;
    for (revops_day d = last; d >= first; d -= step)
        total += revops_features__count_open(f, d);
    double sample = cap && total > cap ? (double)cap / (double)total : 1.0;
    sl->sample = sample;
    int rc = 0;
    for (revops_day d = last; d >= first && !rc; d -= step) {
        size_t before = ex->n;
        rc = revops_features__snapshot(f, ex, d, horizon, sample);
        sl->snapshots++;
        if (ex->n > before) {
            sl->from = d;
            if (sl->to == REVOPS_NO_DAY)
                sl->to = d;
        }
    }
    sl->examples = ex->n;
    for (size_t i = 0; i < ex->n; i++)
        sl->positives += ex->y[i];
    return rc;
}

static int train(models *m, revops_model_scores *s, const revops_fctx *f, revops_examples *ex)
{
    const char *what = f->subject == REVOPS_SCORE_DEALS ? "deals" : "leads";
    if (ex->n == 0)
        return revops_error__set(REVOPS_EINVALID,
                                 "no %s were open on any training snapshot day (%d days apart, up "
                                 "to the horizon before %s): too little history to learn from",
                                 what, s->step_days,
                                 s->evaluated ? "the cut day" : "the as-of day");
    int rc = revops_nb__fit(&m->nb, ex->c, ex->y, ex->n, ex->q, s->prior);
    if (!rc)
        rc = revops_lr__fit(&m->lr, ex->x, ex->y, ex->n, ex->p, s->l2);
    if (rc) {
        revops_error__prefix("training the %s model on %zu snapshot examples", what, ex->n);
        return rc;
    }
    /* Leads: the stage baseline is the stage's rate in training. */
    size_t pos[4] = {0}, all[4] = {0};
    if (f->subject == REVOPS_SCORE_LEADS) {
        for (size_t i = 0; i < ex->n; i++) {
            uint32_t st = ex->c[i * ex->q + LC_STAGE];
            pos[st] += ex->y[i];
            all[st]++;
        }
        double overall = (double)s->train.positives / (double)ex->n;
        for (int st = 0; st < 4; st++)
            m->lead_stage_rate[st] = all[st] ? (double)pos[st] / (double)all[st] : overall;
    }
    s->intercept = m->lr.intercept;
    s->bayes_base = m->nb.base;
    s->iterations = m->lr.iterations;
    s->nfeatures = ex->p;
    s->nfields = ex->q;
    s->features = calloc(ex->p ? ex->p : 1, sizeof(*s->features));
    s->fields = calloc(ex->q ? ex->q : 1, sizeof(*s->fields));
    if (!s->features || !s->fields)
        return revops_error__oom();
    for (size_t j = 0; j < ex->p; j++)
        s->features[j] =
            (revops_model_feature){revops_feature__num_name(f->subject, j), m->lr.mean[j],
                                   m->lr.sd[j], m->lr.beta[j], m->lr.constant[j]};
    for (size_t k = 0; k < ex->q; k++)
        s->fields[k] =
            (revops_model_field){revops_feature__cat_name(f->subject, k), m->nb.fields[k].nvalues};
    return 0;
}

static void set_baselines(const models *m, const revops_fctx *f, revops_examples *ex)
{
    if (f->subject != REVOPS_SCORE_LEADS)
        return;
    for (size_t i = 0; i < ex->n; i++)
        ex->baseline[i] = m->lead_stage_rate[ex->c[i * ex->q + LC_STAGE] & 3];
}

static int measure(revops_model_measures *out, const double *p, const uint8_t *y, size_t n)
{
    out->log_loss = revops_eval__log_loss(p, y, n);
    out->brier = revops_eval__brier(p, y, n);
    return revops_eval__auc(&out->auc, p, y, n);
}

static int evaluate(revops_model_scores *s, const models *m, const revops_examples *test)
{
    double *p = malloc((test->n ? test->n : 1) * sizeof(*p));
    if (!p)
        return revops_error__oom();
    int rc = 0;
    for (int which = 0; which < 3 && !rc; which++) {
        for (size_t i = 0; i < test->n; i++)
            p[i] = revops_eval__sigmoid(predict(m, (revops_model_kind)which, test, i, NULL, NULL));
        rc = measure(&s->measures[which], p, test->y, test->n);
        if (!rc && which == (int)s->model) {
            revops_calibration_bin bins[10];
            rc = revops_eval__calibration(bins, &s->ncalibration, 10, p, test->y, test->n);
            for (size_t k = 0; k < s->ncalibration; k++)
                s->calibration[k] =
                    (revops_model_bin){bins[k].predicted, bins[k].observed, bins[k].count};
        }
    }
    if (!rc) {
        /* The stage baseline; a deal in an unknown stage reads as the base rate of training. */
        double rate =
            s->train.examples ? (double)s->train.positives / (double)s->train.examples : 0.5;
        for (size_t i = 0; i < test->n; i++)
            p[i] = isnan(test->baseline[i]) ? rate : test->baseline[i];
        rc = measure(&s->baseline, p, test->y, test->n);
    }
    free(p);
    return rc;
}

typedef struct ranked {
    double logit;
    const char *id;
    size_t index;
} ranked;

static int best_first(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->logit != y->logit)
        return x->logit > y->logit ? -1 : 1;
    return strcmp(x->id, y->id);
}

typedef struct factor_order {
    double c;
    size_t k;
} factor_order;

static int by_size(const void *a, const void *b)
{
    const factor_order *x = a, *y = b;
    double ax = fabs(x->c), ay = fabs(y->c);
    if (ax != ay)
        return ax > ay ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

static const char *item_id(const revops_fctx *f, uint32_t row)
{
    const revops_dataset *ds = f->c->ds;
    return revops_dataset__str(ds, f->subject == REVOPS_SCORE_DEALS ? ds->opportunity.id[row]
                                                                    : ds->lead.id[row]);
}

static int score(revops_model_scores *s, const models *m, const revops_fctx *f,
                 const revops_examples *ex, size_t top)
{
    size_t n = ex->n, width = ex->q + ex->p;
    ranked *r = malloc((n ? n : 1) * sizeof(*r));
    double *contrib = malloc((width ? width : 1) * sizeof(*contrib));
    factor_order *order = malloc((width ? width : 1) * sizeof(*order));
    int rc = 0;
    if (!r || !contrib || !order) {
        rc = revops_error__oom();
        goto done;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        r[i].logit = predict(m, s->model, ex, i, NULL, NULL);
        r[i].id = item_id(f, ex->row[i]);
        r[i].index = i;
        sum += revops_eval__sigmoid(r[i].logit);
    }
    s->scored = n;
    s->mean_probability = n ? sum / (double)n : NAN;
    qsort(r, n, sizeof(*r), best_first);
    s->nitems = top && top < n ? top : n;
    s->items = calloc(s->nitems ? s->nitems : 1, sizeof(*s->items));
    s->factors = calloc(s->nitems * width + 1, sizeof(*s->factors));
    if (!s->items || !s->factors) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t k = 0; k < s->nitems; k++) {
        size_t i = r[k].index;
        revops_model_item *it = &s->items[k];
        it->id = r[k].id;
        it->logit = predict(m, s->model, ex, i, contrib, &it->base);
        it->probability = revops_eval__sigmoid(it->logit);
        it->baseline = ex->baseline[i];
        uint32_t st = ex->c[i * ex->q + 0]; /* the stage is field 0 of both subjects */
        it->stage = revops_feature__cat_value(f, 0, st);
        it->first = s->nfactors;
        size_t nf = 0;
        for (size_t j = 0; j < width; j++) {
            int used =
                j < ex->q ? s->model != REVOPS_MODEL_LOGISTIC : s->model != REVOPS_MODEL_BAYES;
            if (used)
                order[nf++] = (factor_order){contrib[j], j};
        }
        qsort(order, nf, sizeof(*order), by_size);
        for (size_t t = 0; t < nf; t++) {
            size_t j = order[t].k;
            revops_model_factor *fa = &s->factors[s->nfactors++];
            fa->contribution = order[t].c;
            if (j < ex->q) {
                fa->name = revops_feature__cat_name(f->subject, j);
                fa->value = revops_feature__cat_value(f, j, ex->c[i * ex->q + j]);
                fa->x = NAN;
            } else {
                fa->name = revops_feature__num_name(f->subject, j - ex->q);
                fa->value = NULL;
                fa->x = ex->x[i * ex->p + (j - ex->q)];
            }
        }
        it->n = nf;
    }
done:
    free(r);
    free(contrib);
    free(order);
    return rc;
}

static int check_options(const revops_model_options *o)
{
    if (o->subject != REVOPS_SCORE_LEADS && o->subject != REVOPS_SCORE_DEALS)
        return revops_error__set(REVOPS_EINVALID, "nothing to score: leads or deals");
    if ((unsigned)o->model > REVOPS_MODEL_LOGISTIC)
        return revops_error__set(REVOPS_EINVALID, "no such model");
    if (o->horizon_days < 0 || o->horizon_days > 3660)
        return revops_error__set(REVOPS_EINVALID, "the horizon must be 1 to 3660 days");
    if (o->step_days < 1 || o->step_days > 3660)
        return revops_error__set(REVOPS_EINVALID, "snapshots must be 1 to 3660 days apart");
    if (!(o->l2 >= 0) || !isfinite(o->l2) || !(o->prior >= 0) || !isfinite(o->prior))
        return revops_error__set(REVOPS_EINVALID, "the penalty and the prior must be at least 0");
    return 0;
}

int revops_score_model(revops_model_scores **out, const revops_dataset *ds,
                       const revops_config *cfg, const revops_model_options *opts)
{
    *out = NULL;
    revops_model_options def = REVOPS_MODEL_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    int rc = check_options(opts);
    if (rc)
        return rc;
    revops_model_scores *s = calloc(1, sizeof(*s));
    if (!s)
        return revops_error__oom();
    revops_actx c;
    revops_fctx f;
    models m;
    revops_examples train_ex = {0}, other = {0};
    int have_c = 0, have_f = 0;
    memset(&m, 0, sizeof(m));
    s->subject = opts->subject;
    s->model = opts->model;
    s->horizon_days = opts->horizon_days                    ? opts->horizon_days
                      : opts->subject == REVOPS_SCORE_DEALS ? 180
                                                            : 90;
    s->step_days = opts->step_days;
    s->l2 = opts->l2;
    s->prior = opts->prior;
    s->evaluated = opts->evaluate;
    s->mean_probability = NAN;
    s->cut = REVOPS_NO_DAY;

    revops_analysis_options ao = REVOPS_ANALYSIS_OPTIONS_INIT;
    if (cfg)
        revops_config_analysis_options(cfg, &ao);
    ao.as_of = opts->as_of;
    if (opts->currency)
        ao.currency = opts->currency;
    if ((rc =
             revops_actx__init_for(&c, ds, &ao, REVOPS_ACTX_ACTIVITY_INDEX | REVOPS_ACTX_LEAD_MAP)))
        goto done;
    have_c = 1;
    s->as_of = c.as_of;
    if ((rc = revops_fctx__init(&f, &c, opts->subject)))
        goto done;
    have_f = 1;
    s->stages = c.stages;
    f.names = &s->stages;
    const char *what = opts->subject == REVOPS_SCORE_DEALS ? "deals" : "leads";
    revops_day first = first_created(&f), h = s->horizon_days;
    if (first == REVOPS_NO_DAY) {
        rc = revops_error__set(REVOPS_EINVALID, "the data hold no %s to learn from", what);
        goto done;
    }
    revops_day label_day = c.as_of;
    if (opts->evaluate) {
        s->cut = opts->cut != REVOPS_NO_DAY ? opts->cut : c.as_of - h - 180;
        char a[REVOPS_DAY_TEXT_MAX], b[REVOPS_DAY_TEXT_MAX];
        if (s->cut > c.as_of - h) {
            revops_day_format(s->cut, a);
            revops_day_format(c.as_of - h, b);
            rc = revops_error__set(REVOPS_EINVALID,
                                   "the cut day %s leaves no test snapshot: it must be on or "
                                   "before %s (the as-of day less the %d-day horizon)",
                                   a, b, s->horizon_days);
            goto done;
        }
        label_day = s->cut;
    }
    if (label_day - h < first) {
        char a[REVOPS_DAY_TEXT_MAX], b[REVOPS_DAY_TEXT_MAX];
        revops_day_format(first, a);
        revops_day_format(label_day, b);
        rc = revops_error__set(REVOPS_EINVALID,
                               "too little history to train on: the first of the %s was created "
                               "on %s, and a snapshot needs its %d-day horizon to have ended by "
                               "%s",
                               what, a, s->horizon_days, b);
        goto done;
    }
    if ((rc = build_slice(&f, &train_ex, &s->train, first, label_day - h, s->step_days, h,
                          opts->max_examples)) ||
        (rc = train(&m, s, &f, &train_ex)))
        goto done;
    if (opts->evaluate) {
        /* The test snapshots: from as-of - horizon back to the cut day, labels known on the
         * as-of day. */
        if ((rc = build_slice(&f, &other, &s->test, s->cut, c.as_of - h, s->step_days, h,
                              opts->max_examples)))
            goto done;
        set_baselines(&m, &f, &other);
        rc = evaluate(s, &m, &other);
    } else {
        if ((rc = revops_features__snapshot(&f, &other, c.as_of, 0, 1.0)))
            goto done;
        set_baselines(&m, &f, &other);
        rc = score(s, &m, &f, &other, opts->top);
    }
done:
    revops_examples__free(&train_ex);
    revops_examples__free(&other);
    revops_nb__free(&m.nb);
    revops_lr__free(&m.lr);
    if (have_f)
        revops_fctx__free(&f);
    if (have_c)
        revops_actx__free(&c);
    if (rc) {
        revops_model_scores_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void revops_model_scores_free(revops_model_scores *s)
{
    if (!s)
        return;
    free(s->features);
    free(s->fields);
    free(s->items);
    free(s->factors);
    free(s);
}
