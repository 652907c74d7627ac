/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SLA report as JSON and as text (docs/lifecycle.md "SLA report").
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "ops/ops.h"
#include "revops/lifecycle.h"

static void str_or_null(revops_json *j, const char *key, const char *s)
{
    revops_json_key(j, key);
    if (s)
        revops_json_string(j, s);
    else
        revops_json_null(j);
}

static void time_or_null(revops_json *j, const char *key, revops_time t)
{
    revops_json_key(j, key);
    if (t == REVOPS_NO_TIME) {
        revops_json_null(j);
        return;
    }
    char buf[REVOPS_TIME_TEXT_MAX];
    revops_time_format(t, buf);
    revops_json_string(j, buf);
}

static void num(revops_json *j, const char *key, double v)
{
    revops_json_key(j, key);
    revops_json_double(j, v);
}

static void count(revops_json *j, const char *key, size_t v)
{
    revops_json_key(j, key);
    revops_json_int(j, (int64_t)v);
}

static void stats_json(revops_json *j, const revops_sla_stats *s, const char *key_name)
{
    revops_json_begin_object(j);
    if (key_name)
        str_or_null(j, key_name, strcmp(s->key, "(none)") == 0 ? NULL : s->key);
    count(j, "handoffs", s->handoffs);
    count(j, "responded", s->responded);
    count(j, "within_sla", s->within);
    count(j, "late", s->late);
    count(j, "overdue", s->overdue);
    count(j, "breaches", s->late + s->overdue);
    count(j, "pending", s->pending);
    count(j, "no_sla", s->no_sla);
    num(j, "sla_compliance", s->compliance);
    num(j, "first_response_minutes_median", s->median_minutes);
    num(j, "first_response_minutes_p90", s->p90_minutes);
    num(j, "first_response_minutes_mean", s->mean_minutes);
    count(j, "accepted", s->accepted);
    count(j, "rejected", s->rejected);
    count(j, "open", s->open);
    num(j, "acceptance_rate", s->acceptance_rate);
    revops_json_end_object(j);
}

int revops_sla_report_write_json(const revops_sla_report *r, revops_json *j)
{
    char day[REVOPS_DAY_TEXT_MAX] = "";
    if (r->as_of != REVOPS_NO_DAY)
        revops_day_format(r->as_of, day);
    revops_json_begin_object(j);
    str_or_null(j, "as_of", day[0] ? day : NULL);
    count(j, "tasks", r->tasks);
    revops_json_key(j, "handoffs");
    revops_json_begin_array(j);
    for (size_t k = 0; k < r->nhandoffs; k++) {
        const revops_sla_handoff *h = &r->handoffs[k];
        revops_json_begin_object(j);
        str_or_null(j, "name", h->name);
        str_or_null(j, "from", h->from);
        str_or_null(j, "to", h->to);
        str_or_null(j, "entity", h->entity);
        str_or_null(j, "stage", h->stage);
        revops_json_key(j, "response_time_minutes");
        if (h->response_seconds >= 0)
            revops_json_double(j, (double)h->response_seconds / 60.0);
        else
            revops_json_null(j);
        num(j, "acceptance_target", h->acceptance_target);
        revops_json_key(j, "acceptance_target_met");
        if (h->target_met < 0)
            revops_json_null(j);
        else
            revops_json_bool(j, h->target_met);
        revops_json_key(j, "total");
        stats_json(j, &h->total, NULL);
        revops_json_key(j, "by_team");
        revops_json_begin_array(j);
        for (size_t i = 0; i < h->nteams; i++)
            stats_json(j, &h->teams[i], "team");
        revops_json_end_array(j);
        revops_json_key(j, "by_rep");
        revops_json_begin_array(j);
        for (size_t i = 0; i < h->nreps; i++)
            stats_json(j, &h->reps[i], "rep");
        revops_json_end_array(j);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    count(j, "breaches_total", r->total_breaches);
    revops_json_key(j, "breaches");
    revops_json_begin_array(j);
    for (size_t i = 0; i < r->nbreaches; i++) {
        const revops_sla_breach *b = &r->breaches[i];
        revops_json_begin_object(j);
        str_or_null(j, "task", b->task);
        str_or_null(j, "handoff", b->handoff);
        str_or_null(j, "entity", b->entity);
        str_or_null(j, "record", b->record);
        str_or_null(j, "owner", b->owner);
        str_or_null(j, "team", b->team);
        time_or_null(j, "created_at", b->created_at);
        time_or_null(j, "due_at", b->due_at);
        time_or_null(j, "responded_at", b->response_at);
        str_or_null(j, "response", b->response);
        num(j, "minutes_late", b->minutes_late);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
    size_t len;
    return revops_json_text(j, &len) ? 0
                                     : revops_error__set(REVOPS_ENOMEM, "writing the SLA report");
}

/* A share as "66.7%", or "-". */
static const char *pct(double v, char *buf, size_t cap)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.1f%%", v * 100);
    return buf;
}

static const char *minutes(double v, char *buf, size_t cap)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.0f", v);
    return buf;
}

