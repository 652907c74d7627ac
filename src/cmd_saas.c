/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops saas: recurring revenue by month (MRR, movements, churn, retention), as text, JSON or
 * CSV files. Also the options the recurring-revenue commands share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_month(cli_args *args, const char *name, int32_t *out)
{
    const char *v = cli_opt(args, name);
    *out = REVOPS_NO_MONTH;
    if (!v)
        return 0;
    revops_month m;
    if (strlen(v) != 7 || revops_month_parse(&m, v, strlen(v)))
        return cli_usage_error(args, "--%s must be a month (YYYY-MM), not '%s'", name, v);
    *out = m;
    return 0;
}

int cli_saas_options(cli_args *args, cli_settings *s)
{
    int status = cli_analysis_setup(args, s);
    if (status)
        return status;
    revops_saas_options *so = &s->saas;
    if (parse_month(args, "from", &so->from_month) || parse_month(args, "to", &so->to_month)) {
        cli_settings_free(s);
        return CLI_EXIT_USAGE;
    }
    if (so->from_month != REVOPS_NO_MONTH && so->to_month != REVOPS_NO_MONTH &&
        so->to_month < so->from_month) {
        cli_settings_free(s);
        return cli_usage_error(args, "--to %s is before --from %s", cli_opt(args, "to"),
                               cli_opt(args, "from"));
    }
    /* "auto" measures the margin even when the configuration gives one. */
    const char *gm = cli_opt(args, "gross-margin");
    if (gm && strcmp(gm, "auto") == 0)
        so->gross_margin = -1.0;
    else if (cli_parse_double(args, "gross-margin", so->gross_margin, 0.0, 1.0,
                              &so->gross_margin)) {
        cli_settings_free(s);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_output_format(cli_args *args)
{
    const char *v = cli_opt(args, "format");
    if (!v || strcmp(v, "text") == 0)
        return 0;
    if (strcmp(v, "json") == 0)
        return 1;
    if (strcmp(v, "csv") == 0)
        return 2;
    cli_usage_error(args, "--format must be text, json or csv, not '%s'", v);
    return -1;
}

int cli_run_sections(cli_args *args, revops_analysis_options *o, unsigned sections, int format)
{
    o->sections = sections;
    revops_dataset *ds;
    int status = cli_load_dataset_stages(args, o->stages, &ds);
    if (status)
        return status;
    revops_analysis *a;
    int rc = revops_analyze(&a, ds, o);
    revops_dataset_free(ds);
    if (rc)
        return cli_lib_error("analysing", rc);
    status = cli_write_analysis(args, a, format);
    revops_analysis_free(a);
    return status;
}

static int run_saas(cli_args *args)
{
    int format = cli_output_format(args);
    if (format < 0)
        return CLI_EXIT_USAGE;
    cli_settings s;
    int status = cli_saas_options(args, &s);
    if (status)
        return status;
    status = cli_run_sections(args, &s.o, REVOPS_SECTION_SAAS, format);
    cli_settings_free(&s);
    return status;
}

static const cli_option saas_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files", 0},
    {"config", "FILE", "settings from this revops.yaml (default: ./revops.yaml if present)", 0},
    {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},
    {"from", "MONTH", "first month shown, YYYY-MM (default: the first with a subscription)", 0},
    {"to", "MONTH", "last month shown, YYYY-MM (default: the month of the as-of day)", 0},
    {"period", "P", "the headline's period: its last month is graded (default: the as-of quarter)",
     0},
    {"fiscal-start", "M", "first month of the fiscal year, 1-12 (default 1)", 0},
    {"currency", "CODE", "reporting currency (default: the data's own)", 0},
    {"gross-margin", "X",
     "gross margin 0-1 for LTV and payback, or auto (default: revops.yaml's, else measured)", 0},
    {"format", "FMT", "text (default), json or csv", 0},
    {"output", "PATH", "write to this file (a folder for csv) instead of standard output", 'o'},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_saas = {
    .name = "saas",
    .summary = "recurring revenue by month: MRR, ARR, movements, churn and retention",
    .usage = "--db FILE | --csv DIR [--from YYYY-MM] [--to YYYY-MM] [--as-of DATE] "
             "[--format text|json|csv] [-o PATH]",
    .options = saas_options,
    .details = "MRR of a month is that of the subscription items active on its last day (on the\n"
               "as-of day for the month of that day), each converted at the rate of its start\n"
               "date. Every month's change is split into new, expansion, contraction, churn and\n"
               "reactivation, per account, so MRR(m) = MRR(m-1) + the movements exactly. The\n"
               "definitions are in docs/metrics.md; the JSON shape in docs/saas.md.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_saas,
};
