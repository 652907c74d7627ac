/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Growable byte buffers and bump arenas, each with a hard size cap so that no input (a CSV
 * record, an HTTP body, a JSON document) can grow one without bound.
 */
#ifndef REVOPS_CORE_BUF_H
#define REVOPS_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "revops/common.h"

typedef struct revops_buf {
    char *data; /* NUL-terminated after any successful append */
    size_t len;
    size_t cap;
    size_t max; /* growth beyond this fails with REVOPS_ETOOBIG; 0 means SIZE_MAX / 2 */
} revops_buf;

#define REVOPS_BUF_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

int revops_buf__reserve(revops_buf *b, size_t extra);
int revops_buf__append(revops_buf *b, const void *data, size_t len);
int revops_buf__puts(revops_buf *b, const char *s);
int revops_buf__putc(revops_buf *b, char c);
int revops_buf__printf(revops_buf *b, const char *fmt, ...) REVOPS_PRINTF(2, 3);
int revops_buf__vprintf(revops_buf *b, const char *fmt, va_list ap);
/* Empties the buffer, keeping its memory. */
void revops_buf__clear(revops_buf *b);
/* Hands the memory to the caller (who frees it with free()) and empties the buffer. */
char *revops_buf__detach(revops_buf *b);
void revops_buf__free(revops_buf *b);

/* A bump allocator: many small allocations freed together. */
typedef struct revops_arena_chunk revops_arena_chunk;
typedef struct revops_arena {
    revops_arena_chunk *head;
    size_t total; /* bytes held in chunks */
    size_t max;   /* 0 means no cap beyond SIZE_MAX / 2 */
} revops_arena;

#define REVOPS_ARENA_INIT                                                                          \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Returns 8-byte aligned memory or NULL (with the error recorded). */
void *revops_arena__alloc(revops_arena *a, size_t size);
/* Copies `len` bytes and a terminating NUL. */
char *revops_arena__strndup(revops_arena *a, const char *s, size_t len);
void revops_arena__free(revops_arena *a);

/* Overflow-checked size arithmetic: returns 0 and sets *out, or -1 on overflow. */
static inline int revops_size_mul(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > ((size_t)-1) / b)
        return -1;
    *out = a * b;
    return 0;
}

/* Asks for transparent huge pages under a big array (mem.c): fewer TLB misses when it is
 * probed at random, fewer page faults when it is first filled. Only a hint. */
void revops_mem__huge(void *p, size_t bytes);

/* Gives back the whole pages inside a block of a read-only file mapping that nothing will
 * read again: they leave the process's memory (the file's pages stay cached). Only a hint. */
void revops_mem__drop(const void *p, size_t bytes);

/* Grows an array to hold at least `need` elements of `elem` bytes (doubling). */
int revops_array__grow(void **items, size_t *cap, size_t need, size_t elem);

#endif
