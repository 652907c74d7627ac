/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops init: create an empty store with the current schema (or migrate an old one).
 */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static int run_init(cli_args *args)
{
    const char *db = cli_opt(args, "db");
    if (!db)
        return cli_usage_error(args, "--db FILE is required");
    int existed = access(db, F_OK) == 0;
    revops_store *store;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    int rc = revops_store_open(&store, db, &so);
    if (rc)
        return cli_lib_error("opening the store", rc);
    int version = 0;
    rc = revops_store_schema_version(store, &version);
    revops_store_close(store);
    if (rc)
        return cli_lib_error("reading the schema version", rc);
    if (existed)
        printf("store %s is ready (schema version %d; it already existed)\n", db, version);
    else
        printf("created store %s (schema version %d)\n", db, version);
    return CLI_EXIT_OK;
}

static const cli_option init_options[] = {
    {"db", "FILE", "the store to create (a SQLite file)", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_init = {
    .name = "init",
    .summary = "create an empty store with the current schema",
    .usage = "--db FILE",
    .options = init_options,
    .details = "An existing store is left as it is, or migrated when its schema is older.",
    .min_positional = 0,
    .max_positional = 0,
    .run = run_init,
};
