/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Churn risk and expansion scores as JSON and as text (docs/scoring.md "Churn risk and
 * expansion").
 */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "revops/score_accounts.h"

static const char *outcome_name(const revops_account_scores *s)
{
    return s->kind == REVOPS_ACCOUNT_CHURN ? "churned" : "expanded";
}

static void json_na(revops_json *j, const char *key, double v, const char *reason)
{
    revops_json_key(j, key);
    revops_json_double(j, v);
    if (!isfinite(v)) {
        char k[64];
        snprintf(k, sizeof(k), "%s_reason", key);
        revops_json_key(j, k);
        revops_json_string(j, reason);
    }
}

static void json_account(const revops_account_scores *s, const revops_account_score *a,
                         revops_json *j)
{
    revops_json_begin_object(j);
    revops_json_key(j, "account");
    revops_json_string(j, a->account);
    revops_json_key(j, "name");
    revops_json_string(j, a->name);
    json_na(j, "score", a->score, "no signal could be computed");
    if (s->kind == REVOPS_ACCOUNT_EXPANSION) {
        revops_json_key(j, "flagged");
        revops_json_bool(j, a->flagged);
    }
    revops_json_key(j, "mrr");
    revops_json_money(j, a->mrr, s->exponent);
    if (s->evaluated) {
        revops_json_key(j, outcome_name(s));
        revops_json_bool(j, a->outcome);
    }
    revops_json_key(j, "signals");
    revops_json_begin_array(j);
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++) {
        const revops_account_signal *g = &a->signals[k];
        revops_json_begin_object(j);
        revops_json_key(j, "name");
        revops_json_string(j, g->name);
        json_na(j, "value", g->value, g->reason ? g->reason : "");
        revops_json_key(j, "weight");
        revops_json_double(j, g->weight);
        revops_json_key(j, "contribution");
        revops_json_double(j, g->contribution);
        revops_json_key(j, "recent");
        revops_json_double(j, g->recent);
        revops_json_key(j, "prior");
        revops_json_double(j, g->prior);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
}

int revops_account_scores_write_json(const revops_account_scores *s, revops_json *j)
{
    char day[REVOPS_DAY_TEXT_MAX];
    revops_day_format(s->as_of, day);
    revops_json_begin_object(j);
    revops_json_key(j, "as_of");
    revops_json_string(j, day);
    revops_json_key(j, "score");
    revops_json_string(j, s->kind == REVOPS_ACCOUNT_CHURN ? "churn" : "expansion");
    revops_json_key(j, "currency");
    revops_json_string(j, s->currency);
    revops_json_key(j, "customers");
    revops_json_int(j, (int64_t)s->customers);
    revops_json_key(j, "scored");
    revops_json_int(j, (int64_t)s->scored);
    json_na(j, "mean_score", s->mean_score, "no account scored");
    revops_json_key(j, "weights");
    revops_json_begin_object(j);
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++) {
        revops_json_key(j, revops_account_signal_name(s->kind, k));
        revops_json_double(j, s->weights[k]);
    }
    revops_json_end_object(j);
    if (s->kind == REVOPS_ACCOUNT_EXPANSION) {
        revops_json_key(j, "threshold");
        revops_json_double(j, s->threshold);
        revops_json_key(j, "flagged");
        revops_json_int(j, (int64_t)s->flagged);
    }
    if (s->evaluated) {
        const char *reason = "the accounts scored hold one outcome only";
        revops_json_key(j, "evaluation");
        revops_json_begin_object(j);
        revops_json_key(j, "horizon_days");
        revops_json_int(j, s->horizon_days);
        revops_json_key(j, outcome_name(s));
        revops_json_int(j, (int64_t)s->outcomes);
        json_na(j, "auc", s->auc, reason);
        revops_json_key(j, "signals");
        revops_json_begin_object(j);
        for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++) {
            revops_json_key(j, revops_account_signal_name(s->kind, k));
            revops_json_begin_object(j);
            json_na(j, "auc", s->signal_auc[k], reason);
            revops_json_end_object(j);
        }
        revops_json_end_object(j);
        revops_json_end_object(j);
    }
    revops_json_key(j, "accounts");
    revops_json_begin_array(j);
    for (size_t i = 0; i < s->naccounts; i++)
        json_account(s, &s->accounts[i], j);
    revops_json_end_array(j);
    revops_json_end_object(j);
    size_t len;
    return revops_json_text(j, &len) ? 0 : revops_error__set(REVOPS_ENOMEM, "writing the scores");
}

