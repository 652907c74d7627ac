/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import of CRM files into a store, and the same validation feeding a dataset directly.
 *
 * Each input is an `<entity>.csv` file, or a folder of them. Every row is validated: required
 * fields, types, allowed values, dates, money, references (in the store or in the same
 * import), duplicate keys within a file, and the rules between fields. Good rows go into the
 * store in one transaction; bad rows go to `<file>.rejects.csv` with their line number, the
 * field and the reason. A problem with a whole file (unreadable, empty, a required column
 * missing, broken CSV) stops the import and leaves the store unchanged.
 */
#ifndef REVOPS_IMPORT_H
#define REVOPS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "revops/dataset.h"
#include "revops/stages.h"
#include "revops/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*revops_warning_fn)(void *ctx, const char *message);

typedef struct revops_import_options {
    int dry_run;                  /* validate and write rejects; change nothing in the store */
    int write_rejects;            /* write <file>.rejects.csv files (default on; imports only) */
    const char *rejects_dir;      /* where rejects go; NULL: beside each input file */
    const char *default_currency; /* currency of amounts whose currency field is empty */
    const revops_stages *stages;  /* opportunity stages; NULL: revops_stages_default() */
    const char *profile;          /* column mapping profile; NULL or "native" */
    char delimiter;               /* 0: ',' */
    revops_progress_fn progress;  /* called every 64k rows of a file (may be NULL) */
    void *progress_ctx;
    revops_warning_fn warning; /* unknown columns and other non-fatal notes (may be NULL) */
    void *warning_ctx;
} revops_import_options;

#define REVOPS_IMPORT_OPTIONS_INIT                                                                 \
    {                                                                                              \
        0, 1, NULL, "USD", NULL, NULL, 0, NULL, NULL, NULL, NULL                                   \
    }

typedef struct revops_import_file {
    char path[512];
    int entity;    /* index of revops_entity_at() */
    uint64_t rows; /* data rows read (blank lines excluded) */
    uint64_t accepted;
    uint64_t rejected;
    uint64_t inserted;      /* accepted rows that were new to the store */
    uint64_t updated;       /* accepted rows that changed a stored row */
    uint64_t unchanged;     /* accepted rows identical to a stored row */
    char rejects_path[512]; /* empty when no row was rejected */
} revops_import_file;

typedef struct revops_import_report {
    revops_import_file *files;
    size_t nfiles;
    uint64_t rows, accepted, rejected, inserted, updated, unchanged;
    uint64_t bytes; /* input bytes read */
} revops_import_report;

/*
 * Imports `paths` (files or folders) into `store`. Returns 0 when the import ran to the end
 * (some rows may have been rejected: see report->rejected), or a negative code when it could
 * not (nothing was changed in the store). `report` may be NULL; otherwise the caller frees it
 * with revops_import_report_free(), whatever the result.
 */
int revops_import(revops_store *store, const char *const *paths, size_t npaths,
                  const revops_import_options *opts, revops_import_report *report);

/*
 * Builds a dataset straight from a folder of native CSV files, with exactly the validation of
 * an import into an empty store: rejected rows are left out and counted in the report (no
 * rejects files are written; `revops import --dry-run` writes them). The folder must hold one
 * file per entity. The files are read on every core; the dataset, the report, the errors and
 * the callbacks (all on the calling thread) are those of one reader going through the files
 * in order. The caller owns *out (revops_dataset_free) and frees the report.
 */
int revops_dataset_load_csv(revops_dataset **out, const char *dir,
                            const revops_import_options *opts, revops_import_report *report);

void revops_import_report_free(revops_import_report *report);

#ifdef __cplusplus
}
#endif

#endif
