/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The KPI scorecard (docs/metrics.md "KPI scorecard"): each KPI's value from the section that
 * computes it, graded against its target, excellent and baseline levels. A KPI without data
 * says n/a and why.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analytics/analysis.h"
#include "core/error.h"
#include "revops/stats.h"

typedef enum unit { U_DAYS, U_RATIO, U_PERCENT, U_MONTHS, U_MINUTES } unit;

typedef struct kpi_def {
    const char *name;
    unit unit;
    int lower_is_better;
    double target, excellent, baseline; /* percents as fractions (0.32 for 32 %) */
} kpi_def;

/* The defaults of METRICS.md; revops_analysis_options.kpi_levels (from the configuration)
 * replace them KPI by KPI. */
static const kpi_def kpis[] = {
    {"velocity", U_DAYS, 1, 35, 30, 45},
    {"conversion", U_PERCENT, 0, 0.32, 0.35, 0.25},
    {"forecast_accuracy", U_PERCENT, 0, 0.90, 0.95, 0.75},
    {"coverage", U_RATIO, 0, 4.5, 5.0, 3.0},
    {"quota_attainment", U_PERCENT, 0, 1.05, 1.15, 0.90},
    {"activity_efficiency", U_PERCENT, 0, 0.85, 0.90, 0.70},
    {"deal_size_growth", U_PERCENT, 0, 0.15, 0.25, 0.05},
    {"ramp", U_DAYS, 1, 60, 45, 90},
    {"arr_growth", U_PERCENT, 0, 0.25, 0.35, 0.15},
    {"grr", U_PERCENT, 0, 0.95, 0.98, 0.90},
    {"nrr", U_PERCENT, 0, 1.15, 1.25, 1.05},
    {"cac_payback", U_MONTHS, 1, 12, 9, 18},
    {"lead_response", U_MINUTES, 1, 5, 2, 15},
    {"data_quality", U_PERCENT, 0, 0.95, 0.98, 0.85},
};

static const char *unit_name(unit u)
{
    static const char *const names[] = {"days", "ratio", "percent", "months", "minutes"};
    return names[u];
}

/* A value as a person reads it: percents as percents, days with one decimal. */
static void show(const kpi_def *d, double v, char *out, size_t cap)
{
    if (isnan(v))
        snprintf(out, cap, "n/a");
    else if (d->unit == U_PERCENT)
        snprintf(out, cap, "%.1f %%", v * 100.0);
    else if (d->unit == U_RATIO)
        snprintf(out, cap, "%.2f", v);
    else
        snprintf(out, cap, "%.1f %s", v, unit_name(d->unit));
}

/* "At or beyond" a level: at least it when higher is better, at most it when lower is. */
static int reaches(const kpi_def *d, double v, double level)
{
    return d->lower_is_better ? v <= level : v >= level;
}

static const char *grade(const kpi_def *d, double v)
{
    if (reaches(d, v, d->excellent))
        return "excellent";
    if (reaches(d, v, d->target))
        return "on_target";
    if (reaches(d, v, d->baseline))
        return "below_target";
    return "below_baseline";
}

/* Data quality describes the data as they are now, so it is graded only when the analysis
 * looks at the latest day (a past as-of day cannot know what has been fixed since). */
static void data_quality(revops_actx *c, revops_kpi_value *v)
{
    if (c->as_of != c->latest_day) {
        revops_kpi__na(v, "data quality describes the current data; analyse as of the latest "
                          "day to grade it");
        return;
    }
    /* The context computed the statistics beside its indexes. */
    if (c->stats_failed || !c->stats) {
        revops_kpi__na(v, "statistics could not be computed: %s",
                       c->stats_failed ? c->stats_error.message : "the context has none");
        return;
    }
    if (isnan(c->stats->data_quality))
        revops_kpi__na(v, "no record to check");
    else
        v->value = c->stats->data_quality;
}

int revops_kpi_default(size_t i, revops_kpi_levels *levels, const char **unit_out,
                       int *lower_is_better)
{
    if (i >= sizeof(kpis) / sizeof(kpis[0]))
        return REVOPS_ENOTFOUND;
    *levels =
        (revops_kpi_levels){kpis[i].name, kpis[i].target, kpis[i].excellent, kpis[i].baseline};
    if (unit_out)
        *unit_out = unit_name(kpis[i].unit);
    if (lower_is_better)
        *lower_is_better = kpis[i].lower_is_better;
    return 0;
}

/* The levels of KPI `d`, with those the options give in its place. */
static kpi_def levels_of(const revops_actx *c, const kpi_def *d)
{
    kpi_def out = *d;
    for (size_t i = 0; i < c->opts.nkpi_levels; i++) {
        const revops_kpi_levels *l = &c->opts.kpi_levels[i];
        if (l->name && strcmp(l->name, d->name) == 0) {
            out.target = l->target;
            out.excellent = l->excellent;
            out.baseline = l->baseline;
        }
    }
    return out;
}

