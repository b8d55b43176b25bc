/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry namespace through the API: a fake Windows volume (mixed-case
 * names, two users, a missing profile, links, WOW6432Node, classes in both
 * hives) and every rule of issue 13 on it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hivekit.h"
#include "tempdir.h"
#include "volume.h"

Suite *test_suite(void);

static char *vol;
static char warnings[4096];

static void on_warn(const char *msg, void *ctx)
{
    (void)ctx;
    strncat(warnings, msg, sizeof warnings - strlen(warnings) - 2);
    strcat(warnings, "\n");
}

static void setup(void)
{
    vol = vol_make();
    warnings[0] = '\0';
}

static void teardown(void)
{
    tempdir_remove(vol);
}

static hk_registry *connect_as(const char *user, uint32_t flags)
{
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.user = user;
    o.flags = flags;
    o.warn = on_warn;
    hk_registry *reg;
    hk_status st = hk_registry_connect(vol, &o, &reg);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "connect: %u %s", st, hk_errmsg());
    return reg;
}

/* hkey\path opened, or NULL with *st set. */
static hk_key *open_at(hk_registry *reg, uint32_t hkey, const char *path, uint32_t options,
                       uint32_t access, hk_status *st)
{
    hk_key *root, *k = NULL;
    *st = hk_registry_open_predefined(reg, hkey, access, &root);
    if (*st != HK_ERROR_SUCCESS)
        return NULL;
    *st = hk_open_key(root, path, options, access | HK_KEY_READ, &k);
    hk_close_key(root);
    return *st == HK_ERROR_SUCCESS ? k : NULL;
}

/* A string value of hkey\path, or "<status>" when it cannot be read. */
static const char *sval(hk_registry *reg, uint32_t hkey, const char *path, const char *name,
                        uint32_t access)
{
    static char out[1024];
    hk_status st;
    hk_key *k = open_at(reg, hkey, path, 0, access, &st);
    if (!k) {
        snprintf(out, sizeof out, "<%u>", st);
        return out;
    }
    unsigned char raw[2048];
    size_t n = sizeof raw, on = sizeof out;
    uint32_t type;
    st = hk_query_value_ex(k, name, &type, raw, &n);
    if (st == HK_ERROR_SUCCESS)
        st = hk_decode_string(raw, n, out, &on);
    if (st != HK_ERROR_SUCCESS)
        snprintf(out, sizeof out, "<%u>", st);
    hk_close_key(k);
    return out;
}

/* The subkey names of key, comma-separated. */
static const char *names(hk_key *key)
{
    static char out[4096];
    out[0] = '\0';
    for (uint32_t i = 0;; i++) {
        char name[256];
        size_t n = sizeof name;
        hk_status st = hk_enum_key(key, i, name, &n);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            break;
        ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
        if (i)
            strcat(out, ",");
        strcat(out, name);
    }
    return out;
}

static const char *names_at(hk_registry *reg, uint32_t hkey, const char *path, uint32_t access)
{
    hk_status st;
    hk_key *k = open_at(reg, hkey, path, 0, access, &st);
    ck_assert_msg(k != NULL, "%s: %u", path, st);
    const char *n = names(k);
    hk_close_key(k);
    return n;
}

