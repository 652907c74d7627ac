/*
 * revops - revenue-operations engine
 * Copyright (C) 2026 the revops authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error codes, the last-error record and version information shared by every module.
 */
#ifndef REVOPS_COMMON_H
#define REVOPS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REVOPS_VERSION_MAJOR 0
#define REVOPS_VERSION_MINOR 1
#define REVOPS_VERSION_PATCH 0
#define REVOPS_VERSION "0.1.0"

#if defined(__GNUC__)
#define REVOPS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define REVOPS_PRINTF(fmt, args)
#endif

/*
 * Every library function that can fail returns 0 or one of these negative codes. The set is
 * small and stable; the details of a failure are in revops_error_last().
 */
typedef enum revops_error_code {
    REVOPS_OK = 0,
    REVOPS_EINVALID = -1,     /* invalid input: bad value, bad syntax, bad option */
    REVOPS_ENOTFOUND = -2,    /* a named thing does not exist */
    REVOPS_EEXISTS = -3,      /* the thing to create already exists */
    REVOPS_ECONFLICT = -4,    /* the request contradicts the current state */
    REVOPS_ETOOBIG = -5,      /* a size limit was reached (record, body, document) */
    REVOPS_EIO = -6,          /* reading or writing a file or the store failed */
    REVOPS_EUNSUPPORTED = -7, /* not available in this build or for this input */
    REVOPS_ENOMEM = -8,       /* out of memory */
    REVOPS_EINTERNAL = -9     /* a bug, or a backend failing in an unexpected way */
} revops_error_code;

/*
 * The last error of the calling thread. `file`, `line`, `column` and `field` locate an input
 * error when known (line and column 1-based, 0 when unknown; strings empty when unknown).
 */
typedef struct revops_error {
    int code;
    char message[512];
    char file[256];
    long line;
    long column;
    char field[64];
} revops_error;

/*
 * Returns the last error recorded on this thread. The pointer is borrowed and stays valid
 * until the next library call on this thread; `code` is REVOPS_OK when no error is recorded.
 */
const revops_error *revops_error_last(void);

/* Forgets the last error of this thread. */
void revops_error_clear(void);

/* A short stable name for a code: "invalid", "not_found", ... */
const char *revops_error_code_name(int code);

/* The process exit status the `revops` program uses for a code (0 for REVOPS_OK). */
int revops_error_exit_status(int code);

/* The HTTP status the server answers with for a code (200 for REVOPS_OK). */
int revops_error_http_status(int code);

/* The library version as "major.minor.patch"; a static string. */
const char *revops_version(void);

/* What this build was made with ("sqlite 3.40.1, gsl 2.7"), for `revops --version`. Writes
 * into `buf` and returns it. */
const char *revops_build_info(char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
