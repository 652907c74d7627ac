/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Naive Bayes over categorical fields, the frequency model open-source CRMs score with: per
 * field and value, how many positives and negatives had it, smoothed with a small prior.
 * Each field's evidence is a log-likelihood ratio, and the fields are taken as independent
 * given the class, so the logit is the prior log odds plus the ratios.
 *
 * Decisions a reader cannot see from the code:
 * - The empty value is a value like any other ("no industry" may say something).
 * - V, the number of values a field's prior spreads over, is the number of distinct values of
 *   the field in training; a value first seen at scoring time gives a ratio of 0 rather than
 *   the prior's ratio of two small numbers, so an unseen value pushes neither way.
 * - The base is the plain log odds of the training labels, ln(n1 / n0): the prior smooths
 *   the per-value counts, not the class balance.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "scoring/learn.h"

static size_t slot_of(const revops_nb_field *f, uint32_t key)
{
    size_t i = (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ULL) >> 32) & f->mask;
    while (f->keys[i] != REVOPS_NB_NO_KEY && f->keys[i] != key)
        i = (i + 1) & f->mask;
    return i;
}

static int field_init(revops_nb_field *f, size_t slots)
{
    f->mask = slots - 1;
    f->keys = malloc(slots * sizeof(*f->keys));
    f->n1 = calloc(slots, sizeof(*f->n1));
    f->n0 = calloc(slots, sizeof(*f->n0));
    f->llr = calloc(slots, sizeof(*f->llr));
    if (!f->keys || !f->n1 || !f->n0 || !f->llr)
        return revops_error__oom();
    for (size_t i = 0; i < slots; i++)
        f->keys[i] = REVOPS_NB_NO_KEY;
    return 0;
}

static void field_free(revops_nb_field *f)
{
    free(f->keys);
    free(f->n1);
    free(f->n0);
    free(f->llr);
    memset(f, 0, sizeof(*f));
}

/* Doubles a field's table (kept at most half full). */
static int field_grow(revops_nb_field *f)
{
    revops_nb_field bigger = {0};
    size_t slots = (f->mask + 1) * 2;
    int rc = field_init(&bigger, slots);
    if (rc) {
        field_free(&bigger);
        return rc;
    }
    for (size_t i = 0; i <= f->mask; i++) {
        if (f->keys[i] == REVOPS_NB_NO_KEY)
            continue;
        size_t j = slot_of(&bigger, f->keys[i]);
        bigger.keys[j] = f->keys[i];
        bigger.n1[j] = f->n1[i];
        bigger.n0[j] = f->n0[i];
    }
    bigger.nvalues = f->nvalues;
    field_free(f);
    *f = bigger;
    return 0;
}

int revops_nb__fit(revops_nb *m, const uint32_t *x, const uint8_t *y, size_t n, size_t q,
                   double alpha)
{
    memset(m, 0, sizeof(*m));
    if (!(alpha >= 0) || !isfinite(alpha))
        return revops_error__set(REVOPS_EINVALID, "the naive Bayes prior must be at least 0");
    for (size_t i = 0; i < n; i++) {
        if (y[i])
            m->n1++;
        else
            m->n0++;
    }
    if (m->n1 == 0 || m->n0 == 0)
        return revops_error__set(REVOPS_EINVALID,
                                 "the training examples are all %s (%zu of them): a model needs "
                                 "both outcomes to learn from",
                                 m->n1 ? "positive" : "negative", n);
    m->q = q;
    m->alpha = alpha;
    m->base = log((double)m->n1 / (double)m->n0);
    m->fields = calloc(q ? q : 1, sizeof(*m->fields));
    if (!m->fields)
        return revops_error__oom();
    int rc = 0;
    for (size_t f = 0; f < q && !rc; f++)
        rc = field_init(&m->fields[f], 16);
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t f = 0; f < q && !rc; f++) {
            revops_nb_field *fd = &m->fields[f];
            uint32_t key = x[i * q + f];
            if (key == REVOPS_NB_NO_KEY) {
                rc = revops_error__set(REVOPS_EINTERNAL, "naive Bayes: a reserved category key");
                break;
            }
            size_t s = slot_of(fd, key);
            if (fd->keys[s] == REVOPS_NB_NO_KEY) {
                if (2 * (fd->nvalues + 1) > fd->mask + 1) {
                    if ((rc = field_grow(fd)))
                        break;
                    s = slot_of(fd, key);
                }
                fd->keys[s] = key;
                fd->nvalues++;
            }
            if (y[i])
                fd->n1[s]++;
            else
                fd->n0[s]++;
        }
    }
    for (size_t f = 0; f < q && !rc; f++) {
        revops_nb_field *fd = &m->fields[f];
        double v = (double)fd->nvalues;
        double d1 = (double)m->n1 + alpha * v, d0 = (double)m->n0 + alpha * v;
        for (size_t s = 0; s <= fd->mask; s++) {
            if (fd->keys[s] == REVOPS_NB_NO_KEY)
                continue;
            double c1 = (double)fd->n1[s] + alpha, c0 = (double)fd->n0[s] + alpha;
            /* With alpha = 0 a value seen with one class only has an infinite ratio: it is
             * kept (the caller asked for no smoothing) and the logit says so. */
            fd->llr[s] = log(c1 / d1) - log(c0 / d0);
        }
    }
    if (rc)
        revops_nb__free(m);
    return rc;
}

void revops_nb__free(revops_nb *m)
{
    if (m->fields)
        for (size_t f = 0; f < m->q; f++)
            field_free(&m->fields[f]);
    free(m->fields);
    memset(m, 0, sizeof(*m));
}

double revops_nb__llr(const revops_nb *m, size_t f, uint32_t v)
{
    const revops_nb_field *fd = &m->fields[f];
    size_t s = slot_of(fd, v);
    return fd->keys[s] == REVOPS_NB_NO_KEY ? 0.0 : fd->llr[s];
}

void revops_nb__counts(const revops_nb *m, size_t f, uint32_t v, uint64_t *n1, uint64_t *n0)
{
    const revops_nb_field *fd = &m->fields[f];
    size_t s = slot_of(fd, v);
    int seen = fd->keys[s] != REVOPS_NB_NO_KEY;
    *n1 = seen ? fd->n1[s] : 0;
    *n0 = seen ? fd->n0[s] : 0;
}

double revops_nb__logit(const revops_nb *m, const uint32_t *x, double *contrib)
{
    double logit = m->base;
    for (size_t f = 0; f < m->q; f++) {
        double c = revops_nb__llr(m, f, x[f]);
        if (contrib)
            contrib[f] = c;
        logit += c;
    }
    return logit;
}
