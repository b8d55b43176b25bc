/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for lib/text: the .reg writer (exact lines, regedit's wrapping, the
 * lossless choice of form, REGEDIT4 and encodings), the parser (operations,
 * data forms, exact error positions) and its robustness against seeded
 * mutations of a valid file. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "text/regparse.h"
#include "text/regwrite.h"

Suite *test_suite(void);

struct sink {
    char buf[1 << 16];
    size_t len;
    int fail;
};

static int to_sink(const void *data, size_t size, void *ctx)
{
    struct sink *s = ctx;
    if (s->fail || s->len + size > sizeof s->buf)
        return -1;
    memcpy(s->buf + s->len, data, size);
    s->len += size;
    return 0;
}

/* The text after the header that one value gives (UTF-8, CRLF). */
static void value_text(bool v4, const char *name, uint32_t type, const void *data, size_t size,
                       hk_status want_st, const char *want)
{
    struct sink s = {.len = 0};
    struct regwrite w;
    ck_assert_int_eq(regw_init(&w, v4, HK_ENCODING_UTF8, to_sink, &s), 0);
    ck_assert_int_eq(regw_key(&w, "K", 1, false), 0);
    ck_assert_int_eq(regw_value(&w, name, strlen(name), type, data, size), want_st);
    ck_assert_int_eq(regw_flush(&w, true), 0);
    regw_free(&w);
    const char *head = v4 ? "REGEDIT4\r\n\r\n[K]\r\n" : "Windows Registry Editor Version 5.00\r\n\r\n[K]\r\n";
    size_t hl = strlen(head);
    ck_assert_uint_ge(s.len, hl);
    ck_assert(memcmp(s.buf, head, hl) == 0);
    s.buf[s.len] = '\0';
    ck_assert_str_eq(s.buf + hl, want);
}

START_TEST(strings_and_dwords_when_exact)
{
    static const uint8_t sz[] = {'a', 0, '"', 0, '\\', 0, 0, 0};
    value_text(false, "n", HK_REG_SZ, sz, sizeof sz, 0, "\"n\"=\"a\\\"\\\\\"\r\n");
    value_text(false, "", HK_REG_SZ, "\0", 2, 0, "@=\"\"\r\n");
    static const uint8_t dw[] = {0x2a, 0, 0, 0x80};
    value_text(false, "d", HK_REG_DWORD, dw, 4, 0, "\"d\"=dword:8000002a\r\n");
    value_text(false, "q\"\\\r\n", HK_REG_DWORD, dw, 4, 0, "\"q\\\"\\\\\\r\\n\"=dword:8000002a\r\n");
}
END_TEST

START_TEST(inexact_forms_become_hex)
{
    value_text(false, "a", HK_REG_SZ, "a\0b\0", 4, 0, "\"a\"=hex(1):61,00,62,00\r\n");
    value_text(false, "b", HK_REG_SZ, "a\0\0\0b\0\0\0", 8, 0, "\"b\"=hex(1):61,00,00,00,62,00,00,00\r\n");
    value_text(false, "c", HK_REG_SZ, "a\0\0", 3, 0, "\"c\"=hex(1):61,00,00\r\n");
    value_text(false, "d", HK_REG_SZ, "", 0, 0, "\"d\"=hex(1):\r\n");
    value_text(false, "e", HK_REG_SZ, "\x00\xdc\0\0", 4, 0, "\"e\"=hex(1):00,dc,00,00\r\n");
    value_text(false, "f", HK_REG_SZ, "\n\0\0\0", 4, 0, "\"f\"=hex(1):0a,00,00,00\r\n");
    value_text(false, "g", HK_REG_DWORD, "\1\2\3", 3, 0, "\"g\"=hex(4):01,02,03\r\n");
    value_text(false, "h", HK_REG_BINARY, "\xff", 1, 0, "\"h\"=hex:ff\r\n");
    value_text(false, "i", 0x12345678u, "", 0, 0, "\"i\"=hex(12345678):\r\n");
}
END_TEST

