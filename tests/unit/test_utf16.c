/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for base/utf16: UTF-16LE and Latin-1 names to UTF-8/WTF-8, UTF-8/WTF-8
 * back to UTF-16 units, rejection of invalid input, and the round trip. */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf16.h"

Suite *test_suite(void);

#define MAXU 64

/* Native units to UTF-16LE bytes. */
static void to_le(const uint16_t *u, size_t n, uint8_t *le)
{
    for (size_t i = 0; i < n; i++) {
        le[2 * i] = (uint8_t)(u[i] & 0xFF);
        le[2 * i + 1] = (uint8_t)(u[i] >> 8);
    }
}

/* Encodes units to UTF-8 and checks it equals want (wlen bytes). */
static void check_enc(const uint16_t *u, size_t n, const char *want, size_t wlen)
{
    uint8_t le[2 * MAXU];
    char out[4 * MAXU];

    ck_assert_uint_le(n, MAXU);
    to_le(u, n, le);
    ck_assert_uint_eq(utf16le_utf8_len(le, n), wlen);
    memset(out, 0x55, sizeof out);
    ck_assert_uint_eq(utf16le_to_utf8(le, n, out), wlen);
    ck_assert_mem_eq(out, want, wlen);
    ck_assert_int_eq(out[wlen], 0x55); /* nothing written past, no NUL */
}

/* Decodes s and checks the result equals want (n units). */
static void check_dec(const char *s, size_t len, const uint16_t *want, size_t n)
{
    uint16_t out[MAXU];
    size_t units = 999;

    ck_assert_int_eq(utf8_to_utf16(s, len, out, MAXU, &units), 0);
    ck_assert_uint_eq(units, n);
    if (n > 0)
        ck_assert_mem_eq(out, want, n * sizeof *want);
}

/* Both directions. */
static void check_both(const uint16_t *u, size_t n, const char *s, size_t len)
{
    check_enc(u, n, s, len);
    check_dec(s, len, u, n);
}

static void check_invalid(const char *s, size_t len)
{
    uint16_t out[MAXU];
    size_t units = 999;

    ck_assert_int_eq(utf8_to_utf16(s, len, out, MAXU, &units), -1);
    ck_assert_uint_eq(units, 0);
    /* Invalid wins over a too-small buffer. */
    ck_assert_int_eq(utf8_to_utf16(s, len, NULL, 0, &units), -1);
}

/* units -> WTF-8 -> units must give the same units back. */
static void check_round_trip(const uint16_t *u, size_t n)
{
    uint8_t le[2 * MAXU];
    char s[4 * MAXU];
    uint16_t back[MAXU];
    size_t len, units = 999;

    to_le(u, n, le);
    len = utf16le_to_utf8(le, n, s);
    ck_assert_uint_eq(len, utf16le_utf8_len(le, n));
    ck_assert_int_eq(utf8_to_utf16(s, len, back, MAXU, &units), 0);
    ck_assert_uint_eq(units, n);
    if (n > 0)
        ck_assert_mem_eq(back, u, n * sizeof *u);
}

START_TEST(test_ascii)
{
    static const uint16_t u[] = {'S', 'o', 'f', 't', 'w', 'a', 'r', 'e'};

    check_both(u, 8, "Software", 8);
    check_both(NULL, 0, "", 0);
}
END_TEST

