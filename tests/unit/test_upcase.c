/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for base/upcase: Windows' registry upcase of one UTF-16 unit, its
 * special cases, idempotence, and the lh hash and list order built on it. */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/upcase.h"

Suite *test_suite(void);

#define ck_up(in, want) ck_assert_uint_eq(upcase_unit((uint16_t)(in)), (want))

/* lh hash (regf-format.md section 5): h = 37 * h + upcase(u) mod 2^32. */
static uint32_t lh_hash(const uint16_t *s, size_t n)
{
    uint32_t h = 0;

    for (size_t i = 0; i < n; i++)
        h = 37u * h + upcase_unit(s[i]);
    return h;
}

/* Compares two names as Windows orders subkey lists: upcased units,
 * unsigned, a prefix first. */
static int name_cmp(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
    size_t n = na < nb ? na : nb;

    for (size_t i = 0; i < n; i++) {
        uint16_t x = upcase_unit(a[i]), y = upcase_unit(b[i]);

        if (x != y)
            return x < y ? -1 : 1;
    }
    return na < nb ? -1 : na > nb ? 1 : 0;
}

START_TEST(test_ascii)
{
    for (uint32_t c = 0; c < 0x80; c++) {
        uint32_t want = c >= 'a' && c <= 'z' ? c - 0x20 : c;

        ck_up(c, want);
    }
    ck_up('a', 'A');
    ck_up('z', 'Z');
    ck_up('A', 'A');
    ck_up('{', '{');
    ck_up('`', '`');
}
END_TEST

START_TEST(test_latin1)
{
    ck_up(0xE9, 0xC9);  /* é -> É */
    ck_up(0xE0, 0xC0);
    ck_up(0xFE, 0xDE);  /* þ -> Þ */
    ck_up(0xFF, 0x178); /* ÿ -> Ÿ */
    ck_up(0xDF, 0xDF);  /* ß: no one-unit uppercase */
    ck_up(0xB5, 0xB5);  /* µ stays (not Greek Mu) */
    ck_up(0xF7, 0xF7);  /* ÷ */
    ck_up(0xD7, 0xD7);  /* × */
    ck_up(0xAA, 0xAA);
    ck_up(0xBA, 0xBA);
    /* The whole Latin-1 page: only E0..FE (not F7) and FF change. */
    for (uint32_t c = 0x80; c < 0x100; c++) {
        uint32_t want = c;

        if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
            want = c - 0x20;
        else if (c == 0xFF)
            want = 0x178;
        ck_up(c, want);
    }
}
END_TEST

START_TEST(test_latin_extended)
{
    ck_up(0x0131, 0x0131); /* dotless ı stays */
    ck_up(0x0130, 0x0130); /* İ is already upper */
    ck_up(0x017F, 0x017F); /* long ſ stays (table exception) */
    ck_up(0x0101, 0x0100); /* ā -> Ā */
    ck_up(0x017E, 0x017D); /* ž -> Ž */
    ck_up(0x01C6, 0x01C4); /* ǆ -> Ǆ */
    ck_up(0x01C5, 0x01C4); /* titlecase ǅ -> Ǆ */
    ck_up(0x0149, 0x0149); /* ŉ: expansion only */
    ck_up(0x01F0, 0x01F0); /* ǰ: expansion only */
}
END_TEST

START_TEST(test_greek_cyrillic)
{
    ck_up(0x03C3, 0x03A3); /* σ -> Σ */
    ck_up(0x03C2, 0x03A3); /* final ς -> Σ */
    ck_up(0x03A3, 0x03A3);
    ck_up(0x03B1, 0x0391); /* α -> Α */
    ck_up(0x03AC, 0x0386); /* ά -> Ά */
    ck_up(0x0390, 0x0390); /* ΐ: expansion only */
    ck_up(0x1F80, 0x1F88); /* ᾀ -> ᾈ (simple mapping, not ἈΙ) */
    ck_up(0x1FB3, 0x1FBC); /* ᾳ -> ᾼ */
    ck_up(0x1FBC, 0x1FBC);
    ck_up(0x0430, 0x0410); /* а -> А */
    ck_up(0x044F, 0x042F); /* я -> Я */
    ck_up(0x0451, 0x0401); /* ё -> Ё */
    ck_up(0x045F, 0x040F); /* џ -> Џ */
    ck_up(0x0410, 0x0410);
    ck_up(0x0561, 0x0531); /* Armenian ա -> Ա */
    ck_up(0x0587, 0x0587); /* և: expansion only */
}
END_TEST

