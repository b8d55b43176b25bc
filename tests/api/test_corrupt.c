/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Read API on hand-broken hives: every break gives NOT_REGISTRY_FILE (no
 * signature) or BADDB, at open or at the first access that touches the
 * broken part, with a detail message naming the offset; never a crash.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hive_builder.h"
#include "hivekit.h"

Suite *test_suite(void);

/* A hive with a bit of everything; the offsets let tests break one part. */
struct base {
    uint8_t *img;
    size_t len;
    uint32_t root, sw, a, b, z, v_str, v_big, v_dword;
};

static uint8_t big_data[40000];

static struct base make_base(void)
{
    struct base s;
    struct hb *b = hb_new(5, "ROOT");
    s.root = hb_root(b);
    s.sw = hb_key(b, s.root, "Software");
    hb_key(b, s.root, "System");
    s.a = hb_key(b, s.sw, "A");
    s.b = hb_key(b, s.sw, "B");
    s.z = hb_key(b, s.a, "Z");
    hb_class(b, s.a, "cls");
    s.v_str = hb_value(b, s.sw, "str", 1, "v\0a\0l\0\0\0", 8);
    for (size_t i = 0; i < sizeof big_data; i++)
        big_data[i] = (uint8_t)i;
    s.v_big = hb_value(b, s.sw, "big", 3, big_data, sizeof big_data);
    s.v_dword = hb_value(b, s.sw, "dw", 4, "\1\2\3\4", 4);
    s.img = hb_finish(b, &s.len);
    return s;
}

static int mentions_offset(const char *msg)
{
    char low[512];
    size_t i = 0;
    for (; msg[i] && i + 1 < sizeof low; i++)
        low[i] = (char)(msg[i] >= 'A' && msg[i] <= 'Z' ? msg[i] + 32 : msg[i]);
    low[i] = 0;
    return strstr(low, "offset") != NULL || strstr(low, "0x") != NULL;
}

/* ---- a full walk: every read the API offers, depth first ---------------- */

static uint8_t walk_data[1 << 20];

static hk_status walk_values(hk_key *k)
{
    for (uint32_t i = 0; i < 100000; i++) {
        char name[1024];
        size_t ns = sizeof name, ds = sizeof walk_data;
        uint32_t t;
        hk_status st = hk_enum_value(k, i, name, &ns, &t, walk_data, &ds);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS)
            return st;
        ds = sizeof walk_data;
        st = hk_query_value_ex(k, name, &t, walk_data, &ds);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return HK_ERROR_SUCCESS;
}

static hk_status walk(hk_key *k, unsigned depth)
{
    if (depth > 2000)
        ck_abort_msg("walk went deeper than 2000 keys");
    char buf[1024];
    size_t n = sizeof buf;
    hk_key_info info = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(k, buf, &n, &info);
    if (st != HK_ERROR_SUCCESS)
        return st;
    n = sizeof buf;
    if ((st = hk_key_name(k, buf, &n)) != HK_ERROR_SUCCESS)
        return st;
    n = sizeof buf;
    if ((st = hk_get_key_security(k, buf, &n)) != HK_ERROR_SUCCESS)
        return st;
    if ((st = walk_values(k)) != HK_ERROR_SUCCESS)
        return st;
    for (uint32_t i = 0; i < 100000; i++) {
        n = sizeof buf;
        st = hk_enum_key(k, i, buf, &n);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS)
            return st;
        hk_key *c;
        if ((st = hk_open_key(k, buf, 0, HK_KEY_READ, &c)) != HK_ERROR_SUCCESS)
            return st;
        st = walk(c, depth + 1);
        hk_close_key(c);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return HK_ERROR_SUCCESS;
}

enum where { AT_OPEN, ANYWHERE };

/* Opens img and walks it; the first failure must be want, at open when
 * where is AT_OPEN, with a non-empty message naming the offset. */