START_TEST(test_multibyte)
{
    static const uint16_t u2[] = {0x7F, 0x80, 0xE9, 0x7FF};
    static const uint16_t u3[] = {0x800, 0x20AC, 0xFFFD, 0xFFFF};
    static const uint16_t u4[] = {0xD83D, 0xDE00, 0xD800, 0xDC00, 0xDBFF, 0xDFFF};

    check_both(u2, 4, "\x7F\xC2\x80\xC3\xA9\xDF\xBF", 7);
    check_both(u3, 4, "\xE0\xA0\x80\xE2\x82\xAC\xEF\xBF\xBD\xEF\xBF\xBF", 12);
    /* U+1F600, U+10000, U+10FFFF: pairs become one 4-byte sequence. */
    check_both(u4, 6, "\xF0\x9F\x98\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 12);
}
END_TEST

START_TEST(test_lone_surrogates)
{
    static const uint16_t hi[] = {'a', 0xD800, 'b'};
    static const uint16_t lo[] = {0xDC00};
    static const uint16_t hi_end[] = {'x', 0xDBFF};
    static const uint16_t lo_hi[] = {0xDFFF, 0xD800};
    static const uint16_t hi_pair[] = {0xD800, 0xD83D, 0xDE00};
    static const uint16_t pair_lo[] = {0xD83D, 0xDE00, 0xDC00};

    check_both(hi, 3, "a\xED\xA0\x80" "b", 5);
    check_both(lo, 1, "\xED\xB0\x80", 3);
    check_both(hi_end, 2, "x\xED\xAF\xBF", 4);
    /* low then high is not a pair: two 3-byte sequences, both accepted */
    check_both(lo_hi, 2, "\xED\xBF\xBF\xED\xA0\x80", 6);
    check_both(hi_pair, 3, "\xED\xA0\x80\xF0\x9F\x98\x80", 7);
    check_both(pair_lo, 3, "\xF0\x9F\x98\x80\xED\xB0\x80", 7);
}
END_TEST

START_TEST(test_cesu_rejected)
{
    /* A surrogate pair spelt as two 3-byte sequences is CESU-8. */
    check_invalid("\xED\xA0\x80\xED\xB0\x80", 6);
    check_invalid("a\xED\xAF\xBF\xED\xBF\xBF", 7);
}
END_TEST

START_TEST(test_invalid)
{
    check_invalid("\xC0\x80", 2);          /* overlong NUL */
    check_invalid("\xC1\xBF", 2);          /* overlong */
    check_invalid("\xE0\x80\x80", 3);      /* overlong */
    check_invalid("\xE0\x9F\xBF", 3);      /* overlong U+07FF */
    check_invalid("\xF0\x80\x80\x80", 4);  /* overlong */
    check_invalid("\xF0\x8F\xBF\xBF", 4);  /* overlong U+FFFF */
    check_invalid("\xF4\x90\x80\x80", 4);  /* U+110000 */
    check_invalid("\xF5\x80\x80\x80", 4);
    check_invalid("\xF8\x88\x80\x80\x80", 5);
    check_invalid("\xFE", 1);
    check_invalid("\xFF", 1);
    check_invalid("\x80", 1);              /* stray continuation */
    check_invalid("a\xBF" "b", 3);
    check_invalid("\xC3\xA9\xA9", 3);      /* one continuation too many */
    check_invalid("\xC3", 1);              /* truncated */
    check_invalid("ab\xE2\x82", 4);
    check_invalid("\xF0\x9F\x98", 3);
    check_invalid("\xE2\x28\xA1", 3);      /* bad continuation */
    check_invalid("\xC3" "a", 2);
    check_invalid("\xF0\x9F\x98" "a", 4);
    /* The NUL after a truncated sequence in the C string is not read:
     * len stops before it. */
    check_invalid("\xE2\x82\xAC\xE2", 4);
}
END_TEST

START_TEST(test_cap)
{
    uint16_t out[8];
    size_t units = 999;

    /* "héllo": 6 bytes, 5 units */
    ck_assert_int_eq(utf8_to_utf16("h\xC3\xA9llo", 6, out, 3, &units), -2);
    ck_assert_uint_eq(units, 5);
    ck_assert_uint_eq(out[0], 'h');
    ck_assert_uint_eq(out[1], 0xE9);
    ck_assert_uint_eq(out[2], 'l');
    units = 999;
    ck_assert_int_eq(utf8_to_utf16("h\xC3\xA9llo", 6, NULL, 0, &units), -2);
    ck_assert_uint_eq(units, 5);
    ck_assert_int_eq(utf8_to_utf16("h\xC3\xA9llo", 6, out, 5, &units), 0);
    ck_assert_uint_eq(units, 5);
    /* A pair needs two units. */
    memset(out, 0, sizeof out);
    ck_assert_int_eq(utf8_to_utf16("\xF0\x9F\x98\x80", 4, out, 1, &units), -2);
    ck_assert_uint_eq(units, 2);
    ck_assert_uint_eq(out[0], 0xD83D);
    ck_assert_uint_eq(out[1], 0); /* nothing past cap */
    ck_assert_int_eq(utf8_to_utf16("\xF0\x9F\x98\x80", 4, out, 2, &units), 0);
    ck_assert_uint_eq(units, 2);
    /* Empty input fits anything. */
    units = 999;
    ck_assert_int_eq(utf8_to_utf16("", 0, NULL, 0, &units), 0);
    ck_assert_uint_eq(units, 0);
}
END_TEST

START_TEST(test_embedded_nul)
{
    static const uint16_t u[] = {'a', 0, 'b', 0};

    check_both(u, 4, "a\0b\0", 4);
}
END_TEST

START_TEST(test_latin1)
{
    static const uint8_t in[] = {'A', 0xE9, 0xFF, 0x80, 0x00, 0x7F};
    static const char want[] = "A\xC3\xA9\xC3\xBF\xC2\x80\0\x7F";
    char out[16];

    memset(out, 0x55, sizeof out);
    ck_assert_uint_eq(latin1_utf8_len(in, 6), 9);
    ck_assert_uint_eq(latin1_to_utf8(in, 6, out), 9);
    ck_assert_mem_eq(out, want, 9);
    ck_assert_int_eq(out[9], 0x55);
    ck_assert_uint_eq(latin1_utf8_len(in, 0), 0);
    /* Every byte agrees with the UTF-16 path for the same unit. */
    for (unsigned b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        uint8_t le[2] = {byte, 0};
        char a[4], c[4];
        size_t na = latin1_to_utf8(&byte, 1, a);

        ck_assert_uint_eq(na, latin1_utf8_len(&byte, 1));
        ck_assert_uint_eq(utf16le_to_utf8(le, 1, c), na);
        ck_assert_mem_eq(a, c, na);
    }
}
END_TEST

START_TEST(test_round_trip_every_unit)
{
    /* Each unit alone, and each surrogate next to every kind of neighbour. */
    for (uint32_t c = 0; c < 0x10000; c++) {
        uint16_t u[3] = {(uint16_t)c, 0, 0};

        check_round_trip(u, 1);
        u[1] = 0xD800;
        check_round_trip(u, 2);
        u[1] = 0xDC00;
        check_round_trip(u, 2);
        u[1] = 0xDC00;
        u[2] = 0xDBFF;
        check_round_trip(u, 3);
    }
}
END_TEST

START_TEST(test_round_trip_every_pair)
{
    for (uint32_t hi = 0xD800; hi < 0xDC00; hi++) {
        for (uint32_t lo = 0xDC00; lo < 0xE000; lo += 0x3F) {
            uint16_t u[2] = {(uint16_t)hi, (uint16_t)lo};

            check_round_trip(u, 2);
        }
    }
}
END_TEST

START_TEST(test_round_trip_random)
{
    /* Deterministic xorshift; units biased toward surrogates and edges. */
    static const uint16_t pick[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800,
                                    0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFF};
    uint32_t x = 0x2545F491u;
    uint16_t u[MAXU];

    for (int iter = 0; iter < 20000; iter++) {
        size_t n;

        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        n = x % MAXU;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if (x & 1)
                u[i] = pick[(x >> 1) % (sizeof pick / sizeof pick[0])];
            else if (x & 2)
                u[i] = (uint16_t)(0xD800 + ((x >> 2) & 0x7FF));
            else
                u[i] = (uint16_t)(x >> 16);
        }
        check_round_trip(u, n);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("utf16");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_ascii);
    tcase_add_test(tc, test_multibyte);
    tcase_add_test(tc, test_lone_surrogates);
    tcase_add_test(tc, test_cesu_rejected);
    tcase_add_test(tc, test_invalid);
    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_embedded_nul);
    tcase_add_test(tc, test_latin1);
    tcase_add_test(tc, test_round_trip_every_unit);
    tcase_add_test(tc, test_round_trip_every_pair);
    tcase_add_test(tc, test_round_trip_random);
    suite_add_tcase(s, tc);
    return s;
}
