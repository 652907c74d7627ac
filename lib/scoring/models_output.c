/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The learned scores as JSON and as text (docs/scoring.md "Output").
 */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "revops/score_models.h"

static void json_day(revops_json *j, const char *key, int32_t day)
{
    char text[REVOPS_DAY_TEXT_MAX];
    revops_json_key(j, key);
    if (day == REVOPS_NO_DAY) {
        revops_json_null(j);
    } else {
        revops_day_format(day, text);
        revops_json_string(j, text);
    }
}

/* A measure, or null with "<key>_reason" beside it. */
static void json_measure(revops_json *j, const char *key, double v, const char *reason)
{
    revops_json_key(j, key);
    revops_json_double(j, v);
    if (!isfinite(v)) {
        char k[64];
        snprintf(k, sizeof(k), "%s_reason", key);
        revops_json_key(j, k);
        revops_json_string(j, reason);
    }
}

static void json_slice(revops_json *j, const char *key, const revops_model_slice *sl)
{
    revops_json_key(j, key);
    revops_json_begin_object(j);
    revops_json_key(j, "examples");
    revops_json_int(j, (int64_t)sl->examples);
    revops_json_key(j, "positives");
    revops_json_int(j, (int64_t)sl->positives);
    revops_json_key(j, "snapshots");
    revops_json_int(j, (int64_t)sl->snapshots);
    json_day(j, "from", sl->from);
    json_day(j, "to", sl->to);
    json_day(j, "labels_until", sl->labels_until);
    revops_json_key(j, "sample");
    revops_json_double(j, sl->sample);
    revops_json_end_object(j);
}

static const char *no_auc_reason(const revops_model_slice *sl)
{
    if (sl->examples == 0)
        return "no test examples";
    return "the test examples hold one outcome only";
}

