/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .reg writer (text layer). Lines are built as UTF-8 and encoded when
 * flushed. Hex data wraps as regedit wraps it: after a comma, once the line
 * holds 77 or more characters (the "name"=hex(T): prefix counted), with "\"
 * and two spaces of indent on the next line. */
#include "text/regwrite.h"

#include "base/alloc.h"
#include "base/utf16.h"
#include "text/cp1252.h"

enum { HEX_WRAP_COLUMN = 77, FLUSH_AT = 1 << 18 };

static const char header_v5[] = "Windows Registry Editor Version 5.00\r\n";
static const char header_v4[] = "REGEDIT4\r\n";

/* The next code point of WTF-8 text at *i (advanced), or -1 if ill-formed. */
static int32_t next_cp(const uint8_t *s, size_t n, size_t *i)
{
    uint8_t c = s[*i];
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || n - *i < len)
        return -1;
    int32_t cp = len == 1 ? c : (int32_t)(c & (0x7F >> len));
    for (size_t k = 1; k < len; k++) {
        if ((s[*i + k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[*i + k] & 0x3F);
    }
    *i += len;
    return cp;
}

/* UTF-16 units of WTF-8 text: the column width regedit counts. */
static size_t units_of(const uint8_t *s, size_t n)
{
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            u += s[i] >= 0xF0 ? 2 : 1;
    return u;
}

/* Whether text (a name or path) fits the file: no NUL (nothing can carry
 * it), CR or LF too when crlf_bad, and in REGEDIT4 only Windows-1252. */
static bool text_fits(const struct regwrite *w, const uint8_t *s, size_t n, bool crlf_bad)
{
    for (size_t i = 0; i < n;) {
        int32_t cp = next_cp(s, n, &i);
        if (cp <= 0 || (crlf_bad && (cp == '\r' || cp == '\n')))
            return false;
        if (w->v4 && (cp > 0xFFFF || cp1252_from_unit((uint16_t)cp) < 0))
            return false;
    }
    return true;
}

static hk_status emit(struct regwrite *w, const void *p, size_t n)
{
    if (w->stopped)
        return HK_ERROR_CANCELLED;
    if (n && w->write(p, n, w->ctx) != 0) {
        w->stopped = true;
        return diag_set(DIAG_DETAIL, HK_ERROR_CANCELLED, "the output refused %zu bytes", n);
    }
    return HK_ERROR_SUCCESS;
}

hk_status regw_init(struct regwrite *w, bool v4, uint32_t encoding, hk_write_fn write, void *ctx)
{
    memset(w, 0, sizeof *w);
    if (encoding == HK_ENCODING_DEFAULT)
        encoding = v4 ? HK_ENCODING_CP1252 : HK_ENCODING_UTF16LE;
    if (encoding > HK_ENCODING_CP1252 || (encoding == HK_ENCODING_CP1252 && !v4) || !write)
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                        "encoding %u does not suit the format", encoding);
    w->v4 = v4;
    w->encoding = encoding;
    w->write = write;
    w->ctx = ctx;
    if (encoding == HK_ENCODING_UTF16LE)
        textbuf_add(&w->text, "\xEF\xBB\xBF", 3); /* U+FEFF: FF FE once encoded */
    textbuf_adds(&w->text, v4 ? header_v4 : header_v5);
    return textbuf_status(&w->text);
}

hk_status regw_key(struct regwrite *w, const char *path, size_t path_len, bool deletion)
{
    const uint8_t *p = (const uint8_t *)path;
    if (path_len == 0 || !text_fits(w, p, path_len, true))
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_DATA,
                        "key '%.*s' has a name a %s key line cannot carry", (int)path_len, path,
                        w->v4 ? "REGEDIT4" : ".reg");
    textbuf_add(&w->text, "\r\n[", 3);
    if (deletion)
        textbuf_addc(&w->text, '-');
    textbuf_add(&w->text, path, path_len);
    textbuf_add(&w->text, "]\r\n", 3);
    return regw_flush(w, false);
}

/* "name"= or @=; returns the column after it, or 0 if the name cannot be
 * written. CR and LF are written as \r and \n (as Wine's regedit does). */
