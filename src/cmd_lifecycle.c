/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops lifecycle run: applies the configured transitions to every lead and opportunity,
 * records each change, creates the handoff tasks and brings their state up to date, in one
 * transaction (or, with --dry-run, only says what it would do).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int write_run(const revops_lifecycle_run *r, const revops_config *cfg, int json, size_t top)
{
    int rc;
    if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_lifecycle_run_write_json(r, cfg, top, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
    } else {
        rc = revops_lifecycle_run_write_text(r, cfg, top, stdout);
    }
    return rc ? cli_lib_error("writing the run", rc) : CLI_EXIT_OK;
}

static int run_lifecycle(cli_args *args)
{
    if (strcmp(args->positional[0], "run") != 0)
        return cli_usage_error(args, "no lifecycle action '%s': use run", args->positional[0]);
    int dry_run = cli_flag(args, "dry-run");
    if (cli_opt(args, "csv") && !dry_run)
        return cli_usage_error(args, "lifecycle run writes to a store: give --db FILE, or add "
                                     "--dry-run to only see what it would do");
    int json = cli_format_json(args);
    uint64_t top;
    revops_lifecycle_options lo = REVOPS_LIFECYCLE_OPTIONS_INIT;
    lo.dry_run = dry_run;
    lo.currency = cli_opt(args, "currency");
    if (json < 0 || cli_parse_now(args, &lo.now) ||
        cli_parse_u64(args, "top", 20, 0, 1000000000, &top))
        return CLI_EXIT_USAGE;
    revops_config *cfg;
    int status = cli_load_config(args, &cfg);
    if (status)
        return status;
    revops_lifecycle_run *r = NULL;
    revops_dataset *ds = NULL;
    int rc;
    const char *db = cli_opt(args, "db");
    if (db && !cli_opt(args, "csv")) {
        revops_store *store;
        revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
        so.readonly = dry_run;
        if ((rc = revops_store_open(&store, db, &so))) {
            status = cli_lib_error("opening the store", rc);
            goto done;
        }
        rc = revops_lifecycle_run_store(&r, store, cfg, &lo);
        revops_store_close(store);
    } else {
        if ((status = cli_load_dataset_stages(args, &cfg->stages, &ds)))
            goto done;
        rc = revops_lifecycle_apply(&r, ds, cfg, &lo);
    }
    status = rc ? cli_lib_error("running the lifecycle", rc) : write_run(r, cfg, json, top);
done:
    revops_lifecycle_run_free(r);
    revops_dataset_free(ds);
    revops_config_free(cfg);
    return status;
}

static const cli_option lifecycle_options[] = {
    {"db", "FILE", "the store to run on (written in one transaction)", 0},
    {"csv", "DIR", "a folder of <entity>.csv files (with --dry-run only)", 0},
    {"config", "FILE", "the transitions and handoffs of this revops.yaml", 0},
    {"dry-run", NULL, "work everything out, write nothing", 0},
    {"now", "TIME", "run as of this time, a date (its end) or 'latest' (default: now)", 0},
    {"top", "N", "list the first N changes and tasks (default 20; 0 for all)", 0},
    {"currency", "CODE", "the currency the exchange rates convert into", 0},
    {"format", "FMT", "text (default) or json", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_lifecycle = {
    .name = "lifecycle",
    .summary = "apply the stage transitions, record each change, create the handoff tasks",
    .usage = "run --db FILE | --csv DIR --dry-run [--now TIME] [--top N] [--format text|json]",
    .options = lifecycle_options,
    .details =
        "Moves every lead and opportunity by the transitions of revops.yaml whose criteria\n"
        "hold, until none applies, and records each change in lifecycle_change. A record that\n"
        "entered a handoff's stage gets a task for the receiving department, whose creation\n"
        "starts the SLA clock (revops sla reports on them). All in one transaction; running\n"
        "it again at the same time changes nothing. See docs/lifecycle.md.",
    .min_positional = 1,
    .max_positional = 1,
    .run = run_lifecycle,
};
