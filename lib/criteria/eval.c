/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The criteria evaluator: runs a compiled program on one row of the dataset with a small
 * stack on the C stack, so an evaluation allocates nothing and several threads may share a
 * program. The rules a reader cannot see from the code:
 *
 * - An empty field (and a function of one) makes every comparison with it false, "!=" and
 *   "not in" included; is_empty() tests for it. An empty yes/no field used alone as a
 *   condition counts as false.
 * - An event time after env->now is empty: evaluated as of a past day, criteria see only
 *   what was known then. Planned times and dates (a due date, a close date) are read as they
 *   are.
 * - Amounts in one currency compare exactly in minor units. Amounts in two currencies compare
 *   after converting both with the rates of the environment into the currency those rates
 *   convert into (env->base, rate 1). Any other currency without a rate cannot be compared:
 *   an error naming it, never a guess.
 * - lower() and upper() fold ASCII and Cyrillic letters; strings otherwise compare byte by
 *   byte, which for UTF-8 is the order of code points.
 */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "criteria/criteria_internal.h"
#include "model/dataset.h"
#include "revops/money.h"

/* ---- strings ---- */

/* The code point at s[*i] (the text is valid UTF-8: the dataset and the lexer check it). */
static uint32_t next_cp(const char *s, size_t len, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t left = len - *i;
    if (u[0] < 0x80 || left < 2) {
        *i += 1;
        return u[0];
    }
    if (u[0] < 0xE0 || left < 3) {
        *i += 2;
        return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    }
    if (u[0] < 0xF0 || left < 4) {
        *i += 3;
        return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    }
    *i += 4;
    return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
           (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
}

static uint32_t fold(uint32_t c, int mode)
{
    if (mode == 1) {
        if ((c >= 'A' && c <= 'Z') || (c >= 0x410 && c <= 0x42F))
            return c + 32;
        if (c >= 0x400 && c <= 0x40F)
            return c + 80;
    } else if (mode == 2) {
        if ((c >= 'a' && c <= 'z') || (c >= 0x430 && c <= 0x44F))
            return c - 32;
        if (c >= 0x450 && c <= 0x45F)
            return c - 80;
    }
    return c;
}

static int str_cmp(const crit_val *a, const crit_val *b)
{
    if (!a->fold && !b->fold) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        if (c)
            return c < 0 ? -1 : 1;
        return (a->len > b->len) - (a->len < b->len);
    }
    size_t i = 0, j = 0;
    while (i < a->len && j < b->len) {
        uint32_t x = fold(next_cp(a->s, a->len, &i), a->fold);
        uint32_t y = fold(next_cp(b->s, b->len, &j), b->fold);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (i < a->len) - (j < b->len);
}

/* Whether `needle` occurs in `hay` at byte `at` (both folded as they say). */
static int match_at(const crit_val *hay, size_t at, const crit_val *needle)
{
    size_t i = at, j = 0;
    while (j < needle->len) {
        if (i >= hay->len)
            return 0;
        uint32_t x = fold(next_cp(hay->s, hay->len, &i), hay->fold);
        uint32_t y = fold(next_cp(needle->s, needle->len, &j), needle->fold);
        if (x != y)
            return 0;
    }
    return 1;
}

static int str_contains(const crit_val *hay, const crit_val *needle)
{
    for (size_t at = 0; at <= hay->len; at++) {
        /* Starts of code points only. */
        if (at < hay->len && ((unsigned char)hay->s[at] & 0xC0) == 0x80)
            continue;
        if (match_at(hay, at, needle))
            return 1;
        if (at == hay->len)
            break;
    }
    return 0;
}

static int str_ends_with(const crit_val *hay, const crit_val *needle)
{
    /* Folding keeps the length in bytes for the letters it folds, so the suffix starts at
     * the same byte. */
    if (needle->len > hay->len)
        return 0;
    size_t at = hay->len - needle->len;
    if (at < hay->len && ((unsigned char)hay->s[at] & 0xC0) == 0x80)
        return 0;
    return match_at(hay, at, needle);
}

static int list_has(const crit_val *list, const crit_val *item)
{
    size_t start = 0;
    for (size_t i = 0; i <= list->len; i++) {
        if (i < list->len && list->s[i] != ';')
            continue;
        crit_val part = {0};
        part.s = list->s + start;
        part.len = (uint32_t)(i - start);
        if (part.len && str_cmp(&part, item) == 0)
            return 1;
        start = i + 1;
    }
    return 0;
}

static size_t str_length(const crit_val *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->len; i++)
        n += ((unsigned char)v->s[i] & 0xC0) != 0x80;
    return n;
}