START_TEST(hex_wraps_after_column_77)
{
    uint8_t d[60];
    for (size_t i = 0; i < sizeof d; i++)
        d[i] = (uint8_t)i;
    /* "ab"=hex: is 9 columns: 23 bytes reach column 78 on the first line,
     * then 25 bytes per line (2 + 75). */
    value_text(false, "ab", HK_REG_BINARY, d, sizeof d, 0,
               "\"ab\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,16,\\\r\n"
               "  17,18,19,1a,1b,1c,1d,1e,1f,20,21,22,23,24,25,26,27,28,29,2a,2b,2c,2d,2e,2f,\\\r\n"
               "  30,31,32,33,34,35,36,37,38,39,3a,3b\r\n");
    /* A name of non-ASCII characters counts UTF-16 units, not bytes. */
    value_text(false, "\xc3\xa9\xc3\xa9", HK_REG_BINARY, d, 25, 0,
               "\"\xc3\xa9\xc3\xa9\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,16,\\\r\n"
               "  17,18\r\n");
}
END_TEST

START_TEST(regedit4_ansi_and_refusals)
{
    value_text(true, "s", HK_REG_SZ, "\xe9\0\0\0", 4, 0, "\"s\"=\"\xc3\xa9\"\r\n");
    value_text(true, "x", HK_REG_EXPAND_SZ, "%\0\xac\x20\0\0", 6, 0, "\"x\"=hex(2):25,80,00\r\n");
    value_text(true, "m", HK_REG_MULTI_SZ, "a\0", 2, HK_ERROR_INVALID_DATA, "");
    value_text(true, "j", HK_REG_SZ, "\xe5" "\x65\0\0", 4, HK_ERROR_INVALID_DATA, "");
    value_text(true, "d", HK_REG_DWORD, "\1\0\0\0", 4, 0, "\"d\"=dword:00000001\r\n");
}
END_TEST

START_TEST(utf16le_output_and_write_failures)
{
    struct sink s = {.len = 0};
    struct regwrite w;
    ck_assert_int_eq(regw_init(&w, false, HK_ENCODING_DEFAULT, to_sink, &s), 0);
    ck_assert_int_eq(regw_key(&w, "\xf0\x9f\x98\x80", 4, false), 0);
    ck_assert_int_eq(regw_finish(&w), 0);
    regw_free(&w);
    static const char want[] = "\xff\xfeW\0";
    ck_assert(memcmp(s.buf, want, 4) == 0);
    /* "[" U+1F600 "]" as a surrogate pair */
    ck_assert(memcmp(s.buf + s.len - 16, "[\0\x3d\xd8\x00\xde]\0\r\0\n\0\r\0\n\0", 16) == 0);

    struct sink f = {.len = 0, .fail = 1};
    ck_assert_int_eq(regw_init(&w, false, HK_ENCODING_UTF8, to_sink, &f), 0);
    ck_assert_int_eq(regw_finish(&w), HK_ERROR_CANCELLED);
    regw_free(&w);
    ck_assert_int_eq(regw_init(&w, false, HK_ENCODING_CP1252, to_sink, &f),
                     HK_ERROR_INVALID_PARAMETER);
    regw_free(&w);
}
END_TEST

/* ---- parser ------------------------------------------------------------ */

START_TEST(parses_every_form_into_operations)
{
    static const char text[] =
        "Windows Registry Editor Version 5.00\n"
        "[A\\B]\n"
        "@=\"d\"\n"
        "\"x\"=dword:1\n"
        "\"y\"=hex(b):01,\\\n"
        "   02\n"
        "\"z\"=-\n"
        "[-A\\C]\n";
    struct regfile f;
    ck_assert_int_eq(regparse(text, sizeof text - 1, &f, false), 0);
    ck_assert_uint_eq(f.count, 6);
    ck_assert_int_eq(f.ops[0].kind, REGOP_KEY);
    ck_assert_str_eq(regop_text(&f, &f.ops[0]), "A\\B");
    ck_assert_int_eq(f.ops[1].kind, REGOP_VALUE);
    ck_assert_str_eq(regop_text(&f, &f.ops[1]), "");
    ck_assert_uint_eq(f.ops[1].type, HK_REG_SZ);
    ck_assert_uint_eq(f.ops[1].data_len, 4);
    ck_assert(memcmp(f.pool.p + f.ops[1].data_off, "d\0\0\0", 4) == 0);
    ck_assert_uint_eq(f.ops[2].type, HK_REG_DWORD);
    ck_assert(memcmp(f.pool.p + f.ops[2].data_off, "\1\0\0\0", 4) == 0);
    ck_assert_uint_eq(f.ops[3].type, HK_REG_QWORD);
    ck_assert_uint_eq(f.ops[3].data_len, 2);
    ck_assert(memcmp(f.pool.p + f.ops[3].data_off, "\1\2", 2) == 0);
    ck_assert_int_eq(f.ops[4].kind, REGOP_DELETE_VALUE);
    ck_assert_str_eq(regop_text(&f, &f.ops[4]), "z");
    ck_assert_int_eq(f.ops[5].kind, REGOP_DELETE_KEY);
    ck_assert_uint_eq(f.ops[5].line, 8);
    ck_assert_uint_eq(f.ops[5].column, 3);
    regfile_free(&f);
}
END_TEST

