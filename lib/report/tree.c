/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "report/tree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/error.h"
#include "report/text.h"
#include "revops/csv.h"
#include "revops/date.h"
#include "revops/money.h"

typedef enum entry_kind { E_VALUE, E_NA, E_SECTION, E_TABLE, E_LIST } entry_kind;

typedef struct cell {
    int null;
    int64_t i;
    double d;
    const char *s;
} cell;

typedef struct entry {
    entry_kind kind;
    const char *key;
    const char *label;
    revops_rt_type type;
    int decimals;
    cell value;
    const char *reason;
    revops_rt_node *section;
    revops_rt_table *table;
    revops_rt_list *list;
    struct entry *next;
} entry;

struct revops_rt_node {
    revops_rt *rt;
    const char *key;
    const char *title;
    entry *first, *last;
    revops_rt_node *next_item; /* the next item of the list the node is an item of */
};

struct revops_rt_list {
    revops_rt *rt;
    const char *key;
    revops_rt_node *first, *last;
    size_t n;
};

struct revops_rt_table {
    revops_rt *rt;
    const char *key;
    const char *title;
    revops_rt_column *cols;
    size_t ncols;
    cell *cells;
    size_t ncells, cap;
    size_t col;        /* next column of the current row */
    size_t text_limit; /* rows shown in text; 0 for all */
    unsigned flags;    /* REVOPS_RT_TEXT_ONLY, REVOPS_RT_DATA_ONLY */
};

struct revops_rt {
    revops_arena arena;
    int error;
    char currency[8];
    int exponent;
    revops_rt_node root;
    /* Tables own growable cell arrays, freed with the tree. */
    revops_rt_table **tables;
    size_t ntables, captables;
    /* Trees whose entries this one adopted: their nodes live in their arenas. */
    revops_rt **parts;
    size_t nparts, capparts;
};

static void *alloc(revops_rt *rt, size_t n)
{
    if (rt->error)
        return NULL;
    void *p = revops_arena__alloc(&rt->arena, n);
    if (!p)
        rt->error = REVOPS_ENOMEM;
    else
        memset(p, 0, n);
    return p;
}

static const char *dup(revops_rt *rt, const char *s)
{
    if (!s || rt->error)
        return NULL;
    char *p = revops_arena__strndup(&rt->arena, s, strlen(s));
    if (!p)
        rt->error = REVOPS_ENOMEM;
    return p;
}

int revops_rt__new(revops_rt **out, const char *currency, int exponent)
{
    *out = NULL;
    revops_rt *rt = calloc(1, sizeof(*rt));
    if (!rt)
        return revops_error__oom();
    snprintf(rt->currency, sizeof(rt->currency), "%s", currency ? currency : "");
    rt->exponent = exponent;
    rt->root.rt = rt;
    *out = rt;
    return 0;
}

void revops_rt__free(revops_rt *rt)
{
    if (!rt)
        return;
    for (size_t i = 0; i < rt->ntables; i++)
        free(rt->tables[i]->cells);
    free(rt->tables);
    for (size_t i = 0; i < rt->nparts; i++)
        revops_rt__free(rt->parts[i]);
    free(rt->parts);
    revops_arena__free(&rt->arena);
    free(rt);
}

int revops_rt__adopt(revops_rt *rt, revops_rt *part)
{
    if (!rt->error && part->error)
        rt->error = part->error;
    if (!rt->error &&
        revops_array__grow((void **)&rt->parts, &rt->capparts, rt->nparts + 1, sizeof(*rt->parts)))
        rt->error = REVOPS_ENOMEM;
    if (rt->error) {
        revops_rt__free(part);
        return rt->error;
    }
    rt->parts[rt->nparts++] = part;
    if (part->root.first) {
        if (rt->root.last)
            rt->root.last->next = part->root.first;
        else
            rt->root.first = part->root.first;
        rt->root.last = part->root.last;
        part->root.first = part->root.last = NULL;
    }
    return 0;
}

int revops_rt__error(const revops_rt *rt)
{
    return rt->error;
}

const char *revops_rt__currency(const revops_rt *rt)
{
    return rt->currency;
}

revops_rt_node *revops_rt__root(revops_rt *rt)
{
    return &rt->root;
}

static entry *add(revops_rt_node *n, entry_kind kind, const char *key, const char *label)
{
    if (!n)
        return NULL;
    entry *e = alloc(n->rt, sizeof(*e));
    if (!e)
        return NULL;
    e->kind = kind;
    e->key = dup(n->rt, key);
    e->label = dup(n->rt, label);
    if (n->rt->error)
        return NULL;
    if (n->last)
        n->last->next = e;
    else
        n->first = e;
    n->last = e;
    return e;
}

