/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops gen: deterministic, realistic demo data as native CSV files.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_gen_options(cli_args *args, revops_gen_options *go)
{
    uint64_t months;
    if (cli_parse_u64(args, "scale", go->scale, 1, REVOPS_GEN_MAX_SCALE, &go->scale) ||
        cli_parse_u64(args, "seed", go->seed, 0, UINT64_MAX, &go->seed) ||
        cli_parse_u64(args, "months", (uint64_t)go->months, 1, 240, &months))
        return CLI_EXIT_USAGE;
    go->months = (int)months;
    const char *start = cli_opt(args, "start");
    if (start && revops_day_parse(&go->start, start, strlen(start)))
        return cli_usage_error(args, "--start must be a date (YYYY-MM-DD), not '%s'", start);
    go->progress = cli_progress;
    return CLI_EXIT_OK;
}

static int run_gen(cli_args *args)
{
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = cli_opt(args, "out");
    if (!go.out_dir)
        return cli_usage_error(args, "--out DIR is required");
    int rc = cli_gen_options(args, &go);
    if (rc)
        return rc;
    revops_gen_report report;
    double t0 = cli_now();
    rc = revops_gen(&go, &report);
    double seconds = cli_now() - t0;
    cli_progress_done();
    if (rc)
        return cli_lib_error("generating data", rc);
    uint64_t total = 0;
    for (size_t e = 0; e < revops_entity_count(); e++) {
        printf("%-20s %12llu\n", revops_entity_at(e)->name, (unsigned long long)report.rows[e]);
        total += report.rows[e];
    }
    printf("%-20s %12llu\n\nwrote %llu rows (%.1f MB) to %s in %.2f s\n", "total",
           (unsigned long long)total, (unsigned long long)total, (double)report.bytes / 1e6,
           go.out_dir, seconds);
    return CLI_EXIT_OK;
}

static const cli_option gen_options[] = {
    {"out", "DIR", "folder for the <entity>.csv files (created when missing)", 0},
    {"scale", "N", "number of opportunities (default 20000); the rest scales with it", 0},
    {"seed", "S", "random seed (default 1): the same seed gives the same bytes", 0},
    {"start", "DATE", "first day of the history (default 2023-07-01)", 0},
    {"months", "M", "months of history (default 36)", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_gen = {
    .name = "gen",
    .summary = "generate realistic demo CRM data as <entity>.csv files",
    .usage = "--out DIR [--scale N] [--seed S] [--start DATE] [--months M]",
    .options = gen_options,
    .details = "The data describe a B2B services and SaaS company (an SEO agency selling\n"
               "technical audits, content strategy and enterprise SEO campaigns, in RUB with\n"
               "some USD and EUR accounts): teams, reps, quotas, leads, deals with stage\n"
               "histories, activities, subscriptions, invoices, contracts, tickets, usage,\n"
               "marketing touches, costs, exchange rates, experiments and commission plans.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_gen,
};
