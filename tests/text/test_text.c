/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text formats end to end, through the built hivekit program
 * (HIVEKIT_BIN): exact export bytes of the fixture hives (FIXTURES_SRC holds
 * the specs, FIXTURES_BUILD the hives meson built from them), reproducible
 * builds, REGEDIT4, JSON, compare and its patches, located errors for
 * malformed files. Trees are compared through libhivex.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text_support.h"
#include "log_corpus.h"
#include "corpus.h"

Suite *test_suite(void);

static const struct fixture {
    const char *name, *prefix;
} fixtures[] = {
    {"user", "HKEY_CURRENT_USER"},
    {"system", "HKEY_LOCAL_MACHINE\\SYSTEM"},
};

/* ---- exact bytes of the fixture hives ---------------------------------- */

START_TEST(fixture_exports_are_their_specs_byte_for_byte)
{
    const struct fixture *f = &fixtures[_i];
    char spec[512], hive[512];
    snprintf(spec, sizeof spec, "%s/%s.reg", FIXTURES_SRC, f->name);
    snprintf(hive, sizeof hive, "%s/%s.hive", FIXTURES_BUILD, f->name);
    const char *out = tmp_path("out.reg");
    assert_ok(HK("export", hive, "--format", "reg", "--encoding", "utf-8", "--prefix", f->prefix,
                 "-o", out));
    ck_assert_msg(same_file(out, spec), "%s export differs from its spec", f->name);

    /* The default encoding: the same text as UTF-16LE with a BOM. */
    size_t len, wlen, got_len;
    char *text = slurp(spec, &len);
    char *want = utf16le_of(text, len, &wlen);
    assert_ok(HK("export", hive, "--format", "reg", "--prefix", f->prefix, "-o", out));
    char *got = slurp(out, &got_len);
    ck_assert_uint_eq(got_len, wlen);
    ck_assert(memcmp(got, want, wlen) == 0);
    free(text);
    free(want);
    free(got);
}
END_TEST

START_TEST(build_is_reproducible_and_follows_source_date_epoch)
{
    const struct fixture *f = &fixtures[_i];
    char spec[512], hive[512];
    snprintf(spec, sizeof spec, "%s/%s.reg", FIXTURES_SRC, f->name);
    snprintf(hive, sizeof hive, "%s/%s.hive", FIXTURES_BUILD, f->name);
    assert_ok(HK("build", spec, "-o", tmp_path("a.hive")));
    assert_ok(HK("build", spec, "-o", tmp_path("b.hive")));
    ck_assert(same_file(tmp_path("a.hive"), tmp_path("b.hive")));
    ck_assert(same_file(tmp_path("a.hive"), hive));
    /* A gzip-compressed spec reads the same. */
    size_t n;
    char *text = slurp(spec, &n);
    lc_write_gz(tmp_path("spec.reg.gz"), text, n);
    free(text);
    assert_ok(HK("build", tmp_path("spec.reg.gz"), "-o", tmp_path("gz.hive")));
    ck_assert(same_file(tmp_path("gz.hive"), hive));
    setenv("SOURCE_DATE_EPOCH", "1600000000", 1);
    assert_ok(HK("build", spec, "-o", tmp_path("c.hive")));
    ck_assert(!same_file(tmp_path("a.hive"), tmp_path("c.hive")));
    assert_same_tree(tmp_path("a.hive"), tmp_path("c.hive"));
}
END_TEST

START_TEST(hive_version_and_root_name_options)
{
    char spec[512];
    snprintf(spec, sizeof spec, "%s/user.reg", FIXTURES_SRC);
    assert_ok(HK("build", spec, "-o", tmp_path("v3.hive"), "--hive-version", "1.3",
                 "--root-name", "NTUSER"));
    size_t len;
    char *d = slurp(tmp_path("v3.hive"), &len);
    ck_assert_uint_ge(len, 4096);
    ck_assert_uint_eq((unsigned char)d[0x18], 3); /* minor version */
    free(d);
    assert_ok(HK_OUT(tmp_path("q.txt"), "query", tmp_path("v3.hive"), "Console", "-v", "FaceName"));
    d = slurp(tmp_path("q.txt"), &len);
    ck_assert_str_eq(d, "\nHKEY_LOCAL_MACHINE\\NTUSER\\Console\n"
                        "    FaceName    REG_SZ    Consolas\n\n");
    free(d);
}
END_TEST