static void expect_broken(uint8_t *img, size_t len, hk_status want, enum where where)
{
    char msg[512];
    memset(msg, 0, sizeof msg);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_READONLY;
    hk_hive *h = NULL;
    hk_status st = hk_hive_open_memory(img, len, &o, &h);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    free(img);
    if (st != HK_ERROR_SUCCESS) {
        ck_assert_msg(st == want, "open gave %u, want %u (%s)", st, want, msg);
        ck_assert_msg(msg[0] != 0, "open failed without a message");
        if (want == HK_ERROR_BADDB)
            ck_assert_msg(mentions_offset(msg), "message without offset: %s", msg);
        return;
    }
    ck_assert_msg(where == ANYWHERE, "open accepted a hive it must reject");
    hk_key *root;
    st = hk_hive_root(h, &root);
    if (st == HK_ERROR_SUCCESS) {
        st = walk(root, 0);
        hk_close_key(root);
    }
    ck_assert_msg(st == want, "walk gave %u, want %u (%s)", st, want, hk_errmsg());
    const char *m = hk_errmsg();
    ck_assert_ptr_nonnull(m);
    ck_assert_msg(m[0] != 0, "BADDB without a message");
    ck_assert_msg(mentions_offset(m), "message without offset: %s", m);
    hk_hive_close(h);
}

/* ---- sanity: the unbroken base hive walks cleanly ------------------------ */

START_TEST(intact_base_hive_walks_without_error)
{
    struct base s = make_base();
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open_memory(s.img, s.len, NULL, &h), HK_ERROR_SUCCESS);
    free(s.img);
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(walk(root, 0), HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_errmsg(), "");
    hk_close_key(root);
    hk_hive_close(h);
}
END_TEST

/* ---- base block and bins: caught at open ---------------------------------- */

START_TEST(bad_signature_is_not_a_registry_file)
{
    struct base s = make_base();
    memcpy(s.img, "regx", 4);
    hb_fix_checksum(s.img);
    expect_broken(s.img, s.len, HK_ERROR_NOT_REGISTRY_FILE, AT_OPEN);
}
END_TEST

