/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Transparent huge pages for the big arrays of a dataset and its indexes. A 4 KiB page
 * covers 512 slots of a hash table, so with tens of millions of strings nearly every probe
 * also misses the TLB and walks the page tables; a 2 MiB page covers a whole part of a
 * pool's table. Filling a new array also faults 512 times less often. Linux only, and only a
 * hint: without it, or when the kernel says no, nothing changes but the speed.
 */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */

#include "core/buf.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)

void revops_mem__huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    /* Worth it from two huge pages on; the advice covers the whole pages inside the block. */
    if (!p || bytes < 2 * HUGE_PAGE)
        return;
    uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(HUGE_PAGE - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void revops_mem__drop(const void *p, size_t bytes)
{
#ifdef MADV_DONTNEED
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || !p)
        return;
    uintptr_t mask = (uintptr_t)page - 1;
    uintptr_t start = ((uintptr_t)p + mask) & ~mask;
    uintptr_t end = ((uintptr_t)p + bytes) & ~mask;
    if (end > start)
        madvise((void *)start, end - start, MADV_DONTNEED);
#else
    (void)p;
    (void)bytes;
#endif
}
