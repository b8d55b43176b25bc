/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* winreg's key edits: CreateKey(Ex), DeleteKey, RegDeleteTree, RegRenameKey,
 * RegCopyTree (api layer). */
#include <string.h>

#include "api/edit.h"
#include "base/alloc.h"
#include "tree/edit_key.h"
#include "tree/edit_value.h"
#include "tree/lookup.h"
#include "tree/path.h"
#include "tree/newhive.h"

/* Opens or creates each component of path below key (the syntax of
 * tree/path.h). */
static hk_status create_path(hk_key *key, const struct edit_name *path, const char *class_name,
                             uint32_t *off, uint32_t *depth, bool *created)
{
    hk_hive *h = key->hive;
    struct hive_image *img = &h->img;
    *off = key->nk.off;
    *depth = key->depth;
    *created = false;
    size_t n = path->n, pos = 0, start, len;
    struct enum_list *hint = key_hint(key); /* for the first component */
    while (path_next(path->units, n, &pos, &start, &len)) {
        size_t peek = pos, next_start, next_len;
        bool last = !path_next(path->units, n, &peek, &next_start, &next_len);
        if (len > HK_MAX_KEY_NAME)
            return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                            "key name of %zu characters (at most %u)", len, HK_MAX_KEY_NAME);
        if (*depth >= HK_MAX_DEPTH)
            return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                            "keys nest at most %u levels deep", HK_MAX_DEPTH);
        uint32_t child;
        struct nk hinted;
        hk_status st = HK_ERROR_SUCCESS;
        if (tree_hinted_child(img, &key->nk, hint, path->up + start, len, &hinted))
            child = hinted.off; /* CreateKey(key, EnumKey(key, i)) of an existing key */
        else
            st = key_find_child(img, *off, path->up + start, len, &child);
        hint = NULL;
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (child == CELL_NIL) {
            st = hive_edit_begin(h);
            if (st != HK_ERROR_SUCCESS)
                return st;
            struct edit_name cls = {0};
            if (last && class_name) {
                st = edit_name_init(&cls, class_name, strlen(class_name));
                if (st != HK_ERROR_SUCCESS)
                    return st;
            }
            st = key_create(img, *off, path->units + start, len, cls.units, cls.n, hive_now(h),
                            &child);
            edit_name_free(&cls);
            hive_edit_end(h);
            if (st != HK_ERROR_SUCCESS)
                return st;
            *created = true;
        }
        *off = child;
        (*depth)++;
    }
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_create_key_ex(hk_key *key, const char *sub_key, uint32_t reserved,
                                  const char *class_name, uint32_t options, uint32_t access,
                                  hk_key **out, uint32_t *disposition)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (!out || reserved != 0 || (options & ~HK_REG_OPTION_CREATE_LINK) || !access_known(access))
        return HK_ERROR_INVALID_PARAMETER;
    if (key->access & KEY_ACCESS_NS)
        return ns_create_key(key, sub_key, class_name, options, access, out, disposition);
    return plain_create_key(key, sub_key, class_name, options, access, out, disposition);
}

hk_status plain_create_key(hk_key *key, const char *sub_key, const char *class_name,
                           uint32_t options, uint32_t access, hk_key **out, uint32_t *disposition)
{
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct edit_name path;
    st = edit_name_init(&path, sub_key, sub_key ? strlen(sub_key) : 0);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = path_check(path.units, path.n);
    if (st != HK_ERROR_SUCCESS) {
        edit_name_free(&path);
        return st;
    }
    uint32_t off, depth;
    bool created;
    st = create_path(key, &path, class_name, &off, &depth, &created);
    edit_name_free(&path);
    struct nk nk;
    if (st == HK_ERROR_SUCCESS)
        st = key_sync(key);
    if (st == HK_ERROR_SUCCESS && created && (options & HK_REG_OPTION_CREATE_LINK)) {
        /* A link key: the flag in its node (the new cell is in place). */
        uint8_t *p = key->hive->img.file.data + HBIN_START + off + 4;
        put_le16(p + NK_FLAGS, (uint16_t)(le16_unchecked(p + NK_FLAGS) | NK_FLAG_SYM_LINK));
        hive_edit_end(key->hive);
    }
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(&key->hive->img, off, &nk);
    if (st == HK_ERROR_SUCCESS)
        st = key_new(key->hive, &nk, depth, access, out);
    if (st == HK_ERROR_SUCCESS && disposition)
        *disposition = created ? HK_REG_CREATED_NEW_KEY : HK_REG_OPENED_EXISTING_KEY;
    return st;
}

