/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OpenKey(key, EnumKey(key, i)): hk_open_key below a key takes the entry
 * its last enumeration read as a hint (tree_open_path). Whether the hint is
 * taken or the search runs, the key opened must be the one the search
 * finds on a handle never enumerated: lists in order (one leaf and ri),
 * names that differ only by case (duplicates, out of order), other
 * spellings of the name (case, non-ASCII, UTF-16), handles never
 * enumerated, lists edited through the same and through another handle,
 * CreateKey of an enumerated name, and lists broken on purpose (no crash;
 * the search's status).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"
#include "hive_builder.h"
#include "hivekit.h"

Suite *test_suite(void);

#define T0 0x01D0000000000000ull /* key i's last-write time is T0 + i: its identity */

/* The last-write time of sub below parent, opened by name; 0 when the
 * open fails (*st: its status). */
/* The last-write time of k, which it closes. */
static uint64_t stamp_closing(hk_key *k)
{
    hk_key_info info = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_close_key(k), HK_ERROR_SUCCESS);
    return info.last_write;
}

static uint64_t stamp_of(hk_key *parent, const char *sub, hk_status *st)
{
    hk_key *k = NULL;
    *st = hk_open_key(parent, sub, 0, HK_KEY_READ, &k);
    if (*st != HK_ERROR_SUCCESS) {
        ck_assert_ptr_null(k);
        return 0;
    }
    return stamp_closing(k);
}

/* Opens sub below parent (a handle just enumerated) and below a new handle
 * on the same key that was never enumerated (the search alone): the same
 * status, the same key, no detail left by a success. Returns the status;
 * *stamp: the key's (0: not opened). */
static hk_status agree(hk_hive *h, hk_key *parent, const char *sub, uint64_t *stamp)
{
    hk_status st, st_fresh;
    *stamp = stamp_of(parent, sub, &st);
    if (st == HK_ERROR_SUCCESS)
        ck_assert_str_eq(hk_errmsg(), "");
    hk_key *fresh;
    ck_assert_uint_eq(hk_hive_root(h, &fresh), HK_ERROR_SUCCESS);
    uint64_t want = stamp_of(fresh, sub, &st_fresh);
    ck_assert_uint_eq(hk_close_key(fresh), HK_ERROR_SUCCESS);
    ck_assert_msg(st == st_fresh, "%s: status %u, the search's %u", sub, st, st_fresh);
    ck_assert_msg(*stamp == want, "%s: key 0x%llx opened, the search finds 0x%llx", sub,
                  (unsigned long long)*stamp, (unsigned long long)want);
    return st;
}

/* agree, with the status expected: returns the key's stamp. */
static uint64_t open_both(hk_hive *h, hk_key *parent, const char *sub, hk_status want)
{
    uint64_t stamp;
    hk_status st = agree(h, parent, sub, &stamp);
    ck_assert_msg(st == want, "%s: status %u, want %u", sub, st, want);
    return stamp;
}

/* Enumerates entry i of parent (asserting its name) and opens it by spell
 * (NULL: the name as enumerated): returns the key's stamp. */