static void num(char *out, size_t cap, double v)
{
    if (isfinite(v))
        snprintf(out, cap, "%.2f", v);
    else
        snprintf(out, cap, "n/a");
}

int revops_account_scores_write_text(const revops_account_scores *s, FILE *fp)
{
    int churn = s->kind == REVOPS_ACCOUNT_CHURN;
    char day[REVOPS_DAY_TEXT_MAX], v[32];
    revops_day_format(s->as_of, day);
    fprintf(fp, "%s as of %s: %zu paying accounts, %zu scored", churn ? "Churn risk" : "Expansion",
            day, s->customers, s->scored);
    if (s->scored) {
        num(v, sizeof(v), s->mean_score);
        fprintf(fp, ", mean %s", v);
    }
    if (!churn) {
        num(v, sizeof(v), s->threshold);
        fprintf(fp, ", %zu above %s", s->flagged, v);
    }
    fputc('\n', fp);
    fputs("  weights:", fp);
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++)
        fprintf(fp, " %s %g", revops_account_signal_name(s->kind, k), s->weights[k]);
    fputc('\n', fp);
    if (s->evaluated) {
        char auc[32] = "n/a";
        if (isfinite(s->auc))
            snprintf(auc, sizeof(auc), "%.4f", s->auc);
        fprintf(fp, "  %zu %s in the %d days after; AUC %s\n", s->outcomes, outcome_name(s),
                s->horizon_days, auc);
        fputs("  AUC of each signal alone:", fp);
        for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++) {
            num(v, sizeof(v), s->signal_auc[k]);
            fprintf(fp, " %s %s", revops_account_signal_name(s->kind, k), v);
        }
        fputc('\n', fp);
    }
    fputc('\n', fp);
    size_t idw = 7;
    for (size_t i = 0; i < s->naccounts; i++)
        if (strlen(s->accounts[i].account) > idw)
            idw = strlen(s->accounts[i].account);
    if (s->naccounts) {
        fprintf(fp, "  %4s  %-*s  %5s  %14s", "rank", (int)idw, "account", churn ? "risk" : "score",
                "mrr");
        for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++)
            fprintf(fp, "  %s", revops_account_signal_name(s->kind, k));
        fputc('\n', fp);
    }
    for (size_t i = 0; i < s->naccounts; i++) {
        const revops_account_score *a = &s->accounts[i];
        char mrr[64];
        double scale = pow(10.0, s->exponent);
        snprintf(mrr, sizeof(mrr), "%.*f", s->exponent, (double)a->mrr / scale);
        num(v, sizeof(v), a->score);
        fprintf(fp, "  %4zu  %-*s  %5s  %14s", i + 1, (int)idw, a->account, v, mrr);
        for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++) {
            num(v, sizeof(v), a->signals[k].value);
            fprintf(fp, "  %*s", (int)strlen(a->signals[k].name), v);
        }
        if (a->flagged)
            fputs("  flagged", fp);
        if (s->evaluated && a->outcome)
            fprintf(fp, "  %s", outcome_name(s));
        fputc('\n', fp);
    }
    if (s->naccounts < s->customers)
        fprintf(fp, "  ... %zu more (--top 0 lists them all)\n", s->customers - s->naccounts);
    return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the scores failed") : 0;
}
