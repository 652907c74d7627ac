/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ingest/inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/utf8.h"

static void warn(const revops_import_options *opts, const char *fmt, ...) REVOPS_PRINTF(2, 3);

static void warn(const revops_import_options *opts, const char *fmt, ...)
{
    if (!opts->warning)
        return;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    opts->warning(opts->warning_ctx, msg);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int revops_inputs__entity_of(const char *path)
{
    const char *base = base_name(path);
    const char *dot = strchr(base, '.');
    size_t len = dot ? (size_t)(dot - base) : strlen(base);
    return revops_entity_find(base, len);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int add_input(revops_inputs *in, const char *path, int entity)
{
    int rc = revops_array__grow((void **)&in->items, &in->cap, in->n + 1, sizeof(*in->items));
    if (rc)
        return rc;
    size_t len = strlen(path);
    char *copy = malloc(len + 1);
    if (!copy)
        return revops_error__oom();
    memcpy(copy, path, len + 1);
    in->items[in->n].path = copy;
    in->items[in->n].entity = entity;
    in->n++;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect_dir(revops_inputs *in, const char *dir, const revops_import_options *opts)
{
    DIR *d = opendir(dir);
    if (!d)
        return revops_error__set_at(REVOPS_EIO, dir, 0, 0, NULL, "cannot read folder %s: %s", dir,
                                    strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *ent;
    while (!rc && (ent = readdir(d)) != NULL) {
        const char *name = ent->d_name;
        if (name[0] == '.' || !ends_with(name, ".csv") || ends_with(name, ".rejects.csv"))
            continue;
        if ((rc = revops_array__grow((void **)&names, &cap, n + 1, sizeof(*names))))
            break;
        size_t len = strlen(name);
        names[n] = malloc(len + 1);
        if (!names[n]) {
            rc = revops_error__oom();
            break;
        }
        memcpy(names[n++], name, len + 1);
    }
    closedir(d);
    /* Directory order differs between file systems; sorted names keep imports repeatable. */
    if (!rc && n > 1)
        qsort(names, n, sizeof(*names), compare_names);
    size_t found = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char path[1024];
        int len =
            snprintf(path, sizeof(path), "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", names[i]);
        if (len < 0 || (size_t)len >= sizeof(path)) {
            rc = revops_error__set(REVOPS_EINVALID, "path too long: %s/%s", dir, names[i]);
            break;
        }
        int e = revops_inputs__entity_of(names[i]);
        if (e < 0) {
            warn(opts, "%s: skipped, no entity is named after it", path);
            continue;
        }
        rc = add_input(in, path, e);
        found++;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!rc && found == 0)
        rc = revops_error__set_at(REVOPS_ENOTFOUND, dir, 0, 0, NULL,
                                  "no <entity>.csv files in %s (for example opportunity.csv)", dir);
    return rc;
}

static int compare_inputs(const void *a, const void *b)
{
    const revops_input *x = a, *y = b;
    return x->entity - y->entity;
}

int revops_inputs__collect(revops_inputs *out, const char *const *paths, size_t npaths,
                           const revops_import_options *opts)
{
    memset(out, 0, sizeof(*out));
    int rc = 0;
    for (size_t i = 0; i < npaths && !rc; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = revops_error__set_at(REVOPS_EIO, paths[i], 0, 0, NULL, "cannot read %s: %s",
                                      paths[i], strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = collect_dir(out, paths[i], opts);
        } else {
            int e = revops_inputs__entity_of(paths[i]);
            if (e < 0)
                rc = revops_error__set_at(REVOPS_EINVALID, paths[i], 0, 0, NULL,
                                          "cannot tell which entity %s holds: name it "
                                          "<entity>.csv, like opportunity.csv",
                                          paths[i]);
            else
                rc = add_input(out, paths[i], e);
        }
    }
    if (rc) {
        revops_inputs__free(out);
        return rc;
    }
    /* Insertion sort keeps files of one entity in the order given (qsort is not stable). */
    for (size_t i = 1; i < out->n; i++) {
        revops_input cur = out->items[i];
        size_t j = i;
        while (j > 0 && compare_inputs(&out->items[j - 1], &cur) > 0) {
            out->items[j] = out->items[j - 1];
            j--;
        }
        out->items[j] = cur;
    }
    return 0;
}

void revops_inputs__free(revops_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->items[i].path);
    free(in->items);
    memset(in, 0, sizeof(*in));
}

int revops_header__map(revops_header_map *map, const char *path, int entity,
                       const revops_csv_field *fields, size_t nfields,
                       const revops_import_options *opts)
{
    const revops_entity_def *def = revops_entity_at((size_t)entity);
    memset(map, 0, sizeof(*map));
    for (size_t f = 0; f < REVOPS_MAX_FIELDS; f++)
        map->col_of_field[f] = -1;
    map->ncols = nfields;
    map->field_of_col = malloc((nfields ? nfields : 1) * sizeof(*map->field_of_col));
    if (!map->field_of_col)
        return revops_error__oom();
    for (size_t c = 0; c < nfields; c++) {
        const char *name = fields[c].ptr;
        size_t len = fields[c].len;
        size_t bad;
        if (!revops_utf8__valid(name, len, &bad)) {
            revops_header__free(map);
            return revops_error__set_at(REVOPS_EINVALID, path, 1, (long)c + 1, NULL,
                                        "%s: the header is not valid UTF-8 (column %zu); convert "
                                        "the file to UTF-8, e.g. iconv -f cp1252 -t utf-8",
                                        path, c + 1);
        }
        while (len > 0 && name[0] == ' ') {
            name++;
            len--;
        }
        while (len > 0 && name[len - 1] == ' ')
            len--;
        int f = revops_field_find(def, name, len);
        map->field_of_col[c] = f;
        if (f < 0) {
            warn(opts, "%s: ignoring column %zu '%.*s', which %s does not have", path, c + 1,
                 (int)(len > 60 ? 60 : len), name, def->name);
            continue;
        }
        if (map->col_of_field[f] >= 0) {
            int first = map->col_of_field[f] + 1;
            revops_header__free(map);
            return revops_error__set_at(REVOPS_EINVALID, path, 1, (long)c + 1, def->fields[f].name,
                                        "%s: column '%s' appears twice (columns %d and %zu)", path,
                                        def->fields[f].name, first, c + 1);
        }
        map->col_of_field[f] = (int)c;
    }
    revops_buf missing = REVOPS_BUF_INIT;
    int rc = 0;
    for (size_t f = 0; f < def->nfields && !rc; f++)
        if ((def->fields[f].flags & REVOPS_FIELD_REQUIRED) && map->col_of_field[f] < 0)
            rc = revops_buf__printf(&missing, "%s%s", missing.len ? ", " : "", def->fields[f].name);
    if (!rc && missing.len)
        rc = revops_error__set_at(REVOPS_EINVALID, path, 1, 0, NULL,
                                  "%s: the header lacks required column(s) %s of %s; the file "
                                  "was not imported",
                                  path, missing.data, def->name);
    revops_buf__free(&missing);
    if (rc)
        revops_header__free(map);
    return rc;
}

void revops_header__free(revops_header_map *map)
{
    free(map->field_of_col);
    map->field_of_col = NULL;
}
