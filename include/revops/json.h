/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A streaming JSON writer into memory. Errors are sticky: after the first one every call
 * returns it, so a caller may check only the last call (or revops_json_text()).
 */
#ifndef REVOPS_JSON_H
#define REVOPS_JSON_H

#include <stddef.h>
#include "revops/common.h"
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct revops_json revops_json;

/* Creates a writer; `pretty` indents with two spaces. The caller frees it with
 * revops_json_free(). */
int revops_json_new(revops_json **out, int pretty);
void revops_json_free(revops_json *j);

int revops_json_begin_object(revops_json *j);
int revops_json_end_object(revops_json *j);
int revops_json_begin_array(revops_json *j);
int revops_json_end_array(revops_json *j);
/* A key inside an object; the next call writes its value. */
int revops_json_key(revops_json *j, const char *key);
int revops_json_string(revops_json *j, const char *s);
int revops_json_string_n(revops_json *j, const char *s, size_t len);
int revops_json_int(revops_json *j, int64_t v);
/* Non-finite values are written as null, since JSON has no NaN or infinity. */
int revops_json_double(revops_json *j, double v);

#define REVOPS_DOUBLE_TEXT_MAX 40
/* The shortest decimal text that reads back as the same double (what revops_json_double
 * writes); "" for NaN and infinities. Returns its length. */
size_t revops_json_format_double(double v, char out[REVOPS_DOUBLE_TEXT_MAX]);
int revops_json_bool(revops_json *j, int v);
int revops_json_null(revops_json *j);
/* Money as a decimal string ("1234.50"), exact, so no reader rounds it through a double. */
int revops_json_money(revops_json *j, int64_t minor, int exponent);

/*
 * The document written so far (borrowed, NUL-terminated). Returns NULL when a write failed
 * or the document is not complete (an object or array left open).
 */
const char *revops_json_text(const revops_json *j, size_t *len);

/* Writes the complete document and a final newline to `fp`. */
int revops_json_write(const revops_json *j, FILE *fp);

#ifdef __cplusplus
}
#endif

#endif
