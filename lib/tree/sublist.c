/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Subkey list upkeep (tree layer). Works on offsets: any allocation may
 * move the image, so pointers are taken again after each one. */
#include "tree/sublist.h"

#include <string.h>

#include "hive/cellalloc.h"
#include "record/encode.h"
#include "record/nk.h"

enum { HDR = 4 };

struct entry {
    uint32_t nk, hint, hash;
};

char sublist_kind_for(uint32_t minor)
{
    return minor >= 5 ? 'h' : minor >= 3 ? 'f' : 'i';
}

static uint8_t *body(struct hive_image *img, uint32_t off)
{
    return cell_body_unchecked(img, off);
}

static uint32_t stride_of(char kind)
{
    return kind == 'i' || kind == 'r' ? 4u : 8u;
}

static uint32_t cap_of(char kind)
{
    return kind == 'f' ? LEAF_MAX_LF : LEAF_MAX_LH;
}

static char kind_at(struct hive_image *img, uint32_t list)
{
    const uint8_t *p = body(img, list);
    return p[0] == 'r' ? 'r' : (char)p[1];
}

static uint32_t count_at(struct hive_image *img, uint32_t list)
{
    return le16_unchecked(body(img, list) + 2);
}

static uint32_t entry_nk(struct hive_image *img, uint32_t leaf, uint32_t i)
{
    return le32_unchecked(body(img, leaf) + HDR + (size_t)i * stride_of(kind_at(img, leaf)));
}

static void put_entry(uint8_t *p, char kind, const struct entry *e)
{
    put_le32(p, e->nk);
    if (kind == 'f')
        put_le32(p + 4, e->hint);
    else if (kind == 'h')
        put_le32(p + 4, e->hash);
}

/* Compares the names of two key nodes in Windows' order. */
static hk_status cmp_keys(struct hive_image *img, uint32_t a, uint32_t b, int *c)
{
    struct nk na, nb;
    hk_status st = nk_read(img, a, &na);
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(img, b, &nb);
    if (st == HK_ERROR_SUCCESS)
        *c = name_cmp(&na.name, &nb.name);
    return st;
}

/* The first position in leaf whose key sorts at or after child. The last
 * entry is tried first: keys made in sorted order (a .reg import, a tree
 * copy) go at the end, found with one comparison. */
