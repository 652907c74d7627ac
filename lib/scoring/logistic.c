/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Logistic regression over standardised numeric features, fitted by Newton's method (IRLS):
 * each step solves (Z'WZ + L) d = gradient, W = p(1 - p), L the penalty on the diagonal of
 * every coefficient but the intercept, and the step is halved until the penalised
 * negative log-likelihood goes down. The systems are small (one row per feature), so a
 * Cholesky factorisation written here does: no GSL error handler can abort the program.
 *
 * Decisions a reader cannot see from the code:
 * - Features are standardised with the mean and population standard deviation of their known
 *   training values, so coefficients compare across features and the penalty treats them
 *   alike; a missing value (NaN) is set to the mean (z = 0) and so contributes nothing.
 * - A feature without spread in training (or with no known value) keeps a coefficient of 0
 *   and is left out of the Newton system; it is reported as constant.
 * - Convergence: the largest change of a coefficient below 1e-9, or the objective changing by
 *   less than 1e-12 of itself, within 100 steps (it takes 5 to 10 on real data).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "scoring/learn.h"

#define MAX_STEPS 100
#define MAX_HALVINGS 40

double revops_eval__sigmoid(double logit)
{
    if (logit >= 0)
        return 1.0 / (1.0 + exp(-logit));
    double e = exp(logit);
    return e / (1.0 + e);
}

/* ln(1 + e^t) without overflow. */
static double softplus(double t)
{
    return t > 0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

/* In-place Cholesky factorisation of the k x k symmetric matrix a (lower triangle used);
 * returns -1 when it is not positive definite. */
static int cholesky(double *a, size_t k)
{
    for (size_t j = 0; j < k; j++) {
        double d = a[j * k + j];
        for (size_t t = 0; t < j; t++)
            d -= a[j * k + t] * a[j * k + t];
        if (!(d > 1e-300))
            return -1;
        d = sqrt(d);
        a[j * k + j] = d;
        for (size_t i = j + 1; i < k; i++) {
            double s = a[i * k + j];
            for (size_t t = 0; t < j; t++)
                s -= a[i * k + t] * a[j * k + t];
            a[i * k + j] = s / d;
        }
    }
    return 0;
}

/* Solves L L' x = b in place (b becomes x) with the factor of cholesky(). */
static void cholesky_solve(const double *l, size_t k, double *b)
{
    for (size_t i = 0; i < k; i++) {
        double s = b[i];
        for (size_t t = 0; t < i; t++)
            s -= l[i * k + t] * b[t];
        b[i] = s / l[i * k + i];
    }
    for (size_t i = k; i-- > 0;) {
        double s = b[i];
        for (size_t t = i + 1; t < k; t++)
            s -= l[t * k + i] * b[t];
        b[i] = s / l[i * k + i];
    }
}

/* The standardised value of feature j of row x. */
static double zval(const revops_lr *m, const double *x, size_t j)
{
    double v = x[j];
    if (m->constant[j] || isnan(v))
        return 0.0;
    return (v - m->mean[j]) / m->sd[j];
}

/* theta = (intercept, beta of the active features); eta of row i. */
static double eta_of(const revops_lr *m, const size_t *active, size_t k, const double *theta,
                     const double *x)
{
    double e = theta[0];
    for (size_t a = 1; a < k; a++)
        e += theta[a] * zval(m, x, active[a - 1]);
    return e;
}

static double objective(const revops_lr *m, const size_t *active, size_t k, const double *theta,
                        const double *x, const uint8_t *y, size_t n)
{
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        double e = eta_of(m, active, k, theta, m->p ? x + i * m->p : x);
        f += softplus(e) - (y[i] ? e : 0.0);
    }
    for (size_t a = 1; a < k; a++)
        f += 0.5 * m->l2 * theta[a] * theta[a];
    return f;
}

static int standardise(revops_lr *m, const double *x, size_t n)
{
    for (size_t j = 0; j < m->p; j++) {
        double sum = 0;
        size_t known = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m->p + j];
            if (!isnan(v)) {
                sum += v;
                known++;
            }
        }
        if (known == 0) {
            m->constant[j] = 1;
            m->mean[j] = NAN;
            m->sd[j] = NAN;
            continue;
        }
        double mean = sum / (double)known, ss = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m->p + j];
            if (!isnan(v))
                ss += (v - mean) * (v - mean);
        }
        m->mean[j] = mean;
        m->sd[j] = sqrt(ss / (double)known);
        if (!isfinite(mean) || !isfinite(m->sd[j]))
            return revops_error__set(REVOPS_EINVALID, "feature %zu has an infinite value", j);
        m->constant[j] = !(m->sd[j] > 1e-12 * (1.0 + fabs(mean)));
    }
    return 0;
}

