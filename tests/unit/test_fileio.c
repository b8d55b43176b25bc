/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* base/fileio: plain files mapped (or read, from FILE_READ_MIN bytes), gzip files (one member, several, cut
 * short, corrupt) inflated, the open errors and their messages, empty
 * files, bytes from memory, allocation failures, and freeing. Files live in
 * a temp directory, each test using its own names. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/alloc.h"
#include "base/fileio.h"
#include "files.h"
#include "log_corpus.h"
#include "tempdir.h"

Suite *test_suite(void);

static char tmpdir[512];

/* Unchecked fixture: made and removed by the parent process, so the
 * directory goes away even when a (forked) test fails. */
static void make_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/hk_fileio.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        abort();
    }
}

static void remove_tmpdir(void)
{
    tempdir_remove(strdup(tmpdir));
}

static const char *tmp_path(char *buf, size_t cap, const char *name)
{
    int n = snprintf(buf, cap, "%s/%s", tmpdir, name);
    ck_assert(n > 0 && (size_t)n < cap);
    return buf;
}

/* Deterministic bytes that do not start with the gzip magic; they compress
 * poorly, so the gzip stream is about as long as the data. */
static uint8_t *pattern(size_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
    if (n)
        p[0] = 'P';
    return p;
}

/* One gzip member per call: mode "wb" starts the file, "ab" appends. */
static void write_gz(const char *path, const char *mode, const uint8_t *data, size_t n)
{
    gzFile g = gzopen(path, mode);
    ck_assert_ptr_nonnull(g);
    if (n)
        ck_assert_int_eq(gzwrite(g, data, (unsigned)n), (int)n);
    ck_assert_int_eq(gzclose(g), Z_OK);
}

static void expect_bytes(const struct file_buf *fb, const uint8_t *want, size_t n)
{
    ck_assert_uint_eq(fb->size, n);
    ck_assert_ptr_nonnull(fb->data);
    if (n)
        ck_assert_msg(memcmp(fb->data, want, n) == 0, "contents differ");
}

/* A big buffer starts on a 2 MiB boundary where it is a mapping. */
static void check_aligned_big(const uint8_t *p)
{
    if (hk_big_cap(HK_BIG_MIN) != HK_BIG_MIN)
        ck_assert_uint_eq((uintptr_t)p % (2u << 20), 0);
}

/* The n bytes of data, on huge pages (2 MiB aligned) from FILE_READ_MIN up
 * where the kernel grants them, else where small ones go (small). */
static void expect_placed(const struct file_buf *fb, const uint8_t *data, size_t n, int small)
{
    int want = n >= FILE_READ_MIN && hk_big_huge() ? FILE_BIG : small;
    ck_assert_int_eq(fb->mapped, want);
    if (want == FILE_BIG)
        check_aligned_big(fb->data);
    expect_bytes(fb, data, n);
}

START_TEST(plain_file_is_mapped)
{
    char path[1024];
    const size_t n = 12345;
    uint8_t *data = pattern(n, 1);
    spit(tmp_path(path, sizeof path, "plain.bin"), data, n);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_int_eq(fb.mapped, 1);
    expect_bytes(&fb, data, n);
    file_buf_free(&fb);
    ck_assert_ptr_null(fb.data);
    ck_assert_uint_eq(fb.size, 0);
    file_buf_free(&fb); /* a second free is harmless */
    free(data);
}
END_TEST

/* From FILE_READ_MIN bytes up a plain file is read into a huge-page buffer
 * (2 MiB aligned) where the kernel grants huge pages; below, and where it
 * does not, mapped. Either way the bytes are the file's. */
START_TEST(large_plain_file_is_read)
{
    char path[1024];
    const size_t sizes[] = {FILE_READ_MIN - 1, FILE_READ_MIN, FILE_READ_MIN + 3 * 4096 + 5};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = sizes[i];
        uint8_t *data = pattern(n, 20 + (uint32_t)i);
        spit(tmp_path(path, sizeof path, "large.bin"), data, n);
        struct file_buf fb = {0};
        struct diag d = {{0}};
        ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
        expect_placed(&fb, data, n, FILE_MAPPED);
        file_buf_free(&fb);
        ck_assert_ptr_null(fb.data);
        ck_assert_int_eq(fb.mapped, FILE_HEAP);
        free(data);
    }
}
END_TEST

