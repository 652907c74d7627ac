/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `revops analyze`: builds the context once, runs the chosen sections in order and keeps
 * their report tree for the renderers.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "core/error.h"
#include "revops/analyze.h"

void revops_kpi__na(revops_kpi_value *v, const char *fmt, ...)
{
    v->value = NAN;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->why, sizeof(v->why), fmt, ap);
    va_end(ap);
}

/* Before the sections run, each KPI says which section computes it. */
static void kpis_init(revops_kpi_values *k, unsigned sections)
{
    const struct {
        revops_kpi_value *v;
        unsigned section;
        const char *name;
    } all[] = {
        {&k->sales_cycle_days, REVOPS_SECTION_PIPELINE, "pipeline"},
        {&k->win_rate, REVOPS_SECTION_PIPELINE, "pipeline"},
        {&k->coverage_ratio, REVOPS_SECTION_PIPELINE, "pipeline"},
        {&k->quota_attainment, REVOPS_SECTION_TEAM, "team"},
        {&k->activity_efficiency, REVOPS_SECTION_TEAM, "team"},
        {&k->deal_size_growth, REVOPS_SECTION_TEAM, "team"},
        {&k->ramp_days, REVOPS_SECTION_TEAM, "team"},
        {&k->lead_response_minutes, REVOPS_SECTION_FUNNEL, "funnel"},
        {&k->data_quality, REVOPS_SECTION_SCORECARD, "scorecard"},
        {&k->arr_growth, REVOPS_SECTION_SAAS, "saas"},
        {&k->grr, REVOPS_SECTION_SAAS, "saas"},
        {&k->nrr, REVOPS_SECTION_SAAS, "saas"},
        {&k->cac_payback, REVOPS_SECTION_SAAS, "saas"},
        {&k->forecast_accuracy, REVOPS_SECTION_FORECAST, "forecast"},
    };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (sections & all[i].section)
            revops_kpi__na(all[i].v, "the %s section found no data for it", all[i].name);
        else
            revops_kpi__na(all[i].v, "computed by the %s section, which was not asked for",
                           all[i].name);
    }
}

int revops_analysis__begin(revops_analysis **out, const revops_actx *c)
{
    *out = NULL;
    revops_analysis *a = calloc(1, sizeof(*a));
    if (!a)
        return revops_error__oom();
    a->as_of = c->as_of;
    snprintf(a->currency, sizeof(a->currency), "%s", c->currency);
    int rc = revops_rt__new(&a->rt, c->currency, c->exponent);
    if (rc) {
        free(a);
        return rc;
    }
    revops_rt_node *root = revops_rt__root(a->rt);
    char period[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(&c->period, period);
    revops_rt__day(root, "as_of", "As of", c->as_of);
    revops_rt__text(root, "period", "Period", period);
    revops_rt__text(root, "currency", "Currency", c->currency);
    *out = a;
    return 0;
}

int revops_analysis__finish(revops_analysis *a, const revops_actx *c)
{
    if (c->fx_before_first || c->fx_missing) {
        char note[256];
        snprintf(note, sizeof(note),
                 "%llu amounts dated before their currency's first exchange rate were converted "
                 "at that first rate; %llu amounts in currencies without rates were left as they "
                 "are",
                 (unsigned long long)c->fx_before_first, (unsigned long long)c->fx_missing);
        revops_rt__text(revops_rt__root(a->rt), "currency_note", "Note", note);
    }
    return revops_rt__error(a->rt);
}

int revops_analyze(revops_analysis **out, const revops_dataset *ds,
                   const revops_analysis_options *opts)
{
    *out = NULL;
    revops_actx c;
    int rc = revops_actx__init(&c, ds, opts);
    if (rc)
        return rc;
    revops_analysis *a;
    if ((rc = revops_analysis__begin(&a, &c))) {
        revops_actx__free(&c);
        return rc;
    }
    revops_rt_node *root = revops_rt__root(a->rt);
    unsigned sections = c.opts.sections ? c.opts.sections : REVOPS_SECTION_ALL;
    revops_kpi_values kpis;
    kpis_init(&kpis, sections);
    if ((sections & REVOPS_SECTION_PIPELINE) && (rc = revops_analytics__pipeline(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_FUNNEL) && (rc = revops_analytics__funnel(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_WINLOSS) && (rc = revops_analytics__winloss(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_TEAM) && (rc = revops_analytics__team(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_SAAS) && (rc = revops_analytics__saas(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_COHORTS) && (rc = revops_analytics__cohorts(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_REVREC) && (rc = revops_analytics__revrec(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_PROFITABILITY) &&
        (rc = revops_analytics__profitability(&c, root, &kpis)))
        goto done;
    if ((sections & REVOPS_SECTION_FORECAST) && (rc = revops_analytics__forecast(&c, root, &kpis)))
        goto done;
    /* The scorecard grades what the other sections computed: it runs last. */
    if ((sections & REVOPS_SECTION_SCORECARD) &&
        (rc = revops_analytics__scorecard(&c, root, &kpis)))
        goto done;
    rc = revops_analysis__finish(a, &c);
done:
    revops_actx__free(&c);
    if (rc) {
        revops_analysis_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void revops_analysis_free(revops_analysis *a)
{
    if (!a)
        return;
    revops_rt__free(a->rt);
    free(a);
}

int revops_analysis_write_json(const revops_analysis *a, revops_json *j)
{
    return revops_rt__write_json(a->rt, j);
}

int revops_analysis_write_text(const revops_analysis *a, FILE *fp)
{
    return revops_rt__write_text(a->rt, fp);
}

int revops_analysis_write_csv(const revops_analysis *a, const char *dir, size_t *files)
{
    return revops_rt__write_csv(a->rt, dir, files);
}

int revops_analysis_write_at_risk(const revops_analysis *a, int json, FILE *fp,
                                  const char *csv_path)
{
    const revops_rt_table *t = revops_rt__find_table(a->rt, "pipeline.at_risk");
    if (!t)
        return revops_error__set(REVOPS_EINVALID, "the analysis has no pipeline section");
    if (json == 2)
        return revops_rt__write_table_csv(a->rt, t, csv_path);
    if (json == 0)
        return revops_rt__write_table_text(a->rt, t, fp);
    revops_json *j;
    int rc = revops_json_new(&j, 1);
    if (!rc)
        rc = revops_rt__write_table_json(a->rt, t, j);
    if (!rc)
        rc = revops_json_write(j, fp);
    revops_json_free(j);
    return rc;
}

int32_t revops_analysis_as_of(const revops_analysis *a)
{
    return a->as_of;
}

const char *revops_analysis_currency(const revops_analysis *a)
{
    return a->currency;
}
