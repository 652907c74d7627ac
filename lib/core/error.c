/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The last-error record. Like libgit2, revops keeps one record per thread so that a caller
 * can ask for the details of the failure a return code announced. This thread-local record
 * is the library's only mutable state outside the objects a caller owns.
 */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local revops_error last_error;

static void copy_bounded(char *dst, size_t cap, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

const revops_error *revops_error_last(void)
{
    return &last_error;
}

void revops_error_clear(void)
{
    memset(&last_error, 0, sizeof(last_error));
}

int revops_error__set(int code, const char *fmt, ...)
{
    revops_error_clear();
    last_error.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error.message, sizeof(last_error.message), fmt, ap);
    va_end(ap);
    return code;
}

int revops_error__set_at(int code, const char *file, long line, long column, const char *field,
                         const char *fmt, ...)
{
    revops_error_clear();
    last_error.code = code;
    copy_bounded(last_error.file, sizeof(last_error.file), file);
    copy_bounded(last_error.field, sizeof(last_error.field), field);
    last_error.line = line;
    last_error.column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error.message, sizeof(last_error.message), fmt, ap);
    va_end(ap);
    return code;
}

int revops_error__oom(void)
{
    return revops_error__set(REVOPS_ENOMEM, "out of memory");
}

void revops_error__restore(const revops_error *e)
{
    last_error = *e;
}

void revops_error__prefix(const char *fmt, ...)
{
    char prefix[256];
    char old[sizeof(last_error.message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, last_error.message, sizeof(old));
    /* Keep as much of both as fits: the prefix, ": ", then the old message. */
    size_t cap = sizeof(last_error.message);
    size_t plen = strlen(prefix);
    if (plen > cap - 3)
        plen = cap - 3;
    memcpy(last_error.message, prefix, plen);
    memcpy(last_error.message + plen, ": ", 2);
    size_t olen = strnlen(old, sizeof(old));
    if (olen > cap - plen - 3)
        olen = cap - plen - 3;
    memcpy(last_error.message + plen + 2, old, olen);
    last_error.message[plen + 2 + olen] = '\0';
}

/* One table maps each code to its name, exit status and HTTP status, so the program and the
 * server cannot disagree. Exit status 2 is "nothing was done"; 1 is an unexpected failure. */
static const struct {
    int code;
    const char *name;
    int exit_status;
    int http_status;
} code_table[] = {
    {REVOPS_OK, "ok", 0, 200},
    {REVOPS_EINVALID, "invalid", 2, 400},
    {REVOPS_ENOTFOUND, "not_found", 2, 404},
    {REVOPS_EEXISTS, "exists", 2, 409},
    {REVOPS_ECONFLICT, "conflict", 2, 409},
    {REVOPS_ETOOBIG, "too_big", 2, 413},
    {REVOPS_EIO, "io", 2, 500},
    {REVOPS_EUNSUPPORTED, "unsupported", 2, 501},
    {REVOPS_ENOMEM, "out_of_memory", 1, 503},
    {REVOPS_EINTERNAL, "internal", 1, 500},
};

static size_t code_index(int code)
{
    for (size_t i = 0; i < sizeof(code_table) / sizeof(code_table[0]); i++)
        if (code_table[i].code == code)
            return i;
    return sizeof(code_table) / sizeof(code_table[0]) - 1; /* unknown codes are internal */
}

const char *revops_error_code_name(int code)
{
    return code_table[code_index(code)].name;
}

int revops_error_exit_status(int code)
{
    return code_table[code_index(code)].exit_status;
}

int revops_error_http_status(int code)
{
    return code_table[code_index(code)].http_status;
}