START_TEST(test_other_blocks)
{
    ck_up(0xFF41, 0xFF21); /* ａ -> Ａ */
    ck_up(0xFF5A, 0xFF3A); /* ｚ -> Ｚ */
    ck_up(0xFF21, 0xFF21);
    ck_up(0x24D0, 0x24B6); /* ⓐ -> Ⓐ */
    ck_up(0x2170, 0x2160); /* ⅰ -> Ⅰ */
    ck_up(0x10D0, 0x10D0); /* Georgian Mkhedruli stays (table exception) */
    ck_up(0xFB00, 0xFB00); /* ﬀ: expansion only */
    ck_up(0x4E00, 0x4E00);
    ck_up(0x0000, 0x0000);
    ck_up(0xFFFF, 0xFFFF);
}
END_TEST

START_TEST(test_surrogates)
{
    for (uint32_t c = 0xD800; c < 0xE000; c++)
        ck_up(c, c);
}
END_TEST

START_TEST(test_idempotent)
{
    unsigned changed = 0;

    for (uint32_t c = 0; c < 0x10000; c++) {
        uint16_t up = upcase_unit((uint16_t)c);

        ck_assert_uint_eq(upcase_unit(up), up);
        changed += up != c;
    }
    /* Sanity: a real table, not the identity (Unicode maps ~1100). */
    ck_assert_uint_gt(changed, 900);
    ck_assert_uint_lt(changed, 1400);
}
END_TEST

START_TEST(test_lh_hash)
{
    static const uint16_t software[] = {'S', 'o', 'f', 't', 'w', 'a', 'r', 'e'};
    static const uint16_t software_lc[] = {'s', 'o', 'f', 't', 'w', 'a', 'r', 'e'};
    static const uint16_t a[] = {'a'};

    ck_assert_uint_eq(lh_hash(software, 8), 0xE9FE1463u);
    ck_assert_uint_eq(lh_hash(software_lc, 8), 0xE9FE1463u);
    ck_assert_uint_eq(lh_hash(a, 1), 0x41u);
    ck_assert_uint_eq(lh_hash(NULL, 0), 0u);
}
END_TEST

START_TEST(test_order)
{
    /* ss1 < SS3 < ß2 < U+10000 (regf-format.md section 5). */
    static const uint16_t n1[] = {'s', 's', '1'};
    static const uint16_t n2[] = {'S', 'S', '3'};
    static const uint16_t n3[] = {0xDF, '2'};
    static const uint16_t n4[] = {0xD800, 0xDC00};
    static const uint16_t pre[] = {'S', 'S'};

    ck_assert_int_lt(name_cmp(n1, 3, n2, 3), 0);
    ck_assert_int_lt(name_cmp(n2, 3, n3, 2), 0);
    ck_assert_int_lt(name_cmp(n3, 2, n4, 2), 0);
    ck_assert_int_lt(name_cmp(pre, 2, n1, 3), 0); /* prefix first */
    ck_assert_int_eq(name_cmp(n1, 2, pre, 2), 0); /* "ss" == "SS" */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("upcase");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_ascii);
    tcase_add_test(tc, test_latin1);
    tcase_add_test(tc, test_latin_extended);
    tcase_add_test(tc, test_greek_cyrillic);
    tcase_add_test(tc, test_other_blocks);
    tcase_add_test(tc, test_surrogates);
    tcase_add_test(tc, test_idempotent);
    tcase_add_test(tc, test_lh_hash);
    tcase_add_test(tc, test_order);
    suite_add_tcase(s, tc);
    return s;
}
