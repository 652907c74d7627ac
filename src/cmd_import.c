/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops import: validated, transactional import of <entity>.csv files into a store.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int print_json(const revops_import_report *r, int dry_run, double seconds)
{
    revops_json *j;
    int rc = revops_json_new(&j, 1);
    if (rc)
        return rc;
    revops_json_begin_object(j);
    revops_json_key(j, "dry_run");
    revops_json_bool(j, dry_run);
    revops_json_key(j, "files");
    revops_json_begin_array(j);
    for (size_t i = 0; i < r->nfiles; i++) {
        const revops_import_file *f = &r->files[i];
        revops_json_begin_object(j);
        revops_json_key(j, "path");
        revops_json_string(j, f->path);
        revops_json_key(j, "entity");
        revops_json_string(j, revops_entity_at((size_t)f->entity)->name);
        revops_json_key(j, "rows");
        revops_json_int(j, (int64_t)f->rows);
        revops_json_key(j, "accepted");
        revops_json_int(j, (int64_t)f->accepted);
        revops_json_key(j, "rejected");
        revops_json_int(j, (int64_t)f->rejected);
        revops_json_key(j, "inserted");
        revops_json_int(j, (int64_t)f->inserted);
        revops_json_key(j, "updated");
        revops_json_int(j, (int64_t)f->updated);
        revops_json_key(j, "unchanged");
        revops_json_int(j, (int64_t)f->unchanged);
        revops_json_key(j, "rejects_file");
        if (f->rejects_path[0])
            revops_json_string(j, f->rejects_path);
        else
            revops_json_null(j);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_key(j, "rows");
    revops_json_int(j, (int64_t)r->rows);
    revops_json_key(j, "accepted");
    revops_json_int(j, (int64_t)r->accepted);
    revops_json_key(j, "rejected");
    revops_json_int(j, (int64_t)r->rejected);
    revops_json_key(j, "inserted");
    revops_json_int(j, (int64_t)r->inserted);
    revops_json_key(j, "updated");
    revops_json_int(j, (int64_t)r->updated);
    revops_json_key(j, "unchanged");
    revops_json_int(j, (int64_t)r->unchanged);
    revops_json_key(j, "bytes");
    revops_json_int(j, (int64_t)r->bytes);
    revops_json_key(j, "seconds");
    revops_json_double(j, seconds);
    revops_json_end_object(j);
    rc = revops_json_write(j, stdout);
    revops_json_free(j);
    return rc;
}

static void print_text(const revops_import_report *r, int dry_run, double seconds)
{
    int w = 5; /* "total" */
    for (size_t i = 0; i < r->nfiles; i++) {
        int len = (int)strlen(r->files[i].path);
        if (len > w)
            w = len;
    }
    printf("%-*s  %-17s %11s %11s %9s %11s %9s %10s\n", w, "file", "entity", "rows", "accepted",
           "rejected", "inserted", "updated", "unchanged");
    for (size_t i = 0; i < r->nfiles; i++) {
        const revops_import_file *f = &r->files[i];
        printf("%-*s  %-17s %11llu %11llu %9llu %11llu %9llu %10llu\n", w, f->path,
               revops_entity_at((size_t)f->entity)->name, (unsigned long long)f->rows,
               (unsigned long long)f->accepted, (unsigned long long)f->rejected,
               (unsigned long long)f->inserted, (unsigned long long)f->updated,
               (unsigned long long)f->unchanged);
    }
    printf("%-*s  %-17s %11llu %11llu %9llu %11llu %9llu %10llu\n", w, "total", "",
           (unsigned long long)r->rows, (unsigned long long)r->accepted,
           (unsigned long long)r->rejected, (unsigned long long)r->inserted,
           (unsigned long long)r->updated, (unsigned long long)r->unchanged);
    double rate = seconds > 0 ? (double)r->rows / seconds : 0;
    printf("\n%s %llu rows (%.1f MB) in %.2f s: %.0f rows/s\n",
           dry_run ? "validated (dry run, the store is unchanged)" : "read",
           (unsigned long long)r->rows, (double)r->bytes / 1e6, seconds, rate);
    for (size_t i = 0; i < r->nfiles; i++)
        if (r->files[i].rejects_path[0])
            printf("rejected rows of %s, with line, field and reason: %s\n", r->files[i].path,
                   r->files[i].rejects_path);
}

static int import_with(cli_args *args, const revops_stages *stages)
{
    const char *db = cli_opt(args, "db");
    if (!db)
        return cli_usage_error(args, "--db FILE is required (create one with: revops init "
                                     "--db FILE)");
    int json = cli_format_json(args);
    if (json < 0)
        return CLI_EXIT_USAGE;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.stages = stages;
    io.dry_run = cli_flag(args, "dry-run");
    io.rejects_dir = cli_opt(args, "rejects-dir");
    if (cli_opt(args, "currency"))
        io.default_currency = cli_opt(args, "currency");
    io.profile = cli_opt(args, "profile");
    const char *delim = cli_opt(args, "delimiter");
    if (delim) {
        if (strcmp(delim, "\\t") == 0 || strcmp(delim, "tab") == 0)
            io.delimiter = '\t';
        else if (strlen(delim) == 1 && delim[0] != '"' && delim[0] != '\n' && delim[0] != '\r')
            io.delimiter = delim[0];
        else
            return cli_usage_error(args, "--delimiter must be one character (or 'tab'), not '%s'",
                                   delim);
    }
    io.progress = cli_progress;
    io.warning = cli_warning;

    revops_store *store;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.readonly = io.dry_run;
    int rc = revops_store_open(&store, db, &so);
    if (rc)
        return cli_lib_error("opening the store", rc);
    revops_import_report report;
    double t0 = cli_now();
    rc = revops_import(store, args->positional, args->npositional, &io, &report);
    double seconds = cli_now() - t0;
    revops_store_close(store);
    cli_progress_done();
    if (rc) {
        revops_import_report_free(&report);
        int status = cli_lib_error("import failed, nothing was imported", rc);
        return status == CLI_EXIT_FAILURE ? status : CLI_EXIT_USAGE;
    }
    if (json)
        rc = print_json(&report, io.dry_run, seconds);
    else
        print_text(&report, io.dry_run, seconds);
    int status = CLI_EXIT_OK;
    if (report.rejected > 0 && report.accepted == 0) {
        fprintf(stderr, "revops: nothing imported: all %llu rows were rejected\n",
                (unsigned long long)report.rejected);
        status = CLI_EXIT_USAGE;
    } else if (report.rejected > 0) {
        fprintf(stderr, "revops: %llu of %llu rows were rejected; the rest were %s\n",
                (unsigned long long)report.rejected, (unsigned long long)report.rows,
                io.dry_run ? "valid" : "imported");
        status = CLI_EXIT_PARTIAL;
    }
    revops_import_report_free(&report);
    if (rc)
        return cli_lib_error("writing the report", rc);
    return status;
}

/* The opportunity stages rows are checked against come from the configuration. */
static int run_import(cli_args *args)
{
    revops_config *cfg;
    int status = cli_load_config(args, &cfg);
    if (status)
        return status;
    status = import_with(args, &cfg->stages);
    revops_config_free(cfg);
    return status;
}

static const cli_option import_options[] = {
    {"db", "FILE", "the store to import into (create it with revops init)", 0},
    {"dry-run", NULL, "validate and write rejects files, change nothing in the store", 0},
    {"rejects-dir", "DIR", "write <file>.rejects.csv here instead of beside each input", 0},
    {"currency", "CODE", "currency of amounts whose currency is empty (default USD)", 0},
    {"delimiter", "C", "field delimiter: ',' (default), ';' or 'tab'", 0},
    {"profile", "NAME", "column mapping profile (default native)", 0},
    {"format", "FMT", "text (default) or json", 0},
    {"config", "FILE",
     "opportunity stages from this revops.yaml (default: ./revops.yaml if "
     "present)",
     0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_import = {
    .name = "import",
    .summary = "validate <entity>.csv files and import them into a store",
    .usage = "PATH... --db FILE [options]",
    .options = import_options,
    .details =
        "PATH is an <entity>.csv file (opportunity.csv, lead.csv, ...) or a folder of them.\n"
        "Every row is checked: required fields, types, allowed values, dates, money,\n"
        "references (in the store or in the same import) and duplicate keys. Good rows go\n"
        "into the store in one transaction (rows already stored are updated when they\n"
        "differ); bad rows go to <file>.rejects.csv with their line, field and reason.\n"
        "A file that cannot be read, is empty, lacks a required column or is not valid\n"
        "CSV stops the import: the store is left unchanged.\n\n"
        "exit status: 0 all rows imported; 3 some rows rejected, the rest imported;\n"
        "2 nothing imported (bad usage, unreadable or invalid file, I/O error).",
    .min_positional = 1,
    .max_positional = -1,
    .run = run_import,
};
