/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs the built hivekit program (HIVEKIT_BIN) on fixtures/sample.hive
 * (SAMPLE_HIVE) and on corpus hives (corpus.h), and checks its standard
 * output, standard error and exit status byte for byte. Tests that need the
 * corpus pass with a note when it is absent.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli_run.h"
#include "files.h"
#include "hive_builder.h"
#include "corpus.h"
#include "tempdir.h"

Suite *test_suite(void);

#ifndef HIVEKIT_BIN
#error "HIVEKIT_BIN must name the built hivekit program"
#endif
#ifndef SAMPLE_HIVE
#error "SAMPLE_HIVE must name the built sample.hive"
#endif

#define APP "HKEY_LOCAL_MACHINE\\SAMPLE\\Software\\Vendor\\App"

/* ---- running the program ---------------------------------------------- */

/* Whether text holds line (given with its '\n') as one whole line. */
static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if (p == text || p[-1] == '\n')
            return p[n - 1] == '\n';
    return 0;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static char *hex_of_big(int upper)
{
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    const char *d = upper ? up : lo;
    char *s = malloc(40001);
    ck_assert_ptr_nonnull(s);
    for (unsigned i = 0; i < 20000; i++) {
        s[2 * i] = d[(i & 0xFF) >> 4];
        s[2 * i + 1] = d[i & 0xF];
    }
    s[40000] = '\0';
    return s;
}

/* ---- info --------------------------------------------------------------- */

START_TEST(info_prints_the_sample_hive_facts)
{
    struct run r;
    RUN(&r, "info", SAMPLE_HIVE);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert(has_line(r.out, "file:          " SAMPLE_HIVE "\n"));
    ck_assert(has_line(r.out, "version:       1.5\n"));
    ck_assert(has_line(r.out, "state:         clean (sequence 1 = 1)\n"));
    ck_assert(has_line(r.out, "root key:      SAMPLE\n"));
    ck_assert(has_line(r.out, "keys:          8\n"));
    ck_assert(has_line(r.out, "values:        15\n"));
    ck_assert(has_line(r.out,
                       "last written:  2020-01-05T08:25:33.3627109Z (FILETIME 132226863333627109)\n"));
    ck_assert(has_line(r.out, "file name:     hive_builder\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\nchecksum:      ok (0x"));
    unsigned long bins_size = 0, file_size = 0, bins = 0;
    const char *p = strstr(r.out, "bins size:     ");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(sscanf(p, "bins size: %lu bytes\nbins: %lu\nfile size: %lu bytes", &bins_size,
                            &bins, &file_size),
                     3);
    ck_assert_uint_eq(file_size, bins_size + 4096);
    ck_assert_uint_ge(bins, 1);
    ck_assert_uint_eq(count_lines(r.out), 12);
    run_free(&r);
}
END_TEST

START_TEST(info_json_is_one_object_with_numbers)
{
    struct run r;
    RUN(&r, "info", "--json", SAMPLE_HIVE);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(count_lines(r.out), 1);
    ck_assert_ptr_eq(strstr(r.out, "{\"file\":\"" SAMPLE_HIVE "\",\"version\":\"1.5\","), r.out);
    static const char *const want[] = {
        "\"major_version\":1,\"minor_version\":5,\"state\":\"clean\"",
        "\"primary_sequence\":1,\"secondary_sequence\":1,\"checksum\":\"ok\"",
        ("\"root_key\":\"SAMPLE\",\"keys\":8,\"values\":15,\"last_written\":132226863333627109,"
         "\"last_written_utc\":\"2020-01-05T08:25:33.3627109Z\""),
        ("\"file_name\":\"hive_builder\",\"dirty_at_open\":false,\"logs_replayed\":0,"
         "\"log_entries\":0,\"logs\":[]}\n"),
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(r.out, want[i]), "missing %s in %s", want[i], r.out);
    run_free(&r);
}
END_TEST

START_TEST(info_counts_every_key_of_a_real_system_hive)
{
    char path[512];
    if (!corpus_have("regipy/SYSTEM.gz", path, sizeof path))
        return;
    struct run r;
    RUN(&r, "info", "--json", path);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\"keys\":30756,\"values\":73456,"));
    run_free(&r);
}
END_TEST

/* A copy of sample.hive with sequence numbers 2 and 1 and the checksum
 * fixed, so that only the sequence numbers make it dirty. */
