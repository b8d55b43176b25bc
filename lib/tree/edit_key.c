/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Key creation, deletion and renaming on a writable image (tree layer). */
#include "tree/edit_key.h"

#include <string.h>

#include "hive/cellalloc.h"
#include "record/encode.h"
#include "record/nk.h"
#include "record/subkeys.h"
#include "tree/edit_value.h"
#include "tree/security.h"
#include "tree/sublist.h"

hk_status key_find_child(struct hive_image *img, uint32_t parent, const uint16_t *up, size_t n,
                         uint32_t *child)
{
    struct nk nk;
    struct subkeys sk;
    hk_status st = nk_read(img, parent, &nk);
    if (st == HK_ERROR_SUCCESS)
        st = subkeys_open(img, &nk, &sk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    /* The last entry first: a key made in sorted order (a .reg import, a
     * tree copy) sorts after every one there, so none can match. */
    uint32_t last;
    struct nk lk;
    if (sk.total > 0 && subkeys_at(img, &sk, sk.total - 1, &last) == HK_ERROR_SUCCESS &&
        nk_read(img, last, &lk) == HK_ERROR_SUCCESS) {
        int c = name_cmp_upcased(&lk.name, up, n);
        if (c <= 0) {
            *child = c == 0 ? last : CELL_NIL;
            return HK_ERROR_SUCCESS;
        }
    }
    return subkeys_find(img, &sk, up, n, child);
}

/* A subkey named with n units (its class class_units) joined parent: the
 * parent's high-water marks raised (never lowered), its last-write time now. */
static void parent_gains_child(struct hive_image *img, uint32_t parent, size_t n,
                               size_t class_units, uint64_t now)
{
    uint8_t *pb = cell_body_unchecked(img, parent);
    if (le16_unchecked(pb + NK_MAX_NAME) < 2 * n)
        put_le16(pb + NK_MAX_NAME, (uint16_t)(2 * n));
    if (le32_unchecked(pb + NK_MAX_CLASS) < 2 * class_units)
        put_le32(pb + NK_MAX_CLASS, (uint32_t)(2 * class_units));
    put_le64(pb + NK_TIME, now);
}

hk_status key_create(struct hive_image *img, uint32_t parent, const uint16_t *name, size_t n,
                     const uint16_t *cls, size_t class_units, uint64_t now, uint32_t *out)
{
    struct nk p;
    hk_status st = nk_read(img, parent, &p);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t sk = p.sk, class_off = CELL_NIL, off;
    if (class_units) {
        st = cell_alloc(img, (uint32_t)(2 * class_units), &class_off);
        if (st != HK_ERROR_SUCCESS)
            return st;
        for (size_t i = 0; i < class_units; i++)
            put_le16(cell_body_unchecked(img, class_off) + 2 * i, cls[i]);
    }
    st = cell_alloc(img, nk_len(name, n), &off);
    if (st != HK_ERROR_SUCCESS) {
        if (class_off != CELL_NIL)
            cell_free(img, class_off);
        return st;
    }
    struct nk_init in = {0, now, parent, sk, class_off, (uint16_t)(2 * class_units), name, n};
    nk_encode(cell_body_unchecked(img, off), &in);
    st = sublist_insert(img, parent, off);
    if (st == HK_ERROR_SUCCESS)
        st = security_addref(img, sk);
    if (st != HK_ERROR_SUCCESS) {
        cell_free(img, off);
        if (class_off != CELL_NIL)
            cell_free(img, class_off);
        return st;
    }
    parent_gains_child(img, parent, n, class_units, now);
    *out = off;
    return HK_ERROR_SUCCESS;
}

hk_status key_set_class(struct hive_image *img, uint32_t key, const uint8_t *cls, size_t len)
{
    struct nk nk;
    hk_status st = nk_read(img, key, &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (len > 0xFFFFu)
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                        "class name of %zu bytes: at most 65535 fit a key", len);
    uint32_t off = CELL_NIL;
    if (len) {
        st = cell_alloc(img, (uint32_t)len, &off);
        if (st != HK_ERROR_SUCCESS)
            return st;
        memcpy(cell_body_unchecked(img, off), cls, len);
    }
    if (nk.class_off != CELL_NIL && nk.class_len && cell_is_start(img, nk.class_off))
        cell_free(img, nk.class_off);
    uint8_t *b = cell_body_unchecked(img, key);
    put_le32(b + NK_CLASS, off);
    put_le16(b + NK_CLASS_LEN, (uint16_t)len);
    struct nk p;
    if (key == img->bb.root || nk_read(img, nk.parent, &p) != HK_ERROR_SUCCESS)
        return HK_ERROR_SUCCESS; /* no parent to keep a max for */
    uint8_t *pb = cell_body_unchecked(img, nk.parent);
    if (le32_unchecked(pb + NK_MAX_CLASS) < len)
        put_le32(pb + NK_MAX_CLASS, (uint32_t)len);
    return HK_ERROR_SUCCESS;
}

/* Frees a key node and what only it owns: values, class, its sk reference. */
static hk_status free_key_cells(struct hive_image *img, uint32_t key)
{
    struct nk nk;
    hk_status st = nk_read(img, key, &nk);
    if (st == HK_ERROR_SUCCESS)
        st = value_free_all(img, key);
    if (st == HK_ERROR_SUCCESS)
        st = security_release(img, nk.sk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (nk.class_off != CELL_NIL && nk.class_len && cell_is_start(img, nk.class_off))
        cell_free(img, nk.class_off);
    cell_free(img, key);
    return HK_ERROR_SUCCESS;
}

hk_status key_delete(struct hive_image *img, uint32_t key, uint64_t now)
{
    struct nk nk;
    hk_status st = nk_read(img, key, &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = sublist_remove(img, nk.parent, key);
    if (st == HK_ERROR_SUCCESS)
        st = free_key_cells(img, key);
    if (st == HK_ERROR_SUCCESS)
        put_le64(cell_body_unchecked(img, nk.parent) + NK_TIME, now);
    return st;
}

hk_status key_delete_children(struct hive_image *img, uint32_t key, uint32_t depth, uint64_t now,
                              void (*on_free)(void *, uint32_t), void *ctx)
{
    if (depth > 512)
        return IMAGE_CORRUPT(img, key, "key nesting deeper than 512 levels");
    struct nk nk;
    struct subkeys sk;
    hk_status st = nk_read(img, key, &nk);
    if (st == HK_ERROR_SUCCESS)
        st = subkeys_open(img, &nk, &sk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    /* Freeing never moves the image: the list stays readable throughout. */
    for (uint32_t i = 0; i < sk.total; i++) {
        uint32_t child;
        struct nk c;
        st = subkeys_at(img, &sk, i, &child);
        if (st == HK_ERROR_SUCCESS)
            st = nk_read(img, child, &c);
        if (st == HK_ERROR_SUCCESS && c.parent != key)
            st = IMAGE_CORRUPT(img, child, "key listed under 0x%x names 0x%x as its parent", key,
                               c.parent);
        if (st == HK_ERROR_SUCCESS)
            st = key_delete_children(img, child, depth + 1, now, on_free, ctx);
        if (st == HK_ERROR_SUCCESS)
            st = free_key_cells(img, child);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (on_free)
            on_free(ctx, child);
    }
    if (sk.total) {
        sublist_free_cells(img, nk.subkeys);
        uint8_t *b = cell_body_unchecked(img, key);
        put_le32(b + NK_SUBKEYS, CELL_NIL);
        put_le32(b + NK_SUBKEY_COUNT, 0);
        put_le64(b + NK_TIME, now);
    }
    return HK_ERROR_SUCCESS;
}

/* Points every child of key at its new offset. */
static hk_status adopt_children(struct hive_image *img, uint32_t key)
{
    struct nk nk;
    struct subkeys sk;
    hk_status st = nk_read(img, key, &nk);
    if (st == HK_ERROR_SUCCESS)
        st = subkeys_open(img, &nk, &sk);
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS && i < sk.total; i++) {
        uint32_t child;
        st = subkeys_at(img, &sk, i, &child);
        if (st == HK_ERROR_SUCCESS)
            st = cell_get_sig(img, child, NK_SIG, &(struct span){0});
        if (st == HK_ERROR_SUCCESS)
            put_le32(cell_body_unchecked(img, child) + NK_PARENT, key);
    }
    return st;
}

hk_status key_rename(struct hive_image *img, uint32_t key, const uint16_t *name, size_t n,
                     uint64_t now, uint32_t *out)
{
    struct nk nk;
    hk_status st = nk_read(img, key, &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    bool is_root = key == img->bb.root;
    if (!is_root) {
        st = sublist_remove(img, nk.parent, key);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    uint32_t len = nk_len(name, n), off = key;
    if (cell_capacity_unchecked(img, key) < len) {
        st = cell_alloc(img, len, &off);
        if (st != HK_ERROR_SUCCESS)
            return st;
        memcpy(cell_body_unchecked(img, off), cell_body_unchecked(img, key), NK_NAME);
        cell_free(img, key);
    }
    uint8_t *b = cell_body_unchecked(img, off);
    bool comp = name_store(name, n, b + NK_NAME);
    uint16_t flags = le16_unchecked(b + NK_FLAGS);
    flags = (uint16_t)(comp ? flags | NK_FLAG_COMP_NAME : flags & ~NK_FLAG_COMP_NAME);
    put_le16(b + NK_FLAGS, flags);
    put_le16(b + NK_NAME_LEN, (uint16_t)name_stored_len(name, n));
    if (off != key) {
        st = adopt_children(img, off);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    if (is_root) {
        img->bb.root = off;
    } else {
        st = sublist_insert(img, nk.parent, off);
        if (st != HK_ERROR_SUCCESS)
            return st;
        parent_gains_child(img, nk.parent, n, 0, now);
    }
    *out = off;
    return HK_ERROR_SUCCESS;
}

hk_status key_set_security(struct hive_image *img, uint32_t key, const uint8_t *sd, uint32_t len)
{
    struct nk nk;
    hk_status st = nk_read(img, key, &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t head = nk.sk;
    if (head == CELL_NIL) {
        struct nk root;
        st = nk_read(img, img->bb.root, &root);
        if (st != HK_ERROR_SUCCESS)
            return st;
        head = root.sk;
    }
    uint32_t fresh;
    st = security_share(img, head, sd, len, &fresh);
    if (st == HK_ERROR_SUCCESS)
        st = security_release(img, nk.sk);
    if (st == HK_ERROR_SUCCESS)
        put_le32(cell_body_unchecked(img, key) + NK_SK, fresh);
    return st;
}