/* ---- money ---- */

static const revops_criteria_rate *find_rate(const revops_criteria_env *env, uint32_t code)
{
    for (size_t i = 0; i < env->nrates; i++)
        if (env->rates[i].code == code)
            return &env->rates[i];
    return NULL;
}

static void unpack(uint32_t code, char out[4])
{
    out[0] = (char)(code >> 16);
    out[1] = (char)(code >> 8);
    out[2] = (char)code;
    out[3] = '\0';
}

/* The row's id, for messages. */
static const char *row_id(const revops_criteria *c, const revops_criteria_env *env, size_t row)
{
    const revops_entity_def *e = revops_entity_at(c->entity);
    if (!revops_entity_has_id(e))
        return "";
    const revops_str *ids = *(revops_str *const *)((const char *)env->ds + e->table_offset +
                                                   e->fields[0].column_offset);
    return revops_dataset__str(env->ds, ids[row]);
}

static int money_cmp(const revops_criteria *c, const revops_criteria_env *env, size_t row,
                     const crit_val *a, const crit_val *b, int *out)
{
    if (a->code == b->code) {
        *out = (a->i > b->i) - (a->i < b->i);
        return 0;
    }
    const revops_criteria_rate *ra = find_rate(env, a->code), *rb = find_rate(env, b->code);
    char ca[4], cb[4];
    unpack(a->code, ca);
    unpack(b->code, cb);
    if ((!ra && a->code != env->base) || (!rb && b->code != env->base)) {
        char base[4] = "";
        if (env->base)
            unpack(env->base, base);
        return revops_error__set(REVOPS_EINVALID,
                                 "%s %s (row %zu): cannot compare an amount in %s with one in %s: "
                                 "no exchange rate for %s%s%s%s",
                                 revops_entity_at(c->entity)->name, row_id(c, env, row), row, ca,
                                 cb, (!ra && a->code != env->base) ? ca : cb,
                                 env->base ? " into " : "", base,
                                 env->base ? ""
                                           : ", and which currency the rates convert into is not "
                                             "known: set the reporting currency");
    }
    /* The base currency has rate 1. */
    double xa = (double)a->i, xb = (double)b->i;
    int ea = ra ? ra->exponent : revops_currency_exponent(ca, 3);
    int eb = rb ? rb->exponent : revops_currency_exponent(cb, 3);
    xa = xa / pow(10.0, ea) * (ra ? ra->rate : 1.0);
    xb = xb / pow(10.0, eb) * (rb ? rb->rate : 1.0);
    *out = (xa > xb) - (xa < xb);
    return 0;
}

/* ---- evaluation ---- */

static int compare(const revops_criteria *c, const revops_criteria_env *env, size_t row, int type,
                   const crit_val *a, const crit_val *b, int *out)
{
    switch (type) {
    case CT_NUMBER:
        *out = (a->d > b->d) - (a->d < b->d);
        return 0;
    case CT_STRING:
        *out = str_cmp(a, b);
        return 0;
    case CT_MONEY:
        return money_cmp(c, env, row, a, b, out);
    default: /* bool, time, duration */
        *out = (a->i > b->i) - (a->i < b->i);
        return 0;
    }
}

static int holds(int op, int c)
{
    switch (op) {
    case CMP_EQ:
        return c == 0;
    case CMP_NE:
        return c != 0;
    case CMP_LT:
        return c < 0;
    case CMP_LE:
        return c <= 0;
    case CMP_GT:
        return c > 0;
    default:
        return c >= 0;
    }
}

static void set_bool(crit_val *v, int b)
{
    v->i = b;
    v->null = 0;
}

static void call(const revops_criteria_env *env, int fn, crit_val *a, const crit_val *b)
{
    switch (fn) {
    case FN_DAYS_SINCE:
        if (!a->null)
            a->d = (double)revops_time_day(env->now) - (double)revops_time_day(a->i);
        break;
    case FN_HOURS_SINCE:
        if (!a->null)
            a->d = (double)(env->now - a->i) / 3600.0;
        break;
    case FN_MINUTES_SINCE:
        if (!a->null)
            a->d = (double)(env->now - a->i) / 60.0;
        break;
    case FN_SINCE:
        if (!a->null)
            a->i = env->now - a->i;
        break;
    case FN_BETWEEN:
        a->null = a->null || b->null;
        if (!a->null)
            a->i = b->i - a->i;
        break;
    case FN_LOWER:
        a->fold = 1;
        break;
    case FN_UPPER:
        a->fold = 2;
        break;
    case FN_LENGTH:
        if (!a->null)
            a->d = (double)str_length(a);
        break;
    case FN_IS_EMPTY:
        set_bool(a, a->null);
        break;
    case FN_HAS:
        set_bool(a, !a->null && !b->null && list_has(a, b));
        break;
    case FN_CONTAINS:
        set_bool(a, !a->null && !b->null && str_contains(a, b));
        break;
    case FN_STARTS_WITH:
        set_bool(a, !a->null && !b->null && match_at(a, 0, b));
        break;
    case FN_ENDS_WITH:
        set_bool(a, !a->null && !b->null && str_ends_with(a, b));
        break;
    default:
        break;
    }
}

