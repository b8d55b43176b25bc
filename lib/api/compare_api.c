/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Comparison of two key trees as reg compare does it (api layer): names
 * match case-insensitively (through the lookups), values compare by type
 * and exact bytes; the keys' class names too, and on request their
 * last-write times and security descriptors. */
#include <string.h>

#include "api/handle.h"
#include "api/walkbuf.h"

struct cmp {
    hk_diff_fn fn;
    void *ctx;
    uint32_t flags; /* HK_COMPARE_* */
    uint64_t count;
    struct textbuf path, name, data_a, data_b, cls, cls_b;
};

static hk_status report(struct cmp *c, hk_diff *d)
{
    c->count++;
    d->path = (const char *)c->path.p;
    d->path_len = c->path.len;
    if (c->fn && c->fn(d, c->ctx) != 0)
        return HK_ERROR_CANCELLED;
    return HK_ERROR_SUCCESS;
}

/* Value i of k: its name in c->name with a NUL after it (to look it up by
 * name on the other side), its type and data. */
static hk_status value_named(struct cmp *c, hk_key *k, uint32_t i, uint32_t *type,
                             struct textbuf *data)
{
    hk_status st = walk_value(k, i, &c->name, type, data);
    if (st != HK_ERROR_SUCCESS)
        return st;
    textbuf_addc(&c->name, 0);
    return textbuf_status(&c->name);
}

