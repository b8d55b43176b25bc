/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CLI's reg.exe habits and what it must not lose: class names through
 * copy and compare, .reg files with a predefined root refused by import,
 * rename, save, query's search (-f) and formats, info's reasons. Hives are
 * built with the test-side hive_builder; exact output and exit status.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"
#include "files.h"
#include "tempdir.h"
#include "hive_builder.h"

Suite *test_suite(void);

#ifndef HIVEKIT_BIN
#error "HIVEKIT_BIN must name the built hivekit program"
#endif


static char *dir;
static char hive[4200], hive2[4200];

static void setup(void)
{
    dir = tempdir_new("cli-tools");
    snprintf(hive, sizeof hive, "%s/a.hive", dir);
    snprintf(hive2, sizeof hive2, "%s/b.hive", dir);
}

static void teardown(void)
{
    ck_assert(tempdir_remove(dir));
}

static void write_hive(const char *path, struct hb *b)
{
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    spit(path, img, len);
    free(img);
}

/* ROOT\Src (class "SrcClass", value v=1) with Src\Sub (class "SubClass");
 * sub_class NULL leaves Sub without one. */
static void class_hive(const char *path, const char *sub_class)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t src = hb_key(b, hb_root(b), "Src");
    hb_class(b, src, "SrcClass");
    hb_value(b, src, "v", 4, "\1\0\0\0", 4);
    uint32_t sub = hb_key(b, src, "Sub");
    if (sub_class)
        hb_class(b, sub, sub_class);
    write_hive(path, b);
}

