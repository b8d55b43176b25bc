/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hk_hive_check on hives built by the test-side builder: a clean hive has no
 * finding; each invariant broken once gives exactly its finding (rule,
 * severity, file offset). */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hive_builder.h"
#include "hivekit.h"

Suite *test_suite(void);

/* ---- the clean hive and its offsets ---------------------------------------- */

struct fixture {
    uint8_t *img;
    size_t len;
    uint32_t root, a, b, va, vb, big;
};

static const char data12[] = "twelve bytes";

/* Root, Alpha (a 12-byte value "one", class "cls"), Beta (an inline DWORD
 * "two", with_big: a 20000-byte big-data value "big"), then raw (len bytes,
 * when given) in an allocated cell nothing references; returns its offset. */
static uint32_t build_raw(struct fixture *f, int with_big, const void *raw, uint32_t len)
{
    struct hb *b = hb_new(5, "ROOT");
    f->root = hb_root(b);
    f->a = hb_key(b, f->root, "Alpha");
    f->b = hb_key(b, f->root, "Beta");
    f->va = hb_value(b, f->a, "one", HK_REG_BINARY, data12, 12);
    f->vb = hb_value(b, f->b, "two", HK_REG_DWORD, "\1\0\0\0", 4);
    hb_class(b, f->a, "cls");
    f->big = 0;
    if (with_big) {
        static uint8_t big[20000];
        memset(big, 0x5A, sizeof big);
        f->big = hb_value(b, f->b, "big", HK_REG_BINARY, big, sizeof big);
    }
    uint32_t off = raw ? hb_cell(b, raw, len) : 0;
    f->img = hb_finish(b, &f->len);
    return off;
}

static void build(struct fixture *f, int with_big)
{
    build_raw(f, with_big, NULL, 0);
}

/* "E rule 0xOFF\n" / "W rule 0xOFF\n" per finding. */
struct found {
    char text[4096];
};

static int collect(const hk_check_finding *fd, void *ctx)
{
    struct found *r = ctx;
    size_t n = strlen(r->text);
    snprintf(r->text + n, sizeof r->text - n, "%c %s 0x%llx\n",
             fd->severity == HK_CHECK_ERROR ? 'E' : 'W', fd->rule,
             (unsigned long long)fd->file_offset);
    ck_assert_ptr_nonnull(fd->message);
    ck_assert_int_gt((int)strlen(fd->message), 10);
    return 0;
}

static void run_check(const uint8_t *img, size_t len, struct found *r, hk_check_counts *c)
{
    hk_hive *h = NULL;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_SALVAGE;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &h), HK_ERROR_SUCCESS);
    memset(r, 0, sizeof *r);
    ck_assert_uint_eq(hk_hive_check(h, collect, r, c), HK_ERROR_SUCCESS);
    hk_hive_close(h);
}