START_TEST(reg4_is_ansi_and_round_trips)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/user.hive", FIXTURES_BUILD);
    const char *out = tmp_path("u4.reg");
    assert_ok(HK("export", hive, "--format", "reg4", "--prefix", "HKEY_CURRENT_USER", "-o", out));
    size_t len;
    char *d = slurp(out, &len);
    ck_assert(strncmp(d, "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER]\r\n", 33) == 0);
    /* hex(2) holds ANSI bytes (no 00 after each character), NUL-ended. */
    ck_assert_ptr_nonnull(strstr(d, "\r\n\"TEMP\"=hex(2):25,55,53,45,52,50,52,4f,46,49,4c,45,25,5c,41,"
                                    "70,70,44,61,74,61,\\\r\n  5c,4c,6f,63,61,6c,5c,54,65,6d,70,00\r\n"));
    ck_assert_ptr_nonnull(strstr(d, "\"Plugins\"=hex(7):61,6c,70,68,61,00,62,65,74,61,00,67,61,6d,"
                                    "6d,61,00,00\r\n"));
    free(d);
    assert_ok(HK("build", out, "-o", tmp_path("u4.hive")));
    assert_same_tree(hive, tmp_path("u4.hive"));
}
END_TEST

START_TEST(reg4_refuses_what_ansi_cannot_hold)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/system.hive", FIXTURES_BUILD);
    ck_assert_int_eq(HK("export", hive, "--format", "reg4", "-o", tmp_path("s4.reg")), 2);
    char *e = last_stderr();
    char want[1024];
    snprintf(want, sizeof want,
             "hivekit: %s: key 'HKEY_LOCAL_MACHINE\\SYSTEM\\Unusual Names\\Caf\xc3\xa9 \xc3\xbcn\xc3\xaf"
             "c\xc3\xb6" "d\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e' has a name a REGEDIT4 key "
             "line cannot carry\n",
             hive);
    ck_assert_str_eq(e, want);
    free(e);
    ck_assert_int_eq(access(tmp_path("s4.reg"), F_OK), -1); /* nothing left behind */
}
END_TEST

START_TEST(json_has_exact_hex_and_decoded_data)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/system.hive", FIXTURES_BUILD);
    const char *out = tmp_path("s.json");
    assert_ok(HK("export", hive, "ValueTypes", "--format", "json", "-o", out));
    size_t len;
    char *d = slurp(out, &len);
    static const char head[] =
        "{\"hivekit_json\":1,\"root\":\n{\"type\":\"key\",\"name\":\"ValueTypes\",\"last_write\":"
        "133444736000000000,\"last_write_utc\":\"2023-11-14T22:13:20.0000000Z\","
        "\"values\":[\n {\"type\":\"value\",\"name\":\"\",\"reg_type\":1,";
    ck_assert(strncmp(d, head, sizeof head - 1) == 0);
    static const char *const want[] = {
        "{\"type\":\"value\",\"name\":\"dword\",\"reg_type\":4,\"type_name\":\"REG_DWORD\",\"size\":4,\"data_hex\":\"efbeadde\","
        "\"data\":3735928559}",
        "{\"type\":\"value\",\"name\":\"dword_short\",\"reg_type\":4,\"type_name\":\"REG_DWORD\",\"size\":2,\"data_hex\":\"0102\"}",
        "{\"type\":\"value\",\"name\":\"dword_be\",\"reg_type\":5,\"type_name\":\"REG_DWORD_BIG_ENDIAN\",\"size\":4,"
        "\"data_hex\":\"12345678\",\"data\":305419896}",
        "{\"type\":\"value\",\"name\":\"sz_after_nul\",\"reg_type\":1,\"type_name\":\"REG_SZ\",\"size\":12,"
        "\"data_hex\":\"610000006a0075006e006b00\",\"data\":\"a\"}",
        "{\"type\":\"value\",\"name\":\"sz_lone_surrogate\",\"reg_type\":1,\"type_name\":\"REG_SZ\",\"size\":6,"
        "\"data_hex\":\"00d841000000\",\"data\":\"\\ufffdA\"}",
        "{\"type\":\"value\",\"name\":\"multi_sz\",\"reg_type\":7,\"type_name\":\"REG_MULTI_SZ\",\"size\":30,"
        "\"data_hex\":\"6f006e0065000000740077006f000000000066006f007500720000000000\","
        "\"data\":[\"one\",\"two\",\"\",\"four\"]}",
        "{\"type\":\"value\",\"name\":\"qword\",\"reg_type\":11,\"type_name\":\"REG_QWORD\",\"size\":8,"
        "\"data_hex\":\"0102030405060708\",\"data\":578437695752307201}",
        "{\"type\":\"value\",\"name\":\"type_ffff0000\",\"reg_type\":4294901760,\"size\":2,\"data_hex\":\"bbcc\"}",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(d, want[i]) != NULL, "missing %s", want[i]);
    ck_assert(strcmp(d + len - 5, "[]}}\n") == 0);
    free(d);
}
END_TEST

