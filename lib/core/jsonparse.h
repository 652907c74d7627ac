/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small, strict JSON reader (RFC 8259) for request bodies such as the lead `revops route -`
 * reads: the whole document into a flat array of nodes, with the line and column of every
 * value and key, so that a caller checking the values can point at the one that is wrong.
 *
 * Strict means: exactly one value with only whitespace around it; no comments, trailing
 * commas, single quotes, NaN, leading zeros or bare words; strings of valid UTF-8 without raw
 * control characters and without NUL (also not as \u0000); a key given twice in one object is
 * an error. Limits keep a hostile body from eating the machine or the stack.
 */
#ifndef REVOPS_CORE_JSONPARSE_H
#define REVOPS_CORE_JSONPARSE_H

#include <stddef.h>
#include <stdint.h>

#define REVOPS_JSON_MAX_INPUT (1024 * 1024) /* bytes of a document */
#define REVOPS_JSON_MAX_DEPTH 64            /* nesting of arrays and objects */
#define REVOPS_JSON_MAX_NODES 100000        /* values in a document */
#define REVOPS_JSON_MAX_NUMBER 64           /* characters of one number */

typedef enum revops_jkind {
    RJ_NULL,
    RJ_FALSE,
    RJ_TRUE,
    RJ_NUMBER,
    RJ_STRING,
    RJ_ARRAY,
    RJ_OBJECT
} revops_jkind;

typedef struct revops_jnode {
    uint8_t kind;
    int32_t first;     /* RJ_ARRAY, RJ_OBJECT: the first item or member value; -1 when none */
    int32_t next;      /* the next item or member of the parent; -1 for the last */
    uint32_t count;    /* RJ_ARRAY, RJ_OBJECT: items or members */
    uint32_t str;      /* RJ_STRING: decoded text; RJ_NUMBER: the number as written */
    uint32_t len;      /* ... its length in bytes (the text is NUL-terminated as well) */
    uint32_t key;      /* a member of an object: its decoded key */
    uint32_t key_len;  /* ... and its length; both 0 for array items and the root */
    double num;        /* RJ_NUMBER */
    long line, column; /* where the value starts (1-based; columns in characters) */
    long key_line, key_column; /* where the member's key starts */
} revops_jnode;

/* A parsed document: nodes[0] is the root. The text of strings and numbers lives in `text`. */
typedef struct revops_jdoc {
    revops_jnode *nodes;
    size_t n, cap;
    char *text;
    size_t text_len, text_cap;
} revops_jdoc;

/*
 * Parses `len` bytes of `src` (not necessarily NUL-terminated). `name` is what error
 * messages call the input ("standard input", a file name; may be NULL). On an error returns
 * REVOPS_EINVALID, or REVOPS_ETOOBIG beyond a limit, with revops_error_last() giving the line
 * and column and saying what was expected and what was found. The caller frees the document
 * with revops_jdoc__free(), also after an error.
 */
int revops_jdoc__parse(revops_jdoc *doc, const char *src, size_t len, const char *name);
void revops_jdoc__free(revops_jdoc *doc);

/* The text of a string or number node, or of a member's key (borrowed from the document). */
static inline const char *revops_jdoc__text(const revops_jdoc *doc, uint32_t off)
{
    return doc->text + off;
}

/* The member of object `obj` whose key is `key`, or -1. */
int32_t revops_jdoc__member(const revops_jdoc *doc, int32_t obj, const char *key);

/* What a node is, for messages: "a string", "a number", "an object", ... */
const char *revops_jdoc__kind_name(int kind);

#endif
