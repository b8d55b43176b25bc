/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tree/lookup: tree_open_path over built hives (nesting, separators, case,
 * bad UTF-8, components too long for the stack buffer, depth counting and
 * its limit), tree_child's parent check, and the enumeration hint (taken
 * only for its own list, checked in order, by the entry's own name). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "hive/image.h"
#include "hive_builder.h"
#include "record/nk.h"
#include "tree/enumlist.h"
#include "tree/lookup.h"

Suite *test_suite(void);

#define LONG_LEN 600u /* UTF-16 units: more than tree_open_path's 512 on the stack */

struct fx {
    struct hive_image img;
    uint32_t root, software, microsoft, windows, a, b, longkey, longchild, cafe;
    uint32_t li3; /* an li of root's entries but a: what an edit might leave */
    char longname[LONG_LEN + 1];
};

static void open_image(uint8_t *p, size_t len, struct hive_image *img)
{
    struct file_buf fb = {.data = p, .size = len, .mapped = 0};
    hk_status st = image_open(img, &fb);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "image_open: %u %s", st, diag_detail());
}

/* root
 *   a
 *   b
 *   café
 *   Software
 *     Microsoft
 *       Windows
 *     xxx...x (600)
 *       Child
 */
static uint8_t *build(struct fx *f, size_t *len)
{
    struct hb *b = hb_new(5, "ROOT");
    f->root = hb_root(b);
    f->a = hb_key(b, f->root, "a");
    f->b = hb_key(b, f->root, "b");
    f->cafe = hb_key(b, f->root, "caf\xc3\xa9");
    f->software = hb_key(b, f->root, "Software");
    f->microsoft = hb_key(b, f->software, "Microsoft");
    f->windows = hb_key(b, f->microsoft, "Windows");
    memset(f->longname, 'x', LONG_LEN);
    f->longname[LONG_LEN] = '\0';
    f->longkey = hb_key(b, f->software, f->longname);
    f->longchild = hb_key(b, f->longkey, "Child");
    uint8_t li[4 + 3 * 4] = {'l', 'i', 3, 0};
    const uint32_t entries[3] = {f->b, f->cafe, f->software};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 4; k++)
            li[4 + 4 * i + k] = (uint8_t)(entries[i] >> (8 * k));
    f->li3 = hb_cell(b, li, sizeof li);
    return hb_finish(b, len);
}

static void setup(struct fx *f)
{
    size_t len;
    uint8_t *p = build(f, &len);
    open_image(p, len, &f->img);
}

static struct nk root_nk(struct fx *f)
{
    struct nk nk;
    ck_assert_uint_eq(nk_read(&f->img, f->root, &nk), HK_ERROR_SUCCESS);
    return nk;
}

/* Opens path from the root at depth d0; on success checks the key reached and
 * the depth, on failure that key and depth were left alone. */
static hk_status open_from(struct fx *f, uint32_t d0, const char *path, uint32_t want_off,
                           uint32_t want_depth)
{
    const struct nk from = root_nk(f);
    struct nk key;
    uint32_t depth = d0;
    hk_status st = tree_open_path(&f->img, &from, &depth, path, NULL, &key);
    if (st != HK_ERROR_SUCCESS)
        key = from;
    if (st == HK_ERROR_SUCCESS) {
        ck_assert_msg(key.off == want_off, "%s: reached 0x%x, 0x%x expected", path, key.off,
                      want_off);
        ck_assert_uint_eq(depth, want_depth);
    } else {
        ck_assert_uint_eq(key.off, f->root);
        ck_assert_uint_eq(depth, d0);
    }
    return st;
}