static void expect(const uint8_t *img, size_t len, const char *want)
{
    struct found r;
    hk_check_counts c = HK_CHECK_COUNTS_INIT;
    run_check(img, len, &r, &c);
    ck_assert_str_eq(r.text, want);
    uint32_t e = 0, w = 0;
    for (const char *p = want; *p; p = strchr(p, '\n') + 1)
        if (*p == 'E')
            e++;
        else
            w++;
    ck_assert_uint_eq(c.errors, e);
    ck_assert_uint_eq(c.warnings, w);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    static char buf[1024];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

static size_t rec(uint32_t off)
{
    return hb_rec(off);
}

static uint32_t cell_file(uint32_t off)
{
    return HB_BASE_BLOCK_SIZE + off;
}

/* ---- tests ------------------------------------------------------------------ */

START_TEST(clean_hive_has_no_finding)
{
    struct fixture f;
    build(&f, 1);
    expect(f.img, f.len, "");
    free(f.img);
}
END_TEST

START_TEST(bad_checksum_is_one_error_at_0x1fc)
{
    struct fixture f;
    build(&f, 0);
    hb_put32(f.img, HB_REGF_CHECKSUM, hb_get32(f.img, HB_REGF_CHECKSUM) ^ 1u);
    expect(f.img, f.len, "E checksum 0x1fc\n");
    free(f.img);
}
END_TEST

START_TEST(dirty_sequence_is_a_warning)
{
    struct fixture f;
    build(&f, 0);
    hb_put32(f.img, HB_REGF_SEQ1, hb_get32(f.img, HB_REGF_SEQ2) + 1);
    hb_fix_checksum(f.img);
    expect(f.img, f.len, "W dirty 0x4\n");
    free(f.img);
}
END_TEST

START_TEST(cell_size_not_a_multiple_of_8)
{
    struct fixture f;
    build(&f, 0);
    uint32_t last = hb_last_cell(f.img, 0);
    hb_put32(f.img, cell_file(last), hb_get32(f.img, cell_file(last)) + 4);
    expect(f.img, f.len, fmt("E cell-size 0x%x\n", cell_file(last)));
    free(f.img);
}
END_TEST

/* The root with subkeys first and second, in that order; exactly one
 * finding of rule at the root's list. */
static void expect_list_finding(const char *first, const char *second, const char *rule)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    hb_key(b, root, first);
    hb_key(b, root, second);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t list = hb_get32(img, rec(root) + HB_NK_SUBKEY_LIST);
    expect(img, len, fmt("E %s 0x%x\n", rule, cell_file(list)));
    free(img);
}

START_TEST(unsorted_list_is_a_list_order_error)
{
    expect_list_finding("b", "a", "list-order");
}
END_TEST

START_TEST(wrong_lh_hash)
{
    struct fixture f;
    build(&f, 0);
    uint32_t list = hb_get32(f.img, rec(f.root) + HB_NK_SUBKEY_LIST);
    hb_put32(f.img, rec(list) + HB_LIST_ENTRIES + 4, 0x12345678u);
    expect(f.img, f.len, fmt("E list-hash 0x%x\n", cell_file(list)));
    free(f.img);
}
END_TEST

START_TEST(wrong_lf_hint)
{
    struct hb *b = hb_new(3, "ROOT");
    uint32_t root = hb_root(b);
    hb_key(b, root, "Alpha");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t list = hb_get32(img, rec(root) + HB_NK_SUBKEY_LIST);
    ck_assert_uint_eq(hb_get8(img, rec(list) + 1), 'f');
    hb_put8(img, rec(list) + HB_LIST_ENTRIES + 4, 'X');
    expect(img, len, fmt("E list-hint 0x%x\n", cell_file(list)));
    free(img);
}
END_TEST

START_TEST(subkey_count_above_the_list)
{
    struct fixture f;
    build(&f, 0);
    hb_put32(f.img, rec(f.root) + HB_NK_SUBKEY_COUNT, 3);
    expect(f.img, f.len, fmt("E subkey-count 0x%x\n", cell_file(f.root)));
    free(f.img);
}
END_TEST

START_TEST(value_count_above_the_list)
{
    struct fixture f;
    build(&f, 0);
    uint32_t list = hb_get32(f.img, rec(f.a) + HB_NK_VALUE_LIST);
    hb_put32(f.img, rec(f.a) + HB_NK_VALUE_COUNT, 2);
    expect(f.img, f.len, fmt("E value-count 0x%x\n", cell_file(list)));
    free(f.img);
}
END_TEST

