/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops score deals, and score leads --model: the learned scores (docs/scoring.md), or with
 * --evaluate how well they did on a later slice of time.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_score_model(cli_args *args, revops_score_subject subject)
{
    revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
    mo.subject = subject;
    const char *model = cli_opt(args, "model");
    if (model) {
        int m = revops_score_model_parse(model);
        if (m < 0)
            return cli_usage_error(args, "--model must be %sbayes, logistic or blend, not '%s'",
                                   subject == REVOPS_SCORE_LEADS ? "rules, " : "", model);
        mo.model = (revops_model_kind)m;
    }
    int json = cli_format_json(args);
    uint64_t top, horizon;
    if (json < 0 || cli_parse_as_of(args, &mo.as_of) ||
        cli_parse_u64(args, "top", mo.top, 0, 1000000000, &top) ||
        cli_parse_u64(args, "horizon", 0, 1, 3660, &horizon))
        return CLI_EXIT_USAGE;
    mo.top = (size_t)top;
    mo.horizon_days = (int)horizon;
    mo.evaluate = cli_flag(args, "evaluate");
    const char *cut = cli_opt(args, "cut");
    if (cut) {
        revops_day d;
        if (!mo.evaluate)
            return cli_usage_error(args, "--cut goes with --evaluate");
        if (revops_day_parse(&d, cut, strlen(cut)))
            return cli_usage_error(args, "--cut must be a date (YYYY-MM-DD), not '%s'", cut);
        mo.cut = d;
    }
    mo.currency = cli_opt(args, "currency");
    if (mo.currency && revops_currency_exponent(mo.currency, strlen(mo.currency)) < 0)
        return cli_usage_error(args, "--currency must be an ISO 4217 code such as EUR, not '%s'",
                               mo.currency);
    revops_config *cfg;
    int status = cli_load_config(args, &cfg);
    if (status)
        return status;
    revops_dataset *ds;
    if ((status = cli_load_dataset_stages(args, &cfg->stages, &ds))) {
        revops_config_free(cfg);
        return status;
    }
    revops_model_scores *s;
    int rc = revops_score_model(&s, ds, cfg, &mo);
    if (rc) {
        status = cli_lib_error(
            subject == REVOPS_SCORE_DEALS ? "scoring the deals" : "scoring the leads", rc);
    } else if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_model_scores_write_json(s, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
        status = rc ? cli_lib_error("writing the scores", rc) : CLI_EXIT_OK;
    } else {
        rc = revops_model_scores_write_text(s, stdout);
        status = rc ? cli_lib_error("writing the scores", rc) : CLI_EXIT_OK;
    }
    revops_model_scores_free(s);
    revops_dataset_free(ds);
    revops_config_free(cfg);
    return status;
}
