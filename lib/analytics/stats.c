/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows per entity and the data-quality summary. Definitions (docs/metrics.md, "Data
 * quality"): a fill rate is the share of rows whose field is non-empty; `completeness` is the
 * mean fill rate of the fields analytics rely on; each check names a rule a record can break;
 * `data_quality` is the share of checked records that break none.
 */
#include "revops/stats.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/tasks.h"
#include "analytics/context.h"
#include "model/dataset.h"

/* The optional fields whose absence weakens an analysis (routing needs regions and
 * industries, win/loss needs products, rollups need teams and owners). */
static const struct {
    int entity;
    int field;
} fill_fields[] = {
    {REVOPS_ENTITY_REP, REVOPS_F_rep_team_id},
    {REVOPS_ENTITY_REP, REVOPS_F_rep_role},
    {REVOPS_ENTITY_REP, REVOPS_F_rep_region},
    {REVOPS_ENTITY_ACCOUNT, REVOPS_F_account_industry},
    {REVOPS_ENTITY_ACCOUNT, REVOPS_F_account_segment},
    {REVOPS_ENTITY_ACCOUNT, REVOPS_F_account_region},
    {REVOPS_ENTITY_ACCOUNT, REVOPS_F_account_owner_id},
    {REVOPS_ENTITY_CONTACT, REVOPS_F_contact_email},
    {REVOPS_ENTITY_CONTACT, REVOPS_F_contact_account_id},
    {REVOPS_ENTITY_LEAD, REVOPS_F_lead_source},
    {REVOPS_ENTITY_LEAD, REVOPS_F_lead_email},
    {REVOPS_ENTITY_LEAD, REVOPS_F_lead_industry},
    {REVOPS_ENTITY_LEAD, REVOPS_F_lead_region},
    {REVOPS_ENTITY_OPPORTUNITY, REVOPS_F_opportunity_account_id},
    {REVOPS_ENTITY_OPPORTUNITY, REVOPS_F_opportunity_product},
    {REVOPS_ENTITY_OPPORTUNITY, REVOPS_F_opportunity_type},
    {REVOPS_ENTITY_OPPORTUNITY, REVOPS_F_opportunity_forecast_category},
};

enum check_id {
    CHK_OPP_CLOSED_NO_DATE,
    CHK_OPP_CLOSED_BEFORE_CREATED,
    CHK_OPP_STALE_CLOSE_DATE,
    CHK_OPP_LOST_NO_REASON,
    CHK_OPP_NO_HISTORY,
    CHK_LEAD_FUNNEL_ORDER,
    CHK_LEAD_STAGE_NO_TIMESTAMP,
    CHK_LEAD_CONVERTED_NO_OPP,
    CHK_LEAD_RESPONSE_BEFORE_CREATED,
    CHK_LEAD_DUPLICATE_EMAIL,
    CHK_CONTACT_DUPLICATE_EMAIL,
    CHK_INVOICE_PAID_BEFORE_ISSUED,
    CHK_TICKET_CLOSED_BEFORE_OPENED,
    CHK_ACTIVITY_UNLINKED,
    CHK_COUNT
};

static const struct {
    const char *name;
    const char *entity;
    const char *description;
} check_defs[CHK_COUNT] = {
    {"closed_without_closed_at", "opportunity", "a won or lost deal without closed_at"},
    {"closed_before_created", "opportunity", "closed_at earlier than created_at"},
    {"stale_close_date", "opportunity", "an open deal whose close_date has passed"},
    {"lost_without_reason", "opportunity", "a lost deal without loss_reason"},
    {"without_history", "opportunity", "a deal with no stage_change rows"},
    {"funnel_out_of_order", "lead",
     "funnel timestamps out of order (mql_at before created_at, sql_at before mql_at, or "
     "converted_at before sql_at)"},
    {"stage_without_timestamp", "lead",
     "a lead past a funnel stage without that stage's timestamp"},
    {"converted_without_opportunity", "lead",
     "a lead at stage opportunity or customer without opportunity_id"},
    {"response_before_created", "lead", "first_response_at earlier than created_at"},
    {"duplicate_email", "lead", "an email already used by another lead"},
    {"duplicate_email", "contact", "an email already used by another contact"},
    {"paid_before_issued", "invoice", "paid_at earlier than issued_at"},
    {"closed_before_opened", "ticket", "closed_at earlier than opened_at"},
    {"unlinked", "activity", "an activity tied to no lead, opportunity or account"},
};

/* The string id of `s` in the dataset, or UINT32_MAX (which no value has) when it is absent:
 * comparing ids is comparing the texts, without reading them for every record. */
static uint64_t id_of(const revops_dataset *ds, const char *s)
{
    revops_str id;
    if (revops_strpool__find(&ds->strings, s, strlen(s), &id))
        return UINT64_MAX;
    return id;
}

/* Per-entity record flags: a record counts once in records_checked / records_with_issues
 * however many checks apply to it. */
typedef struct record_marks {
    uint8_t *checked;
    uint8_t *bad;
    size_t n;
} record_marks;

static void mark(revops_stats *st, record_marks *m, size_t i, int check, int failed)
{
    st->checks[check].checked++;
    m->checked[i] = 1;
    if (failed) {
        st->checks[check].failed++;
        m->bad[i] = 1;
    }
}

static int marks_init(record_marks *m, size_t n)
{
    m->n = n;
    m->checked = calloc(n ? n : 1, 1);
    m->bad = calloc(n ? n : 1, 1);
    if (!m->checked || !m->bad)
        return revops_error__oom();
    return 0;
}

static void marks_tally(revops_stats *st, record_marks *m)
{
    for (size_t i = 0; i < m->n; i++) {
        st->records_checked += m->checked[i];
        st->records_with_issues += m->bad[i];
    }
    free(m->checked);
    free(m->bad);
    m->checked = m->bad = NULL;
}

static int check_opportunities(revops_stats *st, const revops_dataset *ds)
{
    const revops_opportunity_table *o = &ds->opportunity;
    record_marks m;
    int rc = marks_init(&m, o->n);
    /* Which string ids are opportunity ids with history: one bit per interned string. */
    uint64_t *has_history = calloc(ds->strings.count / 64 + 1, sizeof(*has_history));
    if (rc || !has_history) {
        free(has_history);
        free(m.checked);
        free(m.bad);
        return rc ? rc : revops_error__oom();
    }
    uint64_t won_id = id_of(ds, "won"), lost_id = id_of(ds, "lost");
    for (size_t i = 0; i < ds->stage_change.n; i++) {
        revops_str id = ds->stage_change.opportunity_id[i];
        has_history[id / 64] |= (uint64_t)1 << (id % 64);
    }
    for (size_t i = 0; i < o->n; i++) {
        int won = o->outcome[i] == won_id;
        int lost = o->outcome[i] == lost_id;
        if (won || lost)
            mark(st, &m, i, CHK_OPP_CLOSED_NO_DATE, o->closed_at[i] == REVOPS_NO_TIME);
        if (o->closed_at[i] != REVOPS_NO_TIME)
            mark(st, &m, i, CHK_OPP_CLOSED_BEFORE_CREATED, o->closed_at[i] < o->created_at[i]);
        if (!won && !lost && revops_time_day(o->created_at[i]) <= st->as_of)
            mark(st, &m, i, CHK_OPP_STALE_CLOSE_DATE, o->close_date[i] < st->as_of);
        if (lost)
            mark(st, &m, i, CHK_OPP_LOST_NO_REASON, o->loss_reason[i] == 0);
        mark(st, &m, i, CHK_OPP_NO_HISTORY, !((has_history[o->id[i] / 64] >> (o->id[i] % 64)) & 1));
    }
    free(has_history);
    marks_tally(st, &m);
    return 0;
}

static int before(revops_time a, revops_time b)
{
    return a != REVOPS_NO_TIME && b != REVOPS_NO_TIME && a < b;
}

/*
 * Marks records whose lower-cased email (its first 256 bytes) was seen on an earlier record.
 * Emails are interned, so equal texts share a string id: an email that lower-casing leaves
 * as it is, and no longer than 256 bytes, is its own key; any other is keyed by the id of
 * its lower-cased text in the dataset's pool, or, when the pool lacks that text, by an id
 * past the pool's from a pool of its own. A bit per key then says whether an earlier record
 * had it, without hashing the millions of emails that are already lower case.
 */
static int check_emails(revops_stats *st, const revops_dataset *ds, const revops_str *emails,
                        size_t n, record_marks *m, int check)
{
    size_t nstr = ds->strings.count;
    revops_strpool extra;
    int rc = revops_strpool__init(&extra);
    if (rc)
        return rc;
    size_t nbits = nstr + extra.cap;
    uint64_t *seen = calloc(nbits / 64 + 1, sizeof(*seen));
    if (!seen) {
        revops_strpool__free(&extra);
        return revops_error__oom();
    }
    /* tolower() of every byte, as the C library has it now, looked up without a call; when it
     * changes A-Z alone (the "C" locale, which the library never leaves), a word at a time
     * tells whether an email has any of those. */
    unsigned char lower[256];
    int ascii = 1;
    for (int c = 0; c < 256; c++) {
        lower[c] = (unsigned char)tolower(c);
        ascii &= lower[c] == (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    char buf[256];
    /* Nearly every email's pool entry and text miss the cache: the entries are fetched two
     * steps ahead, the texts they point to one step ahead. */
    enum { AHEAD = 16 };
    for (size_t i = 0; i < n && !rc; i++) {
        if (i + 2 * AHEAD < n)
            revops_strpool__prefetch_entry(&ds->strings, emails[i + 2 * AHEAD]);
        if (i + AHEAD < n)
            revops_strpool__prefetch_text(&ds->strings, emails[i + AHEAD]);
        if (!emails[i])
            continue;
        const char *e = revops_dataset__str(ds, emails[i]);
        size_t len = revops_strpool__len(&ds->strings, emails[i]);
        size_t key = emails[i];
        int lowered = len > sizeof(buf);
        if (len > sizeof(buf))
            len = sizeof(buf);
        size_t k = 0;
        if (ascii) {
            for (; k + 8 <= len && !lowered; k += 8) {
                uint64_t w;
                memcpy(&w, e + k, 8);
                uint64_t t = w & 0x7f7f7f7f7f7f7f7fULL;
                uint64_t at_least_a = t + 0x3f3f3f3f3f3f3f3fULL; /* bit 7: byte >= 'A' */
                uint64_t past_z = t + 0x2525252525252525ULL;     /* bit 7: byte > 'Z' */
                lowered = (at_least_a & ~past_z & ~w & 0x8080808080808080ULL) != 0;
            }
        }
        for (; k < len && !lowered; k++)
            lowered = lower[(unsigned char)e[k]] != (unsigned char)e[k];
        if (lowered) {
            for (k = 0; k < len; k++)
                buf[k] = (char)lower[(unsigned char)e[k]];
            revops_str id;
            if (revops_strpool__find(&ds->strings, buf, len, &id) == 0) {
                key = id;
            } else {
                if ((rc = revops_strpool__intern(&extra, buf, len, &id)))
                    break;
                key = nstr + id;
                if (key >= nbits) {
                    size_t more = (nstr + extra.cap) / 64 + 1;
                    uint64_t *grown = realloc(seen, more * sizeof(*seen));
                    if (!grown) {
                        rc = revops_error__oom();
                        break;
                    }
                    memset(grown + nbits / 64 + 1, 0, (more - nbits / 64 - 1) * sizeof(*seen));
                    seen = grown;
                    nbits = nstr + extra.cap;
                }
            }
        }
        uint64_t bit = (uint64_t)1 << (key % 64);
        mark(st, m, i, check, (seen[key / 64] & bit) != 0);
        seen[key / 64] |= bit;
    }
    free(seen);
    revops_strpool__free(&extra);
    return rc;
}

static int check_leads(revops_stats *st, const revops_dataset *ds)
{
    const revops_lead_table *l = &ds->lead;
    record_marks m;
    int rc = marks_init(&m, l->n);
    if (rc) {
        free(m.checked);
        free(m.bad);
        return rc;
    }
    uint64_t mql_id = id_of(ds, "mql"), sql_id = id_of(ds, "sql");
    uint64_t opportunity_id = id_of(ds, "opportunity"), customer_id = id_of(ds, "customer");
    uint64_t disqualified_id = id_of(ds, "disqualified");
    for (size_t i = 0; i < l->n; i++) {
        if (l->mql_at[i] != REVOPS_NO_TIME || l->sql_at[i] != REVOPS_NO_TIME ||
            l->converted_at[i] != REVOPS_NO_TIME)
            mark(st, &m, i, CHK_LEAD_FUNNEL_ORDER,
                 before(l->mql_at[i], l->created_at[i]) || before(l->sql_at[i], l->mql_at[i]) ||
                     before(l->converted_at[i], l->sql_at[i]));
        revops_str stage = l->stage[i];
        int converted = stage == opportunity_id || stage == customer_id;
        int missing = -1;
        if (stage == mql_id)
            missing = l->mql_at[i] == REVOPS_NO_TIME;
        else if (stage == sql_id)
            missing = l->sql_at[i] == REVOPS_NO_TIME;
        else if (converted)
            missing = l->converted_at[i] == REVOPS_NO_TIME;
        else if (stage == disqualified_id)
            missing = l->disqualified_at[i] == REVOPS_NO_TIME;
        if (missing >= 0)
            mark(st, &m, i, CHK_LEAD_STAGE_NO_TIMESTAMP, missing);
        if (converted)
            mark(st, &m, i, CHK_LEAD_CONVERTED_NO_OPP, l->opportunity_id[i] == 0);
        if (l->first_response_at[i] != REVOPS_NO_TIME)
            mark(st, &m, i, CHK_LEAD_RESPONSE_BEFORE_CREATED,
                 l->first_response_at[i] < l->created_at[i]);
    }
    rc = check_emails(st, ds, l->email, l->n, &m, CHK_LEAD_DUPLICATE_EMAIL);
    marks_tally(st, &m);
    return rc;
}

static int check_others(revops_stats *st, const revops_dataset *ds)
{
    record_marks m;
    int rc = marks_init(&m, ds->contact.n);
    if (!rc)
        rc =
            check_emails(st, ds, ds->contact.email, ds->contact.n, &m, CHK_CONTACT_DUPLICATE_EMAIL);
    marks_tally(st, &m);
    if (rc)
        return rc;

    const revops_invoice_table *inv = &ds->invoice;
    if ((rc = marks_init(&m, inv->n))) {
        marks_tally(st, &m);
        return rc;
    }
    for (size_t i = 0; i < inv->n; i++)
        if (inv->paid_at[i] != REVOPS_NO_TIME)
            mark(st, &m, i, CHK_INVOICE_PAID_BEFORE_ISSUED,
                 revops_time_day(inv->paid_at[i]) < revops_time_day(inv->issued_at[i]));
    marks_tally(st, &m);

    const revops_ticket_table *t = &ds->ticket;
    if ((rc = marks_init(&m, t->n))) {
        marks_tally(st, &m);
        return rc;
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->closed_at[i] != REVOPS_NO_TIME)
            mark(st, &m, i, CHK_TICKET_CLOSED_BEFORE_OPENED, t->closed_at[i] < t->opened_at[i]);
    marks_tally(st, &m);

    /* Every activity is checked once, by one rule: its record counts need no marks. */
    const revops_activity_table *a = &ds->activity;
    uint64_t unlinked = 0;
    for (size_t i = 0; i < a->n; i++)
        unlinked += !a->lead_id[i] && !a->opportunity_id[i] && !a->account_id[i];
    st->checks[CHK_ACTIVITY_UNLINKED].checked += a->n;
    st->checks[CHK_ACTIVITY_UNLINKED].failed += unlinked;
    st->records_checked += a->n;
    st->records_with_issues += unlinked;
    return 0;
}

static int compute_fill(revops_stats *st, revops_dataset *ds)
{
    size_t n = sizeof(fill_fields) / sizeof(fill_fields[0]);
    st->fill = calloc(n, sizeof(*st->fill));
    if (!st->fill)
        return revops_error__oom();
    st->nfill = n;
    double sum = 0;
    size_t counted = 0;
    for (size_t k = 0; k < n; k++) {
        int e = fill_fields[k].entity, f = fill_fields[k].field;
        const revops_entity_def *def = revops_entity_at((size_t)e);
        size_t rows = revops_dataset_rows(ds, (size_t)e);
        const revops_str *col = revops_dataset__column(ds, e, f);
        revops_fill_rate *fr = &st->fill[k];
        fr->entity = def->name;
        fr->field = def->fields[f].name;
        fr->rows = rows;
        for (size_t i = 0; i < rows; i++)
            fr->filled += col[i] != 0;
        if (rows) {
            sum += (double)fr->filled / (double)rows;
            counted++;
        }
    }
    st->completeness = counted ? sum / (double)counted : NAN;
    return 0;
}

/* An empty summary of the data: rows, days and the checks' names, no counts yet. */
static int stats_new(revops_stats **out, const revops_dataset *ds, int32_t as_of, int32_t first_day,
                     int32_t latest_day)
{
    *out = NULL;
    revops_stats *st = calloc(1, sizeof(*st));
    if (!st)
        return revops_error__oom();
    st->nentities = REVOPS_ENTITY_COUNT;
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT; e++)
        st->rows[e] = revops_dataset_rows(ds, e);
    st->first_day = first_day;
    st->latest_day = latest_day;
    st->as_of = as_of != REVOPS_NO_DAY ? as_of : st->latest_day;
    st->checks = calloc(CHK_COUNT, sizeof(*st->checks));
    if (!st->checks) {
        free(st);
        return revops_error__oom();
    }
    st->nchecks = CHK_COUNT;
    for (size_t c = 0; c < CHK_COUNT; c++) {
        st->checks[c].name = check_defs[c].name;
        st->checks[c].entity = check_defs[c].entity;
        st->checks[c].description = check_defs[c].description;
    }
    *out = st;
    return 0;
}

static int fill_part(revops_stats *st, const revops_dataset *ds)
{
    return compute_fill(st, (revops_dataset *)ds);
}

/* The parts, the longest first; each counts into a summary of its own. */
static int (*const part_runs[REVOPS_STATS_PARTS])(revops_stats *, const revops_dataset *) = {
    check_others, check_leads, fill_part, check_opportunities};

typedef struct stats_part {
    int (*run)(revops_stats *, const revops_dataset *);
    const revops_dataset *ds;
    revops_stats *st;
    int rc; /* with its error, for end to report */
    revops_error error;
} stats_part;

struct revops_stats_parts {
    stats_part part[REVOPS_STATS_PARTS];
};

void revops_stats__discard(revops_stats_parts *p)
{
    if (!p)
        return;
    for (size_t k = 0; k < REVOPS_STATS_PARTS; k++)
        revops_stats_free(p->part[k].st);
    free(p);
}

int revops_stats__begin(revops_stats_parts **out, const revops_dataset *ds, int32_t as_of,
                        int32_t first_day, int32_t latest_day)
{
    *out = NULL;
    revops_stats_parts *p = calloc(1, sizeof(*p));
    if (!p)
        return revops_error__oom();
    for (size_t k = 0; k < REVOPS_STATS_PARTS; k++) {
        p->part[k].run = part_runs[k];
        p->part[k].ds = ds;
        int rc = stats_new(&p->part[k].st, ds, as_of, first_day, latest_day);
        if (rc) {
            revops_stats__discard(p);
            return rc;
        }
    }
    *out = p;
    return 0;
}

void *revops_stats__part_arg(revops_stats_parts *p, size_t k)
{
    return &p->part[k];
}

int revops_stats__run_part(void *arg)
{
    stats_part *x = arg;
    if ((x->rc = x->run(x->st, x->ds)))
        x->error = *revops_error_last();
    return 0;
}

int revops_stats__end(revops_stats_parts *p, revops_stats **out)
{
    *out = NULL;
    for (size_t k = 0; k < REVOPS_STATS_PARTS; k++) {
        if (p->part[k].rc) {
            int rc = p->part[k].rc;
            revops_error__restore(&p->part[k].error);
            revops_stats__discard(p);
            return rc;
        }
    }
    /* Every count is a sum, so the parts add up to what one pass would count. */
    revops_stats *st = p->part[0].st;
    for (size_t k = 1; k < REVOPS_STATS_PARTS; k++) {
        const revops_stats *x = p->part[k].st;
        for (size_t c = 0; c < CHK_COUNT; c++) {
            st->checks[c].checked += x->checks[c].checked;
            st->checks[c].failed += x->checks[c].failed;
        }
        st->records_checked += x->records_checked;
        st->records_with_issues += x->records_with_issues;
        if (x->fill) {
            st->fill = x->fill;
            st->nfill = x->nfill;
            st->completeness = x->completeness;
            p->part[k].st->fill = NULL;
        }
    }
    st->data_quality = st->records_checked
                           ? 1.0 - (double)st->records_with_issues / (double)st->records_checked
                           : NAN;
    p->part[0].st = NULL;
    revops_stats__discard(p);
    *out = st;
    return 0;
}

int revops_stats__compute(revops_stats **out, const revops_dataset *ds, int32_t as_of,
                          int32_t first_day, int32_t latest_day)
{
    *out = NULL;
    revops_stats_parts *p;
    int rc = revops_stats__begin(&p, ds, as_of, first_day, latest_day);
    if (rc)
        return rc;
    revops_task tasks[REVOPS_STATS_PARTS];
    for (size_t k = 0; k < REVOPS_STATS_PARTS; k++)
        tasks[k] = (revops_task){revops_stats__run_part, revops_stats__part_arg(p, k), -1};
    /* The parts keep their failures for end: the run itself cannot fail. */
    if ((rc = revops_tasks__run(tasks, REVOPS_STATS_PARTS, 0))) {
        revops_stats__discard(p);
        return rc;
    }
    return revops_stats__end(p, out);
}

int revops_stats_compute(revops_stats **out, const revops_dataset *ds, int32_t as_of)
{
    revops_day first, latest;
    revops_dataset__event_days(ds, &first, &latest);
    return revops_stats__compute(out, ds, as_of, first, latest);
}

void revops_stats_free(revops_stats *st)
{
    if (!st)
        return;
    free(st->fill);
    free(st->checks);
    free(st);
}
