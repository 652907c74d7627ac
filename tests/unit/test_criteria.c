/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The criteria language: evaluation on the hand-made leads and reps of
 * tests/fixtures/criteria (README.md there has the numbers), precedence, empty fields,
 * money in several currencies, and every kind of syntax and type error with its column,
 * plus hostile input (deep nesting, long text, invalid UTF-8, NUL bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_util.h"

#define FIXTURE REVOPS_SOURCE_DIR "/tests/fixtures/criteria"

static revops_dataset *ds;

static int load(void **state)
{
    (void)state;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    if (revops_dataset_load_csv(&ds, FIXTURE, &io, &r) != 0 || r.rejected != 0)
        return -1;
    revops_import_report_free(&r);
    return 0;
}

static int unload(void **state)
{
    (void)state;
    revops_dataset_free(ds);
    return 0;
}

static revops_time at(const char *text)
{
    revops_time t;
    if (revops_time_parse(&t, text, strlen(text)) != 0)
        abort();
    return t;
}

/* The rows of `entity` matching `text` as a string of 0 and 1 ("10010" for rows 0 and 3),
 * or "E" at a row whose evaluation failed. */
static void matches(const char *entity, const char *text, const char *now, char *out)
{
    revops_criteria *c;
    int rc = revops_criteria_compile(&c, entity, text, strlen(text), NULL);
    if (rc)
        fail_msg("'%s' does not compile: %s", text, revops_error_last()->message);
    revops_criteria_env env;
    assert_int_equal(revops_criteria_env_init(&env, ds, at(now), "RUB"), 0);
    size_t n = revops_dataset_rows(ds, revops_criteria_entity(c));
    for (size_t i = 0; i < n; i++) {
        rc = revops_criteria_eval(c, &env, i);
        out[i] = rc < 0 ? 'E' : (char)('0' + rc);
    }
    out[n] = '\0';
    revops_criteria_free(c);
}

#define NOW "2026-03-15T12:00:00Z"

static void expect(const char *entity, const char *text, const char *want)
{
    char got[64];
    matches(entity, text, NOW, got);
    if (strcmp(got, want) != 0)
        fail_msg("'%s': rows %s, expected %s", text, got, want);
}

/* Each expectation worked out by hand from the fixture (README.md); rows L-1 .. L-5. */
static void test_criteria_evaluates_leads(void **state)
{
    (void)state;
    /* Numbers: scores 72, 45.5, empty, 90, 30. */
    expect("lead", "score > 50", "10010");
    expect("lead", "score >= 45.5 and score <= 72", "11000");
    expect("lead", "score == 30", "00001");
    expect("lead", "score in (72, 90)", "10010");
    expect("lead", "-score < -50", "10010");
    /* Integers: employees 250, 40, empty, 1200, 80. */
    expect("lead", "employees >= 250", "10010");
    /* Strings and enums. */
    expect("lead", "industry in (\"ecommerce\", \"saas\")", "11000");
    expect("lead", "stage == \"mql\" or stage == 'sql'", "10010");
    expect("lead", "region != \"Moscow\"", "01011");
    expect("lead", "source < \"q\"", "00111"); /* byte order: paid_search, partner, events < q */
    /* Days since creation at 2026-03-15: 14, 33, 5, 69, 3. */
    expect("lead", "days_since(created_at) < 30", "10101");
    expect("lead", "days_since(created_at) == 69", "00010");
    /* L-3 was created 2026-03-10 08:00: 5 days and 4 hours before now. */
    expect("lead", "hours_since(created_at) == 124", "00100");
    expect("lead", "minutes_since(created_at) == 7440", "00100");
    expect("lead", "since(created_at) > 30d", "01010");
    expect("lead", "since(created_at) < 3d4h", "00001"); /* L-5: 3 days 2 hours */
    /* Dates and times. */
    expect("lead", "created_at >= 2026-03-01", "10101");
    expect("lead", "created_at < 2026-03-01T09:00:00Z", "01010");
    expect("lead", "created_at == 2026-03-01T12:00:00+03:00", "10000");
    /* Response times: 4 minutes, 24 hours, none, after now (so none yet), 30 minutes. */
    expect("lead", "between(created_at, first_response_at) <= 5m", "10000");
    expect("lead", "between(created_at, first_response_at) < 24h", "10001");
    expect("lead", "between(created_at, first_response_at) <= 1d", "11001");
    expect("lead", "is_empty(first_response_at)", "00110");
    /* Folding (ASCII and Cyrillic), substrings, length in characters. */
    expect("lead", "lower(company) == \"acme shop\"", "10000");
    expect("lead", "lower(company) == \"ёлка медиа\"", "00010");
    expect("lead", "upper(company) == \"ЁЛКА МЕДИА\"", "00010");
    expect("lead", "company == \"ёлка медиа\"", "00000");
    expect("lead", "contains(lower(company), \"shop\")", "10000");
    expect("lead", "starts_with(company, \"Init\")", "01000");
    expect("lead", "ends_with(lower(company), \"медиа\")", "00010");
    expect("lead", "length(company) == 10", "00010"); /* Ёлка Медиа: 4 + 1 + 5 */
    expect("lead", "length(company) == 9", "10000");  /* Acme Shop */
    expect("lead", "true", "11111");
    expect("lead", "false or not true", "00000");
}

static void test_criteria_precedence(void **state)
{
    (void)state;
    /* "and" binds tighter than "or": score > 50 or (saas and Moscow). L-4 (90, St Petersburg)
     * matches; with (score > 50 or saas) and Moscow it would not. */
    expect("lead", "score > 50 or industry == \"saas\" and region == \"Moscow\"", "10010");
    expect("lead", "(score > 50 or industry == \"saas\") and region == \"Moscow\"", "10000");
    /* "not" binds looser than a comparison and tighter than "and". */
    expect("lead", "not industry == \"media\"", "11101");
    expect("lead", "not score > 50 and region == \"Kazan\"", "01000");
    expect("lead", "not (score > 50 and region == \"Moscow\")", "01111");
    expect("lead", "not not score > 50", "10010");
    /* Short-circuit: the failing GBP comparison of L-5 is never reached. */
    expect("lead", "score > 50 and estimated_value > 1 RUB", "10010");
    expect("lead", "score < 40 or estimated_value > 1 RUB", "11011");
}

/* An empty field makes every comparison with it false, "!=" and "not in" included. L-3 has
 * no industry, score, employees, estimated_value or first response. */
static void test_criteria_empty_fields(void **state)
{
    (void)state;
    expect("lead", "industry != \"saas\"", "10011");
    expect("lead", "industry not in (\"saas\")", "10011");
    expect("lead", "not (industry == \"saas\")", "10111");
    expect("lead", "score != 1", "11011");
    expect("lead", "employees < 1000000", "11011");
    expect("lead", "is_empty(industry) and is_empty(score) and is_empty(estimated_value)", "00100");
    expect("lead", "lower(industry) != \"x\"", "11011");
    expect("lead", "days_since(mql_at) >= 0", "10010");
    /* Minus keeps an empty amount empty (found by the fuzzer: it negated the empty marker). */
    expect("lead", "-estimated_value < -1 RUB", "1101E");
    expect("lead", "-since(first_response_at) < -1h", "11001");
    expect("lead", "not is_empty(sql_at)", "00010");
    /* Reps: R-2 is not active and R-3's active is empty, which alone reads as false. */
    expect("rep", "active", "100");
    expect("rep", "not active", "011");
    expect("rep", "active == false", "010");
    expect("rep", "has(specializations, \"saas\")", "010");
    expect("rep", "has(specializations, \"SAAS\")", "000");
    expect("rep", "has(tiers, lower(\"SMB\"))", "011");
    expect("rep", "capacity > 50 or is_empty(capacity)", "101");
}

/* Money: same currency exactly; other currencies through the fixture's rates into RUB. */
static void test_criteria_money(void **state)
{
    (void)state;
    /* In RUB on 2026-03-15: 1,200,000; 15,000 USD x 88 = 1,320,000; empty; 9,000 EUR x 100 =
     * 900,000; GBP has no rate, so L-5 cannot be compared with RUB. */
    expect("lead", "estimated_value >= 1000000 RUB", "1100E");
    expect("lead", "estimated_value == 1200000 RUB", "1000E");
    expect("lead", "estimated_value == 1200000.00 RUB", "1000E");
    /* 14,000 USD = 1,232,000 RUB: only L-2 (15,000 USD) is above. */
    expect("lead", "estimated_value > 14000 USD", "0100E");
    /* GBP against GBP needs no rate. */
    expect("lead", "estimated_value < 5000.01 GBP", "EE0E1");
    expect("lead", "estimated_value > -1 RUB", "1101E");
    /* Before 2026-03-01 the USD rate is 90: 15,000 USD = 1,350,000 RUB. */
    char got[16];
    matches("lead", "estimated_value >= 1350000 RUB", "2026-02-15T00:00:00Z", got);
    assert_string_equal(got, "0100E");
    matches("lead", "estimated_value >= 1350000 RUB", NOW, got);
    assert_string_equal(got, "0000E");
    /* The error names the row and both currencies. */
    revops_criteria *c;
    const char *text = "estimated_value > 1 RUB";
    assert_int_equal(revops_criteria_compile(&c, "lead", text, strlen(text), NULL), 0);
    revops_criteria_env env;
    assert_int_equal(revops_criteria_env_init(&env, ds, at(NOW), "RUB"), 0);
    assert_int_equal(revops_criteria_eval(c, &env, 4), REVOPS_EINVALID);
    const char *msg = revops_error_last()->message;
    assert_non_null(strstr(msg, "L-5"));
    assert_non_null(strstr(msg, "GBP"));
    assert_non_null(strstr(msg, "RUB"));
    /* A row out of range is an error, not a read past the column. */
    assert_int_equal(revops_criteria_eval(c, &env, 5), REVOPS_EINVALID);
    revops_criteria_free(c);
}

/* Event times after "now" were not known then and read as empty; planned ones do not. */
static void test_criteria_point_in_time(void **state)
{
    (void)state;
    char got[16];
    /* L-4's first response is 2026-03-20 10:00. */
    matches("lead", "is_empty(first_response_at)", "2026-03-20T09:59:59Z", got);
    assert_string_equal(got, "00110");
    matches("lead", "is_empty(first_response_at)", "2026-03-20T10:00:00Z", got);
    assert_string_equal(got, "00100");
    /* L-1's mql_at (2026-03-02 10:00) is unknown on 2026-03-02 at 09:00. */
    matches("lead", "stage == \"mql\" and is_empty(mql_at)", "2026-03-02T09:00:00Z", got);
    assert_string_equal(got, "10000");
}

/* A compact program: "score > 50" is a load, a constant, a compare and the end. */
static void test_criteria_program_is_compact(void **state)
{
    (void)state;
    revops_criteria *c;
    const char *text = "score > 50";
    assert_int_equal(revops_criteria_compile(&c, "lead", text, strlen(text), NULL), 0);
    assert_int_equal(revops_criteria_size(c), 4);
    assert_int_equal(revops_criteria_entity(c), (size_t)revops_entity_find("lead", 4));
    revops_criteria_free(c);
    text = "industry in (\"a\", \"b\", \"c\", \"d\") and score > 1 and score < 99";
    assert_int_equal(revops_criteria_compile(&c, "lead", text, strlen(text), NULL), 0);
    /* in: load + one instruction; and: one jump each; two compares of three; end. */
    assert_int_equal(revops_criteria_size(c), 2 + 1 + 3 + 1 + 3 + 1);
    revops_criteria_free(c);
}

typedef struct bad_case {
    const char *entity;
    const char *text;
    int code;
    long line, column;
    const char *says;
} bad_case;

static void expect_errors(const bad_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const bad_case *b = &cases[i];
        revops_criteria *c = NULL;
        int rc = revops_criteria_compile(&c, b->entity, b->text, strlen(b->text), NULL);
        const revops_error *e = revops_error_last();
        if (rc != b->code || e->line != b->line || e->column != b->column ||
            !strstr(e->message, b->says))
            fail_msg("'%s': got %d at %ld:%ld '%s'; expected %d at %ld:%ld '%s'", b->text, rc,
                     e->line, e->column, e->message, b->code, b->line, b->column, b->says);
        assert_null(c);
    }
}