START_TEST(mounts_of_a_volume)
{
    hk_registry *reg = connect_as(NULL, 0);
    ck_assert_str_eq(names_at(reg, HK_HKEY_LOCAL_MACHINE, "", 0), "SOFTWARE,SYSTEM");
    ck_assert_str_eq(names_at(reg, HK_HKEY_USERS, "", 0),
                     ".DEFAULT," SID_ALICE "," SID_ALICE "_Classes," SID_BOB);
    ck_assert_str_eq(sval(reg, HK_HKEY_USERS, ".DEFAULT\\Control Panel\\International",
                          "sCountry", 0), "Testland");
    /* the missing profile and the absent SAM and SECURITY, warned about */
    ck_assert_ptr_nonnull(strstr(warnings, "profile " SID_GHOST " (C:\\Users\\ghost): its folder not found, skipped"));
    ck_assert_ptr_nonnull(strstr(warnings, "no SAM hive"));
    ck_assert_ptr_nonnull(strstr(warnings, "no SECURITY hive"));
    hk_registry_user u = HK_REGISTRY_USER_INIT;
    ck_assert_uint_eq(hk_registry_user_at(reg, 0, &u), HK_ERROR_SUCCESS);
    ck_assert_str_eq(u.sid, "S-1-5-18");
    ck_assert_int_eq(u.ntuser_found, 0);
    ck_assert_uint_eq(hk_registry_user_at(reg, 1, &u), HK_ERROR_SUCCESS);
    ck_assert_str_eq(u.sid, SID_ALICE);
    ck_assert_str_eq(u.name, "alice");
    ck_assert_str_eq(u.profile_path, "C:\\Users\\alice");
    ck_assert_int_eq(u.ntuser_found, 1);
    ck_assert_int_eq(u.usrclass_found, 1);
    ck_assert_uint_eq(hk_registry_user_at(reg, 2, &u), HK_ERROR_SUCCESS);
    ck_assert_str_eq(u.name, "Bob");
    ck_assert_int_eq(u.usrclass_found, 0);
    ck_assert_uint_eq(hk_registry_user_at(reg, 3, &u), HK_ERROR_SUCCESS);
    ck_assert_str_eq(u.sid, SID_GHOST);
    ck_assert_int_eq(u.ntuser_found, 0);
    ck_assert_uint_eq(hk_registry_user_at(reg, 4, &u), HK_ERROR_NO_MORE_ITEMS);
    ck_assert_uint_eq(hk_registry_close(reg), HK_ERROR_SUCCESS);
}
END_TEST

START_TEST(windows_folder_and_missing_hives)
{
    char win[4096];
    snprintf(win, sizeof win, "%s/WINDOWS", vol);
    hk_registry *reg;
    ck_assert_uint_eq(hk_registry_connect(win, NULL, &reg), HK_ERROR_SUCCESS);
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Vendor", "Bits", 0), "64");
    ck_assert_str_eq(names_at(reg, HK_HKEY_USERS, "", 0),
                     ".DEFAULT," SID_ALICE "," SID_ALICE "_Classes," SID_BOB);
    hk_registry_close(reg);
    ck_assert_int_eq(remove(vol_path(vol, VOL_SYSTEM)), 0);
    ck_assert_uint_eq(hk_registry_connect(vol, NULL, &reg), HK_ERROR_FILE_NOT_FOUND);
    char want[4096];
    snprintf(want, sizeof want, "no SYSTEM hive: %s/WINDOWS/system32/CONFIG/SYSTEM not found", vol);
    ck_assert_str_eq(hk_errmsg(), want);
    hk_key *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, 0, &k),
                      HK_ERROR_INVALID_HANDLE);
    hk_registry_close(reg);
    ck_assert_uint_eq(hk_registry_connect(vol_path(vol, "users"), NULL, &reg),
                      HK_ERROR_PATH_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "neither a Windows volume"));
    hk_registry_close(reg);
}
END_TEST

START_TEST(current_control_set_and_config)
{
    hk_registry *reg = connect_as(NULL, 0);
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE,
                          "SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
                          "ComputerName", 0), "TESTBOX");
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE,
                          "system\\currentcontrolset\\control\\computername\\computername",
                          "ComputerName", 0), "TESTBOX");
    ck_assert_str_eq(sval(reg, HK_HKEY_CURRENT_CONFIG, "System\\CurrentControlSet\\Control\\Print",
                          "Marker", 0), "profile-0001");
    /* a key opened through CurrentControlSet is the set's own */
    ck_assert_str_eq(names_at(reg, HK_HKEY_LOCAL_MACHINE, "SYSTEM\\CurrentControlSet\\Services", 0),
                     "Tcpip");
    hk_registry_close(reg);
}
END_TEST