/* The jsonl key line of path in hive h ("" when there is none). */
static char *key_line(const char *h, const char *path)
{
    struct run r;
    RUN(&r, "export", h, path, "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    char *nl = strchr(r.out, '\n');
    ck_assert_ptr_nonnull(nl);
    nl[1] = '\0';
    char *line = strdup(r.out);
    run_free(&r);
    return line;
}

/* ---- item: KEY operands split by reg.exe's rules (HK_PATH_STRICT) ------ */

static void query_status(const char *key, int want_status, const char *want_err)
{
    struct run r;
    RUN(&r, "query", hive, key);
    ck_assert_str_eq(r.err, want_err);
    ck_assert_int_eq(r.status, want_status);
    run_free(&r);
}

START_TEST(key_operands_follow_reg_exe_path_rules)
{
    class_hive(hive, NULL);
    query_status("", 0, "");
    query_status("\\", 0, "");
    query_status("\\\\", 0, "");
    query_status("\\Src\\Sub\\", 0, "");
    char *line = key_line(hive, "\\Src\\Sub\\");
    ck_assert_ptr_nonnull(strstr(line, "\"path\":\"Src\\\\Sub\""));
    free(line);
    query_status("Src\\\\Sub", 2, "hivekit: Src\\\\Sub: bad path name (empty path component)\n");
    query_status("Src\\Sub\\\\", 2,
                 "hivekit: Src\\Sub\\\\: bad path name (empty path component)\n");
    query_status("\\\\Src", 2, "hivekit: \\\\Src: bad path name (empty path component)\n");
    query_status("\\\\\\", 2, "hivekit: \\\\\\: bad path name (empty path component)\n");
    /* a missing component is reported before a later empty one */
    query_status("Nope\\\\x", 1,
                 NOT_FOUND_LINE "hivekit: key 'Nope\\\\x' not found below the hive's root key\n");
}
END_TEST

/* ---- item: class names survive copy; compare reports them ------------ */

START_TEST(copy_keeps_the_class_of_the_top_key)
{
    class_hive(hive, "SubClass");
    struct run r;
    RUN(&r, "copy", hive, "Src", "Dst");
    run_expect_ok(&r);
    char *line = key_line(hive, "Dst");
    ck_assert_ptr_nonnull(strstr(line, ",\"class\":\"SrcClass\"}"));
    free(line);
}
END_TEST

START_TEST(copy_recursive_keeps_every_class)
{
    class_hive(hive, "SubClass");
    struct run r;
    RUN(&r, "copy", hive, "Src", "Dst", "-s");
    ck_assert_str_eq(r.out, OK_LINE);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    char *line = key_line(hive, "Dst");
    ck_assert_ptr_nonnull(strstr(line, ",\"class\":\"SrcClass\"}"));
    free(line);
    line = key_line(hive, "Dst\\Sub");
    ck_assert_ptr_nonnull(strstr(line, ",\"class\":\"SubClass\"}"));
    free(line);
}
END_TEST

START_TEST(compare_reports_a_class_difference)
{
    class_hive(hive, "SubClass");
    class_hive(hive2, "Other");
    struct run r;
    RUN(&r, "compare", hive, hive2);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, "< Class: \\Src\\Sub    SubClass\n"
                            "> Class: \\Src\\Sub    Other\n"
                            "Result Compared: Different\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    class_hive(hive2, NULL);
    RUN(&r, "compare", hive, hive2, "Src");
    ck_assert_str_eq(r.out, "< Class: \\Src\\Sub    SubClass\n"
                            "> Class: \\Src\\Sub    (none)\n"
                            "Result Compared: Different\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
}
END_TEST

START_TEST(compare_reg_says_what_a_patch_cannot_carry)
{
    class_hive(hive, "SubClass");
    class_hive(hive2, "Other");
    struct run r;
    RUN(&r, "compare", hive, hive2, "--reg", "--encoding", "utf-8");
    ck_assert_str_eq(r.out, "Windows Registry Editor Version 5.00\r\n\r\n"
                            "[HKEY_LOCAL_MACHINE\\ROOT]\r\n\r\n");
    ck_assert_str_eq(r.err, "hivekit: compare: the .reg patch cannot carry the class name of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src\\Sub]\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    /* a key only B has: its tree goes into the patch, its classes cannot */
    struct hb *b = hb_new(5, "ROOT");
    write_hive(hive, b);
    RUN(&r, "compare", hive, hive2, "--reg", "--encoding", "utf-8");
    ck_assert_str_eq(r.err, "hivekit: compare: the .reg patch cannot carry the class name of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src]\n"
                            "hivekit: compare: the .reg patch cannot carry the class name of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src\\Sub]\n");
    ck_assert_ptr_nonnull(strstr(r.out, "[HKEY_LOCAL_MACHINE\\ROOT\\Src]\r\n\"v\"=dword:00000001"));
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
}
END_TEST

START_TEST(compare_times_and_security_on_request)
{
    class_hive(hive, "SubClass");
    struct hb *b = hb_new(5, "ROOT");
    uint32_t src = hb_key(b, hb_root(b), "Src");
    hb_class(b, src, "SrcClass");
    hb_value(b, src, "v", 4, "\1\0\0\0", 4);
    uint32_t sub = hb_key(b, src, "Sub");
    hb_class(b, sub, "SubClass");
    hb_key_time(b, sub, 131000000000000000ull);
    uint32_t sdlen;
    const uint8_t *sd = hb_default_sd(&sdlen);
    uint8_t other[256];
    memcpy(other, sd, sdlen);
    other[sdlen - 1] ^= 1;
    hb_key_sd(b, src, other, sdlen);
    write_hive(hive2, b);
    struct run r;
    RUN(&r, "compare", hive, hive2);
    ck_assert_str_eq(r.out, "Result Compared: Identical\n");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "compare", hive, hive2, "--times");
    ck_assert_str_eq(r.out, "< Time: \\Src\\Sub    2020-01-05T08:25:33.3627109Z\n"
                            "> Time: \\Src\\Sub    2016-02-15T08:53:20.0000000Z\n"
                            "Result Compared: Different\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    RUN(&r, "compare", hive, hive2, "--security");
    ck_assert_ptr_nonnull(strstr(r.out, "< Security: \\Src    01"));
    ck_assert_ptr_nonnull(strstr(r.out, "> Security: \\Src    01"));
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    RUN(&r, "compare", hive, hive2, "--times", "--security", "--reg", "--encoding", "utf-8");
    ck_assert_str_eq(r.err, "hivekit: compare: the .reg patch cannot carry the security "
                            "descriptor of [HKEY_LOCAL_MACHINE\\ROOT\\Src]\n"
                            "hivekit: compare: the .reg patch cannot carry the last-write time of "
                            "[HKEY_LOCAL_MACHINE\\ROOT\\Src\\Sub]\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
}
END_TEST

/* ---- item: import refuses a regedit export's root; every error -------- */

#define REG5 "Windows Registry Editor Version 5.00\r\n\r\n"

/* hivekit build REG -o OUT succeeds quietly; hivekit query OUT prints want. */
static void build_then_query(const char *reg, const char *out, const char *want)
{
    struct run r;
    RUN(&r, "build", reg, "-o", out);
    ck_assert_str_eq(r.err, "");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "query", out);
    ck_assert_str_eq(r.out, want);
    run_free(&r);
}

START_TEST(import_refuses_a_predefined_root_without_prefix)
{
    static const struct {
        const char *key, *root, *spelled, *prefix;
    } cases[] = {
        {"HKEY_CURRENT_USER\\Software\\Foo", "HKEY_CURRENT_USER", "HKEY_CURRENT_USER",
         "HKEY_CURRENT_USER"},
        {"hkcu\\Software", "HKEY_CURRENT_USER", "hkcu", "hkcu"},
        {"HKLM\\SOFTWARE\\Foo", "HKEY_LOCAL_MACHINE", "HKLM", "HKLM\\SOFTWARE"},
        {"hKeY_lOcAl_MaChInE\\SYSTEM\\Select", "HKEY_LOCAL_MACHINE", "hKeY_lOcAl_MaChInE",
         "hKeY_lOcAl_MaChInE\\SYSTEM"},
        {"HKU\\S-1-5-21-1\\Software", "HKEY_USERS", "HKU", "HKU\\S-1-5-21-1"},
        {"HKEY_CLASSES_ROOT\\.txt", "HKEY_CLASSES_ROOT", "HKEY_CLASSES_ROOT",
         "HKEY_CLASSES_ROOT"},
        {"HKCC\\System", "HKEY_CURRENT_CONFIG", "HKCC", "HKCC"},
        {"HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE"},
    };
    struct hb *b = hb_new(5, "ROOT");
    write_hive(hive, b);
    size_t len0;
    char *before = slurp(hive, &len0);
    char reg[600];
    snprintf(reg, sizeof reg, "%s/x.reg", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[400], want[2048];
        snprintf(text, sizeof text, REG5 "[%s]\r\n\"a\"=dword:00000001\r\n", cases[i].key);
        spit(reg, text, strlen(text));
        struct run r;
        RUN(&r, "import", hive, reg);
        snprintf(want, sizeof want,
                 "hivekit: %s: its keys start with the predefined root %s ('%s', as regedit "
                 "exports them): imported without --prefix they would land on the hive's root "
                 "key; give the key that is the hive's root, e.g. --prefix '%s'; nothing "
                 "written\n",
                 reg, cases[i].root, cases[i].spelled, cases[i].prefix);
        ck_assert_str_eq(r.err, want);
        ck_assert_str_eq(r.out, "");
        ck_assert_int_eq(r.status, 2);
        run_free(&r);
        size_t len1;
        char *after = slurp(hive, &len1);
        ck_assert_uint_eq(len1, len0);
        ck_assert_mem_eq(after, before, len0);
        free(after);
    }
    /* a first key that is a hive's own maps to the root rightly (regedit's
     * export of all of HKCU; hivekit's export and compare --reg) */
    static const char *const fine[] = {"HKEY_CURRENT_USER", "hklm\\Software", "HKU\\S-1-5-18"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        char text[400];
        snprintf(text, sizeof text, REG5 "[%s]\r\n\"top\"=dword:00000001\r\n", fine[i]);
        spit(reg, text, strlen(text));
        struct run r;
        RUN(&r, "import", hive, reg);
        ck_assert_str_eq(r.err, "");
        ck_assert_int_eq(r.status, 0);
        run_free(&r);
    }
    /* with the --prefix it names, the keys land below the root */
    const char *text = REG5 "[HKLM\\SOFTWARE\\Foo]\r\n\"a\"=dword:00000001\r\n";
    spit(reg, text, strlen(text));
    struct run r;
    RUN(&r, "import", hive, reg, "--prefix", "HKLM\\SOFTWARE");
    ck_assert_str_eq(r.err, "");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "query", hive, "Foo", "-v", "a");
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\ROOT\\Foo\n    a    REG_DWORD    0x1\n\n");
    run_free(&r);
    /* build keeps its default: the first key is the new hive's root */
    char out[600];
    snprintf(out, sizeof out, "%s/built.hive", dir);
    build_then_query(reg, out, "\nHKEY_LOCAL_MACHINE\\Foo\n    a    REG_DWORD    0x1\n\n");
    /* a first key path past 256 bytes (asked for twice) names the root alike */
    char name250[251], longtext[800];
    memset(name250, 'x', 250);
    name250[250] = '\0';
    snprintf(longtext, sizeof longtext, REG5 "[%s\\%s\\Leaf]\r\n\"a\"=dword:00000002\r\n", name250,
             name250);
    spit(reg, longtext, strlen(longtext));
    build_then_query(reg, out, "\nHKEY_LOCAL_MACHINE\\Leaf\n    a    REG_DWORD    0x2\n\n");
    /* a regular file is mapped, not read: an empty one (nothing to map) is
     * read, and refused as a .reg without its header */
    spit(reg, "", 0);
    RUN(&r, "build", reg, "-o", out);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, ":1:1: expected the header"));
    run_free(&r);
    free(before);
}
END_TEST