static int check_levels(const revops_actx *c)
{
    for (size_t i = 0; i < c->opts.nkpi_levels; i++) {
        const char *name = c->opts.kpi_levels[i].name;
        size_t k = 0;
        while (k < sizeof(kpis) / sizeof(kpis[0]) && !(name && strcmp(kpis[k].name, name) == 0))
            k++;
        if (k == sizeof(kpis) / sizeof(kpis[0]))
            return revops_error__set(REVOPS_EINVALID, "no KPI '%s' in the scorecard",
                                     name ? name : "(null)");
    }
    return 0;
}

int revops_analytics__scorecard(revops_actx *c, revops_rt_node *root, const revops_kpi_values *k)
{
    int rc = check_levels(c);
    if (rc)
        return rc;
    revops_kpi_value dq;
    data_quality(c, &dq);
    const revops_kpi_value *values[] = {
        &k->sales_cycle_days,
        &k->win_rate,
        &k->forecast_accuracy,
        &k->coverage_ratio,
        &k->quota_attainment,
        &k->activity_efficiency,
        &k->deal_size_growth,
        &k->ramp_days,
        &k->arr_growth,
        &k->grr,
        &k->nrr,
        &k->cac_payback,
        &k->lead_response_minutes,
        &dq,
    };
    _Static_assert(sizeof(values) / sizeof(values[0]) == sizeof(kpis) / sizeof(kpis[0]),
                   "one value per KPI");
    revops_rt_node *n = revops_rt__section_first(root, "scorecard", "KPI scorecard");
    /* Numbers for JSON and CSV; the same numbers as a person reads them for text. */
    static const revops_rt_column cols[] = {
        {"name", "KPI", REVOPS_RT_TEXT, 0, 0},
        {"value", "value", REVOPS_RT_NUMBER, 3, REVOPS_RT_DATA_ONLY},
        {"value_text", "value", REVOPS_RT_TEXT, 0, REVOPS_RT_TEXT_ONLY},
        {"unit", "unit", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"grade", "grade", REVOPS_RT_TEXT, 0, 0},
        {"target", "target", REVOPS_RT_NUMBER, 2, REVOPS_RT_DATA_ONLY},
        {"excellent", "excellent", REVOPS_RT_NUMBER, 2, REVOPS_RT_DATA_ONLY},
        {"baseline", "baseline", REVOPS_RT_NUMBER, 2, REVOPS_RT_DATA_ONLY},
        {"levels_text", "target / excellent / baseline", REVOPS_RT_TEXT, 0, REVOPS_RT_TEXT_ONLY},
        {"direction", "better", REVOPS_RT_TEXT, 0, 0},
        {"reason", "why n/a", REVOPS_RT_TEXT, 0, 0},
    };
    revops_rt_table *t = revops_rt__table(n, "kpis", "KPIs", cols, 11);
    int graded = 0, on_or_above = 0;
    for (size_t i = 0; i < sizeof(kpis) / sizeof(kpis[0]); i++) {
        kpi_def this_kpi = levels_of(c, &kpis[i]);
        const kpi_def *d = &this_kpi;
        const revops_kpi_value *v = values[i];
        const char *why = v->why;
        double value = v->value;
        char shown[48], levels[96];
        show(d, value, shown, sizeof(shown));
        char a[24], b[24], e[24];
        show(d, d->target, a, sizeof(a));
        show(d, d->excellent, b, sizeof(b));
        show(d, d->baseline, e, sizeof(e));
        snprintf(levels, sizeof(levels), "%s / %s / %s", a, b, e);
        revops_rt__row(t);
        revops_rt__cell_text(t, d->name);
        revops_rt__cell_number(t, value);
        revops_rt__cell_text(t, shown);
        revops_rt__cell_text(t, unit_name(d->unit));
        if (isnan(value)) {
            revops_rt__cell_text(t, "n/a");
        } else {
            const char *g = grade(d, value);
            revops_rt__cell_text(t, g);
            graded++;
            on_or_above += strcmp(g, "excellent") == 0 || strcmp(g, "on_target") == 0;
        }
        revops_rt__cell_number(t, d->target);
        revops_rt__cell_number(t, d->excellent);
        revops_rt__cell_number(t, d->baseline);
        revops_rt__cell_text(t, levels);
        revops_rt__cell_text(t, d->lower_is_better ? "lower" : "higher");
        if (isnan(value))
            revops_rt__cell_text(t, why);
        else
            revops_rt__cell_null(t);
    }
    revops_rt__count(n, "graded", "KPIs graded", graded);
    revops_rt__count(n, "on_target_or_better", "On target or better", on_or_above);
    return 0;
}