static void test_criteria_syntax_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"lead", "", REVOPS_EINVALID, 1, 1, "empty criteria"},
        {"lead", "   ", REVOPS_EINVALID, 1, 1, "empty criteria"},
        {"lead", "score >", REVOPS_EINVALID, 1, 8, "expected a value"},
        {"lead", "score > 50 and", REVOPS_EINVALID, 1, 15, "found the end"},
        {"lead", "score > 50 and (industry == \"x\" or", REVOPS_EINVALID, 1, 35,
         "expected a value"},
        {"lead", "(score > 50", REVOPS_EINVALID, 1, 12,
         "expected ')' to close the '(' at column 1"},
        {"lead", "score > 50)", REVOPS_EINVALID, 1, 11, "expected 'and', 'or'"},
        {"lead", "score 50", REVOPS_EINVALID, 1, 7, "found '50'"},
        {"lead", "score = 50", REVOPS_EINVALID, 1, 7, "compare with '=='"},
        {"lead", "score > 1 && score < 9", REVOPS_EINVALID, 1, 11, "write 'and'"},
        {"lead", "score > 1 || score < 9", REVOPS_EINVALID, 1, 11, "write 'or'"},
        {"lead", "!active", REVOPS_EINVALID, 1, 1, "write 'not'"},
        {"lead", "score <> 1", REVOPS_EINVALID, 1, 7, "write '!='"},
        {"lead", "score > 1 < 2", REVOPS_EINVALID, 1, 11, "do not chain"},
        {"lead", "industry == \"saas", REVOPS_EINVALID, 1, 13, "unterminated string"},
        {"lead", "industry == \"a\\qb\"", REVOPS_EINVALID, 1, 15, "unknown escape"},
        {"lead", "score > 5x", REVOPS_EINVALID, 1, 10, "unknown unit 'x'"},
        {"lead", "since(created_at) > 5min", REVOPS_EINVALID, 1, 22, "unknown unit 'min'"},
        {"lead", "since(created_at) > 1h30", REVOPS_EINVALID, 1, 25, "expected a unit"},
        {"lead", "since(created_at) > 1.5h", REVOPS_EINVALID, 1, 24, "after a number"},
        {"lead", "created_at > 2026-13-01", REVOPS_EINVALID, 1, 14, "expected a date"},
        {"lead", "estimated_value > 5 XYZ", REVOPS_EINVALID, 1, 21, "unknown currency 'XYZ'"},
        {"lead", "estimated_value > 5.001 RUB", REVOPS_EINVALID, 1, 19, "amount in RUB"},
        {"lead", "industry in ()", REVOPS_EINVALID, 1, 13, "empty list"},
        {"lead", "industry in \"a\"", REVOPS_EINVALID, 1, 13, "expected '('"},
        {"lead", "industry in (\"a\" \"b\")", REVOPS_EINVALID, 1, 18, "expected ',' or ')'"},
        {"lead", "score > 1 $", REVOPS_EINVALID, 1, 11, "unexpected character '$'"},
        {"lead", "score > 1 and § < 2", REVOPS_EINVALID, 1, 15, "unexpected character '§'"},
        {"lead", "scroe > 5", REVOPS_EINVALID, 1, 1, "did you mean 'score'"},
        {"lead", "zzzzzz > 5", REVOPS_EINVALID, 1, 1, "expected one of id, created_at"},
        {"lead", "days_snice(created_at) > 5", REVOPS_EINVALID, 1, 1, "unknown function"},
        {"lead", "days_since(created_at, mql_at) > 5", REVOPS_EINVALID, 1, 11, "takes 1 argument"},
        {"lead", "between(created_at) > 5m", REVOPS_EINVALID, 1, 8, "takes 2 arguments"},
        {"lead", "lower(company == \"x\"", REVOPS_EINVALID, 1, 21, "to close the call"},
        {"nothing", "score > 5", REVOPS_EINVALID, 0, 0, "no entity 'nothing'"},
        /* Lines and columns count characters, across lines. */
        {"lead", "score > 50\n  and ёж > 1", REVOPS_EINVALID, 2, 7, "unexpected character 'ё'"},
        {"lead", "company == \"Ёлка\" and\n\tscore >> 1", REVOPS_EINVALID, 2, 9,
         "expected a value"},
    };
    expect_errors(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_criteria_type_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"lead", "score", REVOPS_EINVALID, 1, 1, "must be a condition"},
        {"lead", "score + 1 > 2", REVOPS_EINVALID, 1, 7, "unexpected character '+'"},
        {"lead", "estimated_value > 1000", REVOPS_EINVALID, 1, 17, "write an amount with its"},
        {"lead", "created_at > \"2026-01-01\"", REVOPS_EINVALID, 1, 12, "without quotes"},
        {"lead", "since(created_at) > 30", REVOPS_EINVALID, 1, 19, "with its unit"},
        {"lead", "created_at > 30", REVOPS_EINVALID, 1, 12, "days_since(field)"},
        {"lead", "industry > 5", REVOPS_EINVALID, 1, 10, "cannot compare a string with a number"},
        {"lead", "stage == \"mqll\"", REVOPS_EINVALID, 1, 10, "'mqll' is not one of them"},
        {"lead", "stage in (\"mql\", \"won\")", REVOPS_EINVALID, 1, 18, "lead.stage is one of"},
        {"opportunity", "stage == \"closed\"", REVOPS_EINVALID, 1, 10, "qualification, discovery"},
        {"lead", "industry == \"\"", REVOPS_EINVALID, 1, 13, "is_empty(industry)"},
        {"lead", "industry in (\"a\", \"\")", REVOPS_EINVALID, 1, 19, "is_empty"},
        {"lead", "score > 1 and industry", REVOPS_EINVALID, 1, 15, "'and' expects a condition"},
        {"lead", "score or true", REVOPS_EINVALID, 1, 1, "'or' expects a condition"},
        {"lead", "not score", REVOPS_EINVALID, 1, 5, "'not' expects a condition"},
        {"lead", "true > false", REVOPS_EINVALID, 1, 6, "only with '==' or '!='"},
        {"lead", "-industry == \"x\"", REVOPS_EINVALID, 1, 1, "'-' applies to"},
        {"lead", "days_since(industry) > 1", REVOPS_EINVALID, 1, 12, "takes a date or time"},
        {"lead", "lower(score) == \"x\"", REVOPS_EINVALID, 1, 7, "takes a string, not a number"},
        {"rep", "specializations == \"saas\"", REVOPS_EINVALID, 1, 17, "use has(specializations"},
        {"rep", "specializations in (\"saas\")", REVOPS_EINVALID, 1, 1, "use has(list"},
        {"rep", "has(region, \"x\")", REVOPS_EINVALID, 1, 5, "takes a list field and a string"},
        {"lead", "score in (1, \"a\")", REVOPS_EINVALID, 1, 14, "holds a string"},
        {"lead", "score in (1, score)", REVOPS_EINVALID, 1, 14, "values written out"},
        {"lead", "estimated_value in (1 RUB, 2)", REVOPS_EINVALID, 1, 28, "holds a number"},
    };
    expect_errors(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Builds "(((...x...)))" with `depth` parentheses; the caller frees it. */
static char *nested(const char *open, const char *inner, const char *close, size_t depth)
{
    size_t n = depth * (strlen(open) + strlen(close)) + strlen(inner) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    char *p = s;
    for (size_t i = 0; i < depth; i++, p += strlen(open))
        memcpy(p, open, strlen(open));
    memcpy(p, inner, strlen(inner));
    p += strlen(inner);
    for (size_t i = 0; i < depth; i++, p += strlen(close))
        memcpy(p, close, strlen(close));
    *p = '\0';
    return s;
}

static int compile(const char *entity, const char *text, size_t len, revops_criteria **out)
{
    *out = NULL;
    return revops_criteria_compile(out, entity, text, len, NULL);
}

static void test_criteria_hostile_input(void **state)
{
    (void)state;
    revops_criteria *c;
    /* REVOPS_CRITERIA_MAX_DEPTH levels are fine; one more is refused at its parenthesis. */
    char *s = nested("(", "score > 50", ")", REVOPS_CRITERIA_MAX_DEPTH);
    assert_int_equal(compile("lead", s, strlen(s), &c), 0);
    revops_criteria_env env;
    assert_int_equal(revops_criteria_env_init(&env, ds, at(NOW), "RUB"), 0);
    assert_int_equal(revops_criteria_eval(c, &env, 0), 1);
    revops_criteria_free(c);
    free(s);
    s = nested("(", "score > 50", ")", REVOPS_CRITERIA_MAX_DEPTH + 1);
    assert_int_equal(compile("lead", s, strlen(s), &c), REVOPS_ETOOBIG);
    assert_int_equal(revops_error_last()->column, REVOPS_CRITERIA_MAX_DEPTH + 1);
    assert_non_null(strstr(revops_error_last()->message, "nesting deeper than 64"));
    free(s);
    /* A million parentheses, nots, minuses and calls: refused, never a stack overflow. */
    const char *kinds[][3] = {{"(", "true", ")"},
                              {"not ", "true", ""},
                              {"-", "score > 1", ""},
                              {"lower(", "company", ") == \"x\""}};
    for (size_t k = 0; k < 4; k++) {
        s = nested(kinds[k][0], kinds[k][1], "", 1000000 / strlen(kinds[k][0]));
        assert_int_equal(compile("lead", s, strlen(s), &c), REVOPS_ETOOBIG);
        free(s);
        s = nested(kinds[k][0], kinds[k][1], kinds[k][2], 2000);
        assert_int_equal(compile("lead", s, strlen(s), &c), REVOPS_ETOOBIG);
        assert_non_null(strstr(revops_error_last()->message, "nesting deeper"));
        free(s);
    }
    /* A long flat chain costs no depth: 3,000 terms of "or" evaluate like one. */
    size_t terms = 3000, cap = terms * 20 + 1;
    s = malloc(cap);
    assert_non_null(s);
    size_t len = 0;
    for (size_t i = 0; i < terms; i++)
        len += (size_t)snprintf(s + len, cap - len, "%sscore == %d", i ? " or " : "", (int)i);
    assert_true(len < REVOPS_CRITERIA_MAX_LEN);
    assert_int_equal(compile("lead", s, len, &c), 0);
    /* L-1's score 72 is among 0..2999; L-2's 45.5 is not. */
    assert_int_equal(revops_criteria_eval(c, &env, 0), 1);
    assert_int_equal(revops_criteria_eval(c, &env, 1), 0);
    revops_criteria_free(c);
    free(s);
    /* Longer than the limit: refused before any work. */
    s = malloc(REVOPS_CRITERIA_MAX_LEN + 2);
    assert_non_null(s);
    memset(s, ' ', REVOPS_CRITERIA_MAX_LEN + 1);
    memcpy(s, "true", 4);
    assert_int_equal(compile("lead", s, REVOPS_CRITERIA_MAX_LEN + 1, &c), REVOPS_ETOOBIG);
    assert_non_null(strstr(revops_error_last()->message, "limit"));
    assert_int_equal(compile("lead", s, REVOPS_CRITERIA_MAX_LEN, &c), 0);
    revops_criteria_free(c);
    free(s);
    /* Invalid UTF-8 and NUL bytes, at their columns (characters before them + 1). */
    static const char bad_utf8[] = "company == \"Ёл\xff\"";
    assert_int_equal(compile("lead", bad_utf8, sizeof(bad_utf8) - 1, &c), REVOPS_EINVALID);
    assert_int_equal(revops_error_last()->column, 15);
    assert_non_null(strstr(revops_error_last()->message, "invalid UTF-8"));
    static const char overlong[] = "company == \"\xc0\xaf\"";
    assert_int_equal(compile("lead", overlong, sizeof(overlong) - 1, &c), REVOPS_EINVALID);
    assert_int_equal(revops_error_last()->column, 13);
    static const char nul[] = "score > 1\0 or true";
    assert_int_equal(compile("lead", nul, sizeof(nul) - 1, &c), REVOPS_EINVALID);
    assert_int_equal(revops_error_last()->column, 10);
    assert_non_null(strstr(revops_error_last()->message, "NUL byte"));
    /* Text that is not NUL-terminated is read only up to its length. */
    static const char prefix[] = "score > 50garbage";
    assert_int_equal(compile("lead", prefix, 10, &c), 0);
    revops_criteria_free(c);
    /* A huge number, a huge duration. */
    assert_int_equal(compile("lead", "since(created_at) > 99999999999999999999d", 41, &c),
                     REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "duration too long"));
    assert_int_equal(compile("lead", "score > 1e5", 11, &c), REVOPS_EINVALID);
}