revops_rt_node *revops_rt__section(revops_rt_node *parent, const char *key, const char *title)
{
    entry *e = add(parent, E_SECTION, key, title);
    if (!e)
        return NULL;
    revops_rt_node *n = alloc(parent->rt, sizeof(*n));
    if (!n)
        return NULL;
    n->rt = parent->rt;
    n->key = e->key;
    n->title = e->label;
    e->section = n;
    return n;
}

revops_rt_node *revops_rt__section_first(revops_rt_node *parent, const char *key, const char *title)
{
    revops_rt_node *n = revops_rt__section(parent, key, title);
    if (!n || parent->first == parent->last)
        return n;
    /* The new entry is the last one: unlink it and put it in front. */
    entry *e = parent->last, *prev = parent->first;
    while (prev->next != e)
        prev = prev->next;
    prev->next = NULL;
    parent->last = prev;
    e->next = parent->first;
    parent->first = e;
    return n;
}

revops_rt_list *revops_rt__list(revops_rt_node *n, const char *key)
{
    entry *e = add(n, E_LIST, key, NULL);
    if (!e)
        return NULL;
    revops_rt_list *l = alloc(n->rt, sizeof(*l));
    if (!l)
        return NULL;
    l->rt = n->rt;
    l->key = e->key;
    e->list = l;
    return l;
}

revops_rt_node *revops_rt__item(revops_rt_list *l, const char *title)
{
    if (!l)
        return NULL;
    revops_rt_node *n = alloc(l->rt, sizeof(*n));
    if (!n)
        return NULL;
    n->rt = l->rt;
    n->key = l->key;
    n->title = dup(l->rt, title);
    if (l->last)
        l->last->next_item = n;
    else
        l->first = n;
    l->last = n;
    l->n++;
    return n;
}

static void value(revops_rt_node *n, const char *key, const char *label, revops_rt_type type,
                  cell v, int decimals)
{
    entry *e = add(n, E_VALUE, key, label);
    if (!e)
        return;
    e->type = type;
    e->value = v;
    e->decimals = decimals;
    if (type == REVOPS_RT_TEXT)
        e->value.s = dup(n->rt, v.s ? v.s : "");
}

void revops_rt__text(revops_rt_node *n, const char *key, const char *label, const char *v)
{
    value(n, key, label, REVOPS_RT_TEXT, (cell){0, 0, 0, v}, 0);
}

void revops_rt__count(revops_rt_node *n, const char *key, const char *label, int64_t v)
{
    value(n, key, label, REVOPS_RT_COUNT, (cell){0, v, 0, NULL}, 0);
}

void revops_rt__money(revops_rt_node *n, const char *key, const char *label, int64_t minor)
{
    value(n, key, label, REVOPS_RT_MONEY, (cell){0, minor, 0, NULL}, 0);
}

void revops_rt__ratio(revops_rt_node *n, const char *key, const char *label, double v)
{
    value(n, key, label, REVOPS_RT_RATIO, (cell){isnan(v), 0, v, NULL}, 0);
}

void revops_rt__number(revops_rt_node *n, const char *key, const char *label, double v,
                       int decimals)
{
    value(n, key, label, REVOPS_RT_NUMBER, (cell){isnan(v), 0, v, NULL}, decimals);
}

void revops_rt__day(revops_rt_node *n, const char *key, const char *label, int32_t day)
{
    value(n, key, label, REVOPS_RT_DAY, (cell){day == REVOPS_NO_DAY, day, 0, NULL}, 0);
}

void revops_rt__bool(revops_rt_node *n, const char *key, const char *label, int v)
{
    value(n, key, label, REVOPS_RT_BOOL, (cell){0, v != 0, 0, NULL}, 0);
}

void revops_rt__na(revops_rt_node *n, const char *key, const char *label, const char *reason)
{
    entry *e = add(n, E_NA, key, label);
    if (e)
        e->reason = dup(n->rt, reason);
}

revops_rt_table *revops_rt__table(revops_rt_node *n, const char *key, const char *title,
                                  const revops_rt_column *cols, size_t ncols)
{
    entry *e = add(n, E_TABLE, key, title);
    if (!e)
        return NULL;
    revops_rt *rt = n->rt;
    revops_rt_table *t = alloc(rt, sizeof(*t));
    revops_rt_column *c = alloc(rt, (ncols ? ncols : 1) * sizeof(*c));
    if (!t || !c)
        return NULL;
    for (size_t i = 0; i < ncols; i++) {
        c[i] = cols[i];
        c[i].key = dup(rt, cols[i].key);
        c[i].label = dup(rt, cols[i].label ? cols[i].label : cols[i].key);
    }
    t->rt = rt;
    t->key = e->key;
    t->title = e->label;
    t->cols = c;
    t->ncols = ncols;
    if (revops_array__grow((void **)&rt->tables, &rt->captables, rt->ntables + 1,
                           sizeof(*rt->tables))) {
        rt->error = REVOPS_ENOMEM;
        return NULL;
    }
    rt->tables[rt->ntables++] = t;
    e->table = t;
    return t;
}

