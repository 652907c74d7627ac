/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text and JSON renderings of revops_stats.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "report/text.h"
#include "revops/date.h"
#include "revops/schema.h"
#include "revops/stats.h"

static int json_day(revops_json *j, const char *key, int32_t day)
{
    int rc = revops_json_key(j, key);
    if (rc)
        return rc;
    if (day == REVOPS_NO_DAY)
        return revops_json_null(j);
    char buf[REVOPS_DAY_TEXT_MAX];
    revops_day_format(day, buf);
    return revops_json_string(j, buf);
}

int revops_stats_write_json(const revops_stats *st, revops_json *j)
{
    revops_json_begin_object(j);
    json_day(j, "as_of", st->as_of);
    json_day(j, "first_event", st->first_day);
    json_day(j, "latest_event", st->latest_day);
    revops_json_key(j, "counts");
    revops_json_begin_object(j);
    uint64_t total = 0;
    for (size_t e = 0; e < st->nentities; e++) {
        revops_json_key(j, revops_entity_at(e)->name);
        revops_json_int(j, (int64_t)st->rows[e]);
        total += st->rows[e];
    }
    revops_json_end_object(j);
    revops_json_key(j, "total_rows");
    revops_json_int(j, (int64_t)total);
    revops_json_key(j, "data_quality");
    revops_json_begin_object(j);
    revops_json_key(j, "score");
    revops_json_double(j, st->data_quality);
    revops_json_key(j, "records_checked");
    revops_json_int(j, (int64_t)st->records_checked);
    revops_json_key(j, "records_with_issues");
    revops_json_int(j, (int64_t)st->records_with_issues);
    revops_json_key(j, "completeness");
    revops_json_double(j, st->completeness);
    revops_json_key(j, "checks");
    revops_json_begin_array(j);
    for (size_t c = 0; c < st->nchecks; c++) {
        const revops_quality_check *k = &st->checks[c];
        revops_json_begin_object(j);
        revops_json_key(j, "name");
        revops_json_string(j, k->name);
        revops_json_key(j, "entity");
        revops_json_string(j, k->entity);
        revops_json_key(j, "description");
        revops_json_string(j, k->description);
        revops_json_key(j, "checked");
        revops_json_int(j, (int64_t)k->checked);
        revops_json_key(j, "failed");
        revops_json_int(j, (int64_t)k->failed);
        revops_json_key(j, "share");
        revops_json_double(j, k->checked ? (double)k->failed / (double)k->checked : NAN);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_key(j, "fill_rates");
    revops_json_begin_array(j);
    for (size_t f = 0; f < st->nfill; f++) {
        const revops_fill_rate *fr = &st->fill[f];
        revops_json_begin_object(j);
        revops_json_key(j, "entity");
        revops_json_string(j, fr->entity);
        revops_json_key(j, "field");
        revops_json_string(j, fr->field);
        revops_json_key(j, "rows");
        revops_json_int(j, (int64_t)fr->rows);
        revops_json_key(j, "filled");
        revops_json_int(j, (int64_t)fr->filled);
        revops_json_key(j, "share");
        revops_json_double(j, fr->rows ? (double)fr->filled / (double)fr->rows : NAN);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
    return revops_json_end_object(j);
}

int revops_stats_write_text(const revops_stats *st, FILE *fp)
{
    char a[REVOPS_TEXT_NUM_MAX], b[REVOPS_TEXT_NUM_MAX], c[REVOPS_TEXT_NUM_MAX];
    char d1[REVOPS_DAY_TEXT_MAX] = "-", d2[REVOPS_DAY_TEXT_MAX] = "-",
         d3[REVOPS_DAY_TEXT_MAX] = "-";
    if (st->as_of != REVOPS_NO_DAY)
        revops_day_format(st->as_of, d1);
    if (st->first_day != REVOPS_NO_DAY)
        revops_day_format(st->first_day, d2);
    if (st->latest_day != REVOPS_NO_DAY)
        revops_day_format(st->latest_day, d3);
    fprintf(fp, "Data as of %s (events from %s to %s)\n\n", d1, d2, d3);

    fprintf(fp, "Data quality: %s of %s checked records have no issue; fields filled: %s\n\n",
            revops_text__percent(st->data_quality, a), revops_text__count(st->records_checked, b),
            revops_text__percent(st->completeness, c));

    revops_text_table *t = NULL;
    static const char *const count_head[] = {"entity", "rows"};
    static const int count_right[] = {0, 1};
    int rc = revops_text_table__new(&t, 2, count_head, count_right);
    uint64_t total = 0;
    for (size_t e = 0; e < st->nentities && !rc; e++) {
        const char *cells[2] = {revops_entity_at(e)->name, revops_text__count(st->rows[e], a)};
        total += st->rows[e];
        rc = revops_text_table__add(t, cells);
    }
    if (!rc) {
        const char *cells[2] = {"total", revops_text__count(total, a)};
        rc = revops_text_table__add(t, cells);
    }
    if (!rc)
        rc = revops_text_table__print(t, fp, "  ");
    revops_text_table__free(t);
    t = NULL;
    if (rc)
        return rc;

    fputs("\nConsistency checks (records breaking a rule):\n", fp);
    static const char *const check_head[] = {"check", "entity", "checked", "failed", "share"};
    static const int check_right[] = {0, 0, 1, 1, 1};
    rc = revops_text_table__new(&t, 5, check_head, check_right);
    for (size_t k = 0; k < st->nchecks && !rc; k++) {
        const revops_quality_check *q = &st->checks[k];
        char share[REVOPS_TEXT_NUM_MAX];
        const char *cells[5] = {
            q->name, q->entity, revops_text__count(q->checked, a), revops_text__count(q->failed, b),
            revops_text__percent(q->checked ? (double)q->failed / (double)q->checked : NAN, share)};
        rc = revops_text_table__add(t, cells);
    }
    if (!rc)
        rc = revops_text_table__print(t, fp, "  ");
    revops_text_table__free(t);
    t = NULL;
    if (rc)
        return rc;

    fputs("\nFields analytics rely on (share filled):\n", fp);
    static const char *const fill_head[] = {"field", "rows", "filled"};
    static const int fill_right[] = {0, 1, 1};
    rc = revops_text_table__new(&t, 3, fill_head, fill_right);
    for (size_t f = 0; f < st->nfill && !rc; f++) {
        const revops_fill_rate *fr = &st->fill[f];
        char name[128];
        snprintf(name, sizeof(name), "%s.%s", fr->entity, fr->field);
        const char *cells[3] = {
            name, revops_text__count(fr->rows, a),
            revops_text__percent(fr->rows ? (double)fr->filled / (double)fr->rows : NAN, b)};
        rc = revops_text_table__add(t, cells);
    }
    if (!rc)
        rc = revops_text_table__print(t, fp, "  ");
    revops_text_table__free(t);
    return rc;
}
