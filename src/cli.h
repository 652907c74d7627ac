/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `revops` program's shared pieces: the command table's types, option parsing, error
 * reporting, progress lines and the dataset loading every analysis command does.
 */
#ifndef REVOPS_CLI_H
#define REVOPS_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "revops/revops.h"

/* Exit statuses: the library's table (revops_error_exit_status) plus these. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILURE 1 /* an unexpected failure */
#define CLI_EXIT_USAGE 2   /* bad usage or bad input: nothing was done */
#define CLI_EXIT_PARTIAL 3 /* done, but some input rows were rejected */

#define CLI_MAX_OPTIONS 24

typedef struct cli_option {
    const char *name; /* long name, without "--" */
    const char *arg;  /* name of its value ("FILE"), or NULL for a flag */
    const char *help;
    char letter; /* a one-letter alias ("-o"), or 0 */
} cli_option;

typedef struct cli_args cli_args;

typedef struct cli_command {
    const char *name;
    const char *summary;       /* one line, for `revops --help` */
    const char *usage;         /* the synopsis after "revops <name> " */
    const cli_option *options; /* NULL-terminated by a zero entry */
    const char *details;       /* paragraphs after the options, or NULL */
    int min_positional;
    int max_positional; /* -1: any number */
    int (*run)(cli_args *args);
} cli_command;

struct cli_args {
    const cli_command *cmd;
    const char *values[CLI_MAX_OPTIONS];
    int given[CLI_MAX_OPTIONS];
    const char **positional;
    size_t npositional;
};

/* The commands, each defined in its cmd_<name>.c; main.c lists them in its table. */
extern const cli_command cli_cmd_analyze;
extern const cli_command cli_cmd_cohorts;
extern const cli_command cli_cmd_config;
extern const cli_command cli_cmd_demo;
extern const cli_command cli_cmd_forecast;
extern const cli_command cli_cmd_gen;
extern const cli_command cli_cmd_import;
extern const cli_command cli_cmd_init;
extern const cli_command cli_cmd_lifecycle;
extern const cli_command cli_cmd_pipeline;
extern const cli_command cli_cmd_profitability;
extern const cli_command cli_cmd_revrec;
extern const cli_command cli_cmd_route;
extern const cli_command cli_cmd_saas;
extern const cli_command cli_cmd_score;
extern const cli_command cli_cmd_sla;
extern const cli_command cli_cmd_task;
extern const cli_command cli_cmd_stats;

/* Parses argv (after the command name) against cmd's options; prints the error and returns
 * CLI_EXIT_USAGE on bad usage, -1 when --help was asked (help printed), else 0. */
int cli_parse(cli_args *args, const cli_command *cmd, int argc, char **argv);
void cli_args_free(cli_args *args);

/* The value of option `name`, or NULL when not given. */
const char *cli_opt(const cli_args *args, const char *name);
/* 1 when flag `name` was given. */
int cli_flag(const cli_args *args, const char *name);

/* Prints "revops <cmd>: message" to stderr and returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli_args *args, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the library's last error (with its file, line and field when known) to stderr,
 * prefixed with `doing`, and returns the exit status for `code`. */
int cli_lib_error(const char *doing, int code);

void cli_print_command_help(const cli_command *cmd);

/* Parses a whole non-negative number option; prints the error and returns -1 when bad. */
int cli_parse_u64(const cli_args *args, const char *name, uint64_t def, uint64_t min, uint64_t max,
                  uint64_t *out);

/* Parses a decimal option within [min, max]; prints the error and returns -1 when bad. */
int cli_parse_double(const cli_args *args, const char *name, double def, double min, double max,
                     double *out);

/* Checks that `path` can be written: its folder exists and is writable (the file itself is
 * written later). Prints the error and returns -1 when not. */
int cli_check_output(const cli_args *args, const char *path);

/* Parses --as-of (a date, "latest" or absent: REVOPS_NO_DAY meaning latest). */
int cli_parse_as_of(const cli_args *args, int32_t *out);

/* "text" (default) or "json"; returns 1 for json, 0 for text, -1 (error printed) otherwise. */
int cli_format_json(const cli_args *args);

/* A progress callback that rewrites one line on stderr when stderr is a terminal. */
void cli_progress(void *ctx, const char *what, uint64_t done, uint64_t total);
/* Clears the progress line (when one was drawn). */
void cli_progress_done(void);

/* Prints a library warning to stderr (a revops_warning_fn). */
void cli_warning(void *ctx, const char *message);

/* Loads the dataset named by --db or --csv. Prints errors; returns an exit status. */
int cli_load_dataset(const cli_args *args, revops_dataset **out);
/* The same, checking the stages of CSV files against `stages` (NULL: the default ones). */
int cli_load_dataset_stages(const cli_args *args, const revops_stages *stages,
                            revops_dataset **out);

/* Loads --config FILE, or ./revops.yaml when it exists, or the defaults (cmd_config.c).
 * Prints every error; returns an exit status. The caller frees *out. */
int cli_load_config(const cli_args *args, revops_config **out);

/* Reads --scale, --seed, --start and --months into `go` (cmd_gen.c; shared with demo). */
int cli_gen_options(cli_args *args, revops_gen_options *go);

/* Reads the analysis options shared by analyze and pipeline (cmd_analyze.c); the values `o`
 * holds are the defaults of the options not given. */
int cli_analysis_options(cli_args *args, revops_analysis_options *o);

/*
 * The settings of an analysing command: the configuration's, then the command line's over
 * them. `o` borrows from `cfg` (stages, KPI levels, activity targets, currency) and points at
 * `saas` and `forecast`, so use the struct where cli_analysis_setup filled it (never a copy)
 * and free it with cli_settings_free only when the analysis is done.
 */
typedef struct cli_settings {
    revops_config *cfg;
    revops_analysis_options o;
    revops_saas_options saas;
    revops_forecast_options forecast;
} cli_settings;

/* Loads --config FILE (or ./revops.yaml, or the defaults) into `s` and reads the analysis
 * options of the command line over it (cmd_analyze.c). Prints errors; returns an exit status.
 * On failure nothing is left to free. */
int cli_analysis_setup(cli_args *args, cli_settings *s);
void cli_settings_free(cli_settings *s);
/* Writes an analysis as --format and -o ask. */
int cli_write_analysis(cli_args *args, const revops_analysis *a, int format);

/* cli_analysis_setup, then the options of the recurring-revenue commands (--from, --to,
 * --gross-margin) into s->saas (cmd_saas.c). On failure nothing is left to free. */
int cli_saas_options(cli_args *args, cli_settings *s);
/* --format: 0 text (default), 1 json, 2 csv; -1 with the error printed otherwise. */
int cli_output_format(cli_args *args);
/* Loads the data (CSV rows checked against o->stages), analyses only `sections` and writes
 * the report as --format and -o ask. */
int cli_run_sections(cli_args *args, revops_analysis_options *o, unsigned sections, int format);

/* `revops score leads --model ...` and `score deals` (cmd_score_models.c). */
int cli_score_model(cli_args *args, revops_score_subject subject);
/* `revops score churn` and `score expansion` (cmd_score_accounts.c). */
int cli_score_accounts(cli_args *args, revops_account_score_kind kind);
/* Parses --now: a time, a date (its end), "latest" (REVOPS_NO_TIME: the end of the data's
 * latest event day) or absent (the present moment) (cmd_route.c). Prints the error and
 * returns -1 when bad. */
int cli_parse_now(const cli_args *args, revops_time *out);

/* Seconds on a monotonic clock. */
double cli_now(void);

#endif