void revops_rt__text_limit(revops_rt_table *t, size_t rows)
{
    if (t)
        t->text_limit = rows;
}

void revops_rt__table_flags(revops_rt_table *t, unsigned flags)
{
    if (t)
        t->flags = flags;
}

void revops_rt__row(revops_rt_table *t)
{
    if (!t || t->rt->error)
        return;
    /* A row left short is completed with nulls, so the grid stays rectangular. */
    while (t->col != 0 && t->col < t->ncols)
        revops_rt__cell_null(t);
    t->col = 0;
}

static void put_cell(revops_rt_table *t, cell c)
{
    if (!t || t->rt->error)
        return;
    if (t->col == 0 && t->ncells % (t->ncols ? t->ncols : 1) != 0) {
        t->rt->error = revops_error__set(REVOPS_EINTERNAL, "report table %s: ragged row", t->key);
        return;
    }
    if (t->col >= t->ncols) {
        t->rt->error =
            revops_error__set(REVOPS_EINTERNAL, "report table %s: too many cells", t->key);
        return;
    }
    if (revops_array__grow((void **)&t->cells, &t->cap, t->ncells + 1, sizeof(*t->cells))) {
        t->rt->error = REVOPS_ENOMEM;
        return;
    }
    if (t->cols[t->col].type == REVOPS_RT_TEXT && !c.null)
        c.s = dup(t->rt, c.s ? c.s : "");
    t->cells[t->ncells++] = c;
    t->col++;
}

void revops_rt__cell_text(revops_rt_table *t, const char *v)
{
    put_cell(t, (cell){v == NULL, 0, 0, v});
}

void revops_rt__cell_count(revops_rt_table *t, int64_t v)
{
    put_cell(t, (cell){0, v, 0, NULL});
}

void revops_rt__cell_money(revops_rt_table *t, int64_t minor)
{
    put_cell(t, (cell){0, minor, 0, NULL});
}

void revops_rt__cell_ratio(revops_rt_table *t, double v)
{
    put_cell(t, (cell){isnan(v), 0, v, NULL});
}

void revops_rt__cell_number(revops_rt_table *t, double v)
{
    put_cell(t, (cell){isnan(v) || isinf(v), 0, v, NULL});
}

void revops_rt__cell_day(revops_rt_table *t, int32_t day)
{
    put_cell(t, (cell){day == REVOPS_NO_DAY, day, 0, NULL});
}

void revops_rt__cell_null(revops_rt_table *t)
{
    put_cell(t, (cell){1, 0, 0, NULL});
}

size_t revops_rt__rows(const revops_rt_table *t)
{
    return t && t->ncols ? t->ncells / t->ncols : 0;
}

/* ---- JSON ---- */

static void json_cell(const revops_rt *rt, revops_json *j, revops_rt_type type, const cell *c)
{
    if (c->null) {
        revops_json_null(j);
        return;
    }
    switch (type) {
    case REVOPS_RT_TEXT:
        revops_json_string(j, c->s);
        break;
    case REVOPS_RT_COUNT:
        revops_json_int(j, c->i);
        break;
    case REVOPS_RT_MONEY:
        revops_json_money(j, c->i, rt->exponent);
        break;
    case REVOPS_RT_BOOL:
        revops_json_bool(j, (int)c->i);
        break;
    case REVOPS_RT_DAY: {
        char buf[REVOPS_DAY_TEXT_MAX];
        revops_day_format((revops_day)c->i, buf);
        revops_json_string(j, buf);
        break;
    }
    default:
        revops_json_double(j, c->d);
        break;
    }
}

/* The length of an array column's name: its key up to the first '.'. */
static size_t array_name_len(const revops_rt_column *col)
{
    const char *dot = strchr(col->key, '.');
    return dot ? (size_t)(dot - col->key) : strlen(col->key);
}

static int same_array(const revops_rt_column *a, const revops_rt_column *b)
{
    size_t n = array_name_len(a);
    return (b->flags & REVOPS_RT_ARRAY) && !(b->flags & REVOPS_RT_TEXT_ONLY) &&
           array_name_len(b) == n && strncmp(a->key, b->key, n) == 0;
}