/* ---- compare ---------------------------------------------------------- */

static const char edits[] =
    "Windows Registry Editor Version 5.00\r\n"
    "\r\n"
    "[HKEY_CURRENT_USER\\Software\\Vendor\\App]\r\n"
    "\"Version\"=dword:00010204\r\n"
    "\"InstallTime\"=-\r\n"
    "\"New\"=hex(7):61,00,00,00,00,00\r\n"
    "\r\n"
    "[-HKEY_CURRENT_USER\\Environment]\r\n"
    "\r\n"
    "[HKEY_CURRENT_USER\\Added\\Deeper]\r\n"
    "@=\"x\"\r\n";

START_TEST(compare_lists_differences_and_its_patch_turns_a_into_b)
{
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    const char *a = tmp_path("a.hive"), *b = tmp_path("b.hive");
    copy_file(user, a);
    copy_file(user, b);
    spit(tmp_path("edits.reg"), edits, sizeof edits - 1);
    assert_ok(HK("import", b, tmp_path("edits.reg"), "--prefix", "HKEY_CURRENT_USER"));

    ck_assert_int_eq(HK("compare", a, a), 0);
    size_t len;
    char *d = slurp(out_path, &len);
    ck_assert_str_eq(d, "Result Compared: Identical\n");
    free(d);

    ck_assert_int_eq(HK("compare", a, b), 1);
    d = slurp(out_path, &len);
    ck_assert_str_eq(d, "< Key: \\Environment\n"
                        "< Value: \\Software\\Vendor\\App    Version    REG_DWORD    0x10203\n"
                        "> Value: \\Software\\Vendor\\App    Version    REG_DWORD    0x10204\n"
                        "< Value: \\Software\\Vendor\\App    InstallTime    REG_QWORD    "
                        "0x1d5c3a1b2c3d4e5\n"
                        "> Value: \\Software\\Vendor\\App    New    REG_MULTI_SZ    a\n"
                        "> Key: \\Added\n"
                        "Result Compared: Different\n");
    free(d);

    ck_assert_int_eq(HK("compare", a, b, "--reg", "--encoding", "utf-8", "--prefix",
                        "HKEY_CURRENT_USER"), 1);
    copy_file(out_path, tmp_path("patch.reg"));
    d = slurp(tmp_path("patch.reg"), &len);
    ck_assert_str_eq(d, "Windows Registry Editor Version 5.00\r\n"
                        "\r\n[HKEY_CURRENT_USER]\r\n"
                        "\r\n[-HKEY_CURRENT_USER\\Environment]\r\n"
                        "\r\n[HKEY_CURRENT_USER\\Software\\Vendor\\App]\r\n"
                        "\"Version\"=dword:00010204\r\n"
                        "\"InstallTime\"=-\r\n"
                        "\"New\"=hex(7):61,00,00,00,00,00\r\n"
                        "\r\n[HKEY_CURRENT_USER\\Added]\r\n"
                        "\r\n[HKEY_CURRENT_USER\\Added\\Deeper]\r\n"
                        "@=\"x\"\r\n"
                        "\r\n");
    free(d);
    assert_ok(HK("import", a, tmp_path("patch.reg")));
    ck_assert_int_eq(HK("compare", a, b), 0);
    assert_same_tree(a, b);
}
END_TEST

