/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The criteria compiler: checks the types of the syntax tree and emits a flat program for
 * the stack machine of eval.c. Every type error points at the operator or value it is about.
 * What the checks catch before any row is read: comparing different kinds of values (money
 * with a plain number, a date with a string), an enum field with a value it can never hold,
 * "in" lists of anything but literals, and a criteria that is not a condition at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "criteria/criteria_internal.h"
#include "model/entities.h"

/* The functions: name, arguments, result. */
const crit_fn_def crit__fns[FN_COUNT] = {
    [FN_DAYS_SINCE] = {"days_since", 1, {CT_TIME, 0}, CT_NUMBER, "a date or time"},
    [FN_HOURS_SINCE] = {"hours_since", 1, {CT_TIME, 0}, CT_NUMBER, "a date or time"},
    [FN_MINUTES_SINCE] = {"minutes_since", 1, {CT_TIME, 0}, CT_NUMBER, "a date or time"},
    [FN_SINCE] = {"since", 1, {CT_TIME, 0}, CT_DURATION, "a date or time"},
    [FN_BETWEEN] = {"between", 2, {CT_TIME, CT_TIME}, CT_DURATION, "two dates or times"},
    [FN_LOWER] = {"lower", 1, {CT_STRING, 0}, CT_STRING, "a string"},
    [FN_UPPER] = {"upper", 1, {CT_STRING, 0}, CT_STRING, "a string"},
    [FN_LENGTH] = {"length", 1, {CT_STRING, 0}, CT_NUMBER, "a string"},
    [FN_IS_EMPTY] = {"is_empty", 1, {CT_ANY, 0}, CT_BOOL, "any value"},
    [FN_HAS] = {"has", 2, {CT_LIST, CT_STRING}, CT_BOOL, "a list field and a string"},
    [FN_CONTAINS] = {"contains", 2, {CT_STRING, CT_STRING}, CT_BOOL, "two strings"},
    [FN_STARTS_WITH] = {"starts_with", 2, {CT_STRING, CT_STRING}, CT_BOOL, "two strings"},
    [FN_ENDS_WITH] = {"ends_with", 2, {CT_STRING, CT_STRING}, CT_BOOL, "two strings"},
};

typedef struct compiler {
    const crit_src *src;
    const crit_tree *t;
    revops_criteria *c;
    const revops_entity_def *e;
    const revops_stages *stages;
    size_t code_cap, const_cap;
    size_t stack, max_stack;
} compiler;

static const char *type_name(int type)
{
    static const char *const names[] = {"a condition (true or false)",
                                        "a number",
                                        "a string",
                                        "an amount of money",
                                        "a date or time",
                                        "a duration",
                                        "a list",
                                        "any value"};
    return type >= 0 && type <= CT_ANY ? names[type] : "?";
}

static int emit(compiler *cc, int op, int sub, size_t aux, size_t arg)
{
    revops_criteria *c = cc->c;
    if (c->ncode == cc->code_cap) {
        size_t ncap = cc->code_cap ? cc->code_cap * 2 : 32;
        crit_insn *n = realloc(c->code, ncap * sizeof(*n));
        if (!n)
            return revops_error__oom();
        c->code = n;
        cc->code_cap = ncap;
    }
    c->code[c->ncode++] = (crit_insn){(uint8_t)op, (uint8_t)sub, (uint16_t)aux, (uint32_t)arg};
    return 0;
}

static int add_const(compiler *cc, const crit_val *v, size_t *index)
{
    revops_criteria *c = cc->c;
    if (c->nconsts == cc->const_cap) {
        size_t ncap = cc->const_cap ? cc->const_cap * 2 : 16;
        crit_val *n = realloc(c->consts, ncap * sizeof(*n));
        if (!n)
            return revops_error__oom();
        c->consts = n;
        cc->const_cap = ncap;
    }
    *index = c->nconsts;
    c->consts[c->nconsts++] = *v;
    return 0;
}

static void push(compiler *cc, size_t n)
{
    cc->stack += n;
    if (cc->stack > cc->max_stack)
        cc->max_stack = cc->stack;
}