/* Columns c .. *end of row r as one array, without its trailing nulls. */
static void json_array_cells(const revops_rt *rt, const revops_rt_table *t, size_t r, size_t c,
                             size_t *end, revops_json *j)
{
    size_t e = c + 1;
    while (e < t->ncols && same_array(&t->cols[c], &t->cols[e]))
        e++;
    size_t last = e;
    while (last > c && t->cells[r * t->ncols + last - 1].null)
        last--;
    char name[128];
    snprintf(name, sizeof(name), "%.*s", (int)array_name_len(&t->cols[c]), t->cols[c].key);
    revops_json_key(j, name);
    revops_json_begin_array(j);
    for (size_t k = c; k < last; k++)
        json_cell(rt, j, t->cols[k].type, &t->cells[r * t->ncols + k]);
    revops_json_end_array(j);
    *end = e;
}

static void json_table(const revops_rt *rt, const revops_rt_table *t, revops_json *j)
{
    revops_json_begin_array(j);
    for (size_t r = 0; r < revops_rt__rows(t); r++) {
        revops_json_begin_object(j);
        for (size_t c = 0; c < t->ncols;) {
            if (t->cols[c].flags & REVOPS_RT_TEXT_ONLY) {
                c++;
                continue;
            }
            if (t->cols[c].flags & REVOPS_RT_ARRAY) {
                json_array_cells(rt, t, r, c, &c, j);
                continue;
            }
            revops_json_key(j, t->cols[c].key);
            json_cell(rt, j, t->cols[c].type, &t->cells[r * t->ncols + c]);
            c++;
        }
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
}

static void json_node(const revops_rt *rt, const revops_rt_node *n, revops_json *j)
{
    revops_json_begin_object(j);
    for (const entry *e = n->first; e; e = e->next) {
        if (e->kind == E_TABLE && (e->table->flags & REVOPS_RT_TEXT_ONLY))
            continue;
        revops_json_key(j, e->key);
        switch (e->kind) {
        case E_VALUE:
            json_cell(rt, j, e->type, &e->value);
            break;
        case E_NA: {
            revops_json_null(j);
            char key[160];
            snprintf(key, sizeof(key), "%s_reason", e->key);
            revops_json_key(j, key);
            revops_json_string(j, e->reason ? e->reason : "");
            break;
        }
        case E_SECTION:
            json_node(rt, e->section, j);
            break;
        case E_TABLE:
            json_table(rt, e->table, j);
            break;
        case E_LIST:
            revops_json_begin_array(j);
            for (const revops_rt_node *item = e->list->first; item; item = item->next_item)
                json_node(rt, item, j);
            revops_json_end_array(j);
            break;
        }
    }
    revops_json_end_object(j);
}

int revops_rt__write_json(const revops_rt *rt, revops_json *j)
{
    if (rt->error)
        return rt->error;
    json_node(rt, &rt->root, j);
    return revops_json_text(j, NULL) ? 0 : REVOPS_EINTERNAL;
}

/* ---- text ---- */

static const char *text_cell(const revops_rt *rt, revops_rt_type type, int decimals, const cell *c,
                             char *buf, size_t cap)
{
    if (c->null)
        return type == REVOPS_RT_TEXT ? "" : "n/a";
    switch (type) {
    case REVOPS_RT_TEXT:
        return c->s;
    case REVOPS_RT_COUNT: {
        char tmp[REVOPS_TEXT_NUM_MAX];
        int64_t v = c->i;
        revops_text__count(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, tmp);
        snprintf(buf, cap, "%s%s", v < 0 ? "-" : "", tmp);
        return buf;
    }
    case REVOPS_RT_MONEY: {
        /* Whole units with thousands separators: a person reads 12,345,678, not kopecks. */
        int64_t scale = 1;
        for (int i = 0; i < rt->exponent; i++)
            scale *= 10;
        int64_t v = c->i;
        int64_t whole = v / scale, rest = v % scale;
        if (rest * 2 >= scale)
            whole++;
        else if (rest * 2 <= -scale)
            whole--;
        char tmp[REVOPS_TEXT_NUM_MAX];
        revops_text__count(whole < 0 ? (uint64_t)0 - (uint64_t)whole : (uint64_t)whole, tmp);
        snprintf(buf, cap, "%s%s", whole < 0 ? "-" : "", tmp);
        return buf;
    }
    case REVOPS_RT_RATIO:
        snprintf(buf, cap, "%.1f %%", c->d * 100.0);
        return buf;
    case REVOPS_RT_BOOL:
        return c->i ? "yes" : "no";
    case REVOPS_RT_DAY:
        if (cap >= REVOPS_DAY_TEXT_MAX)
            revops_day_format((revops_day)c->i, buf);
        return buf;
    default:
        snprintf(buf, cap, "%.*f", decimals, c->d);
        return buf;
    }
}

static int text_table(const revops_rt *rt, const revops_rt_table *t, FILE *fp)
{
    size_t n = t->ncols ? t->ncols : 1;
    const char **heads = calloc(n, sizeof(*heads));
    int *right = calloc(n, sizeof(*right));
    const char **cells = calloc(n, sizeof(*cells));
    char(*bufs)[64] = calloc(n, sizeof(*bufs));
    size_t *shown_cols = calloc(n, sizeof(*shown_cols));
    revops_text_table *tt = NULL;
    int rc = 0;
    if (!heads || !right || !cells || !bufs || !shown_cols) {
        rc = revops_error__oom();
        goto done;
    }
    size_t ncols = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->cols[c].flags & REVOPS_RT_DATA_ONLY)
            continue;
        shown_cols[ncols] = c;
        heads[ncols] = t->cols[c].label;
        right[ncols] = t->cols[c].type != REVOPS_RT_TEXT;
        ncols++;
    }
    if ((rc = revops_text_table__new(&tt, ncols, heads, right)))
        goto done;
    size_t shown = revops_rt__rows(t);
    if (t->text_limit && shown > t->text_limit)
        shown = t->text_limit;
    for (size_t r = 0; r < shown && !rc; r++) {
        for (size_t k = 0; k < ncols; k++) {
            size_t c = shown_cols[k];
            const cell *x = &t->cells[r * t->ncols + c];
            /* An array's missing cells are blank: the empty corner of a triangle. */
            if ((t->cols[c].flags & REVOPS_RT_ARRAY) && x->null)
                cells[k] = "";
            else
                cells[k] = text_cell(rt, t->cols[c].type, t->cols[c].decimals, x, bufs[k],
                                     sizeof(bufs[k]));
        }
        rc = revops_text_table__add(tt, cells);
    }
    if (!rc) {
        fprintf(fp, "\n%s\n", t->title);
        if (revops_rt__rows(t) == 0)
            fprintf(fp, "  (none)\n");
        else
            rc = revops_text_table__print(tt, fp, "  ");
        if (!rc && shown < revops_rt__rows(t))
            fprintf(fp, "  ... and %zu more (all of them with --format json or csv)\n",
                    revops_rt__rows(t) - shown);
    }