START_TEST(import_reports_every_error_of_a_file)
{
    struct hb *b = hb_new(5, "ROOT");
    write_hive(hive, b);
    char reg[600];
    snprintf(reg, sizeof reg, "%s/bad.reg", dir);
    const char *text = REG5 "[Foo]\r\n"
                            "\"a\"=dword:123456789\r\n"
                            "\"b\"=hex:01,02,\\\r\n"
                            "  zz,03\r\n"
                            "\"c\"=dword:1\r\n"
                            "foo\r\n"
                            "[Foo\\Bar]\r\n"
                            "\"d\"=qq\r\n"
                            "[Other]\r\n";
    spit(reg, text, strlen(text));
    struct run r;
    RUN(&r, "import", hive, reg);
    char want[4096];
    snprintf(want, sizeof want,
             "hivekit: %s:4:11: a dword has at most 8 hex digits\n"
             "hivekit: %s:6:3: a continued line must start with a hex byte\n"
             "hivekit: %s:8:1: expected '[', '\"' or '@' at the start of a line\n"
             "hivekit: %s:10:5: unknown data (expected \"text\", dword:, hex:, hex(TYPE): or -)\n",
             reg, reg, reg, reg);
    ck_assert_str_eq(r.err, want);
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    /* a good file whose keys leave the prefix: every such key line */
    text = REG5 "[Foo]\r\n[Other]\r\n[Foo\\Sub]\r\n[Third]\r\n";
    spit(reg, text, strlen(text));
    RUN(&r, "import", hive, reg);
    snprintf(want, sizeof want,
             "hivekit: %s:4:2: the key is not under the prefix 'Foo'\n"
             "hivekit: %s:6:2: the key is not under the prefix 'Foo'\n",
             reg, reg);
    ck_assert_str_eq(r.err, want);
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    /* at most 20, then a line saying more follow */
    char big[4096];
    size_t n = (size_t)snprintf(big, sizeof big, REG5 "[Foo]\r\n");
    for (int i = 0; i < 25; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "\"v%d\"=bad\r\n", i);
    spit(reg, big, n);
    RUN(&r, "import", hive, reg);
    size_t lines = 0;
    for (const char *p = r.err; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 21);
    snprintf(want, sizeof want, "hivekit: %s:more errors follow (only the first 20 are shown)\n",
             reg);
    ck_assert_ptr_nonnull(strstr(r.err, want));
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
}
END_TEST

