/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Subkey list decoding (record layer).
 *
 * Every list cell body: 2-byte signature, u16 count, then count entries:
 *   li  u32 key node                         (stride 4)
 *   lf  u32 key node, 4-byte name hint        (stride 8)
 *   lh  u32 key node, u32 name hash           (stride 8)
 *   ri  u32 leaf list (li/lf/lh, never ri)    (stride 4)
 * Hints and hashes only speed up Windows' search; names decide.
 */
#include "record/subkeys.h"

struct leaf {
    const uint8_t *entries;
    uint32_t count;
    uint32_t stride;
};

static bool is_leaf_sig(const uint8_t *p, uint32_t *stride)
{
    if (sig_at(p, LF_SIG) || sig_at(p, LH_SIG)) {
        *stride = 8;
        return true;
    }
    if (sig_at(p, LI_SIG)) {
        *stride = 4;
        return true;
    }
    return false;
}

/* Reads the list header at off; *is_ri tells an index root from a leaf. */
static hk_status read_list(struct hive_image *img, uint32_t off, bool allow_ri, bool *is_ri,
                           struct leaf *out)
{
    /* Defined on every path, not only on success: callers (and the
     * compiler's flow analysis) never see an indeterminate leaf. */
    *out = (struct leaf){0};
    *is_ri = false;
    struct span b;
    hk_status st = cell_get(img, off, &b);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (b.len < LIST_ENTRIES)
        return IMAGE_CORRUPT(img, off, "subkey list cell of %zu bytes has no room for its header",
                             b.len);
    uint32_t stride;
    if (sig_at(b.ptr, RI_SIG)) {
        if (!allow_ri)
            return IMAGE_CORRUPT(img, off, "index root (ri) found inside an index root");
        *is_ri = true;
        stride = 4;
    } else if (!is_leaf_sig(b.ptr, &stride)) {
        return IMAGE_CORRUPT(img, off, "subkey list signature \"%c%c\" is none of li, lf, lh, ri",
                             b.ptr[0] >= 0x20 && b.ptr[0] < 0x7F ? b.ptr[0] : '?',
                             b.ptr[1] >= 0x20 && b.ptr[1] < 0x7F ? b.ptr[1] : '?');
    }
    uint32_t count = le16_unchecked(b.ptr + LIST_COUNT);
    if ((size_t)count * stride > b.len - LIST_ENTRIES)
        return IMAGE_CORRUPT(img, off, "subkey list claims %u entries, more than its %zu-byte cell holds",
                             count, b.len);
    out->entries = b.ptr + LIST_ENTRIES;
    out->count = count;
    out->stride = stride;
    return HK_ERROR_SUCCESS;
}

static hk_status load_leaf(struct hive_image *img, struct subkeys *sk, uint32_t leaf_idx,
                           uint32_t base)
{
    uint32_t off = le32_unchecked(sk->ri + 4 * (size_t)leaf_idx);
    bool is_ri;
    struct leaf lf;
    hk_status st = read_list(img, off, false, &is_ri, &lf);
    if (st != HK_ERROR_SUCCESS)
        return st;
    sk->leaf_idx = leaf_idx;
    sk->leaf_base = base;
    sk->leaf = lf.entries;
    sk->leaf_count = lf.count;
    sk->leaf_stride = lf.stride;
    return HK_ERROR_SUCCESS;
}

hk_status subkeys_open(struct hive_image *img, const struct nk *nk, struct subkeys *out)
{
    *out = (struct subkeys){0};
    if (nk->subkey_count == 0)
        return HK_ERROR_SUCCESS;
    bool is_ri;
    struct leaf top;
    hk_status st = read_list(img, nk->subkeys, true, &is_ri, &top);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint64_t total = 0;
    if (!is_ri) {
        out->leaf = top.entries;
        out->leaf_count = top.count;
        out->leaf_stride = top.stride;
        total = top.count;
    } else {
        out->is_ri = true;
        out->ri = top.entries;
        out->ri_count = top.count;
        for (uint32_t i = 0; i < top.count; i++) {
            struct leaf lf;
            bool inner_ri;
            st = read_list(img, le32_unchecked(top.entries + 4 * (size_t)i), false, &inner_ri, &lf);
            if (st != HK_ERROR_SUCCESS)
                return st;
            total += lf.count;
        }
        if (top.count > 0) {
            st = load_leaf(img, out, 0, 0);
            if (st != HK_ERROR_SUCCESS)
                return st;
        }
    }
    if (total != nk->subkey_count)
        return IMAGE_CORRUPT(img, nk->off, "key counts %u subkeys but its list at 0x%x holds %llu",
                             nk->subkey_count, nk->subkeys, (unsigned long long)total);
    out->total = (uint32_t)total;
    return HK_ERROR_SUCCESS;
}

hk_status subkeys_seek(struct hive_image *img, struct subkeys *sk, uint32_t index)
{
    if (index < sk->leaf_base) {
        hk_status st = load_leaf(img, sk, 0, 0);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    while (index - sk->leaf_base >= sk->leaf_count) {
        /* total was summed over these same leaves, so one exists. */
        hk_status st = load_leaf(img, sk, sk->leaf_idx + 1, sk->leaf_base + sk->leaf_count);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return HK_ERROR_SUCCESS;
}

static hk_status cmp_entry(struct hive_image *img, uint32_t nk_off, const uint16_t *up,
                           size_t up_len, int *cmp)
{
    struct nk nk;
    hk_status st = nk_read(img, nk_off, &nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    *cmp = name_cmp_upcased(&nk.name, up, up_len);
    return HK_ERROR_SUCCESS;
}

/* Binary search in the cursor's leaf. */
static hk_status find_in_leaf(struct hive_image *img, const struct subkeys *sk, const uint16_t *up,
                              size_t up_len, uint32_t *nk_off)
{
    uint32_t lo = 0, hi = sk->leaf_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t off = le32_unchecked(sk->leaf + (size_t)mid * sk->leaf_stride);
        int c;
        hk_status st = cmp_entry(img, off, up, up_len, &c);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (c == 0) {
            *nk_off = off;
            return HK_ERROR_SUCCESS;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *nk_off = CELL_NIL;
    return HK_ERROR_SUCCESS;
}

hk_status subkeys_find(struct hive_image *img, struct subkeys *sk, const uint16_t *up, size_t up_len,
                       uint32_t *nk_off)
{
    *nk_off = CELL_NIL;
    if (sk->total == 0)
        return HK_ERROR_SUCCESS;
    if (!sk->is_ri)
        return find_in_leaf(img, sk, up, up_len, nk_off);
    /* Leaves of an ri are sorted as a whole: the first leaf whose last name is
     * not below the query is the only one that can hold it. */
    uint32_t base = 0;
    for (uint32_t i = 0; i < sk->ri_count; i++) {
        hk_status st = load_leaf(img, sk, i, base);
        if (st != HK_ERROR_SUCCESS)
            return st;
        base += sk->leaf_count;
        if (sk->leaf_count == 0)
            continue;
        uint32_t last = le32_unchecked(sk->leaf + (size_t)(sk->leaf_count - 1) * sk->leaf_stride);
        int c;
        st = cmp_entry(img, last, up, up_len, &c);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (c >= 0)
            return find_in_leaf(img, sk, up, up_len, nk_off);
    }
    return HK_ERROR_SUCCESS;
}