done:
    revops_text_table__free(tt);
    free(heads);
    free(right);
    free(cells);
    free(bufs);
    free(shown_cols);
    return rc;
}

/* Measures (print = 0) or prints (print = 1) the labelled values of a node and of its
 * untitled sections, in order. */
static void text_values(const revops_rt *rt, const revops_rt_node *n, FILE *fp, int print,
                        size_t *width)
{
    for (const entry *e = n->first; e; e = e->next) {
        if (e->kind == E_SECTION && !e->section->title) {
            text_values(rt, e->section, fp, print, width);
            continue;
        }
        if ((e->kind != E_VALUE && e->kind != E_NA) || !e->label)
            continue;
        if (!print) {
            if (strlen(e->label) > *width)
                *width = strlen(e->label);
            continue;
        }
        char buf[96];
        if (e->kind == E_NA)
            fprintf(fp, "  %-*s  n/a (%s)\n", (int)*width, e->label, e->reason ? e->reason : "");
        else
            fprintf(fp, "  %-*s  %s%s%s\n", (int)*width, e->label,
                    text_cell(rt, e->type, e->decimals, &e->value, buf, sizeof(buf)),
                    e->type == REVOPS_RT_MONEY ? " " : "",
                    e->type == REVOPS_RT_MONEY ? rt->currency : "");
    }
}

static int text_node(const revops_rt *rt, const revops_rt_node *n, FILE *fp, int depth);

/* Each item of a list as a section of its own, one level down. */
static int text_list(const revops_rt *rt, const revops_rt_list *l, FILE *fp, int depth)
{
    int rc = 0;
    for (const revops_rt_node *item = l->first; item && !rc; item = item->next_item)
        rc = text_node(rt, item, fp, depth + 1);
    return rc;
}

/* The tables and titled sections inside an untitled section. */
static int text_tables_of_untitled(const revops_rt *rt, const revops_rt_node *n, FILE *fp,
                                   int depth)
{
    int rc = 0;
    for (const entry *e = n->first; e && !rc; e = e->next) {
        if (e->kind == E_TABLE && e->label && !(e->table->flags & REVOPS_RT_DATA_ONLY))
            rc = text_table(rt, e->table, fp);
        else if (e->kind == E_SECTION && e->section->title)
            rc = text_node(rt, e->section, fp, depth + 1);
        else if (e->kind == E_SECTION)
            rc = text_tables_of_untitled(rt, e->section, fp, depth);
        else if (e->kind == E_LIST)
            rc = text_list(rt, e->list, fp, depth);
    }
    return rc;
}

