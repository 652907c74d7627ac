/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops analyze: the weekly analysis, as text, JSON or CSV files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    unsigned bit;
} sections[] = {
    {"pipeline", REVOPS_SECTION_PIPELINE},
    {"funnel", REVOPS_SECTION_FUNNEL},
    {"winloss", REVOPS_SECTION_WINLOSS},
    {"team", REVOPS_SECTION_TEAM},
    {"scorecard", REVOPS_SECTION_SCORECARD},
    {"saas", REVOPS_SECTION_SAAS},
    {"cohorts", REVOPS_SECTION_COHORTS},
    {"revrec", REVOPS_SECTION_REVREC},
    {"profitability", REVOPS_SECTION_PROFITABILITY},
    {"forecast", REVOPS_SECTION_FORECAST},
};

int cli_analysis_options(cli_args *args, revops_analysis_options *o)
{
    if (cli_parse_as_of(args, &o->as_of))
        return CLI_EXIT_USAGE;
    o->period = cli_opt(args, "period");
    uint64_t fiscal, limit, window, sla, handoff, stalled, inactive;
    /* The defaults are what the options hold already: the configuration's values. */
    if (cli_parse_u64(args, "fiscal-start", (uint64_t)o->fiscal_start_month, 1, 12, &fiscal) ||
        cli_parse_u64(args, "at-risk-limit", o->at_risk_limit, 0, 1000000000, &limit) ||
        cli_parse_u64(args, "window-days", (uint64_t)o->window_days, 1, 36600, &window) ||
        cli_parse_u64(args, "response-sla", (uint64_t)o->response_sla_minutes, 1, 525600, &sla) ||
        cli_parse_u64(args, "handoff-sla", (uint64_t)o->handoff_sla_hours, 1, 8760, &handoff) ||
        cli_parse_double(args, "ramp-threshold", o->ramp_threshold, 0.01, 10.0,
                         &o->ramp_threshold) ||
        cli_parse_double(args, "coaching-gap", o->coaching_gap, 0.0, 1.0, &o->coaching_gap) ||
        cli_parse_double(args, "stalled-factor", o->stalled_factor, 0.1, 100.0,
                         &o->stalled_factor) ||
        cli_parse_u64(args, "stalled-days", (uint64_t)o->stalled_days, 1, 3660, &stalled) ||
        cli_parse_u64(args, "inactive-days", (uint64_t)o->inactive_days, 1, 3660, &inactive))
        return CLI_EXIT_USAGE;
    o->stalled_days = (int)stalled;
    o->inactive_days = (int)inactive;
    o->window_days = (int)window;
    o->response_sla_minutes = (int)sla;
    o->handoff_sla_hours = (int)handoff;
    o->fiscal_start_month = (int)fiscal;
    o->at_risk_limit = (size_t)limit;
    if (cli_opt(args, "currency"))
        o->currency = cli_opt(args, "currency");
    const char *prob = cli_opt(args, "probability");
    if (prob && strcmp(prob, "historical") == 0)
        o->historical_probabilities = 1;
    else if (prob && strcmp(prob, "configured") == 0)
        o->historical_probabilities = 0;
    else if (prob)
        return cli_usage_error(args, "--probability must be configured or historical, not '%s'",
                               prob);
    const char *list = cli_opt(args, "section");
    if (list) {
        o->sections = 0;
        const char *p = list;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            size_t k = 0;
            while (k < sizeof(sections) / sizeof(sections[0]) &&
                   !(strlen(sections[k].name) == len && strncmp(sections[k].name, p, len) == 0))
                k++;
            if (k == sizeof(sections) / sizeof(sections[0]))
                return cli_usage_error(
                    args,
                    "no section '%.*s' (sections: pipeline, funnel, winloss, team, scorecard, "
                    "saas, cohorts, revrec, profitability, forecast)",
                    (int)len, p);
            o->sections |= sections[k].bit;
            p += len + (comma ? 1 : 0);
        }
    }
    /* Checked before the data are loaded, which can take a while. */
    revops_period check;
    if (o->period &&
        revops_period_parse(&check, o->period, strlen(o->period), o->fiscal_start_month))
        return cli_usage_error(args, "--period must be YYYY-MM, YYYY-Qn or YYYY, not '%s'",
                               o->period);
    if (o->currency && revops_currency_exponent(o->currency, strlen(o->currency)) < 0)
        return cli_usage_error(args, "--currency must be an ISO 4217 code such as EUR, not '%s'",
                               o->currency);
    const char *out = cli_opt(args, "output");
    if (out && cli_check_output(args, out))
        return CLI_EXIT_USAGE;
    return CLI_EXIT_OK;
}