START_TEST(nested_paths)
{
    struct fx f;
    setup(&f);
    ck_assert_uint_eq(open_from(&f, 0, "Software", f.software, 1), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "Software\\Microsoft\\Windows", f.windows, 3),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "sOFTWARE\\microsoft\\WINDOWS", f.windows, 3),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "CAF\xc3\x89", f.cafe, 1), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "a", f.a, 1), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "B", f.b, 1), HK_ERROR_SUCCESS);
    /* the key found carries its fields */
    struct nk key = root_nk(&f);
    uint32_t depth = 0;
    struct nk from = key;
    ck_assert_uint_eq(tree_open_path(&f.img, &from, &depth, "Software\\Microsoft", NULL, &key),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(key.parent, f.software);
    ck_assert_uint_eq(key.subkey_count, 1);
    ck_assert(memcmp(key.name.ptr, "Microsoft", 9) == 0);
    /* relative to a key other than the root */
    from = key;
    ck_assert_uint_eq(tree_open_path(&f.img, &from, &depth, "windows", NULL, &key),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(key.off, f.windows);
    ck_assert_uint_eq(depth, 3);
    image_free(&f.img);
}
END_TEST

START_TEST(trailing_backslash_allowed)
{
    struct fx f;
    setup(&f);
    ck_assert_uint_eq(open_from(&f, 0, "Software\\", f.software, 1), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "Software\\Microsoft\\", f.microsoft, 2),
                      HK_ERROR_SUCCESS);
    image_free(&f.img);
}
END_TEST

START_TEST(null_and_empty_path_stay)
{
    struct fx f;
    setup(&f);
    ck_assert_uint_eq(open_from(&f, 4, NULL, f.root, 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 4, "", f.root, 4), HK_ERROR_SUCCESS);
    image_free(&f.img);
}
END_TEST

START_TEST(bad_pathnames)
{
    struct fx f;
    setup(&f);
    /* a leading separator, whatever follows */
    static const char *const bad[] = {
        "\\Software", "\\", "\\\\", "\\\\Software", "\\Software\\Microsoft",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hk_status st = open_from(&f, 0, bad[i], 0, 0);
        ck_assert_msg(st == HK_ERROR_BAD_PATHNAME, "\"%s\": %u", bad[i], st);
    }
    /* repeated and trailing separators are tolerated (winreg's rule) */
    ck_assert_uint_eq(open_from(&f, 0, "Software\\\\Microsoft", f.microsoft, 2), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "Software\\Microsoft\\\\", f.microsoft, 2),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "Software\\\\\\Microsoft\\Windows\\\\\\", f.windows, 3),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 0, "a\\\\b", 0, 0), HK_ERROR_FILE_NOT_FOUND);
    image_free(&f.img);
}
END_TEST

START_TEST(missing_is_file_not_found)
{
    struct fx f;
    setup(&f);
    static const char *const missing[] = {
        "Nope", "Software\\Nope", "Software\\Microsoft\\Windows\\Nope", "Softwar", "Softwaree",
        "a\\b", "cafe", "Software\\xxx", "Software\\Microsoft\\Nope\\",
    };
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        hk_status st = open_from(&f, 0, missing[i], 0, 0);
        ck_assert_msg(st == HK_ERROR_FILE_NOT_FOUND, "\"%s\": %u", missing[i], st);
    }
    image_free(&f.img);
}
END_TEST

START_TEST(invalid_utf8)
{
    struct fx f;
    setup(&f);
    static const char *const bad[] = {
        "\xff", "Software\\\xc0\x80", "\x80", "caf\xc3", "\xed\xa0\x80\xed\xb0\x80", /* CESU */
        "\xf4\x90\x80\x80",                                                        /* > U+10FFFF */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hk_status st = open_from(&f, 0, bad[i], 0, 0);
        ck_assert_msg(st == HK_ERROR_NO_UNICODE_TRANSLATION, "case %zu: %u", i, st);
    }
    /* invalid in a path too long for the stack buffer */
    char longbad[1200];
    memset(longbad, 'y', sizeof longbad - 1);
    longbad[sizeof longbad - 1] = '\0';
    longbad[1100] = '\xfe';
    ck_assert_uint_eq(open_from(&f, 0, longbad, 0, 0), HK_ERROR_NO_UNICODE_TRANSLATION);
    image_free(&f.img);
}
END_TEST

