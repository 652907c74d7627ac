/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A YAML document as a small tree with the position of every node, read with libyaml's event
 * parser. Aliases are refused (a configuration has no need for them, and they are how a tiny
 * file expands into a huge one), and so is nesting beyond REVOPS_CONFIG_MAX_DEPTH.
 */
#ifndef REVOPS_CONFIG_YTREE_H
#define REVOPS_CONFIG_YTREE_H

#include <stddef.h>

typedef enum ynode_kind { Y_SCALAR, Y_MAP, Y_SEQ } ynode_kind;

typedef enum yscalar_style { Y_PLAIN, Y_SINGLE, Y_DOUBLE, Y_LITERAL, Y_FOLDED } yscalar_style;

typedef struct ynode {
    ynode_kind kind;
    long line, column;         /* 1-based, of the node's first character */
    long end_line, end_column; /* just after it */
    int flow;                  /* maps and lists written in [ ] or { } */
    /* Y_SCALAR */
    yscalar_style style;
    char *text; /* NUL-terminated (a NUL inside is refused) */
    size_t len;
    /* Y_MAP: keys[i] -> items[i]; Y_SEQ: items[i] */
    struct ynode **keys;
    struct ynode **items;
    size_t n, cap;
} ynode;

/*
 * Parses `text`. *root is NULL for a document without content (empty, or comments alone).
 * On a syntax error returns REVOPS_EINVALID with the file name, line and column in
 * revops_error_last().
 */
int revops_ytree__parse(ynode **root, const char *text, size_t len, const char *file);
void revops_ytree__free(ynode *n);

#endif
