/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops config init | check [FILE] | show [FILE]: the configuration file, revops.yaml, and
 * the --config loading every analysing command shares.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_CONFIG "revops.yaml"

/* Prints one configuration error the way compilers do: file:line:column: message. */
static void print_error(void *ctx, const revops_error *e)
{
    (void)ctx;
    cli_progress_done();
    if (e->file[0] && e->line > 0)
        fprintf(stderr, "%s:%ld:%ld: %s\n", e->file, e->line, e->column, e->message);
    else if (e->line > 0)
        fprintf(stderr, "line %ld, column %ld: %s\n", e->line, e->column, e->message);
    else
        fprintf(stderr, "%s\n", e->message);
}

/* Loads `path`, printing every error; returns an exit status. */
static int load(const char *path, revops_config **out)
{
    revops_config_load_options lo = REVOPS_CONFIG_LOAD_OPTIONS_INIT;
    lo.on_error = print_error;
    int rc = revops_config_load_file(out, path, &lo);
    if (rc == REVOPS_EIO)
        return cli_lib_error("reading the configuration", rc);
    return rc ? revops_error_exit_status(rc) : CLI_EXIT_OK;
}

int cli_load_config(const cli_args *args, revops_config **out)
{
    const char *path = cli_opt(args, "config");
    *out = NULL;
    if (!path && access(DEFAULT_CONFIG, F_OK) == 0)
        path = DEFAULT_CONFIG;
    if (!path) {
        int rc = revops_config_default(out);
        return rc ? cli_lib_error("preparing the default configuration", rc) : CLI_EXIT_OK;
    }
    int status = load(path, out);
    if (status && *out == NULL && revops_error_last()->code != REVOPS_EIO)
        fprintf(stderr,
                "revops %s: %s has errors, so nothing was done (see: revops config check "
                "%s)\n",
                args->cmd->name, path, path);
    return status;
}

static int run_config(cli_args *args)
{
    const char *what = args->positional[0];
    const char *file = args->npositional > 1 ? args->positional[1] : NULL;
    revops_config *cfg = NULL;
    int status;
    if (strcmp(what, "init") == 0) {
        if (file)
            return cli_usage_error(args, "config init writes to standard output: revops config "
                                         "init > revops.yaml");
        int rc = revops_config_default(&cfg);
        if (!rc)
            rc = revops_config_write(cfg, stdout);
        revops_config_free(cfg);
        return rc ? cli_lib_error("writing the configuration", rc) : CLI_EXIT_OK;
    }
    if (strcmp(what, "check") == 0 || strcmp(what, "show") == 0) {
        if (!file)
            file = DEFAULT_CONFIG;
        if ((status = load(file, &cfg)))
            return status;
        int rc = 0;
        if (strcmp(what, "check") == 0)
            printf("ok\n");
        else
            rc = revops_config_write(cfg, stdout);
        revops_config_free(cfg);
        return rc ? cli_lib_error("writing the configuration", rc) : CLI_EXIT_OK;
    }
    return cli_usage_error(args, "no config action '%s': use init, check or show", what);
}

const cli_command cli_cmd_config = {
    .name = "config",
    .summary = "write, check or show the configuration (revops.yaml)",
    .usage = "init | check [FILE] | show [FILE]",
    .options = NULL,
    .details =
        "init prints the whole default configuration, commented: revops config init >\n"
        "revops.yaml. check prints every error of FILE (default revops.yaml) with its line and\n"
        "column, or \"ok\". show prints the configuration FILE amounts to, defaults filled in.\n"
        "Commands that analyse read --config FILE, or ./revops.yaml when it exists. Every key\n"
        "is described in docs/config.md.",
    .min_positional = 1,
    .max_positional = 2,
    .run = run_config,
};
