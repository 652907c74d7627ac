/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The criteria lexer: source text to tokens. Numbers, durations (24h, 1h30m), dates and
 * times (2026-03-01, 2026-03-01T14:05:00Z), strings in double or single quotes, names,
 * keywords (and, or, not, in, true, false: in any case) and operators. A few spellings from
 * other languages (=, &&, ||, !, <>) are refused with the right one named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "criteria/criteria_internal.h"
#include "revops/date.h"

const char *crit__tok_name(int kind)
{
    static const char *const names[] = {
        "the end", "a number", "a duration", "a date", "a string", "a name",  "'('",  "')'",
        "','",     "'=='",     "'!='",       "'<'",    "'<='",     "'>'",     "'>='", "'-'",
        "'and'",   "'or'",     "'not'",      "'in'",   "'true'",   "'false'",
    };
    return kind >= 0 && (size_t)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

void crit__lexed_free(crit_lexed *lx)
{
    free(lx->tokens);
    free(lx->strings);
    memset(lx, 0, sizeof(*lx));
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int push(crit_lexed *lx, size_t *cap, const crit_token *t)
{
    if (lx->ntokens == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        crit_token *n = realloc(lx->tokens, ncap * sizeof(*n));
        if (!n)
            return revops_error__oom();
        lx->tokens = n;
        *cap = ncap;
    }
    lx->tokens[lx->ntokens++] = *t;
    return 0;
}

static int keyword(const char *s, size_t n)
{
    static const struct {
        const char *word;
        int kind;
    } words[] = {{"and", TK_AND}, {"or", TK_OR},     {"not", TK_NOT},
                 {"in", TK_IN},   {"true", TK_TRUE}, {"false", TK_FALSE}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strlen(words[i].word) != n)
            continue;
        size_t k = 0;
        while (k < n && (s[k] | 0x20) == words[i].word[k])
            k++;
        if (k == n)
            return words[i].kind;
    }
    return TK_IDENT;
}

static int64_t unit_seconds(char u)
{
    switch (u) {
    case 's':
        return 1;
    case 'm':
        return 60;
    case 'h':
        return 3600;
    case 'd':
        return 86400;
    case 'w':
        return 7 * 86400;
    default:
        return 0;
    }
}

/* A date or time: "2026-03-01", "2026-03-01T14:05", "2026-03-01T14:05:00+03:00". */
static int lex_time(const crit_src *src, size_t *pos, crit_token *t)
{
    const char *s = src->text;
    size_t p = *pos;
    while (p < src->len && (is_digit(s[p]) || s[p] == '-' || s[p] == ':' || s[p] == 'T' ||
                            s[p] == 'Z' || s[p] == '+' || s[p] == '.'))
        p++;
    revops_time v;
    if (revops_time_parse(&v, s + *pos, p - *pos) != 0)
        return crit__error(src, *pos, REVOPS_EINVALID,
                           "expected a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM[:SS][Z], found "
                           "'%.*s'",
                           (int)(p - *pos), s + *pos);
    t->kind = TK_TIME;
    t->i = v;
    t->len = (uint32_t)(p - *pos);
    *pos = p;
    return 0;
}

/* A number, or a duration when a unit follows its digits: "30d", "1h30m". */
static int lex_number(const crit_src *src, size_t *pos, crit_token *t)
{
    const char *s = src->text;
    size_t p = *pos;
    while (p < src->len && is_digit(s[p]))
        p++;
    if (p < src->len && is_alpha(s[p])) {
        int64_t total = 0;
        size_t q = *pos;
        for (;;) {
            int64_t n = 0;
            size_t digits = q;
            while (q < src->len && is_digit(s[q])) {
                if (n > (INT64_MAX - 9) / 10)
                    return crit__error(src, *pos, REVOPS_EINVALID, "duration too long");
                n = n * 10 + (s[q] - '0');
                q++;
            }

            if (q >= src->len || !is_alpha(s[q]))
                return crit__error(src, q, REVOPS_EINVALID,
                                   "expected a unit (s, m, h, d or w) after '%.*s' in a duration",
                                   (int)(q - digits), s + digits);
            int64_t unit = unit_seconds(s[q]);
            if (!unit || (q + 1 < src->len && is_alpha(s[q + 1]))) {
                size_t e = q;
                while (e < src->len && (is_alpha(s[e]) || is_digit(s[e])))
                    e++;
                return crit__error(src, q, REVOPS_EINVALID,
                                   "unknown unit '%.*s' after a number: a duration takes s, m, "
                                   "h, d or w (24h, 30d, 1h30m)",
                                   (int)(e - q), s + q);
            }
            /* A limit of about 30,000 years keeps every later sum far from overflow. */
            if (n > ((int64_t)1 << 40) / unit || total > ((int64_t)1 << 40))
                return crit__error(src, *pos, REVOPS_EINVALID, "duration too long");
            total += n * unit;
            q++;
            if (q >= src->len || !is_digit(s[q]))
                break;
        }
        if (q < src->len && (is_alpha(s[q]) || s[q] == '.'))
            return crit__error(src, q, REVOPS_EINVALID,
                               "unexpected '%c' in a duration (write 1h30m, not 1.5h)", s[q]);
        t->kind = TK_DURATION;
        t->i = total;
        t->len = (uint32_t)(q - *pos);
        *pos = q;
        return 0;
    }
    if (p + 1 < src->len && s[p] == '.' && is_digit(s[p + 1])) {
        p++;
        while (p < src->len && is_digit(s[p]))
            p++;
    }
    if (p < src->len && (is_alpha(s[p]) || s[p] == '.'))
        return crit__error(src, p, REVOPS_EINVALID, "unexpected '%c' after a number", s[p]);
    char buf[64];
    if (p - *pos >= sizeof(buf))
        return crit__error(src, *pos, REVOPS_EINVALID, "number too long (at most 63 digits)");
    memcpy(buf, s + *pos, p - *pos);
    buf[p - *pos] = '\0';
    t->kind = TK_NUMBER;
    t->num = strtod(buf, NULL);
    t->len = (uint32_t)(p - *pos);
    *pos = p;
    return 0;
}

static int lex_string(const crit_src *src, size_t *pos, crit_token *t, crit_lexed *lx)
{
    const char *s = src->text;
    char quote = s[*pos];
    size_t p = *pos + 1;
    t->kind = TK_STRING;
    t->str_off = (uint32_t)lx->nstrings;
    for (;;) {
        if (p >= src->len || s[p] == '\n' || s[p] == '\r')
            return crit__error(src, *pos, REVOPS_EINVALID,
                               "unterminated string: expected a closing %c on the same line",
                               quote);
        char c = s[p];
        if (c == quote)
            break;
        if (c == '\\') {
            char e = p + 1 < src->len ? s[p + 1] : '\0';
            switch (e) {
            case '\\':
            case '"':
            case '\'':
                c = e;
                break;
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            default:
                return crit__error(src, p, REVOPS_EINVALID,
                                   "unknown escape in a string: expected \\\\, \\\", \\', \\n "
                                   "or \\t");
            }
            p++;
        }
        lx->strings[lx->nstrings++] = c;
        p++;
    }
    t->str_len = (uint32_t)(lx->nstrings - t->str_off);
    t->len = (uint32_t)(p + 1 - *pos);
    *pos = p + 1;
    return 0;
}

/* Operators; the refused spellings get a message naming the right one. */
static int lex_operator(const crit_src *src, size_t *pos, crit_token *t)
{
    const char *s = src->text;
    size_t p = *pos;
    char c = s[p], d = p + 1 < src->len ? s[p + 1] : '\0';
    int kind = -1;
    size_t n = 1;
    const char *hint = NULL;
    switch (c) {
    case '(':
        kind = TK_LPAREN;
        break;
    case ')':
        kind = TK_RPAREN;
        break;
    case ',':
        kind = TK_COMMA;
        break;
    case '-':
        kind = TK_MINUS;
        break;
    case '=':
        if (d == '=')
            kind = TK_EQ, n = 2;
        else
            hint = "'=' is not an operator: compare with '=='";
        break;
    case '!':
        if (d == '=')
            kind = TK_NE, n = 2;
        else
            hint = "'!' is not an operator: write 'not'";
        break;
    case '<':
        if (d == '=')
            kind = TK_LE, n = 2;
        else if (d == '>')
            hint = "'<>' is not an operator: write '!='";
        else
            kind = TK_LT;
        break;
    case '>':
        if (d == '=')
            kind = TK_GE, n = 2;
        else
            kind = TK_GT;
        break;
    case '&':
        hint = "'&' is not an operator: write 'and'";
        break;
    case '|':
        hint = "'|' is not an operator: write 'or'";
        break;
    default:
        break;
    }
    if (hint)
        return crit__error(src, p, REVOPS_EINVALID, "%s", hint);
    if (kind < 0) {
        size_t k = revops_utf8__seq((const unsigned char *)s + p, src->len - p);
        return crit__error(src, p, REVOPS_EINVALID,
                           "unexpected character '%.*s': expected a name, a number, a string, "
                           "an operator or a parenthesis",
                           (int)(k ? k : 1), s + p);
    }
    t->kind = (uint8_t)kind;
    t->len = (uint32_t)n;
    *pos = p + n;
    return 0;
}

int crit__lex(crit_lexed *out, const crit_src *src)
{
    memset(out, 0, sizeof(*out));
    if (src->len > REVOPS_CRITERIA_MAX_LEN)
        return crit__error(src, 0, REVOPS_ETOOBIG, "criteria of %zu bytes: the limit is %d bytes",
                           src->len, REVOPS_CRITERIA_MAX_LEN);
    size_t bad;
    if (!revops_utf8__valid(src->text, src->len, &bad))
        return crit__error(src, bad, REVOPS_EINVALID, "%s",
                           src->text[bad] == '\0' ? "a NUL byte in the criteria"
                                                  : "invalid UTF-8 in the criteria");
    out->strings = malloc(src->len ? src->len : 1);
    if (!out->strings)
        return revops_error__oom();
    size_t cap = 0, pos = 0;
    const char *s = src->text;
    int rc;
    for (;;) {
        while (pos < src->len &&
               (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
            pos++;
        crit_token t;
        memset(&t, 0, sizeof(t));
        t.off = (uint32_t)pos;
        if (pos >= src->len) {
            t.kind = TK_EOF;
            return push(out, &cap, &t);
        }
        char c = s[pos];
        if (is_digit(c)) {
            int date = pos + 4 < src->len && is_digit(s[pos + 1]) && is_digit(s[pos + 2]) &&
                       is_digit(s[pos + 3]) && s[pos + 4] == '-';
            rc = date ? lex_time(src, &pos, &t) : lex_number(src, &pos, &t);
        } else if (c == '"' || c == '\'') {
            rc = lex_string(src, &pos, &t, out);
        } else if (is_alpha(c)) {
            size_t p = pos;
            while (p < src->len && (is_alpha(s[p]) || is_digit(s[p])))
                p++;
            t.kind = (uint8_t)keyword(s + pos, p - pos);
            t.len = (uint32_t)(p - pos);
            pos = p;
            rc = 0;
        } else {
            rc = lex_operator(src, &pos, &t);
        }
        if (rc || (rc = push(out, &cap, &t)))
            return rc;
    }
}
