/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Routing decisions as JSON and as text (docs/routing.md "Output").
 */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "revops/routing.h"

static void str_or_null(revops_json *j, const char *key, const char *s)
{
    revops_json_key(j, key);
    if (s)
        revops_json_string(j, s);
    else
        revops_json_null(j);
}

static void time_value(revops_json *j, const char *key, revops_time t)
{
    char buf[REVOPS_TIME_TEXT_MAX];
    revops_time_format(t, buf);
    revops_json_key(j, key);
    revops_json_string(j, buf);
}

static void number(revops_json *j, const char *key, double v)
{
    revops_json_key(j, key);
    revops_json_double(j, v); /* NaN is written as null */
}

/* Scores, factors and rates to 6 decimals: a sum of weighted factors is exact only to the last
 * bits of a double (0.8000000000000002), which is noise to a reader. */
static void rounded(revops_json *j, const char *key, double v)
{
    number(j, key, isnan(v) ? v : round(v * 1e6) / 1e6);
}

int revops_route_decision_write_json(const revops_route_decision *d, const revops_config *cfg,
                                     revops_json *j)
{
    revops_json_begin_object(j);
    str_or_null(j, "lead", d->lead);
    str_or_null(j, "chosen", d->chosen);
    rounded(j, "score", d->score);
    str_or_null(j, "reason", d->reason);
    str_or_null(j, "method", revops_routing_method_name(d->method));
    time_value(j, "now", d->now);
    revops_json_key(j, "lead_facts");
    revops_json_begin_object(j);
    str_or_null(j, "stage", d->stage);
    str_or_null(j, "region", d->region);
    str_or_null(j, "industry", d->industry);
    str_or_null(j, "tier", d->tier);
    str_or_null(j, "owner", d->owner);
    revops_json_end_object(j);
    str_or_null(j, "role", d->role);
    revops_json_key(j, "weights");
    revops_json_begin_object(j);
    number(j, "geographic", cfg->routing_weights.geographic);
    number(j, "expertise", cfg->routing_weights.expertise);
    number(j, "workload", cfg->routing_weights.workload);
    number(j, "tier", cfg->routing_weights.tier);
    number(j, "performance", cfg->routing_weights.performance);
    revops_json_end_object(j);
    revops_json_key(j, "eligible");
    revops_json_int(j, (int64_t)d->neligible);
    revops_json_key(j, "candidates");
    revops_json_begin_array(j);
    for (size_t i = 0; i < d->ncandidates; i++) {
        const revops_route_candidate *c = &d->candidates[i];
        revops_json_begin_object(j);
        str_or_null(j, "rep", c->rep);
        str_or_null(j, "name", c->name);
        str_or_null(j, "team", c->team);
        rounded(j, "score", c->score);
        revops_json_key(j, "eligible");
        revops_json_bool(j, c->eligible);
        str_or_null(j, "not_eligible", c->not_eligible);
        revops_json_key(j, "open_leads");
        revops_json_int(j, c->open_leads);
        revops_json_key(j, "capacity");
        if (c->capacity >= 0)
            revops_json_int(j, c->capacity);
        else
            revops_json_null(j);
        rounded(j, "conversion", c->conversion);
        revops_json_key(j, "settled_leads");
        revops_json_int(j, c->settled);
        revops_json_key(j, "factors");
        revops_json_begin_object(j);
        rounded(j, "geographic", c->factors.geographic);
        rounded(j, "expertise", c->factors.expertise);
        rounded(j, "workload", c->factors.workload);
        rounded(j, "tier", c->factors.tier);
        rounded(j, "performance", c->factors.performance);
        revops_json_end_object(j);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
    size_t len;
    return revops_json_text(j, &len) ? 0 : revops_error__set(REVOPS_ENOMEM, "writing the decision");
}

/* A factor or score as text: "-" when it does not exist. */
static const char *fmt(double v, int decimals, char *buf, size_t cap)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.*f", decimals, v);
    return buf;
}

