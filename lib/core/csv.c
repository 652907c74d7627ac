/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV reader is hand-written rather than taken from a library because it sits on the
 * hottest path of every import and every `--csv` analysis: it reads big blocks with read(2),
 * copies runs of plain bytes with memcpy between special characters found through a lookup
 * table, and resumes mid-record when a block ends, so no byte is looked at twice. The
 * throughput figure is measured in bench/.
 */
#include "revops/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/csvchunk.h"
#include "core/error.h"

#define CSV_BLOCK (1u << 20)

struct revops_csv_reader {
    revops_csv_options opts;
    char name[256];
    int fd; /* -1 for memory input */
    int own_fd;
    char *block;    /* owned read buffer (file input) */
    const char *in; /* current input bytes */
    size_t in_len;
    size_t in_pos;
    int eof; /* no more input after `in` */
    int failed;
    uint64_t consumed; /* bytes before `in` */
    uint64_t size;
    long line; /* line of the next unread byte */
    long record_line;
    int skip_lf;  /* the previous record ended with CR: skip one LF */
    int prev_cr;  /* inside quotes, the last byte was CR */
    int at_start; /* nothing read yet: a BOM may follow */
    char *rec;    /* unquoted bytes of the current record, fields NUL-separated */
    size_t rec_len;
    size_t rec_cap;
    size_t *starts; /* field start offsets in rec */
    unsigned char *quoted;
    size_t nstarts;
    size_t starts_cap;
    revops_csv_field *fields;
    size_t fields_cap;
    unsigned char special[256];
};

static void init_common(revops_csv_reader *r, const revops_csv_options *opts)
{
    revops_csv_options def = REVOPS_CSV_OPTIONS_INIT;
    r->opts = opts ? *opts : def;
    if (!r->opts.delimiter)
        r->opts.delimiter = ',';
    if (!r->opts.max_record)
        r->opts.max_record = def.max_record;
    if (!r->opts.max_fields)
        r->opts.max_fields = def.max_fields;
    r->line = 1;
    r->at_start = 1;
    r->fd = -1;
    memset(r->special, 0, sizeof(r->special));
    r->special[(unsigned char)r->opts.delimiter] = 1;
    r->special['"'] = 1;
    r->special['\n'] = 1;
    r->special['\r'] = 1;
}

int revops_csv_open(revops_csv_reader **out, const char *path, const revops_csv_options *opts)
{
    *out = NULL;
    revops_csv_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return revops_error__oom();
    init_common(r, opts);
    if (strcmp(path, "-") == 0) {
        r->fd = STDIN_FILENO;
        snprintf(r->name, sizeof(r->name), "<stdin>");
    } else {
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0) {
            int e = errno;
            free(r);
            return revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL, "cannot open %s: %s", path,
                                        strerror(e));
        }
        r->own_fd = 1;
        snprintf(r->name, sizeof(r->name), "%s", path);
        struct stat st;
        if (fstat(r->fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                close(r->fd);
                free(r);
                return revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL,
                                            "%s is a directory, not a CSV file", path);
            }
            if (S_ISREG(st.st_mode))
                r->size = (uint64_t)st.st_size;
        }
    }
    r->block = malloc(CSV_BLOCK);
    if (!r->block) {
        revops_csv_close(r);
        return revops_error__oom();
    }
    r->in = r->block;
    *out = r;
    return 0;
}

int revops_csv_open_memory(revops_csv_reader **out, const char *data, size_t len,
                           const revops_csv_options *opts)
{
    *out = NULL;
    revops_csv_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return revops_error__oom();
    init_common(r, opts);
    snprintf(r->name, sizeof(r->name), "<memory>");
    r->in = data;
    r->in_len = len;
    r->eof = 1;
    r->size = len;
    *out = r;
    return 0;
}

int revops_csv__open_chunk(revops_csv_reader **out, const char *data, size_t len,
                           const revops_csv_options *opts, const char *name, long first_line,
                           int file_start)
{
    int rc = revops_csv_open_memory(out, data, len, opts);
    if (rc)
        return rc;
    revops_csv_reader *r = *out;
    snprintf(r->name, sizeof(r->name), "%s", name);
    r->line = first_line;
    r->at_start = file_start;
    return 0;
}

long revops_csv__next_line(const revops_csv_reader *r)
{
    return r->line;
}

