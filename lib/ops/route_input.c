/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lead given as JSON (docs/routing.md "A lead as JSON"): an object of lead fields, checked
 * as strictly as a CSV import checks a row, every error at the line and column of the value.
 * The lead is appended to the dataset's lead table for the time of routing it, so the tier
 * criteria and the model read it like any stored lead, and removed again.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/jsonparse.h"
#include "ops/routing_internal.h"
#include "revops/money.h"

#define INPUT_ID "(input)"
#define TEXT_MAX 255

typedef struct input {
    const revops_jdoc *doc;
    const char *name;
    revops_value row[REVOPS_MAX_FIELDS];
    char scratch[4][TEXT_MAX + 1];
} input;

static int bad(const input *in, const revops_jnode *n, const char *fmt, ...) REVOPS_PRINTF(3, 4);

static int bad(const input *in, const revops_jnode *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return revops_error__set_at(REVOPS_EINVALID, in->name, n->line, n->column, NULL, "%s", msg);
}

/* Levenshtein distance, for suggesting the field a misspelt key meant (short names only). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[65], cur[65];
    if (la > 64 || lb > 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            char x = a[i - 1], y = b[j - 1];
            if (x >= 'A' && x <= 'Z')
                x = (char)(x - 'A' + 'a');
            size_t sub = prev[j - 1] + (x != y);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof(*prev));
    }
    return prev[lb];
}

static int unknown_field(const input *in, const revops_jnode *n, const char *key)
{
    const revops_entity_def *def = revops_entity_at(REVOPS_ENTITY_LEAD);
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t f = 0; f < def->nfields; f++) {
        size_t d = distance(key, def->fields[f].name);
        if (d < best_d) {
            best_d = d;
            best = def->fields[f].name;
        }
    }
    revops_error__set_at(REVOPS_EINVALID, in->name, n->key_line, n->key_column, NULL,
                         best ? "no lead field '%.60s': did you mean '%s'?"
                              : "no lead field '%.60s' (the fields are those of lead.csv: "
                                "company, industry, region, estimated_value, ...)",
                         key, best);
    return REVOPS_EINVALID;
}

/* A string value, trimmed of surrounding spaces as the CSV import trims them. */
static int text_of(const input *in, const revops_jnode *n, const char *field, const char **s,
                   size_t *len)
{
    if (n->kind != RJ_STRING)
        return bad(in, n, "%s: expected a string, found %s", field,
                   revops_jdoc__kind_name(n->kind));
    const char *p = revops_jdoc__text(in->doc, n->str);
    size_t l = n->len;
    while (l && (*p == ' ' || *p == '\t'))
        p++, l--;
    while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
        l--;
    if (l > TEXT_MAX)
        return bad(in, n, "%s: %zu bytes of text: at most %d", field, l, TEXT_MAX);
    *s = p;
    *len = l;
    return 0;
}

static int read_field(input *in, const revops_field_def *fd, const revops_jnode *n, int f)
{
    revops_value *v = &in->row[f];
    const char *s;
    size_t len;
    int rc;
    switch (fd->type) {
    case REVOPS_FT_ID:
    case REVOPS_FT_REF:
    case REVOPS_FT_TEXT:
        if ((rc = text_of(in, n, fd->name, &s, &len)))
            return rc;
        v->present = len > 0;
        v->s = s;
        v->len = len;
        return 0;
    case REVOPS_FT_ENUM:
        if ((rc = text_of(in, n, fd->name, &s, &len)))
            return rc;
        for (size_t k = 0; fd->values[k]; k++)
            if (strlen(fd->values[k]) == len && memcmp(fd->values[k], s, len) == 0) {
                v->present = 1;
                v->s = fd->values[k];
                v->len = len;
                return 0;
            }
        return bad(in, n,
                   "%s: expected one of lead, mql, sql, opportunity, customer, "
                   "disqualified, found \"%.40s\"",
                   fd->name, s);
    case REVOPS_FT_CURRENCY:
        if ((rc = text_of(in, n, fd->name, &s, &len)))
            return rc;
        if (len != 3 || revops_currency_exponent(s, 3) < 0)
            return bad(in, n,
                       "%s: expected an ISO 4217 code in capitals such as RUB, found "
                       "\"%.40s\"",
                       fd->name, s);
        v->present = 1;
        v->s = s;
        v->len = 3;
        return 0;
    case REVOPS_FT_INT: {
        const char *t = revops_jdoc__text(in->doc, n->str);
        if (n->kind != RJ_NUMBER || strspn(t, "0123456789") != n->len || n->len > 15)
            return bad(in, n, "%s: expected a whole number of at least 0, found %s%s", fd->name,
                       n->kind == RJ_NUMBER ? "" : revops_jdoc__kind_name(n->kind),
                       n->kind == RJ_NUMBER ? t : "");
        v->present = 1;
        v->i = (int64_t)n->num;
        return 0;
    }
    case REVOPS_FT_REAL:
        if (n->kind != RJ_NUMBER)
            return bad(in, n, "%s: expected a number, found %s", fd->name,
                       revops_jdoc__kind_name(n->kind));
        v->present = 1;
        v->d = n->num;
        return 0;
    case REVOPS_FT_TIME:
        if ((rc = text_of(in, n, fd->name, &s, &len)))
            return rc;
        if (revops_time_parse(&v->i, s, len) != 0)
            return bad(in, n,
                       "%s: expected a date or time such as 2026-03-01 or "
                       "2026-03-01T14:05:00Z, found \"%.40s\"",
                       fd->name, s);
        v->present = 1;
        return 0;
    default:
        return bad(in, n, "%s cannot be given here", fd->name);
    }
}