static size_t put_name(struct regwrite *w, const char *name, size_t name_len)
{
    struct textbuf *t = &w->text;
    if (name_len == 0) {
        textbuf_add(t, "@=", 2);
        return 2;
    }
    if (!text_fits(w, (const uint8_t *)name, name_len, false))
        return 0;
    size_t start = t->len;
    textbuf_addc(t, '"');
    for (size_t i = 0; i < name_len; i++) {
        char c = name[i];
        if (c == '\\' || c == '"')
            textbuf_addc(t, '\\');
        else if (c == '\r' || c == '\n') {
            textbuf_addc(t, '\\');
            c = c == '\r' ? 'r' : 'n';
        }
        textbuf_addc(t, c);
    }
    textbuf_add(t, "\"=", 2);
    return t->oom ? 1 : units_of(t->p + start, t->len - start);
}

static uint16_t unit_at(const uint8_t *d, size_t i)
{
    return (uint16_t)(d[2 * i] | d[2 * i + 1] << 8);
}

/* Whether a REG_SZ's bytes come back exactly from a "..." string: whole
 * units of valid UTF-16, one final NUL and no other, no CR or LF (a string
 * cannot span lines), and in REGEDIT4 only Windows-1252. */
static bool sz_as_string(const struct regwrite *w, const uint8_t *d, size_t size)
{
    if (size < 2 || size % 2 || unit_at(d, size / 2 - 1) != 0)
        return false;
    size_t n = size / 2 - 1;
    for (size_t i = 0; i < n; i++) {
        uint16_t u = unit_at(d, i);
        if (u == 0 || u == '\r' || u == '\n')
            return false;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 1 >= n || unit_at(d, i + 1) < 0xDC00 || unit_at(d, i + 1) > 0xDFFF)
                return false;
            i++;
            if (w->v4)
                return false;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return false;
        } else if (w->v4 && cp1252_from_unit(u) < 0) {
            return false;
        }
    }
    return true;
}

static void put_string(struct regwrite *w, const uint8_t *d, size_t size)
{
    size_t n = size / 2 - 1;
    struct textbuf *tmp = &w->tmp;
    tmp->len = 0;
    size_t need = utf16le_utf8_len(d, n);
    if (!textbuf_reserve(tmp, need)) {
        w->text.oom = true;
        return;
    }
    tmp->len = utf16le_to_utf8(d, n, (char *)tmp->p);
    struct textbuf *t = &w->text;
    textbuf_addc(t, '"');
    for (size_t i = 0; i < tmp->len; i++) {
        if (tmp->p[i] == '\\' || tmp->p[i] == '"')
            textbuf_addc(t, '\\');
        textbuf_addc(t, (char)tmp->p[i]);
    }
    textbuf_addc(t, '"');
}

/* REGEDIT4 holds the text of hex(1), hex(2) and hex(7) as ANSI bytes, which
 * import widens to UTF-16 and ends with a NUL unit when the last is not one.
 * Converts d to those bytes in w->tmp; false when that would not give back
 * d exactly. */
static bool ansi_bytes(struct regwrite *w, const uint8_t *d, size_t size)
{
    if (size % 2 || (size && unit_at(d, size / 2 - 1) != 0))
        return false;
    w->tmp.len = 0;
    if (!textbuf_reserve(&w->tmp, size / 2)) {
        w->text.oom = true;
        return true;
    }
    for (size_t i = 0; i < size / 2; i++) {
        int b = cp1252_from_unit(unit_at(d, i));
        if (b < 0)
            return false;
        w->tmp.p[w->tmp.len++] = (uint8_t)b;
    }
    return true;
}

static void put_hex(struct regwrite *w, size_t col, uint32_t type, const uint8_t *d, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    struct textbuf *t = &w->text;
    size_t start = t->len;
    if (type == HK_REG_BINARY) {
        textbuf_add(t, "hex:", 4);
    } else {
        textbuf_add(t, "hex(", 4);
        textbuf_hex(t, type);
        textbuf_add(t, "):", 2);
    }
    col += t->len - start;
    /* At most 3 bytes per data byte plus 5 per wrapped line. */
    if (size > SIZE_MAX / 6 || !textbuf_reserve(t, 6 * size + 8))
        return;
    uint8_t *o = t->p + t->len;
    for (size_t i = 0; i < size; i++) {
        *o++ = (uint8_t)digits[d[i] >> 4];
        *o++ = (uint8_t)digits[d[i] & 0xF];
        if (i + 1 == size)
            break;
        *o++ = ',';
        col += 3;
        if (col >= HEX_WRAP_COLUMN) {
            memcpy(o, "\\\r\n  ", 5);
            o += 5;
            col = 2;
        }
    }
    t->len = (size_t)(o - t->p);
}