START_TEST(max_fields_below_reality)
{
    struct fixture f;
    build(&f, 0);
    hb_put32(f.img, rec(f.a) + HB_NK_MAX_VALUE_NAME, 2);
    expect(f.img, f.len, fmt("E max-value-name 0x%x\n", cell_file(f.a)));
    hb_put32(f.img, rec(f.a) + HB_NK_MAX_VALUE_NAME, 6);
    hb_put32(f.img, rec(f.a) + HB_NK_MAX_VALUE_DATA, 11);
    expect(f.img, f.len, fmt("E max-value-data 0x%x\n", cell_file(f.a)));
    hb_put32(f.img, rec(f.a) + HB_NK_MAX_VALUE_DATA, 12);
    hb_put16(f.img, rec(f.root) + HB_NK_MAX_SUBKEY_NAME, 8);
    expect(f.img, f.len, fmt("E max-subkey-name 0x%x\n", cell_file(f.root)));
    hb_put16(f.img, rec(f.root) + HB_NK_MAX_SUBKEY_NAME, 10);
    hb_put32(f.img, rec(f.root) + HB_NK_MAX_SUBKEY_CLASS, 4);
    expect(f.img, f.len, fmt("E max-subkey-class 0x%x\n", cell_file(f.root)));
    free(f.img);
}
END_TEST

START_TEST(security_refcount_and_ring)
{
    struct fixture f;
    build(&f, 0);
    uint32_t sk = hb_get32(f.img, rec(f.root) + HB_NK_SK);
    uint32_t refs = hb_get32(f.img, rec(sk) + HB_SK_REFCOUNT);
    ck_assert_uint_eq(refs, 3);
    hb_put32(f.img, rec(sk) + HB_SK_REFCOUNT, 2);
    expect(f.img, f.len, fmt("E sk-refcount 0x%x\n", cell_file(sk)));
    hb_put32(f.img, rec(sk) + HB_SK_REFCOUNT, 4);
    expect(f.img, f.len, fmt("W sk-refcount 0x%x\n", cell_file(sk)));
    hb_put32(f.img, rec(sk) + HB_SK_REFCOUNT, 3);
    hb_put32(f.img, rec(sk) + HB_SK_FLINK, f.root);
    expect(f.img, f.len, fmt("E sk-ring 0x%x\n", cell_file(sk)));
    hb_put32(f.img, rec(sk) + HB_SK_FLINK, sk);
    hb_put32(f.img, rec(sk) + HB_SK_BLINK, f.root);
    expect(f.img, f.len, fmt("E sk-ring 0x%x\n", cell_file(sk)));
    free(f.img);
}
END_TEST

START_TEST(list_referenced_twice)
{
    struct fixture f;
    build(&f, 0);
    uint32_t la = hb_get32(f.img, rec(f.a) + HB_NK_VALUE_LIST);
    uint32_t lb = hb_get32(f.img, rec(f.b) + HB_NK_VALUE_LIST);
    hb_put32(f.img, rec(f.b) + HB_NK_VALUE_LIST, la);
    hb_put32(f.img, rec(f.b) + HB_NK_MAX_VALUE_DATA, 12);
    /* B's own list and value are orphaned: warnings, in offset order. */
    expect(f.img, f.len,
           fmt("E ref-twice 0x%x\nW unreferenced 0x%x\nW unreferenced 0x%x\n", cell_file(la),
               cell_file(f.vb < lb ? f.vb : lb), cell_file(f.vb < lb ? lb : f.vb)));
    free(f.img);
}
END_TEST

START_TEST(child_names_another_parent)
{
    struct fixture f;
    build(&f, 0);
    hb_put32(f.img, rec(f.b) + HB_NK_PARENT, f.a);
    expect(f.img, f.len, fmt("E key-parent 0x%x\n", cell_file(f.b)));
    free(f.img);
}
END_TEST

START_TEST(free_cell_where_data_is_referenced)
{
    struct fixture f;
    build(&f, 0);
    uint32_t data = hb_get32(f.img, rec(f.va) + HB_VK_DATA);
    hb_put32(f.img, cell_file(data), (uint32_t)0 - hb_get32(f.img, cell_file(data)));
    expect(f.img, f.len, fmt("E ref-free 0x%x\n", cell_file(data)));
    free(f.img);
}
END_TEST

