/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops route: the rep a lead should go to, with every candidate's factors (--lead ID, or a
 * JSON lead on standard input with "-"), or every unassigned lead at once (--unassigned),
 * written to the store in one transaction unless --dry-run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* A JSON lead larger than this is refused by the library; reading one byte more tells. */
#define INPUT_MAX (1024 * 1024 + 1)

int cli_parse_now(const cli_args *args, revops_time *out)
{
    const char *v = cli_opt(args, "now");
    if (!v) {
        *out = (revops_time)time(NULL);
        return 0;
    }
    if (strcmp(v, "latest") == 0) {
        *out = REVOPS_NO_TIME;
        return 0;
    }
    revops_day day;
    if (strlen(v) == 10 && revops_day_parse(&day, v, 10) == 0) {
        *out = revops_day_time(day) + 86399; /* a day means its end, as --as-of does */
        return 0;
    }
    if (revops_time_parse(out, v, strlen(v)) != 0) {
        cli_usage_error(args,
                        "--now must be a time (2026-03-15T12:00:00Z), a date (its end) or "
                        "'latest', not '%s'",
                        v);
        return -1;
    }
    return 0;
}

static int read_stdin(char **out, size_t *len)
{
    char *buf = malloc(INPUT_MAX);
    if (!buf) {
        fprintf(stderr, "revops: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    size_t n = fread(buf, 1, INPUT_MAX, stdin);
    if (ferror(stdin)) {
        free(buf);
        fprintf(stderr, "revops route: reading standard input failed\n");
        return CLI_EXIT_FAILURE;
    }
    *out = buf;
    *len = n;
    return CLI_EXIT_OK;
}

static int write_decision(const revops_route_decision *d, const revops_config *cfg, int json,
                          int explain)
{
    int rc;
    if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_route_decision_write_json(d, cfg, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
    } else {
        rc = revops_route_decision_write_text(d, cfg, explain, stdout);
    }
    return rc ? cli_lib_error("writing the decision", rc) : CLI_EXIT_OK;
}

static int write_batch(const revops_route_batch *b, int json, int dry_run)
{
    int rc;
    if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_route_batch_write_json(b, dry_run, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
    } else {
        rc = revops_route_batch_write_text(b, dry_run, stdout);
    }
    return rc ? cli_lib_error("writing the assignments", rc) : CLI_EXIT_OK;
}

/* --unassigned on a store: load, route and write in one transaction. */
static int route_store(cli_args *args, const revops_config *cfg,
                       const revops_route_batch_options *bo, int json)
{
    revops_store *store;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.readonly = bo->dry_run;
    int rc = revops_store_open(&store, cli_opt(args, "db"), &so);
    if (rc)
        return cli_lib_error("opening the store", rc);
    revops_route_batch *b;
    rc = revops_route_unassigned(&b, store, cfg, bo);
    revops_store_close(store);
    if (rc)
        return cli_lib_error("routing the unassigned leads", rc);
    int status = write_batch(b, json, bo->dry_run);
    revops_route_batch_free(b);
    return status;
}

static int run_route(cli_args *args)
{
    int from_stdin = args->npositional == 1 && strcmp(args->positional[0], "-") == 0;
    const char *lead = cli_opt(args, "lead");
    int unassigned = cli_flag(args, "unassigned");
    int dry_run = cli_flag(args, "dry-run"), explain = cli_flag(args, "explain");
    if (args->npositional == 1 && !from_stdin)
        return cli_usage_error(args,
                               "unexpected argument '%s': give - to read a lead as JSON "
                               "from standard input",
                               args->positional[0]);
    if ((lead != NULL) + from_stdin + unassigned != 1)
        return cli_usage_error(args, "give one of --lead ID, - (a JSON lead on standard input) "
                                     "or --unassigned");
    if (dry_run && !unassigned)
        return cli_usage_error(args, "--dry-run goes with --unassigned (routing one lead writes "
                                     "nothing anyway)");
    if (explain && unassigned)
        return cli_usage_error(args, "--explain is for one lead; --unassigned gives each lead's "
                                     "choice and reason");
    if (unassigned && !dry_run && cli_opt(args, "csv"))
        return cli_usage_error(args, "--unassigned writes the owners to a store: give --db FILE, "
                                     "or add --dry-run to only see them");
    int json = cli_format_json(args);
    if (json < 0)
        return CLI_EXIT_USAGE;
    revops_route_batch_options bo = REVOPS_ROUTE_BATCH_OPTIONS_INIT;
    bo.dry_run = dry_run;
    revops_route_options *ro = &bo.route;
    if (cli_parse_now(args, &ro->now))
        return CLI_EXIT_USAGE;
    ro->currency = cli_opt(args, "currency");
    ro->role = cli_opt(args, "role");
    const char *method = cli_opt(args, "method");
    if (method && strcmp(method, "weighted") == 0)
        ro->method = REVOPS_ROUTING_WEIGHTED;
    else if (method && strcmp(method, "round_robin") == 0)
        ro->method = REVOPS_ROUTING_ROUND_ROBIN;
    else if (method)
        return cli_usage_error(args, "--method must be weighted or round_robin, not '%s'", method);
    char *input = NULL;
    size_t input_len = 0;
    int status;
    if (from_stdin && (status = read_stdin(&input, &input_len)))
        return status;
    revops_config *cfg = NULL;
    revops_dataset *ds = NULL;
    revops_router *r = NULL;
    revops_route_decision *d = NULL;
    revops_route_batch *b = NULL;
    if ((status = cli_load_config(args, &cfg)))
        goto done;
    if (unassigned && cli_opt(args, "db")) {
        if (!cli_opt(args, "csv"))
            status = route_store(args, cfg, &bo, json);
        else
            status = cli_usage_error(args, "give either --db FILE (a store) or --csv DIR (a "
                                           "folder of <entity>.csv files)");
        goto done;
    }
    if ((status = cli_load_dataset_stages(args, &cfg->stages, &ds)))
        goto done;
    int rc = revops_router_new(&r, ds, cfg, ro);
    if (rc) {
        status = cli_lib_error("preparing the routing", rc);
        goto done;
    }
    if (unassigned) {
        rc = revops_router_route_unassigned(r, &b);
        status =
            rc ? cli_lib_error("routing the unassigned leads", rc) : write_batch(b, json, dry_run);
        goto done;
    }
    rc = from_stdin ? revops_router_route_json(r, input, input_len, "standard input", &d)
                    : revops_router_route(r, lead, &d);
    if (rc)
        status = cli_lib_error("routing the lead", rc);
    else
        status = write_decision(d, cfg, json, explain);
done:
    revops_route_batch_free(b);
    revops_route_decision_free(d);
    revops_router_free(r);
    revops_dataset_free(ds);
    revops_config_free(cfg);
    free(input);
    return status;
}

static const cli_option route_options[] = {
    {"db", "FILE", "read (and with --unassigned write) a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files instead", 0},
    {"config", "FILE", "routing weights, tiers and method of this revops.yaml", 0},
    {"lead", "ID", "route this lead of the data", 0},
    {"unassigned", NULL, "route every open lead without an owner, oldest first", 0},
    {"dry-run", NULL, "with --unassigned: print the assignments, write nothing", 0},
    {"explain", NULL, "list every candidate's factors, eligibility and score", 0},
    {"now", "TIME", "route as of this time, a date (its end) or 'latest' (default: now)", 0},
    {"role", "ROLE", "the candidates' role, or any (default: the stage's owner role)", 0},
    {"method", "M", "weighted or round_robin (default: the configuration's)", 0},
    {"currency", "CODE", "the currency the exchange rates convert into", 0},
    {"format", "FMT", "text (default) or json", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_route = {
    .name = "route",
    .summary = "the rep a lead should go to, and why; or route every unassigned lead",
    .usage = "--db FILE | --csv DIR (--lead ID [--explain] | - | --unassigned [--dry-run])\n"
             "             [--now TIME] [--role ROLE] [--method M] [--format text|json]",
    .options = route_options,
    .details = "Scores every candidate rep by region, industry expertise, workload, tier and\n"
               "performance with the weights of revops.yaml (docs/routing.md); only active reps\n"
               "with spare capacity are eligible. '-' reads a lead as JSON from standard input:\n"
               "  echo '{\"industry\":\"saas\",\"region\":\"Moscow\",\"estimated_value\":\"1200000 "
               "RUB\"}' |\n"
               "    revops route --db demo.db -\n"
               "--unassigned routes the open leads without an owner, counting each assignment in\n"
               "the rep's workload before the next, and stores the owners with a change-log row\n"
               "each (lifecycle_change) in one transaction.",
    .min_positional = 0,
    .max_positional = 1,
    .run = run_route,
};