static int text_node(const revops_rt *rt, const revops_rt_node *n, FILE *fp, int depth)
{
    if (n->title && depth > 0)
        fprintf(fp, "\n%s %s\n", depth == 1 ? "==" : "--", n->title);
    /* Values first, labels aligned: the headline numbers before the tables. The values of an
     * untitled section (a JSON grouping such as sales_cycle_days) read as the parent's. */
    size_t width = 0;
    text_values(rt, n, fp, 0, &width);
    text_values(rt, n, fp, 1, &width);
    int rc = 0;
    for (const entry *e = n->first; e && !rc; e = e->next) {
        if (e->kind == E_TABLE && e->label && !(e->table->flags & REVOPS_RT_DATA_ONLY))
            rc = text_table(rt, e->table, fp);
        else if (e->kind == E_SECTION && e->section->title)
            rc = text_node(rt, e->section, fp, depth + 1);
        else if (e->kind == E_SECTION)
            rc = text_tables_of_untitled(rt, e->section, fp, depth);
        else if (e->kind == E_LIST)
            rc = text_list(rt, e->list, fp, depth);
    }
    return rc;
}

int revops_rt__write_text(const revops_rt *rt, FILE *fp)
{
    if (rt->error)
        return rt->error;
    int rc = text_node(rt, &rt->root, fp, 0);
    if (!rc && ferror(fp))
        rc = revops_error__set(REVOPS_EIO, "writing the report failed");
    return rc;
}

/* ---- CSV ---- */

static int csv_cell(const revops_rt *rt, revops_csv_writer *w, revops_rt_type type, const cell *c)
{
    char buf[64];
    if (c->null)
        return revops_csv_write_plain(w, "", 0);
    switch (type) {
    case REVOPS_RT_TEXT:
        return revops_csv_write_field(w, c->s, strlen(c->s));
    case REVOPS_RT_COUNT:
        snprintf(buf, sizeof(buf), "%lld", (long long)c->i);
        break;
    case REVOPS_RT_MONEY:
        revops_money_format(c->i, rt->exponent, buf);
        break;
    case REVOPS_RT_DAY:
        revops_day_format((revops_day)c->i, buf);
        break;
    case REVOPS_RT_BOOL:
        snprintf(buf, sizeof(buf), "%s", c->i ? "true" : "false");
        break;
    default:
        revops_json_format_double(c->d, buf);
        break;
    }
    return revops_csv_write_plain(w, buf, strlen(buf));
}

static int csv_list(const revops_rt *rt, const revops_rt_list *l, const char *dir, const char *name,
                    size_t *files);

static int csv_node(const revops_rt *rt, const revops_rt_node *n, const char *dir,
                    const char *prefix, size_t *files)
{
    int rc = 0;
    int has_values = 0;
    for (const entry *e = n->first; e; e = e->next)
        has_values |= e->kind == E_VALUE || e->kind == E_NA;
    char path[1024];
    if (has_values && prefix[0]) {
        snprintf(path, sizeof(path), "%s/%s.summary.csv", dir, prefix);
        revops_csv_writer *w;
        if ((rc = revops_csv_writer_open(&w, path, ',')))
            return rc;
        rc = revops_csv_write_plain(w, "metric", 6);
        if (!rc)
            rc = revops_csv_write_plain(w, "value", 5);
        if (!rc)
            rc = revops_csv_end_record(w);
        for (const entry *e = n->first; e && !rc; e = e->next) {
            if (e->kind != E_VALUE && e->kind != E_NA)
                continue;
            rc = revops_csv_write_field(w, e->key, strlen(e->key));
            if (!rc)
                rc = e->kind == E_NA ? revops_csv_write_plain(w, "", 0)
                                     : csv_cell(rt, w, e->type, &e->value);
            if (!rc)
                rc = revops_csv_end_record(w);
        }
        int crc = revops_csv_writer_close(w);
        if (!rc)
            rc = crc;
        (*files)++;
    }
    for (const entry *e = n->first; e && !rc; e = e->next) {
        char name[512];
        snprintf(name, sizeof(name), "%s%s%s", prefix, prefix[0] ? "." : "", e->key);
        if (e->kind == E_SECTION) {
            rc = csv_node(rt, e->section, dir, name, files);
        } else if (e->kind == E_LIST) {
            rc = csv_list(rt, e->list, dir, name, files);
        } else if (e->kind == E_TABLE && !(e->table->flags & REVOPS_RT_TEXT_ONLY)) {
            snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
            rc = revops_rt__write_table_csv(rt, e->table, path);
            (*files)++;
        }
    }
    return rc;
}

