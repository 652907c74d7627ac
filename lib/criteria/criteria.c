/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The criteria API: lex, parse and compile in one call, and the error positions the three
 * steps share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "criteria/criteria_internal.h"

void crit__position(const crit_src *src, size_t off, long *line, long *column)
{
    *line = 1;
    *column = 1;
    if (off > src->len)
        off = src->len;
    for (size_t i = 0; i < off; i++) {
        unsigned char c = (unsigned char)src->text[i];
        if (c == '\n') {
            (*line)++;
            *column = 1;
        } else if ((c & 0xC0) != 0x80) {
            (*column)++; /* a character starts here */
        }
    }
}

int crit__error(const crit_src *src, size_t off, int code, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    long line, column;
    crit__position(src, off, &line, &column);
    return revops_error__set_at(code, NULL, line, column, NULL, "%s", msg);
}

int revops_criteria_compile(revops_criteria **out, const char *entity, const char *text, size_t len,
                            const revops_criteria_options *opts)
{
    *out = NULL;
    int e = entity ? revops_entity_find(entity, strlen(entity)) : -1;
    if (e < 0)
        return revops_error__set(REVOPS_EINVALID, "criteria: no entity '%s'",
                                 entity ? entity : "(null)");
    if (!text && len)
        return revops_error__set(REVOPS_EINVALID, "criteria: no text");
    crit_src src = {text ? text : "", len};
    crit_lexed lx;
    crit_tree tree;
    memset(&tree, 0, sizeof(tree));
    revops_criteria *c = calloc(1, sizeof(*c));
    int rc = c ? 0 : revops_error__oom();
    if (rc)
        return rc;
    c->entity = (size_t)e;
    if ((rc = crit__lex(&lx, &src)))
        goto done;
    if ((rc = crit__parse(&tree, &src, &lx, revops_entity_at((size_t)e))))
        goto done;
    /* The program keeps the decoded string literals its constants point into. */
    c->strings = lx.strings;
    lx.strings = NULL;
    rc = crit__compile(c, &src, &lx, &tree, opts ? opts->stages : NULL);
done:
    crit__lexed_free(&lx);
    crit__tree_free(&tree);
    if (rc) {
        revops_criteria_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void revops_criteria_free(revops_criteria *c)
{
    if (!c)
        return;
    free(c->code);
    free(c->consts);
    free(c->strings);
    free(c);
}

size_t revops_criteria_entity(const revops_criteria *c)
{
    return c->entity;
}

size_t revops_criteria_size(const revops_criteria *c)
{
    return c->ncode;
}
