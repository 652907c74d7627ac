/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The criteria parser: tokens to a syntax tree, by recursive descent over
 *
 *     or      := and ("or" and)*
 *     and     := not ("and" not)*
 *     not     := "not" not | compare
 *     compare := unary [ ("==" | "!=" | "<" | "<=" | ">" | ">=") unary
 *                      | ["not"] "in" "(" unary ("," unary)* [","] ")" ]
 *     unary   := "-" unary | primary
 *     primary := number [currency] | duration | date | string | "true" | "false"
 *              | name | name "(" [or ("," or)*] ")" | "(" or ")"
 *
 * Chains of "and" and "or" become one node with many children, so a long chain costs no
 * stack; everything else that nests (parentheses, not, minus, calls) counts towards
 * REVOPS_CRITERIA_MAX_DEPTH, which bounds the recursion here and in the compiler. Field names
 * are looked up in the entity here, so a misspelt name is reported where it is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "criteria/criteria_internal.h"
#include "revops/money.h"

typedef struct parser {
    const crit_src *src;
    const crit_lexed *lx;
    const revops_entity_def *entity;
    crit_tree *t;
    size_t pos;
    int depth;
} parser;

static const crit_token *peek(const parser *p)
{
    return &p->lx->tokens[p->pos];
}

static const crit_token *peek2(const parser *p)
{
    return p->pos + 1 < p->lx->ntokens ? &p->lx->tokens[p->pos + 1] : peek(p);
}

static const crit_token *take(parser *p)
{
    const crit_token *t = peek(p);
    if (t->kind != TK_EOF)
        p->pos++;
    return t;
}

static int new_node(parser *p, int kind, uint32_t off, int32_t *out)
{
    crit_tree *t = p->t;
    if (t->n >= REVOPS_CRITERIA_MAX_NODES)
        return crit__error(p->src, off, REVOPS_ETOOBIG, "criteria too complex: more than %d parts",
                           REVOPS_CRITERIA_MAX_NODES);
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 32;
        crit_node *n = realloc(t->nodes, ncap * sizeof(*n));
        if (!n)
            return revops_error__oom();
        t->nodes = n;
        t->cap = ncap;
    }
    crit_node *n = &t->nodes[t->n];
    memset(n, 0, sizeof(*n));
    n->kind = (uint8_t)kind;
    n->off = off;
    n->child = -1;
    n->next = -1;
    n->field = -1;
    *out = (int32_t)t->n++;
    return 0;
}

/* What was found, for "expected X, found Y". */
static void found(const parser *p, const crit_token *t, char *buf, size_t cap)
{
    if (t->kind == TK_EOF)
        snprintf(buf, cap, "the end");
    else
        snprintf(buf, cap, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), p->src->text + t->off);
}

static int enter(parser *p, uint32_t off)
{
    if (++p->depth > REVOPS_CRITERIA_MAX_DEPTH)
        return crit__error(p->src, off, REVOPS_ETOOBIG,
                           "nesting deeper than %d levels (parentheses, not, minus and "
                           "function calls)",
                           REVOPS_CRITERIA_MAX_DEPTH);
    return 0;
}

static int parse_or(parser *p, int32_t *out);

/* Edit distance of two short names, for "did you mean". */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[65];
    if (na > 64 || nb > 64)
        return 99;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t cost = (a[i - 1] | 0x20) == (b[j - 1] | 0x20) ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

static int unknown_field(parser *p, const crit_token *t)
{
    const char *name = p->src->text + t->off;
    const revops_entity_def *e = p->entity;
    size_t best = 99, bi = 0;
    for (size_t i = 0; i < e->nfields; i++) {
        size_t d = distance(name, t->len, e->fields[i].name, strlen(e->fields[i].name));
        if (d < best)
            best = d, bi = i;
    }
    if (best <= 2 && best < t->len)
        return crit__error(p->src, t->off, REVOPS_EINVALID,
                           "no field '%.*s' in %s: did you mean '%s'?", (int)t->len, name, e->name,
                           e->fields[bi].name);
    char list[400];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < e->nfields && used < sizeof(list); i++) {
        int n =
            snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", e->fields[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return crit__error(p->src, t->off, REVOPS_EINVALID, "no field '%.*s' in %s: expected one of %s",
                       (int)t->len, name, e->name, list);
}

