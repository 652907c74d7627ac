/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF or CR line ends, line
 * breaks inside quotes, a UTF-8 byte-order mark) and a CSV writer.
 */
#ifndef REVOPS_CSV_H
#define REVOPS_CSV_H

#include <stddef.h>
#include "revops/common.h"
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct revops_csv_reader revops_csv_reader;

typedef struct revops_csv_options {
    char delimiter;    /* ',' by default; ';' and '\t' are common too */
    size_t max_record; /* bytes of one record after unquoting; larger ones fail (too_big) */
    size_t max_fields; /* fields of one record */
} revops_csv_options;

#define REVOPS_CSV_OPTIONS_INIT                                                                    \
    {                                                                                              \
        ',', (size_t)4 << 20, 4096                                                                 \
    }

/* One field of the current record. `ptr` is NUL-terminated and borrowed from the reader:
 * valid until the next call to revops_csv_next(). */
typedef struct revops_csv_field {
    const char *ptr;
    size_t len;
    int quoted; /* the field was written in quotes */
} revops_csv_field;

/*
 * Opens a file for reading ("-" reads standard input). `opts` may be NULL for the defaults.
 * The caller owns *out and closes it with revops_csv_close().
 */
int revops_csv_open(revops_csv_reader **out, const char *path, const revops_csv_options *opts);

/* Reads CSV text from memory; `data` is borrowed and must outlive the reader. */
int revops_csv_open_memory(revops_csv_reader **out, const char *data, size_t len,
                           const revops_csv_options *opts);

/*
 * Reads the next record. Returns 1 and sets *fields / *nfields (borrowed, valid until the next
 * call) when a record was read, 0 at the end of the input, or a negative error code: syntax
 * errors (REVOPS_EINVALID, e.g. an unterminated quote) and oversized records (REVOPS_ETOOBIG)
 * carry the file, line and column in revops_error_last(). After an error the reader is at the
 * end of its input. A blank line is returned as a record of one empty field.
 */
int revops_csv_next(revops_csv_reader *r, const revops_csv_field **fields, size_t *nfields);

/* The 1-based line on which the last record returned started. */
long revops_csv_line(const revops_csv_reader *r);

/* Bytes of input consumed so far, and the total size when known (else 0), for progress. */
uint64_t revops_csv_offset(const revops_csv_reader *r);
uint64_t revops_csv_size(const revops_csv_reader *r);

/* The name the reader reports in errors (the path, or "<stdin>"/"<memory>"). */
const char *revops_csv_name(const revops_csv_reader *r);

void revops_csv_close(revops_csv_reader *r);

/*
 * The writer. Fields are quoted only when they hold the delimiter, a quote, a line break,
 * leading or trailing spaces or a leading U+FEFF (which would read back as a byte-order mark);
 * records end with LF.
 */
typedef struct revops_csv_writer revops_csv_writer;

/* Creates (truncates) `path`; "-" writes to standard output. */
int revops_csv_writer_open(revops_csv_writer **out, const char *path, char delimiter);
int revops_csv_write_field(revops_csv_writer *w, const char *s, size_t len);
/* Writes a field known to need no quoting (numbers, dates, ids of safe characters). */
int revops_csv_write_plain(revops_csv_writer *w, const char *s, size_t len);
int revops_csv_write_fields(revops_csv_writer *w, const revops_csv_field *fields, size_t n);
int revops_csv_end_record(revops_csv_writer *w);
/* Flushes and closes; returns the first write error, if any. Frees `w` in every case. */
int revops_csv_writer_close(revops_csv_writer *w);

#ifdef __cplusplus
}
#endif

#endif
