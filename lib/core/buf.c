/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static size_t effective_max(size_t max)
{
    return max ? max : SIZE_MAX / 2;
}

int revops_buf__reserve(revops_buf *b, size_t extra)
{
    size_t max = effective_max(b->max);
    if (b->len > max || extra > max - b->len)
        return revops_error__set(REVOPS_ETOOBIG, "buffer would exceed its limit of %zu bytes", max);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > max / 2 ? max + 1 : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return revops_error__oom();
    b->data = p;
    b->cap = cap;
    return 0;
}

int revops_buf__append(revops_buf *b, const void *data, size_t len)
{
    int rc = revops_buf__reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int revops_buf__puts(revops_buf *b, const char *s)
{
    return revops_buf__append(b, s, strlen(s));
}

int revops_buf__putc(revops_buf *b, char c)
{
    return revops_buf__append(b, &c, 1);
}

int revops_buf__vprintf(revops_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return revops_error__set(REVOPS_EINTERNAL, "bad format string");
    int rc = revops_buf__reserve(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int revops_buf__printf(revops_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = revops_buf__vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void revops_buf__clear(revops_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *revops_buf__detach(revops_buf *b)
{
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void revops_buf__free(revops_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- arena ---- */

struct revops_arena_chunk {
    revops_arena_chunk *next;
    size_t size;
    size_t used;
    _Alignas(8) unsigned char data[];
};

#define ARENA_CHUNK_MIN (64 * 1024)

void *revops_arena__alloc(revops_arena *a, size_t size)
{
    size_t rounded = (size + 7) & ~(size_t)7;
    if (rounded < size) {
        revops_error__oom();
        return NULL;
    }
    revops_arena_chunk *c = a->head;
    if (!c || c->size - c->used < rounded) {
        size_t chunk = rounded > ARENA_CHUNK_MIN ? rounded : ARENA_CHUNK_MIN;
        /* Chunks double with the arena so that large arenas need few mallocs. */
        if (a->total / 4 > chunk && a->total / 4 < (size_t)64 << 20)
            chunk = a->total / 4;
        size_t max = effective_max(a->max);
        if (chunk > max || a->total > max - chunk) {
            revops_error__set(REVOPS_ETOOBIG, "arena would exceed its limit of %zu bytes", max);
            return NULL;
        }
        c = malloc(sizeof(*c) + chunk);
        if (!c) {
            revops_error__oom();
            return NULL;
        }
        c->size = chunk;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        a->total += chunk;
    }
    void *p = c->data + c->used;
    c->used += rounded;
    return p;
}

char *revops_arena__strndup(revops_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX) {
        revops_error__oom();
        return NULL;
    }
    char *p = revops_arena__alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void revops_arena__free(revops_arena *a)
{
    revops_arena_chunk *c = a->head;
    while (c) {
        revops_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

int revops_array__grow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return revops_error__oom();
        ncap *= 2;
    }
    size_t bytes;
    if (revops_size_mul(ncap, elem, &bytes))
        return revops_error__oom();
    void *p = realloc(*items, bytes);
    if (!p)
        return revops_error__oom();
    *items = p;
    *cap = ncap;
    return 0;
}