int revops_rt__write_csv(const revops_rt *rt, const char *dir, size_t *files)
{
    *files = 0;
    if (rt->error)
        return rt->error;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return revops_error__set(REVOPS_EIO, "cannot create folder %s: %s", dir, strerror(errno));
    return csv_node(rt, &rt->root, dir, "", files);
}

int revops_rt__write_table_csv(const revops_rt *rt, const revops_rt_table *t, const char *path)
{
    revops_csv_writer *w;
    int rc = revops_csv_writer_open(&w, path, ',');
    if (rc)
        return rc;
    for (size_t c = 0; c < t->ncols && !rc; c++) {
        if (t->cols[c].flags & REVOPS_RT_TEXT_ONLY)
            continue;
        const char *name = t->cols[c].key;
        if ((t->cols[c].flags & REVOPS_RT_ARRAY) && strchr(name, '.'))
            name = strchr(name, '.') + 1;
        rc = revops_csv_write_field(w, name, strlen(name));
    }
    if (!rc)
        rc = revops_csv_end_record(w);
    for (size_t r = 0; r < revops_rt__rows(t) && !rc; r++) {
        for (size_t c = 0; c < t->ncols && !rc; c++)
            if (!(t->cols[c].flags & REVOPS_RT_TEXT_ONLY))
                rc = csv_cell(rt, w, t->cols[c].type, &t->cells[r * t->ncols + c]);
        if (!rc)
            rc = revops_csv_end_record(w);
    }
    int crc = revops_csv_writer_close(w);
    return rc ? rc : crc;
}

const revops_rt_table *revops_rt__find_table(const revops_rt *rt, const char *path)
{
    const revops_rt_node *n = &rt->root;
    while (n && *path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        const entry *hit = NULL;
        for (const entry *e = n->first; e && !hit; e = e->next)
            if (strlen(e->key) == len && strncmp(e->key, path, len) == 0)
                hit = e;
        if (!hit)
            return NULL;
        if (!dot)
            return hit->kind == E_TABLE ? hit->table : NULL;
        if (hit->kind != E_SECTION)
            return NULL;
        n = hit->section;
        path = dot + 1;
    }
    return NULL;
}

int revops_rt__write_table_json(const revops_rt *rt, const revops_rt_table *t, revops_json *j)
{
    if (rt->error)
        return rt->error;
    json_table(rt, t, j);
    return revops_json_text(j, NULL) ? 0 : REVOPS_EINTERNAL;
}

int revops_rt__write_table_text(const revops_rt *rt, const revops_rt_table *t, FILE *fp)
{
    if (rt->error)
        return rt->error;
    return text_table(rt, t, fp);
}

/* ---- lists in CSV ----
 *
 * A list becomes flat files: `<path>.csv` with a row of each item's values, and for each table
 * or list inside the items, `<path>.<key>.csv` with the rows of all items together. Each row
 * starts with the identities of the items it sits in (an item's identity is its first value,
 * under that value's key), so a schedule row reads "contract_id, id, month, amount".
 */

#define CSV_MAX_DEPTH 8

typedef struct csv_item {
    const revops_rt_node *node;
    const entry *ids[CSV_MAX_DEPTH]; /* the identities of the enclosing items, outermost first */
} csv_item;

static const entry *identity(const revops_rt_node *n)
{
    for (const entry *e = n->first; e; e = e->next)
        if (e->kind == E_VALUE || e->kind == E_NA)
            return e;
    return NULL;
}

