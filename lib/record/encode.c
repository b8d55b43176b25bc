/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Record encoders (record layer). Layouts: nk.c, vk.c, sk.c, subkeys.c. */
#include "record/encode.h"

#include <string.h>

#include "base/span.h"
#include "base/upcase.h"
#include "record/nk.h"
#include "record/sk.h"
#include "record/vk.h"

bool name_compressible(const uint16_t *units, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (units[i] > 0xFF)
            return false;
    return true;
}

uint32_t name_stored_len(const uint16_t *units, size_t n)
{
    return (uint32_t)(name_compressible(units, n) ? n : 2 * n);
}

bool name_store(const uint16_t *units, size_t n, uint8_t *out)
{
    if (name_compressible(units, n)) {
        for (size_t i = 0; i < n; i++)
            out[i] = (uint8_t)units[i];
        return true;
    }
    for (size_t i = 0; i < n; i++)
        put_le16(out + 2 * i, units[i]);
    return false;
}

uint32_t name_lh_hash(struct name_ref n)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < name_units(n); i++)
        h = h * 37u + upcase_unit(name_unit(n, i));
    return h;
}

uint32_t name_lf_hint(struct name_ref n)
{
    uint8_t b[4] = {0, 0, 0, 0};
    uint32_t m = name_units(n) < 4 ? name_units(n) : 4;
    for (uint32_t i = 0; i < m; i++) {
        uint16_t u = name_unit(n, i);
        if (u > 0xFF)
            return 0;
        b[i] = (uint8_t)u;
    }
    return le32_unchecked(b);
}

uint32_t leaf_entry_key(char kind, struct name_ref n)
{
    return kind == 'h' ? name_lh_hash(n) : name_lf_hint(n);
}

uint32_t nk_len(const uint16_t *name, size_t units)
{
    return NK_NAME + name_stored_len(name, units);
}

void nk_encode(uint8_t *body, const struct nk_init *in)
{
    memset(body, 0, NK_NAME);
    memcpy(body, NK_SIG, 2);
    bool comp = name_store(in->name, in->name_units, body + NK_NAME);
    uint16_t flags = (uint16_t)(in->flags & ~NK_FLAG_COMP_NAME);
    if (comp)
        flags |= NK_FLAG_COMP_NAME;
    put_le16(body + NK_FLAGS, flags);
    put_le64(body + NK_TIME, in->last_write);
    put_le32(body + NK_PARENT, in->parent);
    put_le32(body + NK_SUBKEYS, CELL_NIL);
    put_le32(body + NK_VOLATILE_SUBKEYS, CELL_NIL);
    put_le32(body + NK_VALUES, CELL_NIL);
    put_le32(body + NK_SK, in->sk);
    put_le32(body + NK_CLASS, in->class_off);
    put_le16(body + NK_NAME_LEN, (uint16_t)name_stored_len(in->name, in->name_units));
    put_le16(body + NK_CLASS_LEN, in->class_len);
}

uint32_t vk_len(const uint16_t *name, size_t units)
{
    return VK_NAME + name_stored_len(name, units);
}

void vk_encode(uint8_t *body, const uint16_t *name, size_t units, uint32_t type, uint32_t size_raw,
               uint32_t data)
{
    memset(body, 0, VK_NAME);
    memcpy(body, VK_SIG, 2);
    bool comp = name_store(name, units, body + VK_NAME);
    put_le16(body + VK_NAME_LEN, (uint16_t)name_stored_len(name, units));
    put_le32(body + VK_SIZE, size_raw);
    put_le32(body + VK_DATA, data);
    put_le32(body + VK_TYPE, type);
    /* The default value (no name) carries flags 0, as Windows writes it. */
    put_le16(body + VK_FLAGS, (uint16_t)(comp && units > 0 ? VK_FLAG_COMP_NAME : 0));
}

uint32_t sk_len(uint32_t sd_len)
{
    return SK_DESCRIPTOR + sd_len;
}

void sk_encode(uint8_t *body, uint32_t flink, uint32_t blink, uint32_t refs, const uint8_t *sd,
               uint32_t sd_len)
{
    memset(body, 0, SK_DESCRIPTOR);
    memcpy(body, SK_SIG, 2);
    put_le32(body + SK_FLINK, flink);
    put_le32(body + SK_BLINK, blink);
    put_le32(body + SK_REFS, refs);
    put_le32(body + SK_SIZE, sd_len);
    memcpy(body + SK_DESCRIPTOR, sd, sd_len);
}

void db_encode(uint8_t *body, uint16_t segments, uint32_t list_off)
{
    memcpy(body, DB_SIG, 2);
    put_le16(body + DB_COUNT, segments);
    put_le32(body + DB_LIST, list_off);
}

void list_header_encode(uint8_t *body, const char *sig, uint16_t count)
{
    memcpy(body, sig, 2);
    put_le16(body + LIST_COUNT, count);
}
