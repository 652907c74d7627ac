/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The importer's state, shared by the import into a store (import.c) and the dataset
 * loader (load.c), which validate rows alike.
 */
#ifndef REVOPS_INGEST_IMPORTER_H
#define REVOPS_INGEST_IMPORTER_H

#include <stdint.h>

#include "core/buf.h"
#include "core/strpool.h"
#include "ingest/inputs.h"
#include "ingest/writer.h"
#include "model/dataset.h"
#include "revops/import.h"

#define MAX_REFS 4
#define PROGRESS_EVERY 0xFFFF

typedef struct p0_row {
    revops_str id;
    int ok;
    revops_str ref[MAX_REFS]; /* 0: empty */
} p0_row;

/* Phase 0's record of one file of a referenced entity. */
typedef struct p0_file {
    int entity;
    size_t input; /* index into inputs */
    p0_row *rows;
    size_t n;
    size_t cap;
    int nrefs;
    int ref_field[MAX_REFS];
} p0_file;

typedef struct importer {
    const revops_import_options *opts;
    revops_stages stages;
    revops_store *store; /* NULL when building a dataset */
    revops_dataset *ds;  /* the dataset sink, or NULL */
    int write_store;
    revops_inputs inputs;
    revops_import_report *report;
    /* Ids of referenced entities and reference targets, with a bit per referenced entity:
     * in the store, present in this import, accepted in this import. */
    revops_strpool refs;
    uint8_t *stored;
    uint8_t *present;
    uint8_t *accepted;
    revops_str *opp_currency; /* by opportunity id: its currency, interned in `refs` */
    size_t flags_cap;
    int slot_of[REVOPS_ENTITY_COUNT];
    p0_file *p0;
    size_t np0;
    size_t threads;        /* threads loading a dataset; 0: one per core */
    char **rejects_tmp;    /* by input: the rejects file being written, or NULL */
    revops_writer *writer; /* the store writer thread, while phase 1 runs */
} importer;

/* The state of one pass over one file. */
typedef struct file_pass {
    importer *imp;
    size_t input;
    int entity;
    const revops_entity_def *def;
    int phase;
    revops_csv_reader *reader;
    revops_header_map map;
    char **header; /* copy of the header row, for the rejects file */
    size_t nheader;
    revops_strpool keys; /* keys seen in this file */
    uint32_t *key_line;  /* by key id: the line where it was first seen */
    size_t key_line_cap;
    revops_buf scratch;
    revops_buf keytext;
    revops_buf why;
    revops_buf why_fields;
    uint64_t errmask;
    revops_csv_writer *rejects;
    p0_file *p0;
    size_t row_index;
    revops_import_file *stats;
    int text_checked; /* the records read are known to be UTF-8 without NUL bytes */
} file_pass;

/*
 * Converts and validates one record into `row`. Returns 1 when the row is good, 0 when it is
 * rejected (reasons in fp->why), or a negative error code. When building a dataset
 * (fp->imp->ds set) duplicate keys and references are left to the caller, and the function
 * reads nothing of the importer but its options, stages and (for stage changes) the
 * opportunities' currencies, so threads may validate rows of different files at once.
 */
int revops_import__validate_row(file_pass *fp, const revops_csv_field *fields, size_t nfields,
                                long line, revops_value *row);

/* Interns an id into imp->refs, growing the flag arrays beside it. */
int revops_import__intern_ref(importer *imp, const char *s, size_t len, revops_str *out);

/*
 * Builds imp->ds from every input (load.c): reads and validates the files on all cores,
 * appends the good rows in file order, drops duplicate keys and rows whose references point
 * nowhere, and counts every row in imp->report.
 */
int revops_import__load_dataset(importer *imp);

/* revops_dataset_load_csv() with `threads` threads (counting the caller's; 0: one per core):
 * the result does not depend on it, which the tests check. */
int revops_import__load_csv(revops_dataset **out, const char *dir,
                            const revops_import_options *opts, revops_import_report *report,
                            size_t threads);

#endif