/* "text", "json" or "csv"; -1 with the error printed otherwise. */
static int output_format(cli_args *args)
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

int cli_write_analysis(cli_args *args, const revops_analysis *a, int format)
{
    const char *out = cli_opt(args, "output");
    int rc;
    if (format == 2) {
        if (!out)
            return cli_usage_error(args, "--format csv writes a folder of files: give -o DIR");
        size_t files = 0;
        if ((rc = revops_analysis_write_csv(a, out, &files)))
            return cli_lib_error("writing CSV files", rc);
        fprintf(stderr, "wrote %zu CSV files to %s\n", files, out);
        return CLI_EXIT_OK;
    }
    FILE *fp = stdout;
    if (out && !(fp = fopen(out, "w"))) {
        perror(out);
        return CLI_EXIT_USAGE;
    }
    if (format == 1) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_analysis_write_json(a, j);
        if (!rc)
            rc = revops_json_write(j, fp);
        revops_json_free(j);
    } else {
        rc = revops_analysis_write_text(a, fp);
    }
    if (fp != stdout && fclose(fp) != 0 && !rc) {
        perror(out);
        return CLI_EXIT_USAGE;
    }
    return rc ? cli_lib_error("writing the analysis", rc) : CLI_EXIT_OK;
}

int cli_analysis_setup(cli_args *args, cli_settings *s)
{
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_saas_options so = REVOPS_SAAS_OPTIONS_INIT;
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    s->o = o;
    s->saas = so;
    s->forecast = fo;
    int status = cli_load_config(args, &s->cfg);
    if (status)
        return status;
    /* The configuration's settings, then the command line's over them. */
    revops_config_analysis_options(s->cfg, &s->o);
    revops_config_forecast_options(s->cfg, &s->forecast);
    revops_config_saas_options(s->cfg, &s->saas);
    s->o.saas = &s->saas;
    s->o.forecast = &s->forecast;
    if ((status = cli_analysis_options(args, &s->o)))
        cli_settings_free(s);
    return status;
}

void cli_settings_free(cli_settings *s)
{
    /* What the options borrowed from the configuration goes with it. */
    if (s->cfg && s->o.currency == s->cfg->currency)
        s->o.currency = NULL;
    revops_config_free(s->cfg);
    s->cfg = NULL;
    s->o.stages = NULL;
    s->o.kpi_levels = NULL;
    s->o.nkpi_levels = 0;
    s->o.activity_targets = NULL;
}

static int run_analyze(cli_args *args)
{
    int format = output_format(args);
    if (format < 0)
        return CLI_EXIT_USAGE;
    cli_settings s;
    int status = cli_analysis_setup(args, &s);
    if (status)
        return status;
    revops_dataset *ds;
    if ((status = cli_load_dataset_stages(args, s.o.stages, &ds))) {
        cli_settings_free(&s);
        return status;
    }
    revops_analysis *a;
    int rc = revops_analyze(&a, ds, &s.o);
    revops_dataset_free(ds);
    cli_settings_free(&s);
    if (rc)
        return cli_lib_error("analysing", rc);
    status = cli_write_analysis(args, a, format);
    revops_analysis_free(a);
    return status;
}

#define ANALYSIS_OPTIONS                                                                           \
    {"db", "FILE", "read a store", 0}, {"csv", "DIR", "read a folder of <entity>.csv files", 0},   \
        {"config", "FILE", "settings from this revops.yaml (default: ./revops.yaml if present)",   \
         0},                                                                                       \
        {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},       \
        {"period", "P", "2026-07, 2026-Q3 or 2026 (default: the quarter of the as-of day)", 0},    \
        {"fiscal-start", "M", "first month of the fiscal year, 1-12 (default 1)", 0},              \
        {"currency", "CODE", "reporting currency (default: the data's own)", 0},                   \
        {"window-days", "N", "win rate, deal size and cycle over this many days (default 365)",    \
         0},                                                                                       \
        {"stalled-factor", "X",                                                                    \
         "stalled: days in stage above X times the stage's median (default 2)", 0},                \
        {"stalled-days", "N", "stalled: no activity for more than N days (default 14)", 0},        \
        {"inactive-days", "N", "at risk: no activity for more than N days (default 30)", 0},       \
        {"response-sla", "MIN", "inbound lead response SLA in minutes (default 5)", 0},            \
        {"handoff-sla", "H", "marketing-to-sales handoff SLA in hours (default 24)", 0},           \
        {"ramp-threshold", "X", "a rep is ramped after a month at this attainment (default 0.8)",  \
         0},                                                                                       \
        {"coaching-gap", "X", "coaching flag: this far below the team median (default 0.10)", 0},  \
    {                                                                                              \
        "probability", "HOW", "stage probabilities: configured (default) or historical", 0         \
    }