int revops_lr__fit(revops_lr *m, const double *x, const uint8_t *y, size_t n, size_t p, double l2)
{
    memset(m, 0, sizeof(*m));
    if (!(l2 >= 0) || !isfinite(l2))
        return revops_error__set(REVOPS_EINVALID, "the L2 penalty must be at least 0");
    size_t n1 = 0;
    for (size_t i = 0; i < n; i++)
        n1 += y[i] != 0;
    if (n1 == 0 || n1 == n)
        return revops_error__set(REVOPS_EINVALID,
                                 "the training examples are all %s (%zu of them): a model needs "
                                 "both outcomes to learn from",
                                 n1 ? "positive" : "negative", n);
    m->p = p;
    m->l2 = l2;
    size_t pp = p ? p : 1;
    m->mean = calloc(pp, sizeof(*m->mean));
    m->sd = calloc(pp, sizeof(*m->sd));
    m->constant = calloc(pp, sizeof(*m->constant));
    m->beta = calloc(pp, sizeof(*m->beta));
    size_t *active = malloc(pp * sizeof(*active));
    double *theta = NULL, *trial = NULL, *h = NULL, *g = NULL, *z = NULL;
    int rc = 0;
    if (!m->mean || !m->sd || !m->constant || !m->beta || !active) {
        rc = revops_error__oom();
        goto done;
    }
    if ((rc = standardise(m, x, n)))
        goto done;
    size_t k = 1;
    for (size_t j = 0; j < p; j++)
        if (!m->constant[j])
            active[k++ - 1] = j;
    theta = calloc(k, sizeof(*theta));
    trial = calloc(k, sizeof(*trial));
    h = calloc(k * k, sizeof(*h));
    g = calloc(k, sizeof(*g));
    z = calloc(k, sizeof(*z));
    if (!theta || !trial || !h || !g || !z) {
        rc = revops_error__oom();
        goto done;
    }
    /* Start at the base rate: the intercept-only optimum. */
    theta[0] = log((double)n1 / (double)(n - n1));
    double f = objective(m, active, k, theta, x, y, n);
    for (m->iterations = 0; m->iterations < MAX_STEPS; m->iterations++) {
        memset(h, 0, k * k * sizeof(*h));
        memset(g, 0, k * sizeof(*g));
        for (size_t i = 0; i < n; i++) {
            const double *row = p ? x + i * p : x; /* no arithmetic on a NULL x */
            z[0] = 1.0;
            for (size_t a = 1; a < k; a++)
                z[a] = zval(m, row, active[a - 1]);
            double e = 0;
            for (size_t a = 0; a < k; a++)
                e += theta[a] * z[a];
            double pr = revops_eval__sigmoid(e);
            double w = pr * (1.0 - pr), r = pr - (y[i] ? 1.0 : 0.0);
            for (size_t a = 0; a < k; a++) {
                g[a] += r * z[a];
                double wz = w * z[a];
                for (size_t b = 0; b <= a; b++)
                    h[a * k + b] += wz * z[b];
            }
        }
        for (size_t a = 1; a < k; a++) {
            g[a] += l2 * theta[a];
            h[a * k + a] += l2;
        }
        if (cholesky(h, k)) {
            rc = revops_error__set(REVOPS_EINVALID,
                                   "logistic regression: the features are collinear and there is "
                                   "no penalty to settle them; give a penalty above 0");
            goto done;
        }
        cholesky_solve(h, k, g); /* g is now the Newton step */
        double step = 1.0, ftrial = f;
        int halvings = 0;
        for (; halvings < MAX_HALVINGS; halvings++, step *= 0.5) {
            for (size_t a = 0; a < k; a++)
                trial[a] = theta[a] - step * g[a];
            ftrial = objective(m, active, k, trial, x, y, n);
            if (ftrial <= f)
                break;
        }
        if (halvings == MAX_HALVINGS)
            break; /* no step lowers it: at the optimum to rounding */
        double change = 0;
        for (size_t a = 0; a < k; a++) {
            double d = fabs(trial[a] - theta[a]);
            change = d > change ? d : change;
            theta[a] = trial[a];
        }
        double gain = f - ftrial;
        f = ftrial;
        if (change < 1e-9 || gain <= 1e-12 * fabs(f)) {
            m->iterations++;
            break;
        }
    }
    m->objective = f;
    m->intercept = theta[0];
    for (size_t a = 1; a < k; a++)
        m->beta[active[a - 1]] = theta[a];
done:
    free(active);
    free(theta);
    free(trial);
    free(h);
    free(g);
    free(z);
    if (rc)
        revops_lr__free(m);
    return rc;
}

void revops_lr__free(revops_lr *m)
{
    free(m->mean);
    free(m->sd);
    free(m->constant);
    free(m->beta);
    memset(m, 0, sizeof(*m));
}

double revops_lr__logit(const revops_lr *m, const double *x, double *contrib)
{
    double logit = m->intercept;
    for (size_t j = 0; j < m->p; j++) {
        double c = m->beta[j] * zval(m, x, j);
        if (contrib)
            contrib[j] = c;
        logit += c;
    }
    return logit;
}