START_TEST(current_user_choice)
{
    hk_registry *reg = connect_as(NULL, 0);
    hk_key *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_CURRENT_USER, 0, &k),
                      HK_ERROR_FILE_NOT_FOUND);
    ck_assert_str_eq(hk_errmsg(), "HKCU needs a user chosen; users: systemprofile "
                     "(S-1-5-18) alice (" SID_ALICE ") Bob (" SID_BOB ") ghost (" SID_GHOST ")");
    hk_registry_close(reg);
    reg = connect_as("ALICE", 0);
    ck_assert_str_eq(sval(reg, HK_HKEY_CURRENT_USER, "Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                          "AliceApp", 0), "C:\\Users\\alice\\app.exe");
    hk_registry_close(reg);
    reg = connect_as(SID_BOB, 0);
    ck_assert_str_eq(sval(reg, HK_HKEY_CURRENT_USER, "Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                          "BobApp", 0), "bob.exe");
    hk_registry_close(reg);
    reg = connect_as("nobody", 0);
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_CURRENT_USER, 0, &k),
                      HK_ERROR_FILE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "no such user; users:"));
    hk_registry_close(reg);
    /* with one ordinary user left, HKCU is that one */
    ck_assert_int_eq(remove(vol_path(vol, VOL_BOB)), 0);
    reg = connect_as(NULL, 0);
    ck_assert_str_eq(sval(reg, HK_HKEY_CURRENT_USER, "Environment", "Greeting", 0), "hello");
    hk_registry_close(reg);
}
END_TEST