START_TEST(compare_patch_of_two_corpus_hives)
{
    /* NTUSER-WSL and NTUSER: different trees; the patch makes one the other. */
    const char *a = tmp_path("a.hive"), *b = tmp_path("b.hive");
    lc_inflate_to(corpus_file("regipy/NTUSER-WSL.DAT.gz"), a);
    lc_inflate_to(corpus_file("regipy/NTUSER.DAT.gz"), b);
    ck_assert_int_eq(HK("compare", a, b, "--reg"), 1);
    char *patch_err = last_stderr();
    copy_file(out_path, tmp_path("patch.reg"));
    assert_ok(HK("import", a, tmp_path("patch.reg")));
    /* what is left is what a .reg file cannot carry: class names, each
     * named on stderr when the patch was made */
    ck_assert_int_eq(HK("compare", a, b), 1);
    size_t len;
    char *d = slurp(out_path, &len);
    size_t classes = 0;
    for (char *line = d; *line;) {
        char *nl = strchr(line, '\n');
        ck_assert_ptr_nonnull(nl);
        *nl = '\0';
        if (strcmp(line, "Result Compared: Different") != 0) {
            ck_assert_msg(strncmp(line, "< Class: \\", 10) == 0 ||
                              strncmp(line, "> Class: \\", 10) == 0, "%s", line);
            classes++;
        }
        line = nl + 1;
    }
    ck_assert_uint_gt(classes, 0);
    ck_assert_ptr_nonnull(strstr(patch_err, "hivekit: compare: the .reg patch cannot carry the "
                                            "class name of [HKEY_LOCAL_MACHINE\\ROOT\\Network\\p]\n"));
    free(d);
    free(patch_err);
    assert_tree_eq(a, b, 1);
}
END_TEST

/* ---- malformed files --------------------------------------------------- */

#define V5 "Windows Registry Editor Version 5.00\r\n\r\n"
#define KEY "[HKEY_CURRENT_USER\\Software]\r\n"
#define N16 "nnnnnnnnnnnnnnnn"
#define N256 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16