/* estimated_value: a number with "currency", or a string "1200000 RUB" (or "1200000" with
 * "currency"). Read after every other field, so the currency is known. */
static int read_money(input *in, const revops_jnode *n, int f, int cf)
{
    const char *field = "estimated_value";
    const char *amount;
    size_t alen;
    char code[4] = "";
    if (n->kind == RJ_NUMBER) {
        amount = revops_jdoc__text(in->doc, n->str);
        alen = n->len;
        if (memchr(amount, 'e', alen) || memchr(amount, 'E', alen))
            return bad(in, n, "%s: write the amount without an exponent, such as 1200000", field);
    } else if (n->kind == RJ_STRING) {
        const char *s;
        size_t len;
        int rc = text_of(in, n, field, &s, &len);
        if (rc)
            return rc;
        const char *space = memchr(s, ' ', len);
        amount = s;
        alen = space ? (size_t)(space - s) : len;
        if (space) {
            const char *c = space;
            while (c < s + len && *c == ' ')
                c++;
            size_t clen = (size_t)(s + len - c);
            if (clen != 3 || revops_currency_exponent(c, 3) < 0)
                return bad(in, n,
                           "%s: expected an amount and an ISO 4217 code such as \"1200000 "
                           "RUB\", found \"%.40s\"",
                           field, s);
            memcpy(code, c, 3);
        }
    } else {
        return bad(in, n, "%s: expected an amount such as \"1200000 RUB\", found %s", field,
                   revops_jdoc__kind_name(n->kind));
    }
    revops_value *cur = &in->row[cf];
    if (code[0] && cur->present && memcmp(cur->s, code, 3) != 0)
        return bad(in, n, "%s is in %s, but currency says %.3s", field, code, cur->s);
    if (!code[0] && !cur->present)
        return bad(in, n,
                   "%s needs its currency: write \"%.*s RUB\" (with the right code) or give "
                   "\"currency\"",
                   field, (int)(alen < 30 ? alen : 30), amount);
    if (code[0]) {
        memcpy(in->scratch[0], code, 4);
        *cur = (revops_value){1, 0, 0, in->scratch[0], 3};
    }
    int exponent = revops_currency_exponent(cur->s, 3);
    revops_value *v = &in->row[f];
    if (revops_money_parse(&v->i, amount, alen, exponent) != 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%.199s", revops_error_last()->message);
        return bad(in, n, "%s: %s", field, msg);
    }
    if (v->i < 0)
        return bad(in, n, "%s cannot be negative", field);
    v->present = 1;
    return 0;
}

static int read_lead(input *in, revops_time now)
{
    const revops_jdoc *doc = in->doc;
    const revops_jnode *root = &doc->nodes[0];
    if (root->kind != RJ_OBJECT)
        return bad(in, root,
                   "expected a lead as an object of its fields ({\"company\": ...}), "
                   "found %s",
                   revops_jdoc__kind_name(root->kind));
    const revops_entity_def *def = revops_entity_at(REVOPS_ENTITY_LEAD);
    memset(in->row, 0, sizeof(in->row));
    const revops_jnode *money = NULL;
    int rc;
    for (int32_t m = root->first; m >= 0; m = doc->nodes[m].next) {
        const revops_jnode *n = &doc->nodes[m];
        const char *key = revops_jdoc__text(doc, n->key);
        int f = revops_field_find(def, key, n->key_len);
        if (f < 0 || strcmp(def->fields[f].name, key) != 0)
            return unknown_field(in, n, key);
        if (n->kind == RJ_NULL)
            continue;
        if (f == REVOPS_F_lead_estimated_value) {
            money = n;
            continue;
        }
        if ((rc = read_field(in, &def->fields[f], n, f)))
            return rc;
    }
    if (money &&
        (rc = read_money(in, money, REVOPS_F_lead_estimated_value, REVOPS_F_lead_currency)))
        return rc;
    if (!in->row[REVOPS_F_lead_id].present)
        in->row[REVOPS_F_lead_id] = revops_ops__text(INPUT_ID);
    if (!in->row[REVOPS_F_lead_created_at].present)
        in->row[REVOPS_F_lead_created_at] = (revops_value){1, now, 0, NULL, 0};
    if (!in->row[REVOPS_F_lead_stage].present)
        in->row[REVOPS_F_lead_stage] = revops_ops__text("lead");
    return 0;
}

int revops_router_route_json(revops_router *r, const char *json, size_t len, const char *name,
                             revops_route_decision **out)
{
    *out = NULL;
    revops_jdoc doc;
    input *in = calloc(1, sizeof(*in));
    if (!in)
        return revops_error__oom();
    int rc = revops_jdoc__parse(&doc, json, len, name);
    if (!rc) {
        in->doc = &doc;
        in->name = name;
        rc = read_lead(in, r->now);
    }
    if (!rc)
        rc = revops_dataset__append(r->ds, REVOPS_ENTITY_LEAD, in->row);
    if (!rc) {
        /* The lead may use a stage no stored lead has: look the stages up again. */
        revops_ops__value_ids(r->ds, revops_values_lead_stage, r->lead_stage, OPS_LEAD_STAGES);
        rc = revops_router__route_row(r, r->ds->lead.n - 1, 1, out);
        revops_dataset__drop_last(r->ds, REVOPS_ENTITY_LEAD);
    }
    revops_jdoc__free(&doc);
    free(in);
    return rc;
}
