/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for hk_reg_first_key: the first key line of a .reg text in each
 * encoding, read up to that line only (the allocations stay the size of
 * that start, not of the file), yet with the errors a whole parse gives:
 * an encoding error after the first key is still reported, with
 * hk_import_reg's line and column. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "hivekit.h"

Suite *test_suite(void);

#define V5 "Windows Registry Editor Version 5.00\r\n"

/* The first key is on line 4 (after a blank and a comment line) and is not
 * ASCII: U+00C4 (C3 84 in UTF-8, C4 in Windows-1252). */
#define BODY "\r\n; a comment\r\n  [HKEY_CURRENT_USER\\Software\\\xc3\x84]\r\n" \
             "\"a\"=dword:00000001\r\n[HKEY_CURRENT_USER\\Other]\r\n"
#define FIRST "HKEY_CURRENT_USER\\Software\\\xc3\x84"

enum form { UTF16LE, UTF16BE, UTF8_BOM, UTF8, ANSI, N_FORMS };

/* text (UTF-8) in form, with its BOM; *len its bytes. Caller frees. */
static uint8_t *encode(const char *text, enum form form, size_t *len)
{
    size_t n = strlen(text);
    uint8_t *out = malloc(2 * n + 3);
    ck_assert_ptr_nonnull(out);
    size_t k = 0;
    if (form == UTF8 || form == ANSI || form == UTF8_BOM) {
        if (form == UTF8_BOM) {
            memcpy(out, "\xef\xbb\xbf", 3);
            k = 3;
        }
        for (size_t i = 0; i < n; i++) {
            if (form == ANSI && (uint8_t)text[i] == 0xC3 && i + 1 < n) /* U+00C0..U+00FF */
                out[k++] = (uint8_t)(0xC0 | ((uint8_t)text[++i] & 0x3F));
            else
                out[k++] = (uint8_t)text[i];
        }
        *len = k;
        return out;
    }
    out[k++] = form == UTF16LE ? 0xFF : 0xFE;
    out[k++] = form == UTF16LE ? 0xFE : 0xFF;
    for (size_t i = 0; i < n; i++) {
        uint16_t u = (uint8_t)text[i];
        if (u == 0xC3 && i + 1 < n)
            u = (uint16_t)(0xC0 | ((uint8_t)text[++i] & 0x3F));
        out[k++] = (uint8_t)(form == UTF16LE ? u : u >> 8);
        out[k++] = (uint8_t)(form == UTF16LE ? u >> 8 : u);
    }
    *len = k;
    return out;
}

static const char *header_of(enum form form)
{
    return form == ANSI ? "REGEDIT4\r\n" : V5;
}

