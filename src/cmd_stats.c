/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops stats: rows per entity and the data-quality summary.
 */
#include <stdio.h>

#include "cli.h"

static int run_stats(cli_args *args)
{
    int json = cli_format_json(args);
    int32_t as_of;
    if (json < 0 || cli_parse_as_of(args, &as_of))
        return CLI_EXIT_USAGE;
    revops_config *cfg;
    int status = cli_load_config(args, &cfg);
    if (status)
        return status;
    revops_dataset *ds;
    status = cli_load_dataset_stages(args, &cfg->stages, &ds);
    revops_config_free(cfg);
    if (status)
        return status;
    revops_stats *st;
    int rc = revops_stats_compute(&st, ds, as_of);
    revops_dataset_free(ds);
    if (rc)
        return cli_lib_error("computing statistics", rc);
    if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc) {
            revops_stats_write_json(st, j);
            rc = revops_json_write(j, stdout);
            revops_json_free(j);
        }
    } else {
        rc = revops_stats_write_text(st, stdout);
    }
    revops_stats_free(st);
    return rc ? cli_lib_error("writing statistics", rc) : CLI_EXIT_OK;
}

static const cli_option stats_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files instead", 0},
    {"as-of", "DATE", "judge open deals as of this day (default: the latest event)", 0},
    {"format", "FMT", "text (default) or json", 0},
    {"config", "FILE",
     "opportunity stages from this revops.yaml (default: ./revops.yaml if "
     "present)",
     0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_stats = {
    .name = "stats",
    .summary = "rows per entity and a data-quality summary",
    .usage = "--db FILE | --csv DIR [--format text|json] [--as-of DATE]",
    .options = stats_options,
    .details = "Data quality is the share of checked records that break no consistency rule;\n"
               "the rules and the fill rates are defined in docs/metrics.md.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_stats,
};
