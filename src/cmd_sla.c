/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops sla: the handoff SLA report: first-response times, breaches and acceptance against
 * the target, per handoff, team and rep, as of a day.
 */
#include <stdio.h>

#include "cli.h"

static int run_sla(cli_args *args)
{
    int json = cli_format_json(args);
    revops_sla_options so = REVOPS_SLA_OPTIONS_INIT;
    uint64_t top;
    if (json < 0 || cli_parse_as_of(args, &so.as_of) ||
        cli_parse_u64(args, "top", 20, 0, 1000000000, &top))
        return CLI_EXIT_USAGE;
    so.top = (size_t)top;
    revops_config *cfg;
    int status = cli_load_config(args, &cfg);
    if (status)
        return status;
    revops_dataset *ds;
    if ((status = cli_load_dataset_stages(args, &cfg->stages, &ds))) {
        revops_config_free(cfg);
        return status;
    }
    revops_sla_report *r;
    int rc = revops_sla_report_compute(&r, ds, cfg, &so);
    if (rc) {
        status = cli_lib_error("computing the SLA report", rc);
    } else if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_sla_report_write_json(r, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
        status = rc ? cli_lib_error("writing the report", rc) : CLI_EXIT_OK;
    } else {
        rc = revops_sla_report_write_text(r, stdout);
        status = rc ? cli_lib_error("writing the report", rc) : CLI_EXIT_OK;
    }
    if (!rc)
        revops_sla_report_free(r);
    revops_dataset_free(ds);
    revops_config_free(cfg);
    return status;
}

static const cli_option sla_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files instead", 0},
    {"config", "FILE", "the handoffs and SLAs of this revops.yaml", 0},
    {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},
    {"top", "N", "list the N most late breaches (default 20; 0 for all)", 0},
    {"format", "FMT", "text (default) or json", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_sla = {
    .name = "sla",
    .summary = "handoff SLA report: first responses, breaches, acceptance, per team and rep",
    .usage = "--db FILE | --csv DIR [--as-of DATE] [--top N] [--format text|json]",
    .options = sla_options,
    .details =
        "Reports on the handoff tasks (revops lifecycle run creates them): how fast the\n"
        "receiving side first responded, which tasks breached the SLA's response time, and the\n"
        "share accepted against the acceptance target, per handoff, team and rep. See\n"
        "docs/lifecycle.md.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_sla,
};