START_TEST(errors_name_line_and_column)
{
    static const char text[] = "REGEDIT4\r\n[K]\r\n  \"\xe9\"=\"a\" \"b\"\r\n";
    struct regfile f;
    ck_assert_int_eq(regparse(text, sizeof text - 1, &f, false), HK_ERROR_INVALID_DATA);
    ck_assert_uint_eq(f.err_line, 3);
    ck_assert_uint_eq(f.err_column, 11); /* Windows-1252: one column per byte */
    ck_assert_str_eq(f.err, "unexpected text after the data");
    regfile_free(&f);
    static const char odd[] = "\xff\xfe" "W";
    ck_assert_int_eq(regparse(odd, 3, &f, false), HK_ERROR_INVALID_DATA);
    ck_assert_str_eq(f.err, "UTF-16 text with an odd number of bytes");
    regfile_free(&f);
}
END_TEST

/* Hex data in runs ("hh," each) and every way out of a run: the same bytes
 * and the same errors, at the same columns, as one byte at a time. */
START_TEST(hex_runs_and_their_ends)
{
    static const struct {
        const char *data;
        hk_status st;
        const char *bytes; /* the value's data, or the error */
        size_t len;        /* of bytes; 0: the error's column in err_col */
        uint32_t err_col;
    } cases[] = {
        {"hex:01,02,03", 0, "\1\2\3", 3, 0},
        {"hex:01,02,03 ; c", 0, "\1\2\3", 3, 0},
        {"hex:01,02 ,03", 0, "\1\2\3", 3, 0},
        {"hex:01, 02,\t03", 0, "\1\2\3", 3, 0},
        {"hex:01,2,ff,A0", 0, "\1\2\xff\xa0", 4, 0},
        {"hex:01,02,\\\n  03,04", 0, "\1\2\3\4", 4, 0},
        {"hex:01,02,", HK_ERROR_INVALID_DATA,
         "a ',' not followed by a hex byte (or by '\\' to continue)", 0, 15},
        {"hex:01,0g,03", HK_ERROR_INVALID_DATA, "expected ',' between hex bytes", 0, 13},
        {"hex:01,011,03", HK_ERROR_INVALID_DATA, "a hex byte has at most two digits", 0, 14},
        {"hex:01,02,,03", HK_ERROR_INVALID_DATA, "expected a hex byte", 0, 15},
        {"hex:01,02,03#", HK_ERROR_INVALID_DATA,
         "a '#' comment after data (only ';' may follow data)", 0, 17},
    };
    /* Each on an ASCII line (decoded on its bytes) and on one with a
     * non-ASCII name of one character (decoded on its units). */
    for (size_t k = 0; k < 2 * (sizeof cases / sizeof cases[0]); k++) {
        size_t i = k / 2;
        char text[256];
        snprintf(text, sizeof text, "Windows Registry Editor Version 5.00\n[K]\n\"%s\"=%s\n",
                 k % 2 ? "\xc3\xa9" : "v", cases[i].data);
        struct regfile f;
        hk_status st = regparse(text, strlen(text), &f, false);
        ck_assert_msg(st == cases[i].st, "%s: status %u", text, st);
        if (st == HK_ERROR_SUCCESS) {
            ck_assert_uint_eq(f.count, 2);
            ck_assert_uint_eq(f.ops[1].data_len, cases[i].len);
            ck_assert(memcmp(f.pool.p + f.ops[1].data_off, cases[i].bytes, cases[i].len) == 0);
        } else {
            ck_assert_str_eq(f.err, cases[i].bytes);
            ck_assert_uint_eq(f.err_line, 3);
            ck_assert_msg(f.err_column == cases[i].err_col, "%s: column %u", text, f.err_column);
        }
        regfile_free(&f);
    }
}
END_TEST

