/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Security cells: sharing, reference counts, the sk ring, and merging parts
 * of self-relative descriptors (tree layer).
 *
 * Self-relative SECURITY_DESCRIPTOR (MS-DTYP 2.4.6)
 *   OFF  LEN  FIELD
 *     0    1  revision (1)
 *     1    1  Sbz1
 *     2    2  control (0x8000 self-relative; 0x0004 DACL present; 0x0010 SACL present)
 *     4    4  owner SID offset (0: none)
 *     8    4  group SID offset
 *    12    4  SACL offset
 *    16    4  DACL offset
 * SID: revision, sub-authority count n, 6-byte authority, n u32. ACL: revision,
 * Sbz1, u16 size, u16 ACE count, Sbz2.
 */
#include "tree/security.h"

#include <stdbool.h>
#include <string.h>

#include "base/alloc.h"
#include "hive/cellalloc.h"
#include "record/encode.h"
#include "record/sk.h"

enum {
    SD_CONTROL = 2, SD_OWNER = 4, SD_GROUP = 8, SD_SACL = 12, SD_DACL = 16, SD_HEADER = 20,
    SE_DACL_PRESENT = 0x0004, SE_DACL_DEFAULTED = 0x0008, SE_SACL_PRESENT = 0x0010,
    SE_SACL_DEFAULTED = 0x0020, SE_OWNER_DEFAULTED = 0x0001, SE_GROUP_DEFAULTED = 0x0002,
    SE_SELF_RELATIVE = 0x8000,
    RING_LIMIT = 1u << 24,
};

/* One reference more (add) or less to the security record at off (none:
 * CELL_NIL); the last one released unlinks it from the ring and frees it. */
