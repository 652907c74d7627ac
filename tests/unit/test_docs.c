/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user docs describe the code: every entity and field of the schema appears in
 * docs/data-model.md with its type and whether it is required, and nothing more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_util.h"

static void test_data_model_doc_matches_the_schema(void **state)
{
    (void)state;
    char *doc = test_read(REVOPS_SOURCE_DIR "/docs/data-model.md");
    assert_non_null(doc);
    size_t documented_fields = 0;
    for (const char *p = strstr(doc, "\n## Entities"); p && (p = strstr(p, "\n| ")); p++)
        if (strncmp(p, "\n| field |", 10) != 0 && strncmp(p, "\n|---", 5) != 0)
            documented_fields++;
    size_t schema_fields = 0;
    for (size_t e = 0; e < revops_entity_count(); e++) {
        const revops_entity_def *def = revops_entity_at(e);
        char heading[96];
        snprintf(heading, sizeof(heading), "\n### %s\n", def->name);
        const char *section = strstr(doc, heading);
        if (!section)
            fail_msg("docs/data-model.md has no section for %s", def->name);
        const char *end = strstr(section + 1, "\n### ");
        for (size_t f = 0; f < def->nfields; f++) {
            const revops_field_def *fd = &def->fields[f];
            char row[160];
            snprintf(row, sizeof(row), "\n| %s | %s | %s |", fd->name,
                     revops_field_type_name(fd->type),
                     (fd->flags & REVOPS_FIELD_REQUIRED) ? "yes" : "");
            const char *hit = strstr(section, row);
            if (!hit || (end && hit > end))
                fail_msg("docs/data-model.md: %s lacks the row '%s'", def->name, row + 1);
            schema_fields++;
        }
    }
    assert_int_equal(documented_fields, schema_fields);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_model_doc_matches_the_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
