/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The edit fuzz target's operation language (see edit_ops.h). */
#include "edit_ops.h"

#include <stdlib.h>
#include <string.h>

#include "walk.h"

enum { SLOTS = 8, NAME_MAX_BYTES = 48, BIG_UNIT = 4096 };

struct reader {
    const uint8_t *p;
    size_t n;
};

static int get_u8(struct reader *r, uint8_t *v)
{
    if (r->n == 0)
        return 0;
    *v = *r->p++;
    r->n--;
    return 1;
}

/* A length byte, then that many bytes (at most NAME_MAX_BYTES) as a C
 * string: any bytes, so invalid UTF-8 and backslashes come through. Length
 * 255 means NULL. */
static int get_name(struct reader *r, char *out, const char **name)
{
    uint8_t len;
    if (!get_u8(r, &len))
        return 0;
    if (len == 255) {
        *name = NULL;
        return 1;
    }
    len %= NAME_MAX_BYTES + 1;
    if (r->n < len)
        return 0;
    memcpy(out, r->p, len);
    out[len] = '\0';
    r->p += len;
    r->n -= len;
    *name = out;
    return 1;
}

static const uint32_t types[] = {HK_REG_NONE, HK_REG_SZ, HK_REG_EXPAND_SZ, HK_REG_BINARY,
                                 HK_REG_DWORD, HK_REG_MULTI_SZ, HK_REG_QWORD, 0x12345678u};

struct editor {
    hk_hive *h;
    unsigned flags;
    hk_status first;
    hk_key *slot[SLOTS];
    unsigned cur;
};

static void check(struct editor *e, hk_status st, const char *what)
{
    switch (st) {
    case HK_ERROR_BADDB:
        if (!(e->flags & FZ_ALLOW_BADDB))
            fz_fail("%s: BADDB on a sound hive (%s)", what, hk_errmsg());
        if (hk_errmsg()[0] == '\0')
            fz_fail("%s: BADDB without a detail message", what);
        break;
    case HK_ERROR_NOT_ENOUGH_MEMORY:
        if (!(e->flags & FZ_ALLOW_OOM))
            fz_fail("%s: NOT_ENOUGH_MEMORY", what);
        break;
    case HK_ERROR_REGISTRY_IO_FAILED:
        /* edits refuse a hive that opened dirty: only an input file can be */
        if (e->flags & FZ_ALLOW_BADDB)
            return;
        fz_fail("%s: status %u (%s)", what, st, hk_strerror(st));
    case HK_ERROR_REGISTRY_CORRUPT:
    case HK_ERROR_CANTWRITE:
    case HK_ERROR_CANTREAD:
        fz_fail("%s: status %u (%s)", what, st, hk_strerror(st));
    default:
        return; /* SUCCESS or a caller's mistake */
    }
    if (e->first == HK_ERROR_SUCCESS)
        e->first = st;
}

static void put_slot(struct editor *e, unsigned i, hk_key *k)
{
    hk_close_key(e->slot[i]);
    e->slot[i] = k;
}