static hk_status security_refs(struct hive_image *img, uint32_t off, bool add)
{
    if (off == CELL_NIL)
        return HK_ERROR_SUCCESS;
    struct sk sk;
    hk_status st = sk_read(img, off, &sk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (add || sk.refcount > 1) {
        put_le32(cell_body_unchecked(img, off) + SK_REFS, add ? sk.refcount + 1 : sk.refcount - 1);
        return HK_ERROR_SUCCESS;
    }
    if (sk.flink != off) {
        struct sk prev, next;
        st = sk_read(img, sk.blink, &prev);
        if (st == HK_ERROR_SUCCESS)
            st = sk_read(img, sk.flink, &next);
        if (st != HK_ERROR_SUCCESS)
            return st;
        put_le32(cell_body_unchecked(img, sk.blink) + SK_FLINK, sk.flink);
        put_le32(cell_body_unchecked(img, sk.flink) + SK_BLINK, sk.blink);
    }
    cell_free(img, off);
    return HK_ERROR_SUCCESS;
}

hk_status security_addref(struct hive_image *img, uint32_t off)
{
    return security_refs(img, off, true);
}

hk_status security_release(struct hive_image *img, uint32_t off)
{
    return security_refs(img, off, false);
}

hk_status security_share(struct hive_image *img, uint32_t head, const uint8_t *sd, uint32_t sd_len,
                         uint32_t *out)
{
    if (head != CELL_NIL) {
        uint32_t cur = head;
        for (uint32_t steps = 0; steps < RING_LIMIT; steps++) {
            struct sk sk;
            hk_status st = sk_read(img, cur, &sk);
            if (st != HK_ERROR_SUCCESS)
                return st;
            if (sk.descriptor.len == sd_len && memcmp(sk.descriptor.ptr, sd, sd_len) == 0) {
                put_le32(cell_body_unchecked(img, cur) + SK_REFS, sk.refcount + 1);
                *out = cur;
                return HK_ERROR_SUCCESS;
            }
            cur = sk.flink;
            if (cur == head)
                break;
        }
    }
    /* The ring's tail, from the file: it must be a security cell before the
     * new one is linked after it. */
    uint32_t prev = CELL_NIL;
    if (head != CELL_NIL) {
        struct sk tail;
        prev = le32_unchecked(cell_body_unchecked(img, head) + SK_BLINK);
        hk_status st = sk_read(img, prev, &tail);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    /* sd may point into the image: keep a copy across the allocation. */
    uint8_t *copy = hk_alloc(sd_len);
    if (!copy)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(copy, sd, sd_len);
    uint32_t off;
    hk_status st = cell_alloc(img, sk_len(sd_len), &off);
    if (st != HK_ERROR_SUCCESS) {
        hk_dealloc(copy);
        return st;
    }
    if (head == CELL_NIL) {
        sk_encode(cell_body_unchecked(img, off), off, off, 1, copy, sd_len);
    } else {
        sk_encode(cell_body_unchecked(img, off), head, prev, 1, copy, sd_len);
        put_le32(cell_body_unchecked(img, prev) + SK_FLINK, off);
        put_le32(cell_body_unchecked(img, head) + SK_BLINK, off);
    }
    hk_dealloc(copy);
    *out = off;
    return HK_ERROR_SUCCESS;
}

/* Length of the SID at off, 0 if it does not fit. */
static size_t sid_len(const uint8_t *sd, size_t len, uint32_t off)
{
    if (off < SD_HEADER || off > len || len - off < 8)
        return 0;
    size_t n = 8 + 4 * (size_t)sd[off + 1];
    return n <= len - off ? n : 0;
}

static size_t acl_len(const uint8_t *sd, size_t len, uint32_t off)
{
    if (off < SD_HEADER || off > len || len - off < 8)
        return 0;
    size_t n = le16_unchecked(sd + off + 2);
    return n >= 8 && n <= len - off ? n : 0;
}

int security_descriptor_valid(const uint8_t *sd, size_t len)
{
    if (!sd || len < SD_HEADER || len > 65536 || sd[0] != 1)
        return 0;
    uint16_t control = le16_unchecked(sd + SD_CONTROL);
    if (!(control & SE_SELF_RELATIVE))
        return 0;
    uint32_t owner = le32_unchecked(sd + SD_OWNER), group = le32_unchecked(sd + SD_GROUP);
    uint32_t sacl = le32_unchecked(sd + SD_SACL), dacl = le32_unchecked(sd + SD_DACL);
    if ((owner && !sid_len(sd, len, owner)) || (group && !sid_len(sd, len, group)))
        return 0;
    if ((control & SE_SACL_PRESENT) && sacl && !acl_len(sd, len, sacl))
        return 0;
    if ((control & SE_DACL_PRESENT) && dacl && !acl_len(sd, len, dacl))
        return 0;
    return 1;
}

/* Appends one part (a SID or an ACL) and stores its offset at field. */
static void put_part(uint8_t *out, uint32_t *end, uint32_t field, const uint8_t *src, size_t n)
{
    if (n == 0) {
        put_le32(out + field, 0);
        return;
    }
    memcpy(out + *end, src, n);
    put_le32(out + field, *end);
    *end += (uint32_t)n;
}

uint32_t security_merge(const uint8_t *old_sd, uint32_t old_len, const uint8_t *new_sd,
                        uint32_t new_len, uint32_t info, uint8_t *out)
{
    uint16_t oc = le16_unchecked(old_sd + SD_CONTROL), nc = le16_unchecked(new_sd + SD_CONTROL);
    const uint8_t *src[4];
    size_t len[4];
    static const uint32_t field[4] = {SD_OWNER, SD_GROUP, SD_SACL, SD_DACL};
    static const uint32_t bit[4] = {1, 2, 8, 4};
    uint16_t control = SE_SELF_RELATIVE;
    for (int i = 0; i < 4; i++) {
        bool from_new = (info & bit[i]) != 0;
        const uint8_t *sd = from_new ? new_sd : old_sd;
        uint32_t sd_len = from_new ? new_len : old_len;
        uint16_t c = from_new ? nc : oc;
        uint32_t off = le32_unchecked(sd + field[i]);
        src[i] = sd + off;
        if (i < 2) {
            len[i] = off ? sid_len(sd, sd_len, off) : 0;
            control |= (uint16_t)(c & (i == 0 ? SE_OWNER_DEFAULTED : SE_GROUP_DEFAULTED));
        } else {
            uint16_t present = i == 2 ? SE_SACL_PRESENT : SE_DACL_PRESENT;
            uint16_t defaulted = i == 2 ? SE_SACL_DEFAULTED : SE_DACL_DEFAULTED;
            len[i] = (c & present) && off ? acl_len(sd, sd_len, off) : 0;
            control |= (uint16_t)(c & (present | defaulted));
            /* Auto-inherit and protection bits travel with their ACL. */
            control |= (uint16_t)(c & (i == 2 ? 0x2A00 : 0x1500));
        }
    }
    memset(out, 0, SD_HEADER);
    out[0] = 1;
    put_le16(out + SD_CONTROL, control);
    uint32_t end = SD_HEADER;
    /* Windows' order in a self-relative descriptor: SACL, DACL, owner, group. */
    put_part(out, &end, SD_SACL, src[2], len[2]);
    put_part(out, &end, SD_DACL, src[3], len[3]);
    put_part(out, &end, SD_OWNER, src[0], len[0]);
    put_part(out, &end, SD_GROUP, src[1], len[1]);
    return end;
}

/* Owner S-1-5-32-544, group S-1-5-18; DACL: allow KEY_ALL_ACCESS to S-1-5-18
 * and S-1-5-32-544, KEY_READ to S-1-1-0, each ACE container-inherited. */
static const uint8_t default_sd[] = {
    0x01, 0x00, 0x04, 0x80, 0x5C, 0x00, 0x00, 0x00, 0x6C, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
    /* DACL at 0x14: rev 2, size 0x48, 3 ACEs */
    0x02, 0x00, 0x48, 0x00, 0x03, 0x00, 0x00, 0x00,
    0x00, 0x02, 0x14, 0x00, 0x3F, 0x00, 0x0F, 0x00,
    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x12, 0x00, 0x00, 0x00,
    0x00, 0x02, 0x18, 0x00, 0x3F, 0x00, 0x0F, 0x00,
    0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00,
    0x00, 0x02, 0x14, 0x00, 0x19, 0x00, 0x02, 0x00,
    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    /* owner at 0x5C */
    0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00,
    /* group at 0x6C */
    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x12, 0x00, 0x00, 0x00,
};

const uint8_t *security_default(uint32_t *len)
{
    *len = (uint32_t)sizeof default_sd;
    return default_sd;
}