START_TEST(links)
{
    hk_registry *reg = connect_as("alice", 0);
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\LinkToServices\\Tcpip\\Parameters",
                          "Hostname", 0), "testbox");
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE,
                          "SOFTWARE\\LinkToAlice\\Microsoft\\Windows\\CurrentVersion\\Run",
                          "AliceApp", 0), "C:\\Users\\alice\\app.exe");
    hk_status st;
    ck_assert_ptr_null(open_at(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\LoopA", 0, 0, &st));
    ck_assert_uint_eq(st, HK_ERROR_CANT_RESOLVE_FILENAME);
    /* OPEN_LINK: the link key itself, its REG_LINK value readable */
    hk_key *k = open_at(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\LinkToServices",
                        HK_REG_OPTION_OPEN_LINK, HK_KEY_READ, &st);
    ck_assert_ptr_nonnull(k);
    uint32_t type;
    size_t n = 0;
    ck_assert_uint_eq(hk_query_value_ex(k, "SymbolicLinkValue", &type, NULL, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(type, HK_REG_LINK);
    ck_assert_uint_eq(n, 2 * strlen("\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services"));
    hk_key_info ki = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &ki), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ki.subkeys, 0);
    hk_close_key(k);
    /* followed, the same name opens the target */
    k = open_at(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\LinkToServices", 0, HK_KEY_READ, &st);
    ck_assert_str_eq(names(k), "Tcpip");
    hk_close_key(k);
    /* enumerating SOFTWARE opens a link subkey as its target */
    k = open_at(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE", 0, HK_KEY_READ, &st);
    ck_assert_str_eq(names(k), "Classes,LinkToAlice,LinkToServices,LoopA,LoopB,Microsoft,Vendor,Wow6432Node");
    hk_key *sub;
    ck_assert_uint_eq(hk_open_subkey_at(k, 2, HK_KEY_READ, &sub), HK_ERROR_SUCCESS);
    ck_assert_str_eq(names(sub), "Tcpip");
    hk_close_key(sub);
    hk_close_key(k);
    /* HKCU\Software\Classes is the user's classes hive */
    ck_assert_str_eq(sval(reg, HK_HKEY_CURRENT_USER, "Software\\Classes\\.alice", "", 0), "alicefile");
    hk_registry_close(reg);
}
END_TEST

/* Namespace paths split as the API's: repeated and trailing separators
 * skipped, a leading one BAD_PATHNAME. */
START_TEST(namespace_paths_follow_the_api_rules)
{
    hk_registry *reg = connect_as("alice", 0);
    hk_key *hklm, *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, HK_KEY_READ, &hklm),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(hklm, "SOFTWARE\\\\LinkToServices\\\\Tcpip\\", 0, HK_KEY_READ, &k),
                      HK_ERROR_SUCCESS);
    ck_assert_str_eq(names(k), "Parameters");
    hk_close_key(k);
    ck_assert_uint_eq(hk_open_key(hklm, "\\SOFTWARE", 0, HK_KEY_READ, &k), HK_ERROR_BAD_PATHNAME);
    hk_close_key(hklm);
    hk_registry_close(reg);
}
END_TEST

/* The context's detail belongs to one call: a later call on the context or
 * on a key of its namespace never shows an earlier call's. */
START_TEST(context_detail_is_cleared_at_each_call)
{
    hk_registry *reg = connect_as("alice", 0);
    hk_key *hklm, *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, HK_KEY_READ, &hklm),
                      HK_ERROR_SUCCESS);
    const char *loop = "more than ";
    ck_assert_uint_eq(hk_open_key(hklm, "SOFTWARE\\LoopA", 0, HK_KEY_READ, &k),
                      HK_ERROR_CANT_RESOLVE_FILENAME);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), loop));
    /* an unrelated failure on a namespace key */
    ck_assert_uint_eq(hk_open_key(hklm, "Nope", 0, HK_KEY_READ, &k), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_str_eq(hk_errmsg(), "");
    /* a success on a namespace key */
    ck_assert_uint_eq(hk_open_key(hklm, "SOFTWARE\\LoopA", 0, HK_KEY_READ, &k),
                      HK_ERROR_CANT_RESOLVE_FILENAME);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), loop));
    hk_key_info ki = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(hklm, NULL, NULL, &ki), HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_errmsg(), "");
    /* calls on the context itself */
    ck_assert_uint_eq(hk_open_key(hklm, "SOFTWARE\\LoopA", 0, HK_KEY_READ, &k),
                      HK_ERROR_CANT_RESOLVE_FILENAME);
    hk_registry_mount m = HK_REGISTRY_MOUNT_INIT;
    ck_assert_uint_eq(hk_registry_mount_at(reg, HK_HKEY_LOCAL_MACHINE, 999, &m),
                      HK_ERROR_NO_MORE_ITEMS);
    ck_assert_str_eq(hk_errmsg(), "");
    ck_assert_uint_eq(hk_open_key(hklm, "SOFTWARE\\LoopA", 0, HK_KEY_READ, &k),
                      HK_ERROR_CANT_RESOLVE_FILENAME);
    hk_registry_user u = HK_REGISTRY_USER_INIT;
    ck_assert_uint_eq(hk_registry_user_at(reg, 0, &u), HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_errmsg(), "");
    ck_assert_uint_eq(hk_open_key(hklm, "SOFTWARE\\LoopA", 0, HK_KEY_READ, &k),
                      HK_ERROR_CANT_RESOLVE_FILENAME);
    ck_assert_uint_eq(hk_unload_key(hklm, "NoSuchMount"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_str_eq(hk_errmsg(), "");
    hk_close_key(hklm);
    hk_registry_close(reg);
}
END_TEST

START_TEST(classes_root_merge)
{
    hk_registry *reg = connect_as("alice", 0);
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, ".log", "", 0), "alice-log");
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, ".txt", "", 0), "txtfile");
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, ".alice", "", 0), "alicefile");
    hk_status st;
    hk_key *k = open_at(reg, HK_HKEY_CLASSES_ROOT, "", 0, 0, &st);
    ck_assert_str_eq(names(k), ".alice,.log,.txt,CLSID,txtfile,Wow6432Node");
    hk_key_info ki = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &ki), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ki.subkeys, 6);
    hk_key *sub;
    ck_assert_uint_eq(hk_open_subkey_at(k, 4, HK_KEY_READ, &sub), HK_ERROR_SUCCESS);
    ck_assert_str_eq(names(sub), "");
    hk_close_key(sub);
    hk_close_key(k);
    ck_assert_str_eq(names_at(reg, HK_HKEY_CLASSES_ROOT, "CLSID", 0),
                     "{00000000-0000-0000-0000-000000000001},{00000000-0000-0000-0000-000000000002}");
    hk_registry_close(reg);
    /* without a user's classes (Bob has none): the machine's alone */
    reg = connect_as("bob", 0);
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, ".log", "", 0), "machine-log");
    ck_assert_str_eq(names_at(reg, HK_HKEY_CLASSES_ROOT, "", 0), ".log,.txt,CLSID,txtfile,Wow6432Node");
    hk_registry_close(reg);
}
END_TEST