START_TEST(inline_data_over_4_bytes)
{
    struct fixture f;
    build(&f, 0);
    hb_put32(f.img, rec(f.vb) + HB_VK_DATA_SIZE, 0x80000005u);
    hb_put32(f.img, rec(f.b) + HB_NK_MAX_VALUE_DATA, 5);
    expect(f.img, f.len, fmt("E value-inline 0x%x\n", cell_file(f.vb)));
    free(f.img);
}
END_TEST

START_TEST(big_data_segment_count)
{
    struct fixture f;
    build(&f, 1);
    uint32_t db = hb_get32(f.img, rec(f.big) + HB_VK_DATA);
    ck_assert_uint_eq(hb_get16(f.img, rec(db)), 'd' | 'b' << 8);
    uint32_t list = hb_get32(f.img, rec(db) + HB_DB_LIST);
    uint32_t seg2 = hb_get32(f.img, rec(list) + 4);
    hb_put16(f.img, rec(db) + HB_DB_COUNT, 1);
    expect(f.img, f.len,
           fmt("E bigdata 0x%x\nW unreferenced 0x%x\n", cell_file(db), cell_file(seg2)));
    free(f.img);
}
END_TEST

/* Counts findings, stops at the stop_at-th (0: never), and keeps what the
 * hive's detail said during each. */
struct stopper {
    hk_hive *h;
    int calls, stop_at;
    char details[256];
};

static int stop_check(const hk_check_finding *fd, void *ctx)
{
    struct stopper *s = ctx;
    (void)fd;
    size_t n = strlen(s->details);
    snprintf(s->details + n, sizeof s->details - n, "%s", hk_errmsg());
    return ++s->calls == s->stop_at;
}

/* The key node Alpha names more bytes than its cell holds: the check reports
 * it (and Alpha's cells as unreferenced) without it ever becoming the hive's
 * detail; a stop request gives CANCELLED and no finding after it. */
START_TEST(a_stop_request_cancels_the_check_and_decoding_leaves_no_detail)
{
    struct fixture f;
    build(&f, 0);
    hb_put16(f.img, rec(f.a) + HB_NK_NAME_LEN, 0x4000);
    hk_hive *h = NULL;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_SALVAGE;
    ck_assert_uint_eq(hk_hive_open_memory(f.img, f.len, &o, &h), HK_ERROR_SUCCESS);
    struct stopper s = {h, 0, 0, ""};
    ck_assert_uint_eq(hk_hive_check(h, stop_check, &s, NULL), HK_ERROR_SUCCESS);
    ck_assert_int_ge(s.calls, 2);
    ck_assert_str_eq(s.details, "");
    ck_assert_str_eq(hk_errmsg(), "");
    for (int stop = 1; stop <= 2; stop++) {
        struct stopper one = {h, 0, stop, ""};
        hk_check_counts c = HK_CHECK_COUNTS_INIT;
        c.errors = 77;
        ck_assert_uint_eq(hk_hive_check(h, stop_check, &one, &c), HK_ERROR_CANCELLED);
        ck_assert_int_eq(one.calls, stop);
        ck_assert_uint_eq(c.errors, 77); /* output parameters: only on success */
    }
    hk_hive_close(h);
    free(f.img);
}
END_TEST

START_TEST(unreferenced_cell_and_trailing_bytes_are_warnings)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t raw = hb_cell(b, "junk", 4);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint8_t *longer = calloc(1, len + 16);
    memcpy(longer, img, len);
    longer[len + 3] = 7;
    expect(longer, len + 16,
           fmt("W unreferenced 0x%x\nW trailing-data 0x%zx\n", cell_file(raw), len));
    free(longer);
    free(img);
}
END_TEST

START_TEST(truncated_file_is_checked_as_far_as_it_goes)
{
    struct fixture f;
    build(&f, 0);
    /* Declare one more bin than the file holds. */
    hb_put32(f.img, HB_REGF_BINS_SIZE, hb_get32(f.img, HB_REGF_BINS_SIZE) + 4096);
    hb_fix_checksum(f.img);
    expect(f.img, f.len, "E bins 0x28\n");
    free(f.img);
}
END_TEST

