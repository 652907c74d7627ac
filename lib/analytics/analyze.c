/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `revops analyze`: builds the context once, runs the chosen sections side by side on every
 * core and keeps their report tree, in report order, for the renderers.
 */
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/revrec.h"
#include "core/error.h"
#include "core/tasks.h"
#include "revops/analyze.h"

void revops_kpi__na(revops_kpi_value *v, const char *fmt, ...)
{
    v->value = NAN;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->why, sizeof(v->why), fmt, ap);
    va_end(ap);
}

/* Which section computes each KPI. */
static const struct {
    size_t offset; /* in revops_kpi_values */
    unsigned section;
    const char *name;
} kpi_owners[] = {
    {offsetof(revops_kpi_values, sales_cycle_days), REVOPS_SECTION_PIPELINE, "pipeline"},
    {offsetof(revops_kpi_values, win_rate), REVOPS_SECTION_PIPELINE, "pipeline"},
    {offsetof(revops_kpi_values, coverage_ratio), REVOPS_SECTION_PIPELINE, "pipeline"},
    {offsetof(revops_kpi_values, quota_attainment), REVOPS_SECTION_TEAM, "team"},
    {offsetof(revops_kpi_values, activity_efficiency), REVOPS_SECTION_TEAM, "team"},
    {offsetof(revops_kpi_values, deal_size_growth), REVOPS_SECTION_TEAM, "team"},
    {offsetof(revops_kpi_values, ramp_days), REVOPS_SECTION_TEAM, "team"},
    {offsetof(revops_kpi_values, lead_response_minutes), REVOPS_SECTION_FUNNEL, "funnel"},
    {offsetof(revops_kpi_values, data_quality), REVOPS_SECTION_SCORECARD, "scorecard"},
    {offsetof(revops_kpi_values, arr_growth), REVOPS_SECTION_SAAS, "saas"},
    {offsetof(revops_kpi_values, grr), REVOPS_SECTION_SAAS, "saas"},
    {offsetof(revops_kpi_values, nrr), REVOPS_SECTION_SAAS, "saas"},
    {offsetof(revops_kpi_values, cac_payback), REVOPS_SECTION_SAAS, "saas"},
    {offsetof(revops_kpi_values, forecast_accuracy), REVOPS_SECTION_FORECAST, "forecast"},
};

static revops_kpi_value *kpi_at(revops_kpi_values *k, size_t i)
{
    return (revops_kpi_value *)((char *)k + kpi_owners[i].offset);
}

