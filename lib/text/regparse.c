/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .reg parser (text layer). The file is first decoded to UTF-16 units,
 * then read line by line (LF or CRLF ends a line):
 *   header   "Windows Registry Editor Version 5.00" | "REGEDIT4" (first line)
 *   comment  a line whose first non-blank is ';' or '#'
 *   key      "[" ["-"] path "]"   (the path runs to the last ']' on the line)
 *   value    ( '@' | '"' name '"' ) '=' ( '-' | '"' text '"' | "dword:" 1-8 hex
 *            | "hex:" bytes | "hex(" type "):" bytes )
 * A value line may end with whitespace and a ';' comment; hex bytes continue
 * on the next line after a '\'. Escapes in quotes: \\ \" \r \n. */
#include "text/regparse.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/alloc.h"
#include "base/fileio.h"
#include "base/utf16.h"
#include "text/cp1252.h"
#include "text/regbytes.h"

struct parser {
    struct regfile *f;
    uint16_t *u;             /* the decoded file, or (by_line) the current line */
    size_t n, u_bytes;       /* units in u; bytes allocated for it */
    size_t start, end, next; /* the current line: [start, end), next line at next */
    uint32_t line;
    bool in_key, key_deleted;
    struct textbuf scratch;  /* units of one name or string */
    /* A UTF-8 text (checked whole first; all_ascii: it has no other byte) is
     * decoded one line at a time into u, which has room for the longest:
     * src[src_next..src_n) is what is left of it. line_bytes: the current
     * line when it is ASCII (then its bytes are its units), else NULL. */
    bool by_line, all_ascii;
    const uint8_t *src, *line_bytes;
    size_t src_n, src_next;
};

static const char header_v5[] = "Windows Registry Editor Version 5.00";
static const char header_v4[] = "REGEDIT4";

/* ---- errors ----------------------------------------------------------- */