int revops_route_decision_write_text(const revops_route_decision *d, const revops_config *cfg,
                                     int explain, FILE *fp)
{
    char now[REVOPS_TIME_TEXT_MAX], a[32];
    revops_time_format(d->now, now);
    fprintf(fp, "Lead %s (stage %s, region %s, industry %s, tier %s", d->lead, d->stage,
            d->region ? d->region : "-", d->industry ? d->industry : "-", d->tier ? d->tier : "-");
    if (d->owner)
        fprintf(fp, ", owner %s", d->owner);
    fprintf(fp, "), routed %s as of %s\n", revops_routing_method_name(d->method), now);
    if (d->chosen) {
        const char *name = "";
        for (size_t i = 0; i < d->ncandidates; i++)
            if (d->candidates[i].rep == d->chosen)
                name = d->candidates[i].name;
        fprintf(fp, "-> %s %s, score %s: %s\n", d->chosen, name, fmt(d->score, 3, a, sizeof(a)),
                d->reason);
    } else {
        fprintf(fp, "-> no rep: %s\n", d->reason);
    }
    if (!explain)
        return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the decision failed") : 0;
    fprintf(fp,
            "\nCandidates with role %s: %zu, %zu eligible (weights: geographic %g, expertise %g, "
            "workload %g, tier %g, performance %g)\n",
            d->role, d->ncandidates, d->neligible, cfg->routing_weights.geographic,
            cfg->routing_weights.expertise, cfg->routing_weights.workload,
            cfg->routing_weights.tier, cfg->routing_weights.performance);
    size_t idw = 3;
    for (size_t i = 0; i < d->ncandidates; i++)
        if (strlen(d->candidates[i].rep) > idw)
            idw = strlen(d->candidates[i].rep);
    if (d->ncandidates)
        fprintf(fp, "    %-*s  %5s  %10s  %9s  %8s  %4s  %11s  %10s  %10s\n", (int)idw, "rep",
                "score", "geographic", "expertise", "workload", "tier", "performance", "open/cap",
                "conversion");
    for (size_t i = 0; i < d->ncandidates; i++) {
        const revops_route_candidate *c = &d->candidates[i];
        char s[5][32], cap[48], conv[48];
        if (c->capacity >= 0)
            snprintf(cap, sizeof(cap), "%lld/%lld", (long long)c->open_leads,
                     (long long)c->capacity);
        else
            snprintf(cap, sizeof(cap), "%lld/-", (long long)c->open_leads);
        if (isnan(c->conversion))
            snprintf(conv, sizeof(conv), "-");
        else
            snprintf(conv, sizeof(conv), "%u/%u", c->won, c->settled);
        fprintf(fp, "  %c %-*s  %5s  %10s  %9s  %8s  %4s  %11s  %10s  %10s",
                c->rep == d->chosen ? '*' : ' ', (int)idw, c->rep, fmt(c->score, 3, s[0], 32),
                fmt(c->factors.geographic, 0, s[1], 32), fmt(c->factors.expertise, 0, s[2], 32),
                fmt(c->factors.workload, 3, s[3], 32), fmt(c->factors.tier, 0, s[4], 32),
                fmt(c->factors.performance, 3, a, sizeof(a)), cap, conv);
        if (!c->eligible)
            fprintf(fp, "  not eligible: %s", c->not_eligible);
        fputc('\n', fp);
    }
    return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the decision failed") : 0;
}

int revops_route_batch_write_json(const revops_route_batch *b, int dry_run, revops_json *j)
{
    revops_json_begin_object(j);
    time_value(j, "now", b->now);
    str_or_null(j, "method", revops_routing_method_name(b->method));
    revops_json_key(j, "dry_run");
    revops_json_bool(j, dry_run);
    revops_json_key(j, "stored");
    revops_json_bool(j, b->stored);
    revops_json_key(j, "unassigned");
    revops_json_int(j, (int64_t)b->unassigned);
    revops_json_key(j, "routed");
    revops_json_int(j, (int64_t)b->routed);
    revops_json_key(j, "unroutable");
    revops_json_int(j, (int64_t)b->unroutable);
    revops_json_key(j, "assignments");
    revops_json_begin_array(j);
    for (size_t i = 0; i < b->nassignments; i++) {
        const revops_route_assignment *a = &b->assignments[i];
        revops_json_begin_object(j);
        str_or_null(j, "lead", a->lead);
        str_or_null(j, "chosen", a->chosen);
        rounded(j, "score", a->score);
        str_or_null(j, "reason", a->reason);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
    size_t len;
    return revops_json_text(j, &len) ? 0
                                     : revops_error__set(REVOPS_ENOMEM, "writing the assignments");
}

int revops_route_batch_write_text(const revops_route_batch *b, int dry_run, FILE *fp)
{
    char now[REVOPS_TIME_TEXT_MAX], a[32];
    revops_time_format(b->now, now);
    fprintf(fp, "%zu unassigned leads as of %s, routed %s: %zu %s, %zu without an eligible rep\n",
            b->unassigned, now, revops_routing_method_name(b->method), b->routed,
            dry_run     ? "would be assigned (dry run: nothing written)"
            : b->stored ? "assigned and stored"
                        : "assigned",
            b->unroutable);
    size_t idw = 4, repw = 4;
    for (size_t i = 0; i < b->nassignments; i++) {
        if (strlen(b->assignments[i].lead) > idw)
            idw = strlen(b->assignments[i].lead);
        if (b->assignments[i].chosen && strlen(b->assignments[i].chosen) > repw)
            repw = strlen(b->assignments[i].chosen);
    }
    if (b->nassignments)
        fprintf(fp, "\n  %-*s  %-*s  %5s  %s\n", (int)idw, "lead", (int)repw, "rep", "score",
                "reason");
    for (size_t i = 0; i < b->nassignments; i++) {
        const revops_route_assignment *x = &b->assignments[i];
        fprintf(fp, "  %-*s  %-*s  %5s  %s\n", (int)idw, x->lead, (int)repw,
                x->chosen ? x->chosen : "-", fmt(x->score, 3, a, sizeof(a)), x->reason);
    }
    return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the assignments failed") : 0;
}