START_TEST(long_component_uses_heap)
{
    struct fx f;
    setup(&f);
    char path[2 * LONG_LEN];
    snprintf(path, sizeof path, "Software\\%s", f.longname);
    ck_assert_uint_eq(open_from(&f, 0, path, f.longkey, 2), HK_ERROR_SUCCESS);
    snprintf(path, sizeof path, "software\\%s\\child\\", f.longname);
    ck_assert_uint_eq(open_from(&f, 0, path, f.longchild, 3), HK_ERROR_SUCCESS);
    /* the same name in upper case: folded too */
    for (char *c = path; *c; c++)
        if (*c == 'x')
            *c = 'X';
    ck_assert_uint_eq(open_from(&f, 0, path, f.longchild, 3), HK_ERROR_SUCCESS);
    /* one unit longer or shorter: absent */
    snprintf(path, sizeof path, "Software\\%sx", f.longname);
    ck_assert_uint_eq(open_from(&f, 0, path, 0, 0), HK_ERROR_FILE_NOT_FOUND);
    snprintf(path, sizeof path, "Software\\%s", f.longname + 1);
    ck_assert_uint_eq(open_from(&f, 0, path, 0, 0), HK_ERROR_FILE_NOT_FOUND);
    /* long, with a doubled separator: tolerated */
    snprintf(path, sizeof path, "Software\\\\%s", f.longname);
    ck_assert_uint_eq(open_from(&f, 0, path, f.longkey, 2), HK_ERROR_SUCCESS);
    /* exactly 512 units (stack) and 513 (heap), both missing */
    char edge[600];
    memset(edge, 'q', 513);
    edge[513] = '\0';
    ck_assert_uint_eq(open_from(&f, 0, edge, 0, 0), HK_ERROR_FILE_NOT_FOUND);
    edge[512] = '\0';
    ck_assert_uint_eq(open_from(&f, 0, edge, 0, 0), HK_ERROR_FILE_NOT_FOUND);
    /* only the longer one allocates: make the next allocation fail */
    alloc_fail_after(1);
    ck_assert_uint_eq(open_from(&f, 0, edge, 0, 0), HK_ERROR_FILE_NOT_FOUND);
    edge[512] = 'q';
    ck_assert_uint_eq(open_from(&f, 0, edge, 0, 0), HK_ERROR_NOT_ENOUGH_MEMORY);
    alloc_fail_after(0);
    ck_assert_uint_eq(open_from(&f, 0, edge, 0, 0), HK_ERROR_FILE_NOT_FOUND);
    image_free(&f.img);
}
END_TEST

START_TEST(depth_counting_and_limit)
{
    struct fx f;
    setup(&f);
    ck_assert_uint_eq(open_from(&f, 7, "Software\\Microsoft", f.microsoft, 9), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, 7, "Software\\Nope", 0, 0), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(open_from(&f, HK_MAX_DEPTH - 1, "Software", f.software, HK_MAX_DEPTH),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_from(&f, HK_MAX_DEPTH - 1, "Software\\Microsoft", 0, 0),
                      HK_ERROR_BADDB);
    ck_assert_ptr_nonnull(strstr(diag_detail(), "deeper"));
    ck_assert_uint_eq(open_from(&f, HK_MAX_DEPTH, "a", 0, 0), HK_ERROR_BADDB);
    /* a miss is reported before the depth */
    ck_assert_uint_eq(open_from(&f, HK_MAX_DEPTH, "Nope", 0, 0), HK_ERROR_FILE_NOT_FOUND);
    image_free(&f.img);
}
END_TEST