static uint64_t enum_then_open(hk_hive *h, hk_key *parent, uint32_t i, const char *name,
                               const char *spell)
{
    char got[256];
    size_t size = sizeof got;
    ck_assert_uint_eq(hk_enum_key(parent, i, got, &size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(got, name);
    return open_both(h, parent, spell ? spell : got, HK_ERROR_SUCCESS);
}

/* A root whose subkeys are names[0..n) laid as given (stamps T0 + i),
 * leaf_max as hb_list_kind's (0: one lh). */
static struct fx build(const char *const *names, size_t n, unsigned leaf_max)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    for (size_t i = 0; i < n; i++)
        hb_key_time(b, hb_key(b, root, names[i]), T0 + i);
    hb_list_kind(b, root, 'h', leaf_max);
    return open_built(b);
}

static const char *const sorted[] = {"Alpha", "beta", "Delta", "gamma", "Kappa"};

START_TEST(in_order_list_opens_each_entry)
{
    for (unsigned leaf_max = 0; leaf_max <= 2; leaf_max += 2) { /* one lh; an ri of lh */
        struct fx f = build(sorted, 5, leaf_max);
        for (uint32_t i = 0; i < 5; i++)
            ck_assert_uint_eq(enum_then_open(f.hive, f.root, i, sorted[i], NULL), T0 + i);
        /* backwards, and each name twice in a row */
        for (uint32_t i = 5; i-- > 0;) {
            ck_assert_uint_eq(enum_then_open(f.hive, f.root, i, sorted[i], NULL), T0 + i);
            ck_assert_uint_eq(open_both(f.hive, f.root, sorted[i], HK_ERROR_SUCCESS), T0 + i);
        }
        /* a name other than the one enumerated last, a missing one, a path
         * through it */
        ck_assert_uint_eq(enum_then_open(f.hive, f.root, 3, "gamma", "beta"), T0 + 1);
        ck_assert_uint_eq(enum_then_open(f.hive, f.root, 3, "gamma", "gamma\\"), T0 + 3);
        enum_then_open(f.hive, f.root, 3, "gamma", NULL);
        open_both(f.hive, f.root, "gamm", HK_ERROR_FILE_NOT_FOUND);
        open_both(f.hive, f.root, "gamma\\x", HK_ERROR_FILE_NOT_FOUND);
        open_both(f.hive, f.root, "\\gamma", HK_ERROR_BAD_PATHNAME);
        close_fx(&f);
    }
}
END_TEST

/* Names equal but for case are one name: a list holding both is out of
 * order, and the binary search (Windows') finds the entry it meets first,
 * entry 1 of two, whatever the enumeration read. */
START_TEST(duplicate_names_differing_by_case)
{
    static const char *const pairs[2][2] = {{"foo", "FOO"}, {"FOO", "foo"}};
    for (int p = 0; p < 2; p++) {
        struct fx f = build(pairs[p], 2, 0);
        ck_assert_uint_eq(enum_then_open(f.hive, f.root, 0, pairs[p][0], NULL), T0 + 1);
        ck_assert_uint_eq(open_both(f.hive, f.root, pairs[p][1], HK_ERROR_SUCCESS), T0 + 1);
        char name[16];
        size_t size = sizeof name;
        ck_assert_uint_eq(hk_enum_key(f.root, 1, name, &size), HK_ERROR_BADDB);
        ck_assert_msg(strstr(hk_errmsg(), "out of order at entry 1") != NULL, "detail: %s",
                      hk_errmsg());
        ck_assert_uint_eq(open_both(f.hive, f.root, pairs[p][0], HK_ERROR_SUCCESS), T0 + 1);
        close_fx(&f);
    }
    /* three: entry 1 is met first; the enumeration of entry 0 must not
     * open it instead */
    static const char *const three[] = {"dup", "DUP", "Dup"};
    struct fx f = build(three, 3, 0);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 0, "dup", NULL), T0 + 1);
    close_fx(&f);
}
END_TEST

/* The lookup is case-insensitive (Windows' upcase table, UTF-16 units):
 * an enumerated name opens in any case, Latin-1 and UTF-16 names alike. */
START_TEST(other_spellings_of_the_enumerated_name)
{
    static const char *const names[] = {"bar", "caf\xc3\xa9", "foo", "\xcf\x89mega"};
    struct fx f = build(names, 4, 0);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 2, "foo", "FOO"), T0 + 2);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 2, "foo", "fOo"), T0 + 2);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "caf\xc3\xa9", NULL), T0 + 1);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "caf\xc3\xa9", "CAF\xc3\x89"), T0 + 1);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 3, "\xcf\x89mega", NULL), T0 + 3);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 3, "\xcf\x89mega", "\xce\xa9MEGA"), T0 + 3);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 0, "bar", "BAR\\"), T0 + 0);
    /* not the same name: é is no e */
    enum_then_open(f.hive, f.root, 1, "caf\xc3\xa9", NULL);
    open_both(f.hive, f.root, "cafe", HK_ERROR_FILE_NOT_FOUND);
    open_both(f.hive, f.root, "caf\xc3", HK_ERROR_NO_UNICODE_TRANSLATION);
    close_fx(&f);
}
END_TEST

START_TEST(handle_never_enumerated)
{
    struct fx f = build(sorted, 5, 2);
    for (uint32_t i = 0; i < 5; i++)
        ck_assert_uint_eq(open_both(f.hive, f.root, sorted[i], HK_ERROR_SUCCESS), T0 + i);
    open_both(f.hive, f.root, "missing", HK_ERROR_FILE_NOT_FOUND);
    open_both(f.hive, f.root, "", HK_ERROR_SUCCESS);
    /* an enumeration that failed leaves nothing to hint */
    char name[16];
    size_t size = sizeof name;
    ck_assert_uint_eq(hk_enum_key(f.root, 5, name, &size), HK_ERROR_NO_MORE_ITEMS);
    ck_assert_uint_eq(open_both(f.hive, f.root, "Delta", HK_ERROR_SUCCESS), T0 + 2);
    close_fx(&f);
}
END_TEST

/* ---- edits: the hint belongs to the list as it was read ------------------ */