/* The error table of docs/criteria.md is what the compiler says: each example, compiled on
 * leads (on reps when it names a rep field), gives the message the table shows. */
static void test_criteria_doc_errors_are_real(void **state)
{
    (void)state;
    char *doc = test_read(REVOPS_SOURCE_DIR "/docs/criteria.md");
    assert_non_null(doc);
    const char *p = strstr(doc, "\n## Errors");
    const char *end = p ? strstr(p + 1, "\n## ") : NULL;
    assert_non_null(p);
    size_t rows = 0;
    while ((p = strstr(p + 1, "\n| ")) && p < end) {
        /* | kind | `criteria` | message | */
        const char *a = strchr(p + 3, '|');
        const char *t1 = a ? strchr(a, '`') : NULL;
        const char *t2 = t1 ? strchr(t1 + 1, '`') : NULL;
        const char *m1 = t2 ? strchr(t2, '|') : NULL;
        const char *m2 = m1 ? strchr(m1 + 1, '\n') : NULL;
        if (!t2 || !m1 || !m2 || t2 > m2)
            continue; /* the header and the rule */
        char text[128], msg[256];
        snprintf(text, sizeof(text), "%.*s", (int)(t2 - t1 - 1), t1 + 1);
        snprintf(msg, sizeof(msg), "%.*s", (int)(m2 - m1 - 4), m1 + 2);
        /* "..." stands for the rest of a long message. */
        if (strlen(msg) > 3 && strcmp(msg + strlen(msg) - 3, "...") == 0)
            msg[strlen(msg) - 3] = '\0';
        revops_criteria *c = NULL;
        const char *entity = strstr(text, "specializations") ? "rep" : "lead";
        assert_int_not_equal(revops_criteria_compile(&c, entity, text, strlen(text), NULL), 0);
        if (!strstr(revops_error_last()->message, msg))
            fail_msg("docs/criteria.md: '%s' gives '%s', not '%s'", text,
                     revops_error_last()->message, msg);
        rows++;
    }
    assert_int_equal(rows, 12);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_criteria_evaluates_leads),
        cmocka_unit_test(test_criteria_precedence),
        cmocka_unit_test(test_criteria_empty_fields),
        cmocka_unit_test(test_criteria_money),
        cmocka_unit_test(test_criteria_point_in_time),
        cmocka_unit_test(test_criteria_program_is_compact),
        cmocka_unit_test(test_criteria_syntax_errors),
        cmocka_unit_test(test_criteria_type_errors),
        cmocka_unit_test(test_criteria_hostile_input),
        cmocka_unit_test(test_criteria_doc_errors_are_real),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
