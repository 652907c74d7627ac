/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The strict JSON reader (jsonparse.h). A recursive-descent parser over a cursor that keeps
 * the line and column (in characters) of the byte it stands on, so every error and every
 * node carries a position. Nesting is bounded by REVOPS_JSON_MAX_DEPTH, which bounds the
 * recursion too.
 */
#include "core/jsonparse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"

typedef struct cursor {
    const char *src;
    size_t len;
    size_t pos;
    long line, column;
    const char *name;
    revops_jdoc *doc;
} cursor;

static int at_end(const cursor *c)
{
    return c->pos >= c->len;
}

/* Steps over one byte, keeping the line and the column (continuation bytes of a UTF-8
 * sequence do not start a character). */
static void step(cursor *c)
{
    unsigned char b = (unsigned char)c->src[c->pos++];
    if (b == '\n') {
        c->line++;
        c->column = 1;
    } else if ((b & 0xC0) != 0x80) {
        c->column++;
    }
}

/* What stands at the cursor, for messages. */
static void found(const cursor *c, char *buf, size_t cap)
{
    if (at_end(c)) {
        snprintf(buf, cap, "the end of the input");
        return;
    }
    unsigned char b = (unsigned char)c->src[c->pos];
    size_t seq = revops_utf8__seq((const unsigned char *)c->src + c->pos, c->len - c->pos);
    if (b < 0x20 || b == 0x7F)
        snprintf(buf, cap, "the control character U+%04X", (unsigned)b);
    else if (seq == 0)
        snprintf(buf, cap, "a byte that is not UTF-8 (0x%02X)", (unsigned)b);
    else
        snprintf(buf, cap, "'%.*s'", (int)seq, c->src + c->pos);
}

static int fail_at(const cursor *c, long line, long column, int code, const char *fmt, ...)
    REVOPS_PRINTF(5, 6);

static int fail_at(const cursor *c, long line, long column, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return revops_error__set_at(code, c->name, line, column, NULL, "%s", msg);
}

/* "expected X, found Y" at the cursor. */
static int expected(const cursor *c, const char *what)
{
    char f[64];
    found(c, f, sizeof(f));
    return fail_at(c, c->line, c->column, REVOPS_EINVALID, "expected %s, found %s", what, f);
}

static void skip_space(cursor *c)
{
    while (!at_end(c)) {
        char b = c->src[c->pos];
        if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            break;
        step(c);
    }
}

static int new_node(cursor *c, int kind, int32_t *out)
{
    revops_jdoc *d = c->doc;
    if (d->n >= REVOPS_JSON_MAX_NODES)
        return fail_at(c, c->line, c->column, REVOPS_ETOOBIG,
                       "the document has more than %d values", REVOPS_JSON_MAX_NODES);
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        revops_jnode *p = realloc(d->nodes, cap * sizeof(*p));
        if (!p)
            return revops_error__oom();
        d->nodes = p;
        d->cap = cap;
    }
    revops_jnode *n = &d->nodes[d->n];
    memset(n, 0, sizeof(*n));
    n->kind = (uint8_t)kind;
    n->first = -1;
    n->next = -1;
    n->line = c->line;
    n->column = c->column;
    *out = (int32_t)d->n++;
    return 0;
}

/* Appends bytes to the document's text (the input bounds its size). */
static int put_text(revops_jdoc *d, const char *s, size_t n)
{
    if (d->text_len + n + 1 > d->text_cap) {
        size_t cap = d->text_cap ? d->text_cap : 256;
        while (cap < d->text_len + n + 1)
            cap *= 2;
        char *p = realloc(d->text, cap);
        if (!p)
            return revops_error__oom();
        d->text = p;
        d->text_cap = cap;
    }
    memcpy(d->text + d->text_len, s, n);
    d->text_len += n;
    return 0;
}

static int hex4(cursor *c, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        if (at_end(c))
            return expected(c, "four hexadecimal digits after \\u");
        char h = c->src[c->pos];
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0)
            return expected(c, "four hexadecimal digits after \\u");
        v = v * 16 + (unsigned)d;
        step(c);
    }
    *out = v;
    return 0;
}