static void write_dirty_copy(const char *path)
{
    size_t n;
    uint8_t *img = slurp(SAMPLE_HIVE, &n);
    ck_assert_uint_gt(n, 4096);
    hb_put32(img, HB_REGF_SEQ1, 2);
    hb_fix_checksum(img);
    spit(path, img, n);
    free(img);
}

START_TEST(dirty_hive_warns_once_and_goes_on)
{
    char *path = tempfile_new("cli-dirty", "", 0);
    write_dirty_copy(path);
    struct run r;
    RUN(&r, "info", path);
    char want[4400];
    snprintf(want, sizeof want,
             "hivekit: warning: %s is dirty (sequence 2 != 1) and no transaction log was found "
             "beside it; reading the primary as it is\n",
             path);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, want);
    ck_assert(has_line(r.out, "state:         dirty (sequence 2 != 1)\n"));
    run_free(&r);
    RUN(&r, "query", path, "Café", "-v", "Prix");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\SAMPLE\\Café\n    Prix    REG_DWORD    0x2a\n\n");
    run_free(&r);
    unlink(path);
    free(path);
}
END_TEST

/* ---- query -------------------------------------------------------------- */

START_TEST(query_prints_values_then_subkeys)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "Software\\Vendor\\App");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, "\n" APP "\n"
                            "    (Default)    REG_SZ    Sample application\n"
                            "    Name    REG_SZ    hivekit demo\n"
                            "    InstallDir    REG_EXPAND_SZ    %ProgramFiles%\\Vendor\\App\n"
                            "    Plugins    REG_MULTI_SZ    alpha\\0beta\\0gamma\n"
                            "    Version    REG_DWORD    0x10203\n"
                            "    InstallTime    REG_QWORD    0x1d5c3a1b2c3d4e5\n"
                            "    Key    REG_BINARY    DEADBEEF007F\n"
                            "    Marker    REG_NONE    \n"
                            "    Quote\"Back\\slash    REG_SZ    say \"hi\"\n"
                            "\n" APP "\\Cache\n" APP "\\Settings\n");
    run_free(&r);
}
END_TEST

START_TEST(query_of_a_valueless_key_lists_only_subkeys)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\SAMPLE\\Café\n"
                            "HKEY_LOCAL_MACHINE\\SAMPLE\\Software\n"
                            "HKEY_LOCAL_MACHINE\\SAMPLE\\Привет\n");
    run_free(&r);
    RUN(&r, "query", SAMPLE_HIVE, "");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\SAMPLE\\Café\n"
                            "HKEY_LOCAL_MACHINE\\SAMPLE\\Software\n"
                            "HKEY_LOCAL_MACHINE\\SAMPLE\\Привет\n");
    run_free(&r);
}
END_TEST

START_TEST(query_paths_use_stored_names_and_strip_a_leading_backslash)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "\\software\\VENDOR");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\n" APP "\n");
    run_free(&r);
}
END_TEST

START_TEST(query_v_prints_one_value)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "Software\\Vendor\\App", "-v", "Name");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\n" APP "\n    Name    REG_SZ    hivekit demo\n\n");
    run_free(&r);
    RUN(&r, "query", SAMPLE_HIVE, "Привет", "-v", "Ключ");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\SAMPLE\\Привет\n    Ключ    REG_SZ    Значение\n\n");
    run_free(&r);
}
END_TEST

START_TEST(query_ve_prints_the_default_value)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "Software\\Vendor\\App", "--ve");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\n" APP "\n    (Default)    REG_SZ    Sample application\n\n");
    run_free(&r);
    RUN(&r, "query", SAMPLE_HIVE, "Software\\Vendor", "--ve");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE "hivekit: value '(Default)' not found in key 'Software\\Vendor'\n");
    run_free(&r);
}
END_TEST

START_TEST(query_s_prints_the_whole_tree)
{
    char *big = hex_of_big(1);
    size_t cap = 60000;
    char *want = malloc(cap);
    ck_assert_ptr_nonnull(want);
    snprintf(want, cap,
             "\n"
             "HKEY_LOCAL_MACHINE\\SAMPLE\\Software\\Vendor\n\n" APP "\n"
             "    (Default)    REG_SZ    Sample application\n"
             "    Name    REG_SZ    hivekit demo\n"
             "    InstallDir    REG_EXPAND_SZ    %%ProgramFiles%%\\Vendor\\App\n"
             "    Plugins    REG_MULTI_SZ    alpha\\0beta\\0gamma\n"
             "    Version    REG_DWORD    0x10203\n"
             "    InstallTime    REG_QWORD    0x1d5c3a1b2c3d4e5\n"
             "    Key    REG_BINARY    DEADBEEF007F\n"
             "    Marker    REG_NONE    \n"
             "    Quote\"Back\\slash    REG_SZ    say \"hi\"\n"
             "\n" APP "\\Cache\n"
             "    Big    REG_BINARY    %s\n"
             "\n" APP "\\Settings\n"
             "    Enabled    REG_DWORD    0x1\n"
             "    Custom    REG_0x100    0102\n"
             "\n",
             big);
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "Software", "-s");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(r.out_len, strlen(want));
    ck_assert(memcmp(r.out, want, r.out_len) == 0);
    run_free(&r);
    free(want);
    free(big);
}
END_TEST