HK_API hk_status hk_create_key(hk_key *key, const char *sub_key, hk_key **out)
{
    api_enter();
    return hk_create_key_ex(key, sub_key, 0, NULL, 0, HK_KEY_ALL_ACCESS, out, NULL);
}

/* The key node that key\sub_key names (sub_key NULL or "": key itself, for
 * which the handle needs every right in own; a named subkey is opened as
 * Windows does, the handle's rights not checked). */
static hk_status resolve(hk_key *key, const char *sub_key, uint32_t own, struct nk *nk,
                         uint32_t *depth)
{
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    *depth = key->depth;
    st = tree_open_path(&key->hive->img, &key->nk, depth, sub_key, key_hint(key), nk);
    if (st == HK_ERROR_SUCCESS && (!sub_key || !*sub_key) && (key->access & own) != own)
        st = HK_ERROR_ACCESS_DENIED;
    return st;
}

static void forget(void *ctx, uint32_t off)
{
    hive_forget_key(ctx, off);
}

/* hk_delete_key (tree false: key\sub_key, which has no subkeys) and
 * hk_delete_tree (tree: key\sub_key and its subtree; sub_key NULL or "":
 * only key's contents). */
static hk_status delete_at(hk_key *key, const char *sub_key, bool tree)
{
    hk_hive *h = key->hive;
    struct nk nk;
    uint32_t depth;
    hk_status st = resolve(key, sub_key, tree ? HK_KEY_SET_VALUE : HK_DELETE, &nk, &depth);
    if (st == HK_ERROR_SUCCESS)
        st = hive_edit_begin(h);
    if (st != HK_ERROR_SUCCESS)
        return st;
    bool whole = !tree || (sub_key && *sub_key); /* the key itself goes */
    if (whole && nk.off == h->img.bb.root)
        return diag_set(DIAG_DETAIL, HK_ERROR_ACCESS_DENIED, "the root key cannot be deleted");
    if (!tree && nk.subkey_count > 0)
        return diag_set(DIAG_DETAIL, HK_ERROR_ACCESS_DENIED,
                        "key has %u subkeys (delete them first, or use hk_delete_tree)",
                        nk.subkey_count);
    uint64_t now = hive_now(h);
    if (tree)
        st = key_delete_children(&h->img, nk.off, depth, now, forget, h);
    if (st == HK_ERROR_SUCCESS && whole) {
        st = key_delete(&h->img, nk.off, now);
        hive_forget_key(h, nk.off);
    } else if (st == HK_ERROR_SUCCESS && nk.value_count) {
        st = value_free_all(&h->img, nk.off);
    }
    hive_edit_end(h);
    return st;
}

HK_API hk_status hk_delete_key_ex(hk_key *key, const char *sub_key, uint32_t access,
                                  uint32_t reserved)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (reserved != 0 || (access & ~(HK_KEY_WOW64_64KEY | HK_KEY_WOW64_32KEY)))
        return HK_ERROR_INVALID_PARAMETER;
    return hk_delete_key(key, sub_key);
}

hk_status plain_delete_key(hk_key *key, const char *sub_key, bool tree)
{
    return delete_at(key, sub_key, tree);
}

HK_API hk_status hk_delete_key(hk_key *key, const char *sub_key)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (!sub_key)
        return HK_ERROR_INVALID_PARAMETER;
    if ((key->access & KEY_ACCESS_NS) && *sub_key)
        return ns_delete_key(key, sub_key, false);
    return delete_at(key, sub_key, false);
}

HK_API hk_status hk_delete_tree(hk_key *key, const char *sub_key)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if ((key->access & KEY_ACCESS_NS) && sub_key && *sub_key)
        return ns_delete_key(key, sub_key, true);
    return delete_at(key, sub_key, true);
}

