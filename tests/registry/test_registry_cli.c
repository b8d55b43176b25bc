/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry namespace through the CLI: the examples on a fake
 * volume, edits landing in the right file, the file-level commands on
 * mounted hives, and --hive on the corpus SYSTEM. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "corpus.h"
#include "tempdir.h"
#include "volume.h"

Suite *test_suite(void);

static char *vol;

static void setup(void)
{
    vol = vol_make();
}

static void teardown(void)
{
    tempdir_remove(vol);
}

/* hivekit --windows VOL ARGS... */
static void hk(struct run *r, const char *const *args)
{
    const char *argv[32] = {HIVEKIT_BIN, "--windows", vol};
    size_t n = 3;
    for (size_t i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    run_program(r, argv);
}

START_TEST(query_current_control_set_value)
{
    struct run r;
    hk(&r, (const char *[]){"query",
                            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
                            "-v", "ComputerName", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName\n"
                            "    ComputerName    REG_SZ    TESTBOX\n\n");
    run_free(&r);
    /* a missing value: exit 1, as without the namespace */
    hk(&r, (const char *[]){"query", "hklm\\system\\currentcontrolset\\control\\computername\\computername",
                            "-v", "Nope", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
    /* options after the command too; the path keeps its spelling */
    const char *argv[] = {HIVEKIT_BIN, "query", "HKEY_LOCAL_MACHINE\\system\\CurrentControlSet\\Services",
                          "--windows", vol, NULL};
    run_program(&r, argv);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\system\\CurrentControlSet\\Services\\Tcpip\n");
    run_free(&r);
}
END_TEST

START_TEST(query_current_user)
{
    struct run r;
    hk(&r, (const char *[]){"--user", "alice", "query",
                            "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\n"
                            "    AliceApp    REG_SZ    C:\\Users\\alice\\app.exe\n\n");
    run_free(&r);
    hk(&r, (const char *[]){"query", "HKCU\\Software", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "HKCU needs a user chosen; users: systemprofile (S-1-5-18) "
                                        "alice (" SID_ALICE ") Bob (" SID_BOB ")"));
    run_free(&r);
    hk(&r, (const char *[]){"--reg:32", "query", "HKLM\\SOFTWARE\\Vendor", "-v", "Bits", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor\n    Bits    REG_SZ    32\n\n");
    run_free(&r);
    hk(&r, (const char *[]){"--user", SID_ALICE, "query", "HKCR\\.log", "--ve", NULL});
    ck_assert_str_eq(r.out, "\nHKEY_CLASSES_ROOT\\.log\n    (Default)    REG_SZ    alice-log\n\n");
    run_free(&r);
}
END_TEST

START_TEST(query_users_and_list_profiles)
{
    struct run r;
    hk(&r, (const char *[]){"query", "HKU", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "\nHKEY_USERS\\.DEFAULT\nHKEY_USERS\\" SID_ALICE "\nHKEY_USERS\\" SID_ALICE
                            "_Classes\nHKEY_USERS\\" SID_BOB "\n");
    ck_assert_ptr_nonnull(strstr(r.err, "warning: profile " SID_GHOST));
    run_free(&r);
    hk(&r, (const char *[]){"users", NULL});
    ck_assert_int_eq(r.status, 0);
    char want[8192];
    snprintf(want, sizeof want,
             "S-1-5-18\tsystemprofile\t%%systemroot%%\\system32\\config\\systemprofile\t-\t\n"
             SID_ALICE "\talice\tC:\\Users\\alice\t%s/%s %s/%s\t\n"
             SID_BOB "\tBob\t%%SystemDrive%%\\Users\\Bob\t%s/%s\t\n"
             SID_GHOST "\tghost\tC:\\Users\\ghost\t-\t\n",
             vol, VOL_ALICE, vol, VOL_ALICE_CLASSES, vol, VOL_BOB);
    ck_assert_str_eq(r.out, want);
    run_free(&r);
}
END_TEST

START_TEST(expand_strings)
{
    struct run r;
    hk(&r, (const char *[]){"expand", "%SystemRoot%\\System32", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "C:\\WINDOWS\\System32\n");
    run_free(&r);
    hk(&r, (const char *[]){"--user", "alice", "expand", "%TEMP%", "%Nope%", NULL});
    ck_assert_str_eq(r.out, "C:\\Users\\alice\\AppData\\Local\\Temp\n%Nope%\n");
    run_free(&r);
}
END_TEST

START_TEST(add_changes_the_current_set_only)
{
    struct vol_snapshot before;
    vol_snapshot_others(vol, &before);
    struct run r;
    hk(&r, (const char *[]){"add", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\BadDriver", "-v", "Start",
                            "-t", "REG_DWORD", "-d", "4", "-f", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "The operation completed successfully.\n");
    run_free(&r);
    const char *q[] = {HIVEKIT_BIN, "query", vol_path(vol, VOL_SYSTEM), "ControlSet002\\Services\\BadDriver", NULL};
    run_program(&r, q);
    ck_assert_str_eq(r.out, "\nHKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\BadDriver\n"
                            "    Start    REG_DWORD    0x4\n\n");
    run_free(&r);
    char sys[4096];
    snprintf(sys, sizeof sys, "%s", vol_path(vol, VOL_SYSTEM));
    const char *q1[] = {HIVEKIT_BIN, "query", sys, "ControlSet001\\Services\\BadDriver", NULL};
    run_program(&r, q1);
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    const char *chk[] = {HIVEKIT_BIN, "check", sys, NULL};
    run_program(&r, chk);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    vol_others_unchanged(vol, &before);
    /* delete through the namespace, then copy and compare across hives */
    hk(&r, (const char *[]){"delete", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\BadDriver", "-f", NULL});
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    run_program(&r, q);
    ck_assert_int_eq(r.status, 1);
    run_free(&r);
    hk(&r, (const char *[]){"copy", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip",
                            "HKLM\\SOFTWARE\\TcpCopy", "-s", NULL});
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    hk(&r, (const char *[]){"compare", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip",
                            "HKLM\\SOFTWARE\\TcpCopy", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "Result Compared: Identical\n");
    run_free(&r);
    hk(&r, (const char *[]){"compare", "HKLM\\SYSTEM\\CurrentControlSet\\Services",
                            "HKLM\\SYSTEM\\ControlSet001\\Services", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "< Key: HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\n"
                            "> Key: HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Stale\n"
                            "Result Compared: Different\n");
    run_free(&r);
}
END_TEST

START_TEST(import_maps_roots_onto_mounts)
{
    char reg[4096];
    snprintf(reg, sizeof reg, "%s/in.reg", vol);
    FILE *fp = fopen(reg, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("Windows Registry Editor Version 5.00\n\n"
          "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\FromReg]\n\"X\"=dword:00000007\n\n"
          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Imported]\n\"Y\"=\"y\"\n", fp);
    fclose(fp);
    struct run r;
    hk(&r, (const char *[]){"import", reg, NULL});
    ck_assert_msg(r.status == 0, "import: %d %s", r.status, r.err);
    run_free(&r);
    hk(&r, (const char *[]){"export", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\FromReg", "--format",
                            "reg", "--encoding", "utf-8", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "Windows Registry Editor Version 5.00\r\n\r\n"
                            "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\FromReg]\r\n"
                            "\"X\"=dword:00000007\r\n\r\n");
    run_free(&r);
    const char *q[] = {HIVEKIT_BIN, "query", vol_path(vol, VOL_SOFTWARE), "Imported", "-v", "Y", NULL};
    run_program(&r, q);
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    /* Errors before the first key: a line each, as a plain import gives. */
    fp = fopen(reg, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("Windows Registry Editor Version 5.00\n\n\"a\"=dword:1\n\"b\"=dword:2\n"
          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Late]\n", fp);
    fclose(fp);
    hk(&r, (const char *[]){"import", reg, NULL});
    ck_assert_int_eq(r.status, 2);
    char want[8400];
    snprintf(want, sizeof want, "hivekit: %s:3:1: a value line before any key line\n"
             "hivekit: %s:4:1: a value line before any key line\n", reg, reg);
    ck_assert_str_eq(r.err, want);
    run_free(&r);
}
END_TEST

START_TEST(file_commands_take_a_mounted_hive)
{
    struct run r;
    hk(&r, (const char *[]){"info", "HKLM\\SYSTEM", NULL});
    ck_assert_int_eq(r.status, 0);
    char want[4096];
    snprintf(want, sizeof want, "file:          %s/%s\n", vol, VOL_SYSTEM);
    ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
    run_free(&r);
    hk(&r, (const char *[]){"--user", "bob", "check", "HKCU", NULL});
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    hk(&r, (const char *[]){"timeline", "HKU\\" SID_ALICE "_Classes", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Wow6432Node"));
    run_free(&r);
    hk(&r, (const char *[]){"info", "HKLM\\SYSTEM\\Select", NULL});
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "names no mounted hive"));
    run_free(&r);
}
END_TEST

START_TEST(hive_option_on_corpus_system)
{
    char path[4096];
    ck_assert(corpus_have("regipy/SYSTEM.gz", path, sizeof path));
    char spec[4200];
    snprintf(spec, sizeof spec, "HKLM\\SYSTEM=%s", path);
    struct run r;
    const char *argv[] = {HIVEKIT_BIN, "--hive", spec, "query",
                          "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
                          "-v", "ComputerName", NULL};
    run_program(&r, argv);
    ck_assert_int_eq(r.status, 0);
    /* Select\Current of that image is 1: ControlSet001's name */
    const char *direct[] = {HIVEKIT_BIN, "query", path, "ControlSet001\\Control\\ComputerName\\ComputerName",
                            "-v", "ComputerName", NULL};
    struct run d;
    run_program(&d, direct);
    ck_assert_int_eq(d.status, 0);
    const char *line = strstr(d.out, "    ComputerName");
    ck_assert_ptr_nonnull(line);
    ck_assert_ptr_nonnull(strstr(r.out, line));
    run_free(&d);
    run_free(&r);
    const char *sel[] = {HIVEKIT_BIN, "query", path, "Select", "-v", "Current", NULL};
    run_program(&r, sel);
    ck_assert_str_eq(strstr(r.out, "    Current"), "    Current    REG_DWORD    0x1\n\n");
    run_free(&r);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("registry_cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, query_current_control_set_value);
    tcase_add_test(tc, query_current_user);
    tcase_add_test(tc, query_users_and_list_profiles);
    tcase_add_test(tc, expand_strings);
    tcase_add_test(tc, add_changes_the_current_set_only);
    tcase_add_test(tc, import_maps_roots_onto_mounts);
    tcase_add_test(tc, file_commands_take_a_mounted_hive);
    if (corpus_optional()) /* without the corpus the others run and the suite skips */
        tcase_add_test(tc, hive_option_on_corpus_system);
    suite_add_tcase(s, tc);
    return s;
}