/* One operation; 0 when the input ran out. */
static int step(struct editor *e, struct reader *r)
{
    uint8_t op, a, b;
    char n1[NAME_MAX_BYTES + 1], n2[NAME_MAX_BYTES + 1];
    const char *s1, *s2;
    hk_key *cur = e->slot[e->cur], *k = NULL;
    if (!get_u8(r, &op))
        return 0;
    switch (op % 14) {
    case 0: /* create key (with a class when b is odd) into slot a */
        if (!get_u8(r, &a) || !get_name(r, n1, &s1) || !get_u8(r, &b))
            return 0;
        check(e, hk_create_key_ex(cur, s1, 0, b & 1 ? "cls" : NULL, 0, HK_KEY_ALL_ACCESS, &k, NULL),
              "hk_create_key_ex");
        if (k)
            put_slot(e, 1 + a % (SLOTS - 1), k);
        return 1;
    case 1: { /* set a value of up to 255 bytes from the input */
        if (!get_name(r, n1, &s1) || !get_u8(r, &a) || !get_u8(r, &b) || r->n < b)
            return 0;
        check(e, hk_set_value_ex(cur, s1, 0, types[a % 8], r->p, b), "hk_set_value_ex");
        r->p += b;
        r->n -= b;
        return 1;
    }
    case 2: { /* set a value of (a % 8) x 4096 + b bytes: one cell or big data */
        if (!get_name(r, n1, &s1) || !get_u8(r, &a) || !get_u8(r, &b))
            return 0;
        size_t size = (size_t)(a % 8) * BIG_UNIT + b;
        uint8_t *data = malloc(size ? size : 1);
        if (!data)
            fz_fail("harness out of memory");
        for (size_t i = 0; i < size; i++)
            data[i] = (uint8_t)(i * 31 + a);
        check(e, hk_set_value_ex(cur, s1, 0, HK_REG_BINARY, data, size), "hk_set_value_ex big");
        free(data);
        return 1;
    }
    case 3:
        if (!get_name(r, n1, &s1))
            return 0;
        check(e, hk_delete_value(cur, s1), "hk_delete_value");
        return 1;
    case 4:
        if (!get_name(r, n1, &s1))
            return 0;
        check(e, hk_delete_key(cur, s1 ? s1 : ""), "hk_delete_key");
        return 1;
    case 5:
        if (!get_name(r, n1, &s1))
            return 0;
        check(e, hk_delete_tree(cur, s1), "hk_delete_tree");
        return 1;
    case 6:
        if (!get_name(r, n1, &s1) || !get_name(r, n2, &s2))
            return 0;
        check(e, hk_rename_key(cur, s1, s2 ? s2 : "renamed"), "hk_rename_key");
        return 1;
    case 7: /* copy cur\name under slot a */
        if (!get_name(r, n1, &s1) || !get_u8(r, &a))
            return 0;
        if (e->slot[a % SLOTS])
            check(e, hk_copy_tree(cur, s1, e->slot[a % SLOTS]), "hk_copy_tree");
        return 1;
    case 8: /* switch to slot a */
        if (!get_u8(r, &a))
            return 0;
        if (e->slot[a % SLOTS])
            e->cur = a % SLOTS;
        return 1;
    case 9: /* open subkey number b into slot a */
        if (!get_u8(r, &a) || !get_u8(r, &b))
            return 0;
        check(e, hk_open_subkey_at(cur, b, HK_KEY_ALL_ACCESS, &k), "hk_open_subkey_at");
        if (k)
            put_slot(e, 1 + a % (SLOTS - 1), k);
        return 1;
    case 10:
        if (!get_name(r, n1, &s1) || !get_name(r, n2, &s2))
            return 0;
        check(e, hk_set_value(cur, s1, HK_REG_SZ, s2 ? s2 : ""), "hk_set_value");
        return 1;
    case 11: { /* security: info bits a, then b descriptor bytes from the input */
        if (!get_u8(r, &a) || !get_u8(r, &b) || r->n < b)
            return 0;
        check(e, hk_set_key_security(cur, a & 0x1Fu, r->p, b), "hk_set_key_security");
        r->p += b;
        r->n -= b;
        return 1;
    }
    case 12: /* open by name into slot a */
        if (!get_u8(r, &a) || !get_name(r, n1, &s1))
            return 0;
        check(e, hk_open_key(cur, s1, 0, HK_KEY_ALL_ACCESS, &k), "hk_open_key");
        if (k)
            put_slot(e, 1 + a % (SLOTS - 1), k);
        return 1;
    default: /* close slot a (never the root's) */
        if (!get_u8(r, &a))
            return 0;
        if (a % SLOTS != 0) {
            put_slot(e, a % SLOTS, NULL);
            if (e->cur == a % SLOTS)
                e->cur = 0;
        }
        return 1;
    }
}

hk_status fz_edit_apply(hk_hive *h, const uint8_t *ops, size_t n, unsigned flags,
                        unsigned max_ops)
{
    struct editor e;
    memset(&e, 0, sizeof e);
    e.h = h;
    e.flags = flags;
    hk_key *root = NULL;
    hk_status st = hk_hive_root(h, &root);
    check(&e, st, "hk_hive_root");
    if (st != HK_ERROR_SUCCESS)
        return e.first;
    /* the root handle has read access only: reopen it for writing */
    st = hk_open_key(root, NULL, 0, HK_KEY_ALL_ACCESS, &e.slot[0]);
    hk_close_key(root);
    check(&e, st, "hk_open_key root");
    if (st != HK_ERROR_SUCCESS)
        return e.first;
    struct reader r = {ops, n};
    for (unsigned i = 0; i < max_ops && step(&e, &r); i++)
        ;
    for (unsigned i = 0; i < SLOTS; i++)
        hk_close_key(e.slot[i]);
    return e.first;
}