/* Points open handles on the key node old at new. */
static void follow_move(hk_hive *h, uint32_t old, uint32_t fresh)
{
    for (hk_key *k = h->open_keys; k; k = k->open_next)
        if (k->nk.off == old && !k->deleted)
            k->nk.off = fresh;
}

HK_API hk_status hk_rename_key(hk_key *key, const char *sub_key, const char *new_name)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (!new_name || !*new_name)
        return HK_ERROR_INVALID_PARAMETER;
    hk_hive *h = key->hive;
    struct nk nk;
    uint32_t depth;
    hk_status st = resolve(key, sub_key, HK_KEY_WRITE, &nk, &depth);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct edit_name nm;
    st = edit_name_init(&nm, new_name, strlen(new_name));
    if (st != HK_ERROR_SUCCESS)
        return st;
    for (size_t i = 0; i < nm.n && st == HK_ERROR_SUCCESS; i++)
        if (nm.units[i] == '\\')
            st = HK_ERROR_INVALID_PARAMETER;
    if (nm.n > HK_MAX_KEY_NAME)
        st = HK_ERROR_INVALID_PARAMETER;
    if (st == HK_ERROR_SUCCESS)
        st = hive_edit_begin(h);
    if (st == HK_ERROR_SUCCESS && nk.off != h->img.bb.root) {
        uint32_t other;
        st = key_find_child(&h->img, nk.parent, nm.up, nm.n, &other);
        if (st == HK_ERROR_SUCCESS && other != CELL_NIL && other != nk.off)
            st = diag_set(DIAG_DETAIL, HK_ERROR_ALREADY_EXISTS,
                          "a sibling key already has the name \"%s\"", new_name);
    }
    uint32_t fresh;
    if (st == HK_ERROR_SUCCESS) {
        st = key_rename(&h->img, nk.off, nm.units, nm.n, hive_now(h), &fresh);
        if (st == HK_ERROR_SUCCESS)
            follow_move(h, nk.off, fresh);
        hive_edit_end(h);
    }
    edit_name_free(&nm);
    return st;
}

/* Whether the key node inner lies in the subtree of outer (or is it). */
static hk_status is_within(struct hive_image *img, uint32_t inner, uint32_t outer, bool *within)
{
    *within = false;
    for (uint32_t i = 0, cur = inner; i <= HK_MAX_DEPTH; i++) {
        if (cur == outer) {
            *within = true;
            return HK_ERROR_SUCCESS;
        }
        if (cur == img->bb.root)
            return HK_ERROR_SUCCESS;
        struct nk nk;
        hk_status st = nk_read(img, cur, &nk);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cur = nk.parent;
    }
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_copy_tree(hk_key *src, const char *sub_key, hk_key *dst)
{
    api_enter();
    if (!src || !dst)
        return HK_ERROR_INVALID_HANDLE;
    struct nk nk;
    uint32_t depth;
    hk_status st = resolve(src, sub_key, HK_KEY_QUERY_VALUE | HK_KEY_ENUMERATE_SUB_KEYS, &nk,
                           &depth);
    if (st == HK_ERROR_SUCCESS)
        st = key_sync(dst);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t need_dst = HK_KEY_SET_VALUE | HK_KEY_CREATE_SUB_KEY;
    if ((dst->access & need_dst) != need_dst)
        return HK_ERROR_ACCESS_DENIED;
    hk_hive *h = dst->hive;
    st = hive_edit_begin(h);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (src->hive == h) {
        bool within;
        st = is_within(&h->img, dst->nk.off, nk.off, &within);
        if (st == HK_ERROR_SUCCESS && within)
            st = diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                          "the destination lies inside the tree to copy");
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    st = tree_copy_class(&src->hive->img, nk.off, &h->img, dst->nk.off);
    if (st == HK_ERROR_SUCCESS)
        st = tree_copy(&src->hive->img, nk.off, &h->img, dst->nk.off, false, hive_now(h),
                       depth);
    hive_edit_end(h);
    return st;
}
