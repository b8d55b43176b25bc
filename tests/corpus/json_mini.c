/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json_mini: recursive-descent JSON reader for the corpus tests. */
#include "json_mini.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JM_MAX_DEPTH 64

struct parser {
    const char *p;
    const char *end;
    const char *start;
    char *err;
    size_t err_size;
    int failed;
};

__attribute__((format(printf, 2, 3))) static void fail(struct parser *ps, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    if (!ps->err || ps->err_size == 0)
        return;
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->err_size, "json: %s at byte %ld", what, (long)(ps->p - ps->start));
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int literal(struct parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        fail(ps, "bad literal");
        return 0;
    }
    ps->p += n;
    return 1;
}

/* A growable byte buffer for string decoding. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};

static int buf_put(struct buf *b, const char *src, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 1;
}

static int put_code_point(struct buf *b, uint32_t cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_put(b, out, n);
}

static int hex4(struct parser *ps, uint32_t *out)
{
    if (ps->end - ps->p < 4) {
        fail(ps, "short \\u escape");
        return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else {
            fail(ps, "bad \\u escape");
            return 0;
        }
        v = v * 16 + d;
    }
    ps->p += 4;
    *out = v;
    return 1;
}

static int escape(struct parser *ps, struct buf *b)
{
    char c = *ps->p++;
    const char *simple = NULL;
    switch (c) {
    case '"': simple = "\""; break;
    case '\\': simple = "\\"; break;
    case '/': simple = "/"; break;
    case 'b': simple = "\b"; break;
    case 'f': simple = "\f"; break;
    case 'n': simple = "\n"; break;
    case 'r': simple = "\r"; break;
    case 't': simple = "\t"; break;
    case 'u': break;
    default:
        fail(ps, "bad escape");
        return 0;
    }
    if (simple)
        return buf_put(b, simple, 1);
    uint32_t cp;
    if (!hex4(ps, &cp))
        return 0;
    if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
        ps->p[1] == 'u') {
        const char *save = ps->p;
        uint32_t lo;
        ps->p += 2;
        if (!hex4(ps, &lo))
            return 0;
        if (lo >= 0xDC00 && lo < 0xE000)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else
            ps->p = save; /* unpaired high surrogate: keep it alone (WTF-8) */
    }
    return put_code_point(b, cp);
}

static int parse_string(struct parser *ps, char **out, size_t *out_len)
{
    struct buf b = {NULL, 0, 0};
    ps->p++; /* opening quote */
    if (!buf_put(&b, "", 0))
        goto oom;
    while (ps->p < ps->end && *ps->p != '"') {
        const char *run = ps->p;
        while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' &&
               (unsigned char)*ps->p >= 0x20)
            ps->p++;
        if (!buf_put(&b, run, (size_t)(ps->p - run)))
            goto oom;
        if (ps->p >= ps->end || *ps->p == '"')
            break;
        if ((unsigned char)*ps->p < 0x20) {
            fail(ps, "control character in string");
            free(b.data);
            return 0;
        }
        ps->p++; /* backslash */
        if (ps->p >= ps->end || !escape(ps, &b)) {
            fail(ps, "bad escape");
            free(b.data);
            return 0;
        }
    }
    if (ps->p >= ps->end) {
        fail(ps, "unterminated string");
        free(b.data);
        return 0;
    }
    ps->p++; /* closing quote */
    *out = b.data;
    *out_len = b.len;
    return 1;
oom:
    fail(ps, "out of memory");
    free(b.data);
    return 0;
}

static int parse_number(struct parser *ps, jm_value *v)
{
    const char *s = ps->p;
    int integral = 1;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
        fail(ps, "bad number");
        return 0;
    }
    while (ps->p < ps->end) {
        char c = *ps->p;
        if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
            integral = 0;
        else if (c < '0' || c > '9')
            break;
        ps->p++;
    }
    char tmp[64];
    size_t n = (size_t)(ps->p - s);
    if (n >= sizeof tmp) {
        fail(ps, "number too long");
        return 0;
    }
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *endp;
    v->type = JM_NUMBER;
    v->d = strtod(tmp, &endp);
    if (*endp != '\0') {
        fail(ps, "bad number");
        return 0;
    }
    if (integral) {
        errno = 0;
        long long ll = strtoll(tmp, &endp, 10);
        if (errno == 0 && *endp == '\0') {
            v->is_int = 1;
            v->i = (int64_t)ll;
        }
    }
    return 1;
}

static int parse_value(struct parser *ps, jm_value *v, int depth);

