/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const cli_option *find_option(const cli_command *cmd, const char *name, size_t len,
                                     size_t *index)
{
    for (size_t i = 0; cmd->options && cmd->options[i].name; i++) {
        if (strlen(cmd->options[i].name) == len && strncmp(cmd->options[i].name, name, len) == 0) {
            *index = i;
            return &cmd->options[i];
        }
    }
    return NULL;
}

static const cli_option *find_letter(const cli_command *cmd, char letter, size_t *index)
{
    for (size_t i = 0; cmd->options && cmd->options[i].name; i++) {
        if (cmd->options[i].letter && cmd->options[i].letter == letter) {
            *index = i;
            return &cmd->options[i];
        }
    }
    return NULL;
}

int cli_usage_error(const cli_args *args, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "revops %s: ", args->cmd->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fprintf(stderr, "(see: revops %s --help)\n", args->cmd->name);
    return CLI_EXIT_USAGE;
}

int cli_parse(cli_args *args, const cli_command *cmd, int argc, char **argv)
{
    memset(args, 0, sizeof(*args));
    args->cmd = cmd;
    args->positional = calloc((size_t)argc + 1, sizeof(*args->positional));
    if (!args->positional) {
        fprintf(stderr, "revops: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    int only_positional = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
            args->positional[args->npositional++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_print_command_help(cmd);
            return -1;
        }
        const char *name;
        const char *eq = NULL;
        size_t len, index;
        const cli_option *opt;
        if (a[1] != '-') {
            /* A one-letter alias such as -o. */
            opt = a[2] == '\0' ? find_letter(cmd, a[1], &index) : NULL;
            if (!opt)
                return cli_usage_error(args, "unknown option '%s'", a);
            name = opt->name;
            len = strlen(name);
        } else {
            name = a + 2;
            eq = strchr(name, '=');
            len = eq ? (size_t)(eq - name) : strlen(name);
            opt = find_option(cmd, name, len, &index);
            if (!opt)
                return cli_usage_error(args, "unknown option '--%.*s'", (int)len, name);
        }
        if (args->given[index])
            return cli_usage_error(args, "option --%s given twice", opt->name);
        args->given[index] = 1;
        if (!opt->arg) {
            if (eq)
                return cli_usage_error(args, "option --%s takes no value", opt->name);
            continue;
        }
        if (eq) {
            args->values[index] = eq + 1;
        } else if (i + 1 < argc) {
            args->values[index] = argv[++i];
        } else {
            return cli_usage_error(args, "option --%s needs a value (%s)", opt->name, opt->arg);
        }
    }
    if ((int)args->npositional < cmd->min_positional)
        return cli_usage_error(args, "missing argument: revops %s %s", cmd->name, cmd->usage);
    if (cmd->max_positional >= 0 && (int)args->npositional > cmd->max_positional)
        return cli_usage_error(args, "unexpected argument '%s'",
                               args->positional[cmd->max_positional]);
    return 0;
}

void cli_args_free(cli_args *args)
{
    free(args->positional);
    args->positional = NULL;
}

const char *cli_opt(const cli_args *args, const char *name)
{
    size_t index;
    if (!find_option(args->cmd, name, strlen(name), &index))
        return NULL;
    return args->given[index] ? args->values[index] : NULL;
}

int cli_flag(const cli_args *args, const char *name)
{
    size_t index;
    return find_option(args->cmd, name, strlen(name), &index) && args->given[index];
}

int cli_lib_error(const char *doing, int code)
{
    cli_progress_done();
    const revops_error *e = revops_error_last();
    fprintf(stderr, "revops: %s: ", doing);
    /* Input errors point at the place in the file, as compilers do. */
    if (e->file[0] && e->line > 0 && !strstr(e->message, e->file)) {
        fprintf(stderr, "%s:%ld", e->file, e->line);
        if (e->column > 0)
            fprintf(stderr, ":%ld", e->column);
        fputs(": ", stderr);
    } else if (e->line > 0 && e->file[0]) {
        fprintf(stderr, "line %ld", e->line);
        if (e->column > 0)
            fprintf(stderr, ", column %ld", e->column);
        fputs(": ", stderr);
    }
    fprintf(stderr, "%s\n", e->message[0] ? e->message : revops_error_code_name(code));
    return revops_error_exit_status(code);
}

void cli_print_command_help(const cli_command *cmd)
{
    printf("usage: revops %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
    if (cmd->options && cmd->options[0].name) {
        printf("\noptions:\n");
        for (size_t i = 0; cmd->options[i].name; i++) {
            char left[64];
            char alias[8] = "";
            if (cmd->options[i].letter)
                snprintf(alias, sizeof(alias), "-%c, ", cmd->options[i].letter);
            snprintf(left, sizeof(left), "%s--%s%s%s", alias, cmd->options[i].name,
                     cmd->options[i].arg ? " " : "",
                     cmd->options[i].arg ? cmd->options[i].arg : "");
            printf("  %-28s %s\n", left, cmd->options[i].help);
        }
    }
    if (cmd->details)
        printf("\n%s\n", cmd->details);
}

int cli_parse_u64(const cli_args *args, const char *name, uint64_t def, uint64_t min, uint64_t max,
                  uint64_t *out)
{
    const char *v = cli_opt(args, name);
    if (!v) {
        *out = def;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || errno || v[0] == '-' || n < min || n > max) {
        cli_usage_error(args, "--%s must be a whole number from %llu to %llu, not '%s'", name,
                        (unsigned long long)min, (unsigned long long)max, v);
        return -1;
    }
    *out = n;
    return 0;
}

int cli_parse_double(const cli_args *args, const char *name, double def, double min, double max,
                     double *out)
{
    const char *v = cli_opt(args, name);
    if (!v) {
        *out = def;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    double x = strtod(v, &end);
    /* !(x >= min) also refuses NaN */
    if (!*v || *end || errno || !(x >= min) || x > max) {
        cli_usage_error(args, "--%s must be a number from %g to %g, not '%s'", name, min, max, v);
        return -1;
    }
    *out = x;
    return 0;
}

int cli_check_output(const cli_args *args, const char *path)
{
    char dir[4096];
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--; /* a folder to create: check its parent */
    if (n >= sizeof(dir)) {
        cli_usage_error(args, "the output path is too long");
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash)
        memcpy(dir, ".", 2);
    else if (slash == dir)
        dir[1] = '\0'; /* the root folder */
    else
        *slash = '\0';
    if (access(dir, W_OK | X_OK) != 0) {
        cli_usage_error(args, "cannot write into %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int cli_parse_as_of(const cli_args *args, int32_t *out)
{
    const char *v = cli_opt(args, "as-of");
    *out = REVOPS_NO_DAY;
    if (!v || strcmp(v, "latest") == 0)
        return 0;
    revops_day d;
    if (revops_day_parse(&d, v, strlen(v))) {
        cli_usage_error(args, "--as-of must be a date (YYYY-MM-DD) or 'latest', not '%s'", v);
        return -1;
    }
    *out = d;
    return 0;
}

int cli_format_json(const cli_args *args)
{
    const char *v = cli_opt(args, "format");
    if (!v || strcmp(v, "text") == 0)
        return 0;
    if (strcmp(v, "json") == 0)
        return 1;
    cli_usage_error(args, "--format must be text or json, not '%s'", v);
    return -1;
}

/* The program owns this state (the library has none): whether a progress line is drawn. */
static int progress_drawn;

void cli_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    (void)ctx;
    if (!isatty(STDERR_FILENO))
        return;
    if (total > 0)
        fprintf(stderr, "\r\033[K%s: %3d%%", what, (int)(done * 100 / total));
    else
        fprintf(stderr, "\r\033[K%s: %llu", what, (unsigned long long)done);
    fflush(stderr);
    progress_drawn = 1;
}

void cli_progress_done(void)
{
    if (progress_drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        progress_drawn = 0;
    }
}

void cli_warning(void *ctx, const char *message)
{
    (void)ctx;
    cli_progress_done();
    fprintf(stderr, "revops: warning: %s\n", message);
}

int cli_load_dataset(const cli_args *args, revops_dataset **out)
{
    return cli_load_dataset_stages(args, NULL, out);
}

int cli_load_dataset_stages(const cli_args *args, const revops_stages *stages, revops_dataset **out)
{
    const char *db = cli_opt(args, "db");
    const char *csv = cli_opt(args, "csv");
    *out = NULL;
    if ((db && csv) || (!db && !csv))
        return cli_usage_error(args, "give either --db FILE (a store) or --csv DIR (a folder of "
                                     "<entity>.csv files)");
    int rc;
    if (db) {
        revops_store *store;
        revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
        so.readonly = 1;
        if ((rc = revops_store_open(&store, db, &so)))
            return cli_lib_error("opening the store", rc);
        rc = revops_dataset_load_store(out, store, cli_progress, NULL);
        cli_progress_done();
        revops_store_close(store);
        if (rc)
            return cli_lib_error("loading the store", rc);
        return CLI_EXIT_OK;
    }
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    io.stages = stages;
    io.progress = cli_progress;
    io.warning = cli_warning;
    revops_import_report report;
    rc = revops_dataset_load_csv(out, csv, &io, &report);
    cli_progress_done();
    if (rc) {
        revops_import_report_free(&report);
        return cli_lib_error("reading the CSV folder", rc);
    }
    if (report.rejected > 0) {
        fprintf(stderr,
                "revops: warning: %llu of %llu rows in %s were invalid and left out (see them "
                "with: revops import %s --db FILE --dry-run)\n",
                (unsigned long long)report.rejected, (unsigned long long)report.rows, csv, csv);
    }
    revops_import_report_free(&report);
    return CLI_EXIT_OK;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