START_TEST(query_s_v_searches_the_tree)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "-s", "-v", "enabled");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\n" APP "\\Settings\n    enabled    REG_DWORD    0x1\n\n"
                            "End of search: 1 match(es) found.\n");
    run_free(&r);
}
END_TEST

START_TEST(query_prefix_replaces_the_root_path)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "Café", "--prefix", "HKCU\\Demo");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKCU\\Demo\\Café\n"
                            "    Crème    REG_SZ    brûlée\n"
                            "    Prix    REG_DWORD    0x2a\n\n");
    run_free(&r);
}
END_TEST

START_TEST(query_missing_key_or_value_exits_1)
{
    struct run r;
    RUN(&r, "query", SAMPLE_HIVE, "Software\\Nope");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE "hivekit: key 'Software\\Nope' not found below the hive's root key\n");
    run_free(&r);
    RUN(&r, "query", SAMPLE_HIVE, "Software\\Vendor\\App", "-v", "Nope");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE "hivekit: value 'Nope' not found in key 'Software\\Vendor\\App'\n");
    run_free(&r);
}
END_TEST

/* ---- usage and broken input --------------------------------------------- */

static void assert_one_error_line(const struct run *r, const char *prefix)
{
    ck_assert_int_eq(r->status, 2);
    ck_assert_str_eq(r->out, "");
    ck_assert_uint_eq(count_lines(r->err), 1);
    ck_assert_msg(strncmp(r->err, prefix, strlen(prefix)) == 0, "stderr: %s", r->err);
}

START_TEST(usage_errors_exit_2_with_one_line)
{
    struct run r;
    RUN(&r, "query");
    assert_one_error_line(&r, "hivekit: query: missing HIVE");
    run_free(&r);
    RUN(&r, "query", SAMPLE_HIVE, "--bogus");
    assert_one_error_line(&r, "hivekit: query: unknown option '--bogus'");
    run_free(&r);
    RUN(&r, "query", SAMPLE_HIVE, "-v", "A", "--ve");
    assert_one_error_line(&r, "hivekit: query: ");
    run_free(&r);
    RUN(&r, "frobnicate");
    assert_one_error_line(&r, "hivekit: frobnicate: unknown command");
    run_free(&r);
    RUN(&r, "export", SAMPLE_HIVE);
    assert_one_error_line(&r, "hivekit: export: missing --format");
    run_free(&r);
}
END_TEST

START_TEST(help_and_version_exit_0)
{
    struct run r;
    RUN(&r, "--version");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_eq(strstr(r.out, "hivekit "), r.out);
    run_free(&r);
    RUN(&r, "--help");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\n  query "));
    ck_assert_ptr_nonnull(strstr(r.out, "\n  export "));
    run_free(&r);
    RUN(&r, "help", "export");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_eq(strstr(r.out, "usage: hivekit export "), r.out);
    run_free(&r);
}
END_TEST

START_TEST(garbage_file_exits_2_with_a_reason)
{
    static const char junk[] = "this is not a registry hive, just some text\n";
    char *path = tempfile_new("cli-garbage", junk, sizeof junk - 1);
    struct run r;
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "hivekit: %s: ", path);
    RUN(&r, "info", path);
    assert_one_error_line(&r, prefix);
    ck_assert_ptr_nonnull(strstr(r.err, "regf"));
    run_free(&r);
    RUN(&r, "export", path, "--format", "jsonl");
    assert_one_error_line(&r, prefix);
    run_free(&r);
    unlink(path);
    free(path);
    RUN(&r, "query", "/nonexistent/hive");
    assert_one_error_line(&r, "hivekit: /nonexistent/hive: ");
    run_free(&r);
}
END_TEST

