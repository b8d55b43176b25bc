/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hk_path_next, the public face of the library's key-path parser: the API's
 * rules (flags 0) and reg.exe's (HK_PATH_STRICT), with exact components and
 * statuses for empty, leading, trailing and repeated separators, non-ASCII
 * names, long paths and bad arguments.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hivekit.h"

Suite *test_suite(void);

/* Splits len bytes of path: the components joined by '|' into out, and the
 * status that ended the walk. */
static hk_status split(const char *path, size_t len, uint32_t flags, char *out, size_t out_size)
{
    size_t pos = 0, n = 0, clen;
    const char *c;
    hk_status st;
    out[0] = '\0';
    while ((st = hk_path_next(path, len, &pos, &c, &clen, flags)) == HK_ERROR_SUCCESS) {
        ck_assert_uint_gt(clen, 0);
        ck_assert(c >= path && c + clen <= path + len);
        ck_assert_uint_lt(n + clen + 2, out_size);
        if (n)
            out[n++] = '|';
        memcpy(out + n, c, clen);
        n += clen;
        out[n] = '\0';
    }
    return st;
}

static void check_split(const char *path, uint32_t flags, hk_status want_st, const char *want)
{
    char out[256];
    ck_assert_uint_eq(split(path, strlen(path), flags, out, sizeof out), want_st);
    ck_assert_str_eq(out, want);
}

START_TEST(api_rules_skip_repeated_and_trailing_separators)
{
    check_split("", 0, HK_ERROR_NO_MORE_ITEMS, "");
    check_split("a", 0, HK_ERROR_NO_MORE_ITEMS, "a");
    check_split("Select\\", 0, HK_ERROR_NO_MORE_ITEMS, "Select");
    check_split("ControlSet001\\\\Control", 0, HK_ERROR_NO_MORE_ITEMS, "ControlSet001|Control");
    check_split("a\\\\\\b\\\\", 0, HK_ERROR_NO_MORE_ITEMS, "a|b");
    check_split("a b\\c.d", 0, HK_ERROR_NO_MORE_ITEMS, "a b|c.d");
}
END_TEST

START_TEST(api_rules_refuse_a_leading_separator)
{
    check_split("\\", 0, HK_ERROR_BAD_PATHNAME, "");
    check_split("\\a", 0, HK_ERROR_BAD_PATHNAME, "");
    check_split("\\\\a\\b", 0, HK_ERROR_BAD_PATHNAME, "");
}
END_TEST

START_TEST(strict_rules_drop_one_leading_and_one_trailing_separator)
{
    check_split("", HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS, "");
    check_split("\\", HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS, "");
    check_split("\\\\", HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS, "");
    check_split("a", HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS, "a");
    check_split("\\a\\b", HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS, "a|b");
    check_split("a\\b\\", HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS, "a|b");
    check_split("\\a\\", HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS, "a");
}
END_TEST

START_TEST(strict_rules_refuse_an_empty_component_where_they_reach_it)
{
    check_split("a\\\\b", HK_PATH_STRICT, HK_ERROR_BAD_PATHNAME, "a");
    check_split("a\\b\\\\", HK_PATH_STRICT, HK_ERROR_BAD_PATHNAME, "a|b");
    check_split("\\\\a", HK_PATH_STRICT, HK_ERROR_BAD_PATHNAME, "");
    check_split("\\\\\\", HK_PATH_STRICT, HK_ERROR_BAD_PATHNAME, "");
    check_split("a\\\\\\", HK_PATH_STRICT, HK_ERROR_BAD_PATHNAME, "a");
}
END_TEST

START_TEST(non_ascii_components_come_back_byte_exact)
{
    /* U+00C4, U+65E5 U+672C, U+1F600: no byte of them is '\' */
    const char *p = "\xc3\x84\\\xe6\x97\xa5\xe6\x9c\xac\\\xf0\x9f\x98\x80";
    check_split(p, 0, HK_ERROR_NO_MORE_ITEMS, "\xc3\x84|\xe6\x97\xa5\xe6\x9c\xac|\xf0\x9f\x98\x80");
    check_split(p, HK_PATH_STRICT, HK_ERROR_NO_MORE_ITEMS,
                "\xc3\x84|\xe6\x97\xa5\xe6\x9c\xac|\xf0\x9f\x98\x80");
}
END_TEST