START_TEST(wow64_views)
{
    hk_registry *reg = connect_as("alice", 0);
    uint32_t v32 = HK_KEY_READ | HK_KEY_WOW64_32KEY, v64 = HK_KEY_READ | HK_KEY_WOW64_64KEY;
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Vendor", "Bits", v32), "32");
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Vendor", "Bits", v64), "64");
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Vendor", "Bits", HK_KEY_READ), "64");
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
                          "Legacy", v32), "legacy32.exe");
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
                          "Native", v32), "<2>");
    /* shared keys are the same in both views */
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE,
                          "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Fonts", "Arial", v32),
                     "arial.ttf");
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Classes\\.txt", "", v32), "txtfile");
    /* the machine's classes: CLSID redirected to Classes\Wow6432Node */
    ck_assert_str_eq(sval(reg, HK_HKEY_LOCAL_MACHINE,
                          "SOFTWARE\\Classes\\CLSID\\{00000000-0000-0000-0000-000000000001}", "", v32),
                     "Native32");
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, "CLSID\\{00000000-0000-0000-0000-000000000001}", "", v32),
                     "Native32");
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, "CLSID\\{00000000-0000-0000-0000-000000000001}", "", v64),
                     "Native64");
    /* the user's classes: Wow6432Node inside UsrClass.dat */
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, "CLSID\\{00000000-0000-0000-0000-000000000002}", "", v32),
                     "Alice32");
    ck_assert_str_eq(sval(reg, HK_HKEY_CLASSES_ROOT, "CLSID\\{00000000-0000-0000-0000-000000000002}", "", 0),
                     "Alice64");
    ck_assert_str_eq(sval(reg, HK_HKEY_USERS, SID_ALICE "_Classes\\CLSID\\{00000000-0000-0000-0000-000000000002}",
                          "", v32), "Alice32");
    /* a view chosen on the predefined key holds for what is opened from it */
    hk_key *root, *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, HK_KEY_WOW64_32KEY, &root),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(root, "SOFTWARE\\Vendor", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    char buf[16];
    size_t n = sizeof buf;
    uint32_t type;
    ck_assert_uint_eq(hk_query_value_ex(k, "Bits", &type, buf, &n), HK_ERROR_SUCCESS);
    ck_assert_int_eq(buf[0], '3');
    hk_close_key(k);
    hk_close_key(root);
    hk_registry_close(reg);
}
END_TEST

static const char *expand(hk_key *key, const char *src)
{
    static char out[1024];
    size_t n = sizeof out;
    hk_status st = hk_expand_environment_strings(key, src, out, &n);
    ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, strlen(out));
    return out;
}