static int parse_call(parser *p, const crit_token *name, int32_t *out)
{
    const char *s = p->src->text + name->off;
    int fn = -1;
    for (int i = 0; i < FN_COUNT && fn < 0; i++)
        if (strlen(crit__fns[i].name) == name->len && memcmp(crit__fns[i].name, s, name->len) == 0)
            fn = i;
    if (fn < 0) {
        char list[400];
        size_t used = 0;
        for (int i = 0; i < FN_COUNT && used < sizeof(list); i++) {
            int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
                             crit__fns[i].name);
            if (n < 0)
                break;
            used += (size_t)n;
        }
        return crit__error(p->src, name->off, REVOPS_EINVALID,
                           "unknown function '%.*s': expected one of %s", (int)name->len, s, list);
    }
    int rc = enter(p, name->off);
    if (rc || (rc = new_node(p, NK_CALL, name->off, out)))
        return rc;
    p->t->nodes[*out].op = (uint8_t)fn;
    const crit_token *open = take(p); /* the '(' */
    int32_t last = -1;
    int nargs = 0;
    if (peek(p)->kind != TK_RPAREN) {
        for (;;) {
            int32_t arg;
            if ((rc = parse_or(p, &arg)))
                return rc;
            if (last < 0)
                p->t->nodes[*out].child = arg;
            else
                p->t->nodes[last].next = arg;
            last = arg;
            nargs++;
            if (peek(p)->kind != TK_COMMA)
                break;
            take(p);
        }
    }
    const crit_token *close = peek(p);
    if (close->kind != TK_RPAREN) {
        char what[64];
        found(p, close, what, sizeof(what));
        return crit__error(p->src, close->off, REVOPS_EINVALID,
                           "expected ',' or ')' to close the call of %s, found %s",
                           crit__fns[fn].name, what);
    }
    take(p);
    if (nargs != crit__fns[fn].nargs)
        return crit__error(p->src, open->off, REVOPS_EINVALID,
                           "%s takes %d argument%s (%s), not %d", crit__fns[fn].name,
                           crit__fns[fn].nargs, crit__fns[fn].nargs == 1 ? "" : "s",
                           crit__fns[fn].help, nargs);
    p->depth--;
    return 0;
}

