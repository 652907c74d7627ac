/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops profitability: the margin of each deal won in a period after the sales cost it is
 * charged and its expected delivery cost, rated, as text, JSON or CSV.
 */
#include <stdio.h>

#include "cli.h"

static int run_profitability(cli_args *args)
{
    int format = cli_output_format(args);
    if (format < 0)
        return CLI_EXIT_USAGE;
    cli_settings s;
    int status = cli_saas_options(args, &s);
    if (status)
        return status;
    revops_saas_options *so = &s.saas;
    if (cli_parse_double(args, "good-margin", so->margin_good, -10.0, 1.0, &so->margin_good) ||
        cli_parse_double(args, "fair-margin", so->margin_fair, -10.0, 1.0, &so->margin_fair))
        status = CLI_EXIT_USAGE;
    else if (so->margin_fair > so->margin_good)
        status = cli_opt(args, "good-margin") && cli_opt(args, "fair-margin")
                     ? cli_usage_error(args, "--fair-margin %g is above --good-margin %g",
                                       so->margin_fair, so->margin_good)
                     : cli_usage_error(args,
                                       "the fair margin %g is above the good margin %g (one of "
                                       "them from the configuration)",
                                       so->margin_fair, so->margin_good);
    else
        status = cli_run_sections(args, &s.o, REVOPS_SECTION_PROFITABILITY, format);
    cli_settings_free(&s);
    return status;
}

static const cli_option profitability_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files", 0},
    {"config", "FILE", "settings from this revops.yaml (default: ./revops.yaml if present)", 0},
    {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},
    {"period", "P", "deals won in 2026-07, 2026-Q3 or 2026 (default: the as-of quarter)", 0},
    {"fiscal-start", "M", "first month of the fiscal year, 1-12 (default 1)", 0},
    {"currency", "CODE", "reporting currency (default: the data's own)", 0},
    {"gross-margin", "X",
     "gross margin 0-1 instead of the measured one (delivery = 1 - X), or auto", 0},
    {"good-margin", "X", "a margin % at or above X is good (default 0.30)", 0},
    {"fair-margin", "X", "a margin % at or above X is fair (default 0.10); above 0 poor", 0},
    {"format", "FMT", "text (default), json or csv", 0},
    {"output", "PATH", "write to this file (a folder for csv) instead of standard output", 'o'},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_profitability = {
    .name = "profitability",
    .summary = "margin of each deal won in a period, after sales and delivery costs, rated",
    .usage = "--db FILE | --csv DIR [--period P] [--as-of DATE] [--format text|json|csv] "
             "[-o PATH]",
    .options = profitability_options,
    .details = "Each won deal is charged its month's sales cost in proportion to its value\n"
               "among that month's won deals, and a delivery cost of its value times the share\n"
               "of revenue delivery took over the last 12 months. The definitions are in\n"
               "docs/metrics.md; the JSON shape in docs/saas.md.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_profitability,
};