/* A writable hive: root with a, c, e (stamps as build's). */
static struct fx writable(void)
{
    static const char *const names[] = {"a", "c", "e"};
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    for (size_t i = 0; i < 3; i++)
        hb_key_time(b, hb_key(b, root, names[i]), T0 + i);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct fx f = {NULL, NULL};
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &f.hive), HK_ERROR_SUCCESS);
    free(img);
    ck_assert_uint_eq(hk_hive_root(f.hive, &f.root), HK_ERROR_SUCCESS);
    hk_hive_set_clock(f.hive, T0 + 100);
    return f;
}

static void create(hk_key *parent, const char *name)
{
    hk_key *k;
    ck_assert_uint_eq(hk_create_key(parent, name, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_close_key(k), HK_ERROR_SUCCESS);
}

/* CreateKey(parent, EnumKey(parent, i)) in the spelling given: the
 * existing key, opened (its stamp). */
static uint64_t create_existing(hk_key *parent, uint32_t i, const char *name, const char *spell)
{
    char got[64];
    size_t size = sizeof got;
    ck_assert_uint_eq(hk_enum_key(parent, i, got, &size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(got, name);
    hk_key *k;
    uint32_t disposition = 0;
    ck_assert_uint_eq(hk_create_key_ex(parent, spell, 0, NULL, 0, HK_KEY_ALL_ACCESS, &k,
                                       &disposition),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(disposition, HK_REG_OPENED_EXISTING_KEY);
    return stamp_closing(k);
}

START_TEST(create_opens_the_enumerated_key)
{
    struct fx f = writable();
    for (uint32_t i = 0; i < 3; i++) {
        static const char *const names[] = {"a", "c", "e"}, *const upper[] = {"A", "C", "E"};
        ck_assert_uint_eq(create_existing(f.root, i, names[i], names[i]), T0 + i);
        ck_assert_uint_eq(create_existing(f.root, i, names[i], upper[i]), T0 + i);
        ck_assert_uint_eq(create_existing(f.root, i, names[i], names[(i + 1) % 3]),
                          T0 + (i + 1) % 3);
    }
    /* a path through the enumerated key creates below it */
    char got[8];
    size_t size = sizeof got;
    ck_assert_uint_eq(hk_enum_key(f.root, 1, got, &size), HK_ERROR_SUCCESS);
    create(f.root, "c\\below");
    hk_key *k;
    ck_assert_uint_eq(hk_open_key(f.root, "C\\BELOW", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_close_key(k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "c", NULL), T0 + 100);
    close_fx(&f);
}
END_TEST

START_TEST(edits_through_the_same_handle)
{
    struct fx f = writable();
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "c", NULL), T0 + 1);
    create(f.root, "b"); /* a b c e: entry 1 is b now */
    ck_assert_uint_eq(open_both(f.hive, f.root, "c", HK_ERROR_SUCCESS), T0 + 1);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "b", NULL), T0 + 100);
    ck_assert_uint_eq(hk_delete_key(f.root, "b"), HK_ERROR_SUCCESS); /* a c e */
    open_both(f.hive, f.root, "b", HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 2, "e", NULL), T0 + 2);
    ck_assert_uint_eq(hk_delete_key(f.root, "e"), HK_ERROR_SUCCESS); /* a c */
    open_both(f.hive, f.root, "e", HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "c", NULL), T0 + 1);
    ck_assert_uint_eq(hk_rename_key(f.root, "c", "d"), HK_ERROR_SUCCESS); /* a d */
    open_both(f.hive, f.root, "c", HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(open_both(f.hive, f.root, "d", HK_ERROR_SUCCESS), T0 + 1);
    close_fx(&f);
}
END_TEST

