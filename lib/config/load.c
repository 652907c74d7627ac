/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading revops.yaml: the YAML tree (ytree.c) walked key by key into a revops_config that
 * starts as the defaults. Each mapping's keys are checked against the ones it may hold, so a
 * misspelt key is an error and never silently ignored. After an error the loader goes on with
 * the next key, so `revops config check` can list every mistake of a file at once; the values
 * are typed the way YAML types them (a quoted "365" is a string, not a number).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "config/ytree.h"
#include "core/error.h"
#include "model/entities.h"
#include "revops/money.h"

#define MAX_ERRORS 100

typedef struct loader {
    const char *file; /* NULL when the text has no file name */
    const char *text;
    size_t len;
    revops_config *cfg;
    const revops_config_load_options *opts;
    int nerrors;
    int first_code;
    revops_error *errors; /* kept to hand them over in file order; NULL when out of memory */
} loader;

/* ---- errors ---- */

/* Records the current last error as one of the file's. */
static void report(loader *L, int code)
{
    if (L->nerrors == 0 || code == REVOPS_ENOMEM)
        L->first_code = code;
    if (L->errors && L->nerrors < MAX_ERRORS)
        L->errors[L->nerrors] = *revops_error_last();
    L->nerrors++;
}

static int by_position(const void *a, const void *b)
{
    const revops_error *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return (x->code > y->code) - (x->code < y->code);
}

/* Hands the errors over in the order of the file; the first is left as the last error. */
static void finish_errors(loader *L)
{
    size_t n = (size_t)(L->nerrors < MAX_ERRORS ? L->nerrors : MAX_ERRORS);
    if (!L->errors || L->first_code == REVOPS_ENOMEM) {
        revops_error__oom();
        return;
    }
    /* `code` holds the order of finding while sorting, so equal positions keep it. */
    for (size_t i = 0; i < n; i++)
        L->errors[i].code = (int)i;
    qsort(L->errors, n, sizeof(*L->errors), by_position);
    for (size_t i = 0; i < n; i++) {
        L->errors[i].code = L->first_code;
        if (L->opts && L->opts->on_error)
            L->opts->on_error(L->opts->ctx, &L->errors[i]);
    }
    if ((size_t)L->nerrors > n && L->opts && L->opts->on_error) {
        revops_error more = L->errors[n - 1];
        snprintf(more.message, sizeof(more.message), "... and %d more errors", L->nerrors - (int)n);
        more.line = 0;
        more.column = 0;
        L->opts->on_error(L->opts->ctx, &more);
    }
    revops_error__restore(&L->errors[0]);
}

static void fail_at(loader *L, long line, long column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_at(loader *L, long line, long column, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    revops_error__set_at(REVOPS_EINVALID, L->file, line, column, NULL, "%s", msg);
    report(L, REVOPS_EINVALID);
}

#define FAIL(L, n, ...) fail_at((L), (n)->line, (n)->column, __VA_ARGS__)

static const char *kind_name(const ynode *n)
{
    if (n->kind == Y_MAP)
        return "a mapping";
    if (n->kind == Y_SEQ)
        return "a list";
    return n->len ? "a value" : "nothing";
}

/* What was found, for messages: 'text' (cut at 40 characters) or nothing. */
static const char *shown(const ynode *n, char *buf, size_t cap)
{
    if (n->kind != Y_SCALAR || n->len == 0)
        snprintf(buf, cap, "%s", kind_name(n));
    else if (n->style == Y_PLAIN)
        snprintf(buf, cap, "'%.40s'%s", n->text, n->len > 40 ? "..." : "");
    else
        snprintf(buf, cap, "the string \"%.40s\"%s", n->text, n->len > 40 ? "..." : "");
    return buf;
}

static void join(char *out, size_t cap, const char *const *names)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; names[i] && used < cap; i++) {
        int n = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* ---- mappings and lists ---- */

/* An empty value ("key:" with nothing after it) stands for an empty mapping or list. */
static int is_empty(const ynode *n)
{
    return n->kind == Y_SCALAR && n->style == Y_PLAIN && n->len == 0;
}

static const ynode *get(const ynode *map, const char *key)
{
    if (!map || map->kind != Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->text, key) == 0)
            return map->items[i];
    return NULL;
}

/* Checks that `n` is a mapping holding only `allowed` keys, each once. Returns 1 when `n` is
 * a mapping (or empty), so its known keys can be read even when some others are wrong. */
static int check_map(loader *L, const ynode *n, const char *path, const char *const *allowed)
{
    if (is_empty(n))
        return 1;
    if (n->kind != Y_MAP) {
        FAIL(L, n, "%s must be a mapping (key: value lines), not %s", path, kind_name(n));
        return 0;
    }
    for (size_t i = 0; i < n->n; i++) {
        const ynode *k = n->keys[i];
        size_t a = 0;
        while (allowed[a] && strcmp(allowed[a], k->text) != 0)
            a++;
        if (!allowed[a]) {
            char list[400];
            join(list, sizeof(list), allowed);
            FAIL(L, k, "unknown key '%.60s' in %s: expected %s", k->text, path, list);
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(n->keys[j]->text, k->text) == 0) {
                FAIL(L, k, "'%s' is given twice in %s (first on line %ld)", k->text, path,
                     n->keys[j]->line);
                break;
            }
    }
    return 1;
}

/* Checks that `n` is a list (or empty); returns its number of items, or -1. */
static long check_list(loader *L, const ynode *n, const char *path, size_t max)
{
    if (is_empty(n))
        return 0;
    if (n->kind != Y_SEQ) {
        FAIL(L, n, "%s must be a list (lines starting with '- '), not %s", path, kind_name(n));
        return -1;
    }
    if (n->n > max) {
        FAIL(L, n, "%s has %zu items: at most %zu", path, n->n, max);
        return -1;
    }
    return (long)n->n;
}

/* ---- scalars ---- */

static int scalar(loader *L, const ynode *n, const char *path, const char *expected)
{
    if (n->kind == Y_SCALAR && n->len > 0)
        return 1;
    FAIL(L, n, "%s: expected %s, found %s", path, expected, kind_name(n));
    return 0;
}

/* A plain decimal: [+-]digits[.digits]. */
static int decimal(const char *s, double *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return 0;
    errno = 0;
    *out = strtod(s, NULL);
    return errno == 0 && isfinite(*out);
}