int revops_csv__map(revops_csv_file *f, const char *path)
{
    memset(f, 0, sizeof(*f));
    f->data = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL, "cannot open %s: %s", path,
                                    strerror(e));
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL, "%s is a directory, not a CSV file",
                                  path);
        goto done;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= SIZE_MAX) {
        f->len = (size_t)st.st_size;
        if (f->len == 0)
            goto done;
        void *m = mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            f->map = m;
            f->data = m;
            goto done;
        }
    }
    /* Not a regular file (or not mappable): read it whole. */
    revops_buf b = REVOPS_BUF_INIT;
    f->len = 0;
    for (;;) {
        if ((rc = revops_buf__reserve(&b, CSV_BLOCK)))
            break;
        ssize_t n = read(fd, b.data + b.len, CSV_BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL, "reading %s: %s", path,
                                      strerror(errno));
            break;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    if (rc) {
        revops_buf__free(&b);
        goto done;
    }
    f->len = b.len;
    f->copy = revops_buf__detach(&b);
    f->data = f->copy ? f->copy : "";
done:
    close(fd);
    return rc;
}

void revops_csv__unmap(revops_csv_file *f)
{
    if (f->map)
        munmap(f->map, f->len);
    free(f->copy);
    memset(f, 0, sizeof(*f));
    f->data = "";
}

/* The boundary after the line end at `eol`: a CR LF pair ends a record as one. */
static size_t after_eol(const char *data, size_t len, size_t eol)
{
    if (data[eol] == '\r' && eol + 1 < len && data[eol + 1] == '\n')
        return eol + 2;
    return eol + 1;
}

size_t revops_csv__cut(const char *data, size_t len, size_t start, size_t size, char delimiter,
                       size_t max_record)
{
    size_t target = size < len - start ? start + size : len;
    if (target == len)
        return len;
    /* Without quotes every line end ends a record: the last one before the target will do. */
    if (!memchr(data + start, '"', target - start)) {
        for (size_t i = target; i > start; i--) {
            char c = data[i - 1];
            if (c == '\n' || c == '\r')
                return after_eol(data, len, i - 1);
        }
    }
    /* Follow the reader's states: a quote opens a field only at its start. */
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state = FIELD_START;
    size_t record = start;
    for (size_t i = start; i < len; i++) {
        char c = data[i];
        if (i - record > max_record)
            return len;
        switch (state) {
        case FIELD_START:
            if (c == '"') {
                state = QUOTED;
                break;
            }
            state = UNQUOTED;
            /* fall through */
        case UNQUOTED:
            if (c == delimiter) {
                state = FIELD_START;
            } else if (c == '\n' || c == '\r') {
                size_t b = after_eol(data, len, i);
                if (b >= target)
                    return b;
                record = b;
                i = b - 1;
                state = FIELD_START;
            }
            break;
        case QUOTED:
            if (c == '"')
                state = QUOTE_IN_QUOTED;
            break;
        case QUOTE_IN_QUOTED:
            if (c == '"') {
                state = QUOTED;
            } else if (c == delimiter) {
                state = FIELD_START;
            } else if (c == '\n' || c == '\r') {
                size_t b = after_eol(data, len, i);
                if (b >= target)
                    return b;
                record = b;
                i = b - 1;
                state = FIELD_START;
            } else {
                return len; /* the reader stops here with an error */
            }
            break;
        }
    }
    return len;
}

void revops_csv_close(revops_csv_reader *r)
{
    if (!r)
        return;
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    free(r->block);
    free(r->rec);
    free(r->starts);
    free(r->quoted);
    free(r->fields);
    free(r);
}

long revops_csv_line(const revops_csv_reader *r)
{
    return r->record_line;
}

uint64_t revops_csv_offset(const revops_csv_reader *r)
{
    return r->consumed + r->in_pos;
}

uint64_t revops_csv_size(const revops_csv_reader *r)
{
    return r->size;
}

const char *revops_csv_name(const revops_csv_reader *r)
{
    return r->name;
}