#define COLUMN(type) ((*(type *const *)(base + in->arg))[row])

int revops_criteria_eval(const revops_criteria *c, const revops_criteria_env *env, size_t row)
{
    const revops_entity_def *e = revops_entity_at(c->entity);
    const char *base = (const char *)env->ds;
    const revops_table_header *h = (const revops_table_header *)(base + e->table_offset);
    if (row >= h->n)
        return revops_error__set(REVOPS_EINVALID, "criteria: %s has no row %zu (it has %zu)",
                                 e->name, row, h->n);
    const revops_strpool *pool = &env->ds->strings;
    crit_val st[CRIT_STACK_MAX];
    size_t sp = 0;
    int rc;
    for (size_t pc = 0;; pc++) {
        const crit_insn *in = &c->code[pc];
        crit_val *v = &st[sp];
        switch (in->op) {
        case OP_END:
            return sp > 0 && !st[sp - 1].null && st[sp - 1].i != 0;
        case OP_CONST:
            *v = c->consts[in->arg];
            sp++;
            break;
        case OP_FIELD_STR:
        case OP_FIELD_LIST: {
            revops_str id = COLUMN(revops_str);
            v->s = pool->ptrs[id];
            v->len = pool->lens[id];
            v->null = id == 0;
            v->fold = 0;
            sp++;
            break;
        }
        case OP_FIELD_INT: {
            int64_t x = COLUMN(int64_t);
            v->null = x == REVOPS_NO_INT;
            v->d = (double)x;
            sp++;
            break;
        }
        case OP_FIELD_REAL:
            v->d = COLUMN(double);
            v->null = isnan(v->d) != 0;
            sp++;
            break;
        case OP_FIELD_BOOL: {
            int8_t x = COLUMN(int8_t);
            v->null = x < 0;
            v->i = x > 0;
            sp++;
            break;
        }
        case OP_FIELD_DAY: {
            revops_day d = COLUMN(revops_day);
            v->null = d == REVOPS_NO_DAY;
            v->i = revops_day_time(d);
            sp++;
            break;
        }
        case OP_FIELD_MONTH: {
            revops_month m = COLUMN(revops_month);
            v->null = m == REVOPS_NO_MONTH;
            v->i = v->null ? 0 : revops_day_time(revops_month_first_day(m));
            sp++;
            break;
        }
        case OP_FIELD_TIME:
            v->i = COLUMN(revops_time);
            v->null = v->i == REVOPS_NO_TIME;
            sp++;
            break;
        case OP_FIELD_EVENT:
            v->i = COLUMN(revops_time);
            v->null = v->i == REVOPS_NO_TIME || v->i > env->now;
            sp++;
            break;
        case OP_FIELD_MONEY: {
            v->i = COLUMN(int64_t);
            revops_str cur = (*(revops_str *const *)(base + in->aux))[row];
            v->null = v->i == REVOPS_NO_MONEY || pool->lens[cur] != 3;
            v->code = v->null ? 0 : crit__pack_code(pool->ptrs[cur]);
            sp++;
            break;
        }
        case OP_TRUTH:
            if (st[sp - 1].null)
                set_bool(&st[sp - 1], 0);
            break;
        case OP_NOT:
            st[sp - 1].i = !st[sp - 1].i;
            break;
        case OP_NEG:
            /* An empty value stays empty (its i may be the INT64_MIN that marks it). */
            if (st[sp - 1].null)
                break;
            if (in->aux == CT_NUMBER)
                st[sp - 1].d = -st[sp - 1].d;
            else
                st[sp - 1].i = -st[sp - 1].i;
            break;
        case OP_CMP: {
            crit_val *a = &st[sp - 2], *b = &st[sp - 1];
            int r = 0, k;
            if (!a->null && !b->null) {
                if ((rc = compare(c, env, row, in->aux, a, b, &k)))
                    return rc;
                r = holds(in->sub, k);
            }
            set_bool(a, r);
            sp--;
            break;
        }
        case OP_IN: {
            /* sub: bit 0 "not in", the value's type above it. */
            crit_val *a = &st[sp - 1];
            int found = 0, k;
            for (size_t i = 0; i < in->aux && !a->null && !found; i++) {
                if ((rc = compare(c, env, row, in->sub >> 1, a, &c->consts[in->arg + i], &k)))
                    return rc;
                found = k == 0;
            }
            set_bool(a, a->null ? 0 : ((in->sub & 1) ? !found : found));
            break;
        }
        case OP_AND:
            if (!st[sp - 1].i)
                pc = in->arg - 1;
            else
                sp--;
            break;
        case OP_OR:
            if (st[sp - 1].i)
                pc = in->arg - 1;
            else
                sp--;
            break;
        case OP_CALL:
            if (crit__fns[in->sub].nargs == 2) {
                call(env, in->sub, &st[sp - 2], &st[sp - 1]);
                sp--;
            } else {
                call(env, in->sub, &st[sp - 1], NULL);
            }
            break;
        default:
            return revops_error__set(REVOPS_EINTERNAL, "criteria: bad instruction %d", in->op);
        }
    }
}

