/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of the criteria language: tokens (lexer.c), the syntax tree (parser.c), the
 * typed program (compiler.c) and its evaluation (eval.c). docs/criteria.md is the user's
 * description of the same language.
 */
#ifndef REVOPS_CRITERIA_INTERNAL_H
#define REVOPS_CRITERIA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "revops/criteria.h"
#include "revops/schema.h"

/* The evaluation stack's size: every nesting level needs at most two slots (a comparison's or
 * a function's operands), so a program within REVOPS_CRITERIA_MAX_DEPTH always fits; the
 * compiler checks it anyway. */
#define CRIT_STACK_MAX (2 * REVOPS_CRITERIA_MAX_DEPTH + 16)

/* ---- source text and errors ---- */

typedef struct crit_src {
    const char *text;
    size_t len;
} crit_src;

/* The line and column (1-based; columns in characters) of byte `off` of the source. */
void crit__position(const crit_src *src, size_t off, long *line, long *column);

/* Records REVOPS_EINVALID (or `code`) with the line and column (in characters) of byte
 * `off` of the source; returns the code. */
int crit__error(const crit_src *src, size_t off, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- tokens ---- */

typedef enum crit_tok_kind {
    TK_EOF,
    TK_NUMBER,   /* 12, 0.5 */
    TK_DURATION, /* 24h, 5m, 1h30m */
    TK_TIME,     /* 2026-03-01, 2026-03-01T14:05:00Z */
    TK_STRING,   /* "saas" or 'saas' */
    TK_IDENT,
    TK_LPAREN,
    TK_RPAREN,
    TK_COMMA,
    TK_EQ,
    TK_NE,
    TK_LT,
    TK_LE,
    TK_GT,
    TK_GE,
    TK_MINUS,
    TK_AND,
    TK_OR,
    TK_NOT,
    TK_IN,
    TK_TRUE,
    TK_FALSE
} crit_tok_kind;

typedef struct crit_token {
    uint8_t kind;
    uint32_t off, len; /* the token's bytes in the source */
    double num;        /* TK_NUMBER */
    int64_t i;         /* TK_DURATION: seconds; TK_TIME: seconds since the epoch */
    uint32_t str_off;  /* TK_STRING: the decoded text in crit_lexed.strings */
    uint32_t str_len;
} crit_token;

typedef struct crit_lexed {
    crit_token *tokens; /* ends with one TK_EOF */
    size_t ntokens;
    char *strings; /* decoded string literals, back to back (no NULs in between) */
    size_t nstrings;
} crit_lexed;

/* Splits the source into tokens. Checks UTF-8 and NUL bytes first. The caller frees with
 * crit__lexed_free() (also after an error). */
int crit__lex(crit_lexed *out, const crit_src *src);
void crit__lexed_free(crit_lexed *lx);
/* A token kind as a user reads it in a message ("')'", "a number", "the end"). */
const char *crit__tok_name(int kind);

/* ---- syntax tree ---- */

typedef enum crit_node_kind {
    NK_OR, /* n-ary, children in order */
    NK_AND,
    NK_NOT,
    NK_CMP, /* op: a crit_cmp; two children */
    NK_IN,  /* first child: the value; the others: the list; op 1 for "not in" */
    NK_NEG, /* unary minus */
    NK_FIELD,
    NK_NUMBER,
    NK_STRING,
    NK_MONEY,
    NK_TIME,
    NK_DURATION,
    NK_BOOL,
    NK_CALL /* op: a crit_fn */
} crit_node_kind;

typedef enum crit_cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE } crit_cmp;

typedef enum crit_type {
    CT_BOOL,
    CT_NUMBER,
    CT_STRING,
    CT_MONEY,
    CT_TIME,
    CT_DURATION,
    CT_LIST,
    CT_ANY /* only in function signatures */
} crit_type;

typedef enum crit_fn {
    FN_DAYS_SINCE,
    FN_HOURS_SINCE,
    FN_MINUTES_SINCE,
    FN_SINCE,
    FN_BETWEEN,
    FN_LOWER,
    FN_UPPER,
    FN_LENGTH,
    FN_IS_EMPTY,
    FN_HAS,
    FN_CONTAINS,
    FN_STARTS_WITH,
    FN_ENDS_WITH,
    FN_COUNT
} crit_fn;

