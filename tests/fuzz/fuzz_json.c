/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the strict JSON reader. Nothing may crash, leak or overflow the stack;
 * an error has a line and a column; a document that parses is written again with the JSON
 * writer and must parse to the same values (kinds, texts and numbers), so what the reader
 * keeps is what the document said.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonparse.h"
#include "revops/revops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_node(const revops_jdoc *d, int32_t i, revops_json *j)
{
    const revops_jnode *n = &d->nodes[i];
    switch (n->kind) {
    case RJ_NULL:
        revops_json_null(j);
        break;
    case RJ_TRUE:
    case RJ_FALSE:
        revops_json_bool(j, n->kind == RJ_TRUE);
        break;
    case RJ_NUMBER:
        revops_json_double(j, n->num);
        break;
    case RJ_STRING:
        revops_json_string_n(j, revops_jdoc__text(d, n->str), n->len);
        break;
    default:
        if (n->kind == RJ_OBJECT)
            revops_json_begin_object(j);
        else
            revops_json_begin_array(j);
        for (int32_t c = n->first; c >= 0; c = d->nodes[c].next) {
            if (n->kind == RJ_OBJECT) {
                /* The writer takes NUL-terminated keys; the reader refuses NUL, so this is
                 * the whole key. */
                const char *key = revops_jdoc__text(d, d->nodes[c].key);
                if (strlen(key) != d->nodes[c].key_len)
                    abort();
                revops_json_key(j, key);
            }
            write_node(d, c, j);
        }
        if (n->kind == RJ_OBJECT)
            revops_json_end_object(j);
        else
            revops_json_end_array(j);
    }
}

static void same(const revops_jdoc *a, int32_t x, const revops_jdoc *b, int32_t y)
{
    const revops_jnode *p = &a->nodes[x], *q = &b->nodes[y];
    if (p->kind != q->kind || p->count != q->count || p->key_len != q->key_len ||
        memcmp(a->text + p->key, b->text + q->key, p->key_len) != 0)
        abort();
    if (p->kind == RJ_STRING &&
        (p->len != q->len || memcmp(a->text + p->str, b->text + q->str, p->len) != 0))
        abort();
    if (p->kind == RJ_NUMBER && p->num != q->num)
        abort();
    int32_t c = p->first, e = q->first;
    for (; c >= 0 && e >= 0; c = a->nodes[c].next, e = b->nodes[e].next)
        same(a, c, b, e);
    if (c >= 0 || e >= 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    revops_jdoc d;
    if (revops_jdoc__parse(&d, (const char *)data, size, "fuzz") != 0) {
        const revops_error *e = revops_error_last();
        if (e->line < 1 || e->column < 1 || !e->message[0])
            abort();
        revops_jdoc__free(&d);
        return 0;
    }
    /* -0 and 0 write alike and compare equal, so the round trip holds for them too. */
    revops_json *j;
    if (revops_json_new(&j, 0) != 0)
        abort();
    write_node(&d, 0, j);
    size_t len;
    const char *text = revops_json_text(j, &len);
    if (!text)
        abort();
    revops_jdoc again;
    if (revops_jdoc__parse(&again, text, len, "again") != 0)
        abort();
    same(&d, 0, &again, 0);
    revops_jdoc__free(&again);
    revops_json_free(j);
    revops_jdoc__free(&d);
    return 0;
}
