/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the configuration loader: the input is read as revops.yaml. Nothing
 * may crash, leak or overflow the stack; an error has a line; a file that loads writes out
 * as text that loads again to a configuration writing the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revops/revops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *written(const revops_config *c, size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    if (!fp || revops_config_write(c, fp) != 0)
        abort();
    fclose(fp);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    revops_config *c = NULL;
    if (revops_config_load_string(&c, (const char *)data, size, "fuzz.yaml", NULL) != 0) {
        if (c || !revops_error_last()->message[0])
            abort();
        return 0;
    }
    size_t n1, n2;
    char *t1 = written(c, &n1);
    revops_config *back = NULL;
    if (revops_config_load_string(&back, t1, n1, "back.yaml", NULL) != 0)
        abort();
    char *t2 = written(back, &n2);
    if (n1 != n2 || memcmp(t1, t2, n1) != 0)
        abort();
    free(t1);
    free(t2);
    revops_config_free(back);
    revops_config_free(c);
    return 0;
}