/* A literal (or a negated one) as a value; 0 when the node is not a constant. */
static int constant(const compiler *cc, int32_t idx, crit_val *v, int *type)
{
    const crit_node *n = &cc->t->nodes[idx];
    memset(v, 0, sizeof(*v));
    switch (n->kind) {
    case NK_NUMBER:
        v->d = n->num;
        *type = CT_NUMBER;
        return 1;
    case NK_STRING:
        v->s = cc->c->strings + n->str_off;
        v->len = n->str_len;
        *type = CT_STRING;
        return 1;
    case NK_MONEY:
        v->i = n->i;
        v->code = n->code;
        v->exponent = n->exponent;
        *type = CT_MONEY;
        return 1;
    case NK_TIME:
        v->i = n->i;
        *type = CT_TIME;
        return 1;
    case NK_DURATION:
        v->i = n->i;
        *type = CT_DURATION;
        return 1;
    case NK_BOOL:
        v->i = n->i;
        *type = CT_BOOL;
        return 1;
    case NK_NEG:
        if (!constant(cc, n->child, v, type))
            return 0;
        if (*type == CT_NUMBER)
            v->d = -v->d;
        else if (*type == CT_DURATION || *type == CT_MONEY)
            v->i = -v->i;
        else
            return 0;
        return 1;
    default:
        return 0;
    }
}

/* For messages: "lead.industry". */
static const char *field_name(const compiler *cc, int32_t idx)
{
    const crit_node *n = &cc->t->nodes[idx];
    return n->kind == NK_FIELD ? cc->e->fields[n->field].name : NULL;
}

/* An enum or stage field compared with a string literal it can never hold is a mistake
 * worth reporting before any row is read. */
static int check_value(compiler *cc, int32_t field_idx, int32_t lit_idx)
{
    const crit_node *f = &cc->t->nodes[field_idx];
    const crit_node *l = &cc->t->nodes[lit_idx];
    if (f->kind != NK_FIELD || l->kind != NK_STRING)
        return 0;
    const revops_field_def *fd = &cc->e->fields[f->field];
    const char *s = cc->c->strings + l->str_off;
    char list[400];
    size_t used = 0;
    list[0] = '\0';
    if (fd->type == REVOPS_FT_ENUM && fd->values) {
        for (size_t i = 0; fd->values[i]; i++) {
            if (strlen(fd->values[i]) == l->str_len && memcmp(fd->values[i], s, l->str_len) == 0)
                return 0;
            int n =
                snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", fd->values[i]);
            if (n > 0 && (size_t)n < sizeof(list) - used)
                used += (size_t)n;
        }
    } else if (fd->type == REVOPS_FT_STAGE) {
        revops_stages def;
        const revops_stages *st = cc->stages;
        if (!st) {
            revops_stages_default(&def);
            st = &def;
        }
        if (revops_stages_find(st, s, l->str_len) >= 0)
            return 0;
        revops_stages_list(st, list, sizeof(list));
    } else {
        return 0;
    }
    return crit__error(cc->src, l->off, REVOPS_EINVALID,
                       "%s.%s is one of %s; '%.*s' is not one of them", cc->e->name, fd->name, list,
                       (int)l->str_len, s);
}

static int gen(compiler *cc, int32_t idx, int *type);

/* A sub-expression used as a condition: it must be one, and an empty yes/no field reads as
 * false there. */
static int gen_condition(compiler *cc, int32_t idx, const char *where)
{
    int type, rc = gen(cc, idx, &type);
    if (rc)
        return rc;
    if (type != CT_BOOL)
        return crit__error(cc->src, cc->t->nodes[idx].off, REVOPS_EINVALID,
                           "%s expects a condition (true or false), not %s", where,
                           type_name(type));
    if (cc->t->nodes[idx].kind == NK_FIELD)
        return emit(cc, OP_TRUTH, 0, 0, 0);
    return 0;
}

static int gen_field(compiler *cc, const crit_node *n, int *type)
{
    const revops_field_def *fd = &cc->e->fields[n->field];
    size_t off = cc->e->table_offset + fd->column_offset;
    int op;
    size_t aux = 0;
    switch (fd->type) {
    case REVOPS_FT_LIST:
        op = OP_FIELD_LIST, *type = CT_LIST;
        break;
    case REVOPS_FT_DATE:
        op = OP_FIELD_DAY, *type = CT_TIME;
        break;
    case REVOPS_FT_MONTH:
        op = OP_FIELD_MONTH, *type = CT_TIME;
        break;
    case REVOPS_FT_TIME:
        op = (fd->flags & REVOPS_FIELD_PLANNED) ? OP_FIELD_TIME : OP_FIELD_EVENT;
        *type = CT_TIME;
        break;
    case REVOPS_FT_INT:
        op = OP_FIELD_INT, *type = CT_NUMBER;
        break;
    case REVOPS_FT_REAL:
        op = OP_FIELD_REAL, *type = CT_NUMBER;
        break;
    case REVOPS_FT_BOOL:
        op = OP_FIELD_BOOL, *type = CT_BOOL;
        break;
    case REVOPS_FT_MONEY:
        op = OP_FIELD_MONEY, *type = CT_MONEY;
        aux = cc->e->table_offset + cc->e->fields[fd->currency_field].column_offset;
        break;
    default:
        op = OP_FIELD_STR, *type = CT_STRING;
        break;
    }
    if (aux > UINT16_MAX)
        return revops_error__set(REVOPS_EINTERNAL, "criteria: a dataset column lies too far");
    push(cc, 1);
    return emit(cc, op, 0, aux, off);
}