START_TEST(truncated_to_the_base_block)
{
    struct base s = make_base();
    expect_broken(s.img, 4096, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

START_TEST(bins_size_past_end_of_file)
{
    struct base s = make_base();
    hb_put32(s.img, HB_REGF_BINS_SIZE, (uint32_t)(s.len - 4096 + 8192));
    hb_fix_checksum(s.img);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

START_TEST(truncated_inside_the_bins)
{
    struct base s = make_base();
    expect_broken(s.img, s.len - 4096, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

START_TEST(hbin_size_zero)
{
    struct base s = make_base();
    hb_put32(s.img, 4096 + HB_HBIN_SIZE, 0);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

START_TEST(second_hbin_with_wrong_self_offset)
{
    struct base s = make_base();
    const uint32_t second = hb_get32(s.img, 4096 + HB_HBIN_SIZE);
    ck_assert_uint_lt(4096u + second, s.len);
    ck_assert_int_eq(memcmp(s.img + 4096 + second, "hbin", 4), 0);
    hb_put32(s.img, 4096u + second + HB_HBIN_OFFSET, 0);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

START_TEST(cell_size_not_a_multiple_of_8)
{
    struct base s = make_base();
    const int32_t sz = (int32_t)hb_get32(s.img, 4096u + s.sw);
    hb_put32(s.img, 4096u + s.sw, (uint32_t)(sz + 4)); /* 4 bytes shorter */
    expect_broken(s.img, s.len, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

START_TEST(cell_crossing_its_bin)
{
    struct base s = make_base();
    const uint32_t last = hb_last_cell(s.img, 0);
    const int32_t sz = (int32_t)hb_get32(s.img, 4096u + last);
    hb_put32(s.img, 4096u + last, (uint32_t)(sz < 0 ? sz - 8 : sz + 8));
    expect_broken(s.img, s.len, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

START_TEST(cell_size_zero)
{
    struct base s = make_base();
    hb_put32(s.img, 4096u + s.z, 0);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, AT_OPEN);
}
END_TEST

/* ---- records: caught at open or at the first access ----------------------- */

START_TEST(root_offset_outside_the_bins)
{
    struct base s = make_base();
    hb_put32(s.img, HB_REGF_ROOT, 0x7FFFFFF0u);
    hb_fix_checksum(s.img);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(root_offset_at_a_value_cell)
{
    struct base s = make_base();
    hb_put32(s.img, HB_REGF_ROOT, s.v_str);
    hb_fix_checksum(s.img);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(nk_signature_wrong)
{
    struct base s = make_base();
    s.img[hb_rec(s.a) + 1] = 'x';
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

static void break_list_offset(uint32_t (*target)(const struct base *))
{
    struct base s = make_base();
    hb_put32(s.img, hb_rec(s.sw) + HB_NK_SUBKEY_LIST, target(&s));
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}

static uint32_t outside(const struct base *s) { return (uint32_t)(s->len - 4096 + 0x1000); }
static uint32_t far_outside(const struct base *s) { (void)s; return 0x7FFFFFF8u; }
static uint32_t mid_cell(const struct base *s)
{
    return hb_get32(s->img, hb_rec(s->sw) + HB_NK_SUBKEY_LIST) + 8;
}
static uint32_t unaligned(const struct base *s)
{
    return hb_get32(s->img, hb_rec(s->sw) + HB_NK_SUBKEY_LIST) + 2;
}
static uint32_t at_value(const struct base *s) { return s->v_str; }
static uint32_t at_bin_header(const struct base *s) { (void)s; return 0; }

START_TEST(subkey_list_offset_outside_the_bins) { break_list_offset(outside); }
END_TEST
START_TEST(subkey_list_offset_far_outside) { break_list_offset(far_outside); }
END_TEST
START_TEST(subkey_list_offset_into_the_middle_of_a_cell) { break_list_offset(mid_cell); }
END_TEST
START_TEST(subkey_list_offset_not_aligned) { break_list_offset(unaligned); }
END_TEST
START_TEST(subkey_list_offset_at_a_vk) { break_list_offset(at_value); }
END_TEST
START_TEST(subkey_list_offset_at_a_bin_header) { break_list_offset(at_bin_header); }
END_TEST

START_TEST(subkey_list_at_a_free_cell)
{
    /* a well-formed lh listing A and B, but in a free cell */
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t sw = hb_key(b, hb_root(b), "Software");
    const uint32_t a = hb_key(b, sw, "A"), bb = hb_key(b, sw, "B");
    uint8_t lh[20] = {'l', 'h', 2, 0};
    hb_put32(lh, 4, a);
    hb_put32(lh, 8, hb_name_hash("A"));
    hb_put32(lh, 12, bb);
    hb_put32(lh, 16, hb_name_hash("B"));
    const uint32_t free_lh = hb_free_cell(b, lh, sizeof lh);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    ck_assert_int_gt((int32_t)hb_get32(img, 4096u + free_lh), 0);
    hb_put32(img, hb_rec(sw) + HB_NK_SUBKEY_LIST, free_lh);
    expect_broken(img, len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(ri_pointing_to_ri)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t sw = hb_key(b, hb_root(b), "Software");
    const uint32_t a = hb_key(b, sw, "A"), bb = hb_key(b, sw, "B");
    uint8_t li[12] = {'l', 'i', 2, 0};
    hb_put32(li, 4, a);
    hb_put32(li, 8, bb);
    const uint32_t leaf = hb_cell(b, li, sizeof li);
    uint8_t ri[8] = {'r', 'i', 1, 0};
    hb_put32(ri, 4, leaf);
    const uint32_t inner = hb_cell(b, ri, sizeof ri);
    hb_put32(ri, 4, inner);
    const uint32_t outer = hb_cell(b, ri, sizeof ri);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hb_put32(img, hb_rec(sw) + HB_NK_SUBKEY_LIST, outer);
    expect_broken(img, len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(ri_pointing_to_itself)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t sw = hb_key(b, hb_root(b), "Software");
    hb_list_kind(b, sw, 'h', 1);
    hb_key(b, sw, "A");
    hb_key(b, sw, "B");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    const uint32_t ri = hb_get32(img, hb_rec(sw) + HB_NK_SUBKEY_LIST);
    ck_assert_int_eq(memcmp(img + hb_rec(ri), "ri", 2), 0);
    hb_put32(img, hb_rec(ri) + HB_LIST_ENTRIES + 4, ri);
    expect_broken(img, len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(subkey_list_count_larger_than_its_cell)
{
    struct base s = make_base();
    const uint32_t list = hb_get32(s.img, hb_rec(s.sw) + HB_NK_SUBKEY_LIST);
    hb_put16(s.img, hb_rec(list) + HB_LIST_COUNT, 0xFFFF);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(value_list_count_larger_than_its_cell)
{
    struct base s = make_base();
    hb_put32(s.img, hb_rec(s.sw) + HB_NK_VALUE_COUNT, 1000);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(key_name_length_past_the_cell)
{
    struct base s = make_base();
    hb_put16(s.img, hb_rec(s.a) + HB_NK_NAME_LEN, 0x4000);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(value_name_length_past_the_cell)
{
    struct base s = make_base();
    hb_put16(s.img, hb_rec(s.v_dword) + HB_VK_NAME_LEN, 0x4000);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(class_length_past_the_cell)
{
    struct base s = make_base();
    hb_put16(s.img, hb_rec(s.a) + HB_NK_CLASS_LEN, 0x4000);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

/* The detail belongs to the call that failed: a later failure of another
 * kind (a missing subkey) or a success does not show it. */
START_TEST(detail_does_not_outlive_its_call)
{
    struct base s = make_base();
    hb_put16(s.img, hb_rec(s.a) + HB_NK_CLASS_LEN, 0x4000);
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(s.img, s.len, NULL, &h), HK_ERROR_SUCCESS);
    hk_key *root = NULL, *a = NULL, *k = NULL;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(root, "Software\\A", 0, HK_KEY_READ, &a), HK_ERROR_SUCCESS);
    char cls[64];
    size_t cls_size = sizeof cls;
    ck_assert_uint_eq(hk_query_info_key(a, cls, &cls_size, NULL), HK_ERROR_BADDB);
    char want[128];
    snprintf(want, sizeof want, "corrupt hive at offset 0x%x (file offset 0x%x): class name of "
             "16384 bytes (key at 0x%x) runs past its ", hb_get32(s.img, hb_rec(s.a) + HB_NK_CLASS),
             4096 + hb_get32(s.img, hb_rec(s.a) + HB_NK_CLASS), s.a);
    ck_assert_msg(strncmp(hk_errmsg(), want, strlen(want)) == 0, "detail: %s",
                  hk_errmsg());
    ck_assert_uint_eq(hk_open_key(root, "Software\\Missing", 0, HK_KEY_READ, &k),
                      HK_ERROR_FILE_NOT_FOUND);
    ck_assert_str_eq(hk_errmsg(), "");
    cls_size = sizeof cls;
    ck_assert_uint_eq(hk_query_info_key(a, cls, &cls_size, NULL), HK_ERROR_BADDB);
    ck_assert_str_ne(hk_errmsg(), "");
    char name[64];
    size_t name_size = sizeof name;
    ck_assert_uint_eq(hk_enum_key(a, 0, name, &name_size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_errmsg(), "");
    hk_close_key(a);
    hk_close_key(root);
    hk_hive_close(h);
    free(s.img);
}
END_TEST

/* OpenKey(key, EnumKey(key, i)) opens entry i without a search only once
 * the whole list is known in order: a list out of order further on (A, C,
 * B) gives what the search gives (B is not found by it), leaves no detail
 * after a success, and every entry before the break still enumerates. */
START_TEST(enumerated_name_in_a_list_out_of_order)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root_off = hb_root(b);
    hb_key(b, root_off, "A");
    hb_key(b, root_off, "B");
    hb_key(b, root_off, "C");
    hb_list_kind(b, root_off, 'h', 0);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    size_t list = hb_rec(hb_get32(img, hb_rec(root_off) + HB_NK_SUBKEY_LIST)) + HB_LIST_ENTRIES;
    for (size_t i = 0; i < 8; i++) { /* entries 1 and 2 (offset, hash) swapped */
        uint8_t t = img[list + 8 + i];
        img[list + 8 + i] = img[list + 16 + i];
        img[list + 16 + i] = t;
    }
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    hk_key *root = NULL, *k = NULL;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    char name[16], got[16];
    size_t size = sizeof name;
    ck_assert_uint_eq(hk_enum_key(root, 0, name, &size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(name, "A");
    ck_assert_uint_eq(hk_open_key(root, name, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_errmsg(), "");
    size = sizeof got;
    ck_assert_uint_eq(hk_key_name(k, got, &size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(got, "A");
    hk_close_key(k);
    size = sizeof name;
    ck_assert_uint_eq(hk_enum_key(root, 1, name, &size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(name, "C");
    ck_assert_uint_eq(hk_open_key(root, name, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    size = sizeof got;
    ck_assert_uint_eq(hk_key_name(k, got, &size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(got, "C");
    hk_close_key(k);
    k = NULL;
    ck_assert_uint_eq(hk_open_key(root, "B", 0, HK_KEY_READ, &k), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_ptr_null(k);
    size = sizeof name;
    ck_assert_uint_eq(hk_enum_key(root, 2, name, &size), HK_ERROR_BADDB);
    ck_assert_msg(strstr(hk_errmsg(), "out of order at entry 2") != NULL, "detail: %s",
                  hk_errmsg());
    hk_close_key(root);
    hk_hive_close(h);
    free(img);
}
END_TEST

START_TEST(value_data_offset_outside_the_bins)
{
    struct base s = make_base();
    hb_put32(s.img, hb_rec(s.v_str) + HB_VK_DATA, (uint32_t)(s.len + 0x100));
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(db_segment_list_short)
{
    struct base s = make_base();
    const uint32_t db = hb_get32(s.img, hb_rec(s.v_big) + HB_VK_DATA);
    ck_assert_int_eq(memcmp(s.img + hb_rec(db), "db", 2), 0);
    /* 4 segments, as the new size needs, but the list cell holds only 3 */
    const uint32_t list = hb_get32(s.img, hb_rec(db) + HB_DB_LIST);
    ck_assert_int_eq((int32_t)hb_get32(s.img, 4096u + list), -16);
    hb_put16(s.img, hb_rec(db) + HB_DB_COUNT, 4);
    hb_put32(s.img, hb_rec(s.v_big) + HB_VK_DATA_SIZE, 3 * 16344 + 1);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(db_with_a_short_middle_segment)
{
    /* a db of two segments whose first one holds 100 bytes, not 16344 */
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t v = hb_value(b, hb_root(b), "v", 3, "12345678", 8);
    const uint32_t seg0 = hb_cell(b, big_data, 100);
    const uint32_t seg1 = hb_cell(b, big_data, 16344);
    uint8_t list[8];
    hb_put32(list, 0, seg0);
    hb_put32(list, 4, seg1);
    const uint32_t lc = hb_cell(b, list, sizeof list);
    uint8_t db[12] = {'d', 'b', 2, 0};
    hb_put32(db, HB_DB_LIST, lc);
    const uint32_t dbc = hb_cell(b, db, sizeof db);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hb_put32(img, hb_rec(v) + HB_VK_DATA_SIZE, 100 + 16344);
    hb_put32(img, hb_rec(v) + HB_VK_DATA, dbc);
    expect_broken(img, len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(inline_data_longer_than_4_bytes)
{
    struct base s = make_base();
    hb_put32(s.img, hb_rec(s.v_dword) + HB_VK_DATA_SIZE, 0x80000008u);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(sk_offset_at_a_key)
{
    struct base s = make_base();
    hb_put32(s.img, hb_rec(s.b) + HB_NK_SK, s.a);
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

/* ---- cycles and depth ----------------------------------------------------- */

START_TEST(key_listing_its_own_parent)
{
    struct base s = make_base();
    /* A's only subkey (Z) becomes Software, A's parent: A -> Software -> A ... */
    const uint32_t list = hb_get32(s.img, hb_rec(s.a) + HB_NK_SUBKEY_LIST);
    hb_put32(s.img, hb_rec(list) + HB_LIST_ENTRIES, s.sw);
    hb_put32(s.img, hb_rec(list) + HB_LIST_ENTRIES + 4, hb_name_hash("Software"));
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

START_TEST(key_listing_itself)
{
    struct base s = make_base();
    const uint32_t list = hb_get32(s.img, hb_rec(s.a) + HB_NK_SUBKEY_LIST);
    hb_put32(s.img, hb_rec(list) + HB_LIST_ENTRIES, s.a);
    hb_put32(s.img, hb_rec(list) + HB_LIST_ENTRIES + 4, hb_name_hash("A"));
    expect_broken(s.img, s.len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

enum { CHAIN = 600 };

static uint8_t *chain_hive(size_t *len)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t k = hb_root(b);
    for (int i = 0; i < CHAIN; i++)
        k = hb_key(b, k, "k");
    return hb_finish(b, len);
}

START_TEST(chain_deeper_than_512_fails_step_by_step)
{
    size_t len;
    uint8_t *img = chain_hive(&len);
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    free(img);
    hk_key *k;
    ck_assert_uint_eq(hk_hive_root(h, &k), HK_ERROR_SUCCESS);
    /* the root is level 0 or 1 depending on how one counts: 511 levels below
     * it are always allowed, level 513 below it never is */
    unsigned level = 0;
    hk_status st = HK_ERROR_SUCCESS;
    while (level < CHAIN) {
        hk_key *c;
        st = hk_open_key(k, "k", 0, HK_KEY_READ, &c);
        if (st != HK_ERROR_SUCCESS)
            break;
        hk_close_key(k);
        k = c;
        level++;
    }
    hk_close_key(k);
    ck_assert_uint_eq(st, HK_ERROR_BADDB);
    ck_assert_uint_ge(level, 511);
    ck_assert_uint_le(level, 512);
    ck_assert_str_ne(hk_errmsg(), "");
    hk_hive_close(h);
}
END_TEST

START_TEST(chain_deeper_than_512_fails_in_one_path)
{
    size_t len;
    uint8_t *img = chain_hive(&len);
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    free(img);
    hk_key *root, *k = NULL;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    char *path = malloc(2 * CHAIN + 1);
    for (int i = 0; i < CHAIN; i++)
        memcpy(path + 2 * i, "k\\", 2);
    path[2 * 500 - 1] = 0; /* 500 levels: fine */
    ck_assert_uint_eq(hk_open_key(root, path, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    path[2 * 500 - 1] = '\\';
    path[2 * CHAIN - 1] = 0;
    ck_assert_uint_eq(hk_open_key(root, path, 0, HK_KEY_READ, &k), HK_ERROR_BADDB);
    free(path);
    hk_close_key(root);
    hk_hive_close(h);
}
END_TEST

START_TEST(chain_deeper_than_512_fails_in_a_walk)
{
    size_t len;
    uint8_t *img = chain_hive(&len);
    expect_broken(img, len, HK_ERROR_BADDB, ANYWHERE);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("read_api_corrupt");
    TCase *tc = tcase_create("corrupt");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, intact_base_hive_walks_without_error);
    tcase_add_test(tc, enumerated_name_in_a_list_out_of_order);
    tcase_add_test(tc, bad_signature_is_not_a_registry_file);
    tcase_add_test(tc, truncated_to_the_base_block);
    tcase_add_test(tc, bins_size_past_end_of_file);
    tcase_add_test(tc, truncated_inside_the_bins);
    tcase_add_test(tc, hbin_size_zero);
    tcase_add_test(tc, second_hbin_with_wrong_self_offset);
    tcase_add_test(tc, cell_size_not_a_multiple_of_8);
    tcase_add_test(tc, cell_crossing_its_bin);
    tcase_add_test(tc, cell_size_zero);
    tcase_add_test(tc, root_offset_outside_the_bins);
    tcase_add_test(tc, root_offset_at_a_value_cell);
    tcase_add_test(tc, nk_signature_wrong);
    tcase_add_test(tc, subkey_list_offset_outside_the_bins);
    tcase_add_test(tc, subkey_list_offset_far_outside);
    tcase_add_test(tc, subkey_list_offset_into_the_middle_of_a_cell);
    tcase_add_test(tc, subkey_list_offset_not_aligned);
    tcase_add_test(tc, subkey_list_offset_at_a_vk);
    tcase_add_test(tc, subkey_list_offset_at_a_bin_header);
    tcase_add_test(tc, subkey_list_at_a_free_cell);
    tcase_add_test(tc, ri_pointing_to_ri);
    tcase_add_test(tc, ri_pointing_to_itself);
    tcase_add_test(tc, subkey_list_count_larger_than_its_cell);
    tcase_add_test(tc, value_list_count_larger_than_its_cell);
    tcase_add_test(tc, key_name_length_past_the_cell);
    tcase_add_test(tc, value_name_length_past_the_cell);
    tcase_add_test(tc, class_length_past_the_cell);
    tcase_add_test(tc, value_data_offset_outside_the_bins);
    tcase_add_test(tc, db_segment_list_short);
    tcase_add_test(tc, db_with_a_short_middle_segment);
    tcase_add_test(tc, inline_data_longer_than_4_bytes);
    tcase_add_test(tc, sk_offset_at_a_key);
    tcase_add_test(tc, key_listing_its_own_parent);
    tcase_add_test(tc, key_listing_itself);
    tcase_add_test(tc, chain_deeper_than_512_fails_step_by_step);
    tcase_add_test(tc, chain_deeper_than_512_fails_in_one_path);
    tcase_add_test(tc, chain_deeper_than_512_fails_in_a_walk);
    tcase_add_test(tc, detail_does_not_outlive_its_call);
    suite_add_tcase(s, tc);
    return s;
}