/* A text of lines value lines of 32 bytes under one key. */
static char *value_lines(size_t lines, size_t *n)
{
    static const char head[] = "Windows Registry Editor Version 5.00\n[K]\n";
    size_t cap = sizeof head + 40 * lines;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)snprintf(text, cap, "%s", head);
    for (size_t i = 0; i < lines; i++)
        len += (size_t)snprintf(text + len, cap - len, "\"value_%08zu\"=dword:%08zx\n", i, i);
    *n = len;
    return text;
}

/* The pool and the operations are sized once from the text: parsing
 * 100,000 lines of 32 bytes asks the allocator for no more blocks than
 * parsing 10. */
START_TEST(pool_and_ops_sized_from_the_text)
{
    unsigned long requests[2];
    size_t lines[2] = {10, 100000};
    for (int k = 0; k < 2; k++) {
        size_t n;
        char *text = value_lines(lines[k], &n);
        struct regfile f;
        alloc_fail_after(0);
        ck_assert_int_eq(regparse(text, n, &f, false), HK_ERROR_SUCCESS);
        requests[k] = alloc_fail_after(0);
        ck_assert_uint_eq(f.count, lines[k] + 1);
        ck_assert_uint_le(f.pool.len, n);
        ck_assert_uint_ge(f.pool.cap, n);
        ck_assert_str_eq(regop_text(&f, &f.ops[lines[k]]), k ? "value_00099999" : "value_00000009");
        regfile_free(&f);
        free(text);
    }
    ck_assert_uint_eq(requests[1], requests[0]);
}
END_TEST

/* Parses n bytes of text: with err_col 0, op last (the last of the file)
 * must have want as its text; else the first error must be want, at
 * err_col. */
static void check_text_or_error(const char *text, size_t n, size_t last, const char *want,
                                uint32_t err_col)
{
    struct regfile f;
    hk_status st = regparse(text, n, &f, false);
    if (err_col == 0) {
        ck_assert_msg(st == HK_ERROR_SUCCESS, "%s: status %u", text, st);
        ck_assert_uint_eq(f.count, last + 1);
        ck_assert_str_eq(regop_text(&f, &f.ops[last]), want);
        ck_assert_uint_eq(f.ops[last].text_len, strlen(want));
    } else {
        ck_assert_msg(st == HK_ERROR_INVALID_DATA, "%s: status %u", text, st);
        ck_assert_str_eq(f.err, want);
        ck_assert_msg(f.err_column == err_col, "%s: column %u", text, f.err_column);
    }
    regfile_free(&f);
}

/* Key paths, on ASCII lines (checked on their bytes) and on lines with a
 * non-ASCII name of one character: the same path text or the same error at
 * the same column. */