static int gen_chain(compiler *cc, const crit_node *n)
{
    int op = n->kind == NK_AND ? OP_AND : OP_OR;
    const char *where = n->kind == NK_AND ? "'and'" : "'or'";
    size_t first_jump = cc->c->ncode;
    int rc = 0;
    for (int32_t k = n->child; k >= 0; k = cc->t->nodes[k].next) {
        if ((rc = gen_condition(cc, k, where)))
            return rc;
        if (cc->t->nodes[k].next < 0)
            break;
        /* Target 0 until the end is known: no real jump goes to the first instruction. */
        if ((rc = emit(cc, op, 0, 0, 0)))
            return rc;
        cc->stack--;
    }
    /* The jumps of nested chains were patched already, so the ones still aimed at 0 are
     * this chain's own. */
    size_t end = cc->c->ncode;
    for (size_t j = first_jump; j < end; j++)
        if (cc->c->code[j].op == op && cc->c->code[j].arg == 0)
            cc->c->code[j].arg = (uint32_t)end;
    return 0;
}

static int gen_compare(compiler *cc, const crit_node *n, int *type)
{
    int32_t l = n->child, r = cc->t->nodes[l].next;
    int lt, rt, rc;
    if ((rc = gen(cc, l, &lt)) || (rc = gen(cc, r, &rt)))
        return rc;
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    if (lt == CT_LIST || rt == CT_LIST) {
        const char *name = field_name(cc, lt == CT_LIST ? l : r);
        return crit__error(cc->src, n->off, REVOPS_EINVALID,
                           "cannot compare lists with '%s': use has(%s, \"value\")", ops[n->op],
                           name ? name : "list");
    }
    if (lt != rt) {
        const char *hint = "";
        if ((lt == CT_MONEY && rt == CT_NUMBER) || (lt == CT_NUMBER && rt == CT_MONEY))
            hint = ": write an amount with its currency, such as 1000000 RUB";
        else if ((lt == CT_TIME && rt == CT_STRING) || (lt == CT_STRING && rt == CT_TIME))
            hint = ": write dates without quotes, such as 2026-03-01";
        else if ((lt == CT_DURATION && rt == CT_NUMBER) || (lt == CT_NUMBER && rt == CT_DURATION))
            hint = ": write a duration with its unit, such as 24h or 30d";
        else if ((lt == CT_TIME && rt == CT_NUMBER) || (lt == CT_NUMBER && rt == CT_TIME))
            hint = ": to compare an age, use days_since(field) or since(field)";
        return crit__error(cc->src, n->off, REVOPS_EINVALID, "cannot compare %s with %s%s",
                           type_name(lt), type_name(rt), hint);
    }
    if (lt == CT_BOOL && n->op != CMP_EQ && n->op != CMP_NE)
        return crit__error(cc->src, n->off, REVOPS_EINVALID,
                           "conditions compare only with '==' or '!=', not '%s'", ops[n->op]);
    for (int side = 0; side < 2; side++) {
        const crit_node *s = &cc->t->nodes[side ? r : l];
        if (s->kind == NK_STRING && s->str_len == 0)
            return crit__error(cc->src, s->off, REVOPS_EINVALID,
                               "an empty field is never equal to \"\": test it with "
                               "is_empty(%s)",
                               field_name(cc, side ? l : r) ? field_name(cc, side ? l : r)
                                                            : "value");
    }
    if (lt == CT_STRING && (n->op == CMP_EQ || n->op == CMP_NE) &&
        ((rc = check_value(cc, l, r)) || (rc = check_value(cc, r, l))))
        return rc;
    cc->stack--;
    *type = CT_BOOL;
    return emit(cc, OP_CMP, n->op, (size_t)lt, 0);
}