/* ---- item: rename, save, not-found names what ---------------------------- */

START_TEST(rename_a_key)
{
    class_hive(hive, "SubClass");
    struct run r;
    RUN(&r, "rename", hive, "Src\\Sub", "Renamed");
    run_expect_ok(&r);
    char *line = key_line(hive, "Src\\Renamed");
    ck_assert_ptr_nonnull(strstr(line, "\"name\":\"Renamed\""));
    ck_assert_ptr_nonnull(strstr(line, ",\"class\":\"SubClass\"}"));
    free(line);
    size_t len0;
    char *before = slurp(hive, &len0);
    RUN(&r, "rename", hive, "Src\\Renamed", "..\\x");
    ck_assert_str_eq(r.err, "hivekit: ..\\x: a new name is one name: not empty, no '\\'\n");
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    RUN(&r, "rename", hive, "Src", "src2");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "rename", hive, "Nope", "x");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE "hivekit: key 'Nope' not found below the hive's root key\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    struct hb *b = hb_new(5, "ROOT");
    hb_key(b, hb_root(b), "A");
    hb_key(b, hb_root(b), "B");
    write_hive(hive, b);
    free(before);
    before = slurp(hive, &len0);
    RUN(&r, "rename", hive, "A", "b");
    ck_assert_str_eq(r.err, "hivekit: b: a sibling of that name exists; nothing written\n");
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    size_t len1;
    char *after = slurp(hive, &len1);
    ck_assert_uint_eq(len0, len1);
    ck_assert_mem_eq(before, after, len0);
    free(after);
    free(before);
}
END_TEST