START_TEST(reference_into_the_middle_of_a_cell)
{
    struct fixture f;
    build(&f, 0);
    uint32_t list = hb_get32(f.img, rec(f.b) + HB_NK_VALUE_LIST);
    hb_put32(f.img, rec(list), f.vb + 8);
    /* The value it named is now referenced by nothing. */
    expect(f.img, f.len,
           fmt("E ref-cell 0x%x\nW unreferenced 0x%x\n", cell_file(f.b), cell_file(f.vb)));
    free(f.img);
}
END_TEST

START_TEST(reference_outside_the_bins)
{
    struct fixture f;
    build(&f, 0);
    uint32_t cls = hb_get32(f.img, rec(f.a) + HB_NK_CLASS);
    hb_put32(f.img, rec(f.a) + HB_NK_CLASS, 0x7FFFFFF8u);
    expect(f.img, f.len,
           fmt("E ref-bounds 0x%x\nW unreferenced 0x%x\n", cell_file(f.a), cell_file(cls)));
    free(f.img);
}
END_TEST

START_TEST(value_entry_without_vk_signature)
{
    struct fixture f;
    uint32_t raw = build_raw(&f, 0, "xxxxxxxxxxxxxxxxxxxx", 20);
    uint32_t list = hb_get32(f.img, rec(f.b) + HB_NK_VALUE_LIST);
    hb_put32(f.img, rec(list), raw);
    expect(f.img, f.len,
           fmt("E signature 0x%x\nW unreferenced 0x%x\n", cell_file(raw), cell_file(f.vb)));
    free(f.img);
}
END_TEST

START_TEST(subkey_list_with_a_bad_signature_or_size)
{
    struct fixture f;
    uint32_t raw = build_raw(&f, 0, "xx\1\0\0\0\0\0", 8);
    hb_put32(f.img, rec(f.a) + HB_NK_SUBKEY_COUNT, 1);
    hb_put32(f.img, rec(f.a) + HB_NK_SUBKEY_LIST, raw);
    expect(f.img, f.len, fmt("E list-signature 0x%x\n", cell_file(raw)));
    hb_put16(f.img, rec(raw), 'l' | 'h' << 8);
    hb_put16(f.img, rec(raw) + HB_LIST_COUNT, 5);
    expect(f.img, f.len, fmt("E list-size 0x%x\n", cell_file(raw)));
    free(f.img);
}
END_TEST

START_TEST(duplicate_names_in_a_list)
{
    expect_list_finding("same", "SAME", "list-duplicate");
}
END_TEST

START_TEST(class_name_longer_than_its_cell)
{
    struct fixture f;
    build(&f, 0);
    uint32_t cls = hb_get32(f.img, rec(f.a) + HB_NK_CLASS);
    hb_put16(f.img, rec(f.a) + HB_NK_CLASS_LEN, 200);
    hb_put32(f.img, rec(f.root) + HB_NK_MAX_SUBKEY_CLASS, 200);
    expect(f.img, f.len, fmt("E class 0x%x\n", cell_file(cls)));
    free(f.img);
}
END_TEST

START_TEST(security_cell_missing_or_not_an_sk)
{
    struct fixture f;
    uint32_t raw = build_raw(&f, 0, "xxxxxxxxxxxxxxxxxxxxxxxx", 24);
    uint32_t sk = hb_get32(f.img, rec(f.a) + HB_NK_SK);
    hb_put32(f.img, rec(f.a) + HB_NK_SK, HB_NIL);
    /* Two keys use the shared cell that counts three. */
    expect(f.img, f.len,
           fmt("E sk-missing 0x%x\nW sk-refcount 0x%x\nW unreferenced 0x%x\n", cell_file(f.a),
               cell_file(sk), cell_file(raw)));
    hb_put32(f.img, rec(f.a) + HB_NK_SK, raw);
    expect(f.img, f.len,
           fmt("E sk-record 0x%x\nW sk-refcount 0x%x\n", cell_file(raw), cell_file(sk)));
    free(f.img);
}
END_TEST

