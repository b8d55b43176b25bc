/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* New hives and subtree copies (tree layer). */
#include "tree/newhive.h"

#include <string.h>

#include "base/alloc.h"
#include "base/upcase.h"
#include "hive/cellalloc.h"
#include "record/encode.h"
#include "record/nk.h"
#include "record/sk.h"
#include "record/subkeys.h"
#include "record/vk.h"
#include "tree/edit_key.h"
#include "tree/edit_value.h"
#include "tree/security.h"

hk_status newhive_create(struct hive_image *img, uint32_t minor, const uint16_t *name, size_t n,
                         const uint8_t *sd, uint32_t sd_len, uint64_t now)
{
    struct file_buf fb;
    fb.size = 2 * HBIN_START;
    fb.mapped = 0;
    fb.data = hk_alloc_zero(fb.size, 1);
    memset(img, 0, sizeof *img);
    if (!fb.data)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    uint8_t *p = fb.data;
    memcpy(p, REGF_SIG, FILE_SIG_LEN);
    put_le64(p + BB_TIME, now);
    put_le32(p + BB_MAJOR, BB_VERSION_MAJOR);
    put_le32(p + BB_MINOR, minor);
    put_le32(p + BB_FORMAT, BB_FORMAT_DIRECT);
    put_le32(p + BB_ROOT, HBIN_HEADER_SIZE);
    put_le32(p + BB_BINS_SIZE, HBIN_ALIGN);
    put_le32(p + BB_CLUSTER, BB_CLUSTERING);
    put_le32(p + BB_CHECKSUM, baseblock_checksum(p));
    uint8_t *bin = p + HBIN_START;
    memcpy(bin, HBIN_SIG, FILE_SIG_LEN);
    put_le32(bin + HBIN_SIZE, HBIN_ALIGN);
    put_le64(bin + HBIN_TIME, now);
    put_le32(bin + HBIN_HEADER_SIZE, HBIN_ALIGN - HBIN_HEADER_SIZE);
    hk_status st = image_open(img, &fb);
    if (st == HK_ERROR_SUCCESS)
        st = image_make_writable(img);
    if (!sd)
        sd = security_default(&sd_len);
    uint32_t root = 0, sk = 0;
    if (st == HK_ERROR_SUCCESS)
        st = cell_alloc(img, nk_len(name, n), &root);
    if (st == HK_ERROR_SUCCESS)
        st = security_share(img, CELL_NIL, sd, sd_len, &sk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct nk_init in = {NK_FLAG_HIVE_ENTRY | NK_FLAG_NO_DELETE, now, CELL_NIL, sk, CELL_NIL, 0,
                         name, n};
    nk_encode(cell_body_unchecked(img, root), &in);
    img->bb.root = root;
    return HK_ERROR_SUCCESS;
}

/* A stored name as UTF-16 units (heap) and its upcased twin after them. */
static uint16_t *name_units_dup(struct name_ref nm, size_t *n)
{
    *n = name_units(nm);
    uint16_t *u = hk_alloc(2 * (*n + 1) * sizeof *u);
    if (!u)
        return NULL;
    for (size_t i = 0; i < *n; i++) {
        u[i] = name_unit(nm, (uint32_t)i);
        u[*n + i] = upcase_unit(u[i]);
    }
    return u;
}

static hk_status copy_value(struct hive_image *src, uint32_t src_key, uint32_t index,
                            struct hive_image *dst, uint32_t dst_key, uint64_t now)
{
    struct nk nk;
    const uint8_t *list;
    struct vk vk;
    struct vk_data d;
    hk_status st = nk_read(src, src_key, &nk);
    if (st == HK_ERROR_SUCCESS)
        st = vk_list(src, &nk, &list);
    if (st == HK_ERROR_SUCCESS)
        st = vk_read(src, le32_unchecked(list + 4 * (size_t)index), &vk);
    if (st == HK_ERROR_SUCCESS)
        st = vk_data_locate(src, &vk, src->bb.minor, &d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (d.len > value_max_size(dst->bb.minor))
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER,
                        "value of %u bytes does not fit a version 1.%u hive", d.len, dst->bb.minor);
    size_t n;
    uint16_t *units = name_units_dup(vk.name, &n);
    uint8_t *data = hk_alloc(d.len);
    if (!units || !data) {
        hk_dealloc(units);
        hk_dealloc(data);
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    vk_data_copy(src, &d, data, d.len);
    st = value_set(dst, dst_key, units, units + n, n, vk.type, data, d.len, now);
    hk_dealloc(units);
    hk_dealloc(data);
    return st;
}

/* A saved key keeps what its flags say about it: a symbolic link, not to be
 * deleted, virtualization source/target/store, and the user and
 * virtualization flags of byte 54. */
static void keep_flags(struct hive_image *dst, uint32_t key, const struct nk *src)
{
    enum { KEPT = NK_FLAG_NO_DELETE | NK_FLAG_SYM_LINK | 0x0380u };
    uint8_t *b = cell_body_unchecked(dst, key);
    put_le16(b + NK_FLAGS, (uint16_t)(le16_unchecked(b + NK_FLAGS) | (src->flags & KEPT)));
    b[NK_USER_FLAGS] = (uint8_t)(src->user_flags | src->virt_flags << 4);
}

hk_status tree_copy_class(struct hive_image *src, uint32_t src_key, struct hive_image *dst,
                          uint32_t dst_key)
{
    struct nk s, d;
    struct span cls;
    hk_status st = nk_read(dst, dst_key, &d);
    if (st == HK_ERROR_SUCCESS && d.class_len && d.class_off != CELL_NIL)
        return HK_ERROR_SUCCESS; /* it has its own */
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(src, src_key, &s);
    if (st == HK_ERROR_SUCCESS)
        st = nk_class(src, &s, &cls);
    if (st != HK_ERROR_SUCCESS || cls.len == 0)
        return st;
    uint8_t *copy = hk_alloc(cls.len); /* dst's allocations may move src */
    if (!copy)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(copy, cls.ptr, cls.len);
    st = key_set_class(dst, dst_key, copy, cls.len);
    hk_dealloc(copy);
    return st;
}

/* Finds or creates the copy of src's child under dst_key: a new key gets
 * the source's name and class (and with preserve its security and flags);
 * an existing one keeps what it has, and gets the source's class if it has
 * none. */
static hk_status copy_child_key(struct hive_image *src, uint32_t child, struct hive_image *dst,
                                uint32_t dst_key, bool preserve, uint64_t now, uint32_t *out,
                                uint64_t *time)
{
    struct nk c;
    hk_status st = nk_read(src, child, &c);
    if (st != HK_ERROR_SUCCESS)
        return st;
    *time = c.last_write;
    size_t n;
    uint16_t *units = name_units_dup(c.name, &n);
    uint8_t *sd = NULL;
    uint32_t sd_len = 0;
    if (preserve && c.sk != CELL_NIL && units) {
        struct sk sk;
        st = sk_read(src, c.sk, &sk);
        if (st == HK_ERROR_SUCCESS) {
            sd_len = (uint32_t)sk.descriptor.len;
            sd = hk_alloc(sd_len);
            if (sd)
                memcpy(sd, sk.descriptor.ptr, sd_len);
        }
    }
    if (!units || (sd_len && !sd))
        st = st == HK_ERROR_SUCCESS ? HK_ERROR_NOT_ENOUGH_MEMORY : st;
    if (st == HK_ERROR_SUCCESS)
        st = key_find_child(dst, dst_key, units + n, n, out);
    if (st == HK_ERROR_SUCCESS && *out == CELL_NIL) {
        st = key_create(dst, dst_key, units, n, NULL, 0, now, out);
        if (st == HK_ERROR_SUCCESS && sd)
            st = key_set_security(dst, *out, sd, sd_len);
        if (st == HK_ERROR_SUCCESS && preserve)
            keep_flags(dst, *out, &c);
    }
    if (st == HK_ERROR_SUCCESS)
        st = tree_copy_class(src, child, dst, *out);
    hk_dealloc(units);
    hk_dealloc(sd);
    return st;
}

hk_status tree_copy(struct hive_image *src, uint32_t src_key, struct hive_image *dst,
                    uint32_t dst_key, bool preserve, uint64_t now, uint32_t depth)
{
    if (depth > 512)
        return IMAGE_CORRUPT(src, src_key, "key nesting deeper than 512 levels");
    struct nk nk;
    hk_status st = nk_read(src, src_key, &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t values = nk.value_count, subkeys = nk.subkey_count;
    for (uint32_t i = 0; i < values && st == HK_ERROR_SUCCESS; i++)
        st = copy_value(src, src_key, i, dst, dst_key, now);
    for (uint32_t i = 0; i < subkeys && st == HK_ERROR_SUCCESS; i++) {
        /* Read the list again each time: dst's allocations may move src. */
        struct subkeys sk;
        uint32_t child, copy;
        uint64_t time;
        st = nk_read(src, src_key, &nk);
        if (st == HK_ERROR_SUCCESS)
            st = subkeys_open(src, &nk, &sk);
        if (st == HK_ERROR_SUCCESS)
            st = subkeys_at(src, &sk, i, &child);
        if (st == HK_ERROR_SUCCESS)
            st = copy_child_key(src, child, dst, dst_key, preserve, now, &copy, &time);
        if (st == HK_ERROR_SUCCESS)
            st = tree_copy(src, child, dst, copy, preserve, now, depth + 1);
        if (st == HK_ERROR_SUCCESS && preserve)
            put_le64(cell_body_unchecked(dst, copy) + NK_TIME, time);
    }
    return st;
}