START_TEST(len_bounds_the_path_not_a_nul)
{
    char out[64];
    ck_assert_uint_eq(split("a\\bcd\\e", 4, 0, out, sizeof out), HK_ERROR_NO_MORE_ITEMS);
    ck_assert_str_eq(out, "a|bc");
    /* a trailing '\' inside len, strict: dropped */
    ck_assert_uint_eq(split("a\\b\\c", 4, HK_PATH_STRICT, out, sizeof out),
                      HK_ERROR_NO_MORE_ITEMS);
    ck_assert_str_eq(out, "a|b");
    /* embedded NUL bytes are part of a component */
    size_t pos = 0, clen = 0;
    const char *c = NULL;
    ck_assert_uint_eq(hk_path_next("x\0y\\z", 5, &pos, &c, &clen, HK_PATH_STRICT),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(clen, 3);
    ck_assert_uint_eq(pos, 3);
}
END_TEST

START_TEST(a_name_of_the_maximum_length_and_a_long_path)
{
    /* one component of HK_MAX_KEY_NAME bytes, then 4096 of them: 1 MiB */
    enum { COMPS = 4096 };
    size_t len = COMPS * (HK_MAX_KEY_NAME + 1);
    char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < len; i++)
        p[i] = i % (HK_MAX_KEY_NAME + 1) == HK_MAX_KEY_NAME ? '\\' : (char)('a' + i % 26);
    for (uint32_t flags = 0; flags <= HK_PATH_STRICT; flags++) {
        size_t pos = 0, clen, count = 0;
        const char *c;
        hk_status st;
        while ((st = hk_path_next(p, len, &pos, &c, &clen, flags)) == HK_ERROR_SUCCESS) {
            ck_assert_uint_eq(clen, HK_MAX_KEY_NAME);
            ck_assert_ptr_eq(c, p + count * (HK_MAX_KEY_NAME + 1));
            count++;
        }
        ck_assert_uint_eq(st, HK_ERROR_NO_MORE_ITEMS);
        ck_assert_uint_eq(count, COMPS);
    }
    /* the whole buffer as one component */
    memset(p, 'k', len);
    size_t pos = 0, clen = 0;
    const char *c;
    ck_assert_uint_eq(hk_path_next(p, len, &pos, &c, &clen, 0), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(clen, len);
    ck_assert_uint_eq(hk_path_next(p, len, &pos, &c, &clen, 0), HK_ERROR_NO_MORE_ITEMS);
    free(p);
}
END_TEST

START_TEST(bad_arguments_are_invalid_parameter)
{
    size_t pos = 0, clen = 7;
    const char *c = NULL;
    ck_assert_uint_eq(hk_path_next("a", 1, &pos, &c, &clen, 2), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_path_next("a", 1, &pos, &c, &clen, 0x80000000u),
                      HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_path_next("a", 1, NULL, &c, &clen, 0), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_path_next("a", 1, &pos, NULL, &clen, 0), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_path_next("a", 1, &pos, &c, NULL, 0), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_path_next(NULL, 1, &pos, &c, &clen, 0), HK_ERROR_INVALID_PARAMETER);
    pos = 2;
    ck_assert_uint_eq(hk_path_next("a", 1, &pos, &c, &clen, 0), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(pos, 2);
    ck_assert_ptr_null(c);
    ck_assert_uint_eq(clen, 7);
    pos = 0;
    ck_assert_uint_eq(hk_path_next(NULL, 0, &pos, &c, &clen, 0), HK_ERROR_NO_MORE_ITEMS);
    ck_assert_uint_eq(hk_path_next(NULL, 0, &pos, &c, &clen, HK_PATH_STRICT),
                      HK_ERROR_NO_MORE_ITEMS);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("path");
    TCase *tc = tcase_create("hk_path_next");
    tcase_add_test(tc, api_rules_skip_repeated_and_trailing_separators);
    tcase_add_test(tc, api_rules_refuse_a_leading_separator);
    tcase_add_test(tc, strict_rules_drop_one_leading_and_one_trailing_separator);
    tcase_add_test(tc, strict_rules_refuse_an_empty_component_where_they_reach_it);
    tcase_add_test(tc, non_ascii_components_come_back_byte_exact);
    tcase_add_test(tc, len_bounds_the_path_not_a_nul);
    tcase_add_test(tc, a_name_of_the_maximum_length_and_a_long_path);
    tcase_add_test(tc, bad_arguments_are_invalid_parameter);
    suite_add_tcase(s, tc);
    return s;
}