/* Reads the next block; returns 1 when bytes arrived, 0 at end of input, <0 on error. */
static int refill(revops_csv_reader *r)
{
    if (r->eof)
        return 0;
    r->consumed += r->in_len;
    r->in_pos = 0;
    r->in_len = 0;
    for (;;) {
        ssize_t n = read(r->fd, r->block, CSV_BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return revops_error__set_at(REVOPS_EIO, r->name, r->line, 0, NULL, "reading %s: %s",
                                        r->name, strerror(errno));
        if (n == 0) {
            r->eof = 1;
            return 0;
        }
        r->in_len = (size_t)n;
        return 1;
    }
}

static int fail(revops_csv_reader *r, int code, long line, long column, const char *fmt,
                const char *detail)
{
    r->failed = 1;
    char msg[256];
    snprintf(msg, sizeof(msg), fmt, detail ? detail : "");
    return revops_error__set_at(code, r->name, line, column, NULL, "%s", msg);
}

static int rec_grow(revops_csv_reader *r, size_t n)
{
    if (r->rec_len + n + 1 > r->opts.max_record + 1) {
        char lim[32];
        snprintf(lim, sizeof(lim), "%zu", r->opts.max_record);
        return fail(r, REVOPS_ETOOBIG, r->record_line, 0,
                    "record is longer than the limit of %s bytes (is a quote left open?)", lim);
    }
    size_t cap = r->rec_cap ? r->rec_cap : 4096;
    while (cap < r->rec_len + n + 1)
        cap *= 2;
    char *p2 = realloc(r->rec, cap);
    if (!p2) {
        r->failed = 1;
        return revops_error__oom();
    }
    r->rec = p2;
    r->rec_cap = cap;
    return 0;
}

/* The per-byte paths call these for every field: the common case stays inline. */
static inline int rec_append(revops_csv_reader *r, const char *p, size_t n)
{
    if (r->rec_len + n + 1 > r->rec_cap || r->rec_len + n > r->opts.max_record) {
        int rc = rec_grow(r, n);
        if (rc)
            return rc;
    }
    memcpy(r->rec + r->rec_len, p, n);
    r->rec_len += n;
    return 0;
}

static int starts_grow(revops_csv_reader *r)
{
    if (r->nstarts >= r->opts.max_fields) {
        char lim[32];
        snprintf(lim, sizeof(lim), "%zu", r->opts.max_fields);
        return fail(r, REVOPS_ETOOBIG, r->record_line, 0, "record has more than %s fields", lim);
    }
    size_t cap = r->starts_cap ? r->starts_cap * 2 : 64;
    size_t *s = realloc(r->starts, cap * sizeof(*s));
    if (!s) {
        r->failed = 1;
        return revops_error__oom();
    }
    r->starts = s;
    unsigned char *q = realloc(r->quoted, cap);
    if (!q) {
        r->failed = 1;
        return revops_error__oom();
    }
    r->quoted = q;
    r->starts_cap = cap;
    return 0;
}

static inline int field_begin(revops_csv_reader *r)
{
    if (r->nstarts >= r->opts.max_fields || r->nstarts == r->starts_cap) {
        int rc = starts_grow(r);
        if (rc)
            return rc;
    }
    r->starts[r->nstarts] = r->rec_len;
    r->quoted[r->nstarts] = 0;
    r->nstarts++;
    return 0;
}

/* Ends the current field: a NUL separates it from the next one in rec. */
static inline int field_end(revops_csv_reader *r)
{
    if (r->rec_len + 1 >= r->rec_cap || r->rec_len + 1 > r->opts.max_record) {
        int rc = rec_grow(r, 1);
        if (rc)
            return rc;
    }
    r->rec[r->rec_len++] = '\0';
    return 0;
}

static int publish(revops_csv_reader *r, const revops_csv_field **fields, size_t *nfields)
{
    if (r->nstarts > r->fields_cap) {
        revops_csv_field *f = realloc(r->fields, r->nstarts * sizeof(*f));
        if (!f) {
            r->failed = 1;
            return revops_error__oom();
        }
        r->fields = f;
        r->fields_cap = r->nstarts;
    }
    for (size_t i = 0; i < r->nstarts; i++) {
        size_t start = r->starts[i];
        size_t end = i + 1 < r->nstarts ? r->starts[i + 1] - 1 : r->rec_len - 1;
        r->fields[i].ptr = r->rec + start;
        r->fields[i].len = end - start;
        r->fields[i].quoted = r->quoted[i];
    }
    *fields = r->fields;
    *nfields = r->nstarts;
    return 1;
}

enum { ST_FIELD_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_IN_QUOTED };

int revops_csv_next(revops_csv_reader *r, const revops_csv_field **fields, size_t *nfields)
{
    *fields = NULL;
    *nfields = 0;
    if (r->failed)
        return 0;
    int rc;
    r->rec_len = 0;
    r->nstarts = 0;
    int state = ST_FIELD_START;
    long quote_line = 0;
    long column = 1; /* byte column on the current line, for error messages */
    int started = 0;

    for (;;) {
        if (r->in_pos == r->in_len) {
            rc = refill(r);
            if (rc < 0) {
                r->failed = 1;
                return rc;
            }
            if (rc == 0)
                break;
        }
        if (r->at_start) {
            /* A UTF-8 byte-order mark is not data. With file input the first block is at
             * least 3 bytes unless the file itself is shorter. */
            if (r->in_len - r->in_pos >= 3 && memcmp(r->in + r->in_pos, "\xEF\xBB\xBF", 3) == 0)
                r->in_pos += 3;
            r->at_start = 0;
            continue;
        }
        if (r->skip_lf) {
            r->skip_lf = 0;
            if (r->in[r->in_pos] == '\n') {
                r->in_pos++;
                continue;
            }
        }
        if (!started) {
            started = 1;
            r->record_line = r->line;
            if ((rc = field_begin(r)))
                return rc;
        }
        const char *p = r->in + r->in_pos;
        const char *end = r->in + r->in_len;
        if (state == ST_FIELD_START) {
            if (*p == '"') {
                r->quoted[r->nstarts - 1] = 1;
                quote_line = r->line;
                r->prev_cr = 0;
                state = ST_QUOTED;
                r->in_pos++;
                column++;
                continue;
            }
            state = ST_UNQUOTED;
        }
        if (state == ST_UNQUOTED) {
            const char *q = p;
            while (q < end && !r->special[(unsigned char)*q])
                q++;
            /* A quote inside an unquoted field (12" screen) is kept as a plain byte. */
            while (q < end && *q == '"') {
                q++;
                while (q < end && !r->special[(unsigned char)*q])
                    q++;
            }
            if (q > p && (rc = rec_append(r, p, (size_t)(q - p))))
                return rc;
            column += q - p;
            r->in_pos = (size_t)(q - r->in);
            if (q == end)
                continue;
            char c = *q;
            r->in_pos++;
            if (c == r->opts.delimiter) {
                if ((rc = field_end(r)) || (rc = field_begin(r)))
                    return rc;
                column++;
                state = ST_FIELD_START;
                continue;
            }
            /* c is '\n' or '\r': the record ends. */
            r->line++;
            if (c == '\r')
                r->skip_lf = 1;
            if ((rc = field_end(r)))
                return rc;
            return publish(r, fields, nfields);
        }
        if (state == ST_QUOTED) {
            const char *q = memchr(p, '"', (size_t)(end - p));
            const char *stop = q ? q : end;
            for (const char *s = p; s < stop; s++) {
                /* Line breaks inside quotes are data, but lines still count; a CRLF counts
                 * once, at its CR, even when a block boundary splits it. */
                if (*s == '\r' || (*s == '\n' && !r->prev_cr)) {
                    r->line++;
                    column = 1;
                } else {
                    column++;
                }
                r->prev_cr = *s == '\r';
            }
            if (stop > p && (rc = rec_append(r, p, (size_t)(stop - p))))
                return rc;
            r->in_pos = (size_t)(stop - r->in);
            if (q) {
                r->in_pos++;
                column++;
                r->prev_cr = 0;
                state = ST_QUOTE_IN_QUOTED;
            }
            continue;
        }
        /* ST_QUOTE_IN_QUOTED: a quote was seen inside a quoted field. */
        char c = *p;
        if (c == '"') {
            /* A doubled quote is one literal quote. */
            if ((rc = rec_append(r, "\"", 1)))
                return rc;
            r->in_pos++;
            column++;
            state = ST_QUOTED;
            continue;
        }
        if (c == r->opts.delimiter) {
            r->in_pos++;
            column++;
            if ((rc = field_end(r)) || (rc = field_begin(r)))
                return rc;
            state = ST_FIELD_START;
            continue;
        }
        if (c == '\n' || c == '\r') {
            r->in_pos++;
            r->line++;
            if (c == '\r')
                r->skip_lf = 1;
            if ((rc = field_end(r)))
                return rc;
            return publish(r, fields, nfields);
        }
        char detail[64];
        if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
            snprintf(detail, sizeof(detail), "'%c'", c);
        else
            snprintf(detail, sizeof(detail), "byte 0x%02x", (unsigned char)c);
        return fail(r, REVOPS_EINVALID, r->line, column,
                    "unexpected %s after a closing quote (expected the delimiter or a line end; "
                    "a quote inside a quoted field is written as two quotes)",
                    detail);
    }

    /* End of input. */
    if (!started)
        return 0;
    if (state == ST_QUOTED) {
        char detail[32];
        snprintf(detail, sizeof(detail), "%ld", quote_line);
        return fail(r, REVOPS_EINVALID, quote_line, 0,
                    "a quoted field opened on line %s is never closed", detail);
    }
    if ((rc = field_end(r)))
        return rc;
    return publish(r, fields, nfields);
}

/* ---- writer ---- */

struct revops_csv_writer {
    FILE *fp;
    int own;
    char delimiter;
    int need_delim;
    int error;
    char path[256];
    char buf[1 << 16];
    size_t len;
};

int revops_csv_writer_open(revops_csv_writer **out, const char *path, char delimiter)
{
    *out = NULL;
    revops_csv_writer *w = calloc(1, sizeof(*w));
    if (!w)
        return revops_error__oom();
    w->delimiter = delimiter ? delimiter : ',';
    snprintf(w->path, sizeof(w->path), "%s", path);
    if (strcmp(path, "-") == 0) {
        w->fp = stdout;
    } else {
        w->fp = fopen(path, "wb");
        if (!w->fp) {
            int e = errno;
            free(w);
            return revops_error__set_at(REVOPS_EIO, path, 0, 0, NULL, "cannot create %s: %s", path,
                                        strerror(e));
        }
        w->own = 1;
    }
    *out = w;
    return 0;
}

static int wflush(revops_csv_writer *w)
{
    if (w->len && !w->error && fwrite(w->buf, 1, w->len, w->fp) != w->len)
        w->error = errno ? errno : EIO;
    w->len = 0;
    if (w->error)
        return revops_error__set_at(REVOPS_EIO, w->path, 0, 0, NULL, "writing %s: %s", w->path,
                                    strerror(w->error));
    return 0;
}

static int wput(revops_csv_writer *w, const char *s, size_t n)
{
    while (n) {
        if (w->len == sizeof(w->buf)) {
            int rc = wflush(w);
            if (rc)
                return rc;
        }
        size_t room = sizeof(w->buf) - w->len;
        size_t k = n < room ? n : room;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
    return 0;
}

static int wdelim(revops_csv_writer *w)
{
    if (w->need_delim)
        return wput(w, &w->delimiter, 1);
    w->need_delim = 1;
    return 0;
}

int revops_csv_write_plain(revops_csv_writer *w, const char *s, size_t len)
{
    int rc = wdelim(w);
    return rc ? rc : wput(w, s, len);
}

int revops_csv_write_field(revops_csv_writer *w, const char *s, size_t len)
{
    /* A field that starts with U+FEFF is quoted: at the start of a file those bytes would
     * read back as a byte-order mark and vanish. */
    int needs = len > 0 && (s[0] == ' ' || s[len - 1] == ' ' ||
                            (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0));
    for (size_t i = 0; i < len && !needs; i++) {
        char c = s[i];
        needs = c == w->delimiter || c == '"' || c == '\n' || c == '\r';
    }
    if (!needs)
        return revops_csv_write_plain(w, s, len);
    int rc = wdelim(w);
    if (rc || (rc = wput(w, "\"", 1)))
        return rc;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') {
            if ((rc = wput(w, s + run, i + 1 - run)))
                return rc;
            run = i; /* the quote is written again: doubled */
        }
    }
    if ((rc = wput(w, s + run, len - run)))
        return rc;
    return wput(w, "\"", 1);
}

int revops_csv_write_fields(revops_csv_writer *w, const revops_csv_field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = revops_csv_write_field(w, fields[i].ptr, fields[i].len);
        if (rc)
            return rc;
    }
    return 0;
}

int revops_csv_end_record(revops_csv_writer *w)
{
    w->need_delim = 0;
    return wput(w, "\n", 1);
}

int revops_csv_writer_close(revops_csv_writer *w)
{
    if (!w)
        return 0;
    int rc = wflush(w);
    if (w->own) {
        if (fclose(w->fp) != 0 && !rc)
            rc = revops_error__set_at(REVOPS_EIO, w->path, 0, 0, NULL, "closing %s: %s", w->path,
                                      strerror(errno));
    } else if (fflush(w->fp) != 0 && !rc) {
        rc = revops_error__set_at(REVOPS_EIO, w->path, 0, 0, NULL, "writing %s: %s", w->path,
                                  strerror(errno));
    }
    free(w);
    return rc;
}
