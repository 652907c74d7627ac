/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * YAML text to a tree of positioned nodes, from libyaml's events. The tree is built with an
 * explicit stack bounded by REVOPS_CONFIG_MAX_DEPTH, so no input can exhaust the C stack.
 */
#include "config/ytree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/error.h"
#include "revops/config.h"

void revops_ytree__free(ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            revops_ytree__free(n->keys[i]);
        revops_ytree__free(n->items[i]);
    }
    /* A key still waiting for its value when a syntax error stopped the parse. */
    if (n->keys)
        revops_ytree__free(n->keys[n->n]);
    free(n->keys);
    free(n->items);
    free(n->text);
    free(n);
}

static ynode *new_node(ynode_kind kind, const yaml_event_t *ev)
{
    ynode *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (long)ev->start_mark.line + 1;
    n->column = (long)ev->start_mark.column + 1;
    n->end_line = (long)ev->end_mark.line + 1;
    n->end_column = (long)ev->end_mark.column + 1;
    return n;
}

/* Adds `child` under `parent`: as the next key of a map when its keys and values are even,
 * as a value otherwise. */
static int add_child(ynode *parent, ynode *child)
{
    int as_key = parent->kind == Y_MAP && (!parent->keys || parent->keys[parent->n] == NULL);
    if (parent->n == parent->cap) {
        size_t ncap = parent->cap ? parent->cap * 2 : 8;
        ynode **items = realloc(parent->items, ncap * sizeof(*items));
        if (!items)
            return revops_error__oom();
        parent->items = items;
        if (parent->kind == Y_MAP) {
            ynode **keys = realloc(parent->keys, (ncap + 1) * sizeof(*keys));
            if (!keys)
                return revops_error__oom();
            memset(keys + parent->cap, 0, (ncap + 1 - parent->cap) * sizeof(*keys));
            parent->keys = keys;
        }
        parent->cap = ncap;
        as_key = parent->kind == Y_MAP && parent->keys[parent->n] == NULL;
    }
    if (as_key) {
        parent->keys[parent->n] = child;
    } else {
        parent->items[parent->n++] = child;
    }
    return 0;
}

/* The line and column of byte `off` (for reader errors, which give an offset). */
static void position(const char *text, size_t len, size_t off, long *line, long *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n')
            (*line)++, *column = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80)
            (*column)++;
    }
}

static int syntax_error(const yaml_parser_t *p, const char *text, size_t len, const char *file)
{
    long line = (long)p->problem_mark.line + 1, column = (long)p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR)
        position(text, len, p->problem_offset, &line, &column);
    const char *problem = p->problem ? p->problem : "not valid YAML";
    if (p->context)
        return revops_error__set_at(REVOPS_EINVALID, file, line, column, NULL, "%s %s", problem,
                                    p->context);
    return revops_error__set_at(REVOPS_EINVALID, file, line, column, NULL, "%s", problem);
}

int revops_ytree__parse(ynode **root, const char *text, size_t len, const char *file)
{
    *root = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return revops_error__oom();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    ynode *stack[REVOPS_CONFIG_MAX_DEPTH + 1];
    size_t depth = 0;
    ynode *top = NULL;
    int documents = 0, rc = 0, done = 0;
    while (!done && !rc) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = syntax_error(&parser, text, len, file);
            break;
        }
        ynode *n = NULL;
        long line = (long)ev.start_mark.line + 1, column = (long)ev.start_mark.column + 1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                rc = revops_error__set_at(REVOPS_EINVALID, file, line, column, NULL,
                                          "a second YAML document: the configuration is one "
                                          "document");
            break;
        case YAML_ALIAS_EVENT:
            rc = revops_error__set_at(REVOPS_EINVALID, file, line, column, NULL,
                                      "aliases (*name) are not supported: write the value out");
            break;
        case YAML_SCALAR_EVENT:
            if (!(n = new_node(Y_SCALAR, &ev))) {
                rc = revops_error__oom();
                break;
            }
            n->len = ev.data.scalar.length;
            if (memchr(ev.data.scalar.value, '\0', n->len)) {
                rc = revops_error__set_at(REVOPS_EINVALID, file, line, column, NULL,
                                          "a NUL character in a value");
                break;
            }
            n->text = malloc(n->len + 1);
            if (!n->text) {
                rc = revops_error__oom();
                break;
            }
            memcpy(n->text, ev.data.scalar.value, n->len);
            n->text[n->len] = '\0';
            switch (ev.data.scalar.style) {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE:
                n->style = Y_SINGLE;
                break;
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
                n->style = Y_DOUBLE;
                break;
            case YAML_LITERAL_SCALAR_STYLE:
                n->style = Y_LITERAL;
                break;
            case YAML_FOLDED_SCALAR_STYLE:
                n->style = Y_FOLDED;
                break;
            default:
                n->style = Y_PLAIN;
                break;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (depth >= REVOPS_CONFIG_MAX_DEPTH) {
                rc = revops_error__set_at(REVOPS_ETOOBIG, file, line, column, NULL,
                                          "nesting deeper than %d levels", REVOPS_CONFIG_MAX_DEPTH);
                break;
            }
            if (!(n = new_node(ev.type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ, &ev))) {
                rc = revops_error__oom();
                break;
            }
            n->flow = ev.type == YAML_MAPPING_START_EVENT
                          ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                          : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0) {
                ynode *closed = stack[--depth];
                closed->end_line = (long)ev.end_mark.line + 1;
                closed->end_column = (long)ev.end_mark.column + 1;
            }
            break;
        default:
            break;
        }
        if (n && !rc && n->kind == Y_MAP && depth > 0 && stack[depth - 1]->kind == Y_MAP &&
            (!stack[depth - 1]->keys || !stack[depth - 1]->keys[stack[depth - 1]->n])) {
            rc = revops_error__set_at(REVOPS_EINVALID, file, n->line, n->column, NULL,
                                      "a key must be a plain name, not a mapping");
        } else if (n && !rc && n->kind == Y_SEQ && depth > 0 && stack[depth - 1]->kind == Y_MAP &&
                   (!stack[depth - 1]->keys || !stack[depth - 1]->keys[stack[depth - 1]->n])) {
            rc = revops_error__set_at(REVOPS_EINVALID, file, n->line, n->column, NULL,
                                      "a key must be a plain name, not a list");
        }
        if (n && !rc) {
            if (depth > 0)
                rc = add_child(stack[depth - 1], n);
            else if (!top)
                top = n;
            if (!rc && n->kind != Y_SCALAR)
                stack[depth++] = n;
            if (rc || (depth == 0 && top != n)) {
                revops_ytree__free(n);
                n = NULL;
            }
        } else if (n) {
            revops_ytree__free(n);
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (rc) {
        revops_ytree__free(top);
        return rc;
    }
    *root = top;
    return 0;
}