START_TEST(corrupt_list_exits_2_naming_the_offset)
{
    char path[512];
    if (!corpus_have("yarp/WrongOrderHive.gz", path, sizeof path))
        return;
    struct run r;
    RUN(&r, "query", path, "-s");
    ck_assert_int_eq(r.status, 2);
    ck_assert_uint_eq(count_lines(r.err), 1);
    ck_assert_ptr_nonnull(strstr(r.err, "corrupt hive at offset 0x"));
    run_free(&r);
}
END_TEST

/* ---- export ------------------------------------------------------------- */

START_TEST(export_writes_known_lines)
{
    struct run r;
    RUN(&r, "export", SAMPLE_HIVE, "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_uint_eq(count_lines(r.out), 23);
    static const char *const want[] = {
        "{\"type\":\"key\",\"path\":\"\",\"name\":\"SAMPLE\",\"last_write\":132226863333627109,"
        "\"last_write_utc\":\"2020-01-05T08:25:33.3627109Z\",\"subkeys\":3,\"values\":0}\n",
        "{\"type\":\"key\",\"path\":\"Software\\\\Vendor\",\"name\":\"Vendor\","
        "\"last_write\":132226863333627109,\"last_write_utc\":\"2020-01-05T08:25:33.3627109Z\","
        "\"subkeys\":1,\"values\":0,\"class\":\"VendorClass\"}\n",
        "{\"type\":\"key\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"App\","
        "\"last_write\":133430250783460959,\"last_write_utc\":\"2023-10-29T03:51:18.3460959Z\","
        "\"subkeys\":2,\"values\":9}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"\",\"reg_type\":1,"
        "\"type_name\":\"REG_SZ\",\"size\":38,\"data_hex\":\"530061006d0070006c006500200061007000"
        "70006c00690063006100740069006f006e000000\",\"data\":\"Sample application\"}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"InstallDir\","
        "\"reg_type\":2,\"type_name\":\"REG_EXPAND_SZ\",\"size\":52,\"data_hex\":\"25005000720"
        "06f006700720061006d00460069006c006500730025005c00560065006e0064006f0072005c004100700070"
        "000000\",\"data\":\"%ProgramFiles%\\\\Vendor\\\\App\"}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"Plugins\",\"reg_type\":7,"
        "\"type_name\":\"REG_MULTI_SZ\",\"size\":36,\"data_hex\":\"61006c0070006800610000006200650074"
        "0061000000670061006d006d00610000000000\",\"data\":[\"alpha\",\"beta\",\"gamma\"]}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"Version\",\"reg_type\":4,"
        "\"type_name\":\"REG_DWORD\",\"size\":4,\"data_hex\":\"03020100\",\"data\":66051}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"InstallTime\","
        "\"reg_type\":11,\"type_name\":\"REG_QWORD\",\"size\":8,\"data_hex\":\"e5d4c3b2a1c3d501\","
        "\"data\":132226863333627109}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"Key\",\"reg_type\":3,"
        "\"type_name\":\"REG_BINARY\",\"size\":6,\"data_hex\":\"deadbeef007f\"}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"Marker\",\"reg_type\":0,"
        "\"type_name\":\"REG_NONE\",\"size\":0,\"data_hex\":\"\"}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\",\"name\":\"Quote\\\"Back\\\\slash\","
        "\"reg_type\":1,\"type_name\":\"REG_SZ\",\"size\":18,"
        "\"data_hex\":\"730061007900200022006800690022000000\",\"data\":\"say \\\"hi\\\"\"}\n",
        "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\\\\Settings\",\"name\":\"Custom\","
        "\"reg_type\":256,\"type_name\":\"REG_0x100\",\"size\":2,\"data_hex\":\"0102\"}\n",
        "{\"type\":\"key\",\"path\":\"Café\",\"name\":\"Café\",\"last_write\":132226863333627109,"
        "\"last_write_utc\":\"2020-01-05T08:25:33.3627109Z\",\"subkeys\":0,\"values\":2}\n",
        "{\"type\":\"value\",\"path\":\"Café\",\"name\":\"Crème\",\"reg_type\":1,\"type_name\":\"REG_SZ\","
        "\"size\":14,\"data_hex\":\"62007200fb006c00e90065000000\",\"data\":\"brûlée\"}\n",
        "{\"type\":\"value\",\"path\":\"Привет\",\"name\":\"Ключ\",\"reg_type\":1,"
        "\"type_name\":\"REG_SZ\",\"size\":18,\"data_hex\":\"17043d043004470435043d04380435040000\","
        "\"data\":\"Значение\"}\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(has_line(r.out, want[i]), "missing line %s", want[i]);
    /* Pre-order: the App key, its values, then Cache and Settings. */
    const char *app = strstr(r.out, "\"name\":\"App\"");
    const char *marker = strstr(r.out, "\"name\":\"Marker\"");
    const char *cache = strstr(r.out, "\"name\":\"Cache\"");
    const char *privet = strstr(r.out, "\"name\":\"Привет\"");
    ck_assert(app && marker && cache && privet);
    ck_assert(app < marker && marker < cache && cache < privet);
    run_free(&r);
}
END_TEST

START_TEST(export_writes_big_data_exactly)
{
    char *hex = hex_of_big(0);
    char *want = malloc(41000);
    ck_assert_ptr_nonnull(want);
    snprintf(want, 41000,
             "{\"type\":\"key\",\"path\":\"Software\\\\Vendor\\\\App\\\\Cache\",\"name\":\"Cache\","
             "\"last_write\":132226863333627109,\"last_write_utc\":\"2020-01-05T08:25:33.3627109Z\","
             "\"subkeys\":0,\"values\":1}\n"
             "{\"type\":\"value\",\"path\":\"Software\\\\Vendor\\\\App\\\\Cache\",\"name\":\"Big\","
             "\"reg_type\":3,\"type_name\":\"REG_BINARY\",\"size\":20000,\"data_hex\":\"%s\"}\n",
             hex);
    struct run r;
    RUN(&r, "export", SAMPLE_HIVE, "\\Software\\Vendor\\App\\Cache", "--format=jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(r.out_len, strlen(want));
    ck_assert(memcmp(r.out, want, r.out_len) == 0);
    run_free(&r);
    free(want);
    free(hex);
}
END_TEST

START_TEST(export_escapes_embedded_nul_names)
{
    char path[512];
    if (!corpus_have("hivex/special.gz", path, sizeof path))
        return;
    struct run r;
    RUN(&r, "export", path, "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert(has_line(r.out, "{\"type\":\"value\",\"path\":\"zero\\u0000key\",\"name\":\"zero\\u0000val\","
                              "\"reg_type\":4,\"type_name\":\"REG_DWORD\",\"size\":4,"
                              "\"data_hex\":\"00000000\",\"data\":0}\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\"path\":\"zero\\u0000key\",\"name\":\"zero\\u0000key\","));
    ck_assert_ptr_nonnull(strstr(r.out, "\"name\":\"symbols $£₤₧€\""));
    run_free(&r);
}
END_TEST

/* A hive whose names hold an unpaired surrogate and control characters. */
static void write_odd_names_hive(const char *path)
{
    struct hb *b = hb_new(5, "ODD");
    static const uint16_t key_units[] = {'a', 0xD800, 'b'};
    uint32_t k = hb_key_raw(b, hb_root(b), key_units, 3);
    static const uint8_t sz[] = {'x', 0, 0x00, 0xDC, 'y', 0, 0, 0}; /* "x\udc00y" */
    hb_value(b, k, "tab\there\x01", 1, sz, sizeof sz);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    spit(path, img, len);
    free(img);
}

START_TEST(export_escapes_surrogates_and_controls)
{
    char *path = tempfile_new("cli-odd", "", 0);
    write_odd_names_hive(path);
    struct run r;
    RUN(&r, "export", path, "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    /* lone surrogates: U+FFFD for strict parsers, the exact units of a
     * name or path beside it (data: in data_hex) */
    ck_assert(has_line(r.out, "{\"type\":\"value\",\"path\":\"a\\ufffdb\","
                              "\"path_utf16_hex\":\"610000d86200\","
                              "\"name\":\"tab\\u0009here\\u0001\",\"reg_type\":1,"
                              "\"type_name\":\"REG_SZ\",\"size\":8,"
                              "\"data_hex\":\"780000dc79000000\",\"data\":\"x\\ufffdy\"}\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "{\"type\":\"key\",\"path\":\"a\\ufffdb\","
                                        "\"path_utf16_hex\":\"610000d86200\","
                                        "\"name\":\"a\\ufffdb\",\"name_utf16_hex\":\"610000d86200\","
                                        "\"last_write\":"));
    run_free(&r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(export_missing_key_exits_1)
{
    struct run r;
    RUN(&r, "export", SAMPLE_HIVE, "Nope", "--format", "jsonl");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, NOT_FOUND_LINE "hivekit: key 'Nope' not found below the hive's root key\n");
    run_free(&r);
}
END_TEST

START_TEST(export_unknown_format_is_a_usage_error)
{
    struct run r;
    RUN(&r, "export", SAMPLE_HIVE, "--format", "xml");
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "hivekit: export: unknown format 'xml' (see 'hivekit help export')\n");
    ck_assert_uint_eq(r.out_len, 0);
    run_free(&r);
}
END_TEST

/* Names in dir other than "." and ".."; returns how many, the first in one. */
static int dir_entries(const char *dir, char *one, size_t cap)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n++ == 0)
            snprintf(one, cap, "%s", e->d_name);
    }
    closedir(d);
    return n;
}

START_TEST(export_o_writes_the_file_and_leaves_no_temporary)
{
    char *dir = tempdir_new("cli-out");
    char *file = path_join(dir, "out.jsonl"), name[256];
    struct run direct, r;
    RUN(&direct, "export", SAMPLE_HIVE, "--format", "jsonl");
    RUN(&r, "export", SAMPLE_HIVE, "--format", "jsonl", "-o", file);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "");
    ck_assert_int_eq(dir_entries(dir, name, sizeof name), 1);
    ck_assert_str_eq(name, "out.jsonl");
    size_t len;
    char *got = slurp(file, &len);
    ck_assert_uint_eq(len, direct.out_len);
    ck_assert(memcmp(got, direct.out, len) == 0);
    free(got);
    run_free(&r);
    run_free(&direct);

    /* A failure leaves neither the target nor a temporary file. */
    unlink(file);
    RUN(&r, "export", SAMPLE_HIVE, "Nope", "--format", "jsonl", "-o", file);
    ck_assert_int_eq(r.status, 1);
    ck_assert_int_eq(dir_entries(dir, name, sizeof name), 0);
    run_free(&r);
    char wrong[512];
    if (corpus_have("yarp/WrongOrderHive.gz", wrong, sizeof wrong)) {
        RUN(&r, "export", wrong, "--format", "jsonl", "-o", file);
        ck_assert_int_eq(r.status, 2);
        ck_assert_uint_eq(count_lines(r.err), 1);
        ck_assert_int_eq(dir_entries(dir, name, sizeof name), 0);
        run_free(&r);
    }
    free(file);
    ck_assert(tempdir_remove(dir));
}
END_TEST

Suite *test_suite(void)
{
    corpus_optional(); /* the corpus tests below pass with a note without it */
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("info");
    tcase_add_test(tc, info_prints_the_sample_hive_facts);
    tcase_add_test(tc, info_json_is_one_object_with_numbers);
    tcase_add_test(tc, info_counts_every_key_of_a_real_system_hive);
    tcase_add_test(tc, dirty_hive_warns_once_and_goes_on);
    suite_add_tcase(s, tc);

    tc = tcase_create("query");
    tcase_add_test(tc, query_prints_values_then_subkeys);
    tcase_add_test(tc, query_of_a_valueless_key_lists_only_subkeys);
    tcase_add_test(tc, query_paths_use_stored_names_and_strip_a_leading_backslash);
    tcase_add_test(tc, query_v_prints_one_value);
    tcase_add_test(tc, query_ve_prints_the_default_value);
    tcase_add_test(tc, query_s_prints_the_whole_tree);
    tcase_add_test(tc, query_s_v_searches_the_tree);
    tcase_add_test(tc, query_prefix_replaces_the_root_path);
    tcase_add_test(tc, query_missing_key_or_value_exits_1);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, usage_errors_exit_2_with_one_line);
    tcase_add_test(tc, help_and_version_exit_0);
    tcase_add_test(tc, garbage_file_exits_2_with_a_reason);
    tcase_add_test(tc, corrupt_list_exits_2_naming_the_offset);
    suite_add_tcase(s, tc);

    tc = tcase_create("export");
    tcase_add_test(tc, export_writes_known_lines);
    tcase_add_test(tc, export_writes_big_data_exactly);
    tcase_add_test(tc, export_escapes_embedded_nul_names);
    tcase_add_test(tc, export_escapes_surrogates_and_controls);
    tcase_add_test(tc, export_missing_key_exits_1);
    tcase_add_test(tc, export_unknown_format_is_a_usage_error);
    tcase_add_test(tc, export_o_writes_the_file_and_leaves_no_temporary);
    suite_add_tcase(s, tc);
    tcase_set_timeout(tc, 60);
    return s;
}