static void json_models(const revops_model_scores *s, revops_json *j)
{
    revops_json_key(j, "logistic");
    revops_json_begin_object(j);
    revops_json_key(j, "intercept");
    revops_json_double(j, s->intercept);
    revops_json_key(j, "l2");
    revops_json_double(j, s->l2);
    revops_json_key(j, "iterations");
    revops_json_int(j, s->iterations);
    revops_json_key(j, "features");
    revops_json_begin_array(j);
    for (size_t k = 0; k < s->nfeatures; k++) {
        const revops_model_feature *f = &s->features[k];
        revops_json_begin_object(j);
        revops_json_key(j, "name");
        revops_json_string(j, f->name);
        revops_json_key(j, "mean");
        revops_json_double(j, f->mean);
        revops_json_key(j, "sd");
        revops_json_double(j, f->sd);
        revops_json_key(j, "coefficient");
        revops_json_double(j, f->coefficient);
        revops_json_key(j, "constant");
        revops_json_bool(j, f->constant);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
    revops_json_key(j, "bayes");
    revops_json_begin_object(j);
    revops_json_key(j, "base");
    revops_json_double(j, s->bayes_base);
    revops_json_key(j, "prior");
    revops_json_double(j, s->prior);
    revops_json_key(j, "fields");
    revops_json_begin_array(j);
    for (size_t k = 0; k < s->nfields; k++) {
        revops_json_begin_object(j);
        revops_json_key(j, "name");
        revops_json_string(j, s->fields[k].name);
        revops_json_key(j, "values");
        revops_json_int(j, (int64_t)s->fields[k].values);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
}

static void json_evaluation(const revops_model_scores *s, revops_json *j)
{
    const char *reason = no_auc_reason(&s->test);
    const revops_model_measures *m = &s->measures[s->model];
    json_day(j, "cut", s->cut);
    json_slice(j, "test", &s->test);
    json_measure(j, "auc", m->auc, reason);
    json_measure(j, "log_loss", m->log_loss, "no test examples");
    json_measure(j, "brier", m->brier, "no test examples");
    revops_json_key(j, "calibration");
    revops_json_begin_array(j);
    for (size_t k = 0; k < s->ncalibration; k++) {
        revops_json_begin_object(j);
        revops_json_key(j, "predicted");
        revops_json_double(j, s->calibration[k].predicted);
        revops_json_key(j, "observed");
        revops_json_double(j, s->calibration[k].observed);
        revops_json_key(j, "count");
        revops_json_int(j, (int64_t)s->calibration[k].count);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    json_measure(j, "baseline_auc", s->baseline.auc, reason);
    json_measure(j, "baseline_log_loss", s->baseline.log_loss, "no test examples");
    json_measure(j, "baseline_brier", s->baseline.brier, "no test examples");
    revops_json_key(j, "models");
    revops_json_begin_object(j);
    for (int k = 0; k < 3; k++) {
        revops_json_key(j, revops_score_model_name((revops_model_kind)k));
        revops_json_begin_object(j);
        json_measure(j, "auc", s->measures[k].auc, reason);
        json_measure(j, "log_loss", s->measures[k].log_loss, "no test examples");
        json_measure(j, "brier", s->measures[k].brier, "no test examples");
        revops_json_end_object(j);
    }
    revops_json_end_object(j);
}

static void json_items(const revops_model_scores *s, revops_json *j)
{
    int deals = s->subject == REVOPS_SCORE_DEALS;
    revops_json_key(j, "scored");
    revops_json_int(j, (int64_t)s->scored);
    revops_json_key(j, "mean_probability");
    revops_json_double(j, s->mean_probability);
    revops_json_key(j, deals ? "deals" : "leads");
    revops_json_begin_array(j);
    for (size_t i = 0; i < s->nitems; i++) {
        const revops_model_item *it = &s->items[i];
        revops_json_begin_object(j);
        revops_json_key(j, deals ? "deal" : "lead");
        revops_json_string(j, it->id);
        revops_json_key(j, "stage");
        revops_json_string(j, it->stage);
        revops_json_key(j, "probability");
        revops_json_double(j, it->probability);
        revops_json_key(j, "logit");
        revops_json_double(j, it->logit);
        revops_json_key(j, "base");
        revops_json_double(j, it->base);
        revops_json_key(j, "baseline");
        revops_json_double(j, it->baseline);
        revops_json_key(j, "factors");
        revops_json_begin_array(j);
        for (size_t k = 0; k < it->n; k++) {
            const revops_model_factor *f = &s->factors[it->first + k];
            revops_json_begin_object(j);
            revops_json_key(j, "name");
            revops_json_string(j, f->name);
            if (f->value) {
                revops_json_key(j, "value");
                revops_json_string(j, f->value);
            } else {
                revops_json_key(j, "x");
                revops_json_double(j, f->x);
            }
            revops_json_key(j, "contribution");
            revops_json_double(j, f->contribution);
            revops_json_end_object(j);
        }
        revops_json_end_array(j);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
}

int revops_model_scores_write_json(const revops_model_scores *s, revops_json *j)
{
    revops_json_begin_object(j);
    json_day(j, "as_of", s->as_of);
    revops_json_key(j, "subject");
    revops_json_string(j, s->subject == REVOPS_SCORE_DEALS ? "deals" : "leads");
    revops_json_key(j, "model");
    revops_json_string(j, revops_score_model_name(s->model));
    revops_json_key(j, "horizon_days");
    revops_json_int(j, s->horizon_days);
    revops_json_key(j, "step_days");
    revops_json_int(j, s->step_days);
    json_slice(j, "train", &s->train);
    if (s->evaluated)
        json_evaluation(s, j);
    else
        json_items(s, j);
    json_models(s, j);
    revops_json_end_object(j);
    size_t len;
    return revops_json_text(j, &len) ? 0 : revops_error__set(REVOPS_ENOMEM, "writing the scores");
}

/* ---- text ---- */

static void day_text(int32_t day, char out[REVOPS_DAY_TEXT_MAX])
{
    if (day == REVOPS_NO_DAY)
        snprintf(out, REVOPS_DAY_TEXT_MAX, "-");
    else
        revops_day_format(day, out);
}

static void slice_text(FILE *fp, const char *what, const revops_model_slice *sl, const char *noun)
{
    char a[REVOPS_DAY_TEXT_MAX], b[REVOPS_DAY_TEXT_MAX], l[REVOPS_DAY_TEXT_MAX];
    day_text(sl->from, a);
    day_text(sl->to, b);
    day_text(sl->labels_until, l);
    fprintf(fp,
            "  %-6s %zu %s snapshots (%zu positive) on %zu days %s .. %s, outcomes known by %s\n",
            what, sl->examples, noun, sl->positives, sl->snapshots, a, b, l);
    if (sl->sample < 1)
        fprintf(fp, "         (a sample of %.1f %% of the open %ss on those days)\n",
                100 * sl->sample, noun);
}

static void measure_text(FILE *fp, const char *name, const revops_model_measures *m)
{
    char v[3][REVOPS_DOUBLE_TEXT_MAX];
    double x[3] = {m->auc, m->log_loss, m->brier};
    for (int k = 0; k < 3; k++) {
        if (isfinite(x[k]))
            snprintf(v[k], sizeof(v[k]), "%.4f", x[k]);
        else
            snprintf(v[k], sizeof(v[k]), "n/a");
    }
    fprintf(fp, "  %-22s %8s %9s %8s\n", name, v[0], v[1], v[2]);
}

static void factor_text(FILE *fp, const revops_model_factor *f)
{
    if (f->value)
        fprintf(fp, "%s=%s %+.2f", f->name, f->value[0] ? f->value : "(empty)", f->contribution);
    else if (isfinite(f->x))
        fprintf(fp, "%s %.3g %+.2f", f->name, f->x, f->contribution);
    else
        fprintf(fp, "%s n/a %+.2f", f->name, f->contribution);
}

int revops_model_scores_write_text(const revops_model_scores *s, FILE *fp)
{
    int deals = s->subject == REVOPS_SCORE_DEALS;
    const char *noun = deals ? "deal" : "lead";
    char day[REVOPS_DAY_TEXT_MAX];
    day_text(s->as_of, day);
    fprintf(fp, "%s scores as of %s: model %s, the chance to %s within %d days\n",
            deals ? "Deal win" : "Lead conversion", day, revops_score_model_name(s->model),
            deals ? "be won" : "convert", s->horizon_days);
    slice_text(fp, "train", &s->train, noun);
    if (s->evaluated) {
        slice_text(fp, "test", &s->test, noun);
        fprintf(fp, "\n  %-22s %8s %9s %8s\n", "model", "AUC", "log loss", "Brier");
        for (int k = 0; k < 3; k++) {
            char name[48];
            snprintf(name, sizeof(name), "%s%s", revops_score_model_name((revops_model_kind)k),
                     k == (int)s->model ? " (chosen)" : "");
            measure_text(fp, name, &s->measures[k]);
        }
        measure_text(fp, deals ? "stage probability" : "stage conversion rate", &s->baseline);
        fprintf(fp, "\nCalibration of %s (tenths of the test snapshots by prediction):\n",
                revops_score_model_name(s->model));
        fprintf(fp, "  %9s %9s %8s\n", "predicted", "observed", "count");
        for (size_t k = 0; k < s->ncalibration; k++)
            fprintf(fp, "  %9.3f %9.3f %8zu\n", s->calibration[k].predicted,
                    s->calibration[k].observed, s->calibration[k].count);
    } else {
        fprintf(fp, "  %zu open %s%s scored", s->scored, noun, s->scored == 1 ? "" : "s");
        if (s->scored)
            fprintf(fp, ", mean chance %.3f", s->mean_probability);
        fputs("\n\n", fp);
        size_t idw = 4, sw = 5;
        for (size_t i = 0; i < s->nitems; i++) {
            if (strlen(s->items[i].id) > idw)
                idw = strlen(s->items[i].id);
            if (strlen(s->items[i].stage) > sw)
                sw = strlen(s->items[i].stage);
        }
        if (s->nitems)
            fprintf(fp, "  %4s  %-*s  %-*s  %6s  %8s  %s\n", "rank", (int)idw, noun, (int)sw,
                    "stage", "chance", "baseline", "largest factors (logit)");
        for (size_t i = 0; i < s->nitems; i++) {
            const revops_model_item *it = &s->items[i];
            fprintf(fp, "  %4zu  %-*s  %-*s  %6.3f  %8.3f  ", i + 1, (int)idw, it->id, (int)sw,
                    it->stage[0] ? it->stage : "?", it->probability, it->baseline);
            for (size_t k = 0; k < it->n && k < 3; k++) {
                if (k)
                    fputs(", ", fp);
                factor_text(fp, &s->factors[it->first + k]);
            }
            fputc('\n', fp);
        }
        if (s->nitems < s->scored)
            fprintf(fp, "  ... %zu more (--top 0 lists them all)\n", s->scored - s->nitems);
    }
    fputs("\nLogistic regression (per standard deviation; intercept ", fp);
    fprintf(fp, "%.3f, %d Newton steps):\n", s->intercept, s->iterations);
    for (size_t k = 0; k < s->nfeatures; k++) {
        const revops_model_feature *f = &s->features[k];
        if (f->constant)
            fprintf(fp, "  %-26s constant in training: not used\n", f->name);
        else
            fprintf(fp, "  %-26s %+8.3f   (mean %.3g, sd %.3g)\n", f->name, f->coefficient, f->mean,
                    f->sd);
    }
    fprintf(fp, "Naive Bayes (base log odds %.3f, prior %g): ", s->bayes_base, s->prior);
    for (size_t k = 0; k < s->nfields; k++)
        fprintf(fp, "%s%s %zu values", k ? ", " : "", s->fields[k].name, s->fields[k].values);
    fputc('\n', fp);
    return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the scores failed") : 0;
}