START_TEST(environment)
{
    hk_registry *reg = connect_as("alice", 0);
    hk_key *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, 0, &k), HK_ERROR_SUCCESS);
    ck_assert_str_eq(expand(k, "%SystemRoot%\\System32"), "C:\\WINDOWS\\System32");
    ck_assert_str_eq(expand(k, "%systemdrive%|%WINDIR%|%ComputerName%|%OS%"), "C:|C:\\WINDOWS|TESTBOX|Windows_NT");
    ck_assert_str_eq(expand(k, "%USERPROFILE%|%USERNAME%|%HOMEPATH%|%APPDATA%"),
                     "C:\\Users\\alice|alice|\\Users\\alice|C:\\Users\\alice\\AppData\\Roaming");
    ck_assert_str_eq(expand(k, "%TEMP%"), "C:\\Users\\alice\\AppData\\Local\\Temp");
    ck_assert_str_eq(expand(k, "%Path%"), "C:\\WINDOWS\\system32;C:\\WINDOWS;C:\\Tools");
    ck_assert_str_eq(expand(k, "%ProgramData%|%PUBLIC%|%ProgramFiles%"),
                     "C:\\ProgramData|C:\\Users\\Public|C:\\Program Files");
    ck_assert_str_eq(expand(k, "%NoSuchVar%x%%50%"), "%NoSuchVar%x%%50%");
    /* buffer rules: too short gives MORE_DATA with the size needed */
    char small[4];
    size_t n = sizeof small;
    ck_assert_uint_eq(hk_expand_environment_strings(k, "%SystemRoot%", small, &n), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, strlen("C:\\WINDOWS") + 1);
    n = 0;
    ck_assert_uint_eq(hk_expand_environment_strings(k, "%SystemRoot%", NULL, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, strlen("C:\\WINDOWS") + 1);
    hk_close_key(k);
    /* no key: no variables */
    ck_assert_str_eq(expand(NULL, "%SystemRoot%"), "%SystemRoot%");
    hk_registry_close(reg);
}
END_TEST

