/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Carving on the corpus: the facts of expectations.json with "check" carve,
 * memory_carve, carve_ntfs_compressed, fragment_reconstruction and
 * log_carving (yarp's
 * published carving results; every expected number and digest is taken from
 * the JSON). Each image is inflated into a temporary file and carved from
 * there (the streaming path), then from memory, which must agree. Without
 * the corpus the suite is skipped (exit 77).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hivekit.h"
#include "corpus.h"
#include "json_mini.h"
#include "log_corpus.h"
#include "tempdir.h"
#include "md5.h"

Suite *test_suite(void);

#ifndef CORPUS_DIR
#error "CORPUS_DIR must be defined by the build"
#endif

static jm_value *g_facts;

/* ---- images ------------------------------------------------------------- */

struct image {
    char *path;
    unsigned char *bytes;
    size_t size;
};

/* Inflates the corpus file rel into a temporary file and into memory. */
static void image_load(const char *rel, struct image *im)
{
    char src[4096];
    corpus_path(src, sizeof src, rel);
    im->bytes = lc_read(src, &im->size);
    im->path = tempfile_new("carve", im->bytes, im->size);
}

static void image_free(struct image *im)
{
    unlink(im->path);
    free(im->path);
    free(im->bytes);
}

/* ---- finds ------------------------------------------------------------------ */

struct find {
    hk_carve_record r;
    unsigned char *data; /* copy of r.data (NULL without HK_CARVE_DATA) */
};

struct finds {
    struct find v[32];
    size_t n;
};

static int collect(const hk_carve_record *r, void *ctx)
{
    struct finds *f = ctx;
    ck_assert_uint_lt(f->n, 32);
    struct find *d = &f->v[f->n++];
    d->r = *r;
    d->r.pieces = NULL;
    d->data = NULL;
    if (r->data) {
        d->data = malloc(r->size ? (size_t)r->size : 1);
        memcpy(d->data, r->data, (size_t)r->size);
    }
    return 0;
}

static void finds_free(struct finds *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].data);
    f->n = 0;
}