/* "1200000 RUB": a number followed by a three-letter upper-case code. */
static int is_currency_token(const parser *p, const crit_token *t)
{
    if (t->kind != TK_IDENT || t->len != 3)
        return 0;
    const char *s = p->src->text + t->off;
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

static int parse_money(parser *p, const crit_token *num, const crit_token *cur, int negative,
                       int32_t *out)
{
    const char *code = p->src->text + cur->off;
    int exponent = revops_currency_exponent(code, 3);
    if (exponent < 0)
        return crit__error(p->src, cur->off, REVOPS_EINVALID,
                           "unknown currency '%.3s': expected an ISO 4217 code such as RUB, USD "
                           "or EUR",
                           code);
    int64_t minor;
    if (revops_money_parse(&minor, p->src->text + num->off, num->len, exponent) != 0)
        return crit__error(p->src, num->off, REVOPS_EINVALID, "amount in %.3s: %s", code,
                           revops_error_last()->message);
    int rc = new_node(p, NK_MONEY, num->off, out);
    if (rc)
        return rc;
    crit_node *n = &p->t->nodes[*out];
    n->i = negative ? -minor : minor;
    n->code = crit__pack_code(code);
    n->exponent = (int8_t)exponent;
    return 0;
}

static int parse_primary(parser *p, int32_t *out)
{
    const crit_token *t = take(p);
    int rc;
    switch (t->kind) {
    case TK_NUMBER:
        if (is_currency_token(p, peek(p)))
            return parse_money(p, t, take(p), 0, out);
        if ((rc = new_node(p, NK_NUMBER, t->off, out)))
            return rc;
        p->t->nodes[*out].num = t->num;
        return 0;
    case TK_DURATION:
    case TK_TIME:
        if ((rc = new_node(p, t->kind == TK_TIME ? NK_TIME : NK_DURATION, t->off, out)))
            return rc;
        p->t->nodes[*out].i = t->i;
        return 0;
    case TK_STRING:
        if ((rc = new_node(p, NK_STRING, t->off, out)))
            return rc;
        p->t->nodes[*out].str_off = t->str_off;
        p->t->nodes[*out].str_len = t->str_len;
        return 0;
    case TK_TRUE:
    case TK_FALSE:
        if ((rc = new_node(p, NK_BOOL, t->off, out)))
            return rc;
        p->t->nodes[*out].i = t->kind == TK_TRUE;
        return 0;
    case TK_IDENT: {
        if (peek(p)->kind == TK_LPAREN)
            return parse_call(p, t, out);
        int f = revops_field_find(p->entity, p->src->text + t->off, t->len);
        if (f < 0)
            return unknown_field(p, t);
        if ((rc = new_node(p, NK_FIELD, t->off, out)))
            return rc;
        p->t->nodes[*out].field = f;
        return 0;
    }
    case TK_LPAREN: {
        if ((rc = enter(p, t->off)) || (rc = parse_or(p, out)))
            return rc;
        const crit_token *close = peek(p);
        if (close->kind != TK_RPAREN) {
            char what[64];
            found(p, close, what, sizeof(what));
            long line, col;
            crit__position(p->src, t->off, &line, &col);
            return crit__error(p->src, close->off, REVOPS_EINVALID,
                               "expected ')' to close the '(' at column %ld, found %s", col, what);
        }
        take(p);
        p->depth--;
        return 0;
    }
    default: {
        char what[64];
        found(p, t, what, sizeof(what));
        return crit__error(p->src, t->off, REVOPS_EINVALID,
                           "expected a value (a field, number, amount, string, date, duration "
                           "or function call), found %s",
                           what);
    }
    }
}

static int parse_unary(parser *p, int32_t *out)
{
    if (peek(p)->kind != TK_MINUS)
        return parse_primary(p, out);
    const crit_token *minus = take(p);
    /* "-5 RUB" is one amount, so the minus belongs to it and not to a conversion. */
    if (peek(p)->kind == TK_NUMBER && is_currency_token(p, peek2(p))) {
        const crit_token *num = take(p);
        return parse_money(p, num, take(p), 1, out);
    }
    int rc = enter(p, minus->off);
    if (rc || (rc = new_node(p, NK_NEG, minus->off, out)))
        return rc;
    int32_t operand;
    if ((rc = parse_unary(p, &operand)))
        return rc;
    p->t->nodes[*out].child = operand;
    p->depth--;
    return 0;
}

static int cmp_of(int kind)
{
    switch (kind) {
    case TK_EQ:
        return CMP_EQ;
    case TK_NE:
        return CMP_NE;
    case TK_LT:
        return CMP_LT;
    case TK_LE:
        return CMP_LE;
    case TK_GT:
        return CMP_GT;
    case TK_GE:
        return CMP_GE;
    default:
        return -1;
    }
}

static int parse_in_list(parser *p, int32_t node, int32_t lhs)
{
    const crit_token *open = peek(p);
    if (open->kind != TK_LPAREN) {
        char what[64];
        found(p, open, what, sizeof(what));
        return crit__error(p->src, open->off, REVOPS_EINVALID,
                           "expected '(' and a list of values after 'in', found %s", what);
    }
    take(p);
    p->t->nodes[node].child = lhs;
    int32_t last = lhs;
    int items = 0;
    while (peek(p)->kind != TK_RPAREN) {
        int32_t item;
        int rc = parse_unary(p, &item);
        if (rc)
            return rc;
        p->t->nodes[last].next = item;
        last = item;
        items++;
        if (peek(p)->kind == TK_COMMA) {
            take(p);
            continue;
        }
        if (peek(p)->kind != TK_RPAREN) {
            char what[64];
            found(p, peek(p), what, sizeof(what));
            return crit__error(p->src, peek(p)->off, REVOPS_EINVALID,
                               "expected ',' or ')' in the list after 'in', found %s", what);
        }
    }
    if (items == 0)
        return crit__error(p->src, open->off, REVOPS_EINVALID,
                           "empty list after 'in': expected at least one value");
    take(p);
    return 0;
}

static int parse_compare(parser *p, int32_t *out)
{
    int32_t lhs;
    int rc = parse_unary(p, &lhs);
    if (rc)
        return rc;
    const crit_token *t = peek(p);
    int cmp = cmp_of(t->kind);
    if (cmp >= 0) {
        take(p);
        int32_t rhs;
        if ((rc = parse_unary(p, &rhs)) || (rc = new_node(p, NK_CMP, t->off, out)))
            return rc;
        crit_node *n = &p->t->nodes[*out];
        n->op = (uint8_t)cmp;
        n->child = lhs;
        p->t->nodes[lhs].next = rhs;
    } else if (t->kind == TK_IN || (t->kind == TK_NOT && peek2(p)->kind == TK_IN)) {
        int negate = t->kind == TK_NOT;
        take(p);
        if (negate)
            take(p);
        if ((rc = new_node(p, NK_IN, t->off, out)))
            return rc;
        p->t->nodes[*out].op = (uint8_t)negate;
        if ((rc = parse_in_list(p, *out, lhs)))
            return rc;
    } else {
        *out = lhs;
        return 0;
    }
    const crit_token *again = peek(p);
    if (cmp_of(again->kind) >= 0 || again->kind == TK_IN)
        return crit__error(p->src, again->off, REVOPS_EINVALID,
                           "comparisons do not chain: join them with 'and' (a < b and b < c)");
    return 0;
}

static int parse_not(parser *p, int32_t *out)
{
    if (peek(p)->kind != TK_NOT)
        return parse_compare(p, out);
    const crit_token *t = take(p);
    int rc = enter(p, t->off);
    if (rc || (rc = new_node(p, NK_NOT, t->off, out)))
        return rc;
    int32_t operand;
    if ((rc = parse_not(p, &operand)))
        return rc;
    p->t->nodes[*out].child = operand;
    p->depth--;
    return 0;
}

/* One n-ary level: items of `sub` joined by `op_tok` into a node of `kind`. */
static int parse_chain(parser *p, int op_tok, int kind, int (*sub)(parser *, int32_t *),
                       int32_t *out)
{
    int32_t first;
    int rc = sub(p, &first);
    if (rc)
        return rc;
    if (peek(p)->kind != op_tok) {
        *out = first;
        return 0;
    }
    if ((rc = new_node(p, kind, peek(p)->off, out)))
        return rc;
    p->t->nodes[*out].child = first;
    int32_t last = first;
    while (peek(p)->kind == op_tok) {
        take(p);
        int32_t next;
        if ((rc = sub(p, &next)))
            return rc;
        p->t->nodes[last].next = next;
        last = next;
    }
    return 0;
}

static int parse_and(parser *p, int32_t *out)
{
    return parse_chain(p, TK_AND, NK_AND, parse_not, out);
}

static int parse_or(parser *p, int32_t *out)
{
    return parse_chain(p, TK_OR, NK_OR, parse_and, out);
}

void crit__tree_free(crit_tree *t)
{
    free(t->nodes);
    memset(t, 0, sizeof(*t));
}

int crit__parse(crit_tree *out, const crit_src *src, const crit_lexed *lx,
                const revops_entity_def *entity)
{
    memset(out, 0, sizeof(*out));
    out->root = -1;
    parser p = {src, lx, entity, out, 0, 0};
    if (peek(&p)->kind == TK_EOF)
        return crit__error(src, 0, REVOPS_EINVALID, "empty criteria: expected a condition");
    int rc = parse_or(&p, &out->root);
    if (rc)
        return rc;
    const crit_token *t = peek(&p);
    if (t->kind != TK_EOF) {
        char what[64];
        found(&p, t, what, sizeof(what));
        return crit__error(src, t->off, REVOPS_EINVALID,
                           "expected 'and', 'or', an operator or the end, found %s", what);
    }
    return 0;
}
