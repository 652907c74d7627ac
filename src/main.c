/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `revops` program: a table of commands drives both dispatch and help, so the help text
 * cannot drift from what the program does.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command *const commands[] = {
    &cli_cmd_demo,          &cli_cmd_gen,      &cli_cmd_init,  &cli_cmd_import,  &cli_cmd_analyze,
    &cli_cmd_pipeline,      &cli_cmd_forecast, &cli_cmd_saas,  &cli_cmd_cohorts, &cli_cmd_revrec,
    &cli_cmd_profitability, &cli_cmd_stats,    &cli_cmd_score, &cli_cmd_config,  &cli_cmd_route,
    &cli_cmd_lifecycle,     &cli_cmd_sla,      &cli_cmd_task,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *fp)
{
    fprintf(fp, "revops %s - revenue operations on your own machine\n\n", revops_version());
    fprintf(fp, "usage: revops <command> [options]\n\ncommands:\n");
    int width = 0;
    for (size_t i = 0; i < NCOMMANDS; i++)
        if ((int)strlen(commands[i]->name) > width)
            width = (int)strlen(commands[i]->name);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-*s  %s\n", width, commands[i]->name, commands[i]->summary);
    fprintf(fp, "\nRun 'revops <command> --help' for a command's options.\n"
                "Exit status: 0 done; 1 unexpected failure; 2 bad usage or input, nothing done;\n"
                "3 done, but some input rows were rejected.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (strcmp(commands[i]->name, argv[2]) == 0) {
                    cli_print_command_help(commands[i]);
                    return CLI_EXIT_OK;
                }
            fprintf(stderr, "revops: no command '%s'\n", argv[2]);
            return CLI_EXIT_USAGE;
        }
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        char info[256];
        printf("revops %s (%s)\n", revops_version(), revops_build_info(info, sizeof(info)));
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i]->name, name) != 0)
            continue;
        cli_args args;
        int rc = cli_parse(&args, commands[i], argc - 2, argv + 2);
        if (rc == 0)
            rc = commands[i]->run(&args);
        else if (rc < 0)
            rc = CLI_EXIT_OK; /* --help was printed */
        cli_args_free(&args);
        cli_progress_done();
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "revops: writing the output failed\n");
            return CLI_EXIT_FAILURE;
        }
        return rc;
    }
    fprintf(stderr, "revops: no command '%s'; run 'revops --help' for the list\n", name);
    return CLI_EXIT_USAGE;
}