static uint32_t column_of(const struct parser *p, size_t pos)
{
    size_t col = 1;
    for (size_t i = p->start; i < pos && i < p->n; i++)
        if (!(p->u[i] >= 0xDC00 && p->u[i] <= 0xDFFF && i > p->start && p->u[i - 1] >= 0xD800 &&
              p->u[i - 1] <= 0xDBFF))
            col++;
    return col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static hk_status fail(struct parser *p, size_t pos, const char *fmt, ...)
{
    struct regfile *f = p->f;
    if (f->n_errs == REGPARSE_MAX_ERRORS) {
        f->more_errors = true;
        return HK_ERROR_INVALID_DATA;
    }
    struct regerr *e = &f->errs[f->n_errs++];
    e->line = p->line;
    e->column = column_of(p, pos);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    if (f->n_errs == 1) {
        f->err_line = e->line;
        f->err_column = e->column;
        memcpy(f->err, e->msg, sizeof f->err);
    }
    return HK_ERROR_INVALID_DATA;
}

/* ---- decoding --------------------------------------------------------- */

/* Locates the first byte of invalid UTF-8 (the whole text is known bad). */
static hk_status bad_utf8(struct parser *p, const uint8_t *s, size_t size)
{
    size_t col = 1;
    p->line = 1;
    for (size_t i = 0; i < size;) {
        size_t len = 0, units;
        for (size_t l = 1; l <= 4 && i + l <= size && !len; l++)
            if (utf8_to_utf16((const char *)s + i, l, NULL, 0, &units) != -1)
                len = l;
        if (!len) {
            p->f->err_line = p->line;
            p->f->err_column = (uint32_t)(col > UINT32_MAX ? UINT32_MAX : col);
            snprintf(p->f->err, sizeof p->f->err, "invalid UTF-8 (byte 0x%02X)", s[i]);
            return HK_ERROR_INVALID_DATA;
        }
        if (s[i] == '\n') {
            p->line++;
            col = 1;
        } else {
            col++;
        }
        i += len;
    }
    return HK_ERROR_INVALID_DATA;
}

static bool starts_regedit4(const uint8_t *s, size_t size)
{
    size_t i = 0;
    while (i < size && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return size - i >= 8 && memcmp(s + i, header_v4, 8) == 0;
}

/* The file as units. first_key_only: a UTF-8 text is checked whole (a bad
 * byte anywhere is the error a full parse gives), and with cut the text is
 * decoded up to its first key line only. *cut_short: a UTF-16 text was cut
 * short (a text in a byte encoding has been cut so from the start, with no
 * second parse: regparse keeps its errors as they are). */
static hk_status decode(struct parser *p, const uint8_t *s, size_t size, bool first_key_only,
                        bool cut, bool *cut_short)
{
    enum { LE, BE, UTF8, ANSI } enc = UTF8;
    if (size >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        enc = LE;
        s += 2, size -= 2;
    } else if (size >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        enc = BE;
        s += 2, size -= 2;
    } else if (size >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3, size -= 3;
    } else if (starts_regedit4(s, size)) {
        enc = ANSI;
    }
    if ((enc == LE || enc == BE) && size % 2) {
        p->f->err_line = p->f->err_column = 1;
        snprintf(p->f->err, sizeof p->f->err, "UTF-16 text with an odd number of bytes");
        return HK_ERROR_INVALID_DATA;
    }
    /* (A UTF-8 text is checked here, before it is cut.) */
    if (first_key_only && enc == UTF8 && !text_valid_utf8(s, size, &p->all_ascii))
        return bad_utf8(p, s, size);
    if (cut) {
        size_t whole = size;
        size = reg_first_key_end(s, size, enc == LE ? REG_UNITS_LE
                                          : enc == BE ? REG_UNITS_BE
                                                      : REG_UNITS_BYTES);
        *cut_short = size < whole && (enc == LE || enc == BE);
    }
    size_t cap = enc == LE || enc == BE ? size / 2 : size;
    p->u_bytes = (cap ? cap : 1) * sizeof *p->u;
    p->u = hk_big_realloc(NULL, 0, p->u_bytes);
    if (!p->u)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    if (enc == UTF8) {
        /* Checked whole now (a bad byte anywhere is the one error), decoded
         * line by line (next_line): u holds one line, at most every byte. */
        if (!first_key_only && !text_valid_utf8(s, size, &p->all_ascii))
            return bad_utf8(p, s, size);
        p->by_line = true;
        p->src = s;
        p->src_n = size;
        return HK_ERROR_SUCCESS;
    }
    for (size_t i = 0; i < cap; i++)
        p->u[i] = (uint16_t)(enc == ANSI ? cp1252_to_unit(s[i])
                             : enc == LE ? s[2 * i] | s[2 * i + 1] << 8
                                         : s[2 * i] << 8 | s[2 * i + 1]);
    p->n = cap;
    return HK_ERROR_SUCCESS;
}

/* ---- lines ------------------------------------------------------------ */

/* next_line of a text decoded line by line. */
static bool next_line_utf8(struct parser *p)
{
    if (p->src_next >= p->src_n && p->line > 0)
        return false;
    const uint8_t *s = p->src + p->src_next;
    size_t left = p->src_n - p->src_next;
    const uint8_t *nl = left ? memchr(s, '\n', left) : NULL;
    size_t len = nl ? (size_t)(nl - s) : left;
    p->src_next += nl ? len + 1 : len;
    if (p->all_ascii || text_ascii_end(s, len, 0) == len) {
        text_widen_ascii(p->u, s, len);
        p->n = len;
        p->line_bytes = s;
    } else {
        p->n = text_utf8_units(p->u, s, len);
        p->line_bytes = NULL;
    }
    p->start = 0;
    p->next = p->n;
    p->end = p->n && p->u[p->n - 1] == '\r' ? p->n - 1 : p->n;
    p->line++;
    return true;
}

/* Moves to the next line; false at the end of the text. */
static bool next_line(struct parser *p)
{
    if (p->by_line)
        return next_line_utf8(p);
    if (p->next >= p->n && p->line > 0)
        return false;
    p->start = p->next;
    size_t i = p->start;
    const uint16_t *u = p->u;
    /* Four units at a time: a lane of w ^ LF is zero at a '\n'. */
    for (uint64_t w; p->n - i >= 4; i += 4) {
        memcpy(&w, u + i, 8);
        w ^= 0x000A000A000A000Au;
        if ((w - 0x0001000100010001u) & ~w & 0x8000800080008000u)
            break;
    }
    while (i < p->n && u[i] != '\n')
        i++;
    p->next = i < p->n ? i + 1 : p->n;
    if (i > p->start && p->u[i - 1] == '\r')
        i--;
    p->end = i;
    p->line++;
    return true;
}

static bool is_blank(uint16_t c)
{
    return c == ' ' || c == '\t';
}

/* Whether the current line ends with a '\' (hex data going on), or the
 * next one starts like hex data (',' or a hex digit: the rest of a broken
 * continuation). Used to go on after a bad line. */
static bool continued(const struct parser *p)
{
    size_t i = p->end;
    while (i > p->start && is_blank(p->u[i - 1]))
        i--;
    if (i > p->start && p->u[i - 1] == '\\')
        return true;
    uint16_t c;
    if (p->by_line) {
        for (i = p->src_next; i < p->src_n && is_blank(p->src[i]); i++) {
        }
        if (i >= p->src_n)
            return false;
        c = p->src[i];
    } else {
        for (i = p->next; i < p->n && is_blank(p->u[i]); i++) {
        }
        if (i >= p->n)
            return false;
        c = p->u[i];
    }
    return c == ',' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t skip_blanks(const struct parser *p, size_t i)
{
    while (i < p->end && is_blank(p->u[i]))
        i++;
    return i;
}

/* Hex digit values of the ASCII units, -1 for the others. */
static const int8_t hex_digit[128] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  -1, -1, -1, -1, -1, -1,
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* A byte's hex digit value with 0x10 set; 0 for a byte that is none. */
static const uint8_t hex_nibble[256] = {
    ['0'] = 0x10, ['1'] = 0x11, ['2'] = 0x12, ['3'] = 0x13, ['4'] = 0x14, ['5'] = 0x15,
    ['6'] = 0x16, ['7'] = 0x17, ['8'] = 0x18, ['9'] = 0x19, ['a'] = 0x1A, ['b'] = 0x1B,
    ['c'] = 0x1C, ['d'] = 0x1D, ['e'] = 0x1E, ['f'] = 0x1F, ['A'] = 0x1A, ['B'] = 0x1B,
    ['C'] = 0x1C, ['D'] = 0x1D, ['E'] = 0x1E, ['F'] = 0x1F,
};

static int hex_value(uint16_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Whether the line from i on matches word, ASCII case-insensitively. */
static bool match_word(const struct parser *p, size_t i, const char *word)
{
    for (; *word; word++, i++) {
        if (i >= p->end)
            return false;
        uint16_t c = p->u[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint16_t)(c + 32);
        if (c != (uint16_t)*word)
            return false;
    }
    return true;
}

/* Whether the line from i on starts with word exactly. */
static bool match_exact(const struct parser *p, size_t i, const char *word)
{
    for (; *word; word++, i++)
        if (i >= p->end || p->u[i] != (uint16_t)*word)
            return false;
    return true;
}

/* After the data: only blanks and a ';' comment may follow. */
static hk_status line_rest(struct parser *p, size_t i)
{
    i = skip_blanks(p, i);
    if (i == p->end || p->u[i] == ';')
        return HK_ERROR_SUCCESS;
    if (p->u[i] == '#')
        return fail(p, i, "a '#' comment after data (only ';' may follow data)");
    return fail(p, i, "unexpected text after the data");
}

/* ---- building operations ---------------------------------------------- */

/* Appends units [from, to) of scratch-or-line as UTF-8 + NUL to the pool. */
static size_t pool_utf8(struct parser *p, const uint16_t *units, size_t count, size_t *len)
{
    struct textbuf *pool = &p->f->pool;
    size_t off = pool->len;
    /* A unit makes at most 3 bytes of WTF-8. */
    if (count > (SIZE_MAX - 1) / 3 || !textbuf_reserve(pool, 3 * count + 1))
        return off;
    uint8_t le[2 * 64];
    size_t i = 0;
    uint8_t *out = pool->p + pool->len; /* a local: bytes may alias *pool */
    while (i < count && units[i] < 0x80)
        out[i] = (uint8_t)units[i], i++;
    pool->len += i;
    while (i < count) {
        size_t k = 0;
        while (k < 64 && i + k < count) {
            le[2 * k] = (uint8_t)(units[i + k] & 0xFF);
            le[2 * k + 1] = (uint8_t)(units[i + k] >> 8);
            k++;
        }
        /* Keep a high surrogate with its low half in the same chunk. */
        if (k == 64 && i + k < count && units[i + k - 1] >= 0xD800 && units[i + k - 1] <= 0xDBFF)
            k--;
        pool->len += utf16le_to_utf8(le, k, (char *)pool->p + pool->len);
        i += k;
    }
    *len = pool->len - off;
    pool->p[pool->len++] = 0;
    return off;
}

/* Appends n bytes of ASCII + NUL to the pool. */
static size_t pool_bytes(struct parser *p, const uint8_t *s, size_t n, size_t *len)
{
    struct textbuf *pool = &p->f->pool;
    size_t off = pool->len;
    textbuf_add(pool, s, n);
    textbuf_addc(pool, 0);
    *len = n;
    return off;
}

static struct regop *add_op(struct parser *p, enum regop_kind kind, size_t pos)
{
    struct regfile *f = p->f;
    if (f->count == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 64;
        struct regop *ops = cap > SIZE_MAX / sizeof *ops
                                ? NULL
                                : hk_big_realloc(f->ops, f->cap * sizeof *ops, cap * sizeof *ops);
        if (!ops)
            return NULL;
        f->ops = ops;
        f->cap = hk_big_cap(cap * sizeof *ops) / sizeof *ops;
    }
    struct regop *op = &f->ops[f->count++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->line = p->line;
    op->column = column_of(p, pos);
    return op;
}

/* Sizes the pool and the operations once from the text's size instead of
 * growing them from nothing (they still grow past it): names and data take
 * about half of an exported .reg file's bytes in the pool (all of it is
 * reserved), and its lines average some 180 bytes (an operation per 32
 * bytes is reserved), sized for at most RESERVE_MAX bytes of text (then
 * they grow as they go). Reserved memory costs no page until it is used. */
#define RESERVE_MAX ((size_t)256 << 20)

static hk_status reserve(struct parser *p, size_t size)
{
    struct regfile *f = p->f;
    if (size > RESERVE_MAX - 64)
        size = RESERVE_MAX - 64;
    size_t ops = size / 32 + 64;
    f->ops = hk_big_realloc(NULL, 0, ops * sizeof *f->ops);
    if (!f->ops)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    f->cap = hk_big_cap(ops * sizeof *f->ops) / sizeof *f->ops;
    return textbuf_reserve(&f->pool, size + 64)
               ? HK_ERROR_SUCCESS
               : HK_ERROR_NOT_ENOUGH_MEMORY;
}

/* Appends a unit; quoted() has made room for the whole line. */
static void scratch_unit(struct parser *p, uint16_t u)
{
    memcpy(p->scratch.p + p->scratch.len, &u, 2);
    p->scratch.len += 2;
}

/* A quoted name or string starting at the '"' at *i: its units go to
 * scratch; *i moves past the closing quote. */
static hk_status quoted(struct parser *p, size_t *i, const char *what)
{
    size_t open = *i;
    p->scratch.len = 0;
    /* At most one unit per character of the line. */
    if (!textbuf_reserve(&p->scratch, 2 * (p->end - open)))
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    for (size_t k = open + 1; k < p->end; k++) {
        uint16_t c = p->u[k];
        if (c == '"') {
            *i = k + 1;
            return textbuf_status(&p->scratch);
        }
        if (c == '\\') {
            if (k + 1 >= p->end)
                break;
            uint16_t e = p->u[++k];
            c = e == '\\' || e == '"' ? e : e == 'n' ? '\n' : e == 'r' ? '\r' : 0;
            if (!c)
                return fail(p, k - 1, "unknown escape in %s (use \\\\ \\\" \\r or \\n)", what);
        }
        scratch_unit(p, c);
    }
    return fail(p, open, "%s has no closing '\"'", what);
}

static const uint16_t *scratch_units(const struct parser *p)
{
    return (const uint16_t *)(const void *)p->scratch.p;
}

static bool scratch_has_nul(const struct parser *p)
{
    for (size_t k = 0; k < p->scratch.len / 2; k++)
        if (scratch_units(p)[k] == 0)
            return true;
    return false;
}

/* ---- lines of the file ------------------------------------------------ */

/* Whether n bytes hold two '\\' in a row. */
static bool has_double_backslash(const uint8_t *s, size_t n)
{
    const uint8_t *end = s + n;
    while (end - s > 1) {
        const uint8_t *q = memchr(s, '\\', (size_t)(end - s) - 1);
        if (!q)
            return false;
        if (q[1] == '\\')
            return true;
        s = q + 1;
    }
    return false;
}

static hk_status key_line(struct parser *p, size_t i)
{
    size_t open = i++;
    if (i < p->end && is_blank(p->u[i]))
        return fail(p, i, "a blank after '[' (write the key path right after it)");
    bool deletion = i < p->end && p->u[i] == '-';
    if (deletion)
        i++;
    size_t close = p->end; /* one past the last ']' */
    while (close > i && p->u[close - 1] != ']')
        close--;
    if (close == i)
        return fail(p, open, "the key line has no closing ']'");
    size_t name_end = close - 1;
    /* One trailing '\' is tolerated (hivexregedit writes the root so). */
    if (name_end - i > 1 && p->u[name_end - 1] == '\\')
        name_end--;
    if (name_end == i)
        return fail(p, i, "an empty key path");
    const uint8_t *b = p->line_bytes;
    /* An ASCII path without a NUL, an empty name or a '\' at an end is
     * found good without the loop below (which says where it is bad). */
    bool good = b && b[i] != '\\' && b[name_end - 1] != '\\' &&
                !memchr(b + i, 0, name_end - i) && !has_double_backslash(b + i, name_end - i);
    for (size_t k = i, comp = i; !good && k <= name_end; k++) {
        if (k == name_end || p->u[k] == '\\') {
            if (k == comp)
                return fail(p, k, "an empty key name in the path (two '\\' or one at an end)");
            comp = k + 1;
        } else if (p->u[k] == 0) {
            return fail(p, k, "a NUL character in the key path");
        }
    }
    hk_status st = line_rest(p, close);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct regop *op = add_op(p, deletion ? REGOP_DELETE_KEY : REGOP_KEY, i);
    if (!op)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    op->text_off = b ? pool_bytes(p, b + i, name_end - i, &op->text_len) /* its own UTF-8 */
                     : pool_utf8(p, p->u + i, name_end - i, &op->text_len);
    p->in_key = true;
    p->key_deleted = deletion;
    return textbuf_status(&p->f->pool);
}

/* Moves to the line that continues hex data: blank lines and ';' comment
 * lines are skipped. Returns the position of its first hex digit. */
static hk_status continue_line(struct parser *p, size_t *at)
{
    while (next_line(p)) {
        size_t i = skip_blanks(p, p->start);
        if (i == p->end || p->u[i] == ';')
            continue;
        if (p->u[i] == '#')
            return fail(p, i, "a '#' comment inside continued hex data");
        if (hex_value(p->u[i]) < 0)
            return fail(p, i, "a continued line must start with a hex byte");
        *at = i;
        return HK_ERROR_SUCCESS;
    }
    return fail(p, p->end, "the file ends inside continued hex data");
}

/* Comma-separated hex bytes from i, across '\' continuations, appended to
 * the pool. */
static hk_status hex_bytes(struct parser *p, size_t i)
{
    struct textbuf *pool = &p->f->pool;
    bool want_byte = true;
    size_t count = 0;
    for (;;) {
        i = skip_blanks(p, i);
        if (i == p->end || p->u[i] == ';') {
            if (want_byte && count)
                return fail(p, i, "a ',' not followed by a hex byte (or by '\\' to continue)");
            return textbuf_status(pool);
        }
        /* The common run "hh,hh,...": two digits and a ',' each, decoded
         * here without the general checks (which the slow path below makes
         * for anything else, the last byte of a line included). */
        const uint8_t *b = p->line_bytes;
        if (want_byte && b && p->end - i >= 3 && (hex_nibble[b[i]] & hex_nibble[b[i + 1]] & 0x10) &&
            b[i + 2] == ',') {
            /* The same on the bytes of an ASCII line (i is also a byte
             * index there). */
            size_t end = p->end;
            if (!textbuf_reserve(pool, (end - i) / 3 + 1))
                return textbuf_status(pool);
            uint8_t *out = pool->p + pool->len, *first = out;
            const uint8_t *q = b + i, *last = b + end - 3; /* q <= last: 3 bytes left */
            do {
                unsigned hi = hex_nibble[q[0]], lo = hex_nibble[q[1]];
                if (!(hi & lo & 0x10) || q[2] != ',')
                    break;
                *out++ = (uint8_t)(hi << 4 | (lo & 0xF));
                q += 3;
            } while (q <= last);
            i = (size_t)(q - b);
            count += (size_t)(out - first);
            pool->len = (size_t)(out - pool->p);
            continue;
        }
        if (want_byte) {
            const uint16_t *u = p->u;
            size_t end = p->end;
            uint8_t *out = NULL;
            while (end - i >= 3 && u[i] < 0x80 && u[i + 1] < 0x80 && u[i + 2] == ',') {
                int hi = hex_digit[u[i]], lo = hex_digit[u[i + 1]];
                if ((hi | lo) < 0)
                    break;
                if (!out) {
                    /* at most one byte per three units left on the line */
                    if (!textbuf_reserve(pool, (end - i) / 3 + 1))
                        return textbuf_status(pool);
                    out = pool->p + pool->len;
                }
                *out++ = (uint8_t)(hi << 4 | lo);
                i += 3;
                count++;
            }
            if (out) {
                pool->len = (size_t)(out - pool->p);
                continue; /* what follows the run goes through the general path */
            }
        }
        uint16_t c = p->u[i];
        if (c == '\\') {
            hk_status st = line_rest(p, i + 1);
            if (st != HK_ERROR_SUCCESS)
                return fail(p, i + 1, "unexpected text after the continuation '\\'");
            if (!want_byte && count)
                return fail(p, i, "a '\\' continuation must follow a ','");
            st = continue_line(p, &i);
            if (st != HK_ERROR_SUCCESS)
                return st;
            continue;
        }
        if (want_byte && hex_value(c) >= 0) {
            int v = hex_value(c);
            i++;
            if (i < p->end && hex_value(p->u[i]) >= 0)
                v = v * 16 + hex_value(p->u[i++]);
            if (i < p->end && hex_value(p->u[i]) >= 0)
                return fail(p, i, "a hex byte has at most two digits");
            textbuf_addc(pool, (char)v);
            count++;
            want_byte = false;
        } else if (!want_byte && c == ',') {
            want_byte = true;
            i++;
        } else if (c == '#') {
            return fail(p, i, "a '#' comment after data (only ';' may follow data)");
        } else {
            return fail(p, i, want_byte ? "expected a hex byte" : "expected ',' between hex bytes");
        }
    }
}

/* REGEDIT4 stores the text of hex(1), hex(2) and hex(7) as ANSI bytes:
 * widen the bytes at off.. to UTF-16LE and end them with a NUL unit. */
static void widen_ansi(struct parser *p, size_t off)
{
    struct textbuf *pool = &p->f->pool;
    size_t n = pool->len - off;
    if (n == 0 || !textbuf_reserve(pool, n + 2))
        return;
    uint8_t *b = pool->p + off;
    bool nul_end = b[n - 1] == 0;
    for (size_t k = n; k-- > 0;) {
        uint16_t u = cp1252_to_unit(b[k]);
        b[2 * k] = (uint8_t)(u & 0xFF);
        b[2 * k + 1] = (uint8_t)(u >> 8);
    }
    pool->len = off + 2 * n;
    if (!nul_end) {
        pool->p[pool->len++] = 0;
        pool->p[pool->len++] = 0;
    }
}

static hk_status value_data(struct parser *p, size_t i, struct regop *op)
{
    struct textbuf *pool = &p->f->pool;
    op->data_off = pool->len;
    hk_status st;
    if (p->u[i] == '"') {
        st = quoted(p, &i, "the string");
        if (st != HK_ERROR_SUCCESS)
            return st;
        op->type = HK_REG_SZ;
        textbuf_add(pool, p->scratch.p, p->scratch.len); /* native units */
        for (size_t k = op->data_off; k + 1 < pool->len && !pool->oom; k += 2) {
            uint16_t u;
            memcpy(&u, pool->p + k, 2);
            pool->p[k] = (uint8_t)(u & 0xFF);
            pool->p[k + 1] = (uint8_t)(u >> 8);
        }
        textbuf_add(pool, "\0", 2);
        st = line_rest(p, i);
    } else if (match_word(p, i, "dword:")) {
        i += 6;
        size_t first = i;
        uint32_t v = 0;
        while (i < p->end && hex_value(p->u[i]) >= 0) {
            if (i - first == 8)
                return fail(p, first, "a dword has at most 8 hex digits");
            v = v << 4 | (uint32_t)hex_value(p->u[i++]);
        }
        if (i == first)
            return fail(p, i, "a dword needs 1 to 8 hex digits");
        uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
        textbuf_add(pool, le, 4);
        op->type = HK_REG_DWORD;
        st = line_rest(p, i);
    } else if (match_word(p, i, "hex:") || match_word(p, i, "hex(")) {
        op->type = HK_REG_BINARY;
        if (p->u[i + 3] == '(') {
            size_t first = i += 4;
            uint32_t t = 0;
            while (i < p->end && hex_value(p->u[i]) >= 0) {
                if (i - first == 8)
                    return fail(p, first, "a type has at most 8 hex digits");
                t = t << 4 | (uint32_t)hex_value(p->u[i++]);
            }
            if (i == first || !match_word(p, i, "):"))
                return fail(p, i == first ? first : i, "expected hex(TYPE): with TYPE in hex");
            op->type = t;
            i += 2;
        } else {
            i += 4;
        }
        st = hex_bytes(p, i);
        if (st == HK_ERROR_SUCCESS && p->f->v4 &&
            (op->type == HK_REG_SZ || op->type == HK_REG_EXPAND_SZ || op->type == HK_REG_MULTI_SZ))
            widen_ansi(p, op->data_off);
    } else {
        return fail(p, i, "unknown data (expected \"text\", dword:, hex:, hex(TYPE): or -)");
    }
    if (st == HK_ERROR_SUCCESS)
        st = textbuf_status(pool);
    op->data_len = pool->len - op->data_off;
    return st;
}

/* Whether the '"' at i on an ASCII line opens a name that closes on the
 * line with no escape and no NUL in it (*len: its bytes); else quoted()
 * reads it (and says what is wrong with it). */
static bool plain_ascii_name(const struct parser *p, size_t i, size_t *len)
{
    const uint8_t *b = p->line_bytes;
    if (!b)
        return false;
    for (size_t k = i + 1; k < p->end; k++) {
        uint8_t c = b[k];
        if (c == '"') {
            *len = k - i - 1;
            return true;
        }
        if (c == '\\' || c == 0)
            return false;
    }
    return false;
}

static hk_status value_line(struct parser *p, size_t i)
{
    size_t at = i;
    if (!p->in_key)
        return fail(p, i, "a value line before any key line");
    if (p->key_deleted)
        return fail(p, i, "a value line under a key deletion ([-...])");
    p->scratch.len = 0;
    const uint8_t *name = NULL; /* an ASCII name without escapes: its bytes */
    size_t name_len = 0;
    if (p->u[i] == '@') {
        i++;
    } else if (plain_ascii_name(p, i, &name_len)) {
        name = p->line_bytes + i + 1;
        i += name_len + 2;
    } else {
        hk_status st = quoted(p, &i, "the value name");
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (scratch_has_nul(p))
            return fail(p, at, "a NUL character in the value name");
    }
    i = skip_blanks(p, i);
    if (i == p->end || p->u[i] != '=')
        return fail(p, i, "expected '=' after the value name");
    i = skip_blanks(p, i + 1);
    if (i == p->end)
        return fail(p, i, "no data after '='");
    bool deletion = p->u[i] == '-';
    struct regop *op = add_op(p, deletion ? REGOP_DELETE_VALUE : REGOP_VALUE, at);
    if (!op)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    op->text_off = name ? pool_bytes(p, name, name_len, &op->text_len)
                        : pool_utf8(p, scratch_units(p), p->scratch.len / 2, &op->text_len);
    if (deletion)
        return line_rest(p, i + 1);
    return value_data(p, i, op);
}

static hk_status header(struct parser *p)
{
    if (!next_line(p))
        return fail(p, 0, "an empty file (expected the header '%s' or '%s')", header_v5, header_v4);
    size_t i = skip_blanks(p, p->start);
    if (match_exact(p, i, header_v5)) {
        i += sizeof header_v5 - 1;
    } else if (match_exact(p, i, header_v4)) {
        i += sizeof header_v4 - 1;
        p->f->v4 = true;
    } else {
        goto bad;
    }
    if (skip_blanks(p, i) == p->end)
        return HK_ERROR_SUCCESS;
bad:
    return fail(p, p->start, "expected the header '%s' or '%s' on the first line", header_v5,
                header_v4);
}

/* The parse of a text (inflated already); cut and *cut_short as decode's. */
static hk_status parse_text(const uint8_t *bytes, size_t size, struct regfile *out,
                            bool first_key_only, bool cut, bool *cut_short)
{
    memset(out, 0, sizeof *out);
    struct parser p;
    memset(&p, 0, sizeof p);
    p.f = out;
    hk_status st = decode(&p, bytes, size, first_key_only, cut, cut_short); /* by_line: bytes stay in use */
    if (st == HK_ERROR_SUCCESS && !first_key_only)
        st = reserve(&p, size);
    if (st == HK_ERROR_SUCCESS)
        st = header(&p);
    /* A bad line is reported and the parse goes on after it (and after the
     * lines that continue it), so that every error of a file is found; a
     * bad header or encoding ends it (not a .reg file). */
    bool bad = false;
    while (st == HK_ERROR_SUCCESS && next_line(&p)) {
        size_t i = skip_blanks(&p, p.start);
        if (i == p.end || p.u[i] == ';' || p.u[i] == '#')
            continue;
        if (p.u[i] == '[') {
            st = key_line(&p, i);
            if (st == HK_ERROR_INVALID_DATA) {
                p.in_key = true; /* its values are read, not blamed on it */
                p.key_deleted = false;
            }
            if (first_key_only)
                break;
        }
        else if (p.u[i] == '"' || p.u[i] == '@')
            st = value_line(&p, i);
        else
            st = fail(&p, i, "expected '[', '\"' or '@' at the start of a line");
        if (st == HK_ERROR_INVALID_DATA) {
            bad = true;
            st = HK_ERROR_SUCCESS;
            while (continued(&p) && next_line(&p)) {
            }
        }
    }
    if (st == HK_ERROR_SUCCESS && bad)
        st = HK_ERROR_INVALID_DATA;
    if (st == HK_ERROR_SUCCESS)
        st = textbuf_status(&out->pool);
    hk_big_free(p.u, p.u_bytes);
    textbuf_free(&p.scratch);
    return st;
}

static bool has_key(const struct regfile *f)
{
    for (size_t i = 0; i < f->count; i++)
        if (f->ops[i].kind == REGOP_KEY || f->ops[i].kind == REGOP_DELETE_KEY)
            return true;
    return false;
}

hk_status regparse(const void *text, size_t size, struct regfile *out, bool first_key_only)
{
    /* A gzip-compressed file is read through zlib, like a hive. */
    struct file_buf gz = {0};
    const uint8_t *bytes = text;
    if (size >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B) {
        memset(out, 0, sizeof *out);
        struct diag d;
        diag_clear(&d);
        hk_status st = file_from_memory(text, size, 0, &gz, &d);
        if (st != HK_ERROR_SUCCESS) {
            out->err_line = out->err_column = 1;
            snprintf(out->err, sizeof out->err, "gzip: %.150s", d.msg[0] ? d.msg : hk_strerror(st));
            return st == HK_ERROR_NOT_ENOUGH_MEMORY ? st : HK_ERROR_INVALID_DATA;
        }
        bytes = gz.data;
        size = gz.size;
    }
    /* The first key wanted: the text is decoded up to its first key line,
     * which is all a parse that stops there reads when it finds the key on
     * that line. Otherwise (an error before it, or the line taken as the
     * continuation of a value's data) the lines after it may matter: a
     * UTF-16 text, once decoded whole for this, is parsed again without the
     * cut, for the same errors as before. */
    bool cut_short = false;
    hk_status st = parse_text(bytes, size, out, first_key_only, first_key_only, &cut_short);
    if (cut_short && st != HK_ERROR_NOT_ENOUGH_MEMORY && !(st == HK_ERROR_SUCCESS && has_key(out))) {
        regfile_free(out);
        st = parse_text(bytes, size, out, true, false, &cut_short);
    }
    file_buf_free(&gz);
    return st;
}

void regfile_free(struct regfile *f)
{
    hk_big_free(f->ops, f->cap * sizeof *f->ops);
    f->ops = NULL;
    f->count = f->cap = 0;
    textbuf_free(&f->pool);
}
