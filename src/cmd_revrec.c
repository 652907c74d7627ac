/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops revrec: revenue recognition (ASC 606 / IFRS 15) by month, or one contract's
 * allocation and schedule, as text, JSON or CSV.
 */
#include <stdio.h>

#include "cli.h"

static int run_revrec(cli_args *args)
{
    int format = cli_output_format(args);
    if (format < 0)
        return CLI_EXIT_USAGE;
    cli_settings s;
    int status = cli_saas_options(args, &s);
    if (status)
        return status;
    s.saas.contract = cli_opt(args, "contract");
    status = cli_run_sections(args, &s.o, REVOPS_SECTION_REVREC, format);
    cli_settings_free(&s);
    return status;
}

static const cli_option revrec_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files", 0},
    {"config", "FILE", "settings from this revops.yaml (default: ./revops.yaml if present)", 0},
    {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},
    {"from", "MONTH", "first month shown, YYYY-MM (default: the first with a contract)", 0},
    {"to", "MONTH", "last month shown, YYYY-MM; later than the as-of month shows the schedule", 0},
    {"contract", "ID", "also show this contract: allocation, schedules, invoices, balances", 0},
    {"currency", "CODE", "reporting currency (default: the data's own)", 0},
    {"format", "FMT", "text (default), json or csv", 0},
    {"output", "PATH", "write to this file (a folder for csv) instead of standard output", 'o'},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_revrec = {
    .name = "revrec",
    .summary = "revenue recognition: recognized, billed, deferred and unbilled by month",
    .usage = "--db FILE | --csv DIR [--from YYYY-MM] [--to YYYY-MM] [--contract ID] "
             "[--as-of DATE] [--format text|json|csv] [-o PATH]",
    .options = revrec_options,
    .details = "A contract's price (the sum of its lines' prices) is allocated to its lines in\n"
               "proportion to their standalone selling prices, exactly to the minor unit; a\n"
               "ratable line is recognized day by day over [start_date, end_date), the others\n"
               "on their date. Invoices are matched to contracts by contract_id. The\n"
               "definitions are in docs/metrics.md; the JSON shape in docs/saas.md.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_revrec,
};