static size_t encode_utf8(unsigned cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A \u escape (the cursor after the 'u'), with a surrogate pair as one code point. */
static int unicode_escape(cursor *c, long line, long column, unsigned *cp)
{
    unsigned hi = 0;
    int rc = hex4(c, &hi);
    if (rc)
        return rc;
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return fail_at(c, line, column, REVOPS_EINVALID,
                       "\\u%04X is the second half of a surrogate pair, without the first", hi);
    if (hi >= 0xD800 && hi <= 0xDBFF) {
        if (c->len - c->pos < 2 || c->src[c->pos] != '\\' || c->src[c->pos + 1] != 'u')
            return fail_at(c, line, column, REVOPS_EINVALID,
                           "\\u%04X is the first half of a surrogate pair: expected a \\u escape "
                           "of the second half after it",
                           hi);
        step(c);
        step(c);
        unsigned lo = 0;
        if ((rc = hex4(c, &lo)))
            return rc;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail_at(c, line, column, REVOPS_EINVALID,
                           "\\u%04X is the first half of a surrogate pair, but \\u%04X is not a "
                           "second half",
                           hi, lo);
        hi = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (hi == 0)
        return fail_at(c, line, column, REVOPS_EINVALID, "\\u0000 (NUL) is not allowed in text");
    *cp = hi;
    return 0;
}

/* A string (the cursor on its opening quote); its decoded text is appended to doc->text. */
static int string(cursor *c, uint32_t *off, uint32_t *len)
{
    revops_jdoc *d = c->doc;
    long qline = c->line, qcolumn = c->column;
    step(c); /* the opening quote */
    *off = (uint32_t)d->text_len;
    int rc = 0;
    for (;;) {
        if (at_end(c))
            return fail_at(c, qline, qcolumn, REVOPS_EINVALID,
                           "the string that starts here is never closed (expected '\"')");
        unsigned char b = (unsigned char)c->src[c->pos];
        if (b == '"') {
            step(c);
            break;
        }
        if (b < 0x20) {
            char f[64];
            found(c, f, sizeof(f));
            return fail_at(c, c->line, c->column, REVOPS_EINVALID,
                           "%s must be escaped inside a string (such as \\n or \\t)", f);
        }
        if (b == '\\') {
            long eline = c->line, ecolumn = c->column;
            step(c);
            if (at_end(c))
                return expected(c, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
            char e = c->src[c->pos];
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *k = strchr(from, e);
            if (e && k) {
                step(c);
                rc = put_text(d, &to[k - from], 1);
            } else if (e == 'u') {
                step(c);
                unsigned cp = 0;
                char utf8[4];
                if ((rc = unicode_escape(c, eline, ecolumn, &cp)))
                    return rc;
                rc = put_text(d, utf8, encode_utf8(cp, utf8));
            } else {
                return expected(c, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
            }
            if (rc)
                return rc;
            continue;
        }
        size_t seq = revops_utf8__seq((const unsigned char *)c->src + c->pos, c->len - c->pos);
        if (seq == 0)
            return expected(c, "text in UTF-8");
        if ((rc = put_text(d, c->src + c->pos, seq)))
            return rc;
        for (size_t i = 0; i < seq; i++)
            step(c);
    }
    *len = (uint32_t)(d->text_len - *off);
    return put_text(d, "", 1); /* each text ends with a NUL of its own */
}

static int digits(cursor *c)
{
    size_t start = c->pos;
    while (!at_end(c) && c->src[c->pos] >= '0' && c->src[c->pos] <= '9')
        step(c);
    return c->pos > start;
}

static int number(cursor *c, int32_t node)
{
    long line = c->line, column = c->column;
    size_t start = c->pos;
    if (c->src[c->pos] == '-')
        step(c);
    if (at_end(c) || c->src[c->pos] < '0' || c->src[c->pos] > '9')
        return expected(c, "a digit after '-'");
    if (c->src[c->pos] == '0') {
        step(c);
        if (!at_end(c) && c->src[c->pos] >= '0' && c->src[c->pos] <= '9')
            return fail_at(c, line, column, REVOPS_EINVALID,
                           "a number may not start with 0 followed by digits (no leading zeros)");
    } else {
        digits(c);
    }
    if (!at_end(c) && c->src[c->pos] == '.') {
        step(c);
        if (!digits(c))
            return expected(c, "a digit after the decimal point");
    }
    if (!at_end(c) && (c->src[c->pos] == 'e' || c->src[c->pos] == 'E')) {
        step(c);
        if (!at_end(c) && (c->src[c->pos] == '+' || c->src[c->pos] == '-'))
            step(c);
        if (!digits(c))
            return expected(c, "a digit in the exponent");
    }
    size_t n = c->pos - start;
    if (n > REVOPS_JSON_MAX_NUMBER)
        return fail_at(c, line, column, REVOPS_ETOOBIG, "a number of %zu characters: at most %d", n,
                       REVOPS_JSON_MAX_NUMBER);
    char buf[REVOPS_JSON_MAX_NUMBER + 1];
    memcpy(buf, c->src + start, n);
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return fail_at(c, line, column, REVOPS_EINVALID, "the number %s is out of range", buf);
    revops_jdoc *d = c->doc;
    uint32_t off = (uint32_t)d->text_len;
    int rc = put_text(d, buf, n + 1); /* with its NUL */
    if (rc)
        return rc;
    revops_jnode *nd = &d->nodes[node];
    nd->num = v;
    nd->str = off;
    nd->len = (uint32_t)n;
    return 0;
}

/* A bare word: true, false or null. */
static int word(cursor *c, int32_t node)
{
    static const struct {
        const char *text;
        int kind;
    } words[] = {{"true", RJ_TRUE}, {"false", RJ_FALSE}, {"null", RJ_NULL}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i].text);
        if (c->len - c->pos >= n && memcmp(c->src + c->pos, words[i].text, n) == 0) {
            c->doc->nodes[node].kind = (uint8_t)words[i].kind;
            for (size_t k = 0; k < n; k++)
                step(c);
            return 0;
        }
    }
    return expected(c, "a value (an object, array, string, number, true, false or null)");
}

typedef struct key_ref {
    const char *key;
    uint32_t len;
    int32_t node;
} key_ref;

static int by_key(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int cmp = memcmp(x->key, y->key, n);
    if (cmp)
        return cmp;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

/* A key given twice in one object is an error at its second place (sorted, so an object of
 * many members costs n log n, not n^2). */
static int check_duplicates(cursor *c, int32_t obj)
{
    revops_jdoc *d = c->doc;
    uint32_t n = d->nodes[obj].count;
    if (n < 2)
        return 0;
    key_ref *refs = malloc(n * sizeof(*refs));
    if (!refs)
        return revops_error__oom();
    size_t k = 0;
    for (int32_t m = d->nodes[obj].first; m >= 0; m = d->nodes[m].next)
        refs[k++] = (key_ref){d->text + d->nodes[m].key, d->nodes[m].key_len, m};
    qsort(refs, n, sizeof(*refs), by_key);
    int rc = 0;
    for (size_t i = 1; i < n && !rc; i++) {
        if (refs[i].len != refs[i - 1].len || memcmp(refs[i].key, refs[i - 1].key, refs[i].len))
            continue;
        const revops_jnode *first = &d->nodes[refs[i - 1].node], *again = &d->nodes[refs[i].node];
        rc = fail_at(c, again->key_line, again->key_column, REVOPS_EINVALID,
                     "the key \"%.60s\" is given twice in this object (first at line %ld, column "
                     "%ld)",
                     refs[i].key, first->key_line, first->key_column);
    }
    free(refs);
    return rc;
}

static int value(cursor *c, int32_t *out, int depth);

/* Links `child` as the last child of `parent`. */
static void link_child(revops_jdoc *d, int32_t parent, int32_t *last, int32_t child)
{
    if (*last < 0)
        d->nodes[parent].first = child;
    else
        d->nodes[*last].next = child;
    *last = child;
    d->nodes[parent].count++;
}

static int container(cursor *c, int32_t node, int depth)
{
    revops_jdoc *d = c->doc;
    int is_object = c->src[c->pos] == '{';
    char close = is_object ? '}' : ']';
    long oline = c->line, ocolumn = c->column;
    if (depth >= REVOPS_JSON_MAX_DEPTH)
        return fail_at(c, c->line, c->column, REVOPS_ETOOBIG,
                       "arrays and objects nest deeper than %d levels", REVOPS_JSON_MAX_DEPTH);
    d->nodes[node].kind = is_object ? RJ_OBJECT : RJ_ARRAY;
    step(c);
    skip_space(c);
    int32_t last = -1;
    int rc;
    if (!at_end(c) && c->src[c->pos] == close) {
        step(c);
        return 0;
    }
    for (;;) {
        uint32_t key = 0, key_len = 0;
        long kline = 0, kcolumn = 0;
        if (is_object) {
            if (at_end(c) || c->src[c->pos] != '"')
                return expected(c, d->nodes[node].count ? "a key (a string in double quotes) "
                                                          "after ','"
                                                        : "a key (a string in double quotes) "
                                                          "or '}'");
            kline = c->line;
            kcolumn = c->column;
            if ((rc = string(c, &key, &key_len)))
                return rc;
            skip_space(c);
            if (at_end(c) || c->src[c->pos] != ':')
                return expected(c, "':' after the key");
            step(c);
            skip_space(c);
        }
        int32_t child = -1;
        if ((rc = value(c, &child, depth + 1)))
            return rc;
        revops_jnode *ch = &d->nodes[child];
        ch->key = key;
        ch->key_len = key_len;
        ch->key_line = kline;
        ch->key_column = kcolumn;
        link_child(d, node, &last, child);
        skip_space(c);
        if (at_end(c)) {
            return fail_at(c, oline, ocolumn, REVOPS_EINVALID,
                           "the %s that starts here is never closed (expected ',' or '%c')",
                           is_object ? "object" : "array", close);
        }
        if (c->src[c->pos] == ',') {
            step(c);
            skip_space(c);
            if (!at_end(c) && c->src[c->pos] == close)
                return fail_at(c, c->line, c->column, REVOPS_EINVALID,
                               "expected a %s after ',', found '%c' (JSON has no trailing commas)",
                               is_object ? "key" : "value", close);
            continue;
        }
        if (c->src[c->pos] == close) {
            step(c);
            break;
        }
        return expected(c, is_object ? "',' or '}'" : "',' or ']'");
    }
    return is_object ? check_duplicates(c, node) : 0;
}

static int value(cursor *c, int32_t *out, int depth)
{
    int32_t node = -1;
    int rc = new_node(c, RJ_NULL, &node);
    if (rc)
        return rc;
    *out = node;
    if (at_end(c))
        return expected(c, "a value (an object, array, string, number, true, false or null)");
    char b = c->src[c->pos];
    if (b == '{' || b == '[')
        return container(c, node, depth);
    if (b == '"') {
        uint32_t off = 0, len = 0;
        if ((rc = string(c, &off, &len)))
            return rc;
        revops_jnode *n = &c->doc->nodes[node];
        n->kind = RJ_STRING;
        n->str = off;
        n->len = len;
        return 0;
    }
    if (b == '-' || (b >= '0' && b <= '9')) {
        c->doc->nodes[node].kind = RJ_NUMBER;
        return number(c, node);
    }
    return word(c, node);
}

int revops_jdoc__parse(revops_jdoc *doc, const char *src, size_t len, const char *name)
{
    memset(doc, 0, sizeof(*doc));
    cursor c = {src, len, 0, 1, 1, name, doc};
    if (len > REVOPS_JSON_MAX_INPUT)
        return revops_error__set_at(REVOPS_ETOOBIG, name, 0, 0, NULL,
                                    "the JSON document is %zu bytes: at most %d", len,
                                    REVOPS_JSON_MAX_INPUT);
    /* Offset 0 is an empty text, which array items and the root name as their key. */
    int rc = put_text(doc, "", 1);
    if (rc)
        return rc;
    skip_space(&c);
    int32_t root = -1;
    rc = value(&c, &root, 0);
    if (rc)
        return rc;
    skip_space(&c);
    if (!at_end(&c))
        return expected(&c, "the end of the input after the value (one JSON value only)");
    return 0;
}

void revops_jdoc__free(revops_jdoc *doc)
{
    if (!doc)
        return;
    free(doc->nodes);
    free(doc->text);
    memset(doc, 0, sizeof(*doc));
}

int32_t revops_jdoc__member(const revops_jdoc *doc, int32_t obj, const char *key)
{
    if (obj < 0 || (size_t)obj >= doc->n || doc->nodes[obj].kind != RJ_OBJECT)
        return -1;
    size_t n = strlen(key);
    for (int32_t m = doc->nodes[obj].first; m >= 0; m = doc->nodes[m].next)
        if (doc->nodes[m].key_len == n && memcmp(doc->text + doc->nodes[m].key, key, n) == 0)
            return m;
    return -1;
}

const char *revops_jdoc__kind_name(int kind)
{
    switch (kind) {
    case RJ_NULL:
        return "null";
    case RJ_FALSE:
    case RJ_TRUE:
        return "true or false";
    case RJ_NUMBER:
        return "a number";
    case RJ_STRING:
        return "a string";
    case RJ_ARRAY:
        return "an array";
    default:
        return "an object";
    }
}
