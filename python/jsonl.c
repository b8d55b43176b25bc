/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lines of `hivekit export --format jsonl` made in C, byte for byte as
 * the CLI writes them, for Hive.export("jsonl") and the batch's parts (a
 * worker then spends its time in C): field order, escaping ('"', '\' and
 * C0 controls escaped, a byte that is not UTF-8 or a lone surrogate as
 * U+FFFD with the exact units in a "<field>_utf16_hex" field for names),
 * numbers, lowercase hex and the decoded "data" of strings, lists, a dword
 * of 4 bytes and a qword of 8. Each line may end with extra fields
 * (suffix) before its "}". Out of memory sets j->nomem. */
#include "ext.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#define write(fd, p, n) _write(fd, p, (unsigned)(n))
#else
#include <unistd.h>
#endif

static const char hex_lc[] = "0123456789abcdef";

static char *room(struct hkp_jsonl *j, size_t n)
{
    if (j->nomem || hkp_buf_reserve(&j->out, n) < 0) {
        j->nomem = 1;
        return NULL;
    }
    return j->out.p + j->out.len;
}

static void put(struct hkp_jsonl *j, const char *s, size_t n)
{
    char *w = room(j, n);
    if (w && n) {
        memcpy(w, s, n);
        j->out.len += n;
    }
}

static void put_s(struct hkp_jsonl *j, const char *s)
{
    put(j, s, strlen(s));
}

static void put_u64(struct hkp_jsonl *j, uint64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%llu", (unsigned long long)v);
    put(j, t, (size_t)n);
}

/* The length of the UTF-8 sequence at p (WTF-8: the lone surrogates ED
 * A0..BF xx too) and its code point; 0 when it is not one. */
static size_t seq(const uint8_t *p, size_t avail, uint32_t *cp)
{
    uint8_t b = p[0], lo = 0x80, hi = 0xBF;
    size_t more;
    if (b >= 0xC2 && b <= 0xDF)
        more = 1;
    else if (b >= 0xE0 && b <= 0xEF)
        more = 2;
    else if (b >= 0xF0 && b <= 0xF4)
        more = 3;
    else
        return 0;
    if (b == 0xE0)
        lo = 0xA0;
    else if (b == 0xF0)
        lo = 0x90;
    else if (b == 0xF4)
        hi = 0x8F;
    if (avail <= more)
        return 0;
    uint32_t v = b & (0x7Fu >> (more + 1));
    for (size_t k = 1; k <= more; k++, lo = 0x80, hi = 0xBF) {
        if (p[k] < lo || p[k] > hi)
            return 0;
        v = v << 6 | (p[k] & 0x3Fu);
    }
    *cp = v;
    return more + 1;
}

/* s as JSON string content (no quotes). */
static void escape(struct hkp_jsonl *j, const char *s, size_t n)
{
    char *w = room(j, 6 * n);
    if (!w)
        return;
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        uint8_t c = *p;
        uint32_t cp = 0;
        size_t len;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *w++ = (char)*p++;
        } else if (c == '"' || c == '\\') {
            *w++ = '\\';
            *w++ = (char)*p++;
        } else if (c < 0x20) {
            memcpy(w, "\\u00", 4);
            w[4] = hex_lc[c >> 4];
            w[5] = hex_lc[c & 15];
            w += 6;
            p++;
        } else if ((len = seq(p, (size_t)(end - p), &cp)) == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            memcpy(w, "\\ufffd", 6);
            w += 6;
            p += len ? len : 1;
        } else {
            memcpy(w, p, len);
            w += len;
            p += len;
        }
    }
    j->out.len = (size_t)(w - j->out.p);
}

static void string(struct hkp_jsonl *j, const char *s, size_t n)
{
    put(j, "\"", 1);
    escape(j, s, n);
    put(j, "\"", 1);
}

/* "field":"s", and "field_utf16_hex":"..." (s as UTF-16LE hex, a byte that
 * is not UTF-8 as its own unit) when the JSON text lost something. */
