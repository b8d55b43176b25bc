/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seeded mutations of real hives (byte, bit and dword changes, dwords copied
 * from elsewhere in the file so that offsets point at real cells,
 * truncations): each mutated image is opened, read in full through every
 * read function and exported as jsonl by fuzz/walk.c, the fuzz targets'
 * walk, which aborts on any status or size promise a hostile file must not
 * break. Every fourth image is also opened for writing and edited with the
 * edit fuzz target's seed script (fuzz/edit_ops.c: edits may meet the
 * damage and say BADDB, nothing else), then read again in full. Each case
 * runs under an alarm (a hang fails the test and names the case); the
 * sanitizer build turns memory errors and leaks into failures too. A failing
 * case is reproduced from its hive, loop index and round. */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "edit_ops.h"
#include "hivekit.h"
#include "log_corpus.h"
#include "walk.h"
#include "corpus.h"

Suite *test_suite(void);

static const char *const hives[] = {
    "yarp/BigDataHive.gz", "yarp/UnicodeHive.gz", "yarp/StringValuesHive.gz",
    "yarp/ManySubkeysHive.gz", "hivex/special.gz", "regipy/BCD.gz", "regipy/SAM.gz",
    "yarp/NewFlagsHive.gz", "yarp/MultiSzHive.gz", "regipy/SECURITY.gz",
    "yarp/WrongOrderHive.gz", "yarp/DeletedDataHive.gz", "hivex/rlenvalue_test_hive.gz",
};
#define N_HIVES (sizeof hives / sizeof hives[0])

enum {
    LOOPS = 39,            /* three passes over the hives */
    ROUNDS = 800,          /* mutations per loop: 31,200 cases */
    CASE_SECONDS = 10,     /* alarm per case (generous for ASan) */
    MAX_STEPS = 2000000,   /* walk bound: far above any of these hives */
};

static uint8_t *load(const char *rel, size_t *len)
{
    char path[1024];
    corpus_path(path, sizeof path, rel);
    return lc_read(path, len);
}

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

/* One random edit of img (at most *len bytes; truncation shrinks *len). */
static void edit(uint8_t *img, size_t *len)
{
    size_t at = rnd() % *len;
    switch (rnd() % 8) {
    case 0: img[at] = (uint8_t)rnd(); break;
    case 1: img[at] ^= (uint8_t)(1u << (rnd() % 8)); break;
    case 2: /* a plausible dword: small, offset-like, or extreme */
        if (at + 4 <= *len) {
            static const uint32_t pick[] = {0, 1, 0x20, 0x1000, 0x7FFFFFFF, 0x80000000u,
                                            0xFFFFFFFFu, 0xFFFFFFF8u, 0xFFFF, 0x10000};
            put32(img + at, rnd() % 2 ? pick[rnd() % 10] : rnd() % 0x10000);
        }
        break;
    case 3: /* an aligned dword copied from elsewhere: often a real offset */
        if (*len >= 8) {
            size_t from = (rnd() % (*len / 4)) * 4, to = (rnd() % (*len / 4)) * 4;
            memmove(img + to, img + from, 4);
        }
        break;
    case 4: /* truncation: anywhere, but mostly inside the bins */
        if (rnd() % 4 == 0)
            *len = rnd() % *len;
        else if (*len > 4096)
            *len = 4096 + rnd() % (*len - 4096);
        break;
    default: /* aim at the first bin, where roots and lists live */
        if (*len > 4096 + 512) {
            size_t t = 4096 + rnd() % 4096;
            if (t < *len)
                img[t] = (uint8_t)rnd();
        }
        break;
    }
}

static void mutate(uint8_t *img, size_t *len)
{
    unsigned edits = 1 + rnd() % 8;
    for (unsigned e = 0; e < edits && *len > 8; e++)
        edit(img, len);
}

/* Opens img writable, applies the edit script, reads the result again. */
static void edit_case(const uint8_t *img, size_t n, const uint8_t *ops, size_t ops_len, FILE *sink)
{
    hk_open_options wr = HK_OPEN_OPTIONS_INIT;
    wr.flags = HK_OPEN_WRITE;
    hk_hive *h;
    hk_status st = hk_hive_open_memory(img, n, &wr, &h);
    fz_expect(NULL, 0, st, "hk_hive_open_memory (write)", HK_ERROR_NOT_REGISTRY_FILE,
              HK_ERROR_REGISTRY_IO_FAILED); /* a dirty hive is not edited */
    if (st != HK_ERROR_SUCCESS)
        return;
    hk_hive_set_clock(h, 0x01D9000000000000ull);
    fz_edit_apply(h, ops, ops_len, FZ_ALLOW_BADDB, 1000);
    fz_walk(h, 0, MAX_STEPS, sink);
    hk_hive_close(h);
}

