/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the CSV reader. Invariants: the reader terminates, every field is
 * NUL-terminated at its length, and records written back with the writer read again as the
 * same fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "revops/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    revops_csv_options opts = REVOPS_CSV_OPTIONS_INIT;
    opts.max_record = 4096;
    opts.max_fields = 64;
    if (size > 0 && (data[0] == ';' || data[0] == '\t'))
        opts.delimiter = (char)data[0];
    revops_csv_reader *r;
    if (revops_csv_open_memory(&r, (const char *)data, size, &opts))
        return 0;
    char path[] = "/tmp/revops-fuzz-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        revops_csv_close(r);
        return 0;
    }
    close(fd);
    revops_csv_writer *w;
    if (revops_csv_writer_open(&w, path, opts.delimiter)) {
        revops_csv_close(r);
        unlink(path);
        return 0;
    }
    const revops_csv_field *f;
    size_t n, records = 0;
    long last_line = 0;
    while (revops_csv_next(r, &f, &n) == 1) {
        if (revops_csv_line(r) <= last_line)
            abort(); /* lines only move forward */
        last_line = revops_csv_line(r);
        for (size_t i = 0; i < n; i++)
            if (f[i].ptr[f[i].len] != '\0')
                abort();
        /* A lone empty field is a blank line, which the writer cannot express. */
        if (n == 1 && f[0].len == 0)
            continue;
        revops_csv_write_fields(w, f, n);
        revops_csv_end_record(w);
        records++;
    }
    revops_csv_close(r);
    if (revops_csv_writer_close(w)) {
        unlink(path);
        return 0;
    }
    /* Read the written copy back alongside a second reading of the input. */
    revops_csv_reader *a, *b;
    if (revops_csv_open(&a, path, &opts) == 0 &&
        revops_csv_open_memory(&b, (const char *)data, size, &opts) == 0) {
        const revops_csv_field *fa, *fb;
        size_t na, nb;
        for (size_t k = 0; k < records;) {
            if (revops_csv_next(b, &fb, &nb) != 1)
                abort();
            if (nb == 1 && fb[0].len == 0)
                continue;
            /* The copy's fields, compared with a copy of the input's (the reader's buffer is
             * reused by the next call). */
            if (revops_csv_next(a, &fa, &na) != 1 || na != nb)
                abort();
            for (size_t i = 0; i < na; i++)
                if (fa[i].len != fb[i].len || memcmp(fa[i].ptr, fb[i].ptr, fa[i].len) != 0)
                    abort();
            k++;
        }
        revops_csv_close(a);
        revops_csv_close(b);
    }
    unlink(path);
    return 0;
}
