/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Library-internal side of the error record: setting it.
 */
#ifndef REVOPS_CORE_ERROR_H
#define REVOPS_CORE_ERROR_H

#include "revops/common.h"

/* Records an error with a printf-style message; returns `code` so callers can write
 * `return revops_error__set(...)`. */
int revops_error__set(int code, const char *fmt, ...) REVOPS_PRINTF(2, 3);

/* Records an input error located in a file (any of file/field may be NULL, line/column 0). */
int revops_error__set_at(int code, const char *file, long line, long column, const char *field,
                         const char *fmt, ...) REVOPS_PRINTF(6, 7);

/* Records an out-of-memory error and returns REVOPS_ENOMEM. */
int revops_error__oom(void);

/* Makes `e` the calling thread's last error (to carry an error across threads, or keep one
 * through a cleanup that may overwrite it). */
void revops_error__restore(const revops_error *e);

/* Prepends context to the current message ("opening demo.db: <old message>"). */
void revops_error__prefix(const char *fmt, ...) REVOPS_PRINTF(1, 2);

#endif