static char case_name[256];

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "mutation: case timed out: ";
    ssize_t w = write(2, msg, sizeof msg - 1);
    w = write(2, case_name, strlen(case_name));
    w = write(2, "\n", 1);
    (void)w;
    _exit(3);
}

static int count_record(const hk_deleted_record *rec, void *ctx)
{
    (void)ctx;
    ck_assert(rec->kind == HK_DELETED_KEY || rec->kind == HK_DELETED_VALUE);
    ck_assert(rec->data_state == HK_DELETED_DATA_OK || rec->data == NULL);
    ck_assert_int_eq(rec->name[rec->name_len], 0);
    return 0;
}

/* The integrity check reports what the strict walk rejected (walked); the
 * deleted-data scan reads anything whose bins tile; a salvage open takes
 * what a strict one refuses. */
static void forensic_case(const uint8_t *img, size_t n, hk_status walked)
{
    hk_hive *h;
    hk_status st = hk_hive_open_memory(img, n, NULL, &h);
    int strict_open = st == HK_ERROR_SUCCESS;
    if (st == HK_ERROR_BADDB) {
        hk_open_options o = HK_OPEN_OPTIONS_INIT;
        o.flags = HK_OPEN_SALVAGE;
        st = hk_hive_open_memory(img, n, &o, &h);
    }
    ck_assert_msg(st == HK_ERROR_SUCCESS || st == HK_ERROR_BADDB ||
                      st == HK_ERROR_NOT_REGISTRY_FILE || st == HK_ERROR_CANTREAD,
                  "%s: open: %u", case_name, st);
    if (st != HK_ERROR_SUCCESS)
        return;
    hk_check_counts counts = HK_CHECK_COUNTS_INIT;
    ck_assert_uint_eq(hk_hive_check(h, NULL, NULL, &counts), HK_ERROR_SUCCESS);
    if (strict_open && walked == HK_ERROR_BADDB)
        ck_assert_msg(counts.errors > 0, "%s: the walk failed, the check found nothing", case_name);
    st = hk_deleted_scan(h, count_record, NULL);
    ck_assert_msg(st == HK_ERROR_SUCCESS || st == HK_ERROR_BADDB, "%s: hk_deleted_scan: %u",
                  case_name, st);
    hk_hive_close(h);
}

START_TEST(mutated_hives_fail_cleanly)
{
    const char *rel = hives[_i % N_HIVES];
    size_t len;
    uint8_t *orig = load(rel, &len);
    uint8_t *img = malloc(len);
    size_t ops_len;
    uint8_t *ops = lc_read(FUZZ_SEEDS "/edit/basic.ops", &ops_len);
    FILE *sink = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(sink);
    signal(SIGALRM, on_alarm);
    fz_set_context(case_name);
    unsigned opened = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        rng_state = (uint64_t)_i * 1000003u + r;
        snprintf(case_name, sizeof case_name, "%s, loop %d, round %u", rel, _i, r);
        size_t n = len;
        memcpy(img, orig, len);
        mutate(img, &n);
        alarm(CASE_SECONDS);
        hk_status st = fz_open_walk(img, n, 0, MAX_STEPS, sink);
        if (r % 4 == 0)
            edit_case(img, n, ops + 1, ops_len - 1, sink);
        if (r % 2 == 0)
            forensic_case(img, n, st);
        alarm(0);
        opened += st == HK_ERROR_SUCCESS || st == HK_ERROR_BADDB;
    }
    fz_set_context(NULL);
    fclose(sink);
    /* the mutations must leave most images openable, or the walk is untested */
    ck_assert_uint_gt(opened, ROUNDS / 4);
    free(img);
    free(orig);
    free(ops);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("mutation");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, mutated_hives_fail_cleanly, 0, LOOPS);
    suite_add_tcase(s, tc);
    return s;
}