static int push(jm_value **items, char ***keys, size_t *count, size_t *cap, int with_keys)
{
    if (*count < *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 8;
    jm_value *ni = realloc(*items, ncap * sizeof *ni);
    if (!ni)
        return 0;
    *items = ni;
    if (with_keys) {
        char **nk = realloc(*keys, ncap * sizeof *nk);
        if (!nk)
            return 0;
        *keys = nk;
    }
    *cap = ncap;
    return 1;
}

static int parse_container(struct parser *ps, jm_value *v, int depth, int is_object)
{
    size_t cap = 0;
    char close = is_object ? '}' : ']';
    v->type = is_object ? JM_OBJECT : JM_ARRAY;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    for (;;) {
        if (!push(&v->items, &v->keys, &v->count, &cap, is_object)) {
            fail(ps, "out of memory");
            return 0;
        }
        jm_value *item = &v->items[v->count];
        memset(item, 0, sizeof *item);
        if (is_object) {
            size_t klen;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != '"') {
                fail(ps, "expected member name");
                return 0;
            }
            if (!parse_string(ps, &v->keys[v->count], &klen))
                return 0;
            v->count++; /* owned from here on, freed with v */
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                fail(ps, "expected ':'");
                return 0;
            }
            ps->p++;
        } else {
            v->count++;
        }
        if (!parse_value(ps, item, depth + 1))
            return 0;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return 1;
        }
        fail(ps, "expected ',' or '%c'", close);
        return 0;
    }
}

static int parse_value(struct parser *ps, jm_value *v, int depth)
{
    if (depth > JM_MAX_DEPTH) {
        fail(ps, "nesting too deep");
        return 0;
    }
    skip_ws(ps);
    if (ps->p >= ps->end) {
        fail(ps, "unexpected end");
        return 0;
    }
    switch (*ps->p) {
    case 'n':
        v->type = JM_NULL;
        return literal(ps, "null");
    case 't':
        v->type = JM_BOOL;
        v->boolean = 1;
        return literal(ps, "true");
    case 'f':
        v->type = JM_BOOL;
        return literal(ps, "false");
    case '"':
        v->type = JM_STRING;
        return parse_string(ps, &v->str, &v->len);
    case '[':
        return parse_container(ps, v, depth, 0);
    case '{':
        return parse_container(ps, v, depth, 1);
    default:
        return parse_number(ps, v);
    }
}

static void free_inner(jm_value *v)
{
    for (size_t i = 0; i < v->count; i++) {
        free_inner(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
}

void jm_free(jm_value *v)
{
    if (!v)
        return;
    free_inner(v);
    free(v);
}

jm_value *jm_parse(const char *text, size_t len, char *err, size_t err_size)
{
    struct parser ps = {text, text + len, text, err, err_size, 0};
    jm_value *v = calloc(1, sizeof *v);
    if (!v) {
        fail(&ps, "out of memory");
        return NULL;
    }
    if (parse_value(&ps, v, 0)) {
        skip_ws(&ps);
        if (ps.p != ps.end)
            fail(&ps, "trailing characters");
    }
    if (ps.failed) {
        jm_free(v);
        return NULL;
    }
    return v;
}

jm_value *jm_parse_file(const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "json: cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct buf b = {NULL, 0, 0};
    char chunk[65536];
    size_t n;
    int ok = 1;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!buf_put(&b, chunk, n)) {
            ok = 0;
            break;
        }
    if (ferror(f))
        ok = 0;
    fclose(f);
    if (!ok) {
        snprintf(err, err_size, "json: cannot read %s", path);
        free(b.data);
        return NULL;
    }
    jm_value *v = jm_parse(b.data ? b.data : "", b.len, err, err_size);
    free(b.data);
    return v;
}

const jm_value *jm_get(const jm_value *v, const char *key)
{
    if (!v || v->type != JM_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

const char *jm_get_str(const jm_value *v, const char *key)
{
    return jm_str(jm_get(v, key), NULL);
}

int64_t jm_int(const jm_value *v, int64_t dflt)
{
    return v && v->type == JM_NUMBER && v->is_int ? v->i : dflt;
}

const char *jm_str(const jm_value *v, const char *dflt)
{
    return v && v->type == JM_STRING ? v->str : dflt;
}

int jm_is_null(const jm_value *v)
{
    return !v || v->type == JM_NULL;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; eras of 400 years). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int jm_iso8601_us(const char *s, int64_t *us, int *digits)
{
    int y, mo, d, h, mi, sec, n = 0, nd = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
        n == 0)
        return 0;
    int64_t frac = 0;
    if (s[n] == '.')
        for (n++; s[n] >= '0' && s[n] <= '9'; n++)
            if (nd < 6) {
                frac = frac * 10 + (s[n] - '0');
                nd++;
            }
    if (digits)
        *digits = nd;
    for (int i = nd; i < 6; i++)
        frac *= 10;
    *us = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000000 + frac;
    return 1;
}
