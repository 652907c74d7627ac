/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops cohorts: logo and revenue retention triangles by the month (or quarter) in which
 * accounts first paid, as text, JSON or CSV.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* --by and --metric into `so`; prints the error and returns CLI_EXIT_USAGE when bad. */
static int cohort_options(cli_args *args, revops_saas_options *so)
{
    const char *by = cli_opt(args, "by");
    if (by && strcmp(by, "quarter") == 0)
        so->cohort_quarters = 1;
    else if (by && strcmp(by, "month") != 0)
        return cli_usage_error(args, "--by must be month or quarter, not '%s'", by);
    const char *metric = cli_opt(args, "metric");
    if (metric && strcmp(metric, "logo") == 0)
        so->cohort_metric = REVOPS_COHORT_LOGO;
    else if (metric && strcmp(metric, "revenue") == 0)
        so->cohort_metric = REVOPS_COHORT_REVENUE;
    else if (metric)
        return cli_usage_error(args, "--metric must be logo or revenue, not '%s'", metric);
    return CLI_EXIT_OK;
}

/* One triangle in CSV is one file: to standard output or -o FILE. */
static int write_triangle(cli_args *args, cli_settings *s)
{
    s->o.sections = REVOPS_SECTION_COHORTS;
    revops_dataset *ds;
    int status = cli_load_dataset_stages(args, s->o.stages, &ds);
    if (status)
        return status;
    revops_analysis *a;
    int rc = revops_analyze(&a, ds, &s->o);
    revops_dataset_free(ds);
    if (rc)
        return cli_lib_error("analysing", rc);
    const char *out = cli_opt(args, "output");
    rc = revops_analysis_write_table_csv(
        a, s->saas.cohort_metric == REVOPS_COHORT_LOGO ? "cohorts.logo" : "cohorts.revenue",
        out ? out : "-");
    revops_analysis_free(a);
    return rc ? cli_lib_error("writing the triangle", rc) : CLI_EXIT_OK;
}

static int run_cohorts(cli_args *args)
{
    int format = cli_output_format(args);
    if (format < 0)
        return CLI_EXIT_USAGE;
    cli_settings s;
    int status = cli_saas_options(args, &s);
    if (status)
        return status;
    if ((status = cohort_options(args, &s.saas)) == CLI_EXIT_OK) {
        if (format == 2 && cli_opt(args, "metric"))
            status = write_triangle(args, &s);
        else
            status = cli_run_sections(args, &s.o, REVOPS_SECTION_COHORTS, format);
    }
    cli_settings_free(&s);
    return status;
}

static const cli_option cohorts_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files", 0},
    {"config", "FILE", "settings from this revops.yaml (default: ./revops.yaml if present)", 0},
    {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},
    {"by", "UNIT", "cohorts by month (default) or quarter", 0},
    {"metric", "WHAT", "logo or revenue retention (default: both)", 0},
    {"from", "MONTH", "first cohort shown, YYYY-MM (default: the first)", 0},
    {"to", "MONTH", "last cohort shown, YYYY-MM (default: the as-of month's)", 0},
    {"fiscal-start", "M", "first month of the fiscal year, 1-12, for quarters (default 1)", 0},
    {"currency", "CODE", "reporting currency (default: the data's own)", 0},
    {"format", "FMT", "text (default), json or csv", 0},
    {"output", "PATH", "write to this file (a folder for csv of both) instead of standard output",
     'o'},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_cohorts = {
    .name = "cohorts",
    .summary = "retention triangles: logo and revenue retention by first-paying month or quarter",
    .usage = "--db FILE | --csv DIR [--by month|quarter] [--metric logo|revenue] [--as-of DATE] "
             "[--format text|json|csv] [-o PATH]",
    .options = cohorts_options,
    .details =
        "An account's cohort is the month (or quarter) of its first MRR. A logo cell is the\n"
        "share of the cohort still paying k periods later; a revenue cell is the cohort's\n"
        "MRR then over the MRR its members started with. With --metric, --format csv\n"
        "writes that triangle as one CSV file (standard output or -o FILE); without it,\n"
        "a folder of files (-o DIR).",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_cohorts,
};