START_TEST(save_a_subtree_as_reg_save)
{
    class_hive(hive, "SubClass");
    char out[700];
    snprintf(out, sizeof out, "%s/saved.hive", dir);
    struct run r;
    RUN(&r, "save", hive, "Src", out);
    run_expect_ok(&r);
    /* Src is the new root, with its class, value and subkey */
    RUN(&r, "export", out, "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"type\":\"key\",\"path\":\"\",\"name\":\"Src\","));
    ck_assert_ptr_nonnull(strstr(r.out, ",\"class\":\"SrcClass\"}\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\"path\":\"Sub\",\"name\":\"Sub\","));
    ck_assert_ptr_nonnull(strstr(r.out, ",\"class\":\"SubClass\"}\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\"name\":\"v\",\"reg_type\":4,"));
    run_free(&r);
    size_t len0;
    char *before = slurp(out, &len0);
    RUN(&r, "save", hive, "Src\\Sub", out);
    char want[900];
    snprintf(want, sizeof want,
             "hivekit: %s: the file exists (add -f to replace it); nothing written\n", out);
    ck_assert_str_eq(r.err, want);
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
    size_t len1;
    char *after = slurp(out, &len1);
    ck_assert_uint_eq(len0, len1);
    ck_assert_mem_eq(before, after, len0);
    free(after);
    free(before);
    RUN(&r, "save", hive, "Src\\Sub", out, "-f");
    ck_assert_str_eq(r.out, OK_LINE);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "save", hive, "HKLM\\SOFTWARE\\Src", out, "-f");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE
                     "hivekit: key 'HKLM\\SOFTWARE\\Src' not found below the hive's root key\n"
                     "hivekit: hint: KEY is relative to the hive's root key: leave out "
                     "'HKLM\\SOFTWARE' (HKEY_LOCAL_MACHINE and the key the hive is loaded at)\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    RUN(&r, "query", hive, "hkcu\\Src");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE
                     "hivekit: key 'hkcu\\Src' not found below the hive's root key\n"
                     "hivekit: hint: KEY is relative to the hive's root key: leave out "
                     "'hkcu' (HKEY_CURRENT_USER is the hive's root)\n");
    run_free(&r);
}
END_TEST

/* ---- item: query -f, --times, --format jsonl ----------------------------- */

/* ROOT\App (Title="Hello World" REG_SZ, Count=5 REG_DWORD) with subkeys
 * Hello (Greeting="hello") and Other. */
static void search_hive(const char *path)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t app = hb_key(b, hb_root(b), "App");
    hb_value(b, app, "Title", 1, "H\0e\0l\0l\0o\0 \0W\0o\0r\0l\0d\0\0", 24);
    hb_value(b, app, "Count", 4, "\5\0\0\0", 4);
    uint32_t hello = hb_key(b, app, "Hello");
    hb_value(b, hello, "Greeting", 1, "h\0e\0l\0l\0o\0\0", 12);
    hb_key(b, app, "Other");
    write_hive(path, b);
}

#define APP "HKEY_LOCAL_MACHINE\\ROOT\\App"

