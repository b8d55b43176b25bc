/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seeded mutations of real hives (byte and dword changes, truncations): each
 * is opened and walked in full through the public API. Any outcome but a
 * clean status is a failure; the sanitizer build turns memory errors into
 * failures too. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "hivekit.h"

Suite *test_suite(void);

static const char *const hives[] = {
    "yarp/BigDataHive.gz", "yarp/UnicodeHive.gz", "yarp/StringValuesHive.gz",
    "yarp/ManySubkeysHive.gz", "hivex/special.gz", "regipy/BCD.gz", "regipy/SAM.gz",
    "yarp/NewFlagsHive.gz", "yarp/MultiSzHive.gz", "regipy/SECURITY.gz",
};

static uint8_t *load(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS_DIR, rel);
    gzFile gz = gzopen(path, "rb");
    ck_assert_msg(gz != NULL, "corpus file %s missing", path);
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        int got = gzread(gz, buf + n, (unsigned)(cap - n));
        ck_assert_int_ge(got, 0);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    gzclose(gz);
    *len = n;
    return buf;
}

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static const hk_status allowed[] = {
    HK_ERROR_SUCCESS, HK_ERROR_BADDB, HK_ERROR_NOT_REGISTRY_FILE, HK_ERROR_NO_MORE_ITEMS,
};

static int saw_baddb; /* the strict walk of this hive met a broken structure */

static void expect_clean(hk_status st, const char *what)
{
    saw_baddb |= st == HK_ERROR_BADDB;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (st == allowed[i])
            return;
    ck_abort_msg("%s returned status %u", what, st);
}

static unsigned long visited;

static void walk(hk_key *key, unsigned depth)
{
    ck_assert_uint_le(depth, HK_MAX_DEPTH);
    char name[2048];
    static uint8_t data[1 << 20];
    for (uint32_t i = 0;; i++) {
        size_t ns = sizeof name, ds = sizeof data;
        uint32_t type;
        hk_status st = hk_enum_value(key, i, name, &ns, &type, data, &ds);
        if (st == HK_ERROR_MORE_DATA)
            continue;
        expect_clean(st, "hk_enum_value");
        if (st != HK_ERROR_SUCCESS)
            break;
        visited++;
    }
    size_t cs = sizeof name;
    hk_key_info info;
    expect_clean(hk_query_info_key(key, name, &cs, &info), "hk_query_info_key");
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        hk_status st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        expect_clean(st, "hk_open_subkey_at");
        if (st != HK_ERROR_SUCCESS)
            break;
        visited++;
        walk(child, depth + 1);
        hk_close_key(child);
    }
}

static void mutate(uint8_t *img, size_t *len)
{
    unsigned edits = 1 + rnd() % 8;
    for (unsigned e = 0; e < edits && *len > 8; e++) {
        size_t at = rnd() % *len;
        switch (rnd() % 6) {
        case 0: img[at] = (uint8_t)rnd(); break;
        case 1: img[at] ^= (uint8_t)(1u << (rnd() % 8)); break;
        case 2: /* a plausible dword: small, offset-like, or extreme */
            if (at + 4 <= *len) {
                static const uint32_t pick[] = {0, 1, 0x20, 0x1000, 0x7FFFFFFF, 0x80000000u,
                                                0xFFFFFFFFu, 0xFFFFFFF8u};
                uint32_t v = rnd() % 2 ? pick[rnd() % 8] : rnd() % 0x10000;
                memcpy(img + at, &v, 4);
            }
            break;
        case 3: *len = 4096 + rnd() % (*len > 4096 ? *len - 4096 : 1); break;
        default: /* aim at the first bin, where roots and lists live */
            if (*len > 4096 + 512) {
                size_t t = 4096 + rnd() % 4096;
                if (t < *len)
                    img[t] = (uint8_t)rnd();
            }
            break;
        }
    }
}

static int count_record(const hk_deleted_record *rec, void *ctx)
{
    (void)ctx;
    ck_assert(rec->kind == HK_DELETED_KEY || rec->kind == HK_DELETED_VALUE);
    ck_assert(rec->data_state == HK_DELETED_DATA_OK || rec->data == NULL);
    ck_assert_int_eq(rec->name[rec->name_len], 0);
    visited++;
    return 0;
}

START_TEST(mutated_hives_fail_cleanly)
{
    const char *rel = hives[_i % (sizeof hives / sizeof hives[0])];
    size_t len;
    uint8_t *orig = load(rel, &len);
    uint8_t *img = malloc(len);
    unsigned rounds = 500;
    for (unsigned r = 0; r < rounds; r++) {
        rng_state = (uint64_t)_i * 1000003u + r;
        size_t n = len;
        memcpy(img, orig, len);
        mutate(img, &n);
        hk_hive *hive;
        hk_status st = hk_hive_open_memory(img, n, NULL, &hive);
        expect_clean(st, "hk_hive_open_memory");
        if (st == HK_ERROR_BADDB) {
            /* A salvage open reads what it can of the same bytes. */
            hk_open_options o = {.flags = HK_OPEN_SALVAGE};
            st = hk_hive_open_memory(img, n, &o, &hive);
            expect_clean(st, "hk_hive_open_memory (salvage)");
        }
        if (st != HK_ERROR_SUCCESS)
            continue;
        hk_key *root;
        saw_baddb = 0;
        st = hk_hive_root(hive, &root);
        expect_clean(st, "hk_hive_root");
        if (st == HK_ERROR_SUCCESS) {
            walk(root, 0);
            hk_close_key(root);
        }
        /* What the strict reader rejects, the integrity check reports; the
         * deleted-data scan reads anything without failing but on tiling. */
        hk_check_counts counts;
        ck_assert_uint_eq(hk_hive_check(hive, NULL, NULL, &counts), HK_ERROR_SUCCESS);
        if (saw_baddb)
            ck_assert_msg(counts.errors > 0, "round %u: the walk failed, the check found nothing", r);
        st = hk_deleted_scan(hive, count_record, NULL);
        ck_assert_msg(st == HK_ERROR_SUCCESS || st == HK_ERROR_BADDB, "hk_deleted_scan: %u", st);
        hk_hive_close(hive);
    }
    free(img);
    free(orig);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("mutation");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, mutated_hives_fail_cleanly, 0, 20);
    suite_add_tcase(s, tc);
    return s;
}