/* No memory for the copy: the file is mapped instead, and loads. */
START_TEST(large_plain_file_mapped_without_memory)
{
    char path[1024];
    const size_t n = FILE_READ_MIN + 777;
    uint8_t *data = pattern(n, 30);
    spit(tmp_path(path, sizeof path, "large_nomem.bin"), data, n);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    alloc_fail_after(1);
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    unsigned long made = alloc_fail_after(0);
    ck_assert_uint_eq(made, hk_big_huge() ? 1 : 0); /* the copy was asked for, and refused */
    ck_assert_int_eq(fb.mapped, FILE_MAPPED);
    expect_bytes(&fb, data, n);
    file_buf_free(&fb);
    free(data);
}
END_TEST

START_TEST(gzip_file_is_inflated)
{
    char path[1024];
    const size_t n = 300000;
    uint8_t *data = pattern(n, 2);
    write_gz(tmp_path(path, sizeof path, "hive.gz"), "wb", data, n);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_int_eq(fb.mapped, FILE_BIG);
    expect_bytes(&fb, data, n);
    file_buf_free(&fb);
    free(data);
}
END_TEST

/* The name does not matter: a gzip file called .hiv is inflated, a plain
 * file called .gz is mapped. */
START_TEST(gzip_detected_by_magic_not_name)
{
    char path[1024];
    uint8_t *data = pattern(5000, 3);
    write_gz(tmp_path(path, sizeof path, "SYSTEM.hiv"), "wb", data, 5000);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_int_eq(fb.mapped, FILE_BIG);
    expect_bytes(&fb, data, 5000);
    file_buf_free(&fb);
    spit(tmp_path(path, sizeof path, "plain.gz"), data, 5000);
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_int_eq(fb.mapped, 1);
    expect_bytes(&fb, data, 5000);
    file_buf_free(&fb);
    free(data);
}
END_TEST

/* Two members, the second tiny: its trailer's size hint (10 bytes) is far
 * below the whole, so the buffer has to grow past the hint. */
START_TEST(concatenated_gzip_members)
{
    char path[1024];
    const size_t n1 = 200000, n2 = 10;
    uint8_t *all = pattern(n1 + n2, 4);
    tmp_path(path, sizeof path, "two.gz");
    write_gz(path, "wb", all, n1);
    write_gz(path, "ab", all + n1, n2);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_int_eq(fb.mapped, FILE_BIG);
    expect_bytes(&fb, all, n1 + n2);
    file_buf_free(&fb);

    /* three members, the middle one empty */
    write_gz(path, "wb", all, 1000);
    write_gz(path, "ab", all, 0);
    write_gz(path, "ab", all + 1000, 2000);
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    expect_bytes(&fb, all, 3000);
    file_buf_free(&fb);
    free(all);
}
END_TEST

START_TEST(truncated_gzip_is_cantread)
{
    char path[1024];
    const size_t n = 100000;
    uint8_t *data = pattern(n, 5);
    tmp_path(path, sizeof path, "cut.gz");
    write_gz(path, "wb", data, n);
    size_t glen;
    uint8_t *gz = slurp(path, &glen);
    ck_assert_uint_gt(glen, 1000);
    /* cut in the middle of the deflate data, then just before the trailer,
     * then inside the trailer */
    const size_t cuts[] = {glen / 2, glen - 8, glen - 3};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        spit(path, gz, cuts[i]);
        struct file_buf fb = {0};
        struct diag d = {{0}};
        ck_assert_msg(file_load(path, 0, &fb, &d) == HK_ERROR_CANTREAD, "cut %zu of %zu", cuts[i],
                      glen);
        ck_assert_msg(d.msg[0] != '\0', "no message for cut %zu", cuts[i]);
        ck_assert_ptr_nonnull(strstr(d.msg, "gzip"));
        ck_assert_ptr_null(fb.data);
    }
    free(gz);
    free(data);
}
END_TEST

START_TEST(corrupt_gzip_is_cantread)
{
    char path[1024];
    const size_t n = 50000;
    uint8_t *data = pattern(n, 6);
    tmp_path(path, sizeof path, "bad.gz");
    write_gz(path, "wb", data, n);
    size_t glen;
    uint8_t *gz = slurp(path, &glen);
    gz[glen - 6] ^= 0x5A; /* CRC-32 of the trailer */
    spit(path, gz, glen);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_CANTREAD);
    ck_assert_ptr_nonnull(strstr(d.msg, "corrupt"));
    free(gz);
    free(data);
}
END_TEST