/* Carves the image from its file and from memory; both must agree. */
static void carve(const struct image *im, uint32_t flags, struct finds *out)
{
    hk_carve_options o = HK_CARVE_OPTIONS_INIT;
    o.flags = flags;
    out->n = 0;
    ck_assert_msg(hk_carve_file(im->path, &o, collect, out) == HK_ERROR_SUCCESS, "%s", hk_errmsg());
    struct finds mem = {.n = 0};
    ck_assert_uint_eq(hk_carve_memory(im->bytes, im->size, &o, collect, &mem), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(mem.n, out->n);
    for (size_t i = 0; i < out->n; i++) {
        const hk_carve_record *a = &out->v[i].r, *b = &mem.v[i].r;
        ck_assert_uint_eq(a->type, b->type);
        ck_assert_uint_eq(a->offset, b->offset);
        ck_assert_uint_eq(a->size, b->size);
        ck_assert(!out->v[i].data == !mem.v[i].data);
        if (out->v[i].data)
            ck_assert_mem_eq(out->v[i].data, mem.v[i].data, (size_t)a->size);
    }
    finds_free(&mem);
}

static size_t count_check(const char *check)
{
    size_t n = 0;
    for (size_t i = 0; i < g_facts->count; i++) {
        const char *c = jm_get_str(&g_facts->items[i], "check");
        if (c && strcmp(c, check) == 0)
            n++;
    }
    return n;
}

static const jm_value *fact(const char *check, size_t k)
{
    for (size_t i = 0; i < g_facts->count; i++) {
        const char *c = jm_get_str(&g_facts->items[i], "check");
        if (c && strcmp(c, check) == 0 && k-- == 0)
            return &g_facts->items[i];
    }
    return NULL;
}

static uint32_t type_of(const char *name)
{
    return strcmp(name, "hive") == 0 ? HK_CARVE_HIVE : HK_CARVE_FRAGMENT;
}

/* Each expected record, in order, against the finds: every field the fact
 * gives must be equal ("len" is yarp's memory carver's name for size). */
static void compare(const char *hive, const jm_value *want, const struct finds *got)
{
    ck_assert_msg(want && want->type == JM_ARRAY, "%s: no expected list", hive);
    ck_assert_msg(got->n == want->count, "%s: %zu finds, expected %zu", hive, got->n, want->count);
    for (size_t i = 0; i < want->count; i++) {
        const jm_value *e = &want->items[i];
        const hk_carve_record *r = &got->v[i].r;
        const char *type = jm_get_str(e, "type");
        if (type)
            ck_assert_msg(r->type == type_of(type), "%s #%zu: type %u", hive, i, r->type);
        ck_assert_msg((int64_t)r->offset == jm_int(jm_get(e, "offset"), -1),
                      "%s #%zu: offset %llu", hive, i, (unsigned long long)r->offset);
        const jm_value *size = jm_get(e, "size") ? jm_get(e, "size") : jm_get(e, "len");
        ck_assert_msg((int64_t)r->size == jm_int(size, -1), "%s #%zu: size %llu", hive, i,
                      (unsigned long long)r->size);
        if (jm_get(e, "hbins_data_size"))
            ck_assert_int_eq(r->hbins_data_size, jm_int(jm_get(e, "hbins_data_size"), -1));
        if (jm_get(e, "hbin_start"))
            ck_assert_int_eq(r->hbin_start, jm_int(jm_get(e, "hbin_start"), -1));
        if (jm_get(e, "truncated"))
            ck_assert_int_eq(r->truncated, jm_get(e, "truncated")->boolean);
        if (jm_get(e, "compressed"))
            ck_assert_int_eq(r->compressed, jm_get(e, "compressed")->boolean);
    }
}

typedef void (*fact_body)(const jm_value *f, const jm_value *expected, struct image *im,
                          struct finds *got);

/* Runs body on every fact of check: its image (the fact's log for
 * log_carving, else its hive) inflated and carved with flags. */
static void each_fact(const char *check, uint32_t flags, fact_body body)
{
    size_t n = count_check(check);
    ck_assert_uint_gt(n, 0);
    for (size_t k = 0; k < n; k++) {
        const jm_value *f = fact(check, k), *logs = jm_get(f, "logs");
        const char *rel = jm_get_str(f, "hive");
        if (strcmp(check, "log_carving") == 0) {
            ck_assert(logs && logs->type == JM_ARRAY && logs->count == 1);
            rel = jm_str(&logs->items[0], "");
        }
        struct image im;
        struct finds got;
        image_load(rel, &im);
        carve(&im, flags, &got);
        body(f, jm_get(f, "expected"), &im, &got);
        finds_free(&got);
        image_free(&im);
    }
}

static void compare_body(const jm_value *f, const jm_value *e, struct image *im, struct finds *got)
{
    (void)im;
    compare(jm_get_str(f, "hive"), e, got);
}

START_TEST(disk_carving)
{
    each_fact("carve", 0, compare_body);
}
END_TEST

START_TEST(memory_carving)
{
    each_fact("memory_carve", HK_CARVE_MEMORY, compare_body);
}
END_TEST

static int ignore_finding(const hk_check_finding *f, void *ctx)
{
    (void)f;
    (void)ctx;
    return 0;
}

/* "md5_first_N_decompressed[_fragment]": the digest of the first N bytes of
 * the compressed hive (or fragment) found at hive_offset (fragment_offset);
 * the decompressed hive opens and checks clean. */
static void ntfs_body(const jm_value *f, const jm_value *e, struct image *im, struct finds *got)
{
    (void)f;
    (void)im;
    size_t digests = 0;
    for (size_t m = 0; m < e->count; m++) {
        unsigned long len;
        char tail[64] = "";
        if (sscanf(e->keys[m], "md5_first_%lu_decompressed%63s", &len, tail) < 1)
            continue;
        int frag = strcmp(tail, "_fragment") == 0;
        int64_t at = jm_int(jm_get(e, frag ? "fragment_offset" : "hive_offset"), -1);
        const struct find *hit = NULL;
        for (size_t i = 0; i < got->n; i++)
            if ((int64_t)got->v[i].r.offset == at && got->v[i].r.compressed &&
                got->v[i].r.type == (frag ? HK_CARVE_FRAGMENT : HK_CARVE_HIVE))
                hit = &got->v[i];
        ck_assert_msg(hit != NULL, "no compressed %s at %lld", frag ? "fragment" : "hive",
                      (long long)at);
        ck_assert_uint_ge(hit->r.size, len);
        char md5[33];
        md5_hex(hit->data, len, md5);
        ck_assert_str_eq(md5, jm_str(&e->items[m], ""));
        digests++;
    }
    ck_assert_uint_eq(digests, 2);
    for (size_t i = 0; i < got->n; i++) {
        if (got->v[i].r.type != HK_CARVE_HIVE || got->v[i].r.truncated)
            continue;
        hk_hive *h = NULL;
        ck_assert_uint_eq(hk_hive_open_memory(got->v[i].data, (size_t)got->v[i].r.size, NULL, &h),
                          HK_ERROR_SUCCESS);
        hk_check_counts counts = HK_CHECK_COUNTS_INIT;
        ck_assert_uint_eq(hk_hive_check(h, ignore_finding, NULL, &counts), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(counts.errors, 0);
        hk_hive_close(h);
    }
}

START_TEST(ntfs_compressed)
{
    each_fact("carve_ntfs_compressed", HK_CARVE_DATA, ntfs_body);
}
END_TEST

/* The reassembled hives (count and digest) open; the truncated piece alone
 * opens for salvage; without reassembly asked for, none is made. */
static void rebuild_body(const jm_value *f, const jm_value *e, struct image *im, struct finds *got)
{
    (void)f;
    int64_t rebuilt = 0;
    for (size_t i = 0; i < got->n; i++) {
        const struct find *d = &got->v[i];
        hk_open_options o = HK_OPEN_OPTIONS_INIT;
        o.flags = HK_OPEN_SALVAGE;
        hk_hive *h = NULL;
        if (d->r.type == HK_CARVE_REASSEMBLED) {
            rebuilt++;
            char md5[33];
            md5_hex(d->data, (size_t)d->r.size, md5);
            ck_assert_str_eq(md5, jm_get_str(e, "md5"));
            ck_assert_uint_ge(d->r.n_pieces, 2);
            ck_assert_uint_eq(hk_hive_open_memory(d->data, (size_t)d->r.size, NULL, &h),
                              HK_ERROR_SUCCESS);
        } else if (d->r.type == HK_CARVE_HIVE && d->r.truncated) {
            ck_assert_uint_eq(hk_hive_open_memory(d->data, (size_t)d->r.size, &o, &h),
                              HK_ERROR_SUCCESS);
            ck_assert_str_ne(hk_hive_salvage_note(h), "");
        }
        hk_hive_close(h);
    }
    ck_assert_int_eq(rebuilt, jm_int(jm_get(e, "reconstructed_hives"), -1));
    struct finds plain;
    carve(im, HK_CARVE_DATA, &plain);
    for (size_t i = 0; i < plain.n; i++)
        ck_assert_uint_ne(plain.v[i].r.type, HK_CARVE_REASSEMBLED);
    finds_free(&plain);
}

START_TEST(fragment_reconstruction)
{
    each_fact("fragment_reconstruction", HK_CARVE_DATA | HK_CARVE_REASSEMBLE, rebuild_body);
}
END_TEST

/* The LOG2 of a dirty hive carved as a raw image: one run of log entries at
 * the offset and of the size the fact gives. */
static void log_body(const jm_value *f, const jm_value *e, struct image *im, struct finds *got)
{
    (void)f;
    size_t runs = 0;
    for (size_t i = 0; i < got->n; i++) {
        const struct find *d = &got->v[i];
        if (d->r.type != HK_CARVE_LOG)
            continue;
        runs++;
        ck_assert_int_eq((int64_t)d->r.offset, jm_int(jm_get(e, "carved_log_offset_in_LOG2"), -1));
        ck_assert_int_eq((int64_t)d->r.size, jm_int(jm_get(e, "carved_log_size"), -1));
        ck_assert_mem_eq(d->data, im->bytes + d->r.offset, (size_t)d->r.size);
    }
    ck_assert_uint_eq(runs, 1);
}

START_TEST(log_carving)
{
    each_fact("log_carving", HK_CARVE_DATA, log_body);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("carve_corpus");
    TCase *tc = tcase_create("facts");
    tcase_add_test(tc, disk_carving);
    tcase_add_test(tc, memory_carving);
    tcase_add_test(tc, ntfs_compressed);
    tcase_add_test(tc, fragment_reconstruction);
    tcase_add_test(tc, log_carving);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    corpus_require(); /* exits 77 without the corpus */
    char err[256], facts[4096];
    g_facts = jm_parse_file(corpus_path(facts, sizeof facts, "expectations.json"), err, sizeof err);
    if (!g_facts || g_facts->type != JM_ARRAY) {
        fprintf(stderr, "expectations.json: %s\n", g_facts ? "not a list" : err);
        return 1;
    }
    setenv("CK_DEFAULT_TIMEOUT", "120", 0);
    SRunner *sr = srunner_create(test_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    jm_free(g_facts);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