static const struct bad {
    const char *text;
    const char *error; /* after "FILE:" (each line of it) */
} bad_files[] = {
    {"REGEDIT5\r\n", "1:1: expected the header 'Windows Registry Editor Version 5.00' or "
                     "'REGEDIT4' on the first line"},
    {"\r\n" V5, "1:1: expected the header 'Windows Registry Editor Version 5.00' or 'REGEDIT4' "
                "on the first line"},
    {V5 "[HKEY_CURRENT_USER\\A\r\n", "3:1: the key line has no closing ']'"},
    {V5 "[ HKEY_CURRENT_USER]\r\n", "3:2: a blank after '[' (write the key path right after it)"},
    {V5 "[HKEY_CURRENT_USER\\\\A]\r\n", "3:20: an empty key name in the path (two '\\' or one at an end)"},
    {V5 "\"x\"=dword:1\r\n", "3:1: a value line before any key line"},
    /* Two errors: a line each, each after "hivekit: FILE:". */
    {V5 "\"x\"=dword:1\r\n\"y\"=dword:2\r\n[HKEY_CURRENT_USER\\A]\r\n",
     "3:1: a value line before any key line\n4:1: a value line before any key line"},
    {V5 KEY "\"x\"=dword:123456789\r\n", "4:11: a dword has at most 8 hex digits"},
    {V5 KEY "\"x\"=dword:\r\n", "4:11: a dword needs 1 to 8 hex digits"},
    {V5 KEY "\"x\"=hex:01,02,\r\n", "4:15: a ',' not followed by a hex byte (or by '\\' to continue)"},
    {V5 KEY "\"x\"=hex:01,023\r\n", "4:14: a hex byte has at most two digits"},
    {V5 KEY "\"x\"=hex(2):41,\\\r\n,42\r\n", "5:1: a continued line must start with a hex byte"},
    {V5 KEY "\"x\"=hex(2):41,\\\r\n# c\r\n  42\r\n", "5:1: a '#' comment inside continued hex data"},
    {V5 KEY "\"x\"=hex:41,\\\r\n", "4:13: the file ends inside continued hex data"},
    {V5 KEY "\"x\"=hex(z):00\r\n", "4:9: expected hex(TYPE): with TYPE in hex"},
    {V5 KEY "\"x\"=\"abc\r\n", "4:5: the string has no closing '\"'"},
    {V5 KEY "\"x\"=\"a\" #c\r\n", "4:9: a '#' comment after data (only ';' may follow data)"},
    {V5 KEY "\"x\"=\"a\" b\r\n", "4:9: unexpected text after the data"},
    {V5 KEY "\"x\\q\"=\"1\"\r\n", "4:3: unknown escape in the value name (use \\\\ \\\" \\r or \\n)"},
    {V5 KEY "\"x\"=qword:1\r\n", "4:5: unknown data (expected \"text\", dword:, hex:, hex(TYPE): or -)"},
    {V5 KEY "\"x\" dword:1\r\n", "4:5: expected '=' after the value name"},
    {V5 KEY "x=1\r\n", "4:1: expected '[', '\"' or '@' at the start of a line"},
    {V5 KEY "\"x\"=\"\xff\"\r\n", "4:6: invalid UTF-8 (byte 0xFF)"},
    {V5 "[-HKEY_CURRENT_USER\\Gone]\r\n\"x\"=\"1\"\r\n",
     "4:1: a value line under a key deletion ([-...])"},
    {V5 KEY "\"ok\"=dword:1\r\n\r\n[HKEY_LOCAL_MACHINE\\Other]\r\n",
     "6:2: the key is not under the prefix 'HKEY_CURRENT_USER\\Software'"},
    {V5 "[-HKEY_CURRENT_USER]\r\n", "3:3: deleting the key the prefix maps to (the root) is refused"},
    /* Found only while applying (after the first key was set up in memory):
     * the file is still not written. */
    {V5 "[HKEY_CURRENT_USER]\r\n\"a\"=dword:1\r\n[HKEY_CURRENT_USER\\" N256 "]\r\n",
     "5:2: invalid parameter: key name of 256 characters (at most 255)"},
};
#define N_BAD (int)(sizeof bad_files / sizeof bad_files[0])

/* build reg gives the error want (and status 2) and writes nothing. */
static void build_refuses(const char *reg, const char *want)
{
    const char *out = tmp_path("built.hive");
    remove(out);
    ck_assert_int_eq(HK("build", reg, "-o", out), 2);
    char *e = last_stderr();
    ck_assert_str_eq(e, want);
    free(e);
    FILE *f = fopen(out, "rb");
    ck_assert_ptr_null(f);
}

