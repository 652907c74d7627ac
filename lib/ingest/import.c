/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The import pipeline: read -> map columns -> convert and validate fields -> check the row
 * -> detect duplicate keys -> check references -> store (one transaction) or reject.
 *
 * References make a row's fate depend on other rows, possibly in files read later (the model
 * has the cycles team <-> rep and lead <-> opportunity), and a rejected row must take down the
 * rows that point at it. So the import runs in two phases:
 *
 *   phase 0 reads the files of referenced entities (team, rep, account, contact, lead,
 *           opportunity, experiment), validates each row on its own, then settles which ids
 *           survive: a row whose reference points nowhere is dropped, which may drop others,
 *           until nothing changes;
 *   phase 1 reads every file, validates each row again, checks its references against the
 *           settled ids (and the ids already in the store), and stores or rejects it.
 *
 * Every row's verdict is decided before anything is written, so the store sees only rows
 * whose references hold, and the deferred foreign keys pass at commit.
 *
 * A dataset built straight from CSV (revops_dataset_load_csv) needs no second reading: rows
 * that pass their own checks go into the in-memory tables, duplicate keys are found by
 * comparing those tables' columns, and the references are settled at the end on interned
 * ids, dropping the rows that fail. The verdicts are the store path's, at about half the
 * work, spread over every core (load.c): this is the path every `--csv` analysis takes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/strpool.h"
#include "ingest/convert.h"
#include "ingest/importer.h"
#include "ingest/inputs.h"
#include "ingest/profile.h"
#include "ingest/rowcheck.h"
#include "ingest/writer.h"
#include "model/dataset.h"
#include "revops/money.h"
#include "store/store.h"

/* ---- referenced-id bookkeeping ---- */

static int ensure_flags(importer *imp)
{
    size_t need = imp->refs.count;
    if (need <= imp->flags_cap)
        return 0;
    size_t cap = imp->flags_cap ? imp->flags_cap : 1024;
    while (cap < need)
        cap *= 2;
    uint8_t *s = realloc(imp->stored, cap);
    if (!s)
        return revops_error__oom();
    imp->stored = s;
    uint8_t *p = realloc(imp->present, cap);
    if (!p)
        return revops_error__oom();
    imp->present = p;
    uint8_t *a = realloc(imp->accepted, cap);
    if (!a)
        return revops_error__oom();
    imp->accepted = a;
    revops_str *c = realloc(imp->opp_currency, cap * sizeof(*c));
    if (!c)
        return revops_error__oom();
    imp->opp_currency = c;
    size_t old = imp->flags_cap;
    memset(imp->stored + old, 0, cap - old);
    memset(imp->present + old, 0, cap - old);
    memset(imp->accepted + old, 0, cap - old);
    memset(imp->opp_currency + old, 0, (cap - old) * sizeof(*c));
    imp->flags_cap = cap;
    return 0;
}

int revops_import__intern_ref(importer *imp, const char *s, size_t len, revops_str *out)
{
    int rc = revops_strpool__intern(&imp->refs, s, len, out);
    return rc ? rc : ensure_flags(imp);
}

struct stored_ctx {
    importer *imp;
    uint8_t bit;
    int opportunity;
};

static int note_stored_id(void *ctx, const char *id, size_t len, const char *extra,
                          size_t extra_len)
{
    struct stored_ctx *sc = ctx;
    revops_str x;
    int rc = revops_import__intern_ref(sc->imp, id, len, &x);
    if (rc)
        return rc;
    sc->imp->stored[x] |= sc->bit;
    if (sc->opportunity && extra) {
        revops_str cur;
        if ((rc = revops_import__intern_ref(sc->imp, extra, extra_len, &cur)))
            return rc;
        sc->imp->opp_currency[x] = cur;
    }
    return 0;
}