static int get_int(loader *L, const ynode *map, const char *key, const char *path, int *out,
                   long min, long max)
{
    const ynode *n = get(map, key);
    if (!n)
        return 0;
    char buf[64];
    double v;
    if (n->kind != Y_SCALAR || n->style != Y_PLAIN || !decimal(n->text, &v) ||
        strchr(n->text, '.') || v < (double)min || v > (double)max) {
        FAIL(L, n, "%s.%s: expected a whole number from %ld to %ld, found %s", path, key, min, max,
             shown(n, buf, sizeof(buf)));
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int get_number(loader *L, const ynode *map, const char *key, const char *path, double *out,
                      double min, double max)
{
    const ynode *n = get(map, key);
    if (!n)
        return 0;
    char buf[64];
    double v;
    if (n->kind != Y_SCALAR || n->style != Y_PLAIN || !decimal(n->text, &v) || v < min || v > max) {
        FAIL(L, n, "%s.%s: expected a number from %g to %g, found %s", path, key, min, max,
             shown(n, buf, sizeof(buf)));
        return -1;
    }
    *out = v;
    return 0;
}

/* A share: a decimal (0.8) or a percentage (80%), read as the decimal with the point moved
 * so that "32%" gives exactly the double of 0.32. */
static int ratio(const ynode *n, double *out)
{
    if (n->kind != Y_SCALAR || n->style != Y_PLAIN || n->len == 0)
        return 0;
    if (n->text[n->len - 1] != '%')
        return decimal(n->text, out);
    char buf[72];
    if (n->len > 60)
        return 0;
    memcpy(buf, n->text, n->len - 1);
    buf[n->len - 1] = '\0';
    double check;
    if (!decimal(buf, &check))
        return 0;
    memcpy(buf + n->len - 1, "e-2", 4);
    *out = strtod(buf, NULL);
    return 1;
}

static int get_ratio(loader *L, const ynode *map, const char *key, const char *path, double *out,
                     double min, double max)
{
    const ynode *n = get(map, key);
    if (!n)
        return 0;
    char buf[64];
    double v;
    if (!ratio(n, &v) || v < min || v > max) {
        FAIL(L, n, "%s.%s: expected a share from %g%% to %g%% (such as 0.8 or 80%%), found %s",
             path, key, min * 100, max * 100, shown(n, buf, sizeof(buf)));
        return -1;
    }
    *out = v;
    return 0;
}

/* "24h", "5m", "1h30m", "2d", "1w", "90s". */
static int duration(const char *s, int64_t *out)
{
    int64_t total = 0;
    const char *p = s;
    if (!*p)
        return 0;
    while (*p) {
        int64_t n = 0;
        const char *digits = p;
        while (*p >= '0' && *p <= '9' && n < ((int64_t)1 << 40))
            n = n * 10 + (*p++ - '0');
        if (p == digits)
            return 0;
        int64_t unit = *p == 's'   ? 1
                       : *p == 'm' ? 60
                       : *p == 'h' ? 3600
                       : *p == 'd' ? 86400
                       : *p == 'w' ? 7 * 86400
                                   : 0;
        if (!unit || n >= ((int64_t)1 << 40) / unit)
            return 0;
        total += n * unit;
        if (total > ((int64_t)1 << 40))
            return 0;
        p++;
    }
    *out = total;
    return 1;
}

static int get_duration(loader *L, const ynode *map, const char *key, const char *path,
                        int64_t *out)
{
    const ynode *n = get(map, key);
    if (!n)
        return 0;
    char buf[64];
    int64_t v;
    if (n->kind != Y_SCALAR || n->style != Y_PLAIN || !duration(n->text, &v) || v <= 0) {
        FAIL(L, n,
             "%s.%s: expected a duration with a unit (s, m, h, d, w) such as 5m, 24h or 1h30m, "
             "found %s",
             path, key, shown(n, buf, sizeof(buf)));
        return -1;
    }
    *out = v;
    return 0;
}

/* One of `values` (NULL-terminated); sets *out to its index. */
static int value_of(loader *L, const ynode *n, const char *what, const char *const *values,
                    int *out)
{
    char buf[64];
    if (n->kind == Y_SCALAR)
        for (int i = 0; values[i]; i++)
            if (strcmp(values[i], n->text) == 0) {
                *out = i;
                return 0;
            }
    char list[300];
    join(list, sizeof(list), values);
    FAIL(L, n, "%s: expected one of %s, found %s", what, list, shown(n, buf, sizeof(buf)));
    return -1;
}

static int get_enum(loader *L, const ynode *map, const char *key, const char *path,
                    const char *const *values, int *out)
{
    const ynode *n = get(map, key);
    if (!n)
        return 0;
    char what[160];
    snprintf(what, sizeof(what), "%s.%s", path, key);
    return value_of(L, n, what, values, out);
}

/* A name: letters, digits, '_' and '-', at most REVOPS_CONFIG_NAME_MAX - 1 bytes. */
static int get_name(loader *L, const ynode *map, const char *path, char out[REVOPS_CONFIG_NAME_MAX])
{
    const ynode *n = get(map, "name");
    if (!n) {
        FAIL(L, map, "%s needs a name", path);
        return -1;
    }
    int ok = n->kind == Y_SCALAR && n->len > 0 && n->len < REVOPS_CONFIG_NAME_MAX;
    for (size_t i = 0; ok && i < n->len; i++) {
        char c = n->text[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '-';
    }
    if (!ok) {
        char buf[64];
        FAIL(L, n,
             "%s.name: expected a name of letters, digits, '_' and '-' (at most %d), found %s",
             path, REVOPS_CONFIG_NAME_MAX - 1, shown(n, buf, sizeof(buf)));
        return -1;
    }
    memcpy(out, n->text, n->len + 1);
    return 0;
}

/* Whether an earlier item of `list` has the name of item `i` (reported at the name). */
static int name_taken(loader *L, const ynode *list, long i, const char *path)
{
    const ynode *name = get(list->items[i], "name");
    for (long j = 0; name && j < i; j++) {
        const ynode *other = get(list->items[j], "name");
        if (other && other->kind == Y_SCALAR && strcmp(other->text, name->text) == 0) {
            FAIL(L, name, "%s: the name '%s' is taken by item %ld (line %ld)", path, name->text,
                 j + 1, other->line);
            return 1;
        }
    }
    return 0;
}

/* ---- criteria ---- */

/* The byte offset of line `line`, column `column` (characters) of the source. */
static size_t offset_of(const loader *L, long line, long column)
{
    size_t i = 0;
    for (long l = 1; l < line && i < L->len; i++)
        if (L->text[i] == '\n')
            l++;
    for (long c = 1; c < column && i < L->len; c++) {
        i++;
        while (i < L->len && ((unsigned char)L->text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/*
 * Where the criteria's error lies in the file. A scalar on one line maps exactly (quotes and
 * escapes counted); a literal block (|) maps by its indentation; a folded or multi-line
 * scalar joined its lines, so its start is given with the column within the criteria.
 */
static int criteria_position(const loader *L, const ynode *n, long cline, long ccol, long *line,
                             long *column)
{
    *line = n->line;
    *column = n->column;
    if (n->line == n->end_line && cline == 1 && n->style <= Y_DOUBLE) {
        size_t i = offset_of(L, n->line, n->column);
        long col = n->column;
        if (n->style != Y_PLAIN)
            i++, col++; /* the opening quote */
        for (long k = 1; k < ccol && i < L->len; k++) {
            size_t step = 1;
            if (n->style == Y_SINGLE && L->text[i] == '\'')
                step = 2; /* '' is one quote */
            else if (n->style == Y_DOUBLE && L->text[i] == '\\' && i + 1 < L->len)
                step = L->text[i + 1] == 'x'   ? 4
                       : L->text[i + 1] == 'u' ? 6
                       : L->text[i + 1] == 'U' ? 10
                                               : 2;
            for (size_t s = 0; s < step && i < L->len; s++) {
                i++;
                while (i < L->len && ((unsigned char)L->text[i] & 0xC0) == 0x80)
                    i++;
                col++;
            }
        }
        *column = col;
        return 1;
    }
    if (n->style == Y_LITERAL) {
        /* Content starts on the line after the '|'; its indentation is the first content
         * line's. */
        long first = n->line + 1;
        size_t i = offset_of(L, first, 1);
        while (i < L->len && L->text[i] == '\n')
            i++, first++;
        long indent = 0;
        while (i < L->len && L->text[i] == ' ')
            i++, indent++;
        *line = first + cline - 1;
        *column = indent + ccol;
        return 1;
    }
    return 0;
}

static int load_criteria_node(loader *L, const ynode *n, const char *what, size_t entity,
                              revops_config_criteria *out);

static int load_criteria(loader *L, const ynode *item, const char *path, size_t entity,
                         revops_config_criteria *out)
{
    const ynode *n = get(item, "criteria");
    char what[160];
    snprintf(what, sizeof(what), "%s.criteria", path);
    if (!n) {
        FAIL(L, item, "%s needs criteria (a condition such as: score >= 50)", path);
        return -1;
    }
    return load_criteria_node(L, n, what, entity, out);
}

/* The criteria of value `n`, called `what` in messages. */
static int load_criteria_node(loader *L, const ynode *n, const char *what, size_t entity,
                              revops_config_criteria *out)
{
    if (!scalar(L, n, what, "a condition such as: score >= 50"))
        return -1;
    int rc = revops_config__set_criteria(out, n->text, entity, &L->cfg->stages);
    out->line = n->line;
    out->column = n->column + (n->style == Y_SINGLE || n->style == Y_DOUBLE);
    if (rc == REVOPS_ENOMEM) {
        report(L, rc);
        return -1;
    }
    if (rc) {
        revops_error e = *revops_error_last();
        long line, column;
        if (criteria_position(L, n, e.line, e.column, &line, &column))
            fail_at(L, line, column, "%s: %s", what, e.message);
        else
            fail_at(L, line, column, "%s (line %ld, column %ld of the criteria): %s", what, e.line,
                    e.column, e.message);
        return -1;
    }
    return 0;
}

/* ---- revops.alignment ---- */

/* KPIs whose levels are shares of a whole, so 0..100 %. */
static int share_kpi(const char *name)
{
    return strcmp(name, "conversion") == 0 || strcmp(name, "forecast_accuracy") == 0 ||
           strcmp(name, "grr") == 0 || strcmp(name, "data_quality") == 0;
}

static void load_goals(loader *L, const ynode *goals)
{
    const char *path = "revops.alignment.goals";
    revops_config *c = L->cfg;
    const char *names[REVOPS_CONFIG_MAX_KPIS + 1];
    for (size_t i = 0; i < c->ngoals; i++)
        names[i] = c->goals[i].name;
    names[c->ngoals] = NULL;
    if (!check_map(L, goals, path, names) || is_empty(goals))
        return;
    static const char *const level_keys[] = {"target", "excellent", "baseline", NULL};
    for (size_t i = 0; i < goals->n; i++) {
        int k = revops_config__kpi(c, goals->keys[i]->text, goals->keys[i]->len);
        if (k < 0)
            continue;
        const ynode *m = goals->items[i];
        char kpath[96];
        snprintf(kpath, sizeof(kpath), "%s.%s", path, c->goals[k].name);
        if (!check_map(L, m, kpath, level_keys))
            continue;
        revops_kpi_levels *g = &c->goals[k];
        const char *unit;
        int lower;
        revops_kpi_levels def;
        revops_kpi_default((size_t)k, &def, &unit, &lower);
        int percent = strcmp(unit, "percent") == 0;
        double hi = share_kpi(g->name) ? 1.0 : percent ? 100 : 1e6;
        double lo = percent && !share_kpi(g->name) ? -10 : 0;
        int bad = 0;
        double *levels[] = {&g->target, &g->excellent, &g->baseline};
        for (int j = 0; j < 3; j++) {
            if (percent)
                bad |= get_ratio(L, m, level_keys[j], kpath, levels[j], lo, hi) != 0;
            else
                bad |= get_number(L, m, level_keys[j], kpath, levels[j], lo, hi) != 0;
        }
        int ordered = lower ? g->excellent <= g->target && g->target <= g->baseline
                            : g->excellent >= g->target && g->target >= g->baseline;
        if (!bad && !ordered)
            FAIL(L, goals->keys[i],
                 "%s: %s is better, so the levels must run excellent %s target %s baseline "
                 "(here %g, %g, %g)",
                 kpath, lower ? "lower" : "higher",
                 lower ? "<=" : ">=", lower ? "<=" : ">=", g->excellent, g->target, g->baseline);
    }
}

static void load_metrics(loader *L, const ynode *metrics)
{
    const char *path = "revops.alignment.metrics";
    revops_config *c = L->cfg;
    if (!check_map(L, metrics, path, revops_values_department) || is_empty(metrics))
        return;
    const char *names[REVOPS_CONFIG_MAX_KPIS + 1];
    for (size_t i = 0; i < c->ngoals; i++)
        names[i] = c->goals[i].name;
    names[c->ngoals] = NULL;
    for (size_t i = 0; i < metrics->n; i++) {
        int d = 0;
        if (value_of(L, metrics->keys[i], path, revops_values_department, &d))
            continue;
        char dpath[96];
        snprintf(dpath, sizeof(dpath), "%s.%s", path, revops_values_department[d]);
        const ynode *list = metrics->items[i];
        if (check_list(L, list, dpath, REVOPS_CONFIG_MAX_KPIS) < 0)
            continue;
        uint32_t bits = 0;
        for (size_t j = 0; !is_empty(list) && j < list->n; j++) {
            int k = 0;
            if (value_of(L, list->items[j], dpath, names, &k) == 0)
                bits |= 1u << k;
        }
        c->metrics[d] = bits;
    }
}

static void load_alignment(loader *L, const ynode *n)
{
    static const char *const keys[] = {"goals", "metrics", NULL};
    if (!check_map(L, n, "revops.alignment", keys))
        return;
    const ynode *v;
    if ((v = get(n, "goals")))
        load_goals(L, v);
    if ((v = get(n, "metrics")))
        load_metrics(L, v);
}

/* ---- revops.process_alignment ---- */

static void load_owner(loader *L, const ynode *item, const char *path, revops_config_stage_owner *o)
{
    int d = (int)o->department, r = (int)o->owner_role;
    get_enum(L, item, "department", path, revops_values_department, &d);
    get_enum(L, item, "owner_role", path, revops_values_role, &r);
    get_int(L, item, "target_days", path, &o->target_days, 0, 3660);
    o->department = (revops_department)d;
    o->owner_role = (revops_role)r;
}

static void load_lead_stages(loader *L, const ynode *list)
{
    const char *path = "revops.process_alignment.end_to_end_process.lead_stages";
    static const char *const keys[] = {"name", "department", "owner_role", "target_days", NULL};
    long n = check_list(L, list, path, REVOPS_CONFIG_LEAD_STAGES);
    uint32_t seen = 0;
    for (long i = 0; i < n; i++) {
        const ynode *item = list->items[i];
        char ipath[128];
        snprintf(ipath, sizeof(ipath), "%s[%ld]", path, i + 1);
        if (!check_map(L, item, ipath, keys))
            continue;
        const ynode *name = get(item, "name");
        int s = 0;
        if (!name) {
            FAIL(L, item, "%s needs a name (one of the data model's lead stages)", ipath);
            continue;
        }
        if (value_of(L, name, ipath, revops_values_lead_stage, &s))
            continue;
        if (seen & (1u << s)) {
            FAIL(L, name, "%s: lead stage '%s' is listed twice", ipath, name->text);
            continue;
        }
        seen |= 1u << s;
        load_owner(L, item, ipath, &L->cfg->lead_stages[s]);
    }
}

static void load_stages(loader *L, const ynode *list)
{
    const char *path = "revops.process_alignment.end_to_end_process.stages";
    static const char *const keys[] = {"name",        "department", "owner_role", "probability",
                                       "target_days", "outcome",    NULL};
    revops_config *c = L->cfg;
    long n = check_list(L, list, path, REVOPS_MAX_STAGES);
    if (n < 0)
        return;
    revops_stages st;
    revops_config_stage_owner owners[REVOPS_MAX_STAGES];
    memset(&st, 0, sizeof(st));
    int errors = L->nerrors, open = 0, won = 0, lost = 0, closed_seen = 0;
    for (long i = 0; i < n; i++) {
        const ynode *item = list->items[i];
        char ipath[128];
        snprintf(ipath, sizeof(ipath), "%s[%ld]", path, i + 1);
        if (!check_map(L, item, ipath, keys))
            continue;
        revops_stage_def *s = &st.items[st.n];
        revops_config_stage_owner *o = &owners[st.n];
        memset(s, 0, sizeof(*s));
        *o = (revops_config_stage_owner){REVOPS_DEPT_SALES, REVOPS_ROLE_AE, 0};
        if (get_name(L, item, ipath, s->name))
            continue;
        if (revops_stages_find(&st, s->name, strlen(s->name)) >= 0) {
            FAIL(L, get(item, "name"), "%s: stage '%s' is listed twice", ipath, s->name);
            continue;
        }
        int outcome = REVOPS_OUTCOME_OPEN;
        get_enum(L, item, "outcome", ipath, revops_values_outcome, &outcome);
        s->outcome = (revops_outcome)outcome;
        load_owner(L, item, ipath, o);
        s->target_days = o->target_days;
        const ynode *p = get(item, "probability");
        s->probability = outcome == REVOPS_OUTCOME_WON ? 1.0 : 0.0;
        if (!p && outcome == REVOPS_OUTCOME_OPEN)
            FAIL(L, item, "%s: open stage '%s' needs a probability (such as 0.25 or 25%%)", ipath,
                 s->name);
        else if (p && get_ratio(L, item, "probability", ipath, &s->probability, 0, 1) == 0 &&
                 outcome != REVOPS_OUTCOME_OPEN && s->probability != (outcome == 1 ? 1.0 : 0.0))
            FAIL(L, p, "%s: a %s stage has probability %s", ipath, revops_values_outcome[outcome],
                 outcome == REVOPS_OUTCOME_WON ? "100%" : "0%");
        if (outcome == REVOPS_OUTCOME_OPEN && closed_seen)
            FAIL(L, item,
                 "%s: open stage '%s' comes after a closed one: list the open stages "
                 "first, in order, then the won and lost ones",
                 ipath, s->name);
        closed_seen |= outcome != REVOPS_OUTCOME_OPEN;
        open += outcome == REVOPS_OUTCOME_OPEN;
        won += outcome == REVOPS_OUTCOME_WON;
        lost += outcome == REVOPS_OUTCOME_LOST;
        st.n++;
    }
    if (L->nerrors > errors)
        return;
    if (!open || !won || !lost) {
        FAIL(L, list, "%s needs at least one open, one won and one lost stage (it has %d, %d, %d)",
             path, open, won, lost);
        return;
    }
    /* Transitions and handoffs kept from the defaults name stages by index: find them again
     * by name (-1 when gone; load_process reports it unless the file replaces them). */
    for (size_t i = 0; i < c->ntransitions; i++) {
        revops_config_transition *t = &c->transitions[i];
        if (t->entity != REVOPS_ENTITY_OPPORTUNITY)
            continue;
        uint32_t from = 0;
        for (size_t k = 0; k < c->stages.n; k++)
            if (t->from & (1u << k)) {
                const char *name = c->stages.items[k].name;
                int j = revops_stages_find(&st, name, strlen(name));
                if (j >= 0)
                    from |= 1u << j;
            }
        t->from = from;
        if (t->to >= 0) {
            const char *to = c->stages.items[t->to].name;
            t->to = revops_stages_find(&st, to, strlen(to));
        }
    }
    for (size_t i = 0; i < c->nhandoffs; i++) {
        revops_config_handoff *h = &c->handoffs[i];
        if (h->entity != REVOPS_ENTITY_OPPORTUNITY || h->stage < 0)
            continue;
        const char *name = c->stages.items[h->stage].name;
        h->stage = revops_stages_find(&st, name, strlen(name));
    }
    c->stages = st;
    memcpy(c->stage_owners, owners, sizeof(owners));
}

/* A stage name of `entity` (lead stages of the model, or the configured opportunity stages). */
static int stage_of(loader *L, const ynode *n, const char *what, size_t entity, int *out)
{
    if (entity == REVOPS_ENTITY_LEAD)
        return value_of(L, n, what, revops_values_lead_stage, out);
    char buf[64];
    if (n->kind == Y_SCALAR && (*out = revops_stages_find(&L->cfg->stages, n->text, n->len)) >= 0)
        return 0;
    char list[400];
    revops_stages_list(&L->cfg->stages, list, sizeof(list));
    FAIL(L, n, "%s: expected an opportunity stage (%s), found %s", what, list,
         shown(n, buf, sizeof(buf)));
    return -1;
}

static int entity_of(loader *L, const ynode *item, const char *path, size_t *out)
{
    static const char *const entities[] = {"lead", "opportunity", NULL};
    int e = 0;
    if (get_enum(L, item, "entity", path, entities, &e))
        return -1;
    *out = e ? REVOPS_ENTITY_OPPORTUNITY : REVOPS_ENTITY_LEAD;
    return 0;
}

static void load_transitions(loader *L, const ynode *list)
{
    const char *path = "revops.process_alignment.end_to_end_process.transitions";
    static const char *const keys[] = {"name", "entity", "from", "to", "criteria", NULL};
    revops_config *c = L->cfg;
    long n = check_list(L, list, path, REVOPS_CONFIG_MAX_ITEMS);
    if (n < 0)
        return;
    for (size_t i = 0; i < c->ntransitions; i++)
        revops_config__free_criteria(&c->transitions[i].criteria);
    c->ntransitions = 0;
    revops_config_transition *items = realloc(c->transitions, ((size_t)n + 1) * sizeof(*items));
    if (!items) {
        revops_error__oom();
        report(L, REVOPS_ENOMEM);
        return;
    }
    c->transitions = items;
    for (long i = 0; i < n; i++) {
        const ynode *item = list->items[i];
        char ipath[128];
        snprintf(ipath, sizeof(ipath), "%s[%ld]", path, i + 1);
        if (!check_map(L, item, ipath, keys))
            continue;
        revops_config_transition t;
        memset(&t, 0, sizeof(t));
        if (get_name(L, item, ipath, t.name) || name_taken(L, list, i, ipath) ||
            entity_of(L, item, ipath, &t.entity))
            continue;
        char what[160];
        const ynode *to = get(item, "to");
        snprintf(what, sizeof(what), "%s.to", ipath);
        if (!to) {
            FAIL(L, item, "%s needs 'to': the stage it moves to", ipath);
            continue;
        }
        if (stage_of(L, to, what, t.entity, &t.to))
            continue;
        const ynode *from = get(item, "from");
        snprintf(what, sizeof(what), "%s.from", ipath);
        int bad = 0;
        if (from && from->kind == Y_SEQ) {
            for (size_t k = 0; k < from->n; k++) {
                int s = 0;
                if (stage_of(L, from->items[k], what, t.entity, &s))
                    bad = 1;
                else
                    t.from |= 1u << s;
            }
        } else if (from && !is_empty(from)) {
            int s = 0;
            bad = stage_of(L, from, what, t.entity, &s) != 0;
            if (!bad)
                t.from = 1u << s;
        }
        if (!t.from) { /* every stage but the target */
            size_t count = t.entity == REVOPS_ENTITY_LEAD ? REVOPS_CONFIG_LEAD_STAGES : c->stages.n;
            t.from = (count >= 32 ? 0xffffffffu : (1u << count) - 1) & ~(1u << t.to);
        }
        if (bad || load_criteria(L, item, ipath, t.entity, &t.criteria))
            continue;
        c->transitions[c->ntransitions++] = t;
    }
}

static void load_handoffs(loader *L, const ynode *list)
{
    const char *path = "revops.process_alignment.handoffs";
    static const char *const keys[] = {"name",  "from",     "to",  "entity",
                                       "stage", "criteria", "sla", NULL};
    static const char *const sla_keys[] = {"response_time", "acceptance_rate_target", NULL};
    revops_config *c = L->cfg;
    long n = check_list(L, list, path, REVOPS_CONFIG_MAX_ITEMS);
    if (n < 0)
        return;
    for (size_t i = 0; i < c->nhandoffs; i++)
        revops_config__free_criteria(&c->handoffs[i].criteria);
    c->nhandoffs = 0;
    revops_config_handoff *items = realloc(c->handoffs, ((size_t)n + 1) * sizeof(*items));
    if (!items) {
        revops_error__oom();
        report(L, REVOPS_ENOMEM);
        return;
    }
    c->handoffs = items;
    for (long i = 0; i < n; i++) {
        const ynode *item = list->items[i];
        char ipath[128], what[160];
        snprintf(ipath, sizeof(ipath), "%s[%ld]", path, i + 1);
        if (!check_map(L, item, ipath, keys))
            continue;
        revops_config_handoff h;
        memset(&h, 0, sizeof(h));
        h.response_seconds = 24 * 3600;
        h.acceptance_target = 0.80;
        if (get_name(L, item, ipath, h.name) || name_taken(L, list, i, ipath) ||
            entity_of(L, item, ipath, &h.entity))
            continue;
        const ynode *from = get(item, "from"), *to = get(item, "to"), *stage = get(item, "stage");
        int f = 0, t = 0, s = 0;
        if (!from || !to || !stage) {
            FAIL(L, item,
                 "%s needs 'from' and 'to' (departments) and 'stage' (entering it hands "
                 "the record over)",
                 ipath);
            continue;
        }
        snprintf(what, sizeof(what), "%s.from", ipath);
        int bad = value_of(L, from, what, revops_values_department, &f) != 0;
        snprintf(what, sizeof(what), "%s.to", ipath);
        bad |= value_of(L, to, what, revops_values_department, &t) != 0;
        snprintf(what, sizeof(what), "%s.stage", ipath);
        bad |= stage_of(L, stage, what, h.entity, &s) != 0;
        if (!bad && f == t) {
            FAIL(L, to, "%s: a handoff goes from one department to another, not to %s itself",
                 ipath, revops_values_department[f]);
            bad = 1;
        }
        h.from = (revops_department)f;
        h.to = (revops_department)t;
        h.stage = s;
        const ynode *sla = get(item, "sla");
        snprintf(what, sizeof(what), "%s.sla", ipath);
        if (sla && check_map(L, sla, what, sla_keys)) {
            bad |= get_duration(L, sla, "response_time", what, &h.response_seconds) != 0;
            bad |=
                get_ratio(L, sla, "acceptance_rate_target", what, &h.acceptance_target, 0, 1) != 0;
        }
        if (!bad && h.from == REVOPS_DEPT_MARKETING && h.to == REVOPS_DEPT_SALES &&
            h.response_seconds % 3600 != 0) {
            FAIL(L, get(sla, "response_time"),
                 "%s.response_time: the marketing-to-sales SLA is measured in whole hours (such "
                 "as 24h)",
                 what);
            bad = 1;
        }
        if (get(item, "criteria")) {
            if (load_criteria(L, item, ipath, h.entity, &h.criteria))
                continue;
        } else if (revops_config__set_criteria(&h.criteria, "true", h.entity, &c->stages)) {
            report(L, revops_error_last()->code);
            continue;
        }
        if (bad) {
            revops_config__free_criteria(&h.criteria);
            continue;
        }
        c->handoffs[c->nhandoffs++] = h;
    }
}

static void load_weights(loader *L, const ynode *n, const char *path, const char *const *keys,
                         double *const *out)
{
    if (!check_map(L, n, path, keys))
        return;
    int bad = 0;
    for (size_t i = 0; keys[i]; i++)
        bad |= get_ratio(L, n, keys[i], path, out[i], 0, 1) != 0;
    double sum = 0;
    for (size_t i = 0; keys[i]; i++)
        sum += *out[i];
    if (!bad && !(sum > 0))
        FAIL(L, n, "%s: the weights add up to 0; at least one must be above 0", path);
}

static void load_workflows(loader *L, const ynode *n)
{
    const char *path = "revops.process_alignment.workflows";
    static const char *const keys[] = {"routing", NULL};
    static const char *const routing_keys[] = {"method", "weights", "tiers", NULL};
    static const char *const methods[] = {"weighted", "round_robin", NULL};
    static const char *const weight_keys[] = {"geographic", "expertise",   "workload",
                                              "tier",       "performance", NULL};
    revops_config *c = L->cfg;
    if (!check_map(L, n, path, keys))
        return;
    const ynode *r = get(n, "routing");
    if (!r || !check_map(L, r, "revops.process_alignment.workflows.routing", routing_keys))
        return;
    int m = (int)c->routing_method;
    get_enum(L, r, "method", "revops.process_alignment.workflows.routing", methods, &m);
    c->routing_method = (revops_routing_method)m;
    const ynode *w = get(r, "weights");
    double *const out[] = {&c->routing_weights.geographic, &c->routing_weights.expertise,
                           &c->routing_weights.workload, &c->routing_weights.tier,
                           &c->routing_weights.performance};
    if (w)
        load_weights(L, w, "revops.process_alignment.workflows.routing.weights", weight_keys, out);
    const ynode *t = get(r, "tiers");
    const char *tpath = "revops.process_alignment.workflows.routing.tiers";
    if (!t || !check_map(L, t, tpath, revops_values_segment))
        return;
    for (size_t i = 0; i < 3; i++) {
        const ynode *v = get(t, revops_values_segment[i]);
        char what[128];
        snprintf(what, sizeof(what), "%s.%s", tpath, revops_values_segment[i]);
        revops_config_criteria crit = {0};
        if (!v || load_criteria_node(L, v, what, REVOPS_ENTITY_LEAD, &crit))
            continue;
        revops_config__free_criteria(&c->routing_tiers[i]);
        c->routing_tiers[i] = crit;
    }
}

static void load_process(loader *L, const ynode *n)
{
    static const char *const keys[] = {"end_to_end_process", "handoffs", "workflows", NULL};
    static const char *const e2e_keys[] = {"lead_stages", "stages", "transitions", NULL};
    if (!check_map(L, n, "revops.process_alignment", keys))
        return;
    const ynode *e = get(n, "end_to_end_process"), *v;
    /* Stages first: transitions and handoffs name them, and criteria check against them. */
    if (e && check_map(L, e, "revops.process_alignment.end_to_end_process", e2e_keys)) {
        if ((v = get(e, "lead_stages")))
            load_lead_stages(L, v);
        if ((v = get(e, "stages")))
            load_stages(L, v);
    }
    if (e && (v = get(e, "transitions")))
        load_transitions(L, v);
    if ((v = get(n, "handoffs")))
        load_handoffs(L, v);
    const ynode *stages = e ? get(e, "stages") : NULL;
    for (size_t i = 0; stages && i < L->cfg->ntransitions; i++)
        if (L->cfg->transitions[i].to < 0)
            FAIL(L, stages,
                 "the default transition '%s' moves to a stage these stages lack: give "
                 "revops.process_alignment.end_to_end_process.transitions too",
                 L->cfg->transitions[i].name);
    for (size_t i = 0; stages && i < L->cfg->nhandoffs; i++)
        if (L->cfg->handoffs[i].stage < 0)
            FAIL(L, stages,
                 "the default handoff '%s' starts at a stage these stages lack: give "
                 "revops.process_alignment.handoffs too",
                 L->cfg->handoffs[i].name);
    if ((v = get(n, "workflows")))
        load_workflows(L, v);
}

/* ---- revops.analytics ---- */

static void load_rules(loader *L, const ynode *list)
{
    const char *path = "revops.analytics.scoring.lead.rules";
    static const char *const keys[] = {"name", "criteria", "points", NULL};
    revops_config *c = L->cfg;
    long n = check_list(L, list, path, REVOPS_CONFIG_MAX_ITEMS);
    if (n < 0)
        return;
    for (size_t i = 0; i < c->nlead_rules; i++)
        revops_config__free_criteria(&c->lead_rules[i].criteria);
    c->nlead_rules = 0;
    revops_config_rule *items = realloc(c->lead_rules, ((size_t)n + 1) * sizeof(*items));
    if (!items) {
        revops_error__oom();
        report(L, REVOPS_ENOMEM);
        return;
    }
    c->lead_rules = items;
    for (long i = 0; i < n; i++) {
        const ynode *item = list->items[i];
        char ipath[96];
        snprintf(ipath, sizeof(ipath), "%s[%ld]", path, i + 1);
        if (!check_map(L, item, ipath, keys))
            continue;
        revops_config_rule r;
        memset(&r, 0, sizeof(r));
        if (get_name(L, item, ipath, r.name) || name_taken(L, list, i, ipath))
            continue;
        if (!get(item, "points")) {
            FAIL(L, item, "%s needs points (a number from -100 to 100)", ipath);
            continue;
        }
        if (get_number(L, item, "points", ipath, &r.points, -100, 100))
            continue;
        if (load_criteria(L, item, ipath, REVOPS_ENTITY_LEAD, &r.criteria))
            continue;
        c->lead_rules[c->nlead_rules++] = r;
    }
}

static void load_scoring(loader *L, const ynode *n)
{
    const char *path = "revops.analytics.scoring";
    static const char *const keys[] = {"lead", "churn", "expansion", NULL};
    static const char *const lead_keys[] = {"rules", NULL};
    static const char *const churn_keys[] = {"weights", NULL};
    static const char *const expansion_keys[] = {"weights", "threshold", NULL};
    static const char *const churn_w[] = {"usage_decline", "ticket_increase",
                                          "engagement_reduction", "payment_delays", NULL};
    static const char *const expansion_w[] = {"feature_adoption", "user_growth", "success_metrics",
                                              "timing", NULL};
    revops_config *c = L->cfg;
    if (!check_map(L, n, path, keys))
        return;
    const ynode *v, *w;
    if ((v = get(n, "lead")) && check_map(L, v, "revops.analytics.scoring.lead", lead_keys) &&
        (w = get(v, "rules")))
        load_rules(L, w);
    if ((v = get(n, "churn")) && check_map(L, v, "revops.analytics.scoring.churn", churn_keys) &&
        (w = get(v, "weights"))) {
        double *const out[] = {&c->churn_weights.usage_decline, &c->churn_weights.ticket_increase,
                               &c->churn_weights.engagement_reduction,
                               &c->churn_weights.payment_delays};
        load_weights(L, w, "revops.analytics.scoring.churn.weights", churn_w, out);
    }
    if ((v = get(n, "expansion")) &&
        check_map(L, v, "revops.analytics.scoring.expansion", expansion_keys)) {
        get_ratio(L, v, "threshold", "revops.analytics.scoring.expansion", &c->expansion_threshold,
                  0, 1);
        double *const out[] = {&c->expansion_weights.feature_adoption,
                               &c->expansion_weights.user_growth,
                               &c->expansion_weights.success_metrics, &c->expansion_weights.timing};
        if ((w = get(v, "weights")))
            load_weights(L, w, "revops.analytics.scoring.expansion.weights", expansion_w, out);
    }
}

/* revops.analytics.activity_targets: per role, `per` and a target per activity type. A role
 * or type left out keeps its default; 0 removes a target. */
static void load_activity_targets(loader *L, const ynode *n)
{
    const char *path = "revops.analytics.activity_targets";
    static const char *const pers[] = {"working_day", "month", NULL};
    const char *keys[REVOPS_ACTIVITY_TYPES + 2];
    keys[0] = "per";
    for (int k = 0; k < REVOPS_ACTIVITY_TYPES; k++)
        keys[k + 1] = revops_values_activity_type[k];
    keys[REVOPS_ACTIVITY_TYPES + 1] = NULL;
    revops_activity_targets *t = &L->cfg->activity_targets;
    if (!check_map(L, n, path, revops_values_role))
        return;
    for (int r = 0; r < REVOPS_REP_ROLES; r++) {
        const ynode *role = get(n, revops_values_role[r]);
        char rpath[96];
        snprintf(rpath, sizeof(rpath), "%s.%s", path, revops_values_role[r]);
        if (!role || !check_map(L, role, rpath, keys))
            continue;
        get_enum(L, role, "per", rpath, pers, &t->per_month[r]);
        for (int k = 0; k < REVOPS_ACTIVITY_TYPES; k++) {
            get_number(L, role, revops_values_activity_type[k], rpath, &t->target[r][k], 0, 100000);
            if (t->target[r][k] == 0)
                t->target[r][k] = 0; /* "-0" is no target either, and written as 0 */
        }
    }
}

/* revops.analytics.profitability: the ratings' thresholds of margin %, fair <= good. */
static void load_profitability(loader *L, const ynode *n)
{
    const char *path = "revops.analytics.profitability";
    static const char *const keys[] = {"good_margin", "fair_margin", NULL};
    revops_config *c = L->cfg;
    if (!check_map(L, n, path, keys))
        return;
    int bad = get_ratio(L, n, "good_margin", path, &c->margin_good, -10, 1) != 0;
    bad |= get_ratio(L, n, "fair_margin", path, &c->margin_fair, -10, 1) != 0;
    if (bad)
        return;
    if (c->margin_fair > c->margin_good) {
        const ynode *at = get(n, "fair_margin") ? get(n, "fair_margin") : get(n, "good_margin");
        FAIL(L, at, "%s: fair_margin (%g%%) must not be above good_margin (%g%%)", path,
             c->margin_fair * 100, c->margin_good * 100);
    }
}

static void load_analytics(loader *L, const ynode *n)
{
    const char *path = "revops.analytics";
    static const char *const keys[] = {
        "currency",       "fiscal_year_start", "window_days",      "stage_probabilities",
        "stalled_factor", "stalled_days",      "inactive_days",    "response_sla",
        "ramp_threshold", "coaching_gap",      "activity_targets", "gross_margin",
        "profitability",  "scoring",           "forecast",         NULL};
    static const char *const probabilities[] = {"configured", "historical", NULL};
    static const char *const forecast_keys[] = {"method_weights", "overdue_factor", "rep_shrinkage",
                                                "simulations", NULL};
    static const char *const method_keys[] = {"pipeline_weighted", "historical_trend", "regression",
                                              "time_series", NULL};
    revops_config *c = L->cfg;
    if (!check_map(L, n, path, keys))
        return;
    const ynode *v;
    if ((v = get(n, "currency"))) {
        char buf[64];
        if (v->kind == Y_SCALAR && strcmp(v->text, "auto") == 0)
            c->currency[0] = '\0';
        else if (v->kind == Y_SCALAR && v->len == 3 && revops_currency_exponent(v->text, 3) >= 0)
            memcpy(c->currency, v->text, 4);
        else
            FAIL(L, v,
                 "%s.currency: expected an ISO 4217 code such as RUB, USD or EUR, or auto (the "
                 "data's own), found %s",
                 path, shown(v, buf, sizeof(buf)));
    }
    get_int(L, n, "fiscal_year_start", path, &c->fiscal_year_start, 1, 12);
    get_int(L, n, "window_days", path, &c->window_days, 1, 36600);
    get_enum(L, n, "stage_probabilities", path, probabilities, &c->historical_probabilities);
    get_number(L, n, "stalled_factor", path, &c->stalled_factor, 0.1, 100);
    get_int(L, n, "stalled_days", path, &c->stalled_days, 1, 3660);
    get_int(L, n, "inactive_days", path, &c->inactive_days, 1, 3660);
    int64_t sla = 0;
    if ((v = get(n, "response_sla")) && get_duration(L, n, "response_sla", path, &sla) == 0) {
        if (sla % 60 != 0 || sla > 525600 * 60)
            FAIL(L, v, "%s.response_sla: expected whole minutes up to a year (such as 5m or 1h)",
                 path);
        else
            c->response_sla_minutes = (int)(sla / 60);
    }
    get_ratio(L, n, "ramp_threshold", path, &c->ramp_threshold, 0.01, 10);
    get_ratio(L, n, "coaching_gap", path, &c->coaching_gap, 0, 1);
    if ((v = get(n, "activity_targets")))
        load_activity_targets(L, v);
    if ((v = get(n, "gross_margin"))) {
        if (v->kind == Y_SCALAR && v->style == Y_PLAIN && strcmp(v->text, "auto") == 0)
            c->gross_margin = -1.0;
        else if (!ratio(v, &c->gross_margin) || c->gross_margin < 0 || c->gross_margin > 1) {
            char buf[64];
            FAIL(L, v,
                 "%s.gross_margin: expected a share from 0%% to 100%% (such as 0.8 or 80%%), or "
                 "auto (measured from delivery costs), found %s",
                 path, shown(v, buf, sizeof(buf)));
        }
    }
    if ((v = get(n, "profitability")))
        load_profitability(L, v);
    if ((v = get(n, "scoring")))
        load_scoring(L, v);
    const char *fpath = "revops.analytics.forecast";
    if ((v = get(n, "forecast")) && check_map(L, v, fpath, forecast_keys)) {
        get_number(L, v, "overdue_factor", fpath, &c->overdue_factor, 0, 1);
        get_int(L, v, "rep_shrinkage", fpath, &c->rep_shrinkage, 0, 1000000);
        get_int(L, v, "simulations", fpath, &c->simulations, 1, 100000000);
        double *const out[] = {&c->forecast_weights.pipeline_weighted,
                               &c->forecast_weights.historical_trend,
                               &c->forecast_weights.regression, &c->forecast_weights.time_series};
        if ((v = get(v, "method_weights")))
            load_weights(L, v, "revops.analytics.forecast.method_weights", method_keys, out);
    }
}

/* ---- entry points ---- */

static void load_root(loader *L, const ynode *root)
{
    static const char *const top_keys[] = {"revops", NULL};
    static const char *const keys[] = {"alignment", "process_alignment", "analytics", NULL};
    if (!root || !check_map(L, root, "the file", top_keys))
        return;
    const ynode *r = get(root, "revops");
    if (!r || !check_map(L, r, "revops", keys))
        return;
    const ynode *v;
    if ((v = get(r, "alignment")))
        load_alignment(L, v);
    if ((v = get(r, "process_alignment")))
        load_process(L, v);
    if ((v = get(r, "analytics")))
        load_analytics(L, v);
}

int revops_config_load_string(revops_config **out, const char *text, size_t len, const char *name,
                              const revops_config_load_options *opts)
{
    *out = NULL;
    if (len > REVOPS_CONFIG_MAX_BYTES)
        return revops_error__set_at(REVOPS_ETOOBIG, name, 0, 0, NULL,
                                    "the configuration is %zu bytes; the limit is %d", len,
                                    REVOPS_CONFIG_MAX_BYTES);
    revops_config *c = malloc(sizeof(*c));
    if (!c)
        return revops_error__oom();
    int rc = revops_config__defaults(c);
    if (rc) {
        revops_config_free(c);
        return rc;
    }
    ynode *root = NULL;
    if ((rc = revops_ytree__parse(&root, text, len, name))) {
        if (opts && opts->on_error)
            opts->on_error(opts->ctx, revops_error_last());
        revops_config_free(c);
        return rc;
    }
    loader L = {name, text, len, c, opts, 0, 0, calloc(MAX_ERRORS, sizeof(revops_error))};
    load_root(&L, root);
    revops_ytree__free(root);
    if (L.nerrors) {
        finish_errors(&L);
        free(L.errors);
        revops_config_free(c);
        return L.first_code ? L.first_code : REVOPS_EINVALID;
    }
    free(L.errors);
    *out = c;
    return 0;
}

int revops_config_load_file(revops_config **out, const char *path,
                            const revops_config_load_options *opts)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL, "cannot open %s: %s", path,
                                    strerror(errno));
    char *buf = malloc(REVOPS_CONFIG_MAX_BYTES + 1);
    if (!buf) {
        fclose(fp);
        return revops_error__oom();
    }
    size_t n = fread(buf, 1, REVOPS_CONFIG_MAX_BYTES + 1, fp);
    int failed = ferror(fp);
    fclose(fp);
    int rc;
    if (failed)
        rc = revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL, "cannot read %s", path);
    else if (n > REVOPS_CONFIG_MAX_BYTES)
        rc = revops_error__set_at(REVOPS_ETOOBIG, path, 0, 0, NULL,
                                  "%s is larger than %d bytes, the limit for a configuration", path,
                                  REVOPS_CONFIG_MAX_BYTES);
    else
        rc = revops_config_load_string(out, buf, n, path, opts);
    free(buf);
    return rc;
}