static void name_field(struct hkp_jsonl *j, const char *field, const char *s, size_t n)
{
    put(j, "\"", 1);
    put_s(j, field);
    put(j, "\":", 2);
    string(j, s, n);
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    int lossy = 0;
    for (size_t len; p < end && !lossy; p += len) {
        uint32_t cp = 0;
        len = *p < 0x80 ? 1 : seq(p, (size_t)(end - p), &cp);
        lossy = len == 0 || (cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (!lossy)
        return;
    put(j, ",\"", 2);
    put_s(j, field);
    put_s(j, "_utf16_hex\":\"");
    for (p = (const uint8_t *)s; p < end;) {
        uint32_t cp = *p;
        size_t len = *p < 0x80 ? 1 : seq(p, (size_t)(end - p), &cp);
        if (len == 0) {
            cp = *p;
            len = 1;
        }
        uint32_t units[2] = {cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int k = 0; k < nu; k++) {
            char h[4] = {hex_lc[(units[k] >> 4) & 15], hex_lc[units[k] & 15],
                         hex_lc[(units[k] >> 12) & 15], hex_lc[(units[k] >> 8) & 15]};
            put(j, h, 4);
        }
        p += len;
    }
    put(j, "\"", 1);
}

static void line_start(struct hkp_jsonl *j, const char *type)
{
    put_s(j, type);
    put(j, j->jpath.p, j->jpath.len);
    put(j, ",", 1);
}

static void line_end(struct hkp_jsonl *j)
{
    put(j, j->suffix, j->suffix_len);
    put(j, "}\n", 2);
    j->lines++;
}

void hkp_jsonl_key(struct hkp_jsonl *j, const char *path, size_t path_len, const char *name,
                   size_t name_len, const hk_key_info *ki, const char *cls, size_t cls_len)
{
    /* The path field of the key's lines: "path" with its hex twin. */
    struct hkp_buf out = j->out;
    j->out = j->jpath;
    j->out.len = 0;
    name_field(j, "path", path, path_len);
    j->jpath = j->out;
    j->out = out;
    char iso[HK_FILETIME_TEXT_SIZE];
    size_t iso_len = hk_filetime_text(ki->last_write, iso);
    line_start(j, "{\"type\":\"key\",");
    name_field(j, "name", name, name_len);
    put_s(j, ",\"last_write\":");
    put_u64(j, ki->last_write);
    put_s(j, ",\"last_write_utc\":\"");
    put(j, iso, iso_len);
    put_s(j, "\",\"subkeys\":");
    put_u64(j, ki->subkeys);
    put_s(j, ",\"values\":");
    put_u64(j, ki->values);
    if (cls_len) {
        put_s(j, ",\"class\":");
        string(j, cls, cls_len);
    }
    line_end(j);
}

/* ,"data":... for the types that decode. */
static void decoded(struct hkp_jsonl *j, uint32_t type, const char *data, size_t size)
{
    size_t n = size / 2 * 3 + 1, count = 0;
    hk_status st = HK_ERROR_MORE_DATA;
    switch (type) {
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ:
    case HK_REG_MULTI_SZ:
        for (int tries = 0; tries < 3 && st == HK_ERROR_MORE_DATA; tries++) {
            if (hkp_buf_reserve(&j->text, n) < 0) {
                j->nomem = 1;
                return;
            }
            n = j->text.cap;
            st = type == HK_REG_MULTI_SZ ? hk_decode_multi_sz(data, size, j->text.p, &n, &count)
                                         : hk_decode_string(data, size, j->text.p, &n);
        }
        if (st != HK_ERROR_SUCCESS)
            return;
        put_s(j, ",\"data\":");
        if (type != HK_REG_MULTI_SZ) {
            string(j, j->text.p, strnlen(j->text.p, n));
            return;
        }
        put(j, "[", 1);
        for (size_t i = 0, start = 0; i < count; i++) {
            size_t len = strnlen(j->text.p + start, n - start);
            if (i > 0)
                put(j, ",", 1);
            string(j, j->text.p + start, len);
            start += len + 1;
        }
        put(j, "]", 1);
        return;
    case HK_REG_DWORD:
    case HK_REG_QWORD:
        if (size == (type == HK_REG_DWORD ? 4u : 8u)) {
            put_s(j, ",\"data\":");
            put_u64(j, type == HK_REG_DWORD ? hk_decode_dword(data, size)
                                            : hk_decode_qword(data, size));
        }
        return;
    default:
        return;
    }
}

void hkp_jsonl_value(struct hkp_jsonl *j, const char *name, size_t name_len, uint32_t type,
                     const char *data, size_t size)
{
    line_start(j, "{\"type\":\"value\",");
    name_field(j, "name", name, name_len);
    put_s(j, ",\"reg_type\":");
    put_u64(j, type);
    put_s(j, ",\"type_name\":\"");
    const char *tn = hk_type_name(type);
    char scratch[32];
    if (!tn) {
        snprintf(scratch, sizeof scratch, "REG_0x%X", (unsigned)type);
        tn = scratch;
    }
    put_s(j, tn);
    put_s(j, "\",\"size\":");
    put_u64(j, size);
    put_s(j, ",\"data_hex\":\"");
    char *w = room(j, 2 * size + 1);
    if (w) {
        for (size_t i = 0; i < size; i++) {
            w[2 * i] = hex_lc[(uint8_t)data[i] >> 4];
            w[2 * i + 1] = hex_lc[(uint8_t)data[i] & 15];
        }
        j->out.len += 2 * size;
    }
    put(j, "\"", 1);
    decoded(j, type, data, size);
    line_end(j);
}

int hkp_jsonl_flush(struct hkp_jsonl *j)
{
    size_t done = 0;
    while (!j->werr && done < j->out.len) {
        size_t n = j->out.len - done;
        long w = (long)write(j->fd, j->out.p + done, n > (1u << 30) ? (1u << 30) : n);
        if (w > 0)
            done += (size_t)w;
        else if (w == 0 || errno != EINTR)
            j->werr = w == 0 ? EIO : errno;
    }
    j->out.len = 0;
    return j->werr ? -1 : 0;
}

void hkp_jsonl_free(struct hkp_jsonl *j)
{
    PyMem_RawFree(j->out.p);
    PyMem_RawFree(j->jpath.p);
    PyMem_RawFree(j->text.p);
}