static int gen_in(compiler *cc, const crit_node *n, int *type)
{
    int lt, rc;
    if ((rc = gen(cc, n->child, &lt)))
        return rc;
    if (lt == CT_LIST || lt == CT_BOOL)
        return crit__error(cc->src, cc->t->nodes[n->child].off, REVOPS_EINVALID,
                           "'in' tests a number, string, amount, date or duration, not %s%s",
                           type_name(lt),
                           lt == CT_LIST ? ": use has(list, \"value\") for list fields" : "");
    size_t first = cc->c->nconsts, count = 0;
    for (int32_t k = cc->t->nodes[n->child].next; k >= 0; k = cc->t->nodes[k].next) {
        crit_val v;
        int vt = 0;
        const crit_node *item = &cc->t->nodes[k];
        if (!constant(cc, k, &v, &vt))
            return crit__error(cc->src, item->off, REVOPS_EINVALID,
                               "the list after 'in' holds values written out (numbers, strings, "
                               "amounts, dates, durations), not expressions");
        if (vt != lt)
            return crit__error(cc->src, item->off, REVOPS_EINVALID,
                               "the list after 'in' holds %s, but the value tested is %s",
                               type_name(vt), type_name(lt));
        if (vt == CT_STRING && item->str_len == 0)
            return crit__error(cc->src, item->off, REVOPS_EINVALID,
                               "an empty field is never equal to \"\": test it with is_empty()");
        if ((rc = check_value(cc, n->child, k)))
            return rc;
        size_t at = 0;
        if ((rc = add_const(cc, &v, &at)))
            return rc;
        count++;
    }
    if (count > UINT16_MAX)
        return crit__error(cc->src, n->off, REVOPS_ETOOBIG, "more than %d values after 'in'",
                           UINT16_MAX);
    *type = CT_BOOL;
    return emit(cc, OP_IN, n->op | lt << 1, count, first);
}

static int gen_call(compiler *cc, const crit_node *n, int *type)
{
    const crit_fn_def *fn = &crit__fns[n->op];
    int i = 0, rc;
    for (int32_t k = n->child; k >= 0; k = cc->t->nodes[k].next, i++) {
        int at = 0;
        if ((rc = gen(cc, k, &at)))
            return rc;
        if (fn->args[i] != CT_ANY && at != fn->args[i])
            return crit__error(cc->src, cc->t->nodes[k].off, REVOPS_EINVALID, "%s takes %s, not %s",
                               fn->name, fn->help, type_name(at));
    }
    cc->stack -= (size_t)fn->nargs - 1;
    *type = fn->result;
    return emit(cc, OP_CALL, n->op, 0, 0);
}

static int gen(compiler *cc, int32_t idx, int *type)
{
    const crit_node *n = &cc->t->nodes[idx];
    crit_val v;
    int rc = 0;
    switch (n->kind) {
    case NK_OR:
    case NK_AND:
        *type = CT_BOOL;
        return gen_chain(cc, n);
    case NK_NOT:
        *type = CT_BOOL;
        if ((rc = gen_condition(cc, n->child, "'not'")))
            return rc;
        return emit(cc, OP_NOT, 0, 0, 0);
    case NK_CMP:
        return gen_compare(cc, n, type);
    case NK_IN:
        return gen_in(cc, n, type);
    case NK_NEG:
        if (constant(cc, idx, &v, type))
            break;
        if ((rc = gen(cc, n->child, type)))
            return rc;
        if (*type != CT_NUMBER && *type != CT_DURATION && *type != CT_MONEY)
            return crit__error(cc->src, n->off, REVOPS_EINVALID,
                               "'-' applies to a number, an amount or a duration, not %s",
                               type_name(*type));
        return emit(cc, OP_NEG, 0, (size_t)*type, 0);
    case NK_FIELD:
        return gen_field(cc, n, type);
    case NK_CALL:
        return gen_call(cc, n, type);
    default:
        if (!constant(cc, idx, &v, type))
            return revops_error__set(REVOPS_EINTERNAL, "criteria: unknown node %d", n->kind);
        break;
    }
    size_t at = 0;
    if ((rc = add_const(cc, &v, &at)))
        return rc;
    push(cc, 1);
    return emit(cc, OP_CONST, 0, 0, at);
}

int crit__compile(revops_criteria *c, const crit_src *src, const crit_lexed *lx, const crit_tree *t,
                  const revops_stages *stages)
{
    (void)lx;
    compiler cc;
    memset(&cc, 0, sizeof(cc));
    cc.src = src;
    cc.t = t;
    cc.c = c;
    cc.e = revops_entity_at(c->entity);
    cc.stages = stages;
    int type, rc = gen(&cc, t->root, &type);
    if (rc)
        return rc;
    if (type != CT_BOOL)
        return crit__error(src, t->nodes[t->root].off, REVOPS_EINVALID,
                           "criteria must be a condition (true or false), but this is %s",
                           type_name(type));
    if (t->nodes[t->root].kind == NK_FIELD && (rc = emit(&cc, OP_TRUTH, 0, 0, 0)))
        return rc;
    if (cc.max_stack > CRIT_STACK_MAX)
        return crit__error(src, 0, REVOPS_ETOOBIG, "criteria too complex to evaluate");
    c->max_stack = cc.max_stack;
    return emit(&cc, OP_END, 0, 0, 0);
}