START_TEST(key_paths_ascii_and_not)
{
    static const struct {
        const char *path; /* after "[X" (X: one character) */
        const char *text; /* after "X", or the error */
        uint32_t err_col; /* 0: good */
    } cases[] = {
        {"\\b]", "\\b", 0},
        {"\\b\\]", "\\b", 0},
        {"\\b\\\\]", "an empty key name in the path (two '\\' or one at an end)", 6},
        {"\\\\b]", "an empty key name in the path (two '\\' or one at an end)", 4},
        {"\\b\\\\c\\\\d]", "an empty key name in the path (two '\\' or one at an end)", 6},
        {"\\b]  ; c", "\\b", 0},
        {"\\b] x", "unexpected text after the data", 7},
    };
    for (size_t k = 0; k < 2 * (sizeof cases / sizeof cases[0]); k++) {
        size_t i = k / 2;
        const char *x = k % 2 ? "\xc3\xa9" : "x";
        char text[256], want[64];
        snprintf(text, sizeof text, "Windows Registry Editor Version 5.00\n[%s%s\n", x,
                 cases[i].path);
        snprintf(want, sizeof want, "%s%s", x, cases[i].text);
        check_text_or_error(text, strlen(text), 0, cases[i].err_col ? cases[i].text : want,
                            cases[i].err_col);
    }
    /* A NUL in the path (ASCII line, then not) */
    static const char nul[] = "Windows Registry Editor Version 5.00\n[a\\b\0c]\n";
    static const char nul8[] = "Windows Registry Editor Version 5.00\n[\xc3\xa9\\b\0c]\n";
    struct regfile f;
    ck_assert_int_eq(regparse(nul, sizeof nul - 1, &f, false), HK_ERROR_INVALID_DATA);
    ck_assert_str_eq(f.err, "a NUL character in the key path");
    ck_assert_uint_eq(f.err_column, 5);
    regfile_free(&f);
    ck_assert_int_eq(regparse(nul8, sizeof nul8 - 1, &f, false), HK_ERROR_INVALID_DATA);
    ck_assert_str_eq(f.err, "a NUL character in the key path");
    ck_assert_uint_eq(f.err_column, 5);
    regfile_free(&f);
    /* Bad UTF-8 on a later line is the one error, though earlier lines are
     * bad too (the text is checked whole before any line is read). */
    static const char late[] = "Windows Registry Editor Version 5.00\n[K]\nbad\n\"x\"=\"\xff\"\n";
    ck_assert_int_eq(regparse(late, sizeof late - 1, &f, false), HK_ERROR_INVALID_DATA);
    ck_assert_str_eq(f.err, "invalid UTF-8 (byte 0xFF)");
    ck_assert_uint_eq(f.err_line, 4);
    ck_assert_uint_eq(f.n_errs, 0);
    regfile_free(&f);
}
END_TEST

/* Value names on ASCII lines (read on their bytes when they have no
 * escape) and on lines with a non-ASCII character first in the name: the
 * same name, or the same error at the same column. */
START_TEST(value_names_ascii_and_not)
{
    static const struct {
        const char *line; /* after '"' X (X: one character, column 2) */
        size_t len;       /* of line when it holds a NUL, else 0 */
        const char *name; /* after X, or the error */
        uint32_t err_col; /* 0: good */
    } cases[] = {
        {"ab\"=dword:1", 0, "ab", 0},
        {"\"=dword:1", 0, "", 0},
        {"a\\\"b\"=-", 0, "a\"b", 0},
        {"a\\\\\" = dword:1", 0, "a\\", 0},
        {"ab=dword:1", 0, "the value name has no closing '\"'", 1},
        {"a\0b\"=dword:1", 12, "a NUL character in the value name", 1},
        {"a\\qb\"=dword:1", 0, "unknown escape in the value name (use \\\\ \\\" \\r or \\n)", 4},
    };
    for (size_t k = 0; k < 2 * (sizeof cases / sizeof cases[0]); k++) {
        size_t i = k / 2;
        const char *x = k % 2 ? "\xc3\xa9" : "v";
        static const char head[] = "Windows Registry Editor Version 5.00\n[K]\n\"";
        char text[256], want[64];
        size_t n = 0;
        memcpy(text, head, sizeof head - 1);
        n += sizeof head - 1;
        memcpy(text + n, x, strlen(x));
        n += strlen(x);
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].line);
        memcpy(text + n, cases[i].line, len);
        n += len;
        text[n++] = '\n';
        snprintf(want, sizeof want, "%s%s", x, cases[i].name);
        check_text_or_error(text, n, 1, cases[i].err_col ? cases[i].name : want,
                            cases[i].err_col);
    }
}
END_TEST

/* The import's value index: a name set again (in another case) replaces
 * the value, also after other keys and on a key seen again; a deletion and
 * a key re-created after its deletion are searched as they are. */