START_TEST(load_and_unload)
{
    hk_registry *reg;
    ck_assert_uint_eq(hk_registry_new(NULL, &reg), HK_ERROR_SUCCESS);
    hk_key *hklm, *hku, *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, 0, &hklm), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_USERS, 0, &hku), HK_ERROR_SUCCESS);
    ck_assert_str_eq(names(hklm), "");
    ck_assert_uint_eq(hk_load_key(hklm, "Offline", vol_path(vol, VOL_SYSTEM)), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_load_key(hklm, "offline", vol_path(vol, VOL_SYSTEM)), HK_ERROR_ALREADY_EXISTS);
    ck_assert_uint_eq(hk_load_key(hklm, "A\\B", vol_path(vol, VOL_SYSTEM)), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_load_key(hklm, "", vol_path(vol, VOL_SYSTEM)), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_load_key(hku, "U", vol_path(vol, "nothing")), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_str_eq(names(hklm), "Offline");
    /* CurrentControlSet works on any mount name */
    ck_assert_uint_eq(hk_open_key(hklm, "Offline\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
                                  0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    /* only HKLM and HKU take mounts */
    ck_assert_uint_eq(hk_load_key(k, "X", vol_path(vol, VOL_SYSTEM)), HK_ERROR_INVALID_PARAMETER);
    hk_close_key(k);
    /* nothing is created directly below HKLM */
    ck_assert_uint_eq(hk_create_key(hklm, "New", &k), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_set_value_ex(hklm, "v", 0, HK_REG_SZ, "a\0", 4), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_unload_key(hklm, "OFFLINE"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_unload_key(hklm, "Offline"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_str_eq(names(hklm), "");
    ck_assert_uint_eq(hk_open_key(hklm, "Offline", 0, HK_KEY_READ, &k), HK_ERROR_FILE_NOT_FOUND);
    hk_close_key(hku);
    hk_close_key(hklm);
    ck_assert_uint_eq(hk_registry_close(reg), HK_ERROR_SUCCESS);
}
END_TEST

START_TEST(edits_land_in_the_right_file)
{
    struct vol_snapshot before;
    vol_snapshot_others(vol, &before);
    hk_registry *reg = connect_as(NULL, HK_REGISTRY_WRITE);
    hk_key *hklm, *k;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, 0, &hklm), HK_ERROR_SUCCESS);
    uint32_t disp;
    ck_assert_uint_eq(hk_create_key_ex(hklm, "SYSTEM\\CurrentControlSet\\Services\\BadDriver", 0, NULL, 0,
                                       HK_KEY_ALL_ACCESS, &k, &disp), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(disp, HK_REG_CREATED_NEW_KEY);
    unsigned char four[4] = {4, 0, 0, 0};
    ck_assert_uint_eq(hk_set_value_ex(k, "Start", 0, HK_REG_DWORD, four, 4), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(hk_delete_tree(hklm, "SYSTEM\\CurrentControlSet\\Services\\Tcpip"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key(hklm, "Nowhere", &k), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_delete_key(hklm, "SYSTEM"), HK_ERROR_ACCESS_DENIED);
    hk_close_key(hklm);
    ck_assert_uint_eq(hk_registry_close(reg), HK_ERROR_SUCCESS);
    /* the file itself: ControlSet002 (Select\Current) changed, 001 not */
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open(vol_path(vol, VOL_SYSTEM), NULL, &h), HK_ERROR_SUCCESS);
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(root, "ControlSet002\\Services\\BadDriver", 0, HK_KEY_READ, &k),
                      HK_ERROR_SUCCESS);
    unsigned char data[8];
    size_t n = sizeof data;
    uint32_t type;
    ck_assert_uint_eq(hk_query_value_ex(k, "Start", &type, data, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(type, HK_REG_DWORD);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(data[0], 4);
    hk_close_key(k);
    ck_assert_uint_eq(hk_open_key(root, "ControlSet001\\Services\\BadDriver", 0, HK_KEY_READ, &k),
                      HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(hk_open_key(root, "ControlSet002\\Services", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    ck_assert_str_eq(names(k), "BadDriver");
    hk_close_key(k);
    hk_hive_info info = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &info), HK_ERROR_SUCCESS);
    ck_assert_int_eq(info.checksum_ok, 1);
    ck_assert_uint_eq(info.primary_sequence, info.secondary_sequence);
    hk_close_key(root);
    hk_hive_close(h);
    vol_others_unchanged(vol, &before);
}
END_TEST

START_TEST(connect_registry_key_owns_context)
{
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.user = "alice";
    hk_key *k, *sub;
    ck_assert_uint_eq(hk_connect_registry(vol, HK_HKEY_CURRENT_USER, &o, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(k, "Environment", 0, HK_KEY_READ, &sub), HK_ERROR_SUCCESS);
    hk_close_key(k);
    char buf[64];
    size_t n = sizeof buf;
    ck_assert_uint_eq(hk_expand_environment_strings(sub, "%Greeting%", buf, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(buf, "hello");
    hk_close_key(sub);
    o.size = 3;
    hk_registry *reg;
    ck_assert_uint_eq(hk_registry_new(&o, &reg), HK_ERROR_INVALID_PARAMETER);
    o.size = sizeof o;
    o.flags = 0x10;
    ck_assert_uint_eq(hk_registry_new(&o, &reg), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_registry_new(NULL, &reg), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_PERFORMANCE_DATA, 0, &k),
                      HK_ERROR_CALL_NOT_IMPLEMENTED);
    ck_assert_uint_eq(hk_registry_open_predefined(reg, 0x1234, 0, &k), HK_ERROR_INVALID_HANDLE);
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_CLASSES_ROOT, 0, &k), HK_ERROR_FILE_NOT_FOUND);
    int disabled = 0;
    ck_assert_uint_eq(hk_registry_open_predefined(reg, HK_HKEY_USERS, 0, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_query_reflection_key(k, &disabled), HK_ERROR_SUCCESS);
    ck_assert_int_eq(disabled, 1);
    hk_close_key(k);
    hk_registry_close(reg);
}
END_TEST

/* The status of an open, and the name of the key it gave ("" if none). */
static hk_status named(hk_status st, hk_key *k, char *buf, size_t size)
{
    buf[0] = '\0';
    if (st == HK_ERROR_SUCCESS) {
        ck_assert_uint_eq(hk_key_name(k, buf, &size), HK_ERROR_SUCCESS);
        hk_close_key(k);
    }
    return st;
}

/* Below hkey\path (a handle of the context), each subkey i opened as
 * OpenKey(key, EnumKey(key, i)), by the name upcased and by
 * hk_open_subkey_at gives what the path gives from the root (a handle
 * never enumerated): the same status, the same key (its name; a link key
 * is named as it was opened). Then the same one level down. Returns the
 * keys opened. */
static unsigned walk_by_enumerated_names(hk_registry *reg, uint32_t hkey, const char *path,
                                         int depth)
{
    hk_status st;
    hk_key *key = open_at(reg, hkey, path, 0, HK_KEY_READ, &st);
    ck_assert_msg(key != NULL, "%s: %u", path, st);
    unsigned seen = 0;
    for (uint32_t i = 0;; i++) {
        char name[256], sub[512], got[256], want[256];
        size_t size = sizeof name;
        st = hk_enum_key(key, i, name, &size);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            break;
        ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
        int len = snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "\\" : "", name);
        ck_assert(len > 0 && (size_t)len < sizeof sub);
        hk_key *k = open_at(reg, hkey, sub, 0, HK_KEY_READ, &st);
        hk_status want_st = named(st, k, want, sizeof want);
        st = hk_open_key(key, name, 0, HK_KEY_READ, &k);
        ck_assert_uint_eq(named(st, k, got, sizeof got), want_st);
        ck_assert_str_eq(got, want);
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &k);
        ck_assert_uint_eq(named(st, k, got, sizeof got), want_st);
        ck_assert_str_eq(got, want);
        for (char *p = name; *p; p++) /* ASCII letters upcased: the names here */
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        size = sizeof name;
        ck_assert_uint_eq(hk_enum_key(key, i, got, &size), HK_ERROR_SUCCESS);
        st = hk_open_key(key, name, 0, HK_KEY_READ, &k);
        ck_assert_uint_eq(named(st, k, got, sizeof got), want_st);
        ck_assert_msg(strcmp(got, want) == 0 || strcmp(got, name) == 0, "%s: %s, want %s", sub,
                      got, want);
        if (want_st != HK_ERROR_SUCCESS)
            continue;
        seen++;
        if (depth > 0)
            seen += walk_by_enumerated_names(reg, hkey, sub, depth - 1);
    }
    hk_close_key(key);
    return seen;
}

/* OpenKey(key, EnumKey(key, i)) in a context: the hint the enumeration
 * leaves goes through the namespace's open (a duplicate of the key takes
 * it) and gives the key the search gives, links and views included. */
START_TEST(enumerated_names_open_in_a_context)
{
    hk_registry *reg = connect_as("alice", 0);
    ck_assert_uint_gt(walk_by_enumerated_names(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE", 3), 10);
    ck_assert_uint_gt(walk_by_enumerated_names(reg, HK_HKEY_LOCAL_MACHINE, "SYSTEM", 3), 5);
    ck_assert_uint_gt(walk_by_enumerated_names(reg, HK_HKEY_CURRENT_USER, "", 2), 3);
    hk_registry_close(reg);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("registry");
    TCase *tc = tcase_create("namespace");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mounts_of_a_volume);
    tcase_add_test(tc, windows_folder_and_missing_hives);
    tcase_add_test(tc, current_control_set_and_config);
    tcase_add_test(tc, current_user_choice);
    tcase_add_test(tc, links);
    tcase_add_test(tc, classes_root_merge);
    tcase_add_test(tc, wow64_views);
    tcase_add_test(tc, environment);
    tcase_add_test(tc, load_and_unload);
    tcase_add_test(tc, edits_land_in_the_right_file);
    tcase_add_test(tc, connect_registry_key_owns_context);
    tcase_add_test(tc, context_detail_is_cleared_at_each_call);
    tcase_add_test(tc, namespace_paths_follow_the_api_rules);
    tcase_add_test(tc, enumerated_names_open_in_a_context);
    suite_add_tcase(s, tc);
    return s;
}
