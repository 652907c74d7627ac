/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops demo: generate data, create a store, import it and summarise it, in one go.
 */
#include <stdio.h>

#include "cli.h"

static int run_demo(cli_args *args)
{
    const char *dir = cli_opt(args, "dir") ? cli_opt(args, "dir") : "demo";
    const char *db = cli_opt(args, "db") ? cli_opt(args, "db") : "demo.db";
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = dir;
    go.seed = 7;
    int status = cli_gen_options(args, &go);
    if (status)
        return status;

    double t0 = cli_now();
    revops_gen_report gr;
    int rc = revops_gen(&go, &gr);
    cli_progress_done();
    if (rc)
        return cli_lib_error("generating data", rc);
    double t1 = cli_now();
    printf("1. generated %llu opportunities and everything around them into %s/ (%.1f MB, "
           "%.1f s)\n",
           (unsigned long long)go.scale, dir, (double)gr.bytes / 1e6, t1 - t0);

    revops_store *store;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    if ((rc = revops_store_open(&store, db, &so)))
        return cli_lib_error("opening the store", rc);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.default_currency = "RUB";
    io.progress = cli_progress;
    io.warning = cli_warning;
    revops_import_report ir;
    const char *paths[1] = {dir};
    rc = revops_import(store, paths, 1, &io, &ir);
    cli_progress_done();
    if (rc) {
        revops_store_close(store);
        revops_import_report_free(&ir);
        return cli_lib_error("importing the demo data", rc);
    }
    double t2 = cli_now();
    printf("2. imported %llu rows into %s (%llu new, %llu updated, %llu unchanged, %llu "
           "rejected; %.1f s)\n",
           (unsigned long long)ir.rows, db, (unsigned long long)ir.inserted,
           (unsigned long long)ir.updated, (unsigned long long)ir.unchanged,
           (unsigned long long)ir.rejected, t2 - t1);
    int rejected = ir.rejected > 0;
    revops_import_report_free(&ir);

    revops_dataset *ds;
    rc = revops_dataset_load_store(&ds, store, cli_progress, NULL);
    cli_progress_done();
    revops_store_close(store);
    if (rc)
        return cli_lib_error("loading the store", rc);
    revops_stats *st;
    rc = revops_stats_compute(&st, ds, REVOPS_NO_DAY);
    revops_dataset_free(ds);
    if (rc)
        return cli_lib_error("computing statistics", rc);
    printf("3. loaded the store and checked it (%.1f s):\n\n", cli_now() - t2);
    rc = revops_stats_write_text(st, stdout);
    revops_stats_free(st);
    if (rc)
        return cli_lib_error("writing statistics", rc);
    printf("\nNext: revops stats --db %s --format json\n", db);
    return rejected ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
}

static const cli_option demo_options[] = {
    {"dir", "DIR", "folder for the generated CSV files (default demo)", 0},
    {"db", "FILE", "store to create or update (default demo.db)", 0},
    {"scale", "N", "number of opportunities (default 20000)", 0},
    {"seed", "S", "random seed (default 7)", 0},
    {"start", "DATE", "first day of the history (default 2023-07-01)", 0},
    {"months", "M", "months of history (default 36)", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_demo = {
    .name = "demo",
    .summary = "generate demo data, import it into a store and summarise it",
    .usage = "[--dir DIR] [--db FILE] [--scale N] [--seed S]",
    .options = demo_options,
    .details = "Runs gen, init, import and stats in one go. Running it again with the same\n"
               "options regenerates the same files and leaves the store unchanged.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_demo,
};