static hk_status lower_bound(struct hive_image *img, uint32_t leaf, uint32_t child, uint32_t *pos)
{
    uint32_t lo = 0, hi = count_at(img, leaf);
    if (hi > 0) {
        int c;
        hk_status st = cmp_keys(img, entry_nk(img, leaf, hi - 1), child, &c);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (c < 0) {
            *pos = hi;
            return HK_ERROR_SUCCESS;
        }
        hi--; /* the last sorts at or after child: the answer is at most hi */
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c;
        hk_status st = cmp_keys(img, entry_nk(img, leaf, mid), child, &c);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return HK_ERROR_SUCCESS;
}

/* Entries a growing list gets room for: exact while small, then half as
 * many again, so a list of n entries is copied O(log n) times, not n (the
 * room is slack of the cell, which readers ignore). */
static uint32_t room_for(uint32_t n)
{
    return n < 16 ? n : n + n / 2;
}

/* A new list cell of kind with count n and room for room entries. */
static hk_status new_list_room(struct hive_image *img, char kind, uint32_t n, uint32_t room,
                               uint32_t *out)
{
    hk_status st = cell_alloc(img, HDR + room * stride_of(kind), out);
    if (st != HK_ERROR_SUCCESS)
        return st;
    char sig[3] = {kind == 'r' ? 'r' : 'l', kind == 'r' ? 'i' : kind, 0};
    list_header_encode(cell_body_unchecked(img, *out), sig, (uint16_t)n);
    return HK_ERROR_SUCCESS;
}

/* A new list cell of kind holding n entries. */
static hk_status new_list(struct hive_image *img, char kind, uint32_t n, uint32_t *out)
{
    return new_list_room(img, kind, n, n, out);
}

/* Inserts a stride-sized raw entry at pos of list (ri or leaf); the list may
 * move (*list updated). */
static hk_status list_insert_raw(struct hive_image *img, uint32_t *list, uint32_t pos,
                                 const uint8_t *raw)
{
    char kind = kind_at(img, *list);
    uint32_t s = stride_of(kind), n = count_at(img, *list);
    uint32_t need = HDR + (n + 1) * s;
    if (cell_capacity_unchecked(img, *list) >= need) {
        uint8_t *p = body(img, *list) + HDR;
        memmove(p + (size_t)(pos + 1) * s, p + (size_t)pos * s, (size_t)(n - pos) * s);
        memcpy(p + (size_t)pos * s, raw, s);
        put_le16(body(img, *list) + 2, (uint16_t)(n + 1));
        return HK_ERROR_SUCCESS;
    }
    uint8_t copy[8];
    memcpy(copy, raw, s);
    uint32_t fresh;
    hk_status st = new_list_room(img, kind, n + 1, room_for(n + 1), &fresh);
    if (st != HK_ERROR_SUCCESS)
        return st;
    const uint8_t *src = body(img, *list) + HDR;
    uint8_t *dst = body(img, fresh) + HDR;
    memcpy(dst, src, (size_t)pos * s);
    memcpy(dst + (size_t)pos * s, copy, s);
    memcpy(dst + (size_t)(pos + 1) * s, src + (size_t)pos * s, (size_t)(n - pos) * s);
    cell_free(img, *list);
    *list = fresh;
    return HK_ERROR_SUCCESS;
}

/* Splits a full leaf in halves, the new entry going to its place: the two
 * new leaves replace it. */
static hk_status split_leaf(struct hive_image *img, uint32_t leaf, uint32_t pos, const uint8_t *raw,
                            uint32_t *left, uint32_t *right)
{
    char kind = kind_at(img, leaf);
    uint32_t s = stride_of(kind), n = count_at(img, leaf), half = (n + 1) / 2;
    uint8_t copy[8];
    memcpy(copy, raw, s);
    hk_status st = new_list(img, kind, half, left);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = new_list(img, kind, n + 1 - half, right);
    if (st != HK_ERROR_SUCCESS) {
        cell_free(img, *left);
        return st;
    }
    /* Entries 0..n of the list with the new one in place, dealt out. */
    for (uint32_t i = 0, from = 0; i <= n; i++) {
        const uint8_t *e = i == pos ? copy : body(img, leaf) + HDR + (size_t)(from++) * s;
        uint32_t dst = i < half ? *left : *right;
        uint32_t at = i < half ? i : i - half;
        memcpy(body(img, dst) + HDR + (size_t)at * s, e, s);
    }
    cell_free(img, leaf);
    return HK_ERROR_SUCCESS;
}

static hk_status child_entry(struct hive_image *img, uint32_t child, struct entry *e)
{
    struct nk nk;
    hk_status st = nk_read(img, child, &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    e->nk = child;
    e->hint = name_lf_hint(nk.name);
    e->hash = name_lh_hash(nk.name);
    return HK_ERROR_SUCCESS;
}

static void set_parent_list(struct hive_image *img, uint32_t parent, uint32_t list, uint32_t count)
{
    uint8_t *p = body(img, parent);
    put_le32(p + NK_SUBKEYS, list);
    put_le32(p + NK_SUBKEY_COUNT, count);
}

/* Inserts into a leaf; *leaf may become two (then *right != CELL_NIL). */
static hk_status leaf_insert(struct hive_image *img, uint32_t *leaf, uint32_t *right,
                             const struct entry *e)
{
    uint32_t pos;
    hk_status st = lower_bound(img, *leaf, e->nk, &pos);
    if (st != HK_ERROR_SUCCESS)
        return st;
    char kind = kind_at(img, *leaf);
    uint8_t raw[8];
    put_entry(raw, kind, e);
    *right = CELL_NIL;
    if (count_at(img, *leaf) < cap_of(kind))
        return list_insert_raw(img, leaf, pos, raw);
    uint32_t l;
    st = split_leaf(img, *leaf, pos, raw, &l, right);
    if (st == HK_ERROR_SUCCESS)
        *leaf = l;
    return st;
}

/* The leaf of an ri that takes child: the first whose last key sorts at or
 * after it, else the last. */
static hk_status pick_leaf(struct hive_image *img, uint32_t ri, uint32_t child, uint32_t *idx)
{
    uint32_t n = count_at(img, ri);
    *idx = n - 1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t leaf = le32_unchecked(body(img, ri) + HDR + 4 * (size_t)i);
        uint32_t lc = count_at(img, leaf);
        if (lc == 0)
            continue;
        int c;
        hk_status st = cmp_keys(img, entry_nk(img, leaf, lc - 1), child, &c);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (c >= 0) {
            *idx = i;
            break;
        }
    }
    return HK_ERROR_SUCCESS;
}

/* Makes room for one more entry in the ri of parent (moving it if needed,
 * the parent following at once), so that nothing can fail after a split. */
static hk_status ri_reserve(struct hive_image *img, uint32_t parent, uint32_t *ri)
{
    uint32_t n = count_at(img, *ri);
    if (cell_capacity_unchecked(img, *ri) >= HDR + (n + 1) * 4)
        return HK_ERROR_SUCCESS;
    uint32_t fresh;
    hk_status st = new_list_room(img, 'r', n, room_for(n + 1), &fresh);
    if (st != HK_ERROR_SUCCESS)
        return st;
    memcpy(body(img, fresh) + HDR, body(img, *ri) + HDR, 4 * (size_t)n);
    cell_free(img, *ri);
    *ri = fresh;
    put_le32(body(img, parent) + NK_SUBKEYS, fresh);
    return HK_ERROR_SUCCESS;
}

static hk_status ri_insert(struct hive_image *img, uint32_t parent, uint32_t *ri,
                           const struct entry *e)
{
    uint32_t idx;
    hk_status st = ri_reserve(img, parent, ri);
    if (st == HK_ERROR_SUCCESS)
        st = pick_leaf(img, *ri, e->nk, &idx);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t leaf = le32_unchecked(body(img, *ri) + HDR + 4 * (size_t)idx), right;
    st = leaf_insert(img, &leaf, &right, e);
    if (st != HK_ERROR_SUCCESS)
        return st;
    put_le32(body(img, *ri) + HDR + 4 * (size_t)idx, leaf);
    if (right == CELL_NIL)
        return HK_ERROR_SUCCESS;
    uint8_t raw[4];
    put_le32(raw, right);
    return list_insert_raw(img, ri, idx + 1, raw);
}

hk_status sublist_insert(struct hive_image *img, uint32_t parent, uint32_t child)
{
    struct entry e;
    hk_status st = child_entry(img, child, &e);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t count = le32_unchecked(body(img, parent) + NK_SUBKEY_COUNT);
    uint32_t list = le32_unchecked(body(img, parent) + NK_SUBKEYS);
    if (count == 0) {
        char kind = sublist_kind_for(img->bb.minor);
        st = new_list(img, kind, 1, &list);
        if (st != HK_ERROR_SUCCESS)
            return st;
        put_entry(body(img, list) + HDR, kind, &e);
        set_parent_list(img, parent, list, 1);
        return HK_ERROR_SUCCESS;
    }
    if (kind_at(img, list) == 'r') {
        st = ri_insert(img, parent, &list, &e);
    } else {
        /* A full leaf splits under a new ri, allocated first: nothing can
         * fail once the old leaf is gone. */
        uint32_t ri = CELL_NIL, right;
        if (count_at(img, list) >= cap_of(kind_at(img, list)))
            st = new_list(img, 'r', 2, &ri);
        if (st == HK_ERROR_SUCCESS)
            st = leaf_insert(img, &list, &right, &e);
        if (st == HK_ERROR_SUCCESS && right != CELL_NIL) {
            put_le32(body(img, ri) + HDR, list);
            put_le32(body(img, ri) + HDR + 4, right);
            list = ri;
        } else if (ri != CELL_NIL) {
            cell_free(img, ri);
        }
    }
    if (st != HK_ERROR_SUCCESS)
        return st;
    set_parent_list(img, parent, list, count + 1);
    return HK_ERROR_SUCCESS;
}

/* Finds child in leaf: by name first (the list is sorted), then by a scan
 * (a list that is not). UINT32_MAX when absent. */
static hk_status leaf_find(struct hive_image *img, uint32_t leaf, uint32_t child, uint32_t *pos)
{
    hk_status st = lower_bound(img, leaf, child, pos);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t n = count_at(img, leaf);
    if (*pos < n && entry_nk(img, leaf, *pos) == child)
        return HK_ERROR_SUCCESS;
    for (*pos = 0; *pos < n; (*pos)++)
        if (entry_nk(img, leaf, *pos) == child)
            return HK_ERROR_SUCCESS;
    *pos = UINT32_MAX;
    return HK_ERROR_SUCCESS;
}

static void list_remove_raw(struct hive_image *img, uint32_t list, uint32_t pos)
{
    uint32_t s = stride_of(kind_at(img, list)), n = count_at(img, list);
    uint8_t *p = body(img, list) + HDR;
    memmove(p + (size_t)pos * s, p + (size_t)(pos + 1) * s, (size_t)(n - pos - 1) * s);
    put_le16(body(img, list) + 2, (uint16_t)(n - 1));
}

hk_status sublist_remove(struct hive_image *img, uint32_t parent, uint32_t child)
{
    uint32_t count = le32_unchecked(body(img, parent) + NK_SUBKEY_COUNT);
    uint32_t list = le32_unchecked(body(img, parent) + NK_SUBKEYS);
    if (count == 0)
        return IMAGE_CORRUPT(img, parent, "key 0x%x is missing from its parent's empty list", child);
    bool ri = kind_at(img, list) == 'r';
    uint32_t leaves = ri ? count_at(img, list) : 1;
    for (uint32_t i = 0; i < leaves; i++) {
        uint32_t leaf = ri ? le32_unchecked(body(img, list) + HDR + 4 * (size_t)i) : list;
        uint32_t pos;
        hk_status st = leaf_find(img, leaf, child, &pos);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (pos == UINT32_MAX)
            continue;
        list_remove_raw(img, leaf, pos);
        uint32_t top = list;
        if (count_at(img, leaf) == 0) {
            cell_free(img, leaf);
            if (ri)
                list_remove_raw(img, list, i);
            if (!ri || count_at(img, list) == 0) {
                if (ri)
                    cell_free(img, list);
                top = CELL_NIL;
            }
        }
        set_parent_list(img, parent, count - 1 == 0 ? CELL_NIL : top, count - 1);
        return HK_ERROR_SUCCESS;
    }
    return IMAGE_CORRUPT(img, list, "key 0x%x is missing from the subkey list of its parent 0x%x",
                         child, parent);
}

void sublist_free_cells(struct hive_image *img, uint32_t list)
{
    if (list == CELL_NIL)
        return;
    if (kind_at(img, list) == 'r') {
        uint32_t n = count_at(img, list);
        for (uint32_t i = 0; i < n; i++)
            cell_free(img, le32_unchecked(body(img, list) + HDR + 4 * (size_t)i));
    }
    cell_free(img, list);
}