START_TEST(child_with_foreign_parent_is_baddb)
{
    struct fx f;
    size_t len;
    uint8_t *p = build(&f, &len);
    /* Microsoft claims the root as its parent; Windows claims itself */
    hb_put32(p, hb_rec(f.microsoft) + HB_NK_PARENT, f.root);
    hb_put32(p, hb_rec(f.windows) + HB_NK_PARENT, f.windows);
    open_image(p, len, &f.img);
    struct nk sw, child;
    ck_assert_uint_eq(nk_read(&f.img, f.software, &sw), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(tree_child(&f.img, &sw, f.microsoft, &child), HK_ERROR_BADDB);
    char want[64];
    snprintf(want, sizeof want, "names 0x%x as its parent", f.root);
    ck_assert_msg(strstr(diag_detail(), want) != NULL, "message \"%s\"", diag_detail());
    ck_assert_uint_eq(open_from(&f, 0, "Software\\Microsoft", 0, 0), HK_ERROR_BADDB);
    /* the healthy sibling still opens */
    ck_assert_uint_eq(tree_child(&f.img, &sw, f.longkey, &child), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(child.off, f.longkey);
    ck_assert_uint_eq(child.parent, f.software);
    /* a child offset that is no key node */
    ck_assert_uint_eq(tree_child(&f.img, &sw, sw.sk, &child), HK_ERROR_BADDB);
    ck_assert_uint_eq(tree_child(&f.img, &sw, CELL_NIL, &child), HK_ERROR_BADDB);
    /* Windows, reached from a Microsoft read directly, names itself */
    struct nk ms;
    ck_assert_uint_eq(nk_read(&f.img, f.microsoft, &ms), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(tree_child(&f.img, &ms, f.windows, &child), HK_ERROR_BADDB);
    struct nk key = ms;
    uint32_t depth = 2;
    struct nk out;
    ck_assert_uint_eq(tree_open_path(&f.img, &key, &depth, "Windows", NULL, &out), HK_ERROR_BADDB);
    ck_assert_uint_eq(key.off, f.microsoft);
    ck_assert_uint_eq(depth, 2);
    image_free(&f.img);
}
END_TEST

/* ---- the enumeration hint ---------------------------------------------- */

/* e filled as an enumeration of key's list that read entry index last. */
static void enumerate(struct fx *f, const struct nk *key, uint32_t index, struct enum_list *e)
{
    enum_list_reset(e);
    ck_assert_uint_eq(enum_list_open(&f->img, key, e), HK_ERROR_SUCCESS);
    uint32_t off;
    struct nk child;
    ck_assert_uint_eq(subkeys_at(&f->img, &e->sub, index, &off), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(tree_child(&f->img, key, off, &child), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(enum_list_order_to(&f->img, key, e, index, NULL), HK_ERROR_SUCCESS);
    uint32_t bad;
    ck_assert_uint_eq(enum_list_read(&f->img, key, e, index, &child.name, &bad),
                      HK_ERROR_SUCCESS);
}

/* Opens path below from with hint: the key reached (depth 1 more), or
 * CELL_NIL with *st the failure. */
static uint32_t open_hinted(struct fx *f, const struct nk *from, const char *path,
                            struct enum_list *hint, hk_status *st)
{
    struct nk key;
    uint32_t depth = 1;
    *st = tree_open_path(&f->img, from, &depth, path, hint, &key);
    if (*st != HK_ERROR_SUCCESS) {
        ck_assert_uint_eq(depth, 1);
        return CELL_NIL;
    }
    ck_assert_uint_ge(depth, 2);
    return key.off;
}

/* root's list: a, b, café, Software (in order). The hint's own entry in
 * any spelling, another entry, a path through it: the search's answers;
 * the hint's order check ran over the whole list. */
START_TEST(hint_gives_the_search_answer)
{
    struct fx f;
    setup(&f);
    struct nk root = root_nk(&f);
    const uint32_t want[] = {f.a, f.b, f.cafe, f.software};
    const char *const spell[][2] = {{"a", "A"}, {"b", "B"}, {"caf\xc3\xa9", "CAF\xc3\x89"},
                                    {"Software", "sOFTWARE"}};
    for (uint32_t i = 0; i < 4; i++) {
        for (int k = 0; k < 2; k++) {
            struct enum_list e;
            enumerate(&f, &root, i, &e);
            ck_assert_uint_eq(e.ordered, i + 1);
            hk_status st;
            ck_assert_uint_eq(open_hinted(&f, &root, spell[i][k], &e, &st), want[i]);
            ck_assert_uint_eq(e.ordered, 4);
            ck_assert_uint_eq(open_hinted(&f, &root, spell[(i + 1) % 4][k], &e, &st),
                              want[(i + 1) % 4]);
        }
    }
    struct enum_list e;
    enumerate(&f, &root, 3, &e);
    hk_status st;
    ck_assert_uint_eq(open_hinted(&f, &root, "Software\\Microsoft", &e, &st), f.microsoft);
    ck_assert_uint_eq(open_hinted(&f, &root, "Software\\Missing", &e, &st), CELL_NIL);
    ck_assert_uint_eq(st, HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(open_hinted(&f, &root, "Softwar", &e, &st), CELL_NIL);
    ck_assert_uint_eq(st, HK_ERROR_FILE_NOT_FOUND);
    image_free(&f.img);
}
END_TEST

/* A hint of another key's list (Software's: Microsoft, x...) is not taken
 * below the root, which has no Microsoft; nor one of the key's list as it
 * was before an edit. */
START_TEST(hint_of_another_list_is_not_taken)
{
    struct fx f;
    setup(&f);
    struct nk root = root_nk(&f), sw;
    ck_assert_uint_eq(nk_read(&f.img, f.software, &sw), HK_ERROR_SUCCESS);
    struct enum_list e;
    enumerate(&f, &sw, 0, &e);
    hk_status st;
    ck_assert_uint_eq(open_hinted(&f, &root, "Microsoft", &e, &st), CELL_NIL);
    ck_assert_uint_eq(st, HK_ERROR_FILE_NOT_FOUND);
    ck_assert_str_eq(diag_detail(), "");
    ck_assert_uint_eq(open_hinted(&f, &sw, "Microsoft", &e, &st), f.microsoft);
    /* a hint of root's list as it was, on root as an edit left it (its
     * list now li3, without a): a is gone */
    enumerate(&f, &root, 0, &e);
    struct nk edited = root;
    edited.subkeys = f.li3;
    edited.subkey_count = 3;
    ck_assert_uint_eq(open_hinted(&f, &edited, "a", &e, &st), CELL_NIL);
    ck_assert_uint_eq(st, HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(open_hinted(&f, &edited, "b", &e, &st), f.b);
    image_free(&f.img);
}
END_TEST

/* The entry at the hint's index decides, not the name the hint noted: a
 * hint whose name is entry 0's (a, set by hand: no enumeration leaves
 * this) but whose index is 1 (b) opens a, by the search. */
START_TEST(hint_entry_must_bear_the_name)
{
    struct fx f;
    setup(&f);
    struct nk root = root_nk(&f);
    struct enum_list e;
    enumerate(&f, &root, 1, &e);
    struct nk a;
    ck_assert_uint_eq(nk_read(&f.img, f.a, &a), HK_ERROR_SUCCESS);
    e.last_name = a.name;
    hk_status st;
    ck_assert_uint_eq(open_hinted(&f, &root, "a", &e, &st), f.a);
    ck_assert_uint_eq(open_hinted(&f, &root, "A", &e, &st), f.a);
    image_free(&f.img);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("lookup");
    TCase *tc = tcase_create("paths");
    tcase_add_test(tc, nested_paths);
    tcase_add_test(tc, trailing_backslash_allowed);
    tcase_add_test(tc, null_and_empty_path_stay);
    tcase_add_test(tc, bad_pathnames);
    tcase_add_test(tc, missing_is_file_not_found);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, long_component_uses_heap);
    tcase_add_test(tc, depth_counting_and_limit);
    suite_add_tcase(s, tc);
    TCase *hint = tcase_create("hint");
    tcase_add_test(hint, hint_gives_the_search_answer);
    tcase_add_test(hint, hint_of_another_list_is_not_taken);
    tcase_add_test(hint, hint_entry_must_bear_the_name);
    suite_add_tcase(s, hint);
    TCase *child = tcase_create("child");
    tcase_add_test(child, child_with_foreign_parent_is_baddb);
    suite_add_tcase(s, child);
    return s;
}