hk_status regw_value(struct regwrite *w, const char *name, size_t name_len, uint32_t type,
                     const uint8_t *data, size_t size)
{
    size_t mark = w->text.len;
    size_t col = put_name(w, name, name_len);
    if (col == 0)
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_DATA,
                        "value name '%.*s' holds a character a %s file cannot carry",
                        (int)name_len, name, w->v4 ? "REGEDIT4" : ".reg");
    if (type == HK_REG_SZ && sz_as_string(w, data, size)) {
        put_string(w, data, size);
    } else if (type == HK_REG_DWORD && size == 4) {
        static const char digits[] = "0123456789abcdef";
        char txt[14] = "dword:";
        uint32_t v = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
                     (uint32_t)data[3] << 24;
        for (int i = 0; i < 8; i++)
            txt[6 + i] = digits[(v >> (28 - 4 * i)) & 0xF];
        textbuf_add(&w->text, txt, 14);
    } else if (w->v4 && (type == HK_REG_SZ || type == HK_REG_EXPAND_SZ || type == HK_REG_MULTI_SZ)) {
        if (!ansi_bytes(w, data, size)) {
            w->text.len = mark;
            return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_DATA,
                            "value '%.*s' (type %u): REGEDIT4 cannot hold these bytes exactly "
                            "(text outside Windows-1252, or no final NUL); use the reg format",
                            (int)name_len, name, type);
        }
        put_hex(w, col, type, w->tmp.p, w->tmp.len);
    } else {
        put_hex(w, col, type, data, size);
    }
    textbuf_add(&w->text, "\r\n", 2);
    return regw_flush(w, false);
}

hk_status regw_delete_value(struct regwrite *w, const char *name, size_t name_len)
{
    if (put_name(w, name, name_len) == 0)
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_DATA,
                        "value name '%.*s' holds a character a %s file cannot carry",
                        (int)name_len, name, w->v4 ? "REGEDIT4" : ".reg");
    textbuf_add(&w->text, "-\r\n", 3);
    return regw_flush(w, false);
}

/* w->text as UTF-16 units in w->units; returns the count. */
static hk_status to_units(struct regwrite *w, size_t *count)
{
    size_t cap = w->text.len;
    if (cap > w->units_cap) {
        uint16_t *u = hk_realloc(w->units, cap * sizeof *u);
        if (!u)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        w->units = u;
        w->units_cap = cap;
    }
    if (utf8_to_utf16((const char *)w->text.p, w->text.len, w->units, cap, count) != 0)
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_DATA,
                        "text that is not UTF-8 reached the writer");
    return HK_ERROR_SUCCESS;
}

hk_status regw_flush(struct regwrite *w, bool force)
{
    hk_status st = textbuf_status(&w->text);
    if (st != HK_ERROR_SUCCESS || (!force && w->text.len < FLUSH_AT) || w->text.len == 0)
        return st;
    if (w->encoding == HK_ENCODING_UTF8) {
        st = emit(w, w->text.p, w->text.len);
        w->text.len = 0;
        return st;
    }
    size_t n;
    st = to_units(w, &n);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct textbuf *e = &w->enc;
    e->len = 0;
    if (!textbuf_reserve(e, 2 * n))
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < n; i++) {
        uint16_t u = w->units[i];
        if (w->encoding == HK_ENCODING_UTF16LE) {
            e->p[e->len++] = (uint8_t)(u & 0xFF);
            e->p[e->len++] = (uint8_t)(u >> 8);
        } else {
            int b = cp1252_from_unit(u);
            if (b < 0)
                return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_DATA,
                                "U+%04X has no Windows-1252 byte", (unsigned)u);
            e->p[e->len++] = (uint8_t)b;
        }
    }
    w->text.len = 0;
    return emit(w, e->p, e->len);
}

hk_status regw_finish(struct regwrite *w)
{
    textbuf_add(&w->text, "\r\n", 2);
    return regw_flush(w, true);
}

void regw_free(struct regwrite *w)
{
    textbuf_free(&w->text);
    textbuf_free(&w->enc);
    textbuf_free(&w->tmp);
    hk_dealloc(w->units);
    w->units = NULL;
    w->units_cap = 0;
}