START_TEST(malformed_files_give_located_errors_and_change_nothing)
{
    const struct bad *b = &bad_files[_i];
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    const char *hive = tmp_path("u.hive"), *reg = tmp_path("bad.reg");
    copy_file(user, hive);
    spit(reg, b->text, strlen(b->text));
    ck_assert_int_eq(HK("import", hive, reg), 2);
    char *e = last_stderr();
    char want[2048];
    size_t n = 0;
    for (const char *line = b->error; *line;) {
        size_t len = strcspn(line, "\n");
        n += (size_t)snprintf(want + n, sizeof want - n, "hivekit: %s:%.*s\n", reg, (int)len,
                              line);
        ck_assert_uint_lt(n, sizeof want);
        line += len + (line[len] == '\n');
    }
    ck_assert_str_eq(e, want);
    free(e);
    ck_assert(same_file(hive, user));
    /* build, which asks for the first key before it imports, the same */
    build_refuses(reg, want);

    /* The same file as UTF-16LE with a BOM: the same place. */
    size_t wlen;
    if (!strchr(b->text, '\xff')) {
        char *w = utf16le_of(b->text, strlen(b->text), &wlen);
        spit(reg, w, wlen);
        free(w);
        ck_assert_int_eq(HK("import", hive, reg), 2);
        e = last_stderr();
        ck_assert_str_eq(e, want);
        free(e);
        ck_assert(same_file(hive, user));
        build_refuses(reg, want);
    }
}
END_TEST

START_TEST(import_reads_utf16be_utf8_bom_regedit4_comments_and_continuations)
{
    static const char body[] =
        "[HKEY_CURRENT_USER\\T]\r\n"
        "; a comment\r\n"
        "  # another\r\n"
        "\"s\" = \"a\\\\b\\\"c\" ; trailing comment\r\n"
        "\"h\"=hex(2):41,00,\\ ; continued\r\n"
        "\r\n"
        "  ; skipped inside\r\n"
        "  42,00,00,00\r\n"
        "@=dword:2a\r\n"
        "\"\"=\"default again\"\r\n"
        "\"e\"=hex(0):\r\n"
        "\"gone\"=dword:1\r\n"
        "\"gone\"=-\r\n"
        "[HKEY_CURRENT_USER\\T\\Sub]";
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    for (int form = 0; form < 3; form++) {
        const char *hive = tmp_path("u.hive"), *reg = tmp_path("in.reg");
        copy_file(user, hive);
        char text[2048];
        snprintf(text, sizeof text, "%s%s%s", form == 1 ? "\xef\xbb\xbf" : "",
                 form == 2 ? "REGEDIT4\r\n\r\n" : V5, body);
        size_t n = strlen(text);
        if (form == 0) { /* UTF-16BE with BOM */
            size_t wlen;
            char *w = utf16le_of(text, n, &wlen);
            for (size_t i = 0; i < wlen; i += 2) {
                char t = w[i];
                w[i] = w[i + 1];
                w[i + 1] = t;
            }
            spit(reg, w, wlen);
            free(w);
        } else {
            spit(reg, text, n);
        }
        assert_ok(HK("import", hive, reg, "--prefix", "HKEY_CURRENT_USER"));
        assert_ok(HK_OUT(tmp_path("t.reg"), "export", hive, "T", "--format", "reg", "--encoding",
                         "utf-8", "--prefix", "P"));
        size_t len;
        char *d = slurp(tmp_path("t.reg"), &len);
        /* REGEDIT4 hex(2) bytes are ANSI: "A,NUL,B,NUL..." widen each byte. */
        ck_assert_str_eq(d, form == 2
                                ? "Windows Registry Editor Version 5.00\r\n\r\n[P\\T]\r\n"
                                  "\"s\"=\"a\\\\b\\\"c\"\r\n"
                                  "\"h\"=hex(2):41,00,00,00,42,00,00,00,00,00,00,00\r\n"
                                  "@=\"default again\"\r\n\"e\"=hex(0):\r\n\r\n[P\\T\\Sub]\r\n\r\n"
                                : "Windows Registry Editor Version 5.00\r\n\r\n[P\\T]\r\n"
                                  "\"s\"=\"a\\\\b\\\"c\"\r\n"
                                  "\"h\"=hex(2):41,00,42,00,00,00\r\n"
                                  "@=\"default again\"\r\n\"e\"=hex(0):\r\n\r\n[P\\T\\Sub]\r\n\r\n");
        free(d);
    }
}
END_TEST