/* The currencies the data use, for guessing the base: up to `cap` distinct string ids. */
static size_t data_currencies(const revops_dataset *ds, revops_str *seen, size_t cap)
{
    size_t n = 0;
    for (size_t e = 0; e < revops_entity_count(); e++) {
        const revops_entity_def *def = revops_entity_at(e);
        const revops_table_header *h =
            (const revops_table_header *)((const char *)ds + def->table_offset);
        for (size_t f = 0; f < def->nfields && h->n; f++) {
            if (def->fields[f].type != REVOPS_FT_CURRENCY || e == REVOPS_ENTITY_FX_RATE)
                continue;
            const revops_str *col = *(revops_str *const *)((const char *)ds + def->table_offset +
                                                           def->fields[f].column_offset);
            for (size_t r = 0; r < h->n; r++) {
                size_t k = 0;
                while (k < n && seen[k] != col[r])
                    k++;
                if (k == n && col[r] != 0 && n < cap)
                    seen[n++] = col[r];
            }
        }
    }
    return n;
}

int revops_criteria_env_init(revops_criteria_env *env, const revops_dataset *ds, revops_time now,
                             const char *currency)
{
    memset(env, 0, sizeof(*env));
    env->ds = ds;
    env->now = now;
    if (now == REVOPS_NO_TIME)
        return revops_error__set(REVOPS_EINVALID, "criteria: the time 'now' is not set");
    if (currency && (strlen(currency) != 3 || revops_currency_exponent(currency, 3) < 0))
        return revops_error__set(REVOPS_EINVALID, "criteria: '%s' is not an ISO 4217 currency code",
                                 currency);
    if (currency)
        env->base = crit__pack_code(currency);
    revops_day today = revops_time_day(now);
    revops_day best[REVOPS_CRITERIA_MAX_RATES];
    const revops_fx_rate_table *t = &ds->fx_rate;
    for (size_t r = 0; r < t->n; r++) {
        const char *code = revops_dataset__str(ds, t->currency[r]);
        if (revops_strpool__len(&ds->strings, t->currency[r]) != 3 || !(t->rate[r] > 0))
            continue;
        uint32_t packed = crit__pack_code(code);
        size_t k = 0;
        while (k < env->nrates && env->rates[k].code != packed)
            k++;
        if (k == env->nrates) {
            if (k == REVOPS_CRITERIA_MAX_RATES)
                return revops_error__set(REVOPS_ETOOBIG,
                                         "criteria: exchange rates for more than %d currencies",
                                         REVOPS_CRITERIA_MAX_RATES);
            env->rates[k].code = packed;
            env->rates[k].exponent = revops_currency_exponent(code, 3);
            env->rates[k].rate = t->rate[r];
            best[k] = t->date[r];
            env->nrates++;
            continue;
        }
        /* The latest rate on or before today; before the first rate, the first one. */
        revops_day d = t->date[r];
        int better = best[k] > today ? d < best[k] : (d <= today && d > best[k]);
        if (better) {
            env->rates[k].rate = t->rate[r];
            best[k] = d;
        }
    }
    if (!currency) {
        revops_str seen[64];
        size_t n = data_currencies(ds, seen, 64);
        uint32_t base = 0;
        size_t without = 0;
        for (size_t i = 0; i < n; i++) {
            if (revops_strpool__len(&ds->strings, seen[i]) != 3)
                continue;
            uint32_t code = crit__pack_code(revops_dataset__str(ds, seen[i]));
            if (!find_rate(env, code))
                without++, base = code;
        }
        env->base = without == 1 ? base : 0;
    }
    return 0;
}