START_TEST(query_find_as_reg_query_f)
{
    search_hive(hive);
    struct run r;
    RUN(&r, "query", hive, "App", "-f", "hello");
    ck_assert_str_eq(r.out, "\n" APP "\n"
                            "    Title    REG_SZ    Hello World\n\n"
                            APP "\\Hello\n"
                            "End of search: 2 match(es) found.\n");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "query", hive, "App", "-f", "hello", "-s");
    ck_assert_str_eq(r.out, "\n" APP "\n"
                            "    Title    REG_SZ    Hello World\n\n"
                            APP "\\Hello\n"
                            APP "\\Hello\n"
                            "    Greeting    REG_SZ    hello\n\n"
                            "End of search: 3 match(es) found.\n");
    run_free(&r);
    RUN(&r, "query", hive, "App", "-f", "hello", "-s", "--case-sensitive", "--data");
    ck_assert_str_eq(r.out, "\n" APP "\\Hello\n"
                            "    Greeting    REG_SZ    hello\n\n"
                            "End of search: 1 match(es) found.\n");
    run_free(&r);
    RUN(&r, "query", hive, "App", "-f", "hello", "--keys-only", "--exact");
    ck_assert_str_eq(r.out, "\n" APP "\\Hello\nEnd of search: 1 match(es) found.\n");
    run_free(&r);
    RUN(&r, "query", hive, "App", "-f", "*", "--values-only", "-t", "REG_DWORD");
    ck_assert_str_eq(r.out, "\n" APP "\n    Count    REG_DWORD    0x5\n\n"
                            "End of search: 1 match(es) found.\n");
    run_free(&r);
    RUN(&r, "query", hive, "App", "-f", "c?unt", "--values-only");
    ck_assert_str_eq(r.out, "\n" APP "\n    Count    REG_DWORD    0x5\n\n"
                            "End of search: 1 match(es) found.\n");
    run_free(&r);
    RUN(&r, "query", hive, "App", "-f", "nowhere");
    ck_assert_str_eq(r.out, "\nEnd of search: 0 match(es) found.\n");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE "hivekit: nothing matches 'nowhere' in key 'App'\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    RUN(&r, "query", hive, "App", "--exact");
    ck_assert_int_eq(r.status, 2);
    run_free(&r);
}
END_TEST

START_TEST(query_times_and_jsonl)
{
    search_hive(hive);
    struct run r;
    RUN(&r, "query", hive, "App", "--times");
    ck_assert_str_eq(r.out, "\n" APP "\n"
                            "    (last write 2020-01-05T08:25:33.3627109Z)\n"
                            "    Title    REG_SZ    Hello World\n"
                            "    Count    REG_DWORD    0x5\n\n"
                            APP "\\Hello\n"
                            "    (last write 2020-01-05T08:25:33.3627109Z)\n"
                            APP "\\Other\n"
                            "    (last write 2020-01-05T08:25:33.3627109Z)\n");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    /* jsonl: the key, its values, its subkeys' lines (export's lines) */
    RUN(&r, "query", hive, "App", "--format", "jsonl");
    struct run e;
    RUN(&e, "export", hive, "App", "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(e.status, 0);
    /* export's lines minus Hello's value line */
    char *greeting = strstr(e.out, "{\"type\":\"value\",\"path\":\"App\\\\Hello\"");
    ck_assert_ptr_nonnull(greeting);
    char *end = strchr(greeting, '\n') + 1;
    memmove(greeting, end, strlen(end) + 1);
    ck_assert_str_eq(r.out, e.out);
    run_free(&r);
    run_free(&e);
    RUN(&r, "query", hive, "App", "--format", "jsonl", "-s");
    RUN(&e, "export", hive, "App", "--format", "jsonl");
    ck_assert_str_eq(r.out, e.out);
    run_free(&r);
    run_free(&e);
}
END_TEST

/* ---- item: info says why a hive is dirty, takes --salvage ---------------- */

static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if (p == text || p[-1] == '\n')
            return p[n - 1] == '\n';
    return 0;
}

START_TEST(info_says_bad_checksum_and_takes_salvage)
{
    struct hb *b = hb_new(5, "ROOT");
    hb_key(b, hb_root(b), "A");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hb_put32(img, HB_REGF_CHECKSUM, hb_checksum(img) ^ 1u);
    spit(hive, img, len);
    struct run r;
    RUN(&r, "info", hive, "--no-logs");
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(has_line(r.out, "state:         dirty (sequence 1 = 1, bad checksum)\n"), "%s",
                  r.out);
    run_free(&r);
    /* an all-zero tail after the last bin: no warning */
    hb_fix_checksum(img);
    uint8_t *padded = calloc(1, len + 8192);
    memcpy(padded, img, len);
    spit(hive, padded, len + 8192);
    RUN(&r, "info", hive);
    ck_assert_str_eq(r.err, "");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    /* bins declared past the end of the file: --salvage reads what is there */
    hb_put32(img, HB_REGF_BINS_SIZE, hb_get32(img, HB_REGF_BINS_SIZE) + 4096);
    hb_fix_checksum(img);
    spit(hive, img, len);
    RUN(&r, "info", hive);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "(try --salvage)\n"));
    run_free(&r);
    RUN(&r, "info", hive, "--salvage");
    ck_assert_int_eq(r.status, 0);
    ck_assert(has_line(r.out, "keys:          2\n"));
    ck_assert_ptr_nonnull(strstr(r.err, "hivekit: warning: "));
    ck_assert_ptr_nonnull(strstr(r.err, "runs past the end of the"));
    run_free(&r);
    free(padded);
    free(img);
}
END_TEST