START_TEST(usage_errors_are_reported)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/user.hive", FIXTURES_BUILD);
    static const struct {
        const char *a, *b, *c, *d, *want;
    } cases[] = {
        {"--format", "json", "--encoding", "utf-8",
         "hivekit: export: --encoding applies to --format reg only (see 'hivekit help export')\n"},
        {"--format", "reg", "--encoding", "latin1",
         "hivekit: export: unknown encoding 'latin1' (utf-16le or utf-8) (see 'hivekit help export')\n"},
        {"--format", "jsonl", "--prefix", "P",
         "hivekit: export: --prefix applies to the reg formats only (see 'hivekit help export')\n"},
        {"--format", "reg", "--prefix", "",
         "hivekit: export: --prefix must not be empty (see 'hivekit help export')\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(HK("export", hive, cases[i].a, cases[i].b, cases[i].c, cases[i].d), 2);
        char *e = last_stderr();
        ck_assert_str_eq(e, cases[i].want);
        free(e);
    }
    /* A failing output: exit 2 and nothing claims success. */
    if (access("/dev/full", W_OK) == 0) {
        ck_assert_int_eq(HK("export", hive, "--format", "reg", "-o", "/dev/full"), 2);
        char *full = last_stderr();
        char want[700];
        snprintf(want, sizeof want, "hivekit: %s: the output refused ", hive);
        ck_assert_msg(strncmp(full, want, strlen(want)) == 0, "got %s", full);
        free(full);
    }
    ck_assert_int_eq(HK("build", hive), 2);
    char *e = last_stderr();
    ck_assert_str_eq(e, "hivekit: build: missing -o HIVE (see 'hivekit help build')\n");
    free(e);
    ck_assert_int_eq(HK("compare", hive), 2);
    e = last_stderr();
    ck_assert_str_eq(e, "hivekit: compare: missing B (see 'hivekit help compare')\n");
    free(e);
    ck_assert_int_eq(HK("import", hive), 2);
    e = last_stderr();
    ck_assert_str_eq(e, "hivekit: import: missing FILE (see 'hivekit help import')\n");
    free(e);
}
END_TEST

START_TEST(import_prefix_matches_case_insensitively)
{
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    const char *hive = tmp_path("u.hive");
    copy_file(user, hive);
    static const char text[] = V5 "[HKEY_CURRENT_USER\\CONSOLE]\r\n\"FaceName\"=\"Lucida\"\r\n";
    spit(tmp_path("p.reg"), text, sizeof text - 1);
    assert_ok(HK("import", hive, tmp_path("p.reg"), "--prefix", "hkey_current_user\\"));
    assert_ok(HK_OUT(tmp_path("q.txt"), "query", hive, "Console", "-v", "FaceName"));
    size_t len;
    char *d = slurp(tmp_path("q.txt"), &len);
    ck_assert_str_eq(d, "\nHKEY_LOCAL_MACHINE\\ROOT\\Console\n    FaceName    REG_SZ    Lucida\n\n");
    free(d);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("fixtures");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, fixture_exports_are_their_specs_byte_for_byte, 0, 2);
    tcase_add_loop_test(tc, build_is_reproducible_and_follows_source_date_epoch, 0, 2);
    tcase_add_test(tc, hive_version_and_root_name_options);
    tcase_add_test(tc, reg4_is_ansi_and_round_trips);
    tcase_add_test(tc, reg4_refuses_what_ansi_cannot_hold);
    tcase_add_test(tc, json_has_exact_hex_and_decoded_data);
    suite_add_tcase(s, tc);

    tc = tcase_create("compare");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, compare_lists_differences_and_its_patch_turns_a_into_b);
    if (corpus_optional())
        tcase_add_test(tc, compare_patch_of_two_corpus_hives);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, malformed_files_give_located_errors_and_change_nothing, 0, N_BAD);
    tcase_add_test(tc, import_reads_utf16be_utf8_bom_regedit4_comments_and_continuations);
    tcase_add_test(tc, usage_errors_are_reported);
    tcase_add_test(tc, import_prefix_matches_case_insensitively);
    suite_add_tcase(s, tc);
    return s;
}