START_TEST(value_data_larger_than_its_cell)
{
    struct fixture f;
    build(&f, 0);
    uint32_t data = hb_get32(f.img, rec(f.va) + HB_VK_DATA);
    hb_put32(f.img, rec(f.va) + HB_VK_DATA_SIZE, 100);
    hb_put32(f.img, rec(f.a) + HB_NK_MAX_VALUE_DATA, 100);
    expect(f.img, f.len, fmt("E value-data 0x%x\n", cell_file(data)));
    free(f.img);
}
END_TEST

START_TEST(broken_second_bin_is_cut_by_salvage)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    uint32_t k = hb_key(b, root, "k");
    static uint8_t blob[6000];
    hb_value(b, k, "blob", HK_REG_BINARY, blob, sizeof blob);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t bin2 = hb_get32(img, HB_BASE_BLOCK_SIZE + HB_HBIN_SIZE);
    uint32_t sk = hb_get32(img, rec(root) + HB_NK_SK);
    /* The lists were laid out last: the root's lies in the second bin. */
    ck_assert_uint_ge(hb_get32(img, rec(root) + HB_NK_SUBKEY_LIST), bin2);
    ck_assert_uint_lt(k, bin2);
    hb_put8(img, HB_BASE_BLOCK_SIZE + bin2, 'X');
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_BADDB);
    /* k is cut off from the root: its security reference and its cell are
     * left over. */
    expect(img, len,
           fmt("E bins 0x28\nE ref-bounds 0x%x\nW sk-refcount 0x%x\nW unreferenced 0x%x\n",
               cell_file(root), cell_file(sk), cell_file(k)));
    free(img);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("check");
    tcase_add_test(tc, clean_hive_has_no_finding);
    tcase_add_test(tc, bad_checksum_is_one_error_at_0x1fc);
    tcase_add_test(tc, dirty_sequence_is_a_warning);
    tcase_add_test(tc, cell_size_not_a_multiple_of_8);
    tcase_add_test(tc, unsorted_list_is_a_list_order_error);
    tcase_add_test(tc, wrong_lh_hash);
    tcase_add_test(tc, wrong_lf_hint);
    tcase_add_test(tc, subkey_count_above_the_list);
    tcase_add_test(tc, value_count_above_the_list);
    tcase_add_test(tc, max_fields_below_reality);
    tcase_add_test(tc, security_refcount_and_ring);
    tcase_add_test(tc, list_referenced_twice);
    tcase_add_test(tc, child_names_another_parent);
    tcase_add_test(tc, free_cell_where_data_is_referenced);
    tcase_add_test(tc, inline_data_over_4_bytes);
    tcase_add_test(tc, big_data_segment_count);
    tcase_add_test(tc, unreferenced_cell_and_trailing_bytes_are_warnings);
    tcase_add_test(tc, a_stop_request_cancels_the_check_and_decoding_leaves_no_detail);
    tcase_add_test(tc, truncated_file_is_checked_as_far_as_it_goes);
    tcase_add_test(tc, reference_into_the_middle_of_a_cell);
    tcase_add_test(tc, reference_outside_the_bins);
    tcase_add_test(tc, value_entry_without_vk_signature);
    tcase_add_test(tc, subkey_list_with_a_bad_signature_or_size);
    tcase_add_test(tc, duplicate_names_in_a_list);
    tcase_add_test(tc, class_name_longer_than_its_cell);
    tcase_add_test(tc, security_cell_missing_or_not_an_sk);
    tcase_add_test(tc, value_data_larger_than_its_cell);
    tcase_add_test(tc, broken_second_bin_is_cut_by_salvage);
    suite_add_tcase(s, tc);
    return s;
}