START_TEST(import_sets_each_value_once_by_name)
{
    static const char text[] =
        "Windows Registry Editor Version 5.00\n"
        "[R\\K]\n\"a\"=dword:1\n\"b\"=dword:2\n\"A\"=dword:3\n@=dword:4\n@=dword:5\n"
        "[R\\L]\n\"a\"=dword:6\n"
        "[R\\K]\n\"B\"=dword:7\n\"c\"=dword:8\n\"a\"=-\n\"a\"=dword:9\n"
        "[-R\\L]\n[R\\L]\n\"a\"=dword:10\n\"A\"=dword:11\n";
    hk_hive *h;
    hk_key *root, *k;
    ck_assert_int_eq(hk_hive_create(5, "R", &h), 0);
    ck_assert_int_eq(hk_hive_root(h, &root), 0);
    hk_import_options o = HK_IMPORT_OPTIONS_INIT;
    o.prefix = "R";
    ck_assert_msg(hk_import_reg(root, text, sizeof text - 1, &o) == 0, "%s", hk_errmsg());
    static const struct {
        const char *key;
        const char *names;
        uint32_t values[4];
    } want[] = {{"K", "b,,c,a", {7, 5, 8, 9}}, {"L", "a", {0x11}}};
    for (size_t w = 0; w < 2; w++) {
        ck_assert_int_eq(hk_open_key(root, want[w].key, 0, HK_KEY_READ, &k), 0);
        char names[64] = "";
        for (uint32_t i = 0;; i++) {
            char name[16];
            size_t name_size = sizeof name, size = 4;
            uint32_t type, v;
            hk_status st = hk_enum_value(k, i, name, &name_size, &type, &v, &size);
            if (st == HK_ERROR_NO_MORE_ITEMS)
                break;
            ck_assert_int_eq(st, 0);
            ck_assert_uint_eq(type, HK_REG_DWORD);
            ck_assert_uint_eq(v, want[w].values[i]);
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? "," : "", name);
        }
        ck_assert_str_eq(names, want[w].names);
        hk_close_key(k);
    }
    hk_close_key(root);
    hk_hive_close(h);
}
END_TEST

/* Seeded mutations of a valid file: each parses or fails cleanly (ASan and
 * UBSan catch the rest), and a failure always names a line. */
START_TEST(mutated_files_parse_or_fail_cleanly)
{
    static const char base[] =
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\S\\a b]\r\n"
        "@=\"x\\\\y\\\"z\"\r\n\"n\"=hex(7):61,00,00,00,\\\r\n  00,00 ; c\r\n\"d\"=dword:0000002a\r\n"
        "\"e\"=-\r\n[-HKEY_LOCAL_MACHINE\\S\\gone]\r\n";
    uint32_t seed = 12345;
    char buf[sizeof base + 8];
    for (int round = 0; round < 20000; round++) {
        memcpy(buf, base, sizeof base);
        size_t len = sizeof base - 1;
        int edits = 1 + round % 4;
        for (int k = 0; k < edits; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            unsigned what = (seed >> 16) % 4;
            if (what == 0)
                buf[at] = (char)(seed >> 24);
            else if (what == 1)
                len = at; /* truncate */
            else if (what == 2)
                buf[at] = "\\\"[]@=-,;#\r\n:("[(seed >> 20) % 15];
            else
                memmove(buf + at, buf + at + 1, len - at - 1), len--;
            if (len == 0)
                break;
        }
        struct regfile f;
        hk_status st = regparse(buf, len, &f, round % 2 == 0);
        ck_assert(st == HK_ERROR_SUCCESS || st == HK_ERROR_INVALID_DATA);
        if (st == HK_ERROR_INVALID_DATA)
            ck_assert(f.err[0] != '\0');
        regfile_free(&f);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("regtext");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, strings_and_dwords_when_exact);
    tcase_add_test(tc, inexact_forms_become_hex);
    tcase_add_test(tc, hex_wraps_after_column_77);
    tcase_add_test(tc, regedit4_ansi_and_refusals);
    tcase_add_test(tc, utf16le_output_and_write_failures);
    suite_add_tcase(s, tc);
    tc = tcase_create("parse");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, parses_every_form_into_operations);
    tcase_add_test(tc, errors_name_line_and_column);
    tcase_add_test(tc, key_paths_ascii_and_not);
    tcase_add_test(tc, value_names_ascii_and_not);
    tcase_add_test(tc, hex_runs_and_their_ends);
    tcase_add_test(tc, pool_and_ops_sized_from_the_text);
    tcase_add_test(tc, import_sets_each_value_once_by_name);
    tcase_add_test(tc, mutated_files_parse_or_fail_cleanly);
    suite_add_tcase(s, tc);
    return s;
}