typedef struct crit_fn_def {
    const char *name;
    int nargs;
    uint8_t args[2]; /* crit_type of each argument */
    uint8_t result;
    const char *help; /* for messages */
} crit_fn_def;

extern const crit_fn_def crit__fns[FN_COUNT];

typedef struct crit_node {
    uint8_t kind;
    uint8_t op;
    uint8_t type;              /* set by the compiler */
    int8_t exponent;           /* NK_MONEY */
    uint32_t off;              /* where a message about this node points */
    int32_t child;             /* first child, -1 when none */
    int32_t next;              /* next sibling, -1 when none */
    double num;                /* NK_NUMBER */
    int64_t i;                 /* NK_MONEY minor units, NK_TIME, NK_DURATION seconds, NK_BOOL */
    uint32_t code;             /* NK_MONEY: packed currency code */
    uint32_t str_off, str_len; /* NK_STRING */
    int field;                 /* NK_FIELD */
} crit_node;

typedef struct crit_tree {
    crit_node *nodes;
    size_t n, cap;
    int32_t root;
} crit_tree;

/* Parses the tokens into a tree, checking field names against `entity`. */
int crit__parse(crit_tree *out, const crit_src *src, const crit_lexed *lx,
                const revops_entity_def *entity);
void crit__tree_free(crit_tree *t);

/* ---- program ---- */

typedef enum crit_opcode {
    OP_END,
    OP_CONST,       /* push consts[arg] */
    OP_FIELD_STR,   /* push the text column at dataset offset arg */
    OP_FIELD_LIST,  /* the same, typed as a list */
    OP_FIELD_INT,   /* int64 column as a number */
    OP_FIELD_REAL,  /* double column */
    OP_FIELD_BOOL,  /* int8 column, -1 empty */
    OP_FIELD_DAY,   /* revops_day column as a time (midnight) */
    OP_FIELD_MONTH, /* revops_month column as a time (its first day) */
    OP_FIELD_TIME,  /* revops_time column */
    OP_FIELD_EVENT, /* revops_time column of an event: empty when after env->now */
    OP_FIELD_MONEY, /* amount column at arg, currency column at aux */
    OP_NOT,
    OP_NEG,   /* aux: crit_type */
    OP_CMP,   /* sub: crit_cmp, aux: crit_type */
    OP_IN,    /* sub: 1 for "not in" | type << 1, aux: count, arg: first constant */
    OP_AND,   /* top false: jump to arg keeping it; else pop it */
    OP_OR,    /* top true: jump to arg keeping it; else pop it */
    OP_TRUTH, /* an empty bool becomes false (a condition read alone) */
    OP_CALL   /* sub: crit_fn */
} crit_opcode;

typedef struct crit_insn {
    uint8_t op;
    uint8_t sub;
    uint16_t aux;
    uint32_t arg;
} crit_insn;

/* A value on the evaluation stack or in the constants. */
typedef struct crit_val {
    int64_t i;     /* bool 0/1, time, duration, money minor units */
    double d;      /* number */
    const char *s; /* string and list text (not NUL-terminated) */
    uint32_t len;
    uint32_t code;   /* money: packed currency code */
    uint8_t null;    /* an empty field, or a function of one */
    uint8_t fold;    /* strings: 0 as they are, 1 lower case, 2 upper case */
    int8_t exponent; /* money constants: the currency's exponent */
} crit_val;

struct revops_criteria {
    size_t entity;
    crit_insn *code;
    size_t ncode;
    crit_val *consts;
    size_t nconsts;
    char *strings; /* what string constants point into */
    size_t max_stack;
};

/* Type-checks the tree and emits the program into `c` (whose entity is set). */
int crit__compile(revops_criteria *c, const crit_src *src, const crit_lexed *lx, const crit_tree *t,
                  const revops_stages *stages);

/* Packs a three-letter currency code. */
static inline uint32_t crit__pack_code(const char *s)
{
    return (uint32_t)(unsigned char)s[0] << 16 | (uint32_t)(unsigned char)s[1] << 8 |
           (uint32_t)(unsigned char)s[2];
}

#endif