/* Learns the ids already in the store for every referenced entity. */
static int load_stored_ids(importer *imp)
{
    for (int e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        if (imp->slot_of[e] < 0)
            continue;
        struct stored_ctx sc = {imp, (uint8_t)(1u << imp->slot_of[e]),
                                e == REVOPS_ENTITY_OPPORTUNITY};
        int rc =
            revops_store__ids(imp->store, e, sc.opportunity ? REVOPS_F_opportunity_currency : -1,
                              note_stored_id, &sc);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- one row ---- */

static int add_error(file_pass *fp, int field, const char *reason)
{
    const char *name = field >= 0 ? fp->def->fields[field].name : "";
    if (field >= 0)
        fp->errmask |= (uint64_t)1 << field;
    int rc = revops_buf__printf(&fp->why_fields, "%s%s", fp->why_fields.len ? "|" : "", name);
    if (!rc)
        rc = revops_buf__printf(&fp->why, "%s%s%s%s", fp->why.len ? " | " : "", name,
                                field >= 0 ? ": " : "", reason);
    return rc;
}

static int field_failed(const file_pass *fp, int f)
{
    return (fp->errmask >> f) & 1;
}

/* Resolves the currency of each present money field, then parses the amount. */
static int convert_money(file_pass *fp, revops_value *row)
{
    importer *imp = fp->imp;
    for (size_t f = 0; f < fp->def->nfields; f++) {
        const revops_field_def *fd = &fp->def->fields[f];
        if (fd->type != REVOPS_FT_MONEY || !row[f].present || field_failed(fp, (int)f))
            continue;
        int cf = fd->currency_field;
        if (field_failed(fp, cf))
            continue;
        if (!row[cf].present && fp->entity == REVOPS_ENTITY_STAGE_CHANGE) {
            /* A history row without a currency is in its opportunity's currency. */
            const revops_value *opp = &row[REVOPS_F_stage_change_opportunity_id];
            revops_str x;
            if (opp->present && revops_strpool__find(&imp->refs, opp->s, opp->len, &x) == 0 &&
                x < imp->flags_cap && imp->opp_currency[x]) {
                revops_str cur = imp->opp_currency[x];
                row[cf].present = 1;
                row[cf].s = revops_strpool__get(&imp->refs, cur);
                row[cf].len = revops_strpool__len(&imp->refs, cur);
            }
        }
        if (!row[cf].present) {
            row[cf].present = 1;
            row[cf].s = imp->opts->default_currency;
            row[cf].len = strlen(imp->opts->default_currency);
        }
        int exponent = revops_currency_exponent(row[cf].s, row[cf].len);
        if (revops_convert__money(fd, &row[f], exponent)) {
            row[f].present = 0;
            int rc = add_error(fp, (int)f, revops_error_last()->message);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int check_duplicate(file_pass *fp, const revops_value *row, long line)
{
    revops_buf__clear(&fp->keytext);
    int first_key = -1;
    for (size_t f = 0; f < fp->def->nfields; f++) {
        const revops_field_def *fd = &fp->def->fields[f];
        if (!(fd->flags & REVOPS_FIELD_KEY))
            continue;
        if (!row[f].present)
            return 0; /* already rejected as a missing or bad key */
        if (first_key < 0)
            first_key = (int)f;
        char buf[64];
        const char *text;
        size_t len;
        revops_value__text(fd, &row[f], 0, buf, &text, &len);
        int rc = revops_buf__append(&fp->keytext, text, len);
        if (!rc)
            rc = revops_buf__putc(&fp->keytext, '\x1f');
        if (rc)
            return rc;
    }
    revops_str k;
    int rc = revops_strpool__intern(&fp->keys, fp->keytext.data, fp->keytext.len, &k);
    if (rc)
        return rc;
    if (k >= fp->key_line_cap) {
        size_t old = fp->key_line_cap;
        if ((rc = revops_array__grow((void **)&fp->key_line, &fp->key_line_cap,
                                     fp->keys.cap > k + 1 ? fp->keys.cap : k + 1,
                                     sizeof(*fp->key_line))))
            return rc;
        memset(fp->key_line + old, 0, (fp->key_line_cap - old) * sizeof(*fp->key_line));
    }
    if (fp->key_line[k]) {
        char reason[160];
        if (revops_entity_has_id(fp->def))
            snprintf(reason, sizeof(reason), "duplicate id '%.*s', first on line %u",
                     (int)(row[0].len > 60 ? 60 : row[0].len), row[0].s, fp->key_line[k]);
        else
            snprintf(reason, sizeof(reason), "duplicate key, first on line %u", fp->key_line[k]);
        return add_error(fp, first_key, reason);
    }
    fp->key_line[k] = line > 0 && line < (long)UINT32_MAX ? (uint32_t)line : UINT32_MAX;
    return 0;
}

static int check_refs(file_pass *fp, const revops_value *row)
{
    importer *imp = fp->imp;
    for (size_t f = 0; f < fp->def->nfields; f++) {
        const revops_field_def *fd = &fp->def->fields[f];
        if (fd->type != REVOPS_FT_REF || !row[f].present)
            continue;
        uint8_t bit = (uint8_t)(1u << imp->slot_of[fd->ref_entity]);
        const char *target = revops_entity_at((size_t)fd->ref_entity)->name;
        revops_str x;
        int found = revops_strpool__find(&imp->refs, row[f].s, row[f].len, &x) == 0;
        if (found && ((imp->stored[x] | imp->accepted[x]) & bit))
            continue;
        char reason[256];
        int shown = row[f].len > 60 ? 60 : (int)row[f].len;
        if (found && (imp->present[x] & bit))
            snprintf(reason, sizeof(reason), "%s '%.*s' was rejected in this import", target, shown,
                     row[f].s);
        else
            snprintf(reason, sizeof(reason),
                     "%s '%.*s' does not exist (neither in the store nor in this import)", target,
                     shown, row[f].s);
        int rc = add_error(fp, (int)f, reason);
        if (rc)
            return rc;
    }
    return 0;
}

int revops_import__validate_row(file_pass *fp, const revops_csv_field *fields, size_t nfields,
                                long line, revops_value *row)
{
    importer *imp = fp->imp;
    const revops_entity_def *def = fp->def;
    int rc;
    revops_buf__clear(&fp->why);
    revops_buf__clear(&fp->why_fields);
    fp->errmask = 0;
    memset(row, 0, def->nfields * sizeof(*row));
    if (nfields != fp->map.ncols) {
        char reason[128];
        snprintf(reason, sizeof(reason), "the row has %zu field%s; the header has %zu", nfields,
                 nfields == 1 ? "" : "s", fp->map.ncols);
        rc = add_error(fp, -1, reason);
        return rc ? rc : 0;
    }
    size_t total = 64;
    for (size_t c = 0; c < nfields; c++)
        total += fields[c].len + 24;
    revops_buf__clear(&fp->scratch);
    if ((rc = revops_buf__reserve(&fp->scratch, total)))
        return rc;
    char *scratch = fp->scratch.data;
    for (size_t f = 0; f < def->nfields; f++) {
        int col = fp->map.col_of_field[f];
        if (col < 0)
            continue;
        const revops_csv_field *in = &fields[col];
        if (revops_convert__field(&def->fields[f], in->ptr, in->len, &imp->stages, fp->text_checked,
                                  scratch, &row[f])) {
            if ((rc = add_error(fp, (int)f, revops_error_last()->message)))
                return rc;
        }
        scratch += in->len + 24;
    }
    if ((rc = convert_money(fp, row)))
        return rc;
    for (size_t f = 0; f < def->nfields; f++) {
        if ((def->fields[f].flags & REVOPS_FIELD_REQUIRED) && !row[f].present &&
            !field_failed(fp, (int)f) && (rc = add_error(fp, (int)f, "required, but empty")))
            return rc;
    }
    if (fp->why.len == 0) {
        int field;
        if (revops_rowcheck__row(fp->entity, row, &imp->stages, &field) &&
            (rc = add_error(fp, field, revops_error_last()->message)))
            return rc;
    }
    /* A row with broken fields does not claim its key: the first valid row keeps it. */
    if (fp->why.len == 0 && !imp->ds && (rc = check_duplicate(fp, row, line)))
        return rc;
    if (fp->phase == 1 && !imp->ds && (rc = check_refs(fp, row)))
        return rc;
    return fp->why.len == 0;
}

/* ---- rejects ---- */

static int rejects_path(const importer *imp, const char *input, char *out, size_t cap)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t stem = strlen(base);
    if (stem > 4 && strcmp(base + stem - 4, ".csv") == 0)
        stem -= 4;
    int n;
    if (imp->opts->rejects_dir)
        n = snprintf(out, cap, "%s/%.*s.rejects.csv", imp->opts->rejects_dir, (int)stem, base);
    else
        n = snprintf(out, cap, "%.*s%.*s.rejects.csv", (int)(base - input), input, (int)stem, base);
    if (n < 0 || (size_t)n >= cap)
        return revops_error__set(REVOPS_EINVALID, "rejects path for %s is too long", input);
    return 0;
}

static int write_reject(file_pass *fp, const revops_csv_field *fields, size_t nfields, long line)
{
    importer *imp = fp->imp;
    int rc;
    if (!fp->rejects) {
        char final[512], tmp[600];
        if ((rc = rejects_path(imp, fp->stats->path, final, sizeof(final))))
            return rc;
        snprintf(tmp, sizeof(tmp), "%s.tmp", final);
        if ((rc = revops_csv_writer_open(&fp->rejects, tmp, ',')))
            return rc;
        size_t len = strlen(tmp);
        imp->rejects_tmp[fp->input] = malloc(len + 1);
        if (!imp->rejects_tmp[fp->input])
            return revops_error__oom();
        memcpy(imp->rejects_tmp[fp->input], tmp, len + 1);
        snprintf(fp->stats->rejects_path, sizeof(fp->stats->rejects_path), "%s", final);
        rc = revops_csv_write_field(fp->rejects, "reject_line", 11);
        if (!rc)
            rc = revops_csv_write_field(fp->rejects, "reject_field", 12);
        if (!rc)
            rc = revops_csv_write_field(fp->rejects, "reject_reason", 13);
        for (size_t c = 0; c < fp->nheader && !rc; c++)
            rc = revops_csv_write_field(fp->rejects, fp->header[c], strlen(fp->header[c]));
        if (!rc)
            rc = revops_csv_end_record(fp->rejects);
        if (rc)
            return rc;
    }
    char num[32];
    int n = snprintf(num, sizeof(num), "%ld", line);
    rc = revops_csv_write_plain(fp->rejects, num, (size_t)n);
    if (!rc)
        rc = revops_csv_write_field(fp->rejects, fp->why_fields.data ? fp->why_fields.data : "",
                                    fp->why_fields.len);
    if (!rc)
        rc = revops_csv_write_field(fp->rejects, fp->why.data ? fp->why.data : "", fp->why.len);
    if (!rc)
        rc = revops_csv_write_fields(fp->rejects, fields, nfields);
    if (!rc)
        rc = revops_csv_end_record(fp->rejects);
    return rc;
}

/* ---- one pass over one file ---- */

static void pass_free(file_pass *fp)
{
    revops_csv_close(fp->reader);
    revops_header__free(&fp->map);
    for (size_t i = 0; i < fp->nheader; i++)
        free(fp->header[i]);
    free(fp->header);
    if (fp->keys.ptrs)
        revops_strpool__free(&fp->keys);
    free(fp->key_line);
    revops_buf__free(&fp->scratch);
    revops_buf__free(&fp->keytext);
    revops_buf__free(&fp->why);
    revops_buf__free(&fp->why_fields);
}

static int copy_header(file_pass *fp, const revops_csv_field *fields, size_t n)
{
    fp->header = calloc(n ? n : 1, sizeof(*fp->header));
    if (!fp->header)
        return revops_error__oom();
    fp->nheader = n;
    for (size_t i = 0; i < n; i++) {
        fp->header[i] = malloc(fields[i].len + 1);
        if (!fp->header[i])
            return revops_error__oom();
        memcpy(fp->header[i], fields[i].ptr, fields[i].len + 1);
    }
    return 0;
}

static int record_p0(file_pass *fp, const revops_value *row, int ok)
{
    importer *imp = fp->imp;
    p0_file *pf = fp->p0;
    int rc = revops_array__grow((void **)&pf->rows, &pf->cap, pf->n + 1, sizeof(*pf->rows));
    if (rc)
        return rc;
    p0_row *r = &pf->rows[pf->n++];
    memset(r, 0, sizeof(*r));
    r->ok = ok;
    if (row[0].present) {
        if ((rc = revops_import__intern_ref(imp, row[0].s, row[0].len, &r->id)))
            return rc;
        imp->present[r->id] |= (uint8_t)(1u << imp->slot_of[fp->entity]);
    } else {
        r->ok = 0;
    }
    for (int k = 0; k < pf->nrefs; k++) {
        const revops_value *v = &row[pf->ref_field[k]];
        if (v->present && (rc = revops_import__intern_ref(imp, v->s, v->len, &r->ref[k])))
            return rc;
    }
    if (r->ok && fp->entity == REVOPS_ENTITY_OPPORTUNITY) {
        const revops_value *cur = &row[REVOPS_F_opportunity_currency];
        revops_str c;
        if ((rc = revops_import__intern_ref(imp, cur->s, cur->len, &c)))
            return rc;
        imp->opp_currency[r->id] = c;
    }
    return 0;
}

/* Passes an accepted row to the store writer (the counts of inserted, updated and unchanged
 * rows come back from it). */
static int emit(file_pass *fp, const revops_value *row)
{
    importer *imp = fp->imp;
    if (!imp->write_store)
        return 0;
    return revops_writer__put(imp->writer, fp->entity, fp->input, row);
}

static int run_pass(importer *imp, size_t input, int phase, p0_file *p0)
{
    const revops_input *in = &imp->inputs.items[input];
    file_pass fp;
    memset(&fp, 0, sizeof(fp));
    fp.imp = imp;
    fp.input = input;
    fp.entity = in->entity;
    fp.def = revops_entity_at((size_t)in->entity);
    fp.phase = phase;
    fp.p0 = p0;
    fp.stats = &imp->report->files[input];
    revops_csv_options copts = REVOPS_CSV_OPTIONS_INIT;
    if (imp->opts->delimiter)
        copts.delimiter = imp->opts->delimiter;
    const revops_csv_field *fields;
    size_t nfields;
    revops_value row[REVOPS_MAX_FIELDS];
    uint64_t records = 0;
    char what[600];
    snprintf(what, sizeof(what), "%s%s", in->path, phase == 0 ? " (references)" : "");

    int rc = revops_csv_open(&fp.reader, in->path, &copts);
    if (rc)
        goto done;
    rc = revops_csv_next(fp.reader, &fields, &nfields);
    if (rc < 0)
        goto done;
    if (rc == 0 || (nfields == 1 && fields[0].len == 0)) {
        rc = revops_error__set_at(REVOPS_EINVALID, in->path, 1, 0, NULL,
                                  "%s is empty: expected a header line naming the fields of %s",
                                  in->path, fp.def->name);
        goto done;
    }
    if ((rc = revops_header__map(&fp.map, in->path, fp.entity, fields, nfields,
                                 phase == 1 ? imp->opts : &(revops_import_options){0})) ||
        (rc = copy_header(&fp, fields, nfields)) || (rc = revops_strpool__init(&fp.keys)))
        goto done;

    for (;;) {
        rc = revops_csv_next(fp.reader, &fields, &nfields);
        if (rc < 0)
            goto done;
        if (rc == 0)
            break;
        rc = 0;
        if (nfields == 1 && fields[0].len == 0 && !fields[0].quoted)
            continue; /* a blank line */
        long line = revops_csv_line(fp.reader);
        int ok = revops_import__validate_row(&fp, fields, nfields, line, row);
        if (ok < 0) {
            rc = ok;
            goto done;
        }
        if (phase == 0) {
            if ((rc = record_p0(&fp, row, ok)))
                goto done;
        } else {
            fp.stats->rows++;
            if (p0) {
                /* Phase 1 must reach phase 0's verdict on every row of a referenced entity. */
                if (fp.row_index >= p0->n || p0->rows[fp.row_index].ok != ok) {
                    rc = revops_error__set(REVOPS_EINTERNAL,
                                           "%s line %ld: the two import phases disagree", in->path,
                                           line);
                    goto done;
                }
                fp.row_index++;
            }
            if (ok) {
                fp.stats->accepted++;
                rc = emit(&fp, row);
            } else {
                fp.stats->rejected++;
                if (imp->opts->write_rejects)
                    rc = write_reject(&fp, fields, nfields, line);
            }
            if (rc)
                goto done;
        }
        if (imp->opts->progress && (++records & PROGRESS_EVERY) == 0)
            imp->opts->progress(imp->opts->progress_ctx, what, revops_csv_offset(fp.reader),
                                revops_csv_size(fp.reader));
    }
    if (phase == 1) {
        imp->report->bytes += revops_csv_offset(fp.reader);
        if (imp->opts->progress)
            imp->opts->progress(imp->opts->progress_ctx, what, revops_csv_offset(fp.reader),
                                revops_csv_size(fp.reader));
    }
    rc = 0;
done:
    if (fp.rejects) {
        int wrc = revops_csv_writer_close(fp.rejects);
        if (!rc)
            rc = wrc;
    }
    pass_free(&fp);
    return rc;
}

/* ---- phases ---- */

/* Drops rows whose references point nowhere until every surviving reference holds. */
static void settle_references(importer *imp)
{
    for (;;) {
        memset(imp->accepted, 0, imp->flags_cap);
        for (size_t i = 0; i < imp->np0; i++) {
            p0_file *pf = &imp->p0[i];
            uint8_t bit = (uint8_t)(1u << imp->slot_of[pf->entity]);
            for (size_t r = 0; r < pf->n; r++)
                if (pf->rows[r].ok)
                    imp->accepted[pf->rows[r].id] |= bit;
        }
        int changed = 0;
        for (size_t i = 0; i < imp->np0; i++) {
            p0_file *pf = &imp->p0[i];
            const revops_entity_def *def = revops_entity_at((size_t)pf->entity);
            for (size_t r = 0; r < pf->n; r++) {
                p0_row *row = &pf->rows[r];
                if (!row->ok)
                    continue;
                for (int k = 0; k < pf->nrefs; k++) {
                    revops_str x = row->ref[k];
                    int target = def->fields[pf->ref_field[k]].ref_entity;
                    uint8_t bit = (uint8_t)(1u << imp->slot_of[target]);
                    if (x && !((imp->stored[x] | imp->accepted[x]) & bit)) {
                        row->ok = 0;
                        changed = 1;
                        break;
                    }
                }
            }
        }
        if (!changed)
            return;
    }
}

static int phase0(importer *imp)
{
    for (size_t i = 0; i < imp->inputs.n; i++)
        if (imp->slot_of[imp->inputs.items[i].entity] >= 0)
            imp->np0++;
    if (imp->np0 == 0)
        return 0;
    imp->p0 = calloc(imp->np0, sizeof(*imp->p0));
    if (!imp->p0)
        return revops_error__oom();
    size_t k = 0;
    for (size_t i = 0; i < imp->inputs.n; i++) {
        int e = imp->inputs.items[i].entity;
        if (imp->slot_of[e] < 0)
            continue;
        p0_file *pf = &imp->p0[k++];
        pf->entity = e;
        pf->input = i;
        const revops_entity_def *def = revops_entity_at((size_t)e);
        for (size_t f = 0; f < def->nfields; f++)
            if (def->fields[f].type == REVOPS_FT_REF && pf->nrefs < MAX_REFS)
                pf->ref_field[pf->nrefs++] = (int)f;
        int rc = run_pass(imp, i, 0, pf);
        if (rc)
            return rc;
    }
    settle_references(imp);
    return 0;
}

static p0_file *p0_of_input(importer *imp, size_t input)
{
    for (size_t i = 0; i < imp->np0; i++)
        if (imp->p0[i].input == input)
            return &imp->p0[i];
    return NULL;
}

static int phase1(importer *imp)
{
    for (size_t i = 0; i < imp->inputs.n; i++) {
        int rc = run_pass(imp, i, 1, p0_of_input(imp, i));
        if (rc)
            return rc;
    }
    return 0;
}

/* Moves finished rejects files into place, and removes stale ones of inputs that now have
 * no rejected row, so an old rejects file never describes a newer import. */
static int finish_rejects(importer *imp)
{
    for (size_t i = 0; i < imp->inputs.n; i++) {
        revops_import_file *st = &imp->report->files[i];
        if (imp->rejects_tmp[i]) {
            if (rename(imp->rejects_tmp[i], st->rejects_path) != 0)
                return revops_error__set(REVOPS_EIO, "cannot rename %s to %s: %s",
                                         imp->rejects_tmp[i], st->rejects_path, strerror(errno));
            free(imp->rejects_tmp[i]);
            imp->rejects_tmp[i] = NULL;
        } else if (imp->opts->write_rejects && !imp->ds) {
            char stale[512];
            if (rejects_path(imp, st->path, stale, sizeof(stale)) == 0)
                unlink(stale);
        }
    }
    return 0;
}

static void discard_rejects(importer *imp)
{
    if (!imp->rejects_tmp)
        return;
    for (size_t i = 0; i < imp->inputs.n; i++) {
        if (imp->rejects_tmp[i]) {
            unlink(imp->rejects_tmp[i]);
            free(imp->rejects_tmp[i]);
            imp->rejects_tmp[i] = NULL;
        }
        imp->report->files[i].rejects_path[0] = '\0';
    }
}

static void importer_free(importer *imp)
{
    revops_inputs__free(&imp->inputs);
    if (imp->refs.ptrs)
        revops_strpool__free(&imp->refs);
    free(imp->stored);
    free(imp->present);
    free(imp->accepted);
    free(imp->opp_currency);
    for (size_t i = 0; i < imp->np0; i++)
        free(imp->p0[i].rows);
    free(imp->p0);
    free(imp->rejects_tmp);
}

static int check_options(const revops_import_options *opts)
{
    if (!revops_profile__find(opts->profile))
        return revops_error_last()->code;
    const char *cur = opts->default_currency;
    if (!cur || revops_currency_exponent(cur, strlen(cur)) < 0)
        return revops_error__set(REVOPS_EINVALID,
                                 "default currency '%s' is not an ISO 4217 code (like USD)",
                                 cur ? cur : "");
    return 0;
}

static void sum_report(revops_import_report *r)
{
    r->rows = r->accepted = r->rejected = r->inserted = r->updated = r->unchanged = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        r->rows += r->files[i].rows;
        r->accepted += r->files[i].accepted;
        r->rejected += r->files[i].rejected;
        r->inserted += r->files[i].inserted;
        r->updated += r->files[i].updated;
        r->unchanged += r->files[i].unchanged;
    }
}

/* Runs both phases with everything but the sink set up by the caller. */
static int run_import(importer *imp, const char *const *paths, size_t npaths,
                      revops_import_report *report)
{
    int rc = check_options(imp->opts);
    if (rc)
        return rc;
    if (imp->opts->stages)
        imp->stages = *imp->opts->stages;
    else
        revops_stages_default(&imp->stages);
    int nslots = 0;
    for (int e = 0; e < REVOPS_ENTITY_COUNT; e++)
        imp->slot_of[e] = -1;
    for (int e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        const revops_entity_def *def = revops_entity_at((size_t)e);
        for (size_t f = 0; f < def->nfields; f++)
            if (def->fields[f].type == REVOPS_FT_REF && imp->slot_of[def->fields[f].ref_entity] < 0)
                imp->slot_of[def->fields[f].ref_entity] = nslots++;
    }
    if (nslots > 8)
        return revops_error__set(REVOPS_EINTERNAL, "too many referenced entities");
    if ((rc = revops_inputs__collect(&imp->inputs, paths, npaths, imp->opts)))
        return rc;
    imp->report = report;
    report->files = calloc(imp->inputs.n, sizeof(*report->files));
    imp->rejects_tmp = calloc(imp->inputs.n, sizeof(*imp->rejects_tmp));
    if (!report->files || !imp->rejects_tmp)
        return revops_error__oom();
    report->nfiles = imp->inputs.n;
    for (size_t i = 0; i < imp->inputs.n; i++) {
        snprintf(report->files[i].path, sizeof(report->files[i].path), "%s",
                 imp->inputs.items[i].path);
        report->files[i].entity = imp->inputs.items[i].entity;
    }
    if ((rc = revops_strpool__init(&imp->refs)) || (rc = ensure_flags(imp)))
        return rc;
    if (imp->store && (rc = load_stored_ids(imp)))
        return rc;
    if (!imp->ds && (rc = phase0(imp)))
        return rc;
    if (imp->write_store && (rc = revops_store__begin(imp->store, 1)))
        return rc;
    if (imp->write_store && (rc = revops_writer__start(&imp->writer, imp->store, report->files))) {
        revops_error saved_error = *revops_error_last();
        revops_store__rollback(imp->store);
        revops_error__restore(&saved_error);
        return rc;
    }
    rc = imp->ds ? revops_import__load_dataset(imp) : phase1(imp);
    if (imp->writer) {
        /* The writer's own error comes first: the reader stopped because of it. */
        int wrc = revops_writer__finish(imp->writer);
        imp->writer = NULL;
        if (wrc)
            rc = wrc;
    }
    if (imp->write_store) {
        if (rc) {
            int saved = rc;
            revops_error saved_error = *revops_error_last();
            revops_store__rollback(imp->store);
            revops_error__restore(&saved_error);
            rc = saved;
        } else {
            rc = revops_store__commit(imp->store);
            if (rc)
                revops_store__rollback(imp->store);
        }
    }
    if (!rc)
        rc = finish_rejects(imp);
    sum_report(report);
    return rc;
}

int revops_import(revops_store *store, const char *const *paths, size_t npaths,
                  const revops_import_options *opts, revops_import_report *report)
{
    revops_import_options def = REVOPS_IMPORT_OPTIONS_INIT;
    revops_import_report local;
    if (!opts)
        opts = &def;
    if (!report)
        report = &local;
    memset(report, 0, sizeof(*report));
    if (npaths == 0)
        return revops_error__set(REVOPS_EINVALID, "nothing to import: give files or folders");
    importer imp;
    memset(&imp, 0, sizeof(imp));
    imp.opts = opts;
    imp.store = store;
    imp.write_store = !opts->dry_run;
    int rc = run_import(&imp, paths, npaths, report);
    if (rc)
        discard_rejects(&imp);
    importer_free(&imp);
    if (report == &local)
        revops_import_report_free(&local);
    return rc;
}

int revops_import__load_csv(revops_dataset **out, const char *dir,
                            const revops_import_options *opts, revops_import_report *report,
                            size_t threads)
{
    *out = NULL;
    revops_import_options def = REVOPS_IMPORT_OPTIONS_INIT;
    revops_import_report local;
    if (!opts)
        opts = &def;
    if (!report)
        report = &local;
    memset(report, 0, sizeof(*report));
    importer imp;
    memset(&imp, 0, sizeof(imp));
    imp.opts = opts;
    imp.threads = threads;
    int rc = revops_dataset__new(&imp.ds);
    if (!rc) {
        const char *paths[1] = {dir};
        rc = run_import(&imp, paths, 1, report);
    }
    /* A dataset holds one table per entity: two files for one entity would need a merge
     * rule that a store's upsert gives and a dataset does not. */
    for (size_t i = 1; !rc && i < imp.inputs.n; i++)
        if (imp.inputs.items[i].entity == imp.inputs.items[i - 1].entity)
            rc = revops_error__set(REVOPS_EINVALID,
                                   "%s and %s both hold %s rows; a dataset reads one file per "
                                   "entity (import both into a store instead)",
                                   imp.inputs.items[i - 1].path, imp.inputs.items[i].path,
                                   revops_entity_at((size_t)imp.inputs.items[i].entity)->name);
    if (rc) {
        discard_rejects(&imp);
        revops_dataset_free(imp.ds);
    } else {
        *out = imp.ds;
    }
    importer_free(&imp);
    if (report == &local)
        revops_import_report_free(&local);
    return rc;
}

int revops_dataset_load_csv(revops_dataset **out, const char *dir,
                            const revops_import_options *opts, revops_import_report *report)
{
    return revops_import__load_csv(out, dir, opts, report, 0);
}

void revops_import_report_free(revops_import_report *report)
{
    if (!report)
        return;
    free(report->files);
    report->files = NULL;
    report->nfiles = 0;
}