/* Before the sections run, each KPI says which section computes it. */
static void kpis_init(revops_kpi_values *k, unsigned sections)
{
    for (size_t i = 0; i < sizeof(kpi_owners) / sizeof(kpi_owners[0]); i++) {
        if (sections & kpi_owners[i].section)
            revops_kpi__na(kpi_at(k, i), "the %s section found no data for it", kpi_owners[i].name);
        else
            revops_kpi__na(kpi_at(k, i), "computed by the %s section, which was not asked for",
                           kpi_owners[i].name);
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

/* The sections in report order; `cost` orders the work, the longest first, so that the cores
 * finish together (the ranks of bench_analyze's times at a million deals). */
static const struct {
    unsigned bit;
    int (*run)(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
    int cost;
} sections_in_order[] = {
    {REVOPS_SECTION_PIPELINE, revops_analytics__pipeline, 4},
    {REVOPS_SECTION_FUNNEL, revops_analytics__funnel, 3},
    {REVOPS_SECTION_WINLOSS, revops_analytics__winloss, 8},
    {REVOPS_SECTION_TEAM, revops_analytics__team, 7},
    {REVOPS_SECTION_SAAS, revops_analytics__saas, 1},
    {REVOPS_SECTION_COHORTS, revops_analytics__cohorts, 6},
    {REVOPS_SECTION_REVREC, revops_analytics__revrec, 2},
    {REVOPS_SECTION_PROFITABILITY, revops_analytics__profitability, 5},
    {REVOPS_SECTION_FORECAST, revops_analytics__forecast, 0},
};
#define NSECTIONS (sizeof(sections_in_order) / sizeof(sections_in_order[0]))

/* A section run as a task: on a copy of the context, which counts its own conversions, into
 * a report and KPIs of its own, joined to the analysis's in report order afterwards. */
typedef struct section_job {
    size_t index; /* in sections_in_order */
    revops_actx c;
    revops_rt *rt;
    revops_kpi_values kpis;
} section_job;

static int run_section(void *arg)
{
    section_job *j = arg;
    return sections_in_order[j->index].run(&j->c, revops_rt__root(j->rt), &j->kpis);
}

/* The revenue recognition the revrec, saas and profitability sections all read, built once
 * into the context before them. */
typedef struct revrec_build {
    revops_actx *c;
    revops_revrec r;
    int built;
} revrec_build;

static int build_revrec(void *arg)
{
    revrec_build *b = arg;
    int rc = revops_revrec__build(&b->r, b->c);
    b->built = rc == 0;
    return rc;
}

#define REVREC_READERS (REVOPS_SECTION_REVREC | REVOPS_SECTION_SAAS | REVOPS_SECTION_PROFITABILITY)

static void stats_failed(revops_actx *c)
{
    c->stats = NULL;
    c->stats_failed = 1;
    c->stats_error = *revops_error_last();
}

static int by_cost(const void *a, const void *b)
{
    const section_job *x = a, *y = b;
    int cx = sections_in_order[x->index].cost, cy = sections_in_order[y->index].cost;
    return (cx > cy) - (cx < cy);
}

static int by_report_order(const void *a, const void *b)
{
    const section_job *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

/*
 * The chosen sections, and the scorecard's statistics, as tasks on every core; then their
 * reports join the analysis's in report order, their conversion counts add up and their
 * KPIs come back, so the result is the same bytes whatever ran where. The scorecard grades
 * what the others computed: it runs last.
 */
static int run_sections(revops_analysis *a, revops_actx *c, unsigned sections)
{
    section_job jobs[NSECTIONS];
    revops_task tasks[1 + NSECTIONS + REVOPS_STATS_PARTS];
    size_t n = 0, ntasks = 0;
    revops_kpi_values kpis;
    kpis_init(&kpis, sections);
    int rc = 0;
    /* The shared revenue recognition is the first task, and its readers wait for it. It
     * counts its conversions into the analysis's context once, not once per reader. */
    revrec_build *rr = NULL;
    if ((sections & REVREC_READERS) && c->ds->contract_line.n > 0) {
        if (!(rr = calloc(1, sizeof(*rr))))
            return revops_error__oom();
        rr->c = c;
        c->revrec = &rr->r;
        tasks[ntasks++] = (revops_task){build_revrec, rr, -1};
    }
    for (size_t i = 0; i < NSECTIONS; i++) {
        if (!(sections & sections_in_order[i].bit))
            continue;
        section_job *j = &jobs[n];
        j->index = i;
        j->c = *c;
        j->c.fx_before_first = j->c.fx_missing = 0;
        j->kpis = kpis;
        if ((rc = revops_rt__new(&j->rt, c->currency, c->exponent)))
            goto done;
        n++;
    }
    qsort(jobs, n, sizeof(*jobs), by_cost);
    /* The statistics' parts take about as long as the smaller sections: after the longest
     * ones. A failure there is the scorecard's to report as n/a. */
    revops_stats_parts *stats = NULL;
    if ((sections & REVOPS_SECTION_SCORECARD) && c->as_of == c->latest_day &&
        revops_stats__begin(&stats, c->ds, c->as_of, c->first_day, c->latest_day))
        stats_failed(c);
    for (size_t i = 0; i <= n; i++) {
        if (stats && i == n / 2)
            for (size_t k = 0; k < REVOPS_STATS_PARTS; k++)
                tasks[ntasks++] =
                    (revops_task){revops_stats__run_part, revops_stats__part_arg(stats, k), -1};
        if (i < n)
            tasks[ntasks++] = (revops_task){
                run_section, &jobs[i],
                rr && (sections_in_order[jobs[i].index].bit & REVREC_READERS) ? 0 : -1};
    }
    rc = revops_tasks__run(tasks, ntasks, 0);
    if (stats && rc)
        revops_stats__discard(stats);
    else if (stats && revops_stats__end(stats, &c->stats))
        stats_failed(c);
    if (rc)
        goto done;
    qsort(jobs, n, sizeof(*jobs), by_report_order);
    revops_rt_node *root = revops_rt__root(a->rt);
    for (size_t i = 0; i < n; i++) {
        section_job *j = &jobs[i];
        c->fx_before_first += j->c.fx_before_first;
        c->fx_missing += j->c.fx_missing;
        for (size_t k = 0; k < sizeof(kpi_owners) / sizeof(kpi_owners[0]); k++)
            if (kpi_owners[k].section == sections_in_order[j->index].bit)
                *kpi_at(&kpis, k) = *kpi_at(&j->kpis, k);
        revops_rt *part = j->rt;
        j->rt = NULL;
        if ((rc = revops_rt__adopt(a->rt, part)))
            goto done;
    }
    if (sections & REVOPS_SECTION_SCORECARD)
        rc = revops_analytics__scorecard(c, root, &kpis);
done:
    for (size_t i = 0; i < n; i++)
        revops_rt__free(jobs[i].rt);
    if (rr) {
        if (rr->built)
            revops_revrec__free(&rr->r);
        free(rr);
        c->revrec = NULL;
    }
    return rc;
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
    unsigned sections = c.opts.sections ? c.opts.sections : REVOPS_SECTION_ALL;
    if (!(rc = run_sections(a, &c, sections)))
        rc = revops_analysis__finish(a, &c);
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