START_TEST(missing_path_is_file_not_found)
{
    char path[1024];
    struct file_buf fb = {0};
    struct diag d = {{0}};
    tmp_path(path, sizeof path, "no_such_hive");
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_msg(strstr(d.msg, path) != NULL, "message \"%s\" lacks the path", d.msg);
    ck_assert_ptr_null(fb.data);
    /* a file used as a directory (ENOTDIR) is also not found */
    char inner[1100];
    spit(tmp_path(path, sizeof path, "afile"), "x", 1);
    snprintf(inner, sizeof inner, "%s/child", path);
    ck_assert_uint_eq(file_load(inner, 0, &fb, &d), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, inner));
    /* a NULL diag is allowed */
    ck_assert_uint_eq(file_load(inner, 0, &fb, NULL), HK_ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(directory_is_cantopen)
{
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_load(tmpdir, 0, &fb, &d), HK_ERROR_CANTOPEN);
    ck_assert_ptr_nonnull(strstr(d.msg, tmpdir));
    ck_assert_ptr_nonnull(strstr(d.msg, "directory"));
    ck_assert_ptr_null(fb.data);
}
END_TEST

START_TEST(empty_file_loads_empty)
{
    char path[1024];
    spit(tmp_path(path, sizeof path, "empty"), NULL, 0);
    struct file_buf fb = {.data = (uint8_t *)1, .size = 99, .mapped = 7};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_load(path, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(fb.size, 0);
    ck_assert_int_eq(fb.mapped, 0);
    file_buf_free(&fb);
    ck_assert_ptr_null(fb.data);
}
END_TEST

START_TEST(from_memory_plain_is_a_copy)
{
    const size_t n = 7000;
    uint8_t *data = pattern(n, 7);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_from_memory(data, n, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_int_eq(fb.mapped, 0);
    ck_assert_ptr_ne(fb.data, data);
    expect_bytes(&fb, data, n);
    data[10] ^= 0xFF; /* the copy does not follow the source */
    ck_assert_uint_ne(fb.data[10], data[10]);
    file_buf_free(&fb);
    /* zero bytes, even from NULL */
    ck_assert_uint_eq(file_from_memory(NULL, 0, 0, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(fb.size, 0);
    file_buf_free(&fb);
    ck_assert_uint_eq(file_from_memory(NULL, 5, 0, &fb, &d), HK_ERROR_INVALID_PARAMETER);
    free(data);
}
END_TEST

/* From FILE_READ_MIN bytes up the copy is on huge pages, as a file read. */
START_TEST(from_memory_large_copy_on_huge_pages)
{
    const size_t sizes[] = {FILE_READ_MIN - 1, FILE_READ_MIN + 4097};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = sizes[i];
        uint8_t *data = pattern(n, 40 + (uint32_t)i);
        struct file_buf fb = {0};
        struct diag d = {{0}};
        ck_assert_uint_eq(file_from_memory(data, n, 0, &fb, &d), HK_ERROR_SUCCESS);
        expect_placed(&fb, data, n, FILE_HEAP);
        file_buf_free(&fb);
        free(data);
    }
}
END_TEST

/* Inflated into a big buffer (a large one on huge pages too), sized to its
 * bytes, the rest of its capacity zero; cut short, CANTREAD. */
START_TEST(from_memory_gzip_is_inflated)
{
    const size_t sizes[] = {123456, FILE_READ_MIN + 4097};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        uint8_t *data = pattern(n, 8 + (uint32_t)k);
        size_t glen;
        uint8_t *gz = lc_gzip(data, n, &glen);
        struct file_buf fb = {0};
        struct diag d = {{0}};
        ck_assert_uint_eq(file_from_memory(gz, glen, 0, &fb, &d), HK_ERROR_SUCCESS);
        ck_assert_int_eq(fb.mapped, FILE_BIG);
        if (n >= HK_BIG_MIN)
            check_aligned_big(fb.data);
        expect_bytes(&fb, data, n);
        size_t i = n;
        while (i < hk_big_cap(n) && fb.data[i] == 0)
            i++;
        ck_assert_uint_eq(i, hk_big_cap(n));
        file_buf_free(&fb);
        ck_assert_uint_eq(file_from_memory(gz, glen / 3, 0, &fb, &d), HK_ERROR_CANTREAD);
        ck_assert(d.msg[0] != '\0');
        free(gz);
        free(data);
    }
}
END_TEST

/* A hive's base block declares its size: a gzip file holding more is
 * inflated to that size + the margin, the rest counted as unread; a gzip
 * file that is no hive is inflated whole; a hive within the cap is whole
 * and nothing is unread. */
START_TEST(gzip_hive_is_inflated_to_its_declared_size)
{
    const size_t n = 300000;
    uint8_t *data = pattern(n, 10);
    memcpy(data, "regf", 4);
    /* bins size 8192: 4096 + 8192 declared */
    data[40] = 0x00, data[41] = 0x20, data[42] = 0, data[43] = 0;
    size_t glen;
    uint8_t *gz = lc_gzip(data, n, &glen);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    ck_assert_uint_eq(file_from_memory(gz, glen, 1000, &fb, &d), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(fb.size, 4096 + 8192 + 1000);
    ck_assert_int_eq(memcmp(fb.data, data, fb.size), 0);
    ck_assert_int_eq(fb.gzip, 1);
    ck_assert_uint_gt(fb.gzip_unread, 0);
    ck_assert_uint_lt(fb.gzip_unread, glen);
    file_buf_free(&fb);
    ck_assert_uint_eq(file_from_memory(gz, glen, n, &fb, &d), HK_ERROR_SUCCESS);
    expect_bytes(&fb, data, n);
    ck_assert_uint_eq(fb.gzip_unread, 0);
    file_buf_free(&fb);
    free(gz);
    data[0] = 'x'; /* no hive: no declared size */
    gz = lc_gzip(data, n, &glen);
    ck_assert_uint_eq(file_from_memory(gz, glen, 1000, &fb, &d), HK_ERROR_SUCCESS);
    expect_bytes(&fb, data, n);
    ck_assert_uint_eq(fb.gzip_unread, 0);
    file_buf_free(&fb);
    free(gz);
    free(data);
}
END_TEST

START_TEST(out_of_memory_is_reported)
{
    uint8_t *data = pattern(3000, 9);
    size_t glen;
    uint8_t *gz = lc_gzip(data, 3000, &glen);
    struct file_buf fb = {0};
    struct diag d = {{0}};
    alloc_fail_after(1);
    ck_assert_uint_eq(file_from_memory(data, 3000, 0, &fb, &d), HK_ERROR_NOT_ENOUGH_MEMORY);
    ck_assert_ptr_null(fb.data);
    alloc_fail_after(1);
    ck_assert_uint_eq(file_from_memory(gz, glen, 0, &fb, &d), HK_ERROR_NOT_ENOUGH_MEMORY);
    ck_assert_ptr_nonnull(strstr(d.msg, "memory"));
    ck_assert_ptr_null(fb.data);
    alloc_fail_after(0);
    ck_assert_uint_eq(file_from_memory(gz, glen, 0, &fb, &d), HK_ERROR_SUCCESS);
    expect_bytes(&fb, data, 3000);
    file_buf_free(&fb);
    free(gz);
    free(data);
}
END_TEST

START_TEST(free_of_zeroed_buf_is_noop)
{
    struct file_buf fb;
    memset(&fb, 0, sizeof fb);
    file_buf_free(&fb);
    ck_assert_ptr_null(fb.data);
    ck_assert_uint_eq(fb.size, 0);
    ck_assert_int_eq(fb.mapped, 0);
    file_buf_free(NULL);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("fileio");
    TCase *tc = tcase_create("load");
    tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
    tcase_add_test(tc, plain_file_is_mapped);
    tcase_add_test(tc, large_plain_file_is_read);
    tcase_add_test(tc, large_plain_file_mapped_without_memory);
    tcase_add_test(tc, gzip_file_is_inflated);
    tcase_add_test(tc, gzip_detected_by_magic_not_name);
    tcase_add_test(tc, concatenated_gzip_members);
    tcase_add_test(tc, truncated_gzip_is_cantread);
    tcase_add_test(tc, corrupt_gzip_is_cantread);
    tcase_add_test(tc, missing_path_is_file_not_found);
    tcase_add_test(tc, directory_is_cantopen);
    tcase_add_test(tc, empty_file_loads_empty);
    suite_add_tcase(s, tc);
    TCase *mem = tcase_create("memory");
    tcase_add_test(mem, from_memory_plain_is_a_copy);
    tcase_add_test(mem, from_memory_large_copy_on_huge_pages);
    tcase_add_test(mem, from_memory_gzip_is_inflated);
    tcase_add_test(mem, gzip_hive_is_inflated_to_its_declared_size);
    tcase_add_test(mem, out_of_memory_is_reported);
    tcase_add_test(mem, free_of_zeroed_buf_is_noop);
    suite_add_tcase(s, mem);
    return s;
}