START_TEST(edits_through_another_handle)
{
    struct fx f = writable();
    hk_key *other;
    ck_assert_uint_eq(hk_hive_root(f.hive, &other), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "c", NULL), T0 + 1);
    create(other, "b"); /* a b c e */
    ck_assert_uint_eq(open_both(f.hive, f.root, "c", HK_ERROR_SUCCESS), T0 + 1);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "b", NULL), T0 + 100);
    ck_assert_uint_eq(hk_delete_key(other, "b"), HK_ERROR_SUCCESS); /* a c e */
    open_both(f.hive, f.root, "b", HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "c", NULL), T0 + 1);
    ck_assert_uint_eq(hk_delete_key(other, "c"), HK_ERROR_SUCCESS); /* a e */
    open_both(f.hive, f.root, "c", HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "e", NULL), T0 + 2);
    ck_assert_uint_eq(hk_rename_key(other, "e", "b"), HK_ERROR_SUCCESS); /* a b */
    open_both(f.hive, f.root, "e", HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(open_both(f.hive, f.root, "b", HK_ERROR_SUCCESS), T0 + 2);
    /* an edit elsewhere in the hive (a value of a subkey) */
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 1, "b", NULL), T0 + 2);
    hk_key *a;
    ck_assert_uint_eq(hk_open_key(other, "a", 0, HK_KEY_ALL_ACCESS, &a), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(a, "v", 0, HK_REG_DWORD, "\1\0\0\0", 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_close_key(a), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(open_both(f.hive, f.root, "b", HK_ERROR_SUCCESS), T0 + 2);
    /* the enumerated key itself deleted under the open handle's feet */
    ck_assert_uint_eq(enum_then_open(f.hive, f.root, 0, "a", NULL), T0 + 100); /* the value set it */
    ck_assert_uint_eq(hk_delete_tree(other, "a"), HK_ERROR_SUCCESS);
    open_both(f.hive, f.root, "a", HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(hk_close_key(other), HK_ERROR_SUCCESS);
    close_fx(&f);
}
END_TEST

/* ---- hostile lists: no crash, the search's answer ------------------------ */

/* Root with a, b, c, d (lh); entry which of the list rewritten to point at
 * target (a cell offset). */
static struct fx broken(uint32_t which, uint32_t (*target)(struct hb *b, uint32_t root,
                                                            const uint32_t *keys))
{
    static const char *const names[] = {"a", "b", "c", "d"};
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b), keys[4];
    for (size_t i = 0; i < 4; i++) {
        keys[i] = hb_key(b, root, names[i]);
        hb_key_time(b, keys[i], T0 + i);
    }
    uint32_t to = target(b, root, keys);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    size_t list = hb_rec(hb_get32(img, hb_rec(root) + HB_NK_SUBKEY_LIST)) + HB_LIST_ENTRIES;
    hb_put32(img, list + 8 * which, to);
    struct fx f = {NULL, NULL};
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &f.hive), HK_ERROR_SUCCESS);
    free(img);
    ck_assert_uint_eq(hk_hive_root(f.hive, &f.root), HK_ERROR_SUCCESS);
    return f;
}

static uint32_t to_value(struct hb *b, uint32_t root, const uint32_t *keys)
{
    (void)keys;
    return hb_value(b, root, "v", 4, "\1\0\0\0", 4);
}

static uint32_t to_root(struct hb *b, uint32_t root, const uint32_t *keys)
{
    (void)b;
    (void)keys;
    return root;
}

static uint32_t to_outside(struct hb *b, uint32_t root, const uint32_t *keys)
{
    (void)b;
    (void)root;
    (void)keys;
    return 0x7FFFFFF8u;
}

static uint32_t to_other_parent(struct hb *b, uint32_t root, const uint32_t *keys)
{
    (void)root;
    return hb_key(b, keys[0], "b"); /* a "b" whose parent is a */
}

/* Entry which (1..3) of a, b, c, d broken four ways; entry 0 enumerated,
 * then every name opened: the open after the enumeration says what the
 * search says (BADDB when it meets the broken entry, else the key). */
START_TEST(broken_entry_after_the_enumerated_one)
{
    uint32_t (*const targets[])(struct hb *, uint32_t, const uint32_t *) = {
        to_value, to_root, to_outside, to_other_parent};
    static const char *const names[] = {"a", "b", "c", "d", "A", "e"};
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        for (uint32_t which = 1; which < 4; which++) {
            struct fx f = broken(which, targets[t]);
            for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
                char name[16];
                size_t size = sizeof name;
                ck_assert_uint_eq(hk_enum_key(f.root, 0, name, &size), HK_ERROR_SUCCESS);
                ck_assert_str_eq(name, "a");
                uint64_t stamp;
                hk_status st = agree(f.hive, f.root, names[n], &stamp);
                ck_assert_msg(st == HK_ERROR_SUCCESS || st == HK_ERROR_BADDB ||
                                  st == HK_ERROR_FILE_NOT_FOUND,
                              "%s: %u", names[n], st);
                size = sizeof name;
                ck_assert_uint_eq(hk_enum_key(f.root, which, name, &size), HK_ERROR_BADDB);
                agree(f.hive, f.root, names[n], &stamp);
            }
            /* which = 3 is past every step of the search for a */
            if (which == 3)
                ck_assert_uint_eq(open_both(f.hive, f.root, "a", HK_ERROR_SUCCESS), T0);
            close_fx(&f);
        }
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("open_hint");
    TCase *tc = tcase_create("open_hint");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, in_order_list_opens_each_entry);
    tcase_add_test(tc, duplicate_names_differing_by_case);
    tcase_add_test(tc, other_spellings_of_the_enumerated_name);
    tcase_add_test(tc, handle_never_enumerated);
    tcase_add_test(tc, edits_through_the_same_handle);
    tcase_add_test(tc, edits_through_another_handle);
    tcase_add_test(tc, create_opens_the_enumerated_key);
    tcase_add_test(tc, broken_entry_after_the_enumerated_one);
    suite_add_tcase(s, tc);
    return s;
}