/* ---- item: text outputs escape controls --------------------------------- */

/* ROOT with key "Bad<ESC>[31m<LF>x" holding value "v<CR>" = REG_SZ
 * "a<ESC>]0;t<BEL>b", and key "Sur" + a lone surrogate D800. */
static void hostile_hive(const char *path)
{
    struct hb *b = hb_new(5, "R\x1b[2J");
    uint32_t bad = hb_key(b, hb_root(b), "Bad\x1b[31m\nx");
    hb_value(b, bad, "v\r", 1, "a\0\x1b\0]\0" "0\0;\0t\0\a\0b\0\0\0", 18);
    static const uint16_t sur[] = {'S', 'u', 'r', 0xD800};
    hb_key_raw(b, hb_root(b), sur, 4);
    write_hive(path, b);
}

START_TEST(text_outputs_escape_controls)
{
    hostile_hive(hive);
    struct run r;
    RUN(&r, "query", hive, "-s");
    ck_assert_str_eq(r.out, "\n"
                            "HKEY_LOCAL_MACHINE\\R\\x1b[2J\\Bad\\x1b[31m\\x0ax\n"
                            "    v\\x0d    REG_SZ    a\\x1b]0;t\\x07b\n\n"
                            "HKEY_LOCAL_MACHINE\\R\\x1b[2J\\Sur\\ud800\n\n");
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    RUN(&r, "info", hive);
    ck_assert(has_line(r.out, "root key:      R\\x1b[2J\n"));
    run_free(&r);
    RUN(&r, "timeline", hive, "--format", "csv");
    ck_assert_str_eq(r.out, "last_write_utc,filetime,path\n"
                            "2020-01-05T08:25:33.3627109Z,132226863333627109,\n"
                            "2020-01-05T08:25:33.3627109Z,132226863333627109,Bad\\x1b[31m\\x0ax\n"
                            "2020-01-05T08:25:33.3627109Z,132226863333627109,Sur\\ud800\n");
    run_free(&r);
    RUN(&r, "timeline", hive, "--format", "bodyfile");
    ck_assert_ptr_nonnull(strstr(r.out, "0|\\Bad\\x1b[31m\\x0ax|0|0|0|0|0|0|"));
    for (const char *p = r.out; *p; p++)
        ck_assert_msg(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f), "a control");
    run_free(&r);
    /* compare's list: paths, value names and data escaped alike */
    struct hb *b = hb_new(5, "R\x1b[2J");
    uint32_t bad = hb_key(b, hb_root(b), "Bad\x1b[31m\nx");
    hb_value(b, bad, "v\r", 1, "z\0\0\0", 4);
    write_hive(hive2, b);
    RUN(&r, "compare", hive, hive2);
    ck_assert_str_eq(r.out, "< Value: \\Bad\\x1b[31m\\x0ax    v\\x0d    REG_SZ    a\\x1b]0;t\\x07b\n"
                            "> Value: \\Bad\\x1b[31m\\x0ax    v\\x0d    REG_SZ    z\n"
                            "< Key: \\Sur\\ud800\n"
                            "Result Compared: Different\n");
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cli_tools");
    TCase *t = tcase_create("copy_compare");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, copy_keeps_the_class_of_the_top_key);
    tcase_add_test(t, copy_recursive_keeps_every_class);
    tcase_add_test(t, compare_reports_a_class_difference);
    tcase_add_test(t, compare_reg_says_what_a_patch_cannot_carry);
    tcase_add_test(t, compare_times_and_security_on_request);
    suite_add_tcase(s, t);
    t = tcase_create("import");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, import_refuses_a_predefined_root_without_prefix);
    tcase_add_test(t, import_reports_every_error_of_a_file);
    suite_add_tcase(s, t);
    t = tcase_create("commands");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, rename_a_key);
    tcase_add_test(t, save_a_subtree_as_reg_save);
    tcase_add_test(t, query_find_as_reg_query_f);
    tcase_add_test(t, query_times_and_jsonl);
    tcase_add_test(t, key_operands_follow_reg_exe_path_rules);
    tcase_add_test(t, info_says_bad_checksum_and_takes_salvage);
    tcase_add_test(t, text_outputs_escape_controls);
    suite_add_tcase(s, t);
    return s;
}
