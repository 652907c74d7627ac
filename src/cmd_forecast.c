/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops forecast: the bookings of a period, with a range and the chance of reaching a
 * target, each method's number, the forecast categories, the deals that carry the
 * uncertainty and the risks; and, with --backtest K, how accurate each method was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The forecast's own options into s->forecast; prints the error and returns CLI_EXIT_USAGE
 * when one is bad. */
static int forecast_options_of(cli_args *args, cli_settings *s)
{
    revops_forecast_options *fo = &s->forecast;
    uint64_t sims, seed, backtest, threads, deals;
    if (cli_parse_u64(args, "sims", fo->simulations, 1, 100000000, &sims) ||
        cli_parse_u64(args, "seed", fo->seed, 0, UINT64_MAX, &seed) ||
        cli_parse_u64(args, "backtest", fo->backtest, 0, 400, &backtest) ||
        cli_parse_u64(args, "threads", (uint64_t)fo->threads, 0, 64, &threads) ||
        cli_parse_u64(args, "deals", fo->deals_limit, 0, 1000000000, &deals))
        return CLI_EXIT_USAGE;
    fo->simulations = sims;
    fo->seed = seed;
    fo->backtest = (unsigned)backtest;
    fo->threads = (int)threads;
    fo->deals_limit = (size_t)deals;
    fo->target = cli_opt(args, "target");
    if (fo->target) {
        /* Checked now with two decimals; the reporting currency's own are applied later. */
        int64_t check;
        if (revops_money_parse(&check, fo->target, strlen(fo->target), 4) || check < 0)
            return cli_usage_error(args,
                                   "--target must be a non-negative amount such as 150000000, "
                                   "not '%s'",
                                   fo->target);
    }
    const char *weights = cli_opt(args, "weights");
    if (weights && strcmp(weights, "backtest") == 0) {
        if (fo->backtest == 0)
            return cli_usage_error(args, "--weights backtest needs --backtest K");
        fo->weights_from_backtest = 1;
    } else if (weights && strcmp(weights, "configured") != 0) {
        return cli_usage_error(args, "--weights must be configured or backtest, not '%s'", weights);
    }
    return CLI_EXIT_OK;
}

static int run_forecast(cli_args *args)
{
    int format = 0;
    const char *fmt = cli_opt(args, "format");
    if (fmt && strcmp(fmt, "json") == 0)
        format = 1;
    else if (fmt && strcmp(fmt, "csv") == 0)
        format = 2;
    else if (fmt && strcmp(fmt, "text") != 0)
        return cli_usage_error(args, "--format must be text, json or csv, not '%s'", fmt);
    cli_settings s;
    int status = cli_analysis_setup(args, &s);
    if (status)
        return status;
    s.o.sections = REVOPS_SECTION_FORECAST;
    revops_dataset *ds = NULL;
    if ((status = forecast_options_of(args, &s)) ||
        (status = cli_load_dataset_stages(args, s.o.stages, &ds))) {
        cli_settings_free(&s);
        return status;
    }
    revops_analysis *a;
    int rc = revops_forecast(&a, ds, &s.o, &s.forecast);
    revops_dataset_free(ds);
    cli_settings_free(&s);
    if (rc)
        return cli_lib_error("forecasting", rc);
    status = cli_write_analysis(args, a, format);
    revops_analysis_free(a);
    return status;
}

static const cli_option forecast_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files", 0},
    {"config", "FILE", "settings from this revops.yaml (default: ./revops.yaml if present)", 0},
    {"period", "P", "2026-07, 2026-Q3 or 2026 (default: the quarter of the as-of day)", 0},
    {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},
    {"target", "AMOUNT", "bookings target in the reporting currency (default: the quota)", 0},
    {"sims", "N", "Monte Carlo runs (default 10000, or the configuration's)", 0},
    {"seed", "S", "random seed; the same seed gives the same numbers (default 1)", 0},
    {"backtest", "K", "backtest the last K finished periods, as of their starts and weeks", 0},
    {"weights", "HOW", "ensemble weights: configured (default, from revops.yaml) or backtest", 0},
    {"deals", "N", "deals listed, most uncertain first (default 25; 0 for all)", 0},
    {"threads", "N", "simulation threads (default: one per core)", 0},
    {"fiscal-start", "M", "first month of the fiscal year, 1-12 (default 1)", 0},
    {"currency", "CODE", "reporting currency (default: the data's own)", 0},
    {"probability", "HOW", "stage probabilities: configured (default) or historical", 0},
    {"window-days", "N", "win rates over this many days (default 365)", 0},
    {"stalled-factor", "X", "stalled: days in stage above X times the median (default 2)", 0},
    {"stalled-days", "N", "stalled: no activity for more than N days (default 14)", 0},
    {"format", "FMT", "text (default), json or csv", 0},
    {"output", "PATH", "write to this file (a folder for csv) instead of standard output", 'o'},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_forecast = {
    .name = "forecast",
    .summary = "bookings forecast of a period: range, chance of target, methods, backtest",
    .usage = "--db FILE | --csv DIR [--period P] [--as-of DATE] [--target AMOUNT] [--sims N]\n"
             "       [--seed S] [--backtest K] [--format text|json|csv] [-o PATH]",
    .options = forecast_options,
    .details = "The expected bookings follow the ensemble of the four methods, less the open\n"
               "deals' expected slippage; the P10-P90 range and the chance of reaching the\n"
               "target come from a Monte Carlo simulation of the open deals closing in the\n"
               "period around it. Everything is as known at the end of the as-of day; a\n"
               "backtest reruns every method as of the start (and each week) of past\n"
               "periods. Definitions: docs/metrics-forecast.md; JSON: docs/forecast.md.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_forecast,
};