static const entry *child(const revops_rt_node *n, const char *key, entry_kind kind)
{
    for (const entry *e = n->first; e; e = e->next)
        if (e->kind == kind && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static int csv_ids(const revops_rt *rt, revops_csv_writer *w, const entry *const *ids, int depth)
{
    int rc = 0;
    for (int d = 0; d < depth && !rc; d++)
        rc = !ids[d] || ids[d]->kind == E_NA ? revops_csv_write_plain(w, "", 0)
                                             : csv_cell(rt, w, ids[d]->type, &ids[d]->value);
    return rc;
}

static int csv_id_keys(revops_csv_writer *w, const entry *const *ids, int depth)
{
    int rc = 0;
    for (int d = 0; d < depth && !rc; d++) {
        const char *k = ids[d] ? ids[d]->key : "";
        rc = revops_csv_write_field(w, k, strlen(k));
    }
    return rc;
}

/* The rows of table `key` of every item, each after its items' identities. */
static int csv_item_tables(const revops_rt *rt, const csv_item *items, size_t n, int depth,
                           const char *key, const char *path)
{
    const revops_rt_table *t = child(items[0].node, key, E_TABLE)->table;
    revops_csv_writer *w;
    int rc = revops_csv_writer_open(&w, path, ',');
    if (rc)
        return rc;
    rc = csv_id_keys(w, items[0].ids, depth + 1);
    for (size_t c = 0; c < t->ncols && !rc; c++)
        if (!(t->cols[c].flags & REVOPS_RT_TEXT_ONLY))
            rc = revops_csv_write_field(w, t->cols[c].key, strlen(t->cols[c].key));
    if (!rc)
        rc = revops_csv_end_record(w);
    for (size_t i = 0; i < n && !rc; i++) {
        const entry *e = child(items[i].node, key, E_TABLE);
        if (!e)
            continue;
        const revops_rt_table *ti = e->table;
        for (size_t r = 0; r < revops_rt__rows(ti) && !rc; r++) {
            rc = csv_ids(rt, w, items[i].ids, depth + 1);
            for (size_t c = 0; c < ti->ncols && !rc; c++)
                if (!(ti->cols[c].flags & REVOPS_RT_TEXT_ONLY))
                    rc = csv_cell(rt, w, ti->cols[c].type, &ti->cells[r * ti->ncols + c]);
            if (!rc)
                rc = revops_csv_end_record(w);
        }
    }
    int crc = revops_csv_writer_close(w);
    return rc ? rc : crc;
}

/* Items at `depth` (their own identity goes in ids[depth]); `name` is their path. */
static int csv_items(const revops_rt *rt, csv_item *items, size_t n, int depth, const char *dir,
                     const char *name, size_t *files)
{
    if (n == 0)
        return 0;
    if (depth >= CSV_MAX_DEPTH)
        return revops_error__set(REVOPS_EINTERNAL, "report lists nested too deep for CSV: %s",
                                 name);
    for (size_t i = 0; i < n; i++)
        items[i].ids[depth] = identity(items[i].node);
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
    revops_csv_writer *w;
    int rc = revops_csv_writer_open(&w, path, ',');
    if (rc)
        return rc;
    (*files)++;
    rc = csv_id_keys(w, items[0].ids, depth);
    for (const entry *e = items[0].node->first; e && !rc; e = e->next)
        if (e->kind == E_VALUE || e->kind == E_NA)
            rc = revops_csv_write_field(w, e->key, strlen(e->key));
    if (!rc)
        rc = revops_csv_end_record(w);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = csv_ids(rt, w, items[i].ids, depth);
        for (const entry *e = items[i].node->first; e && !rc; e = e->next)
            if (e->kind == E_NA)
                rc = revops_csv_write_plain(w, "", 0);
            else if (e->kind == E_VALUE)
                rc = csv_cell(rt, w, e->type, &e->value);
        if (!rc)
            rc = revops_csv_end_record(w);
    }
    int crc = revops_csv_writer_close(w);
    if (!rc)
        rc = crc;
    /* What the items hold, by the first item's layout. */
    for (const entry *e = items[0].node->first; e && !rc; e = e->next) {
        char sub[512];
        snprintf(sub, sizeof(sub), "%s.%s", name, e->key);
        if (e->kind == E_TABLE && !(e->table->flags & REVOPS_RT_TEXT_ONLY)) {
            snprintf(path, sizeof(path), "%s/%s.csv", dir, sub);
            rc = csv_item_tables(rt, items, n, depth, e->key, path);
            (*files)++;
        } else if (e->kind == E_LIST) {
            size_t total = 0;
            for (size_t i = 0; i < n; i++) {
                const entry *c = child(items[i].node, e->key, E_LIST);
                total += c ? c->list->n : 0;
            }
            csv_item *inner = calloc(total ? total : 1, sizeof(*inner));
            if (!inner)
                return revops_error__oom();
            size_t k = 0;
            for (size_t i = 0; i < n; i++) {
                const entry *c = child(items[i].node, e->key, E_LIST);
                for (const revops_rt_node *x = c ? c->list->first : NULL; x; x = x->next_item) {
                    memcpy(inner[k].ids, items[i].ids, sizeof(inner[k].ids));
                    inner[k++].node = x;
                }
            }
            rc = csv_items(rt, inner, total, depth + 1, dir, sub, files);
            free(inner);
        }
    }
    return rc;
}

static int csv_list(const revops_rt *rt, const revops_rt_list *l, const char *dir, const char *name,
                    size_t *files)
{
    csv_item *items = calloc(l->n ? l->n : 1, sizeof(*items));
    if (!items)
        return revops_error__oom();
    size_t k = 0;
    for (const revops_rt_node *x = l->first; x; x = x->next_item)
        items[k++].node = x;
    int rc = csv_items(rt, items, l->n, 0, dir, name, files);
    free(items);
    return rc;
}