static const cli_option analyze_options[] = {
    ANALYSIS_OPTIONS,
    {"section", "LIST",
     "only these sections, comma-separated: pipeline, funnel, winloss, team, saas, cohorts, "
     "revrec, profitability, forecast, scorecard",
     0},
    {"format", "FMT", "text (default), json or csv", 0},
    {"output", "PATH", "write to this file (a folder for csv) instead of standard output", 'o'},
    {"at-risk-limit", "N", "deals listed at risk, largest first (default 50; 0 for all)", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_analyze = {
    .name = "analyze",
    .summary = "the weekly analysis: pipeline to revenue, with a KPI scorecard, as of any day",
    .usage = "--db FILE | --csv DIR [--as-of DATE] [--period P] [--format text|json|csv] [-o PATH]",
    .options = analyze_options,
    .details = "Everything is rebuilt as it was known at the end of the as-of day, from the\n"
               "stage history: analysing old data as of a past day gives the numbers of that\n"
               "day. Money is in the reporting currency, converted at the rate on or before\n"
               "each amount's date. The definitions are in docs/metrics.md; the JSON shape in\n"
               "docs/analysis.md.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_analyze,
};

static int run_pipeline(cli_args *args)
{
    int format = output_format(args);
    if (format < 0)
        return CLI_EXIT_USAGE;
    cli_settings s;
    int status = cli_analysis_setup(args, &s);
    if (status)
        return status;
    s.o.sections = REVOPS_SECTION_PIPELINE;
    int risk_only = cli_flag(args, "at-risk");
    if (risk_only && !cli_opt(args, "at-risk-limit"))
        s.o.at_risk_limit = 0;
    revops_dataset *ds;
    if ((status = cli_load_dataset_stages(args, s.o.stages, &ds))) {
        cli_settings_free(&s);
        return status;
    }
    revops_analysis *a;
    int rc = revops_analyze(&a, ds, &s.o);
    revops_dataset_free(ds);
    cli_settings_free(&s);
    if (rc)
        return cli_lib_error("analysing", rc);
    if (!risk_only) {
        status = cli_write_analysis(args, a, format);
    } else {
        const char *out = cli_opt(args, "output");
        if (format == 2 && !out) {
            revops_analysis_free(a);
            return cli_usage_error(args, "--format csv needs -o FILE");
        }
        FILE *fp = stdout;
        if (format != 2 && out && !(fp = fopen(out, "w"))) {
            perror(out);
            revops_analysis_free(a);
            return CLI_EXIT_USAGE;
        }
        rc = revops_analysis_write_at_risk(a, format, fp, out);
        if (fp != stdout && fclose(fp) != 0 && !rc) {
            perror(out);
            rc = REVOPS_EIO;
        }
        status = rc ? cli_lib_error("writing the deals at risk", rc) : CLI_EXIT_OK;
    }
    revops_analysis_free(a);
    return status;
}

static const cli_option pipeline_options[] = {
    ANALYSIS_OPTIONS,
    {"at-risk", NULL, "list only the deals at risk, with their reasons", 0},
    {"format", "FMT", "text (default), json or csv", 0},
    {"output", "PATH", "write to this file (a folder for csv) instead of standard output", 'o'},
    {"at-risk-limit", "N", "deals listed at risk (default 50, or all with --at-risk)", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_pipeline = {
    .name = "pipeline",
    .summary = "the pipeline section alone, or just the deals at risk",
    .usage = "--db FILE | --csv DIR [--at-risk] [--as-of DATE] [--format text|json|csv]",
    .options = pipeline_options,
    .details = "A deal is at risk when it is overdue, its close date was pushed twice or more,\n"
               "it is stalled, it had no activity for 30 days, or its amount went down since\n"
               "it was created; each listed deal names its reasons.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_pipeline,
};