START_TEST(first_key_in_every_encoding)
{
    enum form form = (enum form)_i;
    char text[512];
    snprintf(text, sizeof text, "%s%s", header_of(form), BODY);
    size_t len;
    uint8_t *t = encode(text, form, &len);
    char path[64];
    size_t size = sizeof path;
    ck_assert_msg(hk_reg_first_key(t, len, path, &size) == HK_ERROR_SUCCESS, "form %d: %s",
                  form, hk_errmsg());
    ck_assert_str_eq(path, FIRST);
    ck_assert_uint_eq(size, strlen(FIRST));
    /* the buffer rules of hk_enum_key: a short buffer gets the size needed
     * (with the NUL), no buffer the length */
    size = strlen(FIRST);
    ck_assert_int_eq(hk_reg_first_key(t, len, path, &size), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(size, strlen(FIRST) + 1);
    size = 0;
    ck_assert_int_eq(hk_reg_first_key(t, len, NULL, &size), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(size, strlen(FIRST));
    free(t);
}
END_TEST

/* hk_import_reg's status and detail for text below a new hive's root. */
static hk_status import_error(const void *text, size_t len, char *msg, size_t msg_size)
{
    hk_hive *h;
    hk_key *root;
    ck_assert_int_eq(hk_hive_create(5, "R", &h), 0);
    ck_assert_int_eq(hk_hive_root(h, &root), 0);
    hk_status st = hk_import_reg(root, text, len, NULL);
    snprintf(msg, msg_size, "%s", hk_errmsg());
    hk_close_key(root);
    hk_hive_close(h);
    return st;
}

/* hk_reg_first_key on len bytes of t gives want_st and the detail want,
 * and (for INVALID_DATA) hk_import_reg the same. */
static void expect_error(const uint8_t *t, size_t len, hk_status want_st, const char *want)
{
    char path[64], msg[1024];
    size_t size = sizeof path;
    ck_assert_int_eq(hk_reg_first_key(t, len, path, &size), want_st);
    ck_assert_str_eq(hk_errmsg(), want);
    if (want_st == HK_ERROR_INVALID_DATA) {
        ck_assert_int_eq(import_error(t, len, msg, sizeof msg), HK_ERROR_INVALID_DATA);
        ck_assert_str_eq(msg, want);
    }
}

/* A byte that is not UTF-8 after the first key (line 6) is the error, at
 * its line and column, as for the import; a UTF-16 text with an odd number
 * of bytes likewise (its one encoding error). */
START_TEST(an_encoding_error_after_the_first_key_is_reported)
{
    char text[512];
    snprintf(text, sizeof text, V5 BODY "\"b\"=\"x\xff\"\r\n");
    expect_error((const uint8_t *)text, strlen(text), HK_ERROR_INVALID_DATA,
                 "7:7: invalid UTF-8 (byte 0xFF)");
    char bom[520];
    snprintf(bom, sizeof bom, "\xef\xbb\xbf%s", text);
    expect_error((const uint8_t *)bom, strlen(bom), HK_ERROR_INVALID_DATA,
                 "7:7: invalid UTF-8 (byte 0xFF)");
    for (enum form form = UTF16LE; form <= UTF16BE; form++) {
        size_t len;
        uint8_t *t = encode(V5 BODY, form, &len);
        uint8_t *odd = malloc(len + 1);
        memcpy(odd, t, len);
        odd[len] = '\n';
        expect_error(odd, len + 1, HK_ERROR_INVALID_DATA,
                     "1:1: UTF-16 text with an odd number of bytes");
        free(odd);
        free(t);
    }
}
END_TEST

/* An empty text, a header alone, a text without key lines, a bad line
 * before the first key: the same outcome in every encoding. */
START_TEST(texts_without_a_usable_first_key)
{
    enum form form = (enum form)_i;
    const char *header = header_of(form);
    char text[512], want[512];
    size_t len;
    uint8_t *t;

    /* nothing at all, or the BOM alone */
    t = encode("", form, &len);
    snprintf(want, sizeof want, "1:1: expected the header '%.*s' or 'REGEDIT4' on the first line",
             (int)strlen(V5) - 2, V5);
    expect_error(t, len, HK_ERROR_INVALID_DATA, want);
    free(t);

    /* a header and a comment: no key line */
    snprintf(text, sizeof text, "%s\r\n; only a comment\r\n", header);
    t = encode(text, form, &len);
    expect_error(t, len, HK_ERROR_FILE_NOT_FOUND, "");
    free(t);

    /* A bad line before the first key whose continuation swallows that key
     * line: the parse goes on to the next one, which is bad too. A UTF-16
     * text gets the import's errors (it is parsed again whole when its cut
     * start has no key); a text in a byte encoding is cut at that line and
     * gives the errors up to it alone (as it always has). */
    snprintf(text, sizeof text, "%s\"a\"=hex:00,\\\r\n[K]\r\n[L\r\n", header);
    t = encode(text, form, &len);
    if (form == UTF16LE || form == UTF16BE) {
        expect_error(t, len, HK_ERROR_INVALID_DATA,
                     "2:1: a value line before any key line\n"
                     "4:1: the key line has no closing ']'");
    } else {
        size_t size = 0;
        ck_assert_int_eq(hk_reg_first_key(t, len, NULL, &size), HK_ERROR_INVALID_DATA);
        ck_assert_str_eq(hk_errmsg(), "2:1: a value line before any key line");
    }
    free(t);
}
END_TEST

/* The text after the first key is not decoded: for a 4 MiB text, no
 * allocation is larger than a few kilobytes, in any encoding. */
START_TEST(only_the_start_is_decoded)
{
    enum form form = (enum form)_i;
    const char *header = header_of(form);
    static const char line[] = "\"value\"=hex:00,11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee\r\n";
    size_t n = 4u << 20;
    char *text = malloc(n + 512);
    ck_assert_ptr_nonnull(text);
    size_t k = (size_t)snprintf(text, 512, "%s%s", header, BODY);
    while (k + sizeof line < n) {
        memcpy(text + k, line, sizeof line - 1);
        k += sizeof line - 1;
    }
    text[k] = '\0';
    size_t len;
    uint8_t *t = encode(text, form, &len);
    free(text);
    alloc_stats_reset_largest();
    char path[64];
    size_t size = sizeof path;
    ck_assert_int_eq(hk_reg_first_key(t, len, path, &size), HK_ERROR_SUCCESS);
    ck_assert_str_eq(path, FIRST);
    struct alloc_stats as;
    alloc_stats_get(&as);
    ck_assert_msg(as.largest <= 16384, "form %d: an allocation of %zu bytes for %zu", form,
                  as.largest, len);
    free(t);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("regfirst");
    TCase *tc = tcase_create("first_key");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, first_key_in_every_encoding, 0, N_FORMS);
    tcase_add_test(tc, an_encoding_error_after_the_first_key_is_reported);
    tcase_add_loop_test(tc, texts_without_a_usable_first_key, 0, N_FORMS);
    tcase_add_loop_test(tc, only_the_start_is_decoded, 0, N_FORMS);
    suite_add_tcase(s, tc);
    return s;
}