/* Values of a against b (ONLY_A, CHANGED), then values only b has. */
static hk_status cmp_values(struct cmp *c, hk_key *a, hk_key *b, uint32_t na, uint32_t nb)
{
    for (uint32_t i = 0; i < na; i++) {
        hk_diff d = {0};
        d.key_a = a, d.key_b = b;
        hk_status st = value_named(c, a, i, &d.type_a, &c->data_a);
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = walk_query(b, (const char *)c->name.p, &d.type_b, &c->data_b);
        d.name = (const char *)c->name.p;
        d.name_len = c->name.len - 1;
        d.data_a = c->data_a.p, d.size_a = c->data_a.len;
        if (st == HK_ERROR_FILE_NOT_FOUND) {
            d.kind = HK_DIFF_VALUE_ONLY_A;
        } else if (st != HK_ERROR_SUCCESS) {
            return st;
        } else if (d.type_a != d.type_b || c->data_a.len != c->data_b.len ||
                   (c->data_a.len && memcmp(c->data_a.p, c->data_b.p, c->data_a.len) != 0)) {
            d.kind = HK_DIFF_VALUE_CHANGED;
            d.data_b = c->data_b.p, d.size_b = c->data_b.len;
        } else {
            continue;
        }
        st = report(c, &d);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    for (uint32_t i = 0; i < nb; i++) {
        hk_diff d = {0};
        d.key_a = a, d.key_b = b;
        hk_status st = value_named(c, b, i, &d.type_b, &c->data_b);
        if (st != HK_ERROR_SUCCESS)
            return st;
        size_t size = 0;
        st = hk_query_value_ex(a, (const char *)c->name.p, NULL, NULL, &size);
        if (st == HK_ERROR_SUCCESS)
            continue;
        if (st != HK_ERROR_FILE_NOT_FOUND)
            return st;
        d.kind = HK_DIFF_VALUE_ONLY_B;
        d.name = (const char *)c->name.p;
        d.name_len = c->name.len - 1;
        d.data_b = c->data_b.p, d.size_b = c->data_b.len;
        st = report(c, &d);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return HK_ERROR_SUCCESS;
}

static hk_status cmp_keys(struct cmp *c, hk_key *a, hk_key *b);

/* Each subkey of from: looked up in other; missing ones are reported as
 * kind, shared ones compared (only when a_side, so each pair once). */
static hk_status cmp_subkeys(struct cmp *c, hk_key *from, hk_key *other, bool a_side)
{
    size_t mark = c->path.len;
    for (uint32_t i = 0;; i++) {
        hk_key *child, *twin = NULL;
        hk_status st = hk_open_subkey_at(from, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = walk_key_name(child, &c->name);
        if (st == HK_ERROR_SUCCESS) {
            if (mark)
                textbuf_addc(&c->path, '\\');
            textbuf_add(&c->path, c->name.p, c->name.len);
            textbuf_addc(&c->name, 0);
            st = textbuf_status(&c->name);
        }
        if (st == HK_ERROR_SUCCESS)
            st = hk_open_key(other, (const char *)c->name.p, 0, HK_KEY_READ, &twin);
        if (st == HK_ERROR_FILE_NOT_FOUND) {
            hk_diff d = {0};
            d.kind = a_side ? HK_DIFF_KEY_ONLY_A : HK_DIFF_KEY_ONLY_B;
            d.key_a = a_side ? child : NULL;
            d.key_b = a_side ? NULL : child;
            st = report(c, &d);
        } else if (st == HK_ERROR_SUCCESS && a_side) {
            st = cmp_keys(c, child, twin);
        }
        c->path.len = mark;
        hk_close_key(twin);
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
}

static bool same_bytes(const void *a, size_t na, const void *b, size_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

/* The security descriptor of key into b. */
static hk_status read_security(hk_key *key, struct textbuf *b)
{
    b->len = 0;
    if (!textbuf_reserve(b, 256)) /* never NULL: NULL asks for the size */
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    for (;;) {
        size_t size = b->cap;
        hk_status st = hk_get_key_security(key, b->p, &size);
        if (st == HK_ERROR_SUCCESS) {
            b->len = size;
            return st;
        }
        if (st != HK_ERROR_INSUFFICIENT_BUFFER && st != HK_ERROR_MORE_DATA)
            return st;
        if (!textbuf_reserve(b, size))
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
}

/* What differs about the keys themselves: class, and as flags ask, the
 * last-write time and the security descriptor. */
static hk_status cmp_key_itself(struct cmp *c, hk_key *a, hk_key *b, const hk_key_info *ia,
                                const hk_key_info *ib)
{
    hk_diff d = {0};
    d.key_a = a, d.key_b = b;
    hk_status st = HK_ERROR_SUCCESS;
    if (!same_bytes(c->cls.p, c->cls.len, c->cls_b.p, c->cls_b.len)) {
        d.kind = HK_DIFF_CLASS_CHANGED;
        d.data_a = c->cls.p, d.size_a = c->cls.len;
        d.data_b = c->cls_b.p, d.size_b = c->cls_b.len;
        st = report(c, &d);
    }
    if (st == HK_ERROR_SUCCESS && (c->flags & HK_COMPARE_TIMES) && ia->last_write != ib->last_write) {
        hk_diff t = {0};
        t.kind = HK_DIFF_TIME_CHANGED;
        t.key_a = a, t.key_b = b;
        t.time_a = ia->last_write, t.time_b = ib->last_write;
        st = report(c, &t);
    }
    if (st == HK_ERROR_SUCCESS && (c->flags & HK_COMPARE_SECURITY)) {
        st = read_security(a, &c->data_a);
        if (st == HK_ERROR_SUCCESS)
            st = read_security(b, &c->data_b);
        if (st == HK_ERROR_SUCCESS &&
            !same_bytes(c->data_a.p, c->data_a.len, c->data_b.p, c->data_b.len)) {
            hk_diff s = {0};
            s.kind = HK_DIFF_SECURITY_CHANGED;
            s.key_a = a, s.key_b = b;
            s.data_a = c->data_a.p, s.size_a = c->data_a.len;
            s.data_b = c->data_b.p, s.size_b = c->data_b.len;
            st = report(c, &s);
        }
    }
    return st;
}

static hk_status cmp_keys(struct cmp *c, hk_key *a, hk_key *b)
{
    hk_key_info ia = HK_KEY_INFO_INIT, ib = HK_KEY_INFO_INIT;
    hk_status st = walk_info(a, &c->cls, &ia);
    if (st == HK_ERROR_SUCCESS)
        st = walk_info(b, &c->cls_b, &ib);
    if (st == HK_ERROR_SUCCESS)
        st = cmp_key_itself(c, a, b, &ia, &ib);
    if (st == HK_ERROR_SUCCESS)
        st = cmp_values(c, a, b, ia.values, ib.values);
    if (st == HK_ERROR_SUCCESS)
        st = cmp_subkeys(c, a, b, true);
    if (st == HK_ERROR_SUCCESS)
        st = cmp_subkeys(c, b, a, false);
    return st;
}

HK_API hk_status hk_compare_keys(hk_key *a, hk_key *b, hk_diff_fn fn, void *ctx, uint64_t *count)
{
    api_enter();
    return hk_compare_keys_ex(a, b, 0, fn, ctx, count);
}

HK_API hk_status hk_compare_keys_ex(hk_key *a, hk_key *b, uint32_t flags, hk_diff_fn fn, void *ctx,
                                    uint64_t *count)
{
    api_enter();
    if (!a || !b)
        return HK_ERROR_INVALID_HANDLE;
    if (flags & ~(HK_COMPARE_TIMES | HK_COMPARE_SECURITY))
        return HK_ERROR_INVALID_PARAMETER;
    struct cmp c;
    memset(&c, 0, sizeof c);
    c.fn = fn;
    c.ctx = ctx;
    c.flags = flags;
    hk_status st = cmp_keys(&c, a, b);
    if (st == HK_ERROR_SUCCESS && count)
        *count = c.count;
    textbuf_free(&c.path);
    textbuf_free(&c.name);
    textbuf_free(&c.data_a);
    textbuf_free(&c.data_b);
    textbuf_free(&c.cls);
    textbuf_free(&c.cls_b);
    return st;
}