/* A response time as "24h", "90m" or "45s". */
static const char *sla_time(int64_t s, char *buf, size_t cap)
{
    if (s % 3600 == 0)
        snprintf(buf, cap, "%lldh", (long long)(s / 3600));
    else if (s % 60 == 0)
        snprintf(buf, cap, "%lldm", (long long)(s / 60));
    else
        snprintf(buf, cap, "%llds", (long long)s);
    return buf;
}

/* A duration in minutes as "2d 3h 5m". */
static void stats_row(FILE *fp, const char *key, const revops_sla_stats *s, int w)
{
    char a[16], b[16], c[16];
    fprintf(fp, "    %-*s %8zu %9zu %6zu %8zu %7zu %10s %10s %8zu %8zu %10s\n", w, key, s->handoffs,
            s->responded, s->within, s->late + s->overdue, s->pending,
            pct(s->compliance, a, sizeof(a)), minutes(s->median_minutes, b, sizeof(b)), s->accepted,
            s->rejected, pct(s->acceptance_rate, c, sizeof(c)));
}

static void table(FILE *fp, const char *title, const revops_sla_stats *rows, size_t n)
{
    int w = 6;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(rows[i].key) > w)
            w = (int)strlen(rows[i].key);
    fprintf(fp, "    %-*s %8s %9s %6s %8s %7s %10s %10s %8s %8s %10s\n", w, title, "handoffs",
            "responded", "within", "breached", "pending", "compliance", "median min", "accepted",
            "rejected", "acceptance");
    for (size_t i = 0; i < n; i++)
        stats_row(fp, rows[i].key, &rows[i], w);
}

int revops_sla_report_write_text(const revops_sla_report *r, FILE *fp)
{
    char day[REVOPS_DAY_TEXT_MAX] = "(no data)", a[32], b[32], c[32];
    if (r->as_of != REVOPS_NO_DAY)
        revops_day_format(r->as_of, day);
    fprintf(fp, "Handoff SLA as of %s: %zu tasks created by the end of the day, %zu breaches\n",
            day, r->tasks, r->total_breaches);
    for (size_t k = 0; k < r->nhandoffs; k++) {
        const revops_sla_handoff *h = &r->handoffs[k];
        const revops_sla_stats *s = &h->total;
        fprintf(fp, "\n%s (%s -> %s, %s", h->name, h->from ? h->from : "?", h->to ? h->to : "?",
                h->entity);
        if (h->stage)
            fprintf(fp, " at %s", h->stage);
        if (h->response_seconds >= 0)
            fprintf(fp, "): first response within %s, acceptance target %s\n",
                    sla_time(h->response_seconds, a, sizeof(a)),
                    pct(h->acceptance_target, b, sizeof(b)));
        else
            fputs("): not in the configuration; due times from the tasks\n", fp);
        fprintf(fp,
                "  %zu handoff%s: %zu responded (median %s min, p90 %s min), %zu within the SLA, "
                "%zu breached (%zu late, %zu overdue), %zu pending",
                s->handoffs, s->handoffs == 1 ? "" : "s", s->responded,
                minutes(s->median_minutes, a, sizeof(a)), minutes(s->p90_minutes, b, sizeof(b)),
                s->within, s->late + s->overdue, s->late, s->overdue, s->pending);
        if (s->no_sla)
            fprintf(fp, ", %zu without an SLA", s->no_sla);
        fprintf(fp, "\n  SLA compliance %s; accepted %zu, rejected %zu, open %zu: acceptance %s",
                pct(s->compliance, a, sizeof(a)), s->accepted, s->rejected, s->open,
                pct(s->acceptance_rate, b, sizeof(b)));
        if (h->target_met >= 0)
            fprintf(fp, " (target %s: %s)", pct(h->acceptance_target, c, sizeof(c)),
                    h->target_met ? "met" : "below");
        fputc('\n', fp);
        if (!s->handoffs)
            continue;
        fputc('\n', fp);
        table(fp, "team", h->teams, h->nteams);
        fputc('\n', fp);
        table(fp, "rep", h->reps, h->nreps);
    }
    if (r->nbreaches)
        fputs("\nBreaches, most late first:\n", fp);
    for (size_t i = 0; i < r->nbreaches; i++) {
        const revops_sla_breach *x = &r->breaches[i];
        char due[REVOPS_TIME_TEXT_MAX];
        revops_time_format(x->due_at, due);
        fprintf(fp, "  %-8s %-26s %-11s %-8s owner %-6s due %s, %s, %s late\n", x->task, x->handoff,
                x->entity, x->record, x->owner ? x->owner : "-", due,
                !x->response                             ? "no response"
                : strcmp(x->response, "rejection") == 0  ? "rejected"
                : strcmp(x->response, "acceptance") == 0 ? "accepted"
                                                         : "answered",
                revops_ops__span(x->minutes_late, a, sizeof(a)));
    }
    if (r->nbreaches < r->total_breaches)
        fprintf(fp, "  ... %zu more (--top 0 lists them all)\n", r->total_breaches - r->nbreaches);
    return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the SLA report failed") : 0;
}
