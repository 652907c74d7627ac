/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Monte Carlo simulation of the open deals of a period: per run, each deal books its
 * amount with its probability, independently. The runs are cut into blocks of LANES runs;
 * a block draws from its own generators, seeded from (seed, block number) alone, and writes
 * its own slots of the result, so any number of threads, taking blocks in any order, gives
 * the same totals. Each 64-bit output of xoshiro256+ gives two 32-bit uniforms, compared
 * against the deal's probability scaled to 2^32.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytics/forecast.h"
#include "core/error.h"

#define LANES 8 /* runs per block: four generators, two draws each */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

typedef struct job {
    const revops_fc_sim *s;
    const uint64_t *threshold; /* per deal: probability x 2^32 */
    int64_t *totals;
    uint64_t blocks, first, stride;
} job;

static void run_block(const job *jb, uint64_t block)
{
    const revops_fc_sim *s = jb->s;
    /* Four xoshiro256+ generators, side by side so that the compiler can keep them in vector
     * registers; each is seeded by splitmix64 from the seed and the block. */
    uint64_t st[4][4];
    uint64_t sm = s->seed ^ (block * 0xd1b54a32d192ed03ULL);
    for (int g = 0; g < 4; g++)
        for (int w = 0; w < 4; w++)
            st[w][g] = splitmix64(&sm);
    int64_t sum[LANES] = {0};
    for (size_t i = 0; i < s->n; i++) {
        uint64_t out[4];
        for (int g = 0; g < 4; g++) {
            out[g] = st[0][g] + st[3][g];
            uint64_t t = st[1][g] << 17;
            st[2][g] ^= st[0][g];
            st[3][g] ^= st[1][g];
            st[1][g] ^= st[2][g];
            st[0][g] ^= st[3][g];
            st[2][g] ^= t;
            st[3][g] = rotl(st[3][g], 45);
        }
        uint64_t thr = jb->threshold[i];
        int64_t amount = s->amount[i];
        for (int g = 0; g < 4; g++) {
            /* Both 32-bit halves serve as uniforms: the weak lowest bits of xoshiro256+ only
             * decide a comparison with the threshold at the 2^-29 level. */
            uint64_t hi = out[g] >> 32, lo = out[g] & 0xffffffffULL;
            sum[2 * g] += amount & -(int64_t)(hi < thr);
            sum[2 * g + 1] += amount & -(int64_t)(lo < thr);
        }
    }
    uint64_t base = block * LANES;
    for (int l = 0; l < LANES; l++)
        if (base + (uint64_t)l < s->runs)
            jb->totals[base + (uint64_t)l] = s->base + sum[l];
}

static void *worker(void *arg)
{
    const job *jb = arg;
    for (uint64_t b = jb->first; b < jb->blocks; b += jb->stride)
        run_block(jb, b);
    return NULL;
}

int revops_fc__simulate(const revops_fc_sim *s, int64_t *totals)
{
    if (s->runs == 0)
        return 0;
    uint64_t *threshold = malloc((s->n ? s->n : 1) * sizeof(*threshold));
    if (!threshold)
        return revops_error__oom();
    for (size_t i = 0; i < s->n; i++) {
        double p = s->prob[i];
        p = p < 0 ? 0 : p > 1 ? 1 : p;
        threshold[i] = (uint64_t)(p * 4294967296.0);
    }
    int threads = s->threads;
    if (threads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (int)cores : 1;
    }
    if (threads > 64)
        threads = 64;
    uint64_t blocks = (s->runs + LANES - 1) / LANES;
    if ((uint64_t)threads > blocks)
        threads = (int)blocks;
    job jobs[64];
    pthread_t tid[64];
    int started = 0, rc = 0;
    for (int t = 0; t < threads; t++)
        jobs[t] = (job){s, threshold, totals, blocks, (uint64_t)t, (uint64_t)threads};
    /* The calling thread takes the first share; the others run beside it. */
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, worker, &jobs[t]) != 0)
            break;
        started = t;
    }
    /* Shares whose thread could not start are run here, so the result is complete. */
    worker(&jobs[0]);
    for (int t = started + 1; t < threads; t++)
        worker(&jobs[t]);
    for (int t = 1; t <= started; t++)
        if (pthread_join(tid[t], NULL) != 0 && !rc)
            rc = revops_error__set(REVOPS_EINTERNAL, "a simulation thread could not be joined");
    free(threshold);
    return rc;
}
