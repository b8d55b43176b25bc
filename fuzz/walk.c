/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One full read of a hive through the public API, with the promises that
 * must hold on any input checked as it goes. */
#include "walk.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static const char *context;

void fz_set_context(const char *text)
{
    context = text;
}

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (context)
        fprintf(stderr, "hivekit fuzz: while running %s\n", context);
    fputs("hivekit fuzz: broken promise: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

hk_status fz_expect(hk_hive *h, unsigned flags, hk_status st, const char *what, hk_status extra1,
                    hk_status extra2)
{
    if (st == HK_ERROR_SUCCESS || (extra1 && st == extra1) || (extra2 && st == extra2))
        return st;
    if (st == HK_ERROR_NOT_ENOUGH_MEMORY && (flags & FZ_ALLOW_OOM))
        return st;
    if (st == HK_ERROR_BADDB) {
        if (h && hk_errmsg()[0] == '\0')
            fz_fail("%s: BADDB without a detail message", what);
        return st;
    }
    fz_fail("%s: status %u (%s)", what, st, hk_strerror(st));
}

struct walk {
    hk_hive *h;
    unsigned flags;
    unsigned long steps, max_steps;
    hk_status first; /* first failure */
    char *buf;       /* scratch, grown as needed */
    size_t cap;
};

static char *scratch(struct walk *w, size_t n)
{
    if (n > w->cap) {
        char *p = realloc(w->buf, n);
        if (!p)
            fz_fail("harness out of memory for %zu bytes", n);
        w->buf = p;
        w->cap = n;
    }
    return w->buf;
}

/* Records a failure; returns 1 when the caller should stop its loop. */
static int failed(struct walk *w, hk_status st, const char *what, hk_status extra)
{
    st = fz_expect(w->h, w->flags, st, what, extra, HK_ERROR_SUCCESS);
    if (st == HK_ERROR_SUCCESS || st == extra)
        return st != HK_ERROR_SUCCESS;
    if (w->first == HK_ERROR_SUCCESS)
        w->first = st;
    return 1;
}

/* Asks the size with a NULL buffer, then reads into an exact buffer: both
 * answers must agree. Returns the text (NUL-terminated) or NULL. */
static char *key_name(struct walk *w, hk_key *k, size_t *len)
{
    size_t need = 0;
    if (failed(w, hk_key_name(k, NULL, &need), "hk_key_name size", 0))
        return NULL;
    char *name = malloc(need ? need : 1);
    size_t got = need;
    if (!name)
        fz_fail("harness out of memory");
    if (failed(w, hk_key_name(k, name, &got), "hk_key_name", 0)) {
        free(name);
        return NULL;
    }
    if (got + 1 != need)
        fz_fail("hk_key_name: size %zu asked, %zu written", need, got);
    *len = got;
    return name;
}

static void decode(struct walk *w, uint32_t type, const uint8_t *data, size_t size)
{
    size_t need = 0, got, count = 0, count2 = 0;
    (void)type;
    if (hk_decode_string(data, size, NULL, &need) != HK_ERROR_SUCCESS)
        fz_fail("hk_decode_string size failed");
    got = need;
    if (hk_decode_string(data, size, scratch(w, need), &got) != HK_ERROR_SUCCESS || got != need)
        fz_fail("hk_decode_string: size %zu asked, %zu written", need, got);
    if (hk_decode_multi_sz(data, size, NULL, &need, &count) != HK_ERROR_SUCCESS)
        fz_fail("hk_decode_multi_sz size failed");
    got = need;
    if (hk_decode_multi_sz(data, size, scratch(w, need), &got, &count2) != HK_ERROR_SUCCESS ||
        got != need || count2 != count)
        fz_fail("hk_decode_multi_sz: %zu bytes/%zu items asked, %zu/%zu written", need, count, got,
                count2);
    volatile uint64_t sink = hk_decode_dword(data, size) + hk_decode_qword(data, size);
    (void)sink;
}

/* Returns 0 when the value list itself failed (every later index would too). */
static int walk_value(struct walk *w, hk_key *k, uint32_t i)
{
    size_t ns = 0, ds = 0;
    uint32_t type = 0;
    hk_status st = hk_enum_value(k, i, NULL, &ns, &type, NULL, &ds);
    if (failed(w, st, "hk_enum_value sizes", 0))
        return 0;
    char *name = malloc(ns ? ns : 1);
    uint8_t *data = malloc(ds ? ds : 1);
    if (!name || !data)
        fz_fail("harness out of memory for a %zu-byte value", ds);
    if (ds > 1) {
        size_t short_ns = ns, short_ds = ds - 1;
        st = hk_enum_value(k, i, name, &short_ns, NULL, data, &short_ds);
        if (st != HK_ERROR_MORE_DATA && !failed(w, st, "hk_enum_value short", 0))
            fz_fail("hk_enum_value: a short data buffer gave %u", st);
        /* the name fits: it is copied, its length without the NUL returned */
        if (st == HK_ERROR_MORE_DATA && (short_ds != ds || short_ns + 1 != ns))
            fz_fail("hk_enum_value: MORE_DATA needs %zu/%zu, sizes said %zu/%zu", short_ns,
                    short_ds, ns, ds);
    }
    size_t ns2 = ns, ds2 = ds;
    uint32_t type2 = 0;
    st = hk_enum_value(k, i, name, &ns2, &type2, data, &ds2);
    if (!failed(w, st, "hk_enum_value", 0)) {
        if (ns2 + 1 != ns || ds2 != ds || type2 != type)
            fz_fail("hk_enum_value: sizes %zu/%zu type %u, then %zu/%zu type %u", ns, ds, type,
                    ns2, ds2, type2);
        decode(w, type, data, ds);
        /* By name: a name with a NUL finds its prefix, an equal name
         * earlier in the list wins; only the outcome class is checked. */
        size_t qs = 0;
        uint32_t qt;
        st = hk_query_value_ex(k, name, &qt, NULL, &qs);
        if (!failed(w, st, "hk_query_value_ex size", HK_ERROR_FILE_NOT_FOUND) &&
            st == HK_ERROR_SUCCESS) {
            uint8_t *q = malloc(qs ? qs : 1);
            size_t qs2 = qs;
            if (!q)
                fz_fail("harness out of memory");
            st = hk_query_value_ex(k, name, &qt, q, &qs2);
            if (!failed(w, st, "hk_query_value_ex", 0) && qs2 != qs)
                fz_fail("hk_query_value_ex: size %zu asked, %zu read", qs, qs2);
            free(q);
        }
    }
    free(name);
    free(data);
    return 1;
}

static void walk_key(struct walk *w, hk_key *k, unsigned depth);

/* Returns 0 when the subkey list failed at i (later indexes are not tried). */
static int walk_subkey(struct walk *w, hk_key *k, uint32_t i, unsigned depth)
{
    size_t need = 0;
    uint64_t t;
    if (failed(w, hk_enum_key_ex(k, i, NULL, &need, &t), "hk_enum_key_ex size", 0))
        return 0;
    char *name = malloc(need ? need : 1);
    size_t got = need;
    if (!name)
        fz_fail("harness out of memory");
    if (!failed(w, hk_enum_key_ex(k, i, name, &got, &t), "hk_enum_key_ex", 0) && got + 1 != need)
        fz_fail("hk_enum_key_ex: size %zu asked, %zu written", need, got);
    hk_key *c = NULL;
    if (!failed(w, hk_open_subkey_at(k, i, HK_KEY_READ, &c), "hk_open_subkey_at", 0)) {
        size_t len;
        char *own = key_name(w, c, &len);
        if (own && (len != got || memcmp(own, name, len) != 0))
            fz_fail("subkey %u: enumerated and own names differ", i);
        free(own);
        if (depth + 1 > HK_MAX_DEPTH)
            fz_fail("a key %u levels deep opened", depth + 1);
        walk_key(w, c, depth + 1);
        hk_close_key(c);
    }
    /* By name, when the name is a plain path component: a list that turns
     * out unsorted further on may hide it (FILE_NOT_FOUND). */
    if (got > 0 && strlen(name) == got && !strchr(name, '\\')) {
        hk_status st = hk_open_key(k, name, 0, HK_KEY_READ, &c);
        if (!failed(w, st, "hk_open_key", HK_ERROR_FILE_NOT_FOUND) && st == HK_ERROR_SUCCESS)
            hk_close_key(c);
    }
    free(name);
    return 1;
}

static void walk_key(struct walk *w, hk_key *k, unsigned depth)
{
    if (++w->steps > w->max_steps)
        return;
    size_t len, need = 0, got;
    free(key_name(w, k, &len));
    hk_key_info info = HK_KEY_INFO_INIT, info2 = HK_KEY_INFO_INIT;
    if (failed(w, hk_query_info_key(k, NULL, NULL, &info), "hk_query_info_key", 0))
        return;
    if (!failed(w, hk_query_info_key(k, NULL, &need, &info2), "hk_query_info_key class size", 0)) {
        got = need;
        if (!failed(w, hk_query_info_key(k, scratch(w, need), &got, &info2), "hk_query_info_key class",
                    0) && got + 1 != need)
            fz_fail("class: size %zu asked, %zu written", need, got);
    }
    need = 0;
    if (!failed(w, hk_get_key_security(k, NULL, &need), "hk_get_key_security size", 0)) {
        if (need != info.security_descriptor_size)
            fz_fail("security descriptor of %zu bytes, info says %u", need,
                    info.security_descriptor_size);
        got = need;
        if (!failed(w, hk_get_key_security(k, scratch(w, need), &got), "hk_get_key_security", 0) &&
            got != need)
            fz_fail("hk_get_key_security: size %zu asked, %zu written", need, got);
    }
    need = 0;
    hk_status st = hk_query_value(k, NULL, NULL, &need);
    if (!failed(w, st, "hk_query_value size", HK_ERROR_INVALID_DATA) && st == HK_ERROR_SUCCESS) {
        got = need;
        if (!failed(w, hk_query_value(k, NULL, scratch(w, need), &got), "hk_query_value", 0) &&
            got != need)
            fz_fail("hk_query_value: size %zu asked, %zu written", need, got);
    }
    for (uint32_t i = 0; i < info.values && w->steps <= w->max_steps; i++, w->steps++)
        if (!walk_value(w, k, i))
            break;
    size_t s = 1;
    if (hk_enum_value(k, info.values, NULL, &s, NULL, NULL, NULL) != HK_ERROR_NO_MORE_ITEMS)
        fz_fail("value index %u past the count is not NO_MORE_ITEMS", info.values);
    for (uint32_t i = 0; i < info.subkeys && w->steps <= w->max_steps; i++, w->steps++)
        if (!walk_subkey(w, k, i, depth))
            break;
}

hk_status fz_walk(hk_hive *h, unsigned flags, unsigned long max_steps, FILE *out)
{
    struct walk w = {h, flags, 0, max_steps, HK_ERROR_SUCCESS, NULL, 0};
    hk_hive_info info = HK_HIVE_INFO_INIT;
    if (hk_hive_info_get(h, &info) != HK_ERROR_SUCCESS)
        fz_fail("hk_hive_info_get failed on an open hive");
    hk_key *root;
    if (failed(&w, hk_hive_root(h, &root), "hk_hive_root", 0))
        return w.first;
    walk_key(&w, root, 0);
    if (out && w.steps <= w.max_steps) {
        hk_status st = fz_export_jsonl(root, out, 0);
        failed(&w, st, "export jsonl", 0);
    }
    hk_close_key(root);
    free(w.buf);
    return w.first;
}

static int write_file(const void *data, size_t size, void *ctx)
{
    return fwrite(data, 1, size, ctx) == size ? 0 : -1;
}

hk_status fz_export_jsonl(hk_key *root, FILE *out, int salvage)
{
    hk_export_options opts = HK_EXPORT_OPTIONS_INIT;
    opts.format = HK_FORMAT_JSONL;
    opts.flags = salvage ? HK_EXPORT_SALVAGE : 0;
    return hk_export(root, &opts, write_file, out);
}

/* Every log report of an open hive: strings present, the count bounded. */
static void log_reports(hk_hive *h)
{
    for (uint32_t i = 0;; i++) {
        hk_log_info li = HK_LOG_INFO_INIT;
        hk_status st = hk_hive_log_info(h, i, &li);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            return;
        if (st != HK_ERROR_SUCCESS)
            fz_fail("hk_hive_log_info(%u): status %u", i, st);
        if (!li.path || !li.note || li.format > HK_LOG_FORMAT_NEW || i > 16)
            fz_fail("hk_hive_log_info(%u): a report without its strings, or too many", i);
    }
}

hk_status fz_open_walk_with(const void *data, size_t size, const hk_open_options *opts,
                            unsigned flags, unsigned long max_steps, FILE *out)
{
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_READONLY;
    if (opts)
        o = *opts;
    hk_hive *h = NULL;
    hk_status st = hk_hive_open_memory(data, size, &o, &h);
    if (st != HK_ERROR_SUCCESS) {
        fz_expect(NULL, flags, st, "hk_hive_open_memory", HK_ERROR_NOT_REGISTRY_FILE,
                  HK_ERROR_CANTREAD);
        /* no memory says all in its status; every other failure has a detail */
        if (st != HK_ERROR_NOT_ENOUGH_MEMORY && hk_errmsg()[0] == '\0')
            fz_fail("hk_hive_open_memory: status %u without a message", st);
        return st;
    }
    log_reports(h);
    st = fz_walk(h, flags, max_steps, out);
    hk_hive_close(h);
    return st;
}

hk_status fz_open_walk(const void *data, size_t size, unsigned flags, unsigned long max_steps,
                       FILE *out)
{
    return fz_open_walk_with(data, size, NULL, flags, max_steps, out);
}
